from typing import Any

from django.apps import AppConfig
from django.db.models.signals import pre_save

from patients.hooks import register_episode_panel, register_timeline
from rehab_clinic.accounts.navigation import register


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "Evaluations and notes"

    def ready(self) -> None:
        # local import: hooks reads our models, which load only once the app registry is ready
        from assessments import hooks

        pre_save.connect(_guard_signed_episode, sender="patients.Episode", weak=False)
        register_timeline(hooks.notes_timeline)
        register_episode_panel(
            "assessments/_episode_charting_panel.html", hooks.episode_charting_panel, 10
        )

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


def _guard_signed_episode(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    if update_fields is None or "patient" in update_fields:
        # local import: apps.py loads before the models that the services import
        from assessments.services import refuse_moving_signed_notes

        refuse_moving_signed_notes(episode=instance)
