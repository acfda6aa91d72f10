"""Return-to-running protocols and plans, their logs, check-ins and stage changes.

Gathered with the other parts' models in ``programs/models.py``; gait retraining is in
``programs.running.gait_models``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from patients.models import Episode
from programs.running.progression import MorningCheck, PlanLimits, SessionReport, VolumeKind

__all__ = [
    "MorningCheckIn",
    "PlanStage",
    "Protocol",
    "ProtocolStage",
    "ReturnToRunPlan",
    "SessionLog",
    "StageChange",
]

PAIN = [MinValueValidator(0), MaxValueValidator(10)]


def _pain_range(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 10}),
        name=f"%(app_label)s_%(class)s_{field}_0_10",
    )


class RunKind(models.TextChoices):
    TIME = "time", "Time-based (walk/run minutes)"
    DISTANCE = "distance", "Distance-based"


class StageFields(models.Model):
    """What one stage prescribes. Distances in metres."""

    number = models.PositiveSmallIntegerField()
    run_minutes = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal(0))
    walk_minutes = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal(0))
    repeats = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    warm_up_minutes = models.PositiveSmallIntegerField(default=5)
    cool_down_minutes = models.PositiveSmallIntegerField(default=5)
    run_m = models.PositiveIntegerField("run distance (m)", default=0)
    walk_m = models.PositiveIntegerField("walk distance (m)", default=0)
    rpe = models.PositiveSmallIntegerField("target effort (RPE 0-10)", default=3, validators=PAIN)
    sessions_per_week = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    rest_days_between = models.PositiveSmallIntegerField(default=1)
    sessions_to_progress = models.PositiveSmallIntegerField(
        "successful sessions before progressing", default=2, validators=[MinValueValidator(1)]
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["number"]

    @property
    def total_minutes(self) -> Decimal:
        """Time-based stages: the whole session including warm-up and cool-down."""
        return (
            (self.run_minutes + self.walk_minutes) * self.repeats
            + self.warm_up_minutes
            + self.cool_down_minutes
        )


class ProtocolQuerySet(models.QuerySet["Protocol"]):
    def for_clinic(self, clinic: Any) -> ProtocolQuerySet:
        return self.filter(clinic=clinic, archived_at__isnull=True)


class LimitFields(models.Model):
    """The pain limits and flag thresholds; every one is editable data (docs/return_to_run.md)."""

    pain_during_max = models.PositiveSmallIntegerField(
        "pain ceiling during the run (0-10)", default=5, validators=PAIN
    )
    pain_after_max = models.PositiveSmallIntegerField(
        "pain ceiling right after the run (0-10)", default=5, validators=PAIN
    )
    morning_pain_max = models.PositiveSmallIntegerField(
        "next-morning pain counted as settled (0-10)", default=2, validators=PAIN
    )

    class Meta:
        abstract = True


class Protocol(LimitFields):
    """A clinic's editable copy of a published walk/run progression."""

    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.CASCADE, related_name="rtr_protocols"
    )
    key = models.SlugField(max_length=60, blank=True, help_text="Template it was seeded from.")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=RunKind.choices, default=RunKind.TIME)
    description = models.TextField()
    source = models.TextField(help_text="The published program this follows.")
    readiness_criteria = models.JSONField(default=list, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="rtr_protocol_unique_name"),
            _pain_range("pain_during_max"),
            _pain_range("pain_after_max"),
            _pain_range("morning_pain_max"),
        ]

    def __str__(self) -> str:
        return self.name


class ProtocolStage(StageFields):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="stages")

    class Meta(StageFields.Meta):
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="rtr_protocol_stage_unique")
        ]

    def __str__(self) -> str:
        return f"Stage {self.number}"


class PlanQuerySet(models.QuerySet["ReturnToRunPlan"]):
    def visible_to(self, user: Any) -> PlanQuerySet:
        return self.filter(episode__in=Episode.objects.visible_to(user))

    def active(self) -> PlanQuerySet:
        return self.filter(status=ReturnToRunPlan.Status.ACTIVE)


