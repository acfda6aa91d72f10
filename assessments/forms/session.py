"""Time in and time out of a visit, and the checks that the treatment minutes fit in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms import BaseFormSet

from assessments.forms.fields import _time


def session_minutes(start: dt.time, end: dt.time) -> int:
    """Whole minutes from time in to time out, on the same day."""
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


class SessionTimesMixin(forms.Form):
    """For a note whose ``minutes`` table (forms.tables.MinutesRowForm) is billed by time."""

    time_in = _time("Time in")
    time_out = _time("Time out")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("time_in"), data.get("time_out")
        if start is not None and end is not None and end <= start:
            self.add_error("time_out", "Time out must be after time in (on the same day).")
        return data

    def check_tables(self, tables: dict[str, BaseFormSet[forms.Form]]) -> None:
        """Each line's minutes, and the timed minutes together, fit between time in and out."""
        formset = tables.get("minutes")
        if formset is None:
            return
        rows = [
            row
            for row in formset.forms
            if row.is_valid()
            and row.cleaned_data.get("code")
            and not row.cleaned_data.get("DELETE")
        ]
        if not rows or {"time_in", "time_out"} & set(self.errors):
            return
        start, end = self.cleaned_data.get("time_in"), self.cleaned_data.get("time_out")
        if start is None or end is None:
            self.add_error(
                "time_in" if start is None else "time_out",
                "Enter time in and time out: the treatment minutes must fit in the session.",
            )
            return
        session = session_minutes(start, end)
        for row in rows:
            if (row.cleaned_data.get("minutes") or 0) > session:
                row.add_error(
                    "minutes", f"More than the {session} minutes from time in to time out."
                )
        timed = sum(
            row.cleaned_data.get("minutes") or 0
            for row in rows
            if row.cleaned_data.get("timed") and "minutes" in row.cleaned_data
        )
        if timed > session:
            self.add_error(
                "time_out",
                f"The timed minutes add up to {timed}, more than the {session} minutes from "
                "time in to time out.",
            )
