"""What charting puts on the therapist's Today page (docs/therapist_day.md): unsigned drafts,
progress notes due and questionnaires due. Each queue runs a fixed number of queries whatever
the caseload holds: the rules are written as subqueries, not loops over episodes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from assessments.instruments import INSTRUMENTS
from assessments.models import Note, OutcomeResponse
from assessments.schedules import ScheduleRule, schedule_for
from patients.hooks import Queue, QueueItem, take
from patients.models import Episode, Patient

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from rehab_clinic.accounts.models import User

REPORT_KINDS = (Note.Kind.INTAKE, Note.Kind.PROGRESS, Note.Kind.REEVAL)
LONG_AGO = dt.date(1900, 1, 1)


def _charting(episode: Episode) -> str:
    return reverse("patients:episode", args=[episode.pk]) + "#charting"


def _active_episodes(user: User) -> Any:
    return Episode.objects.filter(
        patient__in=Patient.objects.visible_to(user).in_care_of(user),
        status=Episode.Status.ACTIVE,
    ).select_related("patient")


def _started(today: dt.date, created_at: dt.datetime, zone: dt.tzinfo) -> str:
    """How long a draft has waited, in the clinic's days (a draft begun at 20:30 in Chicago
    was begun that day, though it is already the next day in UTC)."""
    days = max((today - created_at.astimezone(zone).date()).days, 0)
    return {0: "Started today", 1: "Started yesterday"}.get(days, f"Started {days} days ago")


def drafts_queue(user: User, today: dt.date, limit: int | None) -> Queue:
    """The therapist's own unsigned notes, oldest first; signing one takes it off."""
    notes = (
        Note.objects.visible_to(user)
        .filter(author=user, signed_at__isnull=True)
        .select_related("episode__patient")
        .order_by("created_at", "id")
    )
    rows, count = take(notes, limit)
    zone = user.home_clinic.zone
    return Queue(
        key="drafts",
        title="Unsigned notes",
        rule="Your notes not yet signed, oldest first.",
        items=[
            QueueItem(
                patient=note.episode.patient,
                title=f"{note.get_kind_display()} of {note.visit_date:%d %b %Y}",
                url=reverse("assessments:note_edit", args=[note.pk]),
                detail=f"{_started(today, note.created_at, zone)} · {note.episode.label}",
                when=note.visit_date,
            )
            for note in rows
        ],
        count=count,
    )


def visits_since_report(episodes: QuerySet[Episode]) -> Any:
    """Episodes annotated with `visits`: daily notes after the latest evaluation or progress
    note (the same count as `summaries.visits_since_progress_report`, by visit date)."""
    last_report = (
        Note.objects.filter(episode=OuterRef("pk"), kind__in=REPORT_KINDS)
        .order_by("-visit_date")
        .values("visit_date")[:1]
    )
    daily = (
        Note.objects.filter(
            episode=OuterRef("pk"), kind=Note.Kind.DAILY, visit_date__gt=OuterRef("last_report")
        )
        .order_by()
        .values("episode")
        .annotate(n=Count("id"))
        .values("n")
    )
    return episodes.annotate(last_report=Coalesce(Subquery(last_report), Value(LONG_AGO))).annotate(
        visits=Coalesce(Subquery(daily, output_field=IntegerField()), 0)
    )


def progress_due_queue(user: User, today: dt.date, limit: int | None) -> Queue:
    every = user.home_clinic.progress_note_every
    due = (
        visits_since_report(_active_episodes(user))
        .filter(visits__gte=every)
        .order_by("-visits", "patient__last_name", "id")
    )
    rows, count = take(due, limit)
    return Queue(
        key="progress",
        title="Progress notes due",
        rule=f"{every} or more visits since the last evaluation or progress note "
        "(the clinic's rule, set on the clinic page).",
        items=[
            QueueItem(
                patient=episode.patient,
                title=f"{episode.visits} visits since the last report",
                url=_charting(episode),
                detail=episode.label,
            )
            for episode in rows
        ],
        count=count,
    )


def _due_for(rule: ScheduleRule, episodes: QuerySet[Episode], today: dt.date) -> Any:
    taken = OutcomeResponse.objects.filter(
        episode=OuterRef("pk"), instrument=rule.instrument, struck_at__isnull=True
    )
    started_discharge = Note.objects.filter(
        episode=OuterRef("pk"), kind=Note.Kind.DISCHARGE, signed_at__isnull=True
    ).order_by("visit_date")
    annotated = episodes.annotate(
        last_taken=Subquery(taken.order_by("-taken_on").values("taken_on")[:1]),
        discharge_on=Subquery(started_discharge.values("visit_date")[:1]),
    )
    due = Q(pk__in=[])
    if rule.at_intake:
        due |= Q(last_taken__isnull=True)
    if rule.every_days:
        cutoff = today - dt.timedelta(days=rule.every_days)
        due |= Q(last_taken__lte=cutoff) | Q(last_taken__isnull=True, created_at__date__lte=cutoff)
    if rule.at_discharge:
        due |= Q(discharge_on__isnull=False) & (
            Q(last_taken__isnull=True) | Q(last_taken__lt=F("discharge_on"))
        )
    return annotated.filter(due).order_by(F("last_taken").asc(nulls_first=True), "id")


def _why(rule: ScheduleRule, last_taken: dt.date | None, discharge_on: dt.date | None) -> str:
    """Why an episode is due, from its annotations (`_due_for`)."""
    if rule.at_discharge and discharge_on and (last_taken is None or last_taken < discharge_on):
        return "due at discharge"
    if last_taken is None:
        return "due at intake" if rule.at_intake else f"due every {rule.every_days} days"
    return f"last taken {last_taken:%d %b}, due every {rule.every_days} days"


def questionnaires_queue(user: User, today: dt.date, limit: int | None) -> Queue:
    """One query per instrument on the clinic's schedule, whatever the caseload."""
    items: list[QueueItem] = []
    count = 0
    rules = schedule_for(user.home_clinic.pk)
    for rule in rules:
        rows, found = take(_due_for(rule, _active_episodes(user), today), limit)
        count += found
        name = INSTRUMENTS[rule.instrument].name
        items += [
            QueueItem(
                patient=episode.patient,
                title=f"{name}: {_why(rule, episode.last_taken, episode.discharge_on)}",
                url=_charting(episode),
                detail=episode.label,
                when=episode.last_taken,
            )
            for episode in rows
        ]
    items.sort(key=lambda item: (item.when or LONG_AGO, item.patient.last_name))
    return Queue(
        key="questionnaires",
        title="Questionnaires due",
        rule="Per the clinic's questionnaire schedule: "
        + "; ".join(_rule_words(rule) for rule in rules)
        + ".",
        items=items[:limit] if limit is not None else items,
        count=count,
    )


def _rule_words(rule: ScheduleRule) -> str:
    when = [
        w for w, on in (("at intake", rule.at_intake), ("at discharge", rule.at_discharge)) if on
    ]
    if rule.every_days:
        when.append(f"every {rule.every_days} days")
    return f"{INSTRUMENTS[rule.instrument].name} " + (", ".join(when) or "never")
