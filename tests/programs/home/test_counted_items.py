"""Each program version keeps what adherence counts of its items (`ProgramVersion.counted`), so
that Today and the caseload never read the snapshots with their drawings."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import InternalError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from programs.home.models import HomeProgram, ProgramVersion, counted_items
from programs.home.recent import recent_adherence
from tests.factories import EpisodeFactory

BEFORE = [("programs", "0014_return_to_run_flags_newest_first_index")]
AFTER = [("programs", "0015_programversion_counted")]
TRIGGER = "program_version_frozen"
KEY = uuid.UUID("7b0c1f9e-2f55-4a53-9a51-3d8f2f0f6a11")


def _snapshot(times: int = 2, weekly: int = 5) -> dict[str, Any]:
    return {
        "title": "Home exercise program",
        "items": [
            {
                "key": str(KEY),
                "name": "Calf raise",
                "instructions": "Rise onto the balls of both feet.",
                "illustration_svg": "<svg>" + "x" * 40_000 + "</svg>",
                "times_per_day": times,
                "days_per_week": weekly,
            }
        ],
        "modalities": [],
    }


def _version(
    program: HomeProgram, by: Any, snapshot: dict[str, Any], days_ago: int = 0
) -> ProgramVersion:
    return ProgramVersion.objects.create(
        program=program,
        number=1,
        snapshot=snapshot,
        published_at=timezone.now() - dt.timedelta(days=days_ago),
        published_by=by,
    )


@pytest.mark.django_db
def test_a_new_version_stores_the_counted_fields_of_each_item(therapist: Any) -> None:
    program = HomeProgram.objects.create(episode=EpisodeFactory(), created_by=therapist)
    version = _version(program, therapist, _snapshot())
    version.refresh_from_db()
    assert version.counted == [
        {"key": str(KEY), "name": "Calf raise", "times_per_day": 2, "days_per_week": 5}
    ]
    assert counted_items({"items": []}) == []


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL count is PostgreSQL's")
def test_the_caseload_count_reads_the_counted_fields_not_the_snapshot(
    therapist: Any,
) -> None:
    episode = EpisodeFactory()
    program = HomeProgram.objects.create(episode=episode, created_by=therapist)
    version = _version(program, therapist, _snapshot(times=1, weekly=7), days_ago=30)
    # Were the snapshot read, three times a day would be due (42 in 14 days, not 14). The
    # trigger that freezes a published version is lifted for this test's transaction only.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
        cursor.execute(f"ALTER TABLE {ProgramVersion._meta.db_table} DISABLE TRIGGER {TRIGGER}")
        ProgramVersion.objects.filter(pk=version.pk).update(snapshot=_snapshot(times=3))
        cursor.execute(f"ALTER TABLE {ProgramVersion._meta.db_table} ENABLE TRIGGER {TRIGGER}")
    today = episode.patient.clinic.today()
    program.completions.create(
        version=version,
        patient=episode.patient,
        item_key=KEY,
        day=today,
        session=1,
        recorded_at=timezone.now(),
        recorded_by=therapist,
    )
    shares = recent_adherence([episode.patient], episode.patient.clinic, today)
    assert shares == {episode.patient.pk: 7}  # 1 of 14 sessions


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_counted_fields_are_frozen_with_the_snapshot(therapist: Any) -> None:
    program = HomeProgram.objects.create(episode=EpisodeFactory(), created_by=therapist)
    version = _version(program, therapist, _snapshot())
    with pytest.raises(InternalError, match="cannot be changed"), transaction.atomic():
        ProgramVersion.objects.filter(pk=version.pk).update(counted=[])


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_versions_published_before_it(therapist: Any) -> None:
    episode = EpisodeFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        program = old.get_model("programs", "HomeProgram").objects.create(
            episode_id=episode.pk, created_by_id=therapist.pk
        )
        old.get_model("programs", "ProgramVersion").objects.create(
            program_id=program.pk,
            number=1,
            snapshot=_snapshot(times=3, weekly=4),
            published_at=timezone.now(),
            published_by_id=therapist.pk,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    [counted] = ProgramVersion.objects.values_list("counted", flat=True)
    assert counted == [
        {"key": str(KEY), "name": "Calf raise", "times_per_day": 3, "days_per_week": 4}
    ]
