"""The plan-of-care forms: a goal, and the episode's certification period and physician."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from patients.dates import ClinicalDatesMixin
from patients.goals import MeasureOption, measure_options
from patients.models import CareGoal, Episode
from rehab_clinic.accounts.limits import limited_formfield


class CareGoalForm(ClinicalDatesMixin, forms.ModelForm[CareGoal]):
    planned_dates = frozenset({"target_date"})

    link = forms.ChoiceField(
        label="Measured by",
        required=False,
        help_text="Link the goal to a measure and its status follows the latest value.",
    )

    class Meta:
        formfield_callback = limited_formfield
        model = CareGoal
        fields = ["term", "text", "target_date", "link", "target_value", "direction"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "target_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"target_value": "Target value"}
        help_texts = {
            "text": "Functional, measurable and time-bound, e.g. “Run 30 min continuously "
            "with pain no higher than 2/10”.",
            "direction": "Left empty: the direction in which the measure improves.",
        }

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = episode.patient
        self.options: dict[str, MeasureOption] = {}
        groups: list[tuple[str, Any]] = [("", "Not linked to a measure")]
        for label, options in measure_options():
            groups.append((label, [(o.value, o.label) for o in options]))
            self.options |= {o.value: o for o in options}
        link = cast(forms.ChoiceField, self.fields["link"])
        link.choices = groups
        if self.instance.is_linked:
            self.initial.setdefault("link", f"{self.instance.measure}:{self.instance.measure_code}")
        direction = cast(forms.ChoiceField, self.fields["direction"])
        direction.required = False
        direction.choices = [("", "The measure's better direction"), *CareGoal.Direction.choices]
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("direction", "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        option = self.options.get(data.get("link") or "")
        target = data.get("target_value")
        if option is None:
            if target is not None:
                self.add_error("link", "Choose the measure this target is for, or clear it.")
            self.instance.measure, self.instance.measure_code = "", ""
        else:
            if target is None and "target_value" not in self.errors:
                self.add_error("target_value", "Give the value the measure should reach.")
            measure, _, code = option.value.partition(":")
            self.instance.measure, self.instance.measure_code = measure, code
        if not data.get("direction"):
            better = option.at_least if option else True
            data["direction"] = (
                CareGoal.Direction.AT_LEAST if better else CareGoal.Direction.AT_MOST
            )
        return data


class CertificationForm(ClinicalDatesMixin, forms.ModelForm[Episode]):
    planned_dates = frozenset({"certification_start", "certification_end"})

    class Meta:
        formfield_callback = limited_formfield
        model = Episode
        fields = ["referring_physician", "certification_start", "certification_end"]
        widgets = {
            "certification_start": forms.DateInput(attrs={"type": "date"}),
            "certification_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = self.instance.patient

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("certification_start"), data.get("certification_end")
        if start and end and end < start:
            self.add_error("certification_end", "The period cannot end before it starts.")
        return data
