from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "rehab_clinic.push"
    label = "push"
    verbose_name = "Web push to patients' phones"

    def ready(self) -> None:
        # local import: the navigation registry reverses URLs, which load after the app registry
        from rehab_clinic.accounts.models import User
        from rehab_clinic.accounts.navigation import register

        register(
            role=User.Role.PATIENT,
            label="Phone notifications",
            url_name="push:settings",
            order=80,
        )
