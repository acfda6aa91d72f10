"""What return to run adds to other apps' pages: the caseload's flags panel, the episode and
portal panels, the chart timeline and the menu links. `register()` is called from
ProgramsConfig.ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse

from patients.goals import MeasureOption, Reading, register_goal_measure
from patients.hooks import (
    TimelineEntry,
    register_caseload_columns,
    register_caseload_filter,
    register_dashboard_panel,
    register_discharge,
    register_episode_charts,
    register_episode_panel,
    register_portal_panel,
    register_timeline,
    register_today_queue,
)
from patients.models import CareGoal
from patients.outcome_report import register_report_section
from programs.running import (
    flags,
    gait_services,
    outcomes,
    protocol_services,
    services,
    today,
)
from programs.running.alerts import alert_inactive_runners
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.log_models import SessionLog, StageChange
from programs.running.models import ReturnToRunPlan
from programs.running.progression import Swelling
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.navigation import register as register_nav
from rehab_clinic.accounts.prepared import PreparedLookup
from rehab_clinic.accounts.services import register_clinic_setup
from rehab_clinic.notifications.hooks import register_daily_check

if TYPE_CHECKING:
    from patients.models import Episode, Patient
    from rehab_clinic.accounts.models import Clinic

__all__ = ["dashboard_panel", "episode_panel", "portal_panel", "register", "timeline_entries"]


def dashboard_panel(user: User) -> dict[str, Any]:
    today = user.clinic.today() if user.clinic is not None else None
    return {"flagged": flags.flagged_patients(user, today=today)}


def episode_panel(user: User, episode: Episode) -> dict[str, Any]:
    plans = list(ReturnToRunPlan.objects.visible_to(user).filter(episode=episode))
    gait = list(GaitRetrainingPrescription.objects.visible_to(user).filter(episode=episode))
    return {
        "episode": episode,
        "plans": plans,
        "gait": gait,
        "has_active": any(p.status in ReturnToRunPlan.OPEN_STATUSES for p in plans),
        "can_edit": getattr(user, "is_clinic_staff", False),
    }


def _runner(user_id: int) -> User:
    return User(pk=user_id, role=User.Role.PATIENT, is_active=True)


# The portal home reads both on every request: their SQL (through the same gates) is compiled
# once per process for an active patient (accounts/prepared.py).
_PORTAL_PLANS = PreparedLookup(lambda pk: ReturnToRunPlan.objects.visible_to(_runner(pk)).active())
_PORTAL_GAIT = PreparedLookup(
    lambda pk: GaitRetrainingPrescription.objects.visible_to(_runner(pk)).filter(is_active=True)
)


def portal_panel(user: User) -> dict[str, Any]:
    if user.is_patient and user.is_active:
        return {"plans": _PORTAL_PLANS.all(user.pk), "gait": _PORTAL_GAIT.all(user.pk)}
    return {
        "plans": list(ReturnToRunPlan.objects.visible_to(user).active()),
        "gait": list(GaitRetrainingPrescription.objects.visible_to(user).filter(is_active=True)),
    }


def _with_runner_words(text: str, log: SessionLog | None) -> str:
    if log is None or not log.notes:
        return text
    return f"{text} Runner wrote: “{log.notes}”".strip()


def timeline_entries(patient: Patient) -> list[Any]:
    """Return-to-run stage changes, and runs with a limp or swelling (with what the runner
    wrote), on the patient chart's timeline, in two queries."""
    changes = StageChange.objects.filter(plan__episode__patient=patient).select_related(
        "session_log"
    )
    entries = []
    for change in changes:
        words = (
            "plan complete"
            if change.to_stage == change.from_stage
            else (f"stage {change.from_stage} → {change.to_stage}")
        )
        who = "therapist" if change.source == StageChange.Source.THERAPIST else "rule"
        entries.append(
            TimelineEntry(
                when=change.created_at,
                kind="return_to_run",
                title=f"Return to run: {words} ({who})",
                url=reverse("programs:rtr_plan_detail", args=[change.plan_id]),
                detail=_with_runner_words(
                    change.note or change.clinical_reason or change.reason, change.session_log
                ),
            )
        )
    signs = SessionLog.objects.filter(plan__episode__patient=patient).filter(
        Q(limp=True) | ~Q(swelling=Swelling.NONE.value)
    )
    for log in signs:
        what = ["limp"] if log.limp else []
        if log.swelling != Swelling.NONE:
            what.append(f"{log.swelling} swelling")
        entries.append(
            TimelineEntry(
                when=log.created_at,
                kind="return_to_run",
                title=f"Return to run flag: {', '.join(what)} on {log.date:%d %b}",
                url=reverse("programs:rtr_plan_detail", args=[log.plan_id]),
                detail=_with_runner_words("", log),
            )
        )
    return entries


