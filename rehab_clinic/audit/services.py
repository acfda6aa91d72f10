"""Writing and checking the audit trail."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from rehab_clinic.audit.changes import safe_changes
from rehab_clinic.audit.context import current
from rehab_clinic.audit.models import (
    GENESIS_HASH,
    AuditChainHead,
    AuditCheckpoint,
    AuditEvent,
    chain_of,
)

if TYPE_CHECKING:  # types only: every app calls record_event, so it imports none at run time
    from patients.models import Patient
    from rehab_clinic.accounts.models import Clinic, User

# Any constant works: it names the advisory lock that serialises checkpoint writers (rare).
_CHECKPOINT_LOCK_ID = 727_002
checkpoint_log = logging.getLogger("rehab_clinic.audit.checkpoint")


def record_event(
    *,
    action: str,
    user: "User | None" = None,
    patient: "Patient | None" = None,
    obj: models.Model | None = None,
    clinic: "Clinic | None" = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    detail: str = "",
    user_email: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Safe to call inside or outside a transaction.

    `changes` is what the change changed, `{"field": [old, new]}` (`changes.field_changes`);
    a field with a secret's name is dropped here whatever the caller passed.
    The address comes from the request being handled (`audit.context`), none outside a request.
    """
    context = current()
    if clinic is None:
        clinic = getattr(patient, "clinic", None) or getattr(user, "clinic", None)
    event = AuditEvent(
        occurred_at=timezone.now(),
        user=user,
        user_email=(getattr(user, "email", "") or user_email)[:254],
        clinic=clinic,
        patient=patient,
        action=action,
        object_type=obj._meta.label if obj is not None else object_type[:100],
        object_id=str(obj.pk) if obj is not None else object_id[:64],
        object_repr=str(obj)[:200] if obj is not None else object_repr[:200],
        detail=detail[:500],
        ip_address=context.ip if context is not None else None,
        outcome=outcome,
        changes=safe_changes(changes),
    )
    _append(event)
    return event


# What a page view, a download or an export leaves: the only actions `record_read` takes.
READ_ACTIONS = frozenset(
    {AuditEvent.Action.VIEW, AuditEvent.Action.DOWNLOAD, AuditEvent.Action.EXPORT}
)


