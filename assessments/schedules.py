"""When a clinic wants each questionnaire filled in: at intake, every so many days, at
discharge. One row per clinic and instrument, edited by the clinic admin; a clinic with no rows
follows `DEFAULT_SCHEDULE` (docs/therapist_day.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from assessments.instruments import INSTRUMENTS


class QuestionnaireSchedule(models.Model):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(
        max_length=20, choices=[(code, i.name) for code, i in INSTRUMENTS.items()]
    )
    at_intake = models.BooleanField("due at intake", default=True)
    every_days = models.PositiveSmallIntegerField(
        "then every (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Leave blank for no repeat.",
    )
    at_discharge = models.BooleanField(
        "due at discharge",
        default=False,
        help_text="Due once a discharge summary is started, if not taken since its visit date.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "instrument"], name="one_schedule_per_clinic_instrument"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} schedule"


@dataclass(frozen=True)
class ScheduleRule:
    instrument: str
    at_intake: bool
    every_days: int | None
    at_discharge: bool


# LEFS at intake, every two weeks, and at discharge: the example and common practice
# for lower-limb running injuries (Binkley 1999: the LEFS's MCID is 9 points).
DEFAULT_SCHEDULE = (ScheduleRule("lefs", at_intake=True, every_days=14, at_discharge=True),)


def schedule_for(clinic_id: int) -> list[ScheduleRule]:
    """The clinic's rules, or the default when it has set none (one query)."""
    rows = QuestionnaireSchedule.objects.filter(clinic_id=clinic_id)
    rules = [ScheduleRule(r.instrument, r.at_intake, r.every_days, r.at_discharge) for r in rows]
    return rules or list(DEFAULT_SCHEDULE)
