from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "rehab_clinic.messaging"
    label = "messaging"
    verbose_name = "Secure messages between a patient and the clinic"

    def ready(self) -> None:
        # local import: the hooks read our models, which load only once the registry is ready
        from rehab_clinic.messaging import hooks

        hooks.register()
