"""What home programs add to the therapist's day (docs/therapist_day.md): the Today queues of
active episodes with nothing published (no home program, no running plan) and of low
adherence, the caseload's 14-day adherence column, and the adherence chart of the episode
chart page. Fixed query counts whatever the caseload holds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import CharField, Exists, JSONField, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.urls import reverse

from patients.hooks import Chart, Queue, QueueItem, take
from patients.models import Episode, Patient
from programs.home import adherence, queries
from programs.home.charts import adherence_bars
from programs.home.models import Completion, ProgramVersion
from programs.running.models import ReturnToRunPlan

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from rehab_clinic.accounts.models import Clinic, User

ADHERENCE_DAYS = 14


# What adherence reads of a version's items, built by PostgreSQL: a published snapshot is about
# 7 KB (instructions, cues, drawings) and a caseload's versions took longer to decode than
# to count.
_ITEMS_SQL = """
SELECT COALESCE(jsonb_agg(jsonb_build_object(
    'key', i->'key', 'name', i->'name',
    'times_per_day', i->'times_per_day', 'days_per_week', i->'days_per_week')), '[]'::jsonb)
FROM jsonb_array_elements(programs_programversion.snapshot->'items') AS i
"""


def _lite(versions: QuerySet[ProgramVersion]) -> Iterator[ProgramVersion]:
    """The versions with only what `queries.item_plans` reads of their snapshots (on
    PostgreSQL; elsewhere the whole snapshot)."""
    if connection.vendor != "postgresql":
        yield from versions
        return
    lite = versions.defer("snapshot").annotate(
        lite_items=RawSQL(f"({_ITEMS_SQL})", (), output_field=JSONField())  # noqa: S611
    )
    for version in lite:
        version.snapshot = {"items": version.lite_items}
        yield version


def recent_adherence(
    patients: QuerySet[Patient] | list[Patient], clinic: Clinic, today: dt.date
) -> dict[int, int | None]:
    """Each patient's share of home-program sessions done over the last 14 days, across the
    programs of their active episodes (None when nothing was due). Two queries."""
    first = today - dt.timedelta(days=ADHERENCE_DAYS - 1)
    versions: dict[int, list[ProgramVersion]] = defaultdict(list)
    owner: dict[int, int] = {}
    for version in _lite(
        ProgramVersion.objects.filter(
            program__episode__patient__in=patients,
            program__episode__status=Episode.Status.ACTIVE,
        )
        .select_related("program__episode")
        .order_by("number")
    ):
        versions[version.program_id].append(version)
        owner[version.program_id] = version.program.episode.patient_id
    completions: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    # Filtered like the versions (not by their ids) so that the query runs, and the count stays
    # the same, when nothing was published.
    ticks = Completion.objects.filter(
        program__episode__patient__in=patients,
        program__episode__status=Episode.Status.ACTIVE,
        day__range=(first, today),
    )
    # The item keys as text from PostgreSQL (the snapshot's spelling): a caseload's two weeks
    # of ticks are thousands of rows, and parsing each into a UUID only to print it again cost
    # more than the query. SQLite's text is the bare hex, so there they are parsed.
    if connection.vendor == "postgresql":
        ticks = ticks.annotate(item_text=Cast("item_key", output_field=CharField()))
    for program_id, key, day in ticks.values_list(
        "program_id", "item_text" if connection.vendor == "postgresql" else "item_key", "day"
    ):
        if program_id in owner:
            completions[owner[program_id]].append((str(key), day))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for program_id, program_versions in versions.items():
        patient_id = owner[program_id]
        plans = queries.item_plans(program_versions, clinic)
        for tally in adherence.by_exercise(plans, completions[patient_id], first, today):
            totals[patient_id][0] += tally.done
            totals[patient_id][1] += tally.prescribed
    return {pid: adherence.percent(done, due) for pid, (done, due) in totals.items()}


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
