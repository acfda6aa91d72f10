"""The report's filters: a period and, optionally, one therapist's patients."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from patients.dates import EARLIEST_YEAR
from patients.outcome_report import ReportFilters
from rehab_clinic.accounts.models import User

LONGEST_PERIOD_DAYS = 5 * 366


class ReportFilterForm(forms.Form):
    start = forms.DateField(label="Discharged from", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Discharged to", widget=forms.DateInput(attrs={"type": "date"}))
    therapist = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="All therapists",
        help_text="The patients whose primary therapist this is.",
    )

    def __init__(self, *args: Any, clinic_id: int, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        therapist = cast("forms.ModelChoiceField[User]", self.fields["therapist"])
        therapist.queryset = User.objects.filter(
            clinic_id=clinic_id, role=User.Role.THERAPIST
        ).order_by("full_name", "id")
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The period cannot end before it starts.")
            elif (end - start).days > LONGEST_PERIOD_DAYS:
                self.add_error("end", "Choose a period of five years or less.")
        for name in ("start", "end"):
            if (day := data.get(name)) and day.year < EARLIEST_YEAR:
                self.add_error(name, f"Check the year: dates before {EARLIEST_YEAR} hold nothing.")
        if end and end > self.today:
            self.add_error("end", "This date is in the future: discharges to date only.")
        return data

    def filters(self) -> ReportFilters:
        therapist = self.cleaned_data.get("therapist")
        return ReportFilters(
            start=self.cleaned_data["start"],
            end=self.cleaned_data["end"],
            therapist_id=therapist.pk if therapist else None,
        )


def default_period(today: dt.date) -> dict[str, str]:
    """The last twelve months, from the first of the month eleven months ago."""
    year, month = (
        (today.year, today.month - 11)
        if today.month > 11
        else (
            today.year - 1,
            today.month + 1,
        )
    )
    return {"start": dt.date(year, month, 1).isoformat(), "end": today.isoformat()}
