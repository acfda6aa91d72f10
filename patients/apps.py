from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients and episodes of care"

    def ready(self) -> None:
        from rehab_clinic.accounts.models import User
        from rehab_clinic.accounts.navigation import register

        register(role=User.Role.THERAPIST, label="Caseload", url_name="patients:caseload", order=10)
        register(role=User.Role.PATIENT, label="Home", url_name="portal:home", order=10)
        register(role=User.Role.PATIENT, label="My details", url_name="portal:contact", order=90)
