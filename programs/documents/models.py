"""Generated documents (the printed home program) and the row that tracks each one's rendering.

One row per (program version, kind), enforced by a unique key, so a repeated request finds the
existing row instead of rendering again. A worker may render only after it has *claimed* the row
with a conditional UPDATE (see `programs.documents.rendering.claim_document`).
"""

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

__all__ = ["ProgramDocument"]


def _document_path(document: ProgramDocument, filename: str) -> str:
    # Not guessable, and never served from MEDIA_URL: downloads go through a view that checks
    # access (SECURITY.md, Files).
    return f"program-documents/{uuid.uuid4().hex}.pdf"


class ProgramDocumentQuerySet(models.QuerySet["ProgramDocument"]):
    def visible_to(self, user: User) -> ProgramDocumentQuerySet:
        return self.filter(version__program__episode__patient__in=Patient.objects.visible_to(user))


class ProgramDocument(models.Model):
    class Kind(models.TextChoices):
        HOME_PROGRAM = "home_program", "Home program PDF"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    version = models.ForeignKey(
        "programs.ProgramVersion", on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HOME_PROGRAM)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to=_document_path, blank=True, max_length=200)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    checksum = models.CharField("SHA-256 of the file", max_length=64, blank=True)
    # The Celery task id holding the claim: a redelivery of the same message may take it back.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rendered_at = models.DateTimeField(null=True, blank=True)

    objects = ProgramDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint("version", "kind", name="program_document_once_per_version"),
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "rendering", "ready", "failed"]),
                name="program_document_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="ready") | (~models.Q(file="") & ~models.Q(checksum="")),
                name="program_document_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.version} ({self.state})"

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RENDERING) and not self.is_stalled

    @property
    def is_failed(self) -> bool:
        return self.state == self.State.FAILED or self.is_stalled

    @property
    def is_stalled(self) -> bool:
        """Claimed for longer than the hard time limit allows: its worker is gone."""
        if self.state != self.State.RENDERING or self.claimed_at is None:
            return False
        limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
        return timezone.now() - self.claimed_at > limit

    @property
    def download_name(self) -> str:
        title = str(self.version.snapshot.get("title") or "home-program")
        slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")
        return f"{slug or 'home-program'}-v{self.version.number}.pdf"
