"""`RecordExport`: one request for a patient's record as a ZIP, and the row its task reports
progress on (step k of n), then the file and the date its link expires."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from patients.models import Patient

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = ["RecordExport"]


def _export_path(export: RecordExport, filename: str) -> str:
    # Not guessable, and never served from MEDIA_URL: only the download view, behind the gate.
    return f"record-exports/{uuid.uuid4().hex}.zip"


class RecordExportQuerySet(models.QuerySet["RecordExport"]):
    def visible_to(self, user: User) -> RecordExportQuerySet:
        """A patient sees the exports they asked for on the portal; the clinic's staff see the
        exports made from the chart of a patient they may see. Neither sees the other's."""
        kind = RecordExport.Kind.PORTAL if user.is_patient else RecordExport.Kind.CLINIC
        return self.filter(patient__in=Patient.objects.visible_to(user), kind=kind)

    def pending(self) -> RecordExportQuerySet:
        return self.filter(state__in=RecordExport.PENDING)


class RecordExport(models.Model):
    class Kind(models.TextChoices):
        PORTAL = "portal", "Asked for by the patient"
        CLINIC = "clinic", "Exported by the clinic"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    PENDING = (State.QUEUED, State.RUNNING)

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="record_exports")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # Progress as the task reports it: step `step` of `steps`, named by `step_label`.
    step = models.PositiveSmallIntegerField(default=0)
    steps = models.PositiveSmallIntegerField(default=0)
    step_label = models.CharField(max_length=80, blank=True)
    error = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to=_export_path, blank=True, max_length=200)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    checksum = models.CharField("SHA-256 of the ZIP", max_length=64, blank=True)
    # The Celery task id holding the claim: a redelivery of the same message may take it back.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = RecordExportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # A double tap, or two tabs, finds the export already on its way.
            models.UniqueConstraint(
                "patient",
                "kind",
                condition=models.Q(state__in=["queued", "running"]),
                name="record_export_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "ready", "failed", "expired"]),
                name="record_export_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="ready")
                | (~models.Q(file="") & models.Q(expires_at__isnull=False)),
                name="record_export_ready_has_file",
            ),
        ]
        indexes = [
            models.Index(
                fields=["expires_at"], condition=~models.Q(file=""), name="record_export_expiring"
            )
        ]

    def __str__(self) -> str:
        return f"Record export {self.pk} of {self.patient_id} ({self.state})"

    @property
    def is_expired(self) -> bool:
        if self.state == self.State.EXPIRED:
            return True
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY and not self.is_expired

    @property
    def is_stalled(self) -> bool:
        """Claimed for longer than the hard time limit allows: its worker is gone."""
        if self.state != self.State.RUNNING or self.claimed_at is None:
            return False
        limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
        return timezone.now() - self.claimed_at > limit

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING and not self.is_stalled

    @property
    def is_failed(self) -> bool:
        return self.state == self.State.FAILED or self.is_stalled

    @property
    def percent(self) -> int:
        return round(100 * self.step / self.steps) if self.steps else 0

    @property
    def download_name(self) -> str:
        day = timezone.localtime(self.ready_at or self.requested_at).date()
        mrn = "".join(ch for ch in str(self.patient.mrn) if ch.isalnum()) or str(self.patient_id)
        return f"record-{mrn}-{day.isoformat()}.zip"
