"""What return to run adds to the therapist's day (docs/therapist_day.md): the Today queue of
runners with a stop sign or a step back since their last visit, the caseload's stage and flag
columns and its "flagged" filter, and the pain and volume chart of the episode chart page.

Flags come from `flags.flagged_patients` (the one read of them, whatever it is built on); the
last visit is read from the notes in one query."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Q
from django.urls import reverse

from assessments.models import Note, OutcomeResponse
from patients.hooks import Chart, Queue, QueueItem
from programs.running.charts import plan_chart
from programs.running.flags import FlagKind, flagged_patients, flagged_plans, shown_on
from programs.running.log_models import MorningCheckIn, SessionLog
from programs.running.models import ReturnToRunPlan

# A stop sign (pain over the ceiling, a limp, swelling, a morning jump) or a step back.
STOP_KINDS = frozenset(
    {
        FlagKind.STOP_SIGN,
        FlagKind.STEP_BACK,
        FlagKind.LIMP,
        FlagKind.SWELLING,
        FlagKind.PAIN_ABOVE_CEILING,
    }
)


if TYPE_CHECKING:
    from django.db.models import QuerySet

    from patients.models import Episode, Patient
    from rehab_clinic.accounts.models import User


def _last_visits(episode_ids: list[int]) -> dict[int, dt.date]:
    rows = (
        Note.objects.filter(episode_id__in=episode_ids)
        .values("episode_id")
        .annotate(last=Max("visit_date"))
    )
    return {row["episode_id"]: row["last"] for row in rows}


def runners_queue(user: User, today: dt.date, limit: int | None) -> Queue:
    """Newest first: the runner's stop signs and step backs dated after the episode's last
    visit (a visit on the day of the run counts as having seen it)."""
    # Every flagged runner in the therapist's care (their own and the unassigned), not the
    # clinic's first few by name: a limp must reach Today however large the clinic is.
    flagged = flagged_patients(user, today=today, in_care=True, limit=None)
    visits = _last_visits([f.plan.episode_id for f in flagged])
    waiting = []
    for item in flagged:
        seen = visits.get(item.plan.episode_id)
        stops = [f for f in item.flags if f.kind in STOP_KINDS and (seen is None or f.date > seen)]
        if stops:
            waiting.append((max(f.date for f in stops), item, stops))
    waiting.sort(key=lambda row: (row[0], row[1].plan.pk), reverse=True)
    shown = waiting[:limit] if limit is not None else waiting
    return Queue(
        key="runners",
        title="Runners with a stop sign or step back",
        rule="Since the last visit: pain above the plan's ceiling, a limp, swelling, a "
        "morning jump, or a step back.",
        items=[
            QueueItem(
                patient=item.patient,
                title=" ".join(dict.fromkeys(f.message for f in stops)),
                url=reverse("programs:rtr_plan_detail", args=[item.plan.pk]),
                detail="; ".join(
                    f"Runner wrote: “{w}”"
                    for w in dict.fromkeys(f.runner_wrote for f in stops)
                    if w
                ),
                when=latest,
            )
            for latest, item, stops in shown
        ],
        count=len(waiting),
    )


def caseload_columns(
    user: User, patients: list[Patient], today: dt.date
) -> dict[int, dict[str, Any]]:
    """The stage of each patient's active plan and their open flags: two queries, for any
    page."""
    columns: dict[int, dict[str, Any]] = defaultdict(dict)
    plans = ReturnToRunPlan.objects.filter(
        episode__patient__in=patients, status=ReturnToRunPlan.Status.ACTIVE
    ).values_list("episode__patient_id", "current_stage", "name")
    for patient_id, stage, name in plans:
        columns[patient_id]["stage"] = f"Stage {stage} · {name}"
    # The page's flags in one query, whether or not any row has one (the same query count
    # for every page), joined from the page's patients (their episodes, plans, then the
    # plan-and-days index), never from the clinic's flags.
    shown = (
        shown_on(user, today)
        .filter(
            plan__status=ReturnToRunPlan.Status.ACTIVE,
            plan__episode__patient__in=[patient.pk for patient in patients],
        )
        .order_by("plan", "position")
        .values_list("plan_id", "plan__episode__patient_id", "message")
    )
    for plan_id, patient_id, message in shown:
        column = columns[patient_id]
        column.setdefault("flags", []).append(message)
        column["flags_url"] = reverse("programs:rtr_plan_detail", args=[plan_id])
    return dict(columns)


def only_flagged(patients: QuerySet[Patient], user: User, today: dt.date) -> QuerySet[Patient]:
    return patients.filter(pk__in=flagged_plans(user, today=today).values("episode__patient"))


def run_charts(user: User, episode: Episode) -> list[Chart]:
    """One chart per return-to-run plan of the episode: weekly volume above pain during,
    after and next morning, the visit pain scores and the plan's ceiling. Four queries."""
    plans = list(
        ReturnToRunPlan.objects.filter(episode=episode).exclude(status=ReturnToRunPlan.Status.DRAFT)
    )
    if not plans:
        return []
    clinic = episode.patient.clinic
    logs: dict[int, list[SessionLog]] = defaultdict(list)
    checks: dict[int, list[MorningCheckIn]] = defaultdict(list)
    for log in SessionLog.objects.filter(plan__in=plans):
        logs[log.plan_id].append(log)
    for check in MorningCheckIn.objects.filter(plan__in=plans):
        checks[check.plan_id].append(check)
    visit_pain = [
        (response.taken_on, float(response.scores["pain"]["score"]))
        for response in OutcomeResponse.objects.filter(
            episode=episode, instrument="nprs", struck_at__isnull=True
        ).filter(Q(note__isnull=True) | Q(note__signed_at__isnull=False))
        if response.scores.get("pain", {}).get("score") is not None
    ]
    today = clinic.today()
    return [
        Chart(
            title=f"Return to run: {plan.name}",
            svg=plan_chart(
                logs=logs[plan.pk],
                check_ins=checks[plan.pk],
                start=plan.started_on,
                end=today,
                distance=plan.is_distance,
                unit=clinic.distance_unit,
                pain_ceiling=plan.pain_during_max,
                pain_after=True,
                visit_pain=visit_pain,
            ),
            order=20,
            note=f"Dashed red line: the plan's pain ceiling ({plan.pain_during_max}/10).",
        )
        for plan in plans
    ]
