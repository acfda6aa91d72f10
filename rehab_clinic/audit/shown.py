"""How the audit report shows what a change changed: each stored field path in words, blanks,
flags and moments in words, and a field that points at a user by that person's name.

The names are looked up by the report, one query for its page (`views.name_the_people`), and
only among the admin's own clinic's users; elsewhere (the CSV, an event on its own) a user field
reads "user 7", its stored id.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.utils import timezone

# A moment as the trail stores it (`changes._plain`: isoformat, in UTC).
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)")
# What a JSON field that held nothing stores, beside the entries of what it holds now.
_NOTHING = (None, "", "[]", "{}")


class ChangeRow(NamedTuple):
    field: str  # as stored: `content.main.pain_now`, `readiness_ticked.0`
    label: str  # as a person reads it: "Content / main / pain now", "Readiness ticked / item 1"
    old: str
    new: str


def field_label(name: str) -> str:
    """A stored field path in words: underscores as spaces, dots as "/", a list's place
    counted from one ("readiness_ticked.0" → "Readiness ticked / item 1")."""
    words = [
        f"item {int(part) + 1}" if part.isdigit() else part.replace("_", " ").strip()
        for part in name.split(".")
    ]
    text = " / ".join(word for word in words if word)
    return text[:1].upper() + text[1:]


@functools.cache
def user_fields(object_type: str) -> frozenset[str]:
    """The fields of the audited model (`programs.ReturnToRunPlan`) that point at a user."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return frozenset()
    return frozenset(
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model is not None
        and field.related_model._meta.label == settings.AUTH_USER_MODEL
    )


def user_ids(object_type: str, changes: Mapping[str, Any]) -> set[int]:
    """The ids of the users a change's user fields held, before and after."""
    fields = user_fields(object_type)
    return {
        value
        for name, pair in changes.items()
        if name in fields
        for value in pair
        if isinstance(value, int) and not isinstance(value, bool)
    }


def _shown(value: Any, *, user: bool = False, people: Mapping[int, str] | None = None) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if user and isinstance(value, int):
        name = (people or {}).get(value)
        return f"{name} (user {value})" if name else f"user {value}"
    if isinstance(value, str) and _MOMENT.fullmatch(value):
        # In the zone the report's times are in (the clinic's, which the request activates),
        # not "2026-12-04T03:11:05.179424+00:00" beside a row that says 21:11 CST.
        moment = timezone.localtime(dt.datetime.fromisoformat(value))
        return f"{moment:%Y-%m-%d %H:%M:%S} {moment.tzname()}"
    return str(value)


def change_rows(
    object_type: str, changes: Mapping[str, Any], people: Mapping[int, str]
) -> list[ChangeRow]:
    """One row a changed field, in the stored order. A JSON field that held nothing and now
    holds entries (or the reverse) stores "[]" beside them; its entries' rows say what changed,
    so that row is left out rather than read as "[] → (empty)"."""
    fields = user_fields(object_type)
    rows = []
    for name, (old, new) in changes.items():
        if old in _NOTHING and new in _NOTHING:
            continue
        user = name in fields
        rows.append(
            ChangeRow(
                name,
                field_label(name),
                _shown(old, user=user, people=people),
                _shown(new, user=user, people=people),
            )
        )
    return rows
