"""What a change changed: the old and new value of each field, for the audit trail.

A workflow takes `snapshot(instance)` (or `stored_snapshot(instance)`, read back from the
database, when a model form has already written the new values onto the instance) before it
saves, and passes `field_changes(before, snapshot(instance))` to `record_event(changes=...)`.
The event stores only the fields whose value differs, as `{"field": [old, new]}`, and its hash
covers them, so `verify_audit` notices an edited diff.

Secrets never reach the trail. Two rules, both always applied:

- **Allowlist for the models that hold secrets** (`ALLOWED_FIELDS`): of a user only the name,
  email, clinic, role and active flag are ever read; the password hash, last sign-in and anything
  added to the model later stay out until someone adds them to the list on purpose.
- **Denylist of secret-looking field names** (`is_secret_field`), for every other model and
  again in `record_event` at the point of storage, whatever a caller passes: any field whose name
  has a word such as password, secret, token, otp, key, credential, session, salt or signature is
  dropped. OTP devices, passkey credentials, backup codes and sessions are separate models that
  no workflow snapshots; the denylist is the net under that.

Values are stored as JSON scalars (text, whole numbers, true/false, null) so that what PostgreSQL
hands back from `jsonb` hashes exactly as what was written; a JSON field (a note's content) is
spread into one entry per leaf (`content.main.pain_now`), so a diff names the answer that changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models

Scalar = str | int | bool | None
Snapshot = dict[str, Scalar]
Changes = dict[str, list[Scalar]]

# Models whose rows carry secrets: only these fields are ever read (model label -> names).
ALLOWED_FIELDS: dict[str, frozenset[str]] = {
    "accounts.User": frozenset({"email", "full_name", "clinic", "role", "is_active"}),
}

_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "secret",
        "token",
        "otp",
        "totp",
        "key",
        "credential",
        "credentials",
        "session",
        "salt",
        "signature",
        "passkey",
        "hash",
    }
)
# A value longer than this is cut: the trail says what changed, it is not a second copy.
MAX_VALUE_CHARS = 1000
_MAX_LEAVES = 400


def is_secret_field(name: str) -> bool:
    """True for a field (or JSON path) any of whose words names a secret: `otp_secret`,
    `token_hash`, `content.session_key`; `icd10_code` or `weekly_distance_m` are not."""
    words = re.split(r"[^a-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower())
    return any(word in _SECRET_WORDS for word in words)


def _plain(value: Any) -> Scalar:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        text = value.isoformat()
    elif isinstance(value, float | Decimal | UUID | dt.timedelta):
        # Text, not a JSON number: jsonb would hand 1e20 back as a whole number.
        text = str(value)
    elif isinstance(value, bytes | memoryview):
        text = "(binary)"
    elif isinstance(value, models.fields.files.FieldFile):
        text = value.name or ""
    else:
        text = str(value)
    text = text.replace("\x00", "")
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _leaves(prefix: str, value: Any, into: Snapshot) -> None:
    if isinstance(value, Mapping):
        if not value:
            into[prefix] = "{}"
        for key, inner in value.items():
            _leaves(f"{prefix}.{key}", inner, into)
    elif isinstance(value, list | tuple):
        if not value:
            into[prefix] = "[]"
        for index, inner in enumerate(value):
            _leaves(f"{prefix}.{index}", inner, into)
    elif len(into) < _MAX_LEAVES:
        into[prefix] = _plain(value)


def snapshot(instance: models.Model | None) -> Snapshot:
    """The instance's concrete fields as plain values, secrets left out (see the module's
    docstring); the primary key and automatic timestamps are left out too (they say nothing)."""
    if instance is None:
        return {}
    allowed = ALLOWED_FIELDS.get(instance._meta.label)
    values: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        if (allowed is not None and field.name not in allowed) or is_secret_field(field.name):
            continue
        value = getattr(instance, field.attname)
        if isinstance(field, models.JSONField):
            _leaves(field.name, value, values)
        else:
            values[field.name] = _plain(value)
    return {name: value for name, value in values.items() if not is_secret_field(name)}


def stored_snapshot(instance: models.Model) -> Snapshot:
    """The snapshot of the row as the database holds it (one query; {} for a new instance).
    For model forms, whose validation writes the new values onto the instance."""
    if instance.pk is None:
        return {}
    stored = type(instance)._base_manager.filter(pk=instance.pk).first()
    return snapshot(stored)


def field_changes(before: Snapshot, after: Snapshot) -> Changes:
    """`{"field": [old, new]}` for each field whose value differs; unchanged fields are absent.
    A field present on one side only (a new JSON answer) counts as changed from or to null."""
    changes: Changes = {}
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old != new or type(old) is not type(new):
            changes[name] = [old, new]
    return changes


def safe_changes(changes: Mapping[str, Any] | None) -> Changes:
    """What `record_event` stores: secret-named fields dropped, values made plain."""
    if not changes:
        return {}
    kept: Changes = {}
    for name, pair in changes.items():
        if is_secret_field(str(name)):
            continue
        old, new = pair
        kept[str(name)[:200]] = [_plain(old), _plain(new)]
    return kept
