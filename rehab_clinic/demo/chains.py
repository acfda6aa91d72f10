"""The audit events of the bulk copies, appended to the clinic's hash chain.

Each copy gets the sample patient's events (same actions, details and times) naming the copy's
patient, therapist, portal account and rows. They are chained exactly as `record_event` would
chain them: the keyed hash of each covers `AuditEvent.canonical()` and the previous hash, and the
chain's signed head moves to the last one, so `manage.py verify_audit` checks them like any
other event. Each sample event is prepared once (`_Shape`): its canonical text rendered with
placeholders and its unchanged columns converted for COPY; a copy only fills in its ids, its
people and the chain's place, and the per-copy values (users, emails) are encoded once a copy.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models

from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditChainHead, AuditEvent, chain_of
from rehab_clinic.demo.copies import COPIED, Copy
from rehab_clinic.demo.rowcopy import RowWriter, columns_of

# The fields a copy changes, by the number its placeholder carries.
_VARIABLE = ("user_id", "user_email", "patient_id", "object_id", "object_repr", "sequence")
_PLACEHOLDER = re.compile(r'"@@(\d)@@"')
_CHANGED = {*_VARIABLE, "previous_hash", "row_hash"}


class _Event:
    """Just the attributes `AuditEvent.canonical()` reads, so its own code renders the text."""

    canonical = AuditEvent.canonical

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _template(event: dict[str, Any]) -> str:
    """The event's canonical text as a format string: `{n}` stands for the JSON of the n-th
    field of `_VARIABLE` (the fields a copy changes)."""
    values = dict(event)
    for n, name in enumerate(_VARIABLE):
        if values[name] is not None:
            values[name] = f"@@{n}@@"
    text: bytes = _Event(values).canonical()  # type: ignore[misc]
    escaped = text.decode().replace("{", "{{").replace("}", "}}")
    return _PLACEHOLDER.sub(lambda found: "{" + found.group(1) + "}", escaped)


@dataclass
class _Shape:
    """A sample event prepared once for all its copies: its row with the unchanged columns
    already in COPY's form, its canonical text in parts, and how a copy finds its object."""

    event: dict[str, Any]
    text: str  # the canonical text to format (`_template`)
    row: list[Any]
    target: type[models.Model] | str | None  # a copied model, "patient", or None: kept as is
    old_id: int
    kept_id: str  # the object id's JSON when it is kept as it is
    shown: str  # the object's name as JSON, when it is kept as it is


def _shapes(events: list[dict[str, Any]], writer: RowWriter, columns: list[str]) -> list[_Shape]:
    labels = {model._meta.label: model for model, _ in COPIED}
    shapes = []
    for event in events:
        row = [None if c in _CHANGED else _column(writer, n, event[c])
               for n, c in enumerate(columns)]  # fmt: skip
        object_id = event["object_id"]
        target: type[models.Model] | str | None = labels.get(event["object_type"])
        if target is None or not object_id.isdigit():
            target = "patient" if event["object_type"] == "patients.Patient" else None
        old = int(object_id) if target is not None and target != "patient" else 0
        kept, shown = json.dumps(object_id), json.dumps(event["object_repr"])
        shapes.append(_Shape(event, _template(event), row, target, old, kept, shown))
    return shapes


def _column(writer: RowWriter, position: int, value: Any) -> Any:
    return writer.null if value is None else value if isinstance(value, int) else (
        writer.constant(position, value))  # fmt: skip


def write_events(copies: Sequence[Copy], *, clinic_id: int) -> int:
    """Append every copy's events to the clinic's chain; returns how many."""
    samples = {id(c.template): c.template for c in copies}
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    columns = columns_of(AuditEvent, with_id=False)
    writer = RowWriter(AuditEvent, columns)
    shapes = {
        key: _shapes(
            list(AuditEvent.objects.filter(patient=s.patient).order_by("chain", "sequence")
                 .values(*fields)),
            writer,
            columns,
        )
        for key, s in samples.items()
    }  # fmt: skip
    at_user, at_email, at_patient, at_object, at_repr, at_sequence, at_previous, at_hash = (
        columns.index(name) for name in (*_VARIABLE, "previous_hash", "row_hash")
    )
    emails = _emails(copies)
    head = AuditChainHead.objects.select_for_update().get(chain=chain_of(clinic_id))
    secret = settings.AUDIT_HMAC_KEY.encode()
    sequence, previous = head.count, head.last_hash
    for copy in copies:
        users = copy.users()
        patient = copy.patient.pk
        sample_name, name = copy.template.patient.full_name, copy.patient.full_name
        name_json = json.dumps(name)
        people: dict[tuple[int | None, str], tuple[int | None, str, str, str]] = {}
        for shape in shapes[id(copy.template)]:
            sequence += 1
            event = shape.event
            found = people.get((event["user_id"], event["user_email"]))
            if found is None:
                found = _person(users, emails, event, people)
            user, email, user_json, email_json = found
            if shape.target is None:
                object_id, object_json = event["object_id"], shape.kept_id
            else:
                object_id = str(patient if shape.target == "patient" else
                                copy.new_id(shape.target, shape.old_id))  # type: ignore[arg-type]  # fmt: skip
                object_json = f'"{object_id}"'  # digits only: no escaping
            if event["object_repr"] == sample_name:
                shown, shown_json = name, name_json
            else:
                shown, shown_json = event["object_repr"], shape.shown
            text = shape.text.format(
                user_json, email_json, patient, object_json, shown_json, sequence
            )
            # The one-shot form of `record_event`'s keyed hash (`AuditEvent.compute_hash`).
            row_hash = hmac.digest(secret, (previous + text).encode(), "sha256").hex()
            row = shape.row.copy()
            row[at_user] = writer.null if user is None else user
            row[at_email], row[at_patient], row[at_object] = email, patient, object_id
            row[at_repr], row[at_sequence] = shown, sequence
            row[at_previous], row[at_hash] = previous, row_hash
            writer.add(row)
            previous = row_hash
    written = writer.close()
    head.count, head.last_hash = sequence, previous
    head.signature = head.compute_signature()
    head.save(update_fields=["count", "last_hash", "signature"])
    return written


def _person(
    users: dict[int | None, int | None],
    emails: dict[int, str],
    event: dict[str, Any],
    known: dict[tuple[int | None, str], tuple[int | None, str, str, str]],
) -> tuple[int | None, str, str, str]:
    """The copy's user and email for the sample event's (as values and as canonical JSON)."""
    old = event["user_id"]
    user = users.get(old, old)
    email = emails.get(user, event["user_email"]) if user else event["user_email"]
    found = known[(old, event["user_email"])] = (user, email, json.dumps(user), json.dumps(email))
    return found


def _emails(copies: Sequence[Copy]) -> dict[int, str]:
    ids = {c.patient.primary_therapist_id for c in copies} | {c.patient.user_id for c in copies}
    return dict(User.objects.filter(pk__in=[i for i in ids if i]).values_list("id", "email"))
