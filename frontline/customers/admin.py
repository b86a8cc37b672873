from django.contrib import admin

from .models import Company, Customer


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "domain", "tier", "lifetime_revenue", "share_tickets")
    list_filter = ("tier", "share_tickets")
    search_fields = ("name", "domain")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "company", "tier", "lifetime_revenue")
    list_filter = ("tier",)
    search_fields = ("name", "email")
    raw_id_fields = ("company", "user")
