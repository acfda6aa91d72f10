from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from patients.dates import ClinicalDatesMixin
from patients.models import Episode, Patient
from rehab_clinic.accounts.form_markup import PythonWidgets
from rehab_clinic.accounts.limits import limited_formfield
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.units import from_metres, to_metres

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic

_PACE_HELP = "Minutes and seconds, for example 5:30."

# Each helper has form_tag = False: the templates write their own <form> (CSRF, novalidate,
# enctype), and crispy's would nest inside it (the Nu HTML Checker, tests/html/).


def _parse_pace(text: str) -> int:
    minutes, _, seconds = text.strip().partition(":")
    try:
        total = int(minutes) * 60 + int(seconds or 0)
    except ValueError:
        raise forms.ValidationError(
            "Write the pace as minutes:seconds, for example 5:30."
        ) from None
    if not 0 <= int(seconds or 0) < 60:
        raise forms.ValidationError("Seconds must be between 0 and 59.")
    return total


class PatientForm(ClinicalDatesMixin, forms.ModelForm[Patient]):
    """Demographics and the running profile. Distances are typed in the clinic's unit."""

    planned_dates = frozenset({"goal_race_date"})

    weekly_distance = forms.DecimalField(
        required=False, min_value=Decimal(0), max_value=Decimal(250), decimal_places=1
    )
    longest_run = forms.DecimalField(
        required=False, min_value=Decimal(0), max_value=Decimal(160), decimal_places=1
    )
    usual_pace = forms.CharField(required=False, max_length=6, help_text=_PACE_HELP)

    class Meta:
        formfield_callback = limited_formfield
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "mrn",
            "email",
            "phone",
            "address",
            "emergency_contact",
            "primary_therapist",
            "runs_per_week",
            "years_running",
            "goal_race",
            "goal_race_date",
            "shoes",
            "shoe_age_km",
            "surfaces",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "goal_race_date": forms.DateInput(attrs={"type": "date"}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        unit = clinic.distance_unit
        self.fields["weekly_distance"].label = f"Weekly distance ({unit})"
        self.fields["longest_run"].label = f"Longest recent run ({unit})"
        self.fields["usual_pace"].label = f"Usual easy pace (per {unit})"
        if not self.instance.pk:
            self.fields["mrn"].required = False
            prefix = clinic.mrn_prefix
            self.fields[
                "mrn"
            ].help_text = f"Leave blank to number it automatically ({prefix}000123)."
        therapists = User.objects.filter(clinic=clinic, role=User.Role.THERAPIST, is_active=True)
        self.fields["primary_therapist"].queryset = therapists  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            patient = self.instance
            if patient.weekly_distance_m is not None:
                self.initial["weekly_distance"] = round(
                    from_metres(patient.weekly_distance_m, unit), 1
                )
            if patient.longest_run_m is not None:
                self.initial["longest_run"] = round(from_metres(patient.longest_run_m, unit), 1)
            if patient.usual_pace_s_per_km:
                factor = 1.609344 if unit == "mi" else 1
                per_unit = round(patient.usual_pace_s_per_km * factor)
                self.initial["usual_pace"] = f"{per_unit // 60}:{per_unit % 60:02d}"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "Patient",
                "first_name",
                "last_name",
                "date_of_birth",
                "sex",
                "mrn",
                "primary_therapist",
            ),
            Fieldset("Contact", "email", "phone", "address", "emergency_contact"),
            Fieldset(
                "Running profile",
                "weekly_distance",
                "runs_per_week",
                "longest_run",
                "usual_pace",
                "years_running",
                "goal_race",
                "goal_race_date",
                "shoes",
                "shoe_age_km",
                "surfaces",
            ),
            Submit("save", "Save patient"),
        )

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if born and born.year < 1900:
            raise forms.ValidationError("Check the year of birth.")
        return born

    def date_of_birth(self) -> Any:
        # A goal race cannot be before the birth date typed in this same form.
        typed = self.cleaned_data.get("date_of_birth")
        return typed or (self.instance.date_of_birth if self.instance.pk else None)

    def clean_mrn(self) -> str:
        mrn: str = self.cleaned_data["mrn"].strip()
        if not mrn:
            if self.instance.pk:
                raise forms.ValidationError("A patient's record number cannot be removed.")
            return mrn  # numbered by patients.services.save_patient
        clash = Patient.objects.filter(clinic=self.clinic, mrn__iexact=mrn)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another patient at this clinic has this record number.")
        return str(mrn)

    def clean_usual_pace(self) -> int | None:
        text = self.cleaned_data.get("usual_pace", "")
        if not text:
            return None
        seconds = _parse_pace(text)
        factor = 1.609344 if self.clinic.distance_unit == "mi" else 1
        if not 120 <= seconds / factor <= 1200:
            raise forms.ValidationError("That pace is outside what a runner would do; check it.")
        return seconds

    def save(self, commit: bool = True) -> Patient:
        patient: Patient = super().save(commit=False)
        patient.clinic = self.clinic
        unit = self.clinic.distance_unit
        weekly = self.cleaned_data.get("weekly_distance")
        longest = self.cleaned_data.get("longest_run")
        pace = self.cleaned_data.get("usual_pace")
        patient.weekly_distance_m = to_metres(weekly, unit) if weekly is not None else None
        patient.longest_run_m = to_metres(longest, unit) if longest is not None else None
        if pace:
            per_km = pace / (1.609344 if unit == "mi" else 1)
            patient.usual_pace_s_per_km = round(per_km)
        else:
            patient.usual_pace_s_per_km = None
        if commit:
            patient.save()
        return patient


