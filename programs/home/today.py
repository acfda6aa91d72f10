"""What home programs add to the therapist's day (docs/therapist_day.md): the Today queues of
active episodes with nothing published (no home program, no running plan) and of low
adherence, the caseload's 14-day adherence column (both counted by `recent`), and the adherence
chart of the episode chart page. Fixed query counts whatever the caseload holds."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef
from django.urls import reverse

from patients.hooks import Chart, Queue, QueueItem, take
from patients.models import Episode, Patient
from programs.home import queries
from programs.home.charts import adherence_bars
from programs.home.models import ProgramVersion
from programs.home.recent import ADHERENCE_DAYS, recent_adherence
from programs.running.models import ReturnToRunPlan

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


def _in_care(user: User) -> Any:
    return Patient.objects.visible_to(user).in_care_of(user)


def nothing_published_queue(user: User, today: dt.date, limit: int | None) -> Queue:
    published = ProgramVersion.objects.filter(program__episode=OuterRef("pk"))
    running = ReturnToRunPlan.objects.filter(
        episode=OuterRef("pk"),
        status__in=[ReturnToRunPlan.Status.ACTIVE, ReturnToRunPlan.Status.PAUSED],
    )
    episodes = (
        Episode.objects.filter(patient__in=_in_care(user), status=Episode.Status.ACTIVE)
        .exclude(Exists(published))
        .exclude(Exists(running))
        .select_related("patient")
        .order_by("created_at", "id")
    )
    rows, count = take(episodes, limit)
    return Queue(
        key="unplanned",
        title="Active episodes with nothing prescribed",
        rule="No published home program and no running plan under way.",
        items=[
            QueueItem(
                patient=episode.patient,
                title=episode.label,
                url=reverse("patients:episode", args=[episode.pk]),
                detail=f"Opened {episode.created_at:%d %b %Y}",
                when=episode.created_at.date(),
            )
            for episode in rows
        ],
        count=count,
    )


def low_adherence_queue(user: User, today: dt.date, limit: int | None) -> Queue:
    clinic = user.home_clinic
    threshold = clinic.low_adherence_percent
    shares = recent_adherence(_in_care(user), clinic, today)
    low = sorted(
        ((share, pid) for pid, share in shares.items() if share is not None and share < threshold)
    )
    shown = low[:limit] if limit is not None else low
    patients = _in_care(user).in_bulk([pid for _, pid in shown])
    return Queue(
        key="adherence",
        title="Low home-program adherence",
        rule=f"Under {threshold}% of the prescribed sessions done over the last "
        f"{ADHERENCE_DAYS} days (the clinic's threshold, set on the clinic page).",
        items=[
            QueueItem(
                patient=patients[pid],
                title=f"{share}% done over {ADHERENCE_DAYS} days",
                url=reverse("patients:chart", args=[pid]),
                detail="Check in with the patient or adjust the program.",
            )
            for share, pid in shown
        ],
        count=len(low),
    )


def caseload_columns(
    user: User, patients: list[Patient], today: dt.date
) -> dict[int, dict[str, Any]]:
    if not patients:
        return {}
    shares = recent_adherence(patients, user.home_clinic, today)
    return {pid: {"adherence": share} for pid, share in shares.items()}


def adherence_charts(user: User, episode: Episode) -> list[Chart]:
    programs = [p for p in episode.home_programs.all() if p.versions.exists()]
    if not programs:
        return []
    result = queries.adherence_for_programs(programs, episode.patient.clinic, weeks=8)
    return [
        Chart(
            title="Home program adherence per week",
            svg=adherence_bars(
                result.weeks, title="Home program: done vs prescribed per week", chart_id="ch-adh"
            ),
            order=30,
        )
    ]
