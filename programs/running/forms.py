"""Forms for return-to-running stages, protocols, logs, check-ins and the therapist's review
(setting a plan up: `plan_forms`; gait retraining: `gait_forms`).

Distances are typed in the clinic's unit and stored in metres. Error messages say what a valid
value is, in words a runner understands, and are shown beside the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.text import slugify

from programs.running.fields import (
    NotInFutureDateField,
    distance_field,
    minutes_field,
    pain_field,
)
from programs.running.log_models import MorningCheckIn, SessionLog, Surface
from programs.running.models import PROTOCOL_LIMITS, Protocol, ReturnToRunPlan
from programs.running.progression import Swelling
from rehab_clinic.accounts.form_markup import PythonWidgets
from rehab_clinic.accounts.limits import LONG_TEXT, limited_formfield
from rehab_clinic.accounts.units import shown_value, to_metres_keeping


class StageForm(forms.Form):
    """One stage, with distances in the clinic's unit."""

    run_minutes = minutes_field("Run (min)")
    walk_minutes = minutes_field("Walk (min)")
    repeats = forms.IntegerField(min_value=1, max_value=50, initial=1)
    warm_up_minutes = forms.IntegerField(min_value=0, max_value=60, initial=5)
    cool_down_minutes = forms.IntegerField(min_value=0, max_value=60, initial=5)
    rpe = forms.IntegerField(label="Effort (RPE)", min_value=0, max_value=10, initial=3)
    sessions_per_week = forms.IntegerField(min_value=1, max_value=7, initial=3)
    rest_days_between = forms.IntegerField(min_value=0, max_value=7, initial=1)
    sessions_to_progress = forms.IntegerField(
        label="Successes to progress", min_value=1, max_value=10, initial=2
    )
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, unit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["run_distance"] = distance_field(unit, "Run")
        self.fields["walk_distance"] = distance_field(unit, "Walk")

    def stage_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        run_distance = data.pop("run_distance", None)
        walk_distance = data.pop("walk_distance", None)
        shown = self.initial
        data["run_m"] = (
            to_metres_keeping(run_distance, self.unit, shown.get("run_m")) if run_distance else 0
        )
        data["walk_m"] = (
            to_metres_keeping(walk_distance, self.unit, shown.get("walk_m")) if walk_distance else 0
        )
        data["run_minutes"] = data.get("run_minutes") or Decimal(0)
        data["walk_minutes"] = data.get("walk_minutes") or Decimal(0)
        data.pop("DELETE", None)
        return data


def stage_initial(stage: Any, unit: str) -> dict[str, Any]:
    return {
        "run_minutes": stage.run_minutes,
        "walk_minutes": stage.walk_minutes,
        "repeats": stage.repeats,
        "warm_up_minutes": stage.warm_up_minutes,
        "cool_down_minutes": stage.cool_down_minutes,
        "rpe": stage.rpe,
        "sessions_per_week": stage.sessions_per_week,
        "rest_days_between": stage.rest_days_between,
        "sessions_to_progress": stage.sessions_to_progress,
        "note": stage.note,
        "run_distance": shown_value(stage.run_m, unit) if stage.run_m else None,
        "walk_distance": shown_value(stage.walk_m, unit) if stage.walk_m else None,
        # Not fields: the exact metres behind the distances shown, kept when saved unchanged.
        "run_m": stage.run_m,
        "walk_m": stage.walk_m,
    }


StageFormSet = forms.formset_factory(
    StageForm, extra=1, can_delete=True, min_num=1, validate_min=True, max_num=30
)


