from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients and episodes of care"

    def ready(self) -> None:
        from patients.hooks import register_today_queue
        from patients.today import invitations_queue
        from rehab_clinic.accounts.models import User
        from rehab_clinic.accounts.navigation import register

        register_today_queue("invitations", invitations_queue, order=60)
        register(role=User.Role.THERAPIST, label="Today", url_name="patients:today", order=5)
        register(role=User.Role.THERAPIST, label="Caseload", url_name="patients:caseload", order=10)
        register(role=User.Role.PATIENT, label="Home", url_name="portal:home", order=10)
        register(role=User.Role.PATIENT, label="My details", url_name="portal:contact", order=90)
