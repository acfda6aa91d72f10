"""A signed note's printable copy (the PDF sent to a referring physician or an insurer), the row
that tracks its rendering, and the credentials a signer prints after their name (imported by
`models.py`, so `assessments.models` names them too).

The rendering itself (WeasyPrint, the Celery task, the outbox) is the handout's pipeline, in
`programs.documents`; this app only keeps the rows, so it imports none of that machinery. One row
per note: a row rendered before an addendum was added is rendered again when asked
(`printed_hash` says what it printed, see `assessments.printing`).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from patients.models import Episode

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = ["NoteDocument", "SignerCredentials"]


def _document_path(document: NoteDocument, filename: str) -> str:
    # Not guessable, and never served from MEDIA_URL: downloads go through a view that checks
    # access (SECURITY.md, Files).
    return f"note-documents/{uuid.uuid4().hex}.pdf"


class SignerCredentials(models.Model):
    """What follows a clinician's name on a signature line: "PT, DPT, OCS"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signer_credentials"
    )
    credentials = models.CharField(max_length=80)

    class Meta:
        verbose_name_plural = "signer credentials"

    def __str__(self) -> str:
        return self.credentials


class NoteDocumentQuerySet(models.QuerySet["NoteDocument"]):
    def visible_to(self, user: User) -> NoteDocumentQuerySet:
        """Staff of the note's clinic only: patients never get a note's PDF."""
        if not user.is_clinic_staff:
            return self.none()
        return self.filter(note__episode__in=Episode.objects.visible_to(user))


class NoteDocument(models.Model):
    # The same states as the handout's ProgramDocument: the shared rendering code relies on it.
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    note = models.OneToOneField(
        "assessments.Note", on_delete=models.PROTECT, related_name="document"
    )
    # The signature's content hash and the addenda printed: differs from the note's own once an
    # addendum is added, and the next request renders the PDF again.
    printed_hash = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to=_document_path, blank=True, max_length=200)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    checksum = models.CharField("SHA-256 of the file", max_length=64, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rendered_at = models.DateTimeField(null=True, blank=True)

    objects = NoteDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "rendering", "ready", "failed"]),
                name="note_document_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="ready") | (~models.Q(file="") & ~models.Q(checksum="")),
                name="note_document_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"PDF of {self.note} ({self.state})"

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
        kind = self.note.get_kind_display().lower().replace(" ", "-")
        return f"{kind}-{self.note.visit_date.isoformat()}.pdf"
