"""Outcome measures: completed responses, portal assignments, and each clinic's reviewed MCIDs
(imported by `models.py`, so `assessments.models` still names them all)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.instruments import INSTRUMENTS
from patients.models import Episode

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


class OutcomeResponseQuerySet(models.QuerySet["OutcomeResponse"]):
    def visible_to(self, user: User) -> OutcomeResponseQuerySet:
        return self.filter(episode__in=Episode.objects.visible_to(user))


class OutcomeResponse(models.Model):
    """One completed outcome measure: the raw answers and the scores computed from them."""

    class Source(models.TextChoices):
        CLINIC = "clinic", "Entered in clinic"
        PORTAL = "portal", "Patient portal"

    episode = models.ForeignKey(
        "patients.Episode", on_delete=models.PROTECT, related_name="outcome_responses"
    )
    note = models.ForeignKey(
        "assessments.Note",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcome_responses",
    )
    instrument = models.CharField(
        max_length=20, choices=[(code, i.name) for code, i in INSTRUMENTS.items()]
    )
    version = models.CharField(max_length=20)
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    taken_on = models.DateField(default=timezone.localdate)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.CLINIC)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Recorded in error: struck through with a reason, never deleted (before the note is
    # signed; afterwards only an addendum can say so).
    struck_at = models.DateTimeField(null=True, blank=True)
    struck_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    struck_reason = models.CharField(max_length=300, blank=True)

    objects = OutcomeResponseQuerySet.as_manager()

    class Meta:
        ordering = ["taken_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(struck_at__isnull=True, struck_reason="")
                | (models.Q(struck_at__isnull=False) & ~models.Q(struck_reason="")),
                name="outcome_struck_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.taken_on.isoformat()}"

    @property
    def is_struck(self) -> bool:
        return self.struck_at is not None

    def score(self, subscale: str) -> float | None:
        value = self.scores.get(subscale, {}).get("score")
        return None if value is None else float(value)


class OutcomeAssignment(models.Model):
    """A measure the therapist asks the patient to fill in through the portal before a visit."""

    episode = models.ForeignKey(
        "patients.Episode", on_delete=models.PROTECT, related_name="outcome_assignments"
    )
    instrument = models.CharField(
        max_length=20, choices=[(code, i.name) for code, i in INSTRUMENTS.items()]
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(null=True, blank=True)
    response = models.OneToOneField(
        OutcomeResponse, on_delete=models.PROTECT, null=True, blank=True, related_name="assignment"
    )

    class Meta:
        ordering = ["-assigned_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} for {self.episode}"

    @property
    def is_done(self) -> bool:
        return self.response_id is not None


class InstrumentSetting(models.Model):
    """A clinic's reviewed MCID for one instrument subscale (published defaults otherwise)."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(
        max_length=20, choices=[(code, i.name) for code, i in INSTRUMENTS.items()]
    )
    subscale = models.CharField(max_length=20)
    mcid = models.DecimalField(max_digits=6, decimal_places=2)
    source = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "instrument", "subscale"], name="one_mcid_per_clinic_subscale"
            ),
            models.CheckConstraint(condition=models.Q(mcid__gt=0), name="mcid_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}.{self.subscale} MCID {self.mcid}"


def mcid_table(clinic_id: int) -> dict[tuple[str, str], float]:
    """(instrument, subscale) -> MCID for a clinic: its own reviewed values over the defaults."""
    table = {
        (code, subscale): float(value)
        for code, instrument in INSTRUMENTS.items()
        for subscale, value in instrument.default_mcid.items()
    }
    for row in InstrumentSetting.objects.filter(clinic_id=clinic_id):
        table[(row.instrument, row.subscale)] = float(Decimal(row.mcid))
    return table
