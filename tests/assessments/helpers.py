"""Small builders for charting tests (plain functions over the services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assessments.models import Note
from assessments.services import record_outcome, save_note, start_note

LEFS_50 = {f"q{n}": (3 if n <= 10 else 2) for n in range(1, 21)}


def intake(episode: Any, by: Any, *, signed: bool = False, day: dt.date | None = None) -> Note:
    note = start_note(episode=episode, kind=Note.Kind.INTAKE, by=by)
    note = save_note(
        note=note,
        content={"main": {"nprs_now": 6, "cadence": 160, "diagnosis": "Achilles tendinopathy"}},
        visit_date=day or dt.date(2026, 1, 5),
        by=by,
        pain_now=6,
    )
    record_outcome(episode=episode, instrument_code="lefs", answers=LEFS_50, by=by, note=note)
    if signed:
        note.sign(by=by)
    return note


def daily(episode: Any, by: Any, *, pain: int = 4, day: dt.date, signed: bool = True) -> Note:
    note = start_note(episode=episode, kind=Note.Kind.DAILY, by=by)
    note = save_note(
        note=note,
        content={"main": {"pain_now": pain, "subjective": "Better", "plan": "Continue"}},
        visit_date=day,
        by=by,
        pain_now=pain,
    )
    if signed:
        note.sign(by=by)
    return note
