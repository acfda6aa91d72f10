from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "Evaluations and notes"

    def ready(self) -> None:
        from rehab_clinic.accounts.navigation import register

        register(role="therapist", label="Episodes", url_name="assessments:episode_list", order=20)
        register(
            role="clinic_admin", label="Episodes", url_name="assessments:episode_list", order=20
        )
        register(
            role="clinic_admin",
            label="Outcome measures",
            url_name="assessments:instrument_settings",
            order=60,
        )
        register(
            role="patient", label="My visits", url_name="assessments:portal_summaries", order=20
        )
