"""The main form of each note type; its sections drive the layout and the read-only view."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.forms import BaseFormSet
from django.utils.text import slugify

from assessments.bodychart import REGION_CHOICES
from assessments.forms.fields import (
    OBSERVED,
    QUALITY,
    YES_NO_UNKNOWN,
    _decimal,
    _nprs,
    _num,
    _text,
    to_json,
)
from assessments.forms.session import SessionTimesMixin
from assessments.models import Note
from patients.dates import ClinicalDatesMixin
from rehab_clinic.accounts.limits import URL
from rehab_clinic.accounts.units import from_metres, to_metres

if TYPE_CHECKING:
    from patients.models import Patient


class NoteForm(ClinicalDatesMixin, forms.Form):
    """Base: each subclass lists its sections for the layout and for the read-only view."""

    sections: ClassVar[list[tuple[str, list[str]]]] = []
    tables_before: ClassVar[str | None] = None
    """The section the repeating tables (ROM, strength...) are shown before; None: at the end."""

    visit_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self, *args: Any, unit: str = "km", patient: Patient | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.patient = patient
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        parts: list[Any] = []
        tables = HTML('{% include "assessments/_formsets.html" %}')
        self.section_links: list[tuple[str, str]] = []
        """(anchor, title) of each section, in page order, for the sticky section list."""
        for title, names in self.sections:
            if title == self.tables_before:
                parts.append(tables)
                self.section_links.append(("tables", ""))
            anchor = f"section-{slugify(title)}"
            parts.append(Fieldset(title, *self._with_chart(names), css_id=anchor))
            self.section_links.append((anchor, title))
        if self.tables_before is None:
            parts.append(tables)
            self.section_links.append(("tables", ""))
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

    def check_tables(self, tables: dict[str, BaseFormSet[forms.Form]]) -> None:
        """Checks across the form and its tables (errors beside the fields concerned)."""

    @classmethod
    def initial_from_content(cls, main: dict[str, Any], unit: str) -> dict[str, Any]:
        return dict(main)


class IntakeForm(NoteForm):
    tables_before = "Functional tests"
    planned_dates = frozenset({"short_term_target", "long_term_target"})
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
                "shoe_mileage",
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

    weekly_distance = _decimal("Weekly distance", 250)  # km or mi a week, as on the patient form
    runs_per_week = _num("Runs per week", 0, 21)
    longest_run = _decimal("Longest run", 160)
    usual_pace = forms.CharField(label="Usual pace", max_length=40, required=False)
    years_running = _num("Years running", 0, 80)
    shoes = forms.CharField(label="Shoes (model)", max_length=120, required=False)
    shoe_mileage = _num("Shoe mileage", 0, 5000)
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
        widget=forms.CheckboxSelectMultiple,
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
    UNIT_FIELDS: ClassVar[tuple[str, ...]] = (*DISTANCES, "shoe_mileage")
    """Typed and shown in the clinic's unit (km or mi)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.UNIT_FIELDS:
            self.fields[name].label = f"{self.fields[name].label} ({self.unit})"

    @classmethod
    def to_content(cls, cleaned: dict[str, Any], unit: str) -> dict[str, Any]:
        """Distances are stored in metres whatever unit the clinic types them in."""
        content = super().to_content(cleaned, unit)
        for name in cls.DISTANCES:
            value = content.pop(name, None)
            content[f"{name}_m"] = None if value in (None, "") else to_metres(Decimal(value), unit)
        # Shoe mileage is kept in km, as on the patient's running profile.
        shoes = content.pop("shoe_mileage", None)
        content["shoe_age_km"] = (
            None if shoes in (None, "") else round(to_metres(Decimal(shoes), unit) / 1000)
        )
        return content

    @classmethod
    def initial_from_content(cls, main: dict[str, Any], unit: str) -> dict[str, Any]:
        initial = dict(main)
        for name in cls.DISTANCES:
            metres = initial.pop(f"{name}_m", None)
            if metres is not None:
                initial[name] = from_metres(metres, unit).quantize(Decimal("0.1"))
        km = initial.pop("shoe_age_km", None)
        if km is not None:
            initial["shoe_mileage"] = round(from_metres(Decimal(km) * 1000, unit))
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        best, now, worst = data.get("nprs_best"), data.get("nprs_now"), data.get("nprs_worst")
        if best is not None and worst is not None and best > worst:
            self.add_error("nprs_best", "Best pain cannot be higher than worst pain.")
        if now is not None and worst is not None and now > worst:
            self.add_error("nprs_worst", "Worst pain in 24 h cannot be lower than pain now.")
        return data


class DailyForm(SessionTimesMixin, NoteForm):
    sections: ClassVar[list[tuple[str, list[str]]]] = [
        ("Subjective", ["visit_date", "pain_now", "subjective"]),
        ("Objective", ["interventions", "exercises_in_clinic", "objective"]),
        ("Assessment", ["response"]),
        ("Plan", ["plan"]),
        ("Session time", ["time_in", "time_out"]),
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


FORMS: dict[str, type[NoteForm]] = {
    Note.Kind.INTAKE: IntakeForm,
    Note.Kind.DAILY: DailyForm,
    Note.Kind.PROGRESS: ProgressForm,
    Note.Kind.REEVAL: ProgressForm,
    Note.Kind.DISCHARGE: DischargeForm,
}
