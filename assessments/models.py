"""Clinical notes (evaluations, daily, progress, discharge), addenda, drafts; outcome responses
(`outcome_models.py`).

Every note type shares one table so that signing, locking, drafts, addenda and the episode
timeline work the same way for all of them; each type is also a proxy model with its own name.
A note's sections live in ``content`` (a JSON object whose shape the note type's form defines).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone

# The outcome models live in their own module; named here for model discovery and so that
# `from assessments.models import OutcomeResponse` keeps working.
from assessments.billing_codes import BillingCode as BillingCode
from assessments.document_models import NoteDocument as NoteDocument
from assessments.document_models import SignerCredentials as SignerCredentials
from assessments.outcome_models import InstrumentSetting as InstrumentSetting
from assessments.outcome_models import OutcomeAssignment as OutcomeAssignment
from assessments.outcome_models import OutcomeResponse as OutcomeResponse
from assessments.outcome_models import mcid_table as mcid_table
from assessments.schedules import QuestionnaireSchedule  # noqa: F401 (model discovery)
from patients.models import Episode

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


def content_hash(payload: Any) -> str:
    """SHA-256 of a canonical JSON rendering (sorted keys, no whitespace)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


CURRENT_HASH_VERSION = 2


class NoteLocked(Exception):
    """Raised when anything tries to change a signed note."""


class NoteQuerySet(models.QuerySet["Note"]):
    def visible_to(self, user: User) -> NoteQuerySet:
        return self.filter(episode__in=Episode.objects.visible_to(user))

    def signed(self) -> NoteQuerySet:
        return self.filter(signed_at__isnull=False)

    def released_to_patient(self) -> NoteQuerySet:
        return self.signed().filter(withheld_at__isnull=True)


class Note(models.Model):
    class Kind(models.TextChoices):
        INTAKE = "intake", "Initial evaluation"
        DAILY = "daily", "Daily note"
        PROGRESS = "progress", "Progress note"
        REEVAL = "reeval", "Re-evaluation"
        DISCHARGE = "discharge", "Discharge summary"

    episode = models.ForeignKey("patients.Episode", on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    visit_date = models.DateField(default=timezone.localdate)
    content = models.JSONField(default=dict, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    copied_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    saved_at = models.DateTimeField(
        null=True, blank=True, help_text="When the form was last saved (not autosaved)."
    )

    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content_hash = models.CharField(max_length=64, blank=True)
    # The rule behind content_hash: 1 covered the episode id only, 2 the patient as well.
    hash_version = models.PositiveSmallIntegerField(default=2)

    # Released to the patient portal as soon as it is signed, unless withheld with a reason.
    withheld_at = models.DateTimeField(null=True, blank=True)
    withheld_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withheld_reason = models.CharField(max_length=300, blank=True)

    # The plain-language summary the patient reads first (what we found, what we will do, what
    # you do at home). Written for the patient after the visit, so, like the release fields, it
    # is not part of the signed clinical content and stays editable.
    patient_summary = models.JSONField(default=dict, blank=True)
    patient_summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    patient_summary_at = models.DateTimeField(null=True, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["visit_date", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True, signed_by__isnull=True, content_hash="")
                | (
                    models.Q(signed_at__isnull=False, signed_by__isnull=False)
                    & ~models.Q(content_hash="")
                ),
                name="note_signature_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(withheld_at__isnull=True, withheld_reason="")
                | (models.Q(withheld_at__isnull=False) & ~models.Q(withheld_reason="")),
                name="note_withheld_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["episode", "visit_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visit_date.isoformat()}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_withheld(self) -> bool:
        return self.withheld_at is not None

    def assert_editable(self) -> None:
        if self.is_signed:
            raise NoteLocked(f"{self} was signed and cannot be changed; add an addendum.")

    def hash_payload(self) -> dict[str, Any]:
        """What the signature covers: the note's clinical content and its measures."""
        outcomes = [
            {"instrument": r.instrument, "answers": r.answers, "scores": r.scores}
            | ({"struck_reason": r.struck_reason} if r.is_struck else {})
            for r in self.outcome_responses.order_by("id")
        ]
        payload = {
            "note": self.pk,
            "episode": self.episode_id,
            "kind": self.kind,
            "visit_date": self.visit_date.isoformat(),
            "author": self.author_id,
            "content": self.content,
            "outcomes": outcomes,
            "signed_by": self.signed_by_id,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
        }
        return payload | ({"patient": self.episode.patient_id} if self.hash_version >= 2 else {})

    def compute_hash(self) -> str:
        return content_hash(self.hash_payload())

    def hash_matches(self) -> bool:
        return self.is_signed and self.compute_hash() == self.content_hash

    def sign(self, *, by: User) -> None:
        self.assert_editable()
        self.signed_at = timezone.now()
        self.signed_by = by
        self.hash_version = CURRENT_HASH_VERSION
        self.content_hash = self.compute_hash()
        self.save(update_fields=["signed_at", "signed_by", "hash_version", "content_hash"])


class _KindManager(models.Manager[Note]):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def get_queryset(self) -> NoteQuerySet:
        return NoteQuerySet(self.model, using=self._db).filter(kind=self.kind)


class IntakeEvaluation(Note):
    """Initial evaluation: subjective, objective, gait, outcome measures, assessment and plan."""

    objects = _KindManager(Note.Kind.INTAKE)  # type: ignore[assignment,misc]

    class Meta:
        proxy = True


class DailyNote(Note):
    """A SOAP treatment note, including modalities applied."""

    objects = _KindManager(Note.Kind.DAILY)  # type: ignore[assignment,misc]

    class Meta:
        proxy = True


class ProgressNote(Note):
    """Progress report or re-evaluation: the measures repeated, change since intake."""

    objects = _KindManager(Note.Kind.PROGRESS)  # type: ignore[assignment,misc]

    class Meta:
        proxy = True


class DischargeSummary(Note):
    objects = _KindManager(Note.Kind.DISCHARGE)  # type: ignore[assignment,misc]

    class Meta:
        proxy = True


class Addendum(models.Model):
    """A dated, signed addition to a signed note; the original stays as it was."""

    class Kind(models.TextChoices):
        ADDENDUM = "addendum", "Addendum"
        LATE_ENTRY = "late_entry", "Late entry"
        CORRECTION = "correction", "Correction"

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ADDENDUM)
    reason = models.CharField(max_length=300)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "addenda"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason="") & ~models.Q(text=""), name="addendum_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.note}"

    def hash_payload(self) -> dict[str, Any]:
        return {
            "note": self.note_id,
            "kind": self.kind,
            "reason": self.reason,
            "text": self.text,
            "author": self.author_id,
            "created_at": self.created_at.isoformat(),
        }


class NoteDraft(models.Model):
    """What a therapist last typed into a note form, saved in the background.

    ``data`` keeps the raw form fields (name -> list of values) so the form can be rebuilt
    exactly as it was, even when it would not yet validate.
    """

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "user"], name="one_draft_per_note_and_user")
        ]

    def __str__(self) -> str:
        return f"Draft of {self.note}"
