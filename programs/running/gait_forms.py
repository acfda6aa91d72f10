"""Forms for gait retraining: the prescription and a retest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from patients.models import Episode
from programs.running.fields import EpisodeChoiceField, NotInFutureDateField
from programs.running.gait import increase_warning
from programs.running.gait_models import GaitRetrainingPrescription
from rehab_clinic.accounts.limits import LONG_TEXT


class GaitPrescriptionForm(forms.Form):
    episode = EpisodeChoiceField(queryset=Episode.objects.none(), label="Episode of care")
    baseline_cadence = forms.IntegerField(
        label="Baseline cadence (steps/min)", min_value=100, max_value=250
    )
    increase_pct = forms.DecimalField(
        label="Increase (%)",
        min_value=Decimal(0),
        max_value=Decimal(20),
        decimal_places=1,
        initial=Decimal("7.5"),
        help_text="Studies used +5% to +10% (Heiderscheit 2011); +7.5% in Willy 2016.",
    )
    cue_type = forms.ChoiceField(choices=GaitRetrainingPrescription.Cue.choices)
    cues = forms.CharField(
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One cue a line, for example 'Quick, light steps'.",
    )
    baseline_notes = forms.CharField(
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Baseline notes (foot strike, overstride, pelvic drop...)",
    )
    sessions = forms.IntegerField(min_value=1, max_value=30, initial=8)
    start_minutes = forms.IntegerField(min_value=1, max_value=90, initial=15)
    end_minutes = forms.IntegerField(min_value=1, max_value=90, initial=30)

    def __init__(self, *args: Any, episodes: QuerySet[Episode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(EpisodeChoiceField, self.fields["episode"]).queryset = episodes
        self.warning: str | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_minutes"), data.get("end_minutes")
        if start is not None and end is not None and end < start:
            self.add_error(
                "end_minutes",
                "The last session cannot be shorter than the first: the minutes build up.",
            )
        if data.get("increase_pct") is not None:
            self.warning = increase_warning(data["increase_pct"])
        return data


class GaitRetestForm(forms.Form):
    date = forms.DateField()
    cadence = forms.IntegerField(label="Cadence (steps/min)", min_value=100, max_value=250)
    notes = forms.CharField(
        required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, today: dt.date, earliest: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest
        self.fields["date"] = NotInFutureDateField(today=today, initial=today, label="Date")
        self.fields["date"].widget.attrs["min"] = earliest.isoformat()

    def clean_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["date"]
        if value < self.earliest:
            raise forms.ValidationError(
                f"This date is before this gait prescription was made "
                f"({self.earliest:%d %b %Y}): the retest compares with its baseline."
            )
        return value
