"""Form fields the return-to-run forms share: pain scores, minutes, distances in the clinic's unit
and dates that may not lie in the future, each with an error message a runner understands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q

if TYPE_CHECKING:
    from patients.models import Episode, EpisodeQuerySet
    from rehab_clinic.accounts.models import User


class EpisodeChoiceField(forms.ModelChoiceField["Episode"]):
    def label_from_instance(self, obj: Episode) -> str:
        return f"{obj.patient.full_name}: {obj.label}"


# How many episodes a drop-down lists at most: a therapist's own caseload, not the clinic's.
EPISODE_CHOICE_LIMIT = 100
EPISODE_CHOICE_HELP = (
    "Your patients' active episodes (up to {limit}). For a colleague's patient, start from the "
    "patient's episode page."
)


def episode_options(
    episodes: EpisodeQuerySet, *, user: User, wanted: int | None, posted: object
) -> EpisodeQuerySet:
    """What an episode drop-down lists, bounded by what is shown: the one a link or a submitted
    form names (still checked against `episodes`, the visible ones), else the therapist's own."""
    chosen = str(posted) if posted is not None else ""
    if chosen.isascii() and chosen.isdigit():
        return episodes.filter(pk=int(chosen))
    if wanted is not None:
        return episodes.filter(pk=wanted)
    own = episodes.filter(
        Q(patient__primary_therapist=user) | Q(patient__primary_therapist__isnull=True)
    ).order_by("patient__last_name", "patient__first_name", "pk")
    return episodes.filter(pk__in=list(own.values_list("pk", flat=True)[:EPISODE_CHOICE_LIMIT]))


PAIN_HELP = "0 = no pain, 10 = worst pain imaginable."


def pain_field(label: str, *, required: bool = True, help_text: str = PAIN_HELP) -> forms.Field:
    message = "Enter a whole number from 0 (no pain) to 10 (worst imaginable)."
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        required=required,
        help_text=help_text,
        error_messages={
            "min_value": message,
            "max_value": message,
            "invalid": message,
            "required": "Enter a number from 0 to 10.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def minutes_field(label: str, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(600),
        max_digits=5,
        decimal_places=1,
        error_messages={
            "min_value": "Minutes cannot be negative.",
            "max_value": "That is more than 10 hours: check the number of minutes.",
            "invalid": "Enter minutes as a number, for example 24 or 24.5.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )


def distance_field(unit: str, label: str, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label} ({unit})",
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=6,
        decimal_places=2,
        error_messages={
            "min_value": "Distance cannot be negative.",
            "max_value": f"That is more than 100 {unit}: check the distance.",
            "invalid": f"Enter the distance in {unit} as a number, for example 1.5.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


class NotInFutureDateField(forms.DateField):
    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)
        self.today = today
        self.widget.attrs["max"] = today.isoformat()

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value > self.today:
            raise forms.ValidationError(
                self.error_messages.get(
                    "future", "This date is in the future. Log a session after you have done it."
                ),
                code="future",
            )
