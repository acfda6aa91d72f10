"""Forms for each note type. A note's content is the JSON rendering of these forms'
cleaned data: ``{"main": {...}, "<formset>": [{...}, ...]}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.db.models import Model
from django.forms import BaseFormSet, formset_factory

from assessments.bodychart import REGION_CHOICES
from assessments.instruments import Instrument
from assessments.models import Addendum, Note
from assessments.scoring import NA
from exercises.models import Modality
from rehab_clinic.accounts.limits import DYNAMOMETER_N, LONG_TEXT, URL, limited_formfield
from rehab_clinic.accounts.units import from_metres, to_metres

NPRS_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(11)]
YES_NO_UNKNOWN = [("", "Not asked"), ("no", "No"), ("yes", "Yes")]
QUALITY = [("", "Not tested"), ("good", "Good"), ("fair", "Fair"), ("poor", "Poor")]
SIDES = [("", "—"), ("right", "Right"), ("left", "Left")]
OBSERVED = [("", "Not assessed"), ("none", "None"), ("mild", "Mild"), ("marked", "Marked")]
MMT_CHOICES = [("", "—")] + [
    (g, g) for g in ["0", "1", "1+", "2-", "2", "2+", "3-", "3", "3+", "4-", "4", "4+", "5-", "5"]
]
SPECIAL_TESTS = [
    (
        "Achilles and calf",
        [
            ("arc_sign", "Arc sign"),
            ("royal_london", "Royal London Hospital test"),
            ("calf_squeeze", "Calf squeeze (Thompson)"),
        ],
    ),
    (
        "Knee",
        [
            ("noble", "Noble compression"),
            ("ober", "Ober"),
            ("patellar_grind", "Patellar grind"),
            ("pf_squat", "Pain on squatting"),
        ],
    ),
    (
        "Hip and buttock",
        [
            ("fader_r", "FADER-R"),
            ("resisted_derotation", "Resisted external derotation"),
            ("sls_30", "30-second single-leg stance"),
            ("puranen_orava", "Puranen-Orava"),
            ("bent_knee_stretch", "Modified bent-knee stretch"),
            ("active_30_90", "Active 30/90"),
        ],
    ),
    (
        "Shin and foot",
        [
            ("hop_pain", "Single-leg hop pain"),
            ("windlass", "Windlass"),
            ("calcaneal_squeeze", "Calcaneal squeeze"),
        ],
    ),
]


def _num(label: str, lo: int, hi: int, **kw: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=lo, max_value=hi, required=False, **kw)


def _text(label: str, rows: int = 2, **kw: Any) -> forms.CharField:
    kw.setdefault("max_length", LONG_TEXT)
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kw
    )


def _nprs(label: str, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=NPRS_CHOICES, coerce=int, empty_value=None, required=required
    )


class NoteForm(forms.Form):
    """Base: each subclass lists its sections for the layout and for the read-only view."""

    sections: ClassVar[list[tuple[str, list[str]]]] = []
    tables_before: ClassVar[str | None] = None
    """The section the repeating tables (ROM, strength...) are shown before; None: at the end."""

    visit_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, unit: str = "km", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        parts: list[Any] = []
        tables = HTML('{% include "assessments/_formsets.html" %}')
        for title, names in self.sections:
            if title == self.tables_before:
                parts.append(tables)
            parts.append(Fieldset(title, *self._with_chart(names)))
        if self.tables_before is None:
            parts.append(tables)
        self.helper.layout = Layout(*parts)

    @staticmethod
    def _with_chart(names: list[str]) -> list[Any]:
        # The clickable drawing sits just before the region checkboxes it drives.
        items: list[Any] = []
        for name in names:
            if name == "pain_regions":
                items.append(HTML('<div class="bodychart-wrap">{{ bodychart }}</div>'))
            items.append(name)
        return items

    @classmethod
    def to_content(cls, cleaned: dict[str, Any], unit: str) -> dict[str, Any]:
        return {k: to_json(v) for k, v in cleaned.items() if k != "visit_date"}

    @classmethod
    def initial_from_content(cls, main: dict[str, Any], unit: str) -> dict[str, Any]:
        return dict(main)


class IntakeForm(NoteForm):
    tables_before = "Functional tests"
    sections: ClassVar[list[tuple[str, list[str]]]] = [
        (
            "Running history",
            [
                "visit_date",
                "weekly_distance",
                "runs_per_week",
                "longest_run",
                "usual_pace",
                "years_running",
                "shoes",
                "shoe_age_km",
                "training_changes",
                "training_change_notes",
                "races_goals",
                "previous_injuries",
            ],
        ),
        (
            "Pain",
            [
                "nprs_now",
                "nprs_best",
                "nprs_worst",
                "pain_regions",
                "pain_behaviour",
                "morning_stiffness_minutes",
                "aggravating",
                "easing",
                "irritability",
            ],
        ),
        (
            "Bone health and energy screening",
            ["menstrual_changes", "restricted_eating", "previous_bone_stress", "bone_health_notes"],
        ),
        ("Red flags", ["red_flags", "red_flag_notes"]),
        (
            "Functional tests",
            [
                "heel_raise_right",
                "heel_raise_left",
                "squat_quality_right",
                "squat_quality_left",
                "step_down_quality_right",
                "step_down_quality_left",
                "hops_right",
                "hops_left",
            ],
        ),
        (
            "Gait assessment",
            [
                "cadence",
                "foot_strike",
                "overstride",
                "pelvic_drop",
                "hip_adduction",
                "knee_valgus",
                "trunk_lean",
                "crossover",
                "gait_notes",
                "video_link",
            ],
        ),
        (
            "Assessment and plan",
            [
                "diagnosis",
                "problem_list",
                "short_term_goals",
                "short_term_target",
                "long_term_goals",
                "long_term_target",
                "visits_per_week",
                "duration_weeks",
                "planned_interventions",
            ],
        ),
    ]

    weekly_distance = forms.DecimalField(
        label="Weekly distance",
        min_value=0,
        max_value=250,  # km or mi a week, as on the patient form
        max_digits=6,
        decimal_places=1,
        required=False,
    )
    runs_per_week = _num("Runs per week", 0, 21)
    longest_run = forms.DecimalField(
        label="Longest run",
        min_value=0,
        max_value=160,
        max_digits=6,
        decimal_places=1,
        required=False,
    )
    usual_pace = forms.CharField(label="Usual pace", max_length=40, required=False)
    years_running = _num("Years running", 0, 80)
    shoes = forms.CharField(label="Shoes (model)", max_length=120, required=False)
    shoe_age_km = _num("Shoe mileage (km)", 0, 5000)
    training_changes = forms.MultipleChoiceField(
        label="Recent training changes",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("volume", "Volume"),
            ("intensity", "Intensity"),
            ("hills", "Hills"),
            ("surface", "Surface"),
            ("shoes", "Shoes"),
        ],
    )
    training_change_notes = _text("Training change details")
    races_goals = _text("Races and goals")
    previous_injuries = _text("Previous injuries")

    nprs_now = _nprs("Pain now (NPRS 0-10)", required=True)
    nprs_best = _nprs("Best in last 24 h")
    nprs_worst = _nprs("Worst in last 24 h")
    pain_regions = forms.MultipleChoiceField(
        label="Pain location",
        required=False,
        choices=REGION_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "bodychart-input"}),
    )
    pain_behaviour = _text("24-hour behaviour")
    morning_stiffness_minutes = _num("Morning stiffness (minutes)", 0, 600)
    aggravating = _text("Aggravating factors")
    easing = _text("Easing factors")
    irritability = forms.ChoiceField(
        label="Irritability",
        required=False,
        choices=[("", "—"), ("low", "Low"), ("moderate", "Moderate"), ("high", "High")],
    )
    menstrual_changes = forms.ChoiceField(
        label="Missed or irregular periods", choices=YES_NO_UNKNOWN, required=False
    )
    restricted_eating = forms.ChoiceField(
        label="Restricted eating or low energy intake", choices=YES_NO_UNKNOWN, required=False
    )
    previous_bone_stress = forms.ChoiceField(
        label="Previous bone stress injury", choices=YES_NO_UNKNOWN, required=False
    )
    bone_health_notes = _text("Screening notes")
    red_flags = forms.MultipleChoiceField(
        label="Red flags present",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("night_pain", "Unremitting night pain"),
            ("weight_loss", "Unexplained weight loss"),
            ("fever", "Fever or feeling unwell"),
            ("neuro", "Numbness, weakness or bladder/bowel change"),
            ("cancer_history", "History of cancer"),
            ("trauma", "Significant trauma"),
        ],
    )
    red_flag_notes = _text("Red flag notes")

    heel_raise_right = _num("Heel raises to fatigue, right", 0, 200)
    heel_raise_left = _num("Heel raises to fatigue, left", 0, 200)
    squat_quality_right = forms.ChoiceField(
        label="Single-leg squat, right", choices=QUALITY, required=False
    )
    squat_quality_left = forms.ChoiceField(
        label="Single-leg squat, left", choices=QUALITY, required=False
    )
    step_down_quality_right = forms.ChoiceField(
        label="Step-down, right", choices=QUALITY, required=False
    )
    step_down_quality_left = forms.ChoiceField(
        label="Step-down, left", choices=QUALITY, required=False
    )
    hops_right = _num("Pain-free single-leg hops, right", 0, 500)
    hops_left = _num("Pain-free single-leg hops, left", 0, 500)

    cadence = _num("Cadence (steps/min)", 100, 240)
    foot_strike = forms.ChoiceField(
        label="Foot strike",
        required=False,
        choices=[
            ("", "—"),
            ("rearfoot", "Rearfoot"),
            ("midfoot", "Midfoot"),
            ("forefoot", "Forefoot"),
        ],
    )
    overstride = forms.ChoiceField(label="Overstride", choices=OBSERVED, required=False)
    pelvic_drop = forms.ChoiceField(
        label="Contralateral pelvic drop", choices=OBSERVED, required=False
    )
    hip_adduction = forms.ChoiceField(label="Hip adduction", choices=OBSERVED, required=False)
    knee_valgus = forms.ChoiceField(label="Knee valgus", choices=OBSERVED, required=False)
    trunk_lean = forms.ChoiceField(label="Trunk lean", choices=OBSERVED, required=False)
    crossover = forms.ChoiceField(label="Crossover", choices=OBSERVED, required=False)
    gait_notes = _text("Gait notes")
    video_link = forms.URLField(
        label="Video link", required=False, assume_scheme="https", max_length=URL
    )

    diagnosis = forms.CharField(label="Diagnosis (refined)", max_length=200, required=False)
    problem_list = _text("Problem list", 3)
    short_term_goals = _text("Short-term goals")
    short_term_target = forms.DateField(
        label="Short-term target date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    long_term_goals = _text("Long-term goals")
    long_term_target = forms.DateField(
        label="Long-term target date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    visits_per_week = _num("Planned visits per week", 0, 7)
    duration_weeks = _num("Planned duration (weeks)", 0, 52)
    planned_interventions = _text("Planned interventions", 3)

    DISTANCES: ClassVar[tuple[str, ...]] = ("weekly_distance", "longest_run")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.DISTANCES:
            self.fields[name].label = f"{self.fields[name].label} ({self.unit})"

    @classmethod
    def to_content(cls, cleaned: dict[str, Any], unit: str) -> dict[str, Any]:
        """Distances are stored in metres whatever unit the clinic types them in."""
        content = super().to_content(cleaned, unit)
        for name in cls.DISTANCES:
            value = content.pop(name, None)
            content[f"{name}_m"] = None if value in (None, "") else to_metres(Decimal(value), unit)
        return content

    @classmethod
    def initial_from_content(cls, main: dict[str, Any], unit: str) -> dict[str, Any]:
        initial = dict(main)
        for name in cls.DISTANCES:
            metres = initial.pop(f"{name}_m", None)
            if metres is not None:
                initial[name] = from_metres(metres, unit).quantize(Decimal("0.1"))
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        best, now, worst = data.get("nprs_best"), data.get("nprs_now"), data.get("nprs_worst")
        if best is not None and worst is not None and best > worst:
            self.add_error("nprs_best", "Best pain cannot be higher than worst pain.")
        if now is not None and worst is not None and now > worst:
            self.add_error("nprs_worst", "Worst pain in 24 h cannot be lower than pain now.")
        return data


class DailyForm(NoteForm):
    sections: ClassVar[list[tuple[str, list[str]]]] = [
        ("Subjective", ["visit_date", "pain_now", "subjective"]),
        ("Objective", ["interventions", "exercises_in_clinic", "objective"]),
        ("Assessment", ["response"]),
        ("Plan", ["plan"]),
    ]
    pain_now = _nprs("Pain now (NPRS 0-10)", required=True)
    subjective = _text("Subjective", 3)
    interventions = _text("Interventions performed", 3)
    exercises_in_clinic = _text("Exercises done in clinic", 3)
    objective = _text("Objective findings", 2)
    response = _text("Response to treatment", 2)
    plan = _text("Plan", 2)


class ProgressForm(NoteForm):
    sections: ClassVar[list[tuple[str, list[str]]]] = [
        ("Subjective", ["visit_date", "pain_now", "subjective"]),
        ("Objective", ["objective"]),
        ("Assessment", ["assessment", "goal_progress"]),
        ("Plan", ["plan"]),
    ]
    pain_now = _nprs("Pain now (NPRS 0-10)", required=True)
    subjective = _text("Subjective", 3)
    objective = _text("Objective re-test", 3)
    assessment = _text("Assessment", 3)
    goal_progress = _text("Progress toward goals", 2)
    plan = _text("Plan", 2)


class DischargeForm(NoteForm):
    sections: ClassVar[list[tuple[str, list[str]]]] = [
        ("Summary", ["visit_date", "pain_now", "summary", "discharge_reason"]),
        ("Outcome", ["goals_met", "recommendations"]),
    ]
    pain_now = _nprs("Pain now (NPRS 0-10)", required=True)
    summary = _text("Course of care", 4)
    discharge_reason = forms.CharField(max_length=300, required=False)
    goals_met = _text("Goals met", 2)
    recommendations = _text("Home program and recommendations", 3)


def _bootstrap(form: forms.Form, *, small: bool = False) -> None:
    """Bootstrap classes for forms rendered field by field (not through crispy)."""
    size = "-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = f"form-select form-select{size}"
        else:
            css = f"form-control form-control{size}"
        widget.attrs["class"] = css


class RowForm(forms.Form):
    """A row of a repeating table; ``user`` scopes any library choices."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _bootstrap(self, small=True)


