"""Forms used on a saved note: addenda and portal release."""

from __future__ import annotations

from django import forms

from assessments.models import Addendum
from rehab_clinic.accounts.limits import limited_formfield


class AddendumForm(forms.ModelForm[Addendum]):
    class Meta:
        formfield_callback = limited_formfield
        model = Addendum
        fields = ["kind", "reason", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class WithholdForm(forms.Form):
    reason = forms.CharField(label="Reason for withholding from the patient portal", max_length=300)


class StrikeOutcomeForm(forms.Form):
    reason = forms.CharField(label="Why was it recorded in error?", max_length=300)


class PatientSummaryForm(forms.Form):
    """The plain-language summary, in the patient's words (no grades, newtons or test names)."""

    found = forms.CharField(
        label="What we found", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    plan = forms.CharField(
        label="What we will do", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    home = forms.CharField(
        label="What you do at home", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
