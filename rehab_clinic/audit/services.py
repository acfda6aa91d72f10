"""Writing and checking the audit trail."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from rehab_clinic.audit.models import AuditEvent

GENESIS_HASH = "0" * 64
# Any constant works: it names the one advisory lock that serialises writers of the chain.
_CHAIN_LOCK_ID = 727_001


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; X-Forwarded-For is believed only for the configured proxy hops."""
    hops = settings.AXES_IPWARE_PROXY_COUNT
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def record_event(
    *,
    action: str,
    request: HttpRequest | None = None,
    user: Any = None,
    patient: Any = None,
    obj: models.Model | None = None,
    clinic: Any = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    detail: str = "",
    user_email: str = "",
) -> AuditEvent:
    """Append one event to the chain. Safe to call inside or outside a transaction."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if clinic is None:
        clinic = getattr(patient, "clinic", None) or getattr(user, "clinic", None)
    event = AuditEvent(
        occurred_at=timezone.now(),
        user=user,
        user_email=(getattr(user, "email", "") or user_email)[:254],
        clinic=clinic,
        patient=patient,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail[:500],
        ip_address=client_ip(request) if request is not None else None,
        outcome=outcome,
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])
        last = AuditEvent.objects.order_by("-id").values_list("row_hash", flat=True).first()
        event.previous_hash = last or GENESIS_HASH
        event.row_hash = event.compute_hash(event.previous_hash)
        event.save()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_id: int | None
    reason: str

    @property
    def intact(self) -> bool:
        return self.first_bad_id is None


def verify_chain() -> ChainReport:
    previous = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous:
            return ChainReport(checked, event.id, "a row before it was removed or changed")
        if event.compute_hash(previous) != event.row_hash:
            return ChainReport(checked, event.id, "its content does not match its hash")
        previous = event.row_hash
        checked += 1
    return ChainReport(checked, None, "intact")
