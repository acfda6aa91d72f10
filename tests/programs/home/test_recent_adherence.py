"""The caseload's 14-day adherence (`programs.home.recent`): counted in PostgreSQL, it gives the
shares the Python count gave (every tick read and counted by `adherence.by_exercise`), worked
out here by hand for a caseload with two-version programs whose doses differ, ticks on both
sides of the window and patients who must stay out."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from patients.models import Episode, Patient
from programs.home import adherence, queries
from programs.home.models import Completion, HomeProgram, ProgramVersion
from programs.home.recent import recent_adherence
from programs.home.today import caseload_columns, low_adherence_queue
from tests.factories import ClinicFactory, EpisodeFactory, PatientFactory, UserFactory
from tests.test_bounded_reads import rows_read

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)  # a Monday: the window is 17 to 30 November
UTC = dt.UTC


def _program(episode: Episode, by: Any, *versions: tuple[dt.datetime, list[Any]]) -> HomeProgram:
    """A program with one version per (published at, items), items as (key, times a day, days
    a week)."""
    program = HomeProgram.objects.create(episode=episode, created_by=by)
    for number, (published_at, items) in enumerate(versions, start=1):
        ProgramVersion.objects.create(
            program=program,
            number=number,
            published_at=published_at,
            published_by=by,
            snapshot={
                "title": "Home exercise program",
                "items": [
                    {
                        "key": str(key),
                        "name": f"Exercise {n}",
                        "instructions": "x" * 500,
                        "times_per_day": times,
                        "days_per_week": weekly,
                    }
                    for n, (key, times, weekly) in enumerate(items)
                ],
                "modalities": [],
            },
        )
    return program


def _ticks(program: HomeProgram, by: Any, key: uuid.UUID, *days: tuple[int, int, int]) -> None:
    """Ticks of `key` as (month, day, sessions that day)."""
    version = program.versions.order_by("-number").first()
    assert version is not None
    Completion.objects.bulk_create(
        Completion(
            program=program,
            version=version,
            patient=program.episode.patient,
            item_key=key,
            day=dt.date(2026, month, day),
            session=session,
            recorded_at=timezone.now(),
            recorded_by=by,
        )
        for month, day, sessions in days
        for session in range(1, sessions + 1)
    )


def _old_recent_adherence(patients: Any, clinic: Any, today: dt.date) -> dict[int, int | None]:
    """The count before it moved into the database: every version and every tick of the window
    read into Python, then `adherence.by_exercise` per program."""
    first = today - dt.timedelta(days=13)
    versions: dict[int, list[ProgramVersion]] = defaultdict(list)
    owner: dict[int, int] = {}
    for version in (
        ProgramVersion.objects.filter(
            program__episode__patient__in=patients, program__episode__status="active"
        )
        .select_related("program__episode")
        .order_by("number")
    ):
        versions[version.program_id].append(version)
        owner[version.program_id] = version.program.episode.patient_id
    completions: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for program_id, key, day in Completion.objects.filter(
        program__episode__patient__in=patients,
        program__episode__status="active",
        day__range=(first, today),
    ).values_list("program_id", "item_key", "day"):
        if program_id in owner:
            completions[owner[program_id]].append((str(key), day))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for program_id, found in versions.items():
        patient_id = owner[program_id]
        plans = queries.item_plans(found, clinic)
        for tally in adherence.by_exercise(plans, completions[patient_id], first, today):
            totals[patient_id][0] += tally.done
            totals[patient_id][1] += tally.prescribed
    return {pid: adherence.percent(done, due) for pid, (done, due) in totals.items()}


@pytest.fixture
def caseload(clinic: Any, therapist: Any) -> dict[str, Patient]:
    clinic.timezone = "America/Chicago"
    clinic.low_adherence_percent = 50
    clinic.save()
    colleague = UserFactory(clinic=clinic)
    made: dict[str, Patient] = {}

    def patient(name: str, **fields: Any) -> Episode:
        fields.setdefault("clinic", clinic)
        fields.setdefault("primary_therapist", therapist)
        made[name] = PatientFactory(first_name=name, **fields)
        return EpisodeFactory(patient=made[name])

    early = dt.datetime(2026, 11, 1, 15, tzinfo=UTC)
    k1, k2, k3, k4, k5, k6 = (uuid.uuid4() for _ in range(6))

    # Ana: twice a day every day from 1 November (k1, once a day in the first version); k2
    # dropped by the second version, published on the evening of 23 November in Chicago (03:00
    # UTC on the 24th), which adds k3 twice a week (Mondays and Fridays) from the 23rd.
    # Due: k1 2 x 14 = 28, k3 on the 23rd, 27th and 30th = 3. Done: k1 2 + 1 + 2 (three
    # sessions count as two) + 1 = 6 (the 16th is before the window); k3 the 23rd and 24th = 2
    # (the 22nd is before it was prescribed; a tick on a day it was not due still counts).
    # 8 of 31: 26%.
    ana = _program(
        patient("Ana"),
        therapist,
        (early, [(k1, 1, 7), (k2, 2, 3)]),
        (dt.datetime(2026, 11, 24, 3, tzinfo=UTC), [(k1, 2, 7), (k3, 1, 2)]),
    )
    _ticks(ana, therapist, k1, (11, 16, 2), (11, 17, 2), (11, 18, 1), (11, 20, 3), (11, 30, 1))
    _ticks(ana, therapist, k2, (11, 18, 2))
    _ticks(ana, therapist, k3, (11, 22, 1), (11, 23, 1), (11, 24, 1), (12, 1, 1))

    # Ben, two programs: k4 three days a week (Monday, Wednesday, Saturday) from 20 November,
    # 5 due, 4 done; k5 every day, 14 due, none done. 4 of 19: 21%.
    ben = patient("Ben")
    first = _program(ben, therapist, (dt.datetime(2026, 11, 20, 18, tzinfo=UTC), [(k4, 1, 3)]))
    _ticks(first, therapist, k4, (11, 21, 1), (11, 23, 1), (11, 25, 1), (11, 28, 1))
    _program(ben, therapist, (early, [(k5, 1, 7)]))

    # Cal: the latest version lists nothing, so nothing is counted (Cal is left out).
    cal = _program(patient("Cal"), therapist, (early, [(k6, 1, 7)]), (early, []))
    _ticks(cal, therapist, k6, (11, 20, 1))

    # Dee: every day, all done (100%); Eve, unassigned, nothing done (0%).
    k7, k8, k9 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    dee = _program(patient("Dee"), therapist, (early, [(k7, 1, 7)]))
    _ticks(dee, therapist, k7, *((11, day, 1) for day in range(17, 31)))
    _program(patient("Eve", primary_therapist=None), therapist, (early, [(k8, 1, 7)]))

    # Fay: published after "today", nothing due yet (None).
    _program(patient("Fay"), therapist, (dt.datetime(2026, 12, 1, 15, tzinfo=UTC), [(k9, 1, 7)]))

    # Out of the queue: a discharged episode, a colleague's patient, another clinic's patient.
    gone = patient("Gus")
    gone.status, gone.discharged_on = Episode.Status.DISCHARGED, TODAY
    gone.save()
    _program(gone, therapist, (early, [(uuid.uuid4(), 1, 7)]))
    _program(patient("Hal", primary_therapist=colleague), therapist, (early, [(k1, 1, 7)]))
    elsewhere = ClinicFactory()
    _program(
        patient("Ida", clinic=elsewhere, primary_therapist=UserFactory(clinic=elsewhere)),
        therapist,
        (early, [(uuid.uuid4(), 1, 7)]),
    )
    return made


def test_the_shares_are_the_hand_counted_ones(caseload: dict[str, Patient], clinic: Any) -> None:
    p = caseload
    shares = recent_adherence(Patient.objects.filter(clinic=clinic), clinic, TODAY)
    assert shares == {
        p["Ana"].pk: 26,
        p["Ben"].pk: 21,
        p["Dee"].pk: 100,
        p["Eve"].pk: 0,
        p["Fay"].pk: None,
        p["Hal"].pk: 0,
    }
    assert shares == _old_recent_adherence(Patient.objects.filter(clinic=clinic), clinic, TODAY)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL count is PostgreSQL's")
def test_postgresql_counts_what_python_counts(caseload: dict[str, Patient], clinic: Any) -> None:
    patients = Patient.objects.filter(clinic=clinic)
    assert recent_adherence(patients, clinic, TODAY, in_sql=True) == recent_adherence(
        patients, clinic, TODAY, in_sql=False
    )
    some = [caseload["Ana"], caseload["Cal"], caseload["Hal"]]
    assert recent_adherence(some, clinic, TODAY, in_sql=True) == {
        caseload["Ana"].pk: 26,
        caseload["Hal"].pk: 0,
    }


def test_the_queue_lists_the_lowest_first_in_the_therapists_care(
    caseload: dict[str, Patient], therapist: Any
) -> None:
    p = caseload
    queue = low_adherence_queue(therapist, TODAY, 2)
    assert queue.count == 3
    assert [(item.patient, item.title) for item in queue.items] == [
        (p["Eve"], "0% done over 14 days"),
        (p["Ben"], "21% done over 14 days"),
    ]
    whole = low_adherence_queue(therapist, TODAY, None)
    assert [item.patient for item in whole.items] == [p["Eve"], p["Ben"], p["Ana"]]
    assert [item.url for item in whole.items] == [
        reverse("patients:chart", args=[p[name].pk]) for name in ("Eve", "Ben", "Ana")
    ]


def test_the_caseload_column_reads_the_page_only(
    caseload: dict[str, Patient], therapist: Any
) -> None:
    p = caseload
    page = [p["Ana"], p["Cal"], p["Fay"]]
    assert caseload_columns(therapist, page, TODAY) == {
        p["Ana"].pk: {"adherence": 26},
        p["Fay"].pk: {"adherence": None},
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL count is PostgreSQL's")
def test_the_queue_reads_the_same_rows_however_many_ticks(
    caseload: dict[str, Patient], therapist: Any
) -> None:
    """What adherence fetches grows with the caseload's items, not with its ticks: PostgreSQL
    counts them (elsewhere every tick of the window is read)."""
    with rows_read() as before:
        low_adherence_queue(therapist, TODAY, 5)
    dee = caseload["Dee"].episodes.get().home_programs.get()
    key = uuid.UUID(dee.versions.get().snapshot["items"][0]["key"])
    Completion.objects.filter(program=dee).delete()
    _ticks(dee, therapist, key, *((11, day, 4) for day in range(17, 31)))
    with rows_read() as after:
        queue = low_adherence_queue(therapist, TODAY, 5)
    assert queue.count == 3
    assert after == before
