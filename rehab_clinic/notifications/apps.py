from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rehab_clinic.notifications"
    label = "notifications"
    verbose_name = "Alerts for therapists"

    def ready(self) -> None:
        from rehab_clinic.notifications import hooks

        hooks.register_navigation()
