"""Re-chain the existing events per clinic, after checking the old single chain.

The old chain is verified first with the hash rule it was written with; if it does not verify,
the migration stops rather than sign tampered rows into new, valid-looking chains. Then each
event gets its clinic's chain and its place in it, and is re-hashed with the new rule (which
covers the chain and the place); each chain gets its signed head.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations

GENESIS = "0" * 64


def _hmac(message: bytes) -> str:
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message, hashlib.sha256).hexdigest()


def _fields(event) -> dict:
    return {
        "occurred_at": event.occurred_at.isoformat(),
        "user": event.user_id,
        "user_email": event.user_email,
        "clinic": event.clinic_id,
        "patient": event.patient_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "detail": event.detail,
        "ip_address": event.ip_address,
        "outcome": event.outcome,
    }


def _canonical(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def rechain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    previous = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        expected = _hmac(previous.encode() + _canonical(_fields(event)))
        if event.previous_hash != previous or event.row_hash != expected:
            raise RuntimeError(
                f"The audit chain is broken at event {event.id}; run verify_audit on the previous "
                "release and investigate before migrating (re-chaining would hide it)."
            )
        previous = event.row_hash
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_or_delete"
        )
    heads: dict[int, tuple[int, str]] = {}
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        chain = event.clinic_id or 0
        count, last = heads.get(chain, (0, GENESIS))
        event.chain, event.sequence, event.previous_hash = chain, count + 1, last
        fields = {**_fields(event), "chain": chain, "sequence": count + 1}
        event.row_hash = _hmac(last.encode() + _canonical(fields))
        AuditEvent.objects.filter(pk=event.pk).update(
            chain=event.chain,
            sequence=event.sequence,
            previous_hash=event.previous_hash,
            row_hash=event.row_hash,
        )
        heads[chain] = (event.sequence, event.row_hash)
    for chain, (count, last) in heads.items():
        AuditChainHead.objects.create(
            chain=chain,
            count=count,
            last_hash=last,
            signature=_hmac(f"head:{chain}:{count}:{last}".encode()),
        )
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update_or_delete"
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_per_clinic")]

    operations = [migrations.RunPython(rechain, migrations.RunPython.noop)]
