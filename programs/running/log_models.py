"""What happens on a return-to-run plan: the runner's session logs and morning check-ins, and
the stage changes the rule or a therapist makes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from programs.running.models import PAIN, ReturnToRunPlan, StageFields, pain_range_constraint
from programs.running.signs import MorningCheck, SessionReport, Swelling

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = ["MorningCheckIn", "SessionLog", "StageChange", "Surface"]


class Surface(models.TextChoices):
    ROAD = "road", "Road or pavement"
    TRACK = "track", "Track"
    TREADMILL = "treadmill", "Treadmill"
    GRASS = "grass", "Grass"
    TRAIL = "trail", "Trail"
    OTHER = "other", "Other"


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
    swelling = models.CharField(
        max_length=6,
        choices=[(s.value, s.value.capitalize()) for s in Swelling],
        default=Swelling.NONE.value,
    )
    cadence = models.PositiveSmallIntegerField(
        "cadence (steps/min)",
        null=True,
        blank=True,
        validators=[MinValueValidator(60), MaxValueValidator(250)],
    )
    surface = models.CharField(max_length=10, choices=Surface.choices, blank=True)
    stage_reason = models.CharField("why another stage than the plan's", max_length=300, blank=True)
    notes = models.TextField(blank=True)
    # The watch or phone file the log was filled from, in private storage (runfile_models).
    source_file = models.FileField(blank=True, max_length=200)
    source_file_name = models.CharField(max_length=80, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            pain_range_constraint("pain_during"),
            pain_range_constraint("pain_after"),
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

    @property
    def has_warning_sign(self) -> bool:
        """A limp or swelling: the runner's signs a therapist always sees."""
        return self.limp or self.swelling != Swelling.NONE

    def as_report(self, stage: StageFields | None = None) -> SessionReport:
        """The rule's view of this log; `stage` (what the logged stage prescribed) feeds the
        load flags."""
        prescribed_minutes = prescribed_m = None
        if stage is not None:
            prescribed_minutes = stage.run_minutes * stage.repeats
            prescribed_m = stage.run_m
        return SessionReport(
            date=self.date,
            stage_number=self.stage_number,
            completed=self.completed,
            pain_during=self.pain_during,
            pain_after=self.pain_after,
            limp=self.limp,
            pain_built_during_run=self.pain_built,
            swelling=self.swelling,
            run_minutes=self.run_minutes,
            distance_m=self.distance_m,
            prescribed_minutes=prescribed_minutes,
            prescribed_m=prescribed_m,
            notes=self.notes,
        )


class MorningCheckIn(models.Model):
    plan = models.ForeignKey(ReturnToRunPlan, on_delete=models.PROTECT, related_name="check_ins")
    date = models.DateField()
    pain = models.PositiveSmallIntegerField("morning pain (0-10)", validators=PAIN)
    stiffness = models.PositiveSmallIntegerField("morning stiffness (0-10)", validators=PAIN)
    # The run this is the morning after (the day before), when there is one.
    session_log = models.ForeignKey(
        SessionLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="check_ins"
    )
    notes = models.TextField(blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="rtr_one_check_in_per_morning"),
            pain_range_constraint("pain"),
            pain_range_constraint("stiffness"),
        ]

    def __str__(self) -> str:
        return f"Check-in on {self.date:%Y-%m-%d}"

    def as_check(self) -> MorningCheck:
        return MorningCheck(
            date=self.date, pain=self.pain, stiffness=self.stiffness, notes=self.notes
        )


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
    reason = models.TextField()  # in the runner's words
    clinical_reason = models.TextField(blank=True)  # in the therapist's
    stop_sign = models.BooleanField("told the runner to stop and contact the clinic", default=False)
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

    def mark_reviewed(self, *, by: User, review: str) -> None:
        self.review = review
        self.reviewed_by = by
        self.reviewed_at = timezone.now()
        self.save(update_fields=["review", "reviewed_by", "reviewed_at"])
