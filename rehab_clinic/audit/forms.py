from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from rehab_clinic.audit.models import AuditEvent

SORTS = {
    "newest": "-occurred_at",
    "oldest": "occurred_at",
    "user": "user_email",
    "action": "action",
}


# The trail cannot hold events outside these years; a date outside them is a typing slip (and
# 9999-12-31 plus a day does not exist).
_EARLIEST, _LATEST = date(2000, 1, 1), date(2199, 12, 31)
_DATE_RANGE = [
    MinValueValidator(_EARLIEST, "Enter a date from 2000 onwards."),
    MaxValueValidator(_LATEST, "Enter a date before 2200."),
]


class AuditFilterForm(forms.Form):
    start = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=_DATE_RANGE,
    )
    end = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=_DATE_RANGE,
    )
    user: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Anyone"
    )
    patient: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any patient"
    )
    action = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *AuditEvent.Action.choices]
    )
    outcome = forms.ChoiceField(
        required=False, choices=[("", "Any outcome"), *AuditEvent.Outcome.choices]
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("user", "User"),
            ("action", "Action"),
        ],
    )

    def __init__(self, *args: Any, users: Any, patients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["patient"].queryset = patients  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be on or after the start date.")
        return data

    def apply(self, events: Any, tz: Any) -> Any:
        data = self.cleaned_data
        if data.get("start"):
            events = events.filter(occurred_at__gte=datetime.combine(data["start"], time.min, tz))
        if data.get("end"):
            events = events.filter(
                occurred_at__lt=datetime.combine(data["end"] + timedelta(days=1), time.min, tz)
            )
        if data.get("user"):
            events = events.filter(user=data["user"])
        if data.get("patient"):
            events = events.filter(patient=data["patient"])
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("outcome"):
            events = events.filter(outcome=data["outcome"])
        return events.order_by(SORTS.get(data.get("sort") or "newest", "-occurred_at"), "-id")
