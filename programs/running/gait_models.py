"""Gait retraining: a cadence prescription, its fading feedback sessions and its retests."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from patients.models import Episode

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = ["GaitRetest", "GaitRetrainingPrescription", "GaitSession"]


class GaitPrescriptionQuerySet(models.QuerySet["GaitRetrainingPrescription"]):
    def visible_to(self, user: User) -> GaitPrescriptionQuerySet:
        return self.filter(episode__in=Episode.objects.visible_to(user))


class GaitRetrainingPrescription(models.Model):
    class Cue(models.TextChoices):
        METRONOME = "metronome", "Metronome (beats per minute)"
        MIRROR = "mirror", "Mirror"
        WEARABLE = "wearable", "Wearable step-rate feedback"
        VERBAL = "verbal", "Verbal cues"

    episode = models.ForeignKey(
        "patients.Episode", on_delete=models.PROTECT, related_name="gait_prescriptions"
    )
    baseline_cadence = models.PositiveSmallIntegerField(
        "baseline cadence (steps/min)", validators=[MinValueValidator(100), MaxValueValidator(250)]
    )
    baseline_metrics = models.JSONField(default=dict, blank=True)
    baseline_notes = models.TextField(blank=True)
    increase_pct = models.DecimalField(
        "cadence increase (%)",
        max_digits=4,
        decimal_places=1,
        default=Decimal("7.5"),
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    target_cadence = models.PositiveSmallIntegerField("target cadence (steps/min)")
    cue_type = models.CharField(max_length=10, choices=Cue.choices, default=Cue.METRONOME)
    cues = models.TextField("cues, one a line", blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GaitPrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Cadence {self.baseline_cadence} to {self.target_cadence} steps/min"

    @property
    def cue_lines(self) -> list[str]:
        return [line.strip() for line in self.cues.splitlines() if line.strip()]


class GaitSession(models.Model):
    class Feedback(models.TextChoices):
        CONTINUOUS = "continuous", "Continuous"
        INTERMITTENT = "intermittent", "Intermittent"
        NONE = "none", "None"

    prescription = models.ForeignKey(
        GaitRetrainingPrescription, on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField()
    feedback = models.CharField(max_length=12, choices=Feedback.choices)
    minutes = models.PositiveSmallIntegerField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["prescription", "number"], name="rtr_gait_session_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Session {self.number}"


class GaitRetest(models.Model):
    prescription = models.ForeignKey(
        GaitRetrainingPrescription, on_delete=models.CASCADE, related_name="retests"
    )
    date = models.DateField()
    cadence = models.PositiveSmallIntegerField(
        "cadence (steps/min)", validators=[MinValueValidator(100), MaxValueValidator(250)]
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"Retest on {self.date:%Y-%m-%d}"

    def change_from(self, baseline: int) -> Decimal:
        """Percentage change from the baseline cadence."""
        return (Decimal(self.cadence - baseline) * 100 / baseline).quantize(Decimal("0.1"))
