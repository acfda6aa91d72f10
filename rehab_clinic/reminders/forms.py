"""The patient's reminder form (portal) and the therapist's suggested times (episode page)."""

from __future__ import annotations

from typing import Any

from django import forms

from rehab_clinic.reminders.models import ReminderSettings

__all__ = ["ReminderSettingsForm", "SuggestedTimesForm"]

TIME_HELP = "Clinic time ({zone})."


def _time_field(label: str, *, required: bool = False, help_text: str = "") -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class ReminderSettingsForm(forms.Form):
    exercise_on = forms.BooleanField(label="Remind me to do my exercises", required=False)
    exercise_at = _time_field("Exercise reminder at", required=True)
    check_in_on = forms.BooleanField(
        label="Remind me of the morning check-in after a run", required=False
    )
    check_in_at = _time_field("Morning check-in reminder at", required=True)
    next_run_on = forms.BooleanField(label="Remind me on my run days", required=False)
    next_run_at = _time_field("Run day reminder at", required=True)
    quiet_start = _time_field("Quiet from")
    quiet_end = _time_field("Quiet until")
    email_on = forms.BooleanField(label="Send my reminders by email", required=False)

    def __init__(self, *args: Any, current: ReminderSettings, zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:
            if name != "email_on":
                self.fields[name].initial = getattr(current, name)
        self.fields["email_on"].initial = current.pk is None or current.email_on
        for name in ("exercise_at", "check_in_at", "next_run_at"):
            self.fields[name].help_text = TIME_HELP.format(zone=zone)
        self.fields["quiet_end"].help_text = (
            "No reminder is sent in these hours; one that falls in them comes when they end. "
            "Leave both empty for none."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_error("quiet_start") or self.has_error("quiet_end"):
            return data
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            missing = "quiet_end" if end is None else "quiet_start"
            self.add_error(missing, "Give both the start and the end of the quiet hours.")
        elif start is not None and start == end:
            self.add_error("quiet_end", "The quiet hours must end at another time than they start.")
        return data


class SuggestedTimesForm(forms.Form):
    exercise_at = _time_field("Exercise reminder at")
    check_in_at = _time_field("Morning check-in reminder at")
    next_run_at = _time_field("Run day reminder at")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"
