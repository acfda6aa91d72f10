"""Outcome-measure forms: one radio group per item, assignment, the clinic's MCIDs."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms

from assessments.forms.fields import _bootstrap
from assessments.scoring import NA, Instrument, ScoringError, is_shown, score_instrument
from patients.dates import ClinicalDatesMixin

if TYPE_CHECKING:
    from patients.models import Patient


class AssignOutcomeForm(ClinicalDatesMixin, forms.Form):
    planned_dates = frozenset({"due_on"})
    instrument = forms.ChoiceField(choices=[])
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self,
        *args: Any,
        instruments: dict[str, Instrument],
        patient: Patient | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["instrument"].choices = [  # type: ignore[attr-defined]
            (c, i.name) for c, i in instruments.items()
        ]
        _bootstrap(self)


class OutcomeForm(ClinicalDatesMixin, forms.Form):
    """Base of every questionnaire form: refused until complete enough to score, naming the
    items left unanswered beside them and at the top (the answers stay on the page)."""

    instrument: ClassVar[Instrument]

    def __init__(self, *args: Any, patient: Patient | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient

    def answers(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "taken_on"}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        answers = {k: v for k, v in data.items() if k != "taken_on" and v not in (None, "")}
        try:
            result = score_instrument(self.instrument, answers)
        except ScoringError as exc:
            raise forms.ValidationError(str(exc)) from exc
        for code, subscale_score in result.subscales.items():
            if subscale_score.valid:
                continue
            subscale = self.instrument.subscale(code)
            missing = [
                self.instrument.item(item_code)
                for item_code in subscale.item_codes
                if item_code not in answers and is_shown(self.instrument.item(item_code), answers)
            ]
            for item in missing:
                if item.code not in self.errors:  # one message per field
                    self.add_error(item.code, "Not answered yet.")
            labels = "; ".join(item.label for item in missing)
            self.add_error(
                None,
                f"{subscale.label} cannot be scored yet ({subscale_score.reason}). "
                f"Not answered: {labels}.",
            )
        return data


def outcome_form_class(instrument: Instrument, *, require_all: bool = False) -> type[OutcomeForm]:
    """A form with one radio group per item of ``instrument`` (N/A where the item allows it)."""
    fields: dict[str, Any] = {"instrument": instrument}
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
    return type(f"{instrument.code.title()}Form", (OutcomeForm,), fields)


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


class ScheduleForm(forms.Form):
    """When each questionnaire is due: at intake, every so many days, at discharge."""

    def __init__(self, *args: Any, rules: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = list(rules)
        for code, rule in rules.items():
            name = rule["name"]
            self.fields[f"{code}__at_intake"] = forms.BooleanField(
                label=f"{name}: due at intake", required=False, initial=rule["at_intake"]
            )
            self.fields[f"{code}__every_days"] = forms.IntegerField(
                label=f"{name}: then every (days)",
                min_value=1,
                max_value=365,
                required=False,
                initial=rule["every_days"],
                help_text="Leave blank for no repeat.",
            )
            self.fields[f"{code}__at_discharge"] = forms.BooleanField(
                label=f"{name}: due at discharge", required=False, initial=rule["at_discharge"]
            )

    def rules(self) -> dict[str, tuple[bool, int | None, bool]]:
        data = self.cleaned_data
        return {
            code: (
                data[f"{code}__at_intake"],
                data[f"{code}__every_days"],
                data[f"{code}__at_discharge"],
            )
            for code in self.codes
        }