class PatientContactForm(forms.ModelForm[Patient]):
    """What a patient may change about themselves in the portal. The page draws it with
    `|bs5_form` (crispy's markup without crispy's templates) and its own button."""

    default_renderer = PythonWidgets()

    class Meta:
        formfield_callback = limited_formfield
        model = Patient
        fields = ["email", "phone", "address", "emergency_contact"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class EpisodeForm(ClinicalDatesMixin, forms.ModelForm[Episode]):
    planned_dates = frozenset({"next_visit"})

    class Meta:
        formfield_callback = limited_formfield
        model = Episode
        fields = [
            "label",
            "icd10_code",
            "side",
            "seventh_character",
            "onset_date",
            "mechanism",
            "referral_source",
            "next_visit",
        ]
        widgets = {
            "onset_date": forms.DateInput(attrs={"type": "date"}),
            "next_visit": forms.DateInput(attrs={"type": "date"}),
            "mechanism": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "label": "In the clinic's words, e.g. “Achilles tendinopathy, right”.",
            "seventh_character": "Needed for stress fractures (M84.3-) and other injury codes.",
            "next_visit": "The next visit you planned; the caseload shows it.",
        }

    def __init__(self, *args: Any, patient: Patient | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient or (self.instance.patient if self.instance.patient_id else None)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", "Save episode"))

    def clean_icd10_code(self) -> str:
        return str(self.cleaned_data["icd10_code"]).strip().upper()

    def clean_onset_date(self) -> Any:
        onset = self.cleaned_data.get("onset_date")
        if onset and onset > timezone.localdate():
            raise forms.ValidationError("The onset date cannot be in the future.")
        return onset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        onset, discharged = data.get("onset_date"), self.instance.discharged_on
        if onset and discharged and onset > discharged:
            self.add_error(
                "onset_date",
                f"The onset cannot be after the discharge ({discharged.isoformat()}).",
            )
        code = data.get("icd10_code", "")
        if code.startswith("M84.3") and not data.get("seventh_character"):
            self.add_error(
                "seventh_character", "Stress fracture codes need a 7th character (e.g. A)."
            )
        return data


class DischargeForm(ClinicalDatesMixin, forms.Form):
    discharged_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.patient = episode.patient
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("discharge", "Discharge episode", css_class="btn-warning"))

    def clean_discharged_on(self) -> Any:
        day = self.cleaned_data["discharged_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The discharge date cannot be in the future.")
        if self.episode.onset_date and day < self.episode.onset_date:
            raise forms.ValidationError("The discharge date cannot be before the onset date.")
        return day


class ArchiveForm(forms.Form):
    reason = forms.CharField(max_length=200)


class CaseloadSearchForm(forms.Form):
    """The caseload's search box. CharField refuses NUL bytes (PostgreSQL cannot compare them)."""

    q = forms.CharField(required=False, max_length=100)
