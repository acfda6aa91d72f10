from django.apps import AppConfig

from patients.hooks import register_today_queue
from rehab_clinic.accounts.navigation import register


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients and episodes of care"

    def ready(self) -> None:
        # local import: today.py and User read models, which load only once the app registry
        # is ready
        from patients.today import invitations_queue
        from rehab_clinic.accounts.models import User

        register_today_queue("invitations", invitations_queue, order=60)
        register(role=User.Role.THERAPIST, label="Today", url_name="patients:today", order=5)
        register(role=User.Role.THERAPIST, label="Caseload", url_name="patients:caseload", order=10)
        register(role=User.Role.PATIENT, label="Home", url_name="portal:home", order=10)
        register(role=User.Role.PATIENT, label="My details", url_name="portal:contact", order=90)
