"""Ticking that forgives: a tick taken back on the day it was made, and how it felt (pain and
difficulty) said with the tick. (Ticking itself, with late ticks for the last week, is
`services.record_completion`.)"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from programs.home.models import Completion, ProgramVersion
from programs.home.services import ProgramError
from rehab_clinic.audit.changes import field_changes, snapshot
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


def undo_completion(
    *, version: ProgramVersion, item_key: str, day: date, session: int, by: User
) -> bool:
    """Take back a tick made by mistake, on the day it was made (clinic time); afterwards the
    tick is part of the record. False when there was no such tick (a repeat is harmless)."""
    patient = version.program.episode.patient
    if not version.program.episode.is_active:
        raise ProgramError("This program ended when your episode of care was discharged.")
    lookup = {"program": version.program, "item_key": item_key, "day": day, "session": session}
    with transaction.atomic():
        completion = Completion.objects.select_for_update().filter(**lookup).first()
        if completion is None:
            return False
        if timezone.localtime(completion.recorded_at, patient.clinic.zone).date() != (
            patient.clinic.today()
        ):
            raise ProgramError("A tick can be undone on the day it was made only.")
        name = next((i["name"] for i in version.items if i["key"] == str(item_key)), "exercise")
        completion.delete()
        record_event(
            user=by,
            action=AuditEvent.Action.CHANGE,
            patient=patient,
            object_type="programs.Completion",
            object_id=str(completion.pk or ""),
            object_repr=f"{name} on {day:%Y-%m-%d}",
            detail=f"tick undone: {name} on {day:%Y-%m-%d} (session {session})",
        )
    return True


def rate_completion(
    *, completion: Completion, pain: int | None, difficulty: str, by: User
) -> Completion:
    """Keep how the session felt; nothing said leaves what was said before."""
    before = snapshot(completion)
    if pain is not None:
        completion.pain = pain
    if difficulty:
        completion.difficulty = difficulty
    changes = field_changes(before, snapshot(completion))
    if changes:
        completion.save(update_fields=["pain", "difficulty"])
        record_event(
            user=by,
            action=AuditEvent.Action.CHANGE,
            patient=completion.patient,
            obj=completion,
            detail="how it felt",
            changes=changes,
        )
    return completion