class RomRowForm(RowForm):
    joint = forms.ChoiceField(
        required=False,
        choices=[
            ("", "—"),
            ("hip", "Hip"),
            ("knee", "Knee"),
            ("ankle", "Ankle"),
            ("first_mtp", "1st MTP"),
            ("lumbar", "Lumbar spine"),
        ],
    )
    movement = forms.CharField(max_length=60, required=False)
    side = forms.ChoiceField(choices=SIDES, required=False)
    degrees = forms.IntegerField(min_value=-90, max_value=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("joint") and data.get("degrees") is None:
            self.add_error("degrees", "Enter the measured degrees.")
        return data


class StrengthRowForm(RowForm):
    muscle_group = forms.CharField(max_length=60, required=False)
    mmt_right = forms.ChoiceField(label="MMT right", choices=MMT_CHOICES, required=False)
    mmt_left = forms.ChoiceField(label="MMT left", choices=MMT_CHOICES, required=False)
    dynamometer_right = forms.DecimalField(
        label="Dynamometer right (N)",
        min_value=0,
        max_value=DYNAMOMETER_N,
        max_digits=7,
        decimal_places=1,
        required=False,
    )
    dynamometer_left = forms.DecimalField(
        label="Dynamometer left (N)",
        min_value=0,
        max_value=DYNAMOMETER_N,
        max_digits=7,
        decimal_places=1,
        required=False,
    )


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
        if data.get("modality") and not data.get("contraindications_checked"):
            self.add_error(
                "contraindications_checked",
                "Confirm you checked the contraindications before applying this modality.",
            )
        return data


def _formset(form: type[forms.Form], extra: int) -> type[BaseFormSet]:
    return formset_factory(form, extra=extra, max_num=30, validate_max=True)


FORMS: dict[str, type[NoteForm]] = {
    Note.Kind.INTAKE: IntakeForm,
    Note.Kind.DAILY: DailyForm,
    Note.Kind.PROGRESS: ProgressForm,
    Note.Kind.REEVAL: ProgressForm,
    Note.Kind.DISCHARGE: DischargeForm,
}

FORMSETS: dict[str, list[tuple[str, str, type[BaseFormSet]]]] = {
    Note.Kind.INTAKE: [
        ("rom", "Range of motion", _formset(RomRowForm, 2)),
        ("strength", "Strength", _formset(StrengthRowForm, 2)),
        ("special_tests", "Special tests", _formset(SpecialTestRowForm, 2)),
    ],
    Note.Kind.DAILY: [("modalities", "Modalities applied", _formset(ModalityRowForm, 1))],
}


def to_json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


class AddendumForm(forms.ModelForm):
    class Meta:
        formfield_callback = limited_formfield
        model = Addendum
        fields = ["kind", "reason", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class WithholdForm(forms.Form):
    reason = forms.CharField(label="Reason for withholding from the patient portal", max_length=300)


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
