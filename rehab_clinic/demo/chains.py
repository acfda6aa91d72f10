"""The audit events of the bulk copies, appended to the clinic's hash chain.

Each copy gets the sample patient's events (same actions, details and times) naming the copy's
patient, therapist, portal account and rows. They are chained exactly as `record_event` would
chain them: the keyed hash of each covers `AuditEvent.canonical()` and the previous hash, and the
chain's signed head moves to the last one, so `manage.py verify_audit` checks them like any
other event. The canonical text of a sample event is rendered once with placeholders; a copy
only fills in its ids.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditChainHead, AuditEvent, chain_of
from rehab_clinic.demo.copies import COPIED, Copy
from rehab_clinic.demo.rowcopy import RowWriter, columns_of

# The fields a copy changes, by the number its placeholder carries.
_VARIABLE = ("user_id", "user_email", "patient_id", "object_id", "object_repr", "sequence")
_PLACEHOLDER = re.compile(r'"@@(\d)@@"')


class _Event:
    """Just the attributes `AuditEvent.canonical()` reads, so its own code renders the text."""

    canonical = AuditEvent.canonical

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _template(event: dict[str, Any]) -> list[str]:
    """The event's canonical text split at the fields a copy changes: the odd parts are the
    numbers of those fields in `_VARIABLE`."""
    values = dict(event)
    for n, name in enumerate(_VARIABLE):
        if values[name] is not None:
            values[name] = f"@@{n}@@"
    text: bytes = _Event(values).canonical()  # type: ignore[misc]
    return _PLACEHOLDER.split(text.decode())


def write_events(copies: Sequence[Copy], *, clinic_id: int) -> int:
    """Append every copy's events to the clinic's chain; returns how many."""
    samples = {id(c.template): c.template for c in copies}
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    events = {
        key: list(
            AuditEvent.objects.filter(patient=s.patient)
            .order_by("chain", "sequence")
            .values(*fields)
        )
        for key, s in samples.items()
    }
    texts = {key: [_template(e) for e in found] for key, found in events.items()}
    labels = {model._meta.label: model for model, _ in COPIED}
    emails = _emails(copies)
    head = AuditChainHead.objects.select_for_update().get(chain=chain_of(clinic_id))
    key = hmac.new(settings.AUDIT_HMAC_KEY.encode(), digestmod=hashlib.sha256)
    columns = columns_of(AuditEvent, with_id=False)
    writer = RowWriter(AuditEvent, columns)
    sequence, previous = head.count, head.last_hash
    for copy in copies:
        users = copy.users()
        names = {copy.template.patient.full_name: copy.patient.full_name}
        for event, parts in zip(events[id(copy.template)], texts[id(copy.template)], strict=True):
            sequence += 1
            user = users.get(event["user_id"], event["user_id"])
            model = labels.get(event["object_type"])
            object_id = event["object_id"]
            if model is not None and object_id.isdigit():
                object_id = str(copy.new_id(model, int(object_id)))
            elif event["object_type"] == "patients.Patient":
                object_id = str(copy.patient.pk)
            email = emails.get(user, event["user_email"]) if user else event["user_email"]
            values = {
                "user_id": user,
                "user_email": email,
                "patient_id": copy.patient.pk,
                "object_id": object_id,
                "object_repr": names.get(event["object_repr"], event["object_repr"]),
                "sequence": sequence,
            }
            text = "".join(
                part if n % 2 == 0 else json.dumps(values[_VARIABLE[int(part)]])
                for n, part in enumerate(parts)
            )
            mac = key.copy()
            mac.update(previous.encode() + text.encode())
            row_hash = mac.hexdigest()
            row = {**event, **values, "previous_hash": previous, "row_hash": row_hash}
            writer.add([
                writer.null if v is None else v if isinstance(v, int) else writer.constant(n, v)
                for n, v in enumerate(row[c] for c in columns)
            ])  # fmt: skip
            previous = row_hash
    written = writer.close()
    head.count, head.last_hash = sequence, previous
    head.signature = head.compute_signature()
    head.save(update_fields=["count", "last_hash", "signature"])
    return written


def _emails(copies: Sequence[Copy]) -> dict[int, str]:
    ids = {c.patient.primary_therapist_id for c in copies} | {c.patient.user_id for c in copies}
    return dict(User.objects.filter(pk__in=[i for i in ids if i]).values_list("id", "email"))
