"""The append-only audit trail.

There is one hash chain per clinic (events without a clinic, such as failed sign-ins with an
unknown email, form chain 0). Each row stores its place in the chain (`sequence`) and a keyed hash
(HMAC-SHA256) over its own content and the previous row's hash, so editing, deleting or inserting
a row anywhere breaks the chain from there on, and `manage.py verify_audit` says where.

The end of each chain is anchored outside the event table: `AuditChainHead` holds the signed
count and last hash of every chain (its row is also the per-chain write lock, so clinics never
wait for each other), and `AuditCheckpoint` is an append-only, itself chained copy of the heads
taken from time to time and written to the log stream. Deleting the last rows, deleting then
appending, or emptying the table no longer verifies as intact.

A change event also keeps what it changed (`changes`, field: [old, new], from
`audit/changes.py`, secrets never among them), and the hash covers it.

The app has no path that updates or deletes an event; on PostgreSQL triggers refuse UPDATE,
DELETE and TRUNCATE as well.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import models

from rehab_clinic.audit.shown import ChangeRow, change_rows

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic

SYSTEM_CHAIN = 0
GENESIS_HASH = "0" * 64


class AppendOnlyError(RuntimeError):
    pass


def chain_of(clinic_id: int | None) -> int:
    """The chain an event of this clinic belongs to."""
    return clinic_id or SYSTEM_CHAIN


def _hmac(message: bytes) -> str:
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message, hashlib.sha256).hexdigest()


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def for_clinic(self, clinic: Clinic) -> AuditEventQuerySet:
        return self.filter(clinic=clinic)


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        ARCHIVE = "archive", "Archived"
        SIGN = "sign", "Signed"
        EXPORT = "export", "Exported"
        DOWNLOAD = "download", "Downloaded"
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Sign-in failed"
        LOGOUT = "logout", "Signed out"
        ROLE_CHANGE = "role_change", "Role changed"

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Success"
        FAILURE = "failure", "Failure"
        DENIED = "denied", "Denied"

    occurred_at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Kept as text as well, so the row still says who it was if the account is renamed.
    user_email = models.CharField(max_length=254, blank=True)
    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    # What a change changed: {"field": [old, new]} (audit/changes.py; secrets never stored).
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    chain = models.PositiveBigIntegerField()
    sequence = models.PositiveBigIntegerField()
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()
    # Set by the report for the users its page's changes point at: {user id: name}.
    people: dict[int, str]

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["clinic", "-occurred_at"]),
            models.Index(fields=["patient", "-occurred_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_event_chain_place"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.user_email} {self.action} {self.object_repr}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def change_rows(self) -> list[ChangeRow]:
        """The diff as a person reads it (`shown.change_rows`), with the names of the people
        its user fields point at where the report looked them up (`people`)."""
        return change_rows(self.object_type, self.changes, getattr(self, "people", {}))

    def canonical(self) -> bytes:
        fields = {
            "occurred_at": self.occurred_at.isoformat(),
            "user": self.user_id,
            "user_email": self.user_email,
            "clinic": self.clinic_id,
            "patient": self.patient_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "detail": self.detail,
            "ip_address": self.ip_address,
            "outcome": self.outcome,
            "chain": self.chain,
            "sequence": self.sequence,
        }
        # Only when present, so every event written before diffs existed keeps its hash; an
        # emptied or an added diff changes the content all the same.
        if self.changes:
            fields["changes"] = self.changes
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self, previous_hash: str) -> str:
        return _hmac(previous_hash.encode() + self.canonical())


class AuditChainHead(models.Model):
    """The signed end of one chain: how many events it holds and the last one's hash.

    Updated with every event (under this row's lock, which is what serialises writers of one
    chain and only that chain). Not append-only, so it is signed: without the key nobody can set
    it back after deleting events, and `AuditCheckpoint` keeps earlier heads for comparison.
    """

    chain = models.PositiveBigIntegerField(primary_key=True)
    count = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    signature = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"chain {self.chain}: {self.count} events"

    def compute_signature(self) -> str:
        return _hmac(f"head:{self.chain}:{self.count}:{self.last_hash}".encode())

    def signature_matches(self) -> bool:
        return hmac.compare_digest(self.signature, self.compute_signature())


class AuditCheckpointQuerySet(models.QuerySet["AuditCheckpoint"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit checkpoints cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit checkpoints cannot be deleted.")


class AuditCheckpoint(models.Model):
    """A copy of one chain's head at a moment, kept out of the event table (append-only).

    Checkpoints form their own keyed chain (each signature covers the previous one), so removing
    the latest checkpoints breaks it too; each is also written to the log stream, a copy that
    lives outside the database.
    """

    taken_at = models.DateTimeField()
    chain = models.PositiveBigIntegerField()
    count = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)
    previous_signature = models.CharField(max_length=64)
    signature = models.CharField(max_length=64, unique=True)

    objects = AuditCheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["chain", "-id"])]

    def __str__(self) -> str:
        return f"checkpoint of chain {self.chain} at {self.count} events"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit checkpoints cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit checkpoints cannot be deleted.")

    def compute_signature(self, previous_signature: str) -> str:
        body = f"{self.taken_at.isoformat()}:{self.chain}:{self.count}:{self.last_hash}"
        return _hmac(f"checkpoint:{previous_signature}:{body}".encode())
