"""A caseload's home-program adherence over the last 14 days (the Today queue of low adherence
and the caseload's column), in a fixed number of queries whatever the caseload holds.

On PostgreSQL two queries count it: the first takes the four counted fields of each item of
each program's latest version (`ProgramVersion.counted`, not the snapshot with its drawings),
with the day each item was first published; the second returns one sum of sessions done per
patient, each item's ticks of a day capped at its dose, instead of every tick of two weeks.
What was due is the arithmetic of `adherence`. Elsewhere (SQLite) the versions and ticks are
read into Python and counted by `queries.item_plans` and `adherence.by_exercise`, the rule
the SQL follows (the tests check that both give the same shares)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import F

from patients.models import Episode, Patient
from programs.home import adherence, queries
from programs.home.models import Completion, ProgramVersion

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from rehab_clinic.accounts.models import Clinic

ADHERENCE_DAYS = 14


# Each program's counted items, by PostgreSQL from each version's `counted` (the four fields of
# each item, a few hundred bytes; the snapshot with its drawings is 7 to 40 KB and is not read):
# every item of the program's latest version, with the publication time of the first version
# (by number) that listed its key. A latest version without items still gives one row, with no
# key, so that its program's ticks keep their patient. `{versions}` selects the versions read,
# each with its program, number, publication time, counted items and patient.
_PLANS_SQL = """
SELECT program_id, patient_id, item->>'key', item->>'name',
    (item->>'times_per_day')::integer, (item->>'days_per_week')::integer, first_published
FROM (
    SELECT v.program_id, v.patient_id, v.number, v.last, x.item, x.n,
        FIRST_VALUE(v.published_at) OVER (
            PARTITION BY v.program_id, x.item->>'key' ORDER BY v.number
        ) AS first_published
    FROM (
        SELECT pv.program_id, pv.number, pv.published_at, pv.counted, pv.patient_id,
            MAX(pv.number) OVER (PARTITION BY pv.program_id) AS last
        FROM ({versions}) AS pv
    ) AS v
    LEFT JOIN LATERAL jsonb_array_elements(v.counted) WITH ORDINALITY AS x(item, n)
        ON TRUE
) AS counted
WHERE number = last
ORDER BY program_id, n
"""

# The sessions done that count, per patient: each program's ticks from `first` to `last` belong
# to the program's patient; per item key and day they count up to the item's times a day (a
# second session does not make up a missed day), from the day the item was first prescribed.
# `owner` pairs each program with its patient, `plan` lists every counted item of every
# program: (patient, item key, times a day, first day).
_DONE_SQL = """
SELECT plan.patient_id, SUM(LEAST(tick.n, plan.times_per_day))
FROM unnest(%s::bigint[], %s::uuid[], %s::integer[], %s::date[])
    AS plan(patient_id, item_key, times_per_day, start)
JOIN (
    SELECT owner.patient_id, c.item_key, c.day, COUNT(*) AS n
    FROM programs_completion AS c
    JOIN unnest(%s::bigint[], %s::bigint[]) AS owner(program_id, patient_id)
        ON owner.program_id = c.program_id
    WHERE c.day BETWEEN %s AND %s
    GROUP BY owner.patient_id, c.item_key, c.day
) AS tick
    ON tick.patient_id = plan.patient_id AND tick.item_key = plan.item_key
    AND tick.day >= plan.start
GROUP BY plan.patient_id
"""


Plans = dict[int, list[tuple[int, adherence.ItemPlan]]]


def _versions(patients: QuerySet[Patient] | list[Patient]) -> QuerySet[ProgramVersion]:
    """The published versions of the programs on the patients' active episodes."""
    return ProgramVersion.objects.filter(
        program__episode__patient__in=patients,
        program__episode__status=Episode.Status.ACTIVE,
    )


