from django.contrib import admin

from .models import CoachingPlan, Kudos, Policy, PolicyVersion, TrainingModule, TrainingPlan


class ModuleInline(admin.StackedInline):
    model = TrainingModule
    extra = 0


@admin.register(TrainingPlan)
class TrainingPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "days")
    inlines = [ModuleInline]


@admin.register(CoachingPlan)
class CoachingPlanAdmin(admin.ModelAdmin):
    list_display = ("agent", "cadence", "coach", "starts_on")


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("title", "created_at")


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Read-only: a new version is published from the Policies page, so everyone acknowledges it."""

    list_display = ("policy", "number", "effective_on", "published_at")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ("giver", "receiver", "created_at")