class ProtocolForm(forms.ModelForm[Protocol]):
    criteria_text = forms.CharField(
        label="Readiness criteria to start, one a line",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Criteria kept word for word stay linked to evaluation findings.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        criteria = self.instance.readiness_criteria or []
        self.fields["criteria_text"].initial = "\n".join(c.get("text", "") for c in criteria)

    def clean_criteria_text(self) -> list[dict[str, Any]]:
        existing = {c.get("text"): c for c in self.instance.readiness_criteria or []}
        result: list[dict[str, Any]] = []
        codes: set[str] = set()
        for line in self.cleaned_data["criteria_text"].splitlines():
            text = line.strip()[:300]
            if not text:
                continue
            criterion = dict(existing.get(text) or {"code": slugify(text)[:40] or "criterion"})
            criterion["text"] = text
            base, n = criterion["code"], 2
            while criterion["code"] in codes:
                criterion["code"] = f"{base}-{n}"
                n += 1
            codes.add(criterion["code"])
            result.append(criterion)
        return result

    def protocol_values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values["readiness_criteria"] = values.pop("criteria_text")
        return values

    class Meta:
        formfield_callback = limited_formfield
        model = Protocol
        fields = ["name", "kind", "description", "source", *PROTOCOL_LIMITS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }


class SessionLogForm(forms.Form):
    """The runner's report of one session (drawn with `|bs5_form`, its widgets in Python)."""

    default_renderer = PythonWidgets()

    date = forms.DateField()  # replaced in __init__ with a field that knows today
    stage_number = forms.TypedChoiceField(coerce=int, label="Stage you ran")
    completed = forms.BooleanField(
        required=False, initial=True, label="I completed the stage as prescribed"
    )
    duration_minutes = minutes_field("Total time (minutes)")
    run_minutes = minutes_field("Time spent running (minutes)")
    pain_during = pain_field("Worst pain during the run (0-10)")
    pain_after = pain_field("Pain right after the run (0-10)")
    rpe = pain_field(
        "How hard it felt (effort 0-10)",
        required=False,
        help_text="0 = resting, 10 = the hardest effort you can imagine.",
    )
    limp = forms.BooleanField(required=False, label="I limped or my running changed")
    pain_built = forms.BooleanField(required=False, label="Pain kept building during the run")
    swelling = forms.ChoiceField(
        required=False,  # not answered is none
        choices=[(s.value, s.value.capitalize()) for s in Swelling],
        initial=Swelling.NONE.value,
        label="Swelling after the run",
        widget=forms.RadioSelect,
    )
    cadence = forms.IntegerField(
        required=False,
        min_value=60,
        max_value=250,
        label="Cadence (steps per minute, if your watch shows it)",
        error_messages={
            "min_value": "Enter steps per minute between 60 and 250, or leave it empty.",
            "max_value": "Enter steps per minute between 60 and 250, or leave it empty.",
        },
    )
    surface = forms.ChoiceField(
        required=False, choices=[("", "Not recorded"), *Surface.choices], label="Surface"
    )
    stage_reason = forms.CharField(
        required=False,
        max_length=300,
        label="Why you ran another stage (only if you did)",
    )
    notes = forms.CharField(
        required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, plan: ReturnToRunPlan, unit: str, today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.unit = unit
        self.fields["date"] = NotInFutureDateField(today=today, initial=today, label="Date")
        self.fields["rpe"].error_messages.update(
            {
                "min_value": "Enter effort from 0 (resting) to 10 (hardest).",
                "max_value": "Enter effort from 0 (resting) to 10 (hardest).",
            }
        )
        cast(forms.ChoiceField, self.fields["stage_number"]).choices = [
            (s.number, f"Stage {s.number}") for s in plan.stages.all()
        ]
        self.fields["stage_number"].initial = plan.current_stage
        # Distance is the volume of a distance plan, and optional extra detail on a time plan.
        self.fields["distance"] = distance_field(
            unit, "Distance run" if plan.is_distance else "Distance run (optional)"
        )
        if plan.is_distance:
            self.order_fields(["date", "stage_number", "completed", "distance"])
        # A run already logged on the day this form was sent for. Back after saving, and
        # saving again, logged the same run twice: twice the week's volume, a spike flag for
        # the therapist. A second run that day is logged once the runner says so.
        self.same_day = self._logged_on_sent_day()
        if self.same_day is not None:
            self.fields["another_run"] = forms.BooleanField(
                required=False, label="This is another run on the same day"
            )
            order = [name for name in self.fields if name != "another_run"]
            order.insert(order.index("date") + 1, "another_run")
            self.order_fields(order)

    def _logged_on_sent_day(self) -> SessionLog | None:
        if not self.is_bound:
            return None
        try:
            day = dt.date.fromisoformat(str(self.data.get(self.add_prefix("date"), "")))
        except ValueError:
            return None  # the date field says what is wrong with it
        return self.plan.logs.filter(date=day).order_by("id").first()

    def _same_day_message(self, log: SessionLog) -> str:
        said = f"pain {log.pain_during}/10 during"
        if log.run_minutes is not None:
            said = f"{log.run_minutes.normalize():f} min running, {said}"
        return (
            f"You already logged a run on {log.date:%A} {log.date.day} {log.date:%B} ({said}). "
            "If this was another run that day, tick “This is another run on the same day” and "
            "save again; if not, that run is logged already."
        )

    def clean_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["date"]
        if value < self.plan.started_on:
            raise forms.ValidationError(
                f"This plan started on {self.plan.started_on:%d %b %Y}; pick a later date."
            )
        return value

    def clean_swelling(self) -> str:
        return str(self.cleaned_data.get("swelling") or Swelling.NONE.value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        same_day = self.same_day
        if (
            same_day is not None
            and data.get("date") == same_day.date
            and not data.get("another_run")
        ):
            self.add_error("date", self._same_day_message(same_day))
        total = data.get("duration_minutes")
        running = data.get("run_minutes")
        if total is not None and running is not None and running > total:
            self.add_error("run_minutes", "Running time cannot be longer than the total time.")
        stage = data.get("stage_number")
        if stage is not None and stage != self.plan.current_stage and not data.get("stage_reason"):
            self.add_error(
                "stage_reason",
                f"Your plan is at stage {self.plan.current_stage}. Say why you ran stage {stage}, "
                f"or pick stage {self.plan.current_stage}.",
            )
        return data

    def log_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("another_run", None)  # the runner's answer to the form, not part of the run
        distance = data.pop("distance", None)
        data["distance_m"] = (
            to_metres_keeping(distance, self.unit, self.initial.get("distance_m"))
            if distance is not None
            else None
        )
        return data


class MorningCheckInForm(forms.Form):
    """The runner's morning check-in (drawn with `|bs5_form`, its widgets in Python)."""

    default_renderer = PythonWidgets()
    date = forms.DateField()
    pain = pain_field("Pain this morning (0-10)")
    stiffness = pain_field(
        "Stiffness this morning (0-10)",
        help_text="0 = none, 10 = as stiff as you can imagine.",
    )
    notes = forms.CharField(
        required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, plan: ReturnToRunPlan, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["date"] = NotInFutureDateField(
            today=today,
            initial=morning_after_last_run(plan, today),
            label="Morning of",
            help_text="The morning after your run: that is the check-in the plan needs.",
        )
        self.fields["date"].error_messages["future"] = "Check in on the morning itself."

    def clean_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["date"]
        if MorningCheckIn.objects.filter(plan=self.plan, date=value).exists():
            raise forms.ValidationError("You have already checked in for this morning.")
        if value < self.plan.started_on:
            raise forms.ValidationError(
                f"This plan started on {self.plan.started_on:%d %b %Y}; pick a later date."
            )
        return value


def morning_after_last_run(plan: ReturnToRunPlan, today: dt.date) -> dt.date:
    """The morning a check-in is for by default: the day after the last run, if that morning
    has come and has no check-in yet; otherwise today."""
    last = plan.logs.order_by("-date").values_list("date", flat=True).first()
    if last is None:
        return today
    morning = last + dt.timedelta(days=1)
    if morning > today or plan.check_ins.filter(date=morning).exists():
        return today
    return morning


class OverrideForm(forms.Form):
    to_stage = forms.TypedChoiceField(coerce=int, label="Set the stage to")
    note = forms.CharField(
        label="Note (why)",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write a short note saying why you are overriding."},
    )

    def __init__(self, *args: Any, plan: ReturnToRunPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_stage"]).choices = [
            (s.number, f"Stage {s.number}") for s in plan.stages.all()
        ]
        self.fields["to_stage"].initial = plan.current_stage


class ClosePlanForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (ReturnToRunPlan.Status.COMPLETED, "Completed: back to running"),
            (ReturnToRunPlan.Status.STOPPED, "Stopped"),
        ],
        label="Close the plan as",
    )
    note = forms.CharField(
        max_length=300,
        label="Why",
        error_messages={"required": "Write a short note saying why the plan ends."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the override form on the same page also has a "note" field.
        kwargs.setdefault("auto_id", "id_close_%s")
        super().__init__(*args, **kwargs)


class ReadinessForm(forms.Form):
    ticked = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Met (therapist's judgement)"
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ticked"]).choices = choices
