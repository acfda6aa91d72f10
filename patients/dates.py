"""Which clinical dates are believable: one rule for every date a person types into a chart.

A date that records something that happened (a visit, a questionnaire, an onset, a discharge, a
birth) cannot be in the future at the clinic, before the patient was born, or before 1900. A
date that plans something (a goal's target, a race, a questionnaire's due date) may be ahead,
but not absurdly far, and not before the patient was born or 1900 either.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.utils import timezone

EARLIEST_YEAR = 1900
PLANNED_YEARS_AHEAD = 5


def date_problem(
    day: dt.date, *, today: dt.date, born: dt.date | None = None, planned: bool = False
) -> str | None:
    """Why ``day`` cannot be right, in words for the person typing it; None when it can."""
    if day.year < EARLIEST_YEAR:
        return f"Check the year: dates before {EARLIEST_YEAR} are not accepted."
    if born is not None and day < born:
        return f"This date is before the patient's date of birth ({born.isoformat()})."
    if planned:
        limit = today.replace(year=today.year + PLANNED_YEARS_AHEAD, day=min(today.day, 28))
        if day > limit:
            return f"Check the year: more than {PLANNED_YEARS_AHEAD} years ahead."
    elif day > today:
        return "This date is in the future: enter the day it happened."
    return None


class ClinicalDatesMixin:
    """Form mixin: checks every ``DateField`` of the form in ``clean()`` and puts the message
    beside the field. Fields named in ``planned_dates`` may be ahead of today; every other date
    field, including one added later, records an event and may not."""

    planned_dates: ClassVar[frozenset[str]] = frozenset()
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def clinic_today(self) -> dt.date:
        patient = getattr(self, "patient", None)
        clinic = getattr(self, "clinic", None) or getattr(patient, "clinic", None)
        return clinic.today() if clinic is not None else timezone.localdate()

    def date_of_birth(self) -> dt.date | None:
        patient = getattr(self, "patient", None)
        return getattr(patient, "date_of_birth", None)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        today, born = self.clinic_today(), self.date_of_birth()
        for name, field in self.fields.items():
            value = data.get(name)
            if isinstance(field, forms.DateField) and isinstance(value, dt.date):
                problem = date_problem(
                    value, today=today, born=born, planned=name in self.planned_dates
                )
                if problem:
                    self.add_error(name, problem)  # type: ignore[attr-defined]
        return data