class ReturnToRunPlan(LimitFields):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    episode = models.ForeignKey(
        "patients.Episode", on_delete=models.PROTECT, related_name="rtr_plans"
    )
    protocol = models.ForeignKey(
        Protocol, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=RunKind.choices, default=RunKind.TIME)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    current_stage = models.PositiveSmallIntegerField(default=1)
    started_on = models.DateField(default=timezone.localdate)
    unsettled_mornings_to_step_back = models.PositiveSmallIntegerField(
        "unsettled mornings in a row before stepping back",
        default=2,
        validators=[MinValueValidator(1)],
    )
    weekly_morning_trend_tolerance = models.DecimalField(
        "weekly rise in average morning pain or stiffness tolerated",
        max_digits=3,
        decimal_places=1,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0)],
    )
    single_run_spike_pct = models.PositiveSmallIntegerField(
        "flag a run longer than the 30-day longest by more than (%)", default=10
    )
    weekly_volume_spike_pct = models.PositiveSmallIntegerField(
        "flag weekly volume up by more than (%)", default=30
    )
    lookback_days = models.PositiveSmallIntegerField(
        "days to look back for the longest run", default=30, validators=[MinValueValidator(1)]
    )
    readiness_criteria = models.JSONField(default=list, blank=True)
    readiness_ticked = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status="active"),
                name="rtr_one_active_plan_per_episode",
            ),
            _pain_range("pain_during_max"),
            _pain_range("pain_after_max"),
            _pain_range("morning_pain_max"),
            models.CheckConstraint(
                condition=Q(current_stage__gte=1), name="rtr_plan_stage_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def volume_kind(self) -> VolumeKind:
        return VolumeKind.DISTANCE if self.kind == RunKind.DISTANCE else VolumeKind.MINUTES

    @property
    def is_distance(self) -> bool:
        return self.kind == RunKind.DISTANCE

    def limits(self) -> PlanLimits:
        return PlanLimits(
            pain_during_max=self.pain_during_max,
            pain_after_max=self.pain_after_max,
            morning_pain_max=self.morning_pain_max,
            unsettled_mornings_to_step_back=self.unsettled_mornings_to_step_back,
            weekly_morning_trend_tolerance=self.weekly_morning_trend_tolerance,
            single_run_spike_pct=self.single_run_spike_pct,
            weekly_volume_spike_pct=self.weekly_volume_spike_pct,
            lookback_days=self.lookback_days,
        )


class PlanStage(StageFields):
    plan = models.ForeignKey(ReturnToRunPlan, on_delete=models.CASCADE, related_name="stages")

    class Meta(StageFields.Meta):
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="rtr_plan_stage_unique")
        ]

    def __str__(self) -> str:
        return f"Stage {self.number}"


class SessionLog(models.Model):
    plan = models.ForeignKey(ReturnToRunPlan, on_delete=models.PROTECT, related_name="logs")
    date = models.DateField()
    stage_number = models.PositiveSmallIntegerField()
    completed = models.BooleanField("completed the stage as prescribed", default=True)
    duration_minutes = models.DecimalField(
        "total time (min)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    run_minutes = models.DecimalField(
        "running time (min)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    distance_m = models.PositiveIntegerField("distance run (m)", null=True, blank=True)
    pain_during = models.PositiveSmallIntegerField(validators=PAIN)
    pain_after = models.PositiveSmallIntegerField(validators=PAIN)
    rpe = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN)
    limp = models.BooleanField("limp or changed gait", default=False)
    pain_built = models.BooleanField("pain kept building during the run", default=False)
    notes = models.TextField(blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            _pain_range("pain_during"),
            _pain_range("pain_after"),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gte=0),
                name="rtr_log_duration_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(run_minutes__isnull=True) | Q(run_minutes__gte=0),
                name="rtr_log_run_minutes_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Run on {self.date:%Y-%m-%d}, stage {self.stage_number}"

    def as_report(self) -> SessionReport:
        return SessionReport(
            date=self.date,
            stage_number=self.stage_number,
            completed=self.completed,
            pain_during=self.pain_during,
            pain_after=self.pain_after,
            limp=self.limp,
            pain_built_during_run=self.pain_built,
            run_minutes=self.run_minutes,
            distance_m=self.distance_m,
        )


class MorningCheckIn(models.Model):
    plan = models.ForeignKey(ReturnToRunPlan, on_delete=models.PROTECT, related_name="check_ins")
    date = models.DateField()
    pain = models.PositiveSmallIntegerField("morning pain (0-10)", validators=PAIN)
    stiffness = models.PositiveSmallIntegerField("morning stiffness (0-10)", validators=PAIN)
    notes = models.TextField(blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="rtr_one_check_in_per_morning"),
            _pain_range("pain"),
            _pain_range("stiffness"),
        ]

    def __str__(self) -> str:
        return f"Check-in on {self.date:%Y-%m-%d}"

    def as_check(self) -> MorningCheck:
        return MorningCheck(date=self.date, pain=self.pain, stiffness=self.stiffness)


class StageChange(models.Model):
    """A change of stage made by the rule (for the therapist to review) or by a therapist."""

    class Source(models.TextChoices):
        RULE = "rule", "Progression rule"
        THERAPIST = "therapist", "Therapist"

    class Review(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        CONFIRMED = "confirmed", "Confirmed"
        OVERRIDDEN = "overridden", "Overridden"
        NOT_NEEDED = "not_needed", "Therapist decision"

    plan = models.ForeignKey(ReturnToRunPlan, on_delete=models.PROTECT, related_name="changes")
    source = models.CharField(max_length=10, choices=Source.choices)
    decision = models.CharField(max_length=10)  # progression.Decision value
    from_stage = models.PositiveSmallIntegerField()
    to_stage = models.PositiveSmallIntegerField()
    rest_day = models.BooleanField(default=False)
    reason = models.TextField()
    session_log = models.ForeignKey(
        SessionLog, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session_log"],
                condition=Q(source="rule"),
                name="rtr_one_rule_change_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"Stage {self.from_stage} to {self.to_stage}"

    @property
    def is_pending(self) -> bool:
        return self.review == self.Review.PENDING

    def mark_reviewed(self, *, by: Any, review: str) -> None:
        self.review = review
        self.reviewed_by = by
        self.reviewed_at = timezone.now()
        self.save(update_fields=["review", "reviewed_by", "reviewed_at"])
