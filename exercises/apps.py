from django.apps import AppConfig

from rehab_clinic.accounts.navigation import register


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercise and modality library"

    def ready(self) -> None:
        # local import: User is a model, which loads only once the app registry is ready
        from rehab_clinic.accounts.models import User

        register(role=User.Role.THERAPIST, label="Library", url_name="exercises:list", order=30)
        register(role=User.Role.CLINIC_ADMIN, label="Library", url_name="exercises:list", order=30)
        register(
            role=User.Role.THERAPIST,
            label="Modalities",
            url_name="exercises:modality_list",
            order=31,
        )
        register(
            role=User.Role.CLINIC_ADMIN,
            label="Modalities",
            url_name="exercises:modality_list",
            order=31,
        )
