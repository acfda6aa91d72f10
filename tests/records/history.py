"""A patient with two years of history, built through the services (tests/builders.py): for the
record export's tests and its benchmark (bench/record_export.py).

Episodes spread over 730 days, the older ones discharged; each with a signed intake (pain,
cadence, diagnosis, LEFS), then weekly signed daily notes with the pain of the day and a LEFS
every fourth; a published home program with a month of ticks; on the current episode a return
to run plan with a run logged every other day.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime, time, timedelta
from typing import Any

from assessments.services import record_outcome
from patients.models import Patient
from patients.services import discharge_episode
from programs.home.models import Completion, ProgramVersion
from rehab_clinic.records.export_services import make_export
from tests.builders import LEFS_50, daily, intake, log_run, make_plan, make_program
from tests.factories import EpisodeFactory

DAYS = 730
INJURIES = ("Achilles tendinopathy", "Patellofemoral pain", "Plantar heel pain")


def _ticks(version: ProgramVersion, patient: Patient, first: dt.date, days: int) -> int:
    rows = [
        Completion(
            program_id=version.program_id,
            version=version,
            patient=patient,
            item_key=item["key"],
            day=first + timedelta(days=n),
            session=1,
            recorded_at=datetime.combine(first + timedelta(days=n), time(8), dt.UTC),
            recorded_by=patient.user,
        )
        for n in range(days)
        for item in version.items
        if n % 3 != 2
    ]
    Completion.objects.bulk_create(rows)
    return len(rows)


def two_year_history(
    patient: Patient, therapist: Any, *, episodes: int = 3, notes: int = 40, runs: int = 100
) -> Patient:
    """`notes` signed notes over `episodes` episodes and `runs` runs on the last one."""
    today = patient.clinic.today()
    start = today - timedelta(days=DAYS)
    span = DAYS // episodes
    per_episode = max(1, notes // episodes)
    for number in range(episodes):
        current = number == episodes - 1
        opened = start + timedelta(days=number * span)
        episode = EpisodeFactory(
            patient=patient, label=f"{INJURIES[number % len(INJURIES)]}, episode {number + 1}"
        )
        intake(episode, therapist, signed=True, day=opened)
        count = notes - per_episode * (episodes - 1) if current else per_episode
        for week in range(1, count):
            day = opened + timedelta(days=7 * week)
            daily(episode, therapist, pain=max(0, 6 - week // 3), day=min(day, today))
            if week % 4 == 0:
                record_outcome(
                    episode=episode, instrument_code="lefs", answers=LEFS_50, by=therapist,
                    taken_on=min(day, today),
                )  # fmt: skip
        program = make_program(episode, therapist, items=3, modality=number == 0)
        version = program.versions.get()
        _ticks(version, patient, opened + timedelta(days=1), 30)
        if current and runs:
            plan = make_plan(episode, therapist, started_on=today - timedelta(days=2 * runs + 2))
            for run in range(runs):
                day = today - timedelta(days=2 * (runs - run))
                log_run(plan, patient.user, day, notes=f"Run {run + 1} felt steady")
        if not current:
            discharge_episode(
                episode=episode, on=opened + timedelta(days=span - 30), reason="Goals met",
                by=therapist,
            )  # fmt: skip
    return patient


def run_export(export: Any, token: str = "test-worker") -> Any:  # noqa: S107 - a task id
    """What the worker does with the export's message, here and now; the export reloaded."""
    make_export(export.pk, token=token)
    export.refresh_from_db()
    return export
