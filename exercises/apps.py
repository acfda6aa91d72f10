from django.apps import AppConfig

from rehab_clinic.accounts.navigation import register


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercise and modality library"

    def ready(self) -> None:
        register(role="therapist", label="Library", url_name="exercises:list", order=30)
        register(role="clinic_admin", label="Library", url_name="exercises:list", order=30)
        register(role="therapist", label="Modalities", url_name="exercises:modality_list", order=31)
        register(
            role="clinic_admin", label="Modalities", url_name="exercises:modality_list", order=31
        )
