from django.apps import AppConfig

from rehab_clinic.accounts.navigation import register


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients and episodes of care"

    def ready(self) -> None:
        register(role="therapist", label="Caseload", url_name="patients:caseload", order=10)
        register(role="patient", label="Home", url_name="portal:home", order=10)
        register(role="patient", label="My details", url_name="portal:contact", order=90)
