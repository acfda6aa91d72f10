"""Return-to-running protocols and plans with their stages and limits.

Gathered with the other parts' models in ``programs/models.py``; what happens on a plan (logs,
check-ins, stage changes) is in ``programs.running.log_models``, gait retraining in
``programs.running.gait_models``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from patients.models import Episode
from programs.running.progression import (
    PlanLimits,
    VolumeKind,
)

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic, User

__all__ = [
    "PlanStage",
    "Protocol",
    "ProtocolStage",
    "ReturnToRunPlan",
]

PAIN = [MinValueValidator(0), MaxValueValidator(10)]


def pain_range_constraint(field: str) -> models.CheckConstraint:
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
    def for_clinic(self, clinic: Clinic) -> ProtocolQuerySet:
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


# The limits a protocol carries and a plan copies from it, read from the model (one list).
PROTOCOL_LIMITS: tuple[str, ...] = tuple(f.name for f in LimitFields._meta.fields)


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
            pain_range_constraint("pain_during_max"),
            pain_range_constraint("pain_after_max"),
            pain_range_constraint("morning_pain_max"),
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
    def visible_to(self, user: User) -> PlanQuerySet:
        return self.filter(episode__in=Episode.objects.visible_to(user))

    def active(self) -> PlanQuerySet:
        return self.filter(status=ReturnToRunPlan.Status.ACTIVE)

    def open(self) -> PlanQuerySet:
        """Drafts, active and paused plans: the ones an episode may have only one of."""
        return self.filter(status__in=ReturnToRunPlan.OPEN_STATUSES)

    def shown_to_runner(self) -> PlanQuerySet:
        """Everything but drafts: a plan reaches the portal once the therapist starts it."""
        return self.exclude(status=ReturnToRunPlan.Status.DRAFT)


class ReturnToRunPlan(LimitFields):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not started)"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    OPEN_STATUSES = (Status.DRAFT, Status.ACTIVE, Status.PAUSED)

    episode = models.ForeignKey(
        "patients.Episode", on_delete=models.PROTECT, related_name="rtr_plans"
    )
    protocol = models.ForeignKey(
        Protocol, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=RunKind.choices, default=RunKind.TIME)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_stage = models.PositiveSmallIntegerField(default=1)
    started_on = models.DateField("first run on")  # set from Clinic.today() by create_plan
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    readiness_override_reason = models.TextField(blank=True)
    morning_jump_points = models.PositiveSmallIntegerField(
        "next-morning pain this many points above settled still only holds (more steps back)",
        default=2,
        validators=[MaxValueValidator(10)],
    )
    stiffness_rise_max = models.PositiveSmallIntegerField(
        "rise in morning stiffness (0-10) on the previous morning tolerated",
        default=1,
        validators=[MaxValueValidator(10)],
    )
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
                condition=Q(status__in=["draft", "active", "paused"]),
                name="rtr_one_open_plan_per_episode",
            ),
            pain_range_constraint("pain_during_max"),
            pain_range_constraint("pain_after_max"),
            pain_range_constraint("morning_pain_max"),
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

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def limits(self) -> PlanLimits:
        return PlanLimits(
            pain_during_max=self.pain_during_max,
            pain_after_max=self.pain_after_max,
            morning_pain_max=self.morning_pain_max,
            morning_jump_points=self.morning_jump_points,
            stiffness_rise_max=self.stiffness_rise_max,
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
