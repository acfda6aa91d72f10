"""The clinic admin's page of billing codes: one row per code, and blank rows to add codes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import BaseFormSet, formset_factory

from assessments.billing_codes import BillingCode, code_format
from assessments.forms.fields import _bootstrap


class BillingCodeForm(forms.Form):
    """A code the clinic has (its number fixed, shown read-only) or a new one."""

    id = forms.IntegerField(
        widget=forms.HiddenInput, required=False, disabled=True, min_value=1, max_value=2**31 - 1
    )
    code = forms.CharField(
        label="Code", max_length=5, required=False, validators=[code_format], strip=True
    )
    label = forms.CharField(label="Service", max_length=80, required=False)
    timed = forms.BooleanField(label="Timed (15-minute units)", required=False, initial=True)
    active = forms.BooleanField(label="Offered on notes", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.initial.get("id"):
            self.fields["code"].disabled = True
        _bootstrap(self, small=True)

    @property
    def is_new(self) -> bool:
        return not self.initial.get("id")

    def clean_code(self) -> str:
        return str(self.cleaned_data.get("code") or "").upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_new and not data.get("code") and not data.get("label"):
            return data  # a blank row for a new code, left blank
        if not data.get("code") and "code" not in self.errors:
            self.add_error("code", "Enter the code, such as 97110.")
        if not data.get("label"):
            self.add_error("label", "Say what the code is for, such as Therapeutic exercise.")
        return data


class BaseBillingCodeFormSet(BaseFormSet[BillingCodeForm]):
    def clean(self) -> None:
        seen = {str(form.initial.get("code")) for form in self.forms if not form.is_new}
        for form in self.forms:
            code = getattr(form, "cleaned_data", {}).get("code")
            if not form.is_new or not code:
                continue
            if code in seen:
                form.add_error("code", f"{code} is on the list already.")
            seen.add(code)

    def rows(self) -> list[dict[str, Any]]:
        """What the service stores: every existing code, and each new row filled in."""
        return [
            {
                name: form.cleaned_data.get(name)
                for name in ("id", "code", "label", "timed", "active")
            }
            for form in self.forms
            if form.cleaned_data.get("code")
        ]


BillingCodeFormSet = formset_factory(
    BillingCodeForm, formset=BaseBillingCodeFormSet, extra=3, max_num=200, validate_max=True
)


def billing_code_formset(codes: list[BillingCode], data: Any = None) -> BaseBillingCodeFormSet:
    """The clinic's codes, in its order, then blank rows (built the same way on GET and POST,
    so a code's number comes from the database, never from what was posted)."""
    initial = [
        {"id": c.pk, "code": c.code, "label": c.label, "timed": c.timed, "active": c.active}
        for c in codes
    ]
    # formset_factory builds a subclass of BaseBillingCodeFormSet; its stub says BaseFormSet.
    return cast(BaseBillingCodeFormSet, BillingCodeFormSet(data, initial=initial, prefix="codes"))
