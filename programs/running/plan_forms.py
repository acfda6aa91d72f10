"""Forms that set a plan up: create it from a protocol, its limits, start it, pause it.

A bone stress episode (ICD-10-CM M84.3-) proposes the bone stress protocol, and a tendon-level pain
ceiling on one needs the therapist's confirmation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from patients.dates import date_problem
from patients.models import Episode
from programs.running.fields import EpisodeChoiceField
from programs.running.models import Protocol, ReturnToRunPlan
from programs.running.protocols import BONE_STRESS_KEY, is_bone_stress_code
from programs.running.services import LIMIT_FIELDS
from rehab_clinic.accounts.limits import limited_formfield

# The highest pain ceiling the bone stress protocol treats as usual (achievepodiatry; UW).
BONE_STRESS_CEILING = 3
CONFIRM_HIGH_CEILING = "I confirm a pain ceiling above 3/10 for this bone stress injury"
HIGH_CEILING_FOR_BONE = (
    "This episode is coded as a bone stress injury ({code}); bone stress programs allow much "
    "less pain than tendon programs (2-3/10 or none at the site). Tick the confirmation to use "
    "a ceiling of {ceiling}/10."
)


def _bone_stress_ceiling_check(
    form: forms.BaseForm, episode: Episode | None, ceiling: int | None
) -> None:
    """A tendon-level ceiling on a bone stress episode needs the therapist's confirmation."""
    if episode is None or ceiling is None or not is_bone_stress_code(episode.icd10_code):
        return
    if ceiling > BONE_STRESS_CEILING and not form.cleaned_data.get("confirm_high_ceiling"):
        form.add_error(
            "confirm_high_ceiling",
            HIGH_CEILING_FOR_BONE.format(code=episode.billing_code, ceiling=ceiling),
        )


class PlanCreateForm(forms.Form):
    episode = EpisodeChoiceField(queryset=Episode.objects.none(), label="Episode of care")
    protocol = forms.ModelChoiceField(queryset=Protocol.objects.none(), label="Protocol")
    started_on = forms.DateField(
        label="First run on", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: Any,
        episodes: QuerySet[Episode],
        protocols: QuerySet[Protocol],
        today: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        cast(EpisodeChoiceField, self.fields["episode"]).queryset = episodes
        cast(forms.ModelChoiceField[Protocol], self.fields["protocol"]).queryset = protocols
        self.fields["confirm_high_ceiling"] = forms.BooleanField(
            required=False, label=CONFIRM_HIGH_CEILING
        )
        # A bone stress episode proposes the bone stress protocol and its limits.
        wanted = str(self.initial.get("episode") or "")
        episode = episodes.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if episode is not None and is_bone_stress_code(episode.icd10_code):
            bone = protocols.filter(key=BONE_STRESS_KEY).first()
            if bone is not None:
                self.initial.setdefault("protocol", bone.pk)
                self.bone_stress_proposed = True

    bone_stress_proposed = False

    def clean_episode(self) -> Any:
        episode = self.cleaned_data["episode"]
        if ReturnToRunPlan.objects.open().filter(episode=episode).exists():
            raise forms.ValidationError(
                "This episode already has a return-to-run plan in progress. Open it instead."
            )
        return episode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, episode = data.get("started_on"), data.get("episode")
        if started is not None:
            # The first run is planned: it may be ahead, within reason, but not in a year that
            # cannot be right or before the runner was born.
            born = episode.patient.date_of_birth if episode is not None else None
            problem = date_problem(started, today=self.today, born=born, planned=True)
            if problem:
                self.add_error("started_on", problem)
        protocol = data.get("protocol")
        _bone_stress_ceiling_check(
            self, data.get("episode"), protocol.pain_during_max if protocol else None
        )
        return data


class PlanLimitsForm(forms.ModelForm[ReturnToRunPlan]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_bone_stress_code(self.instance.episode.icd10_code):
            self.fields["confirm_high_ceiling"] = forms.BooleanField(
                required=False, label=CONFIRM_HIGH_CEILING
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ceiling = max(data.get("pain_during_max") or 0, data.get("pain_after_max") or 0)
        _bone_stress_ceiling_check(self, self.instance.episode, ceiling)
        data.pop("confirm_high_ceiling", None)
        return data

    class Meta:
        formfield_callback = limited_formfield
        model = ReturnToRunPlan
        fields = LIMIT_FIELDS


class StartPlanForm(forms.Form):
    override_reason = forms.CharField(
        required=False,
        max_length=500,
        label="Why start before every readiness criterion is met",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, unmet: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unmet = unmet

    def clean_override_reason(self) -> str:
        reason: str = self.cleaned_data["override_reason"].strip()
        if self.unmet and not reason:
            raise forms.ValidationError(
                "Not met yet: " + "; ".join(self.unmet) + ". Write why you start anyway, or "
                "meet the criteria first."
            )
        return reason


class PausePlanForm(forms.Form):
    note = forms.CharField(
        max_length=300,
        label="Why pause",
        error_messages={"required": "Write a short note saying why the plan is paused."},
    )
