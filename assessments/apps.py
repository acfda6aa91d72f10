from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.db.models.signals import pre_save

from patients.hooks import (
    register_caseload_columns,
    register_caseload_filter,
    register_caseload_sort,
    register_episode_charts,
    register_episode_panel,
    register_timeline,
    register_today_queue,
)
from rehab_clinic.accounts.navigation import register

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "Evaluations and notes"

    def ready(self) -> None:
        # local import: these read our models (User is one too), which load only once the app
        # registry is ready
        from assessments import caseload, goal_measures, hooks, queues
        from assessments.reports import sections as report_sections
        from patients.goals import register_goal_measure
        from patients.models import CareGoal
        from patients.outcome_report import register_report_section
        from rehab_clinic.accounts.models import User
        from rehab_clinic.accounts.services import register_clinic_setup

        pre_save.connect(_guard_signed_episode, sender="patients.Episode", weak=False)
        register_clinic_setup(_give_billing_codes)
        register_timeline(hooks.notes_timeline)
        register_goal_measure(
            CareGoal.Measure.OUTCOME,
            options=goal_measures.outcome_options,
            reader=goal_measures.outcome_reader,
        )
        register_goal_measure(
            CareGoal.Measure.HOP_LSI,
            options=goal_measures.hop_options,
            reader=goal_measures.hop_reader,
        )
        register_episode_panel(
            "assessments/_episode_charting_panel.html", hooks.episode_charting_panel, 10
        )

        register_report_section(report_sections.discharges_section, order=10)
        register_report_section(report_sections.outcome_change_section, order=20)
        register_today_queue("drafts", queues.drafts_queue, order=20)
        register_today_queue("progress", queues.progress_due_queue, order=30)
        register_today_queue("questionnaires", queues.questionnaires_queue, order=40)
        register_caseload_columns(caseload.caseload_columns)
        register_caseload_filter("no_recent_visit", "No visit in 14 days", caseload.no_recent_visit)
        register_caseload_sort("last_visit", "Last visit", caseload.by_last_visit)
        register_episode_charts(caseload.outcome_charts)
        register(
            role=User.Role.THERAPIST,
            label="Episodes",
            url_name="assessments:episode_list",
            order=20,
        )
        register(
            role=User.Role.CLINIC_ADMIN,
            label="Episodes",
            url_name="assessments:episode_list",
            order=20,
        )
        register(
            role=User.Role.CLINIC_ADMIN,
            label="Outcome measures",
            url_name="assessments:instrument_settings",
            order=60,
        )
        register(
            role=User.Role.PATIENT,
            label="My visits",
            url_name="assessments:portal_summaries",
            order=20,
        )


def _give_billing_codes(clinic: Clinic) -> None:
    # local import: apps.py loads before the models that the services import
    from assessments.billing_services import seed_billing_codes

    seed_billing_codes(clinic=clinic)


def _guard_signed_episode(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    if update_fields is None or "patient" in update_fields:
        # local import: apps.py loads before the models that the services import
        from assessments.services import refuse_moving_signed_notes

        refuse_moving_signed_notes(episode=instance)
