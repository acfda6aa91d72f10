"""The stored output of the flag rule: one `PlanFlag` row per flag a plan shows, with the days it
is shown on, so the caseload reads the flagged plans by index instead of replaying every plan's
logs (docs/return_to_run.md, "Stored flags"). `flag_services` writes them; nothing else does."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from programs.running.flag_rule import FlagKind

__all__ = ["PlanFlag"]


class PlanFlag(models.Model):
    """A flag `detect_flags` raises for `plan` on each day from `shown_from` to `shown_until`
    (inclusive, the clinic's days) unless the plan's logs change first, when the rows are
    written again. A flag older than the window drops out by its `shown_until`, with no job."""

    plan = models.ForeignKey(
        "programs.ReturnToRunPlan", on_delete=models.CASCADE, related_name="flag_rows"
    )
    # The plan's clinic, copied so the caseload's read is one index range per clinic.
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=[(k.value, k.value) for k in FlagKind])
    date = models.DateField()
    message = models.CharField(max_length=500)
    runner_wrote = models.TextField(blank=True)
    shown_from = models.DateField()
    shown_until = models.DateField()
    position = models.PositiveSmallIntegerField(default=0)  # the rule's order within a day

    class Meta:
        ordering = ["plan", "position"]
        indexes = [
            models.Index(
                fields=["clinic", "shown_until", "shown_from"], name="rtr_flag_clinic_days"
            ),
            models.Index(fields=["plan", "shown_until"], name="rtr_flag_plan_days"),
            # The clinic's flags newest first (`flags.newest_shown`): the panels' first rows
            # by index, however many runners are flagged at once.
            models.Index(fields=["clinic", "-date", "-plan"], name="rtr_flag_clinic_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(shown_until__gte=F("shown_from")), name="rtr_flag_days_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.date:%Y-%m-%d}"
