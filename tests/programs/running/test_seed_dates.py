"""The demo's return-to-run history reads on the days it happened: the chart's timeline dates
Maya's stage changes on the runs and check-ins behind them, not on the day the seed ran."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from patients.hooks import timeline_for
from patients.models import Patient
from programs.running.log_models import MorningCheckIn, SessionLog
from programs.running.seed import MAYA_RUNS

pytestmark = pytest.mark.django_db


def test_the_seeded_runs_and_stage_changes_are_dated_when_they_happened() -> None:
    call_command("seed_demo")
    maya = Patient.objects.get(user__email="patient@demo.clinic")
    zone = maya.clinic.zone
    today = maya.clinic.today()
    run_days = {today - dt.timedelta(days=days_ago) for days_ago, *_ in MAYA_RUNS}
    logs = SessionLog.objects.filter(plan__episode__patient=maya)
    assert {timezone.localtime(log.created_at, zone).date() for log in logs} == run_days
    check_ins = MorningCheckIn.objects.filter(plan__episode__patient=maya)
    assert {timezone.localtime(c.created_at, zone).date() for c in check_ins} == {
        day + dt.timedelta(days=1) for day in run_days
    }
    entries = [e for e in timeline_for(maya) if e.title.startswith("Return to run: stage")]
    days = [timezone.localtime(e.when, zone).date() for e in entries]
    assert len(days) == 4
    assert today not in days
    # The step back came with the run above her ceiling, ten days ago.
    step_back = next(e for e in entries if "3 → 2" in e.title)
    assert timezone.localtime(step_back.when, zone).date() == today - dt.timedelta(days=10)
