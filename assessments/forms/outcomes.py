"""Outcome-measure forms: one radio group per item, assignment, the clinic's MCIDs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from assessments.forms.fields import _bootstrap
from assessments.instruments import Instrument
from assessments.scoring import NA


class AssignOutcomeForm(forms.Form):
    instrument = forms.ChoiceField(choices=[])
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, instruments: dict[str, Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [  # type: ignore[attr-defined]
            (c, i.name) for c, i in instruments.items()
        ]
        _bootstrap(self)


def outcome_form_class(instrument: Instrument, *, require_all: bool = False) -> type[forms.Form]:
    """A form with one radio group per item of ``instrument`` (N/A where the item allows it)."""
    fields: dict[str, forms.Field] = {}
    for item in instrument.items:
        choices = [(str(o.value), f"{o.value}: {o.label}") for o in item.response_set.options]
        if item.response_set.allows_na:
            choices.append((NA, "Not applicable"))
        fields[item.code] = forms.ChoiceField(
            label=item.label,
            choices=choices,
            required=require_all and item.show_when is None,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        )
    fields["taken_on"] = forms.DateField(
        label="Date completed", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    return type(f"{instrument.code.title()}Form", (forms.Form,), fields)


class McidForm(forms.Form):
    """One MCID per instrument subscale for the clinic (blank keeps the published default)."""

    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[row["key"]] = forms.DecimalField(
                label=f"{row['instrument'].name}: {row['subscale'].label}",
                min_value=Decimal("0.01"),
                max_digits=6,
                decimal_places=2,
                required=False,
                initial=row["value"],
                help_text=f"Published default {row['default']:g}"
                + ("" if row["instrument"].mcid_verified else " (unverified: please review)"),
            )
