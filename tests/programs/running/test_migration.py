"""Migration 0006 keeps the plans made before drafts existed live, and attaches existing
check-ins to the run the day before."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import EpisodeFactory

BEFORE = [("programs", "0005_program_version_frozen")]
AFTER = [("programs", "0006_return_to_run_signs_drafts_and_limits")]


@pytest.mark.django_db(transaction=True)
def test_active_plans_stay_active_and_check_ins_attach_to_their_run(
    therapist: Any, patient: Any
) -> None:
    episode = EpisodeFactory(patient=patient)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        plan = old.get_model("programs", "ReturnToRunPlan").objects.create(
            episode_id=episode.pk,
            name="Ladder",
            status="active",
            created_by_id=therapist.pk,
            started_on=dt.date(2026, 11, 1),
        )
        run_day = dt.date(2026, 11, 3)
        old.get_model("programs", "SessionLog").objects.create(
            plan_id=plan.pk,
            date=run_day,
            stage_number=1,
            pain_during=1,
            pain_after=1,
            logged_by_id=therapist.pk,
        )
        check_ins = old.get_model("programs", "MorningCheckIn").objects
        check_ins.create(
            plan_id=plan.pk,
            date=run_day + dt.timedelta(days=1),
            pain=0,
            stiffness=0,
            logged_by_id=therapist.pk,
        )
        check_ins.create(
            plan_id=plan.pk,
            date=dt.date(2026, 11, 9),
            pain=0,
            stiffness=0,
            logged_by_id=therapist.pk,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from programs.running.log_models import MorningCheckIn
    from programs.running.models import ReturnToRunPlan

    migrated = ReturnToRunPlan.objects.get(pk=plan.pk)
    assert migrated.status == ReturnToRunPlan.Status.ACTIVE
    assert migrated.started_by_id == therapist.pk
    assert migrated.started_at is not None
    attached = dict(MorningCheckIn.objects.values_list("date", "session_log__date"))
    assert attached == {run_day + dt.timedelta(days=1): run_day, dt.date(2026, 11, 9): None}
    assert ReturnToRunPlan().status == ReturnToRunPlan.Status.DRAFT  # new plans are drafts