def _plans_by_sql(
    patients: QuerySet[Patient] | list[Patient], clinic: Clinic
) -> tuple[Plans, dict[int, int]]:
    """Each program's counted items with its patient, by program id, and each program's
    patient (every program with a published version on the patients' active episodes)."""
    # The versions with their patient, as one subquery: joined again by id, the planner read
    # every program and episode of the clinic to find the caseload's 160 versions.
    read = _versions(patients).annotate(patient_id=F("program__episode__patient_id"))
    columns = ("program_id", "number", "published_at", "counted", "patient_id")
    versions, params = read.order_by().values(*columns).query.sql_with_params()
    plans: Plans = defaultdict(list)
    owner: dict[int, int] = {}
    days: dict[dt.datetime, dt.date] = {}
    with connection.cursor() as cursor:
        cursor.execute(_PLANS_SQL.format(versions=versions), params)
        for program_id, patient_id, key, name, times, weekly, published in cursor.fetchall():
            owner[program_id] = patient_id
            if key is None:
                continue
            if published not in days:
                days[published] = queries.local_day(published, clinic)
            plan = adherence.ItemPlan(key, name, times, weekly, days[published])
            plans[program_id].append((patient_id, plan))
    return plans, owner


def _plans_by_python(
    patients: QuerySet[Patient] | list[Patient], clinic: Clinic
) -> tuple[Plans, dict[int, int]]:
    """As `_plans_by_sql`, from the whole snapshots (`queries.item_plans`)."""
    versions: dict[int, list[ProgramVersion]] = defaultdict(list)
    owner: dict[int, int] = {}
    read = _versions(patients).annotate(patient_id=F("program__episode__patient_id"))
    for version in read.order_by("number"):
        versions[version.program_id].append(version)
        owner[version.program_id] = version.patient_id
    plans: Plans = {
        program_id: [(owner[program_id], plan) for plan in queries.item_plans(found, clinic)]
        for program_id, found in versions.items()
    }
    return plans, owner


def _done_by_sql(
    plans: Plans, owner: dict[int, int], first: dt.date, last: dt.date
) -> dict[int, int]:
    rows = [row for items in plans.values() for row in items]
    params: list[Any] = [
        [patient_id for patient_id, _ in rows],
        [plan.key for _, plan in rows],
        [plan.times_per_day for _, plan in rows],
        [plan.start for _, plan in rows],
        list(owner),
        list(owner.values()),
        first,
        last,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_DONE_SQL, params)
        return {patient_id: int(done) for patient_id, done in cursor.fetchall()}


def _done_by_python(
    patients: QuerySet[Patient] | list[Patient],
    plans: Plans,
    owner: dict[int, int],
    first: dt.date,
    last: dt.date,
) -> dict[int, int]:
    completions: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    # Filtered like the versions (not by their ids) so that the query runs, and the count stays
    # the same, when nothing was published.
    ticks = Completion.objects.filter(
        program__episode__patient__in=patients,
        program__episode__status=Episode.Status.ACTIVE,
        day__range=(first, last),
    )
    for program_id, key, day in ticks.values_list("program_id", "item_key", "day"):
        if program_id in owner:
            completions[owner[program_id]].append((str(key), day))
    done: dict[int, int] = defaultdict(int)
    for program_id, items in plans.items():
        patient_id = owner[program_id]
        counted = [plan for _, plan in items]
        for tally in adherence.by_exercise(counted, completions[patient_id], first, last):
            done[patient_id] += tally.done
    return done


def recent_adherence(
    patients: QuerySet[Patient] | list[Patient],
    clinic: Clinic,
    today: dt.date,
    *,
    in_sql: bool | None = None,
) -> dict[int, int | None]:
    """Each patient's share of home-program sessions done over the last 14 days, across the
    programs of their active episodes (None when nothing was due; a patient none of whose
    programs lists an item is left out). Two queries. `in_sql`: count the ticks in the
    database (the default on PostgreSQL) or in Python."""
    first = today - dt.timedelta(days=ADHERENCE_DAYS - 1)
    if in_sql is None:
        in_sql = connection.vendor == "postgresql"
    if in_sql:
        plans, owner = _plans_by_sql(patients, clinic)
        done = _done_by_sql(plans, owner, first, today)
    else:
        plans, owner = _plans_by_python(patients, clinic)
        done = _done_by_python(patients, plans, owner, first, today)
    due: dict[int, int] = {}
    for items in plans.values():
        for patient_id, plan in items:
            due[patient_id] = due.get(patient_id, 0) + adherence.prescribed_between(
                plan, first, today
            )
    return {pid: adherence.percent(done.get(pid, 0), prescribed) for pid, prescribed in due.items()}
