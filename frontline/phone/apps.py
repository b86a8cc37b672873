from django.apps import AppConfig


class PhoneConfig(AppConfig):
    name = "frontline.phone"
    label = "phone"
    verbose_name = "Phone"

    def ready(self) -> None:
        from frontline.core import nav

        nav.register("phone", "Phone", "phone:overview", roles=nav.STAFF, group="desk", order=16)
