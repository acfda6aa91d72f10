"""Repeating rows of a note: range of motion, strength, special tests, modalities."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BaseFormSet, formset_factory

from assessments.billing_codes import active_codes
from assessments.forms.fields import (
    MMT_CHOICES,
    ROM_CHOICES,
    SIDES,
    SPECIAL_TESTS,
    _bootstrap,
    _decimal,
    _nprs,
)
from assessments.hops import HOP_TESTS
from assessments.models import Note
from exercises.models import Modality
from rehab_clinic.accounts.limits import DYNAMOMETER_N

HOP_MAX = 2_000
"""Centimetres of a hop for distance (a triple jump record is under 1,900 cm), or seconds."""

MAX_SESSION_MINUTES = 600
"""Ten hours: more than any visit, so a typo (a time typed into minutes) is caught."""

if TYPE_CHECKING:
    from patients.models import Patient
    from rehab_clinic.accounts.models import User


class RowForm(forms.Form):
    """A row of a repeating table; ``user`` scopes any library choices."""

    def __init__(
        self, *args: Any, user: User | None = None, patient: Patient | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.patient = patient
        _bootstrap(self, small=True)


class RomRowForm(RowForm):
    """One movement, right and left side by side; the option shows the typical adult range."""

    motion = forms.ChoiceField(label="Movement", required=False, choices=ROM_CHOICES)
    right = forms.IntegerField(label="Right (°)", min_value=-90, max_value=200, required=False)
    left = forms.IntegerField(label="Left (°)", min_value=-90, max_value=200, required=False)
    how = forms.CharField(label="Position or notes", max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        measured = data.get("right") is not None or data.get("left") is not None
        if data.get("DELETE"):
            return data
        if data.get("motion") and not measured and not self.errors:
            self.add_error("right", "Enter the degrees measured on at least one side.")
        elif measured and not data.get("motion") and "motion" not in self.errors:
            self.add_error("motion", "Choose the movement these degrees were measured for.")
        return data


class StrengthRowForm(RowForm):
    muscle_group = forms.CharField(max_length=60, required=False)
    mmt_right = forms.ChoiceField(label="MMT right", choices=MMT_CHOICES, required=False)
    mmt_left = forms.ChoiceField(label="MMT left", choices=MMT_CHOICES, required=False)
    dynamometer_right = _decimal("Dynamometer right (N)", DYNAMOMETER_N, digits=7)
    dynamometer_left = _decimal("Dynamometer left (N)", DYNAMOMETER_N, digits=7)


class SpecialTestRowForm(RowForm):
    test = forms.ChoiceField(choices=[("", "—"), *SPECIAL_TESTS], required=False)
    side = forms.ChoiceField(choices=SIDES, required=False)
    result = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("positive", "Positive"),
            ("negative", "Negative"),
            ("equivocal", "Equivocal"),
        ],
        required=False,
    )
    pain = _nprs("Pain (NPRS)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("test") and not data.get("result"):
            self.add_error("result", "Choose a result.")
        return data


class ModalityRowForm(RowForm):
    modality = forms.ModelChoiceField(queryset=Modality.objects.none(), required=False)
    parameters = forms.CharField(
        max_length=200, required=False, help_text="Dose as applied, e.g. 100 Hz, 20 min."
    )
    minutes = forms.IntegerField(min_value=0, max_value=120, required=False)
    contraindications_checked = forms.BooleanField(
        label="Contraindications checked", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.user is not None:
            field = self.fields["modality"]
            field.queryset = Modality.objects.visible_to(self.user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("DELETE"):
            return data
        if data.get("modality") and not data.get("contraindications_checked"):
            self.add_error(
                "contraindications_checked",
                "Confirm you checked the contraindications before applying this modality.",
            )
        elif not data.get("modality") and "modality" not in self.errors:
            entered = data.get("parameters") or data.get("minutes") is not None
            if entered or data.get("contraindications_checked"):
                self.add_error(
                    "modality", "Choose the modality these parameters were applied with."
                )
        return data


class MinutesRowForm(RowForm):
    """One procedure code of the visit and the minutes spent on it; the codes are the clinic's
    list (`BillingCode`), and the row keeps the code's label and timed flag as on the day."""

    code = forms.ChoiceField(label="Code", required=False)
    minutes = forms.IntegerField(
        label="Minutes spent",  # not just "Minutes": the modalities table has that column
        min_value=0,
        max_value=MAX_SESSION_MINUTES,
        required=False,
        error_messages={"min_value": "Minutes cannot be negative."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clinic_id = self.patient.clinic_id if self.patient is not None else None
        self.codes = {c.code: c for c in active_codes(clinic_id)} if clinic_id else {}
        field = self.fields["code"]
        field.choices = [("", "—")] + [  # type: ignore[attr-defined]
            (c.code, f"{c.code} {c.label}" + ("" if c.timed else " (untimed)"))
            for c in self.codes.values()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("DELETE"):
            return data
        code = self.codes.get(data.get("code") or "")
        if code is None:
            if data.get("minutes") is not None and "code" not in self.errors:
                self.add_error("code", "Choose the code these minutes were spent on.")
            return data
        if code.timed and data.get("minutes") is None and "minutes" not in self.errors:
            self.add_error("minutes", f"Enter the minutes of {code.label.lower()}: it is timed.")
        data["code_name"] = f"{code.code} {code.label}"
        data["timed"] = code.timed
        return data


class HopRowForm(RowForm):
    """One hop test, both limbs: distance in cm, or time in seconds for the 6 m timed hop."""

    test = forms.ChoiceField(
        label="Hop", choices=[("", "—"), *((t.code, t.label) for t in HOP_TESTS)], required=False
    )
    right = forms.DecimalField(
        label="Right",
        min_value=Decimal("0.01"),
        max_value=HOP_MAX,
        max_digits=6,
        decimal_places=2,
        required=False,
    )
    left = forms.DecimalField(
        label="Left",
        min_value=Decimal("0.01"),
        max_value=HOP_MAX,
        max_digits=6,
        decimal_places=2,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("test") and not data.get("DELETE"):
            for side in ("right", "left"):
                if data.get(side) is None and side not in self.errors:
                    self.add_error(
                        side, f"Enter the {side} limb's result (cm, or s for the timed hop)."
                    )
        return data


def _formset(form: type[forms.Form], extra: int) -> type[BaseFormSet[forms.Form]]:
    # Rows are added in the page (no save needed) and removed with their "Remove" box.
    return formset_factory(form, extra=extra, max_num=30, validate_max=True, can_delete=True)


FORMSETS: dict[str, list[tuple[str, str, type[BaseFormSet[forms.Form]]]]] = {
    Note.Kind.INTAKE: [
        ("rom", "Range of motion", _formset(RomRowForm, 2)),
        ("strength", "Strength", _formset(StrengthRowForm, 2)),
        ("special_tests", "Special tests", _formset(SpecialTestRowForm, 2)),
        ("hops", "Hop tests", _formset(HopRowForm, 1)),
    ],
    Note.Kind.DAILY: [
        ("modalities", "Modalities applied", _formset(ModalityRowForm, 1)),
        ("minutes", "Treatment minutes and codes", _formset(MinutesRowForm, 2)),
    ],
    Note.Kind.PROGRESS: [("hops", "Hop tests", _formset(HopRowForm, 1))],
    Note.Kind.REEVAL: [("hops", "Hop tests", _formset(HopRowForm, 1))],
}
