"""What return to run adds to the therapist's day (docs/therapist_day.md): the Today queue of
runners with a stop sign or a step back since their last visit, the caseload's stage and flag
columns and its "flagged" filter, and the pain and volume chart of the episode chart page.

Flags are read from the stored rows (`flags.shown_on`, `flags.flagged_plans`); the Today queue
compares them with the episode's last visit in the database, so it reads only the plans it
shows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from assessments.models import Note, OutcomeResponse
from patients.hooks import Chart, Queue, QueueItem, take
from programs.running.charts import plan_chart
from programs.running.flags import FlagKind, flagged_plans, shown_on
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


def _waiting(user: User, today: dt.date) -> Any:
    """The active plans in the user's care with a stop flag shown on `today` and dated after
    the episode's last visit (any note's visit date: a visit on the day of the run saw it),
    each with `seen` (that visit, or the earliest date when there was none) and `latest` (the
    newest such flag), newest first. The database filters, orders and counts."""
    last_visit = Note.objects.filter(episode=OuterRef("episode")).order_by("-visit_date")
    stops = shown_on(user, today).filter(
        plan=OuterRef("pk"), kind__in=STOP_KINDS, date__gt=OuterRef("seen")
    )
    return (
        flagged_plans(user, today=today, in_care=True)
        .annotate(seen=Coalesce(Subquery(last_visit.values("visit_date")[:1]), Value(dt.date.min)))
        .annotate(latest=Subquery(stops.order_by("-date").values("date")[:1]))
        .filter(latest__isnull=False)
        .select_related("episode__patient")
        .order_by("-latest", "-pk")
    )


def runners_queue(user: User, today: dt.date, limit: int | None) -> Queue:
    """Newest first: the runner's stop signs and step backs dated after the episode's last
    visit (a visit on the day of the run counts as having seen it)."""
    # Every flagged runner in the therapist's care (their own and the unassigned), not the
    # clinic's first few by name: a limp must reach Today however large the clinic is. Only
    # the page's plans and their stop flags are read: three queries.
    plans: list[ReturnToRunPlan] = []
    count = 0
    if getattr(user, "is_clinic_staff", False) and user.clinic_id is not None:
        plans, count = take(_waiting(user, today), limit)
    stops: dict[int, list[tuple[str, str]]] = defaultdict(list)
    seen = {plan.pk: plan.seen for plan in plans}  # type: ignore[attr-defined]
    if seen:
        rows = (
            shown_on(user, today)
            .filter(plan__in=list(seen), kind__in=STOP_KINDS)
            .order_by("plan_id", "position")
            .values_list("plan_id", "date", "message", "runner_wrote")
        )
        for plan_id, date, message, wrote in rows:
            if date > seen[plan_id]:
                stops[plan_id].append((message, wrote))
    return Queue(
        key="runners",
        title="Runners with a stop sign or step back",
        rule="Since the last visit: pain above the plan's ceiling, a limp, swelling, a "
        "morning jump, or a step back.",
        items=[
            QueueItem(
                patient=plan.episode.patient,
                title=" ".join(dict.fromkeys(message for message, _ in stops[plan.pk])),
                url=reverse("programs:rtr_plan_detail", args=[plan.pk]),
                detail="; ".join(
                    f"Runner wrote: “{w}”"
                    for w in dict.fromkeys(wrote for _, wrote in stops[plan.pk])
                    if w
                ),
                when=plan.latest,  # type: ignore[attr-defined]
            )
            for plan in plans
        ],
        count=count,
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