def close_on_discharge(*, episode: Episode, by: User) -> None:
    """A discharged episode takes no more runs, check-ins or gait sessions. Each service
    audits its change and renders the handout again (closing a plan and ending the gait
    prescriptions each do it once when they changed something)."""
    for plan in ReturnToRunPlan.objects.filter(episode=episode).open():
        services.close_plan(
            plan=plan, by=by, status=ReturnToRunPlan.Status.STOPPED, note="episode discharged"
        )
    gait_services.end_gait_prescriptions(episode=episode, by=by, reason="episode discharged")


def stage_options() -> list[MeasureOption]:
    return [MeasureOption(f"{CareGoal.Measure.RUN_STAGE}:", "Return-to-run stage reached")]


def stage_reader(episode: Episode, goals: Sequence[CareGoal], as_of: dt.date) -> dict[int, Reading]:
    """The stage the episode's latest started plan had reached by `as_of` (stage 1 from its
    first run, then each stage change made by that day); two queries for all its goals."""
    plan = (
        ReturnToRunPlan.objects.filter(episode=episode, started_on__lte=as_of)
        .exclude(status=ReturnToRunPlan.Status.DRAFT)
        .order_by("-started_on", "-pk")
        .first()
    )
    reading = Reading(None, None)
    if plan is not None:
        changes = list(
            StageChange.objects.filter(plan=plan, created_at__date__lte=as_of).order_by(
                "created_at", "pk"
            )
        )
        first = Decimal(changes[0].from_stage if changes else 1)
        latest = Decimal(changes[-1].to_stage) if changes else first
        reading = Reading(first, latest, changes[-1].created_at.date() if changes else None)
    return dict.fromkeys((goal.pk for goal in goals), reading)


def give_protocols(clinic: Clinic) -> None:
    protocol_services.seed_protocols(clinic=clinic)


def register() -> None:
    register_discharge(close_on_discharge)
    register_report_section(outcomes.run_section, order=30)
    register_goal_measure(CareGoal.Measure.RUN_STAGE, options=stage_options, reader=stage_reader)
    register_clinic_setup(give_protocols)
    register_nav(
        role=User.Role.THERAPIST, label="Return to run", url_name="programs:rtr_plan_list", order=40
    )
    register_nav(
        role=User.Role.CLINIC_ADMIN,
        label="Run protocols",
        url_name="programs:rtr_protocol_list",
        order=45,
    )
    register_nav(
        role=User.Role.PATIENT, label="My running", url_name="programs:rtr_portal_today", order=20
    )
    register_dashboard_panel("programs/running/_flags_panel.html", dashboard_panel, order=40)
    register_episode_panel("programs/running/_episode_panel.html", episode_panel, order=40)
    register_portal_panel("programs/running/_portal_panel.html", portal_panel, order=40)
    register_timeline(timeline_entries)
    register_daily_check(alert_inactive_runners)
    register_today_queue("runners", today.runners_queue, order=10)
    register_caseload_columns(today.caseload_columns)
    register_caseload_filter("flagged", "Flagged", today.only_flagged)
    register_episode_charts(today.run_charts)
