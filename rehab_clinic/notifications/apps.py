from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rehab_clinic.notifications"
    label = "notifications"
    verbose_name = "Alerts for therapists"

    def ready(self) -> None:
        # local import: the hooks read our models, which load only once the registry is ready
        from rehab_clinic.notifications import hooks

        hooks.register_navigation()
