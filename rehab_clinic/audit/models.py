"""The append-only audit trail.

Each row stores a keyed hash (HMAC-SHA256) over its own content and the previous row's hash, so
editing, deleting or inserting a row anywhere breaks the chain from there on, and
`manage.py verify_audit` says where. The app has no path that updates or deletes a row; on
PostgreSQL a trigger refuses UPDATE and DELETE as well.
"""

import hashlib
import hmac
import json
from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(RuntimeError):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("Audit events cannot be deleted.")

    def for_clinic(self, clinic: Any) -> "AuditEventQuerySet":
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
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["clinic", "-occurred_at"]),
            models.Index(fields=["patient", "-occurred_at"]),
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
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self, previous_hash: str) -> str:
        key = settings.AUDIT_HMAC_KEY.encode()
        return hmac.new(key, previous_hash.encode() + self.canonical(), hashlib.sha256).hexdigest()