def record_read(
    *,
    by: "User",
    action: str = AuditEvent.Action.VIEW,
    patient: "Patient | None" = None,
    obj: models.Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """A read, recorded where it happens (the view): a change is recorded by its service.

    Refuses any other action, so a view cannot audit a write in place of the service.
    """
    if action not in READ_ACTIONS:
        raise ValueError(f"{action!r} is not a read; record it in the service that writes")
    return record_event(action=action, user=by, patient=patient, obj=obj, detail=detail)


def _locked_head(chain: int) -> AuditChainHead:
    """The chain's head row, locked until the transaction ends: the per-chain write lock."""
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    # First event of a new clinic (or a head lost with the database): start from the events.
    last = (
        AuditEvent.objects.filter(chain=chain)
        .order_by("-sequence")
        .values_list("sequence", "row_hash")
        .first()
    )
    start = AuditChainHead(chain=chain)
    if last is not None:
        start.count, start.last_hash = last
    start.signature = start.compute_signature()
    AuditChainHead.objects.bulk_create([start], ignore_conflicts=True)
    return AuditChainHead.objects.select_for_update().get(chain=chain)


def _append(event: AuditEvent) -> None:
    # No savepoint: if the insert fails the caller's transaction fails with it, which is right
    # for an audited action, and it saves two round trips on every audited request.
    with transaction.atomic(savepoint=False):
        head = _locked_head(chain_of(event.clinic_id))
        event.chain = head.chain
        event.sequence = head.count + 1
        event.previous_hash = head.last_hash
        event.row_hash = event.compute_hash(event.previous_hash)
        event.save(force_insert=True)
        head.count = event.sequence
        head.last_hash = event.row_hash
        head.signature = head.compute_signature()
        head.save(update_fields=["count", "last_hash", "signature"])


@dataclass(frozen=True)
class ChainReport:
    chain: int
    checked: int
    problem: str | None
    first_bad_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None

    @property
    def reason(self) -> str:
        return self.problem or "intact"


def verify_chain(chain: int) -> ChainReport:
    """Walk one chain from its start, then hold its end against the signed head and checkpoint."""
    checkpoint = AuditCheckpoint.objects.filter(chain=chain).order_by("-id").first()
    hash_at_checkpoint: str | None = None
    previous = GENESIS_HASH
    checked = 0
    events = AuditEvent.objects.filter(chain=chain).order_by("sequence")
    for event in events.iterator(chunk_size=2000):
        if event.sequence != checked + 1:
            return ChainReport(
                chain,
                checked,
                f"events {checked + 1} to {event.sequence - 1} of the chain are missing",
                event.id,
            )
        if event.previous_hash != previous:
            return ChainReport(chain, checked, "a row before it was removed or changed", event.id)
        if event.compute_hash(previous) != event.row_hash:
            return ChainReport(chain, checked, "its content does not match its hash", event.id)
        previous = event.row_hash
        checked += 1
        if checkpoint is not None and checked == checkpoint.count:
            hash_at_checkpoint = event.row_hash
    problem = _compare_with_head(chain, checked, previous)
    if problem is None and checkpoint is not None:
        problem = _compare_with_checkpoint(checkpoint, checked, hash_at_checkpoint)
    return ChainReport(chain, checked, problem)


def _compare_with_head(chain: int, checked: int, last_hash: str) -> str | None:
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head is None:
        return "the chain's signed head is missing" if checked else None
    if not head.signature_matches():
        return "the chain's signed head was altered"
    if head.count > checked:
        if checked == 0:
            return f"all {head.count} events are gone (the table was emptied or truncated)"
        return (
            f"the last {head.count - checked} events were removed "
            f"(the signed head records {head.count})"
        )
    if head.count < checked or head.last_hash != last_hash:
        return "the end of the chain does not match its signed head (rows written outside the app)"
    return None


def _compare_with_checkpoint(
    checkpoint: AuditCheckpoint, checked: int, hash_at_checkpoint: str | None
) -> str | None:
    when = f"{checkpoint.taken_at:%Y-%m-%d %H:%M} UTC"
    if checkpoint.count > checked:
        return (
            f"the last {checkpoint.count - checked} events were removed "
            f"(the checkpoint of {when} records {checkpoint.count})"
        )
    if checkpoint.count and hash_at_checkpoint != checkpoint.last_hash:
        return f"the chain was rewritten since the checkpoint of {when}"
    return None


def verify_checkpoints() -> ChainReport:
    """The checkpoints' own chain: a removed or edited checkpoint breaks it."""
    previous = GENESIS_HASH
    checked = 0
    for checkpoint in AuditCheckpoint.objects.order_by("id").iterator(chunk_size=2000):
        if checkpoint.previous_signature != previous:
            return ChainReport(-1, checked, "a checkpoint before it was removed", checkpoint.id)
        if checkpoint.compute_signature(previous) != checkpoint.signature:
            return ChainReport(-1, checked, "the checkpoint was altered", checkpoint.id)
        previous = checkpoint.signature
        checked += 1
    return ChainReport(-1, checked, None)


def known_chains() -> list[int]:
    """Every chain that has events, a head or a checkpoint (a chain emptied still has the last
    two, so it is still checked)."""
    chains = set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    chains.update(AuditChainHead.objects.values_list("chain", flat=True))
    chains.update(AuditCheckpoint.objects.values_list("chain", flat=True).distinct())
    return sorted(chains)


def verify_audit_trail() -> list[ChainReport]:
    """Every chain's report, then the checkpoints' own."""
    return [*(verify_chain(chain) for chain in known_chains()), verify_checkpoints()]


def take_checkpoints() -> list[AuditCheckpoint]:
    """Copy every chain head that moved since its last checkpoint out of the event table, and
    into the log stream (a copy outside the database)."""
    taken: list[AuditCheckpoint] = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHECKPOINT_LOCK_ID])
        newest_ids = AuditCheckpoint.objects.values("chain").annotate(newest=Max("id"))
        latest = {
            c.chain: c for c in AuditCheckpoint.objects.filter(id__in=newest_ids.values("newest"))
        }
        previous = (
            AuditCheckpoint.objects.order_by("-id").values_list("signature", flat=True).first()
            or GENESIS_HASH
        )
        for head in AuditChainHead.objects.order_by("chain"):
            last = latest.get(head.chain)
            if (last is not None and last.count == head.count) or not head.signature_matches():
                continue
            checkpoint = AuditCheckpoint(
                taken_at=timezone.now(),
                chain=head.chain,
                count=head.count,
                last_hash=head.last_hash,
                previous_signature=previous,
            )
            checkpoint.signature = checkpoint.compute_signature(previous)
            checkpoint.save(force_insert=True)
            previous = checkpoint.signature
            taken.append(checkpoint)
            checkpoint_log.info(
                "audit checkpoint chain=%s count=%s last_hash=%s signature=%s",
                checkpoint.chain,
                checkpoint.count,
                checkpoint.last_hash,
                checkpoint.signature,
            )
    return taken
