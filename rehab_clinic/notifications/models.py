"""Alerts that reach the therapist: in-app notifications, each person's choices, digest runs.

A `Notification` is one alert for one staff member about one patient, for one reason, on one
clinic day; the unique constraint makes "at most one a day per patient and reason" hold under
races. It keeps no clinical detail, only the reason's kind and a link to the page that has it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

__all__ = ["AlertPreference", "Delivery", "DigestRun", "Notification", "Reason"]


class Reason(models.TextChoices):
    STOP_SIGN = "stop_sign", "Stop sign"
    STEP_BACK = "step_back", "Step back"
    LIMP_OR_SWELLING = "limp_or_swelling", "Limp or swelling"
    PAIN_TWICE = "pain_twice", "Pain above the ceiling twice in a row"
    NO_ACTIVITY = "no_activity", "No activity for 7 days"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "In the app and by email at once"
    DIGEST = "digest", "In the app, and by email in the daily digest"
    APP = "app", "In the app only"
    OFF = "off", "Not at all"


DEFAULT_DELIVERY = Delivery.IMMEDIATE
DEFAULT_DIGEST_HOUR = 7


class Notification(models.Model):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    day = models.DateField("clinic day")
    # The page that shows what happened (a path in this app, e.g. the run plan).
    link = models.CharField(max_length=200)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When the email about it was queued (at once, or in a digest); None while it waits.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "patient", "reason", "day"],
                name="notification_once_a_day_per_patient_and_reason",
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient"], condition=models.Q(read_at=None), name="notification_unread"
            ),
            models.Index(
                fields=["delivery"],
                condition=models.Q(emailed_at=None, delivery="digest"),
                name="notification_digest_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.day})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class AlertPreference(models.Model):
    """Which alerts a staff member gets and how; no row means every alert at once by email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference"
    )
    # Reason value -> Delivery value; a reason not named gets DEFAULT_DELIVERY.
    deliveries = models.JSONField(default=dict)
    digest_hour = models.PositiveSmallIntegerField(
        "digest hour (clinic time)", default=DEFAULT_DIGEST_HOUR, validators=[MaxValueValidator(23)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Alert choices of user {self.user_id}"

    def delivery_for(self, reason: str) -> str:
        chosen = self.deliveries.get(reason, DEFAULT_DELIVERY)
        return chosen if chosen in Delivery.values else DEFAULT_DELIVERY


class DigestRun(models.Model):
    """One digest email a clinic day per person: the unique row is taken before it is queued."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("clinic day")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"Digest for user {self.recipient_id} on {self.day}"
