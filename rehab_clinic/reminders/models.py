"""The patient's reminders: what they chose, what the therapist suggested, what was sent.

Every time is a wall-clock time in the clinic's zone (`Clinic.zone`), so "18:00" stays 18:00
across a DST change. `SentReminder` is taken before anything is queued: the unique constraint
makes "each reminder once a clinic day" hold however often (or late) beat runs.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = ["ReminderKind", "ReminderSettings", "ReminderSuggestion", "SentReminder"]

DEFAULT_TIMES = {
    "exercise": dt.time(18, 0),
    "check_in": dt.time(8, 0),
    "next_run": dt.time(7, 0),
}


# The defaults are callables, not the times themselves: Django warns of a "fixed default value"
# (fields.W161) for a time default whenever its checks run within ten seconds of that time of
# day, so `check --deploy` failed at 18:00:00 and passed a minute later.
def default_exercise_at() -> dt.time:
    return DEFAULT_TIMES["exercise"]


def default_check_in_at() -> dt.time:
    return DEFAULT_TIMES["check_in"]


def default_next_run_at() -> dt.time:
    return DEFAULT_TIMES["next_run"]


class ReminderKind(models.TextChoices):
    EXERCISE = "exercise", "Exercise reminder"
    CHECK_IN = "check_in", "Morning check-in reminder"
    NEXT_RUN = "next_run", "Run day reminder"


class ReminderSettings(models.Model):
    """The patient's own choices; no row means no reminder at all."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="reminder_settings"
    )
    exercise_on = models.BooleanField("remind me to do my exercises", default=False)
    exercise_at = models.TimeField("at", default=default_exercise_at)
    check_in_on = models.BooleanField(
        "remind me to check in the morning after a run", default=False
    )
    check_in_at = models.TimeField("at", default=default_check_in_at)
    next_run_on = models.BooleanField("remind me on my run days", default=False)
    next_run_at = models.TimeField("at", default=default_next_run_at)
    # Nothing is sent from start to end; when start is after end the quiet hours wrap midnight.
    quiet_start = models.TimeField("quiet from", null=True, blank=True)
    quiet_end = models.TimeField("quiet until", null=True, blank=True)
    # Set by the one-click unsubscribe (or unticking email): no reminder email after it.
    email_stopped_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | models.Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="reminder_quiet_hours_both_or_neither",
            )
        ]

    def __str__(self) -> str:
        return f"Reminders of patient {self.patient_id}"

    @property
    def email_on(self) -> bool:
        return self.email_stopped_at is None

    def chosen(self) -> dict[str, dt.time]:
        """Kind -> the time chosen, for the kinds switched on."""
        times = {
            ReminderKind.EXERCISE: (self.exercise_on, self.exercise_at),
            ReminderKind.CHECK_IN: (self.check_in_on, self.check_in_at),
            ReminderKind.NEXT_RUN: (self.next_run_on, self.next_run_at),
        }
        return {kind.value: at for kind, (on, at) in times.items() if on}


class ReminderSuggestion(models.Model):
    """The times a therapist suggests: they fill the patient's form until the patient saves."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="reminder_suggestion"
    )
    exercise_at = models.TimeField("exercise reminder at", null=True, blank=True)
    check_in_at = models.TimeField("morning check-in reminder at", null=True, blank=True)
    next_run_at = models.TimeField("run day reminder at", null=True, blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Suggested reminder times for patient {self.patient_id}"


class SentReminder(models.Model):
    """One reminder of one kind to one patient on one clinic day, whatever the channels."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    day = models.DateField("clinic day")
    sent_at = models.DateTimeField(default=timezone.now)
    channels = models.CharField(max_length=60, blank=True)  # e.g. "email" or "email,push"

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind", "day"], name="reminder_once_a_day_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.day}"
