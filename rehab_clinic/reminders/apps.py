from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "rehab_clinic.reminders"
    label = "reminders"
    verbose_name = "Reminders for patients"

    def ready(self) -> None:
        # local import: the hooks read our models, which load only once the registry is ready
        from rehab_clinic.reminders import hooks

        hooks.register()
