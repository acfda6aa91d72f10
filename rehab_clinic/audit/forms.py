from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.urls import reverse

from rehab_clinic.audit.models import AuditEvent

if TYPE_CHECKING:
    from patients.models import Patient, PatientQuerySet
    from rehab_clinic.accounts.models import User

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


SEARCH_MAX = 100


def matching_users(users: QuerySet[User], text: str) -> QuerySet[User]:
    """Users whose name or email holds every word of `text` (an exact email matches too)."""
    words = text.split()
    for word in words:
        users = users.filter(Q(full_name__icontains=word) | Q(email__icontains=word))
    return users if words else users.none()


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
    # Typed, not chosen from a list: a clinic has thousands of patients and users. The page
    # suggests matches as you type (`suggest` views, a <datalist>); without JavaScript the text
    # is a plain search. `user` and `patient` (ids, hidden) are for links to one person's trail.
    user_q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX,
        label="User",
        help_text="Name or email",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "audit-user-options"}),
    )
    patient_q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX,
        label="Patient",
        help_text="Name or MRN",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "audit-patient-options"}),
    )
    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput
    )
    patient: forms.ModelChoiceField[Patient] = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput
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

    def __init__(
        self, *args: Any, users: QuerySet[User], patients: PatientQuerySet, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.users, self.patients = users, patients
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["patient"].queryset = patients  # type: ignore[attr-defined]
        suggest = {"user_q": "audit:suggest_users", "patient_q": "audit:suggest_patients"}
        for name, url in suggest.items():
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse(url),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": f"#{self.fields[name].widget.attrs['list']}",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                }
            )

        # The classes crispy's Bootstrap 5 pack gave these widgets (the report renders the
        # fields with a plain include, `audit/_filter_field.html`).
        for field in self.fields.values():
            kind = {forms.DateInput: "dateinput form-control", forms.Select: "select form-select"}
            css = next((c for w, c in kind.items() if isinstance(field.widget, w)), None)
            if isinstance(field.widget, forms.TextInput) and css is None:
                css = "textinput form-control"
            if css:
                field.widget.attrs["class"] = css

    def mark_errors(self) -> None:
        """Mark the widgets of fields with errors as crispy did: invalid, described by the
        error."""
        if not self.is_bound:
            return
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"

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
        if data.get("user_q"):
            events = events.filter(user__in=matching_users(self.users, data["user_q"]))
        if data.get("patient_q"):
            events = events.filter(patient__in=self.patients.search(data["patient_q"]))
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("outcome"):
            events = events.filter(outcome=data["outcome"])
        return events.order_by(SORTS.get(data.get("sort") or "newest", "-occurred_at"), "-id")
