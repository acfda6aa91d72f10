"""Workflows on home programs. Each writes its rows and its audit event in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from exercises.models import Exercise, Modality
from patients.models import Episode
from programs.documents.services import refresh_for_episode, request_program_document
from programs.home.models import (
    Completion,
    HomeProgram,
    ProgramItem,
    ProgramModality,
    ProgramTemplate,
    ProgramVersion,
)
from programs.home.revision import STALE_DRAFT, draft_revision
from rehab_clinic.audit.changes import field_changes, snapshot, stored_snapshot
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

Action = AuditEvent.Action

# A tick saved offline may arrive a few days late; older or future days are refused.
LATE_COMPLETION_DAYS = 7


class ProgramError(Exception):
    """A workflow refused: the message is written for the person who asked."""


def _next_position(queryset: Any) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def default_dosage(exercise: Exercise) -> dict[str, Any]:
    """The library's suggested dose, pulled into the ranges a prescription allows."""

    def clamp(value: Any, low: int, high: int, fallback: int | None) -> int | None:
        if value in (None, ""):
            return fallback
        return max(low, min(high, int(value)))

    reps = clamp(exercise.reps, 1, 100, None)
    hold = clamp(exercise.hold_seconds, 1, 600, None)
    if reps is None and hold is None:
        reps = 10
    side = exercise.side if exercise.side in ProgramItem.Side.values else ProgramItem.Side.BOTH
    return {
        "sets": clamp(exercise.sets, 1, 10, 3),
        "reps": reps,
        "hold_seconds": hold,
        "rest_seconds": clamp(exercise.rest_seconds, 0, 600, None),
        "load": (exercise.load or "")[:60],
        "tempo": (exercise.tempo or "")[:20],
        "side": side,
        "times_per_day": clamp(exercise.times_per_day, 1, 4, 1),
        "days_per_week": clamp(exercise.days_per_week, 1, 7, 7),
    }


@transaction.atomic
def create_home_program(
    *,
    episode: Episode,
    by: User,
    template: ProgramTemplate | None = None,
    token: uuid.UUID | None = None,
) -> HomeProgram:
    """A new draft, optionally filled from a template. Repeating a `token` returns the first."""
    if token is not None:
        existing = HomeProgram.objects.filter(episode=episode, start_token=token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            program = HomeProgram.objects.create(
                episode=episode, created_by=by, started_from=template, start_token=token
            )
    except IntegrityError:
        return HomeProgram.objects.get(episode=episode, start_token=token)
    if template is not None:
        program.title = template.name
        program.note_to_patient = template.note_to_patient
        program.save(update_fields=["title", "note_to_patient"])
        visible = Exercise.objects.visible_to(by)
        ProgramItem.objects.bulk_create(
            ProgramItem(program=program, exercise_id=t.exercise_id, position=i, **t.dosage())
            for i, t in enumerate(template.items.filter(exercise__in=visible))
        )
        ProgramModality.objects.bulk_create(
            ProgramModality(
                program=program, modality_id=m.modality_id, instructions=m.instructions, position=i
            )
            for i, m in enumerate(
                template.modalities.filter(modality__in=Modality.objects.visible_to(by))
            )
        )
    record_event(
        user=by,
        action=Action.CREATE,
        patient=episode.patient,
        obj=program,
        detail=f"from template {template.name}" if template else "",
    )
    return program


def _lock(program: HomeProgram) -> None:
    """Serialise edits of one draft, so a double click is seen by the second request."""
    HomeProgram.objects.select_for_update().filter(pk=program.pk).first()


@transaction.atomic
def add_program_item(*, program: HomeProgram, exercise: Exercise, by: User) -> ProgramItem:
    _lock(program)
    if program.items.filter(exercise=exercise).exists():
        raise ProgramError(f"{exercise.name} is already in the program.")
    item = ProgramItem.objects.create(
        program=program,
        exercise=exercise,
        position=_next_position(program.items.all()),
        **default_dosage(exercise),
    )
    _touch(program, by=by, detail=f"added {exercise.name}")
    return item


@transaction.atomic
def save_program_item(*, item: ProgramItem, changed: Sequence[str], by: User) -> ProgramItem:
    """Save one card's dose (a form's unsaved instance; `changed` names what the form changed).
    Posting what is already saved changes nothing (no new draft revision): a card's autosave and
    its Save button may both send the same values."""
    if not changed:
        return item
    before = stored_snapshot(item)
    item.save()
    changes = field_changes(before, snapshot(item))
    _touch(item.program, by=by, detail=f"dosage of {item.exercise.name}", changes=changes)
    return item


@transaction.atomic
def save_program_details(*, program: HomeProgram, changed: Sequence[str], by: User) -> None:
    """Save the program's changed title, note and print settings (a form's unsaved instance).
    Large print is read when the PDF renders, so changing it renders the current PDF again (no
    new version: what the patient was given is unchanged)."""
    before = stored_snapshot(program)  # the form has already applied what was typed
    program.save()
    record_event(
        user=by,
        action=Action.CHANGE,
        patient=program.episode.patient,
        obj=program,
        detail=", ".join(changed),
        changes=field_changes(before, snapshot(program)),
    )
    if "large_print" in changed:
        refresh_for_episode(episode=program.episode, by=by)


@transaction.atomic
def remove_program_item(*, item: ProgramItem, by: User) -> None:
    program, name = item.program, item.exercise.name
    item.delete()
    _touch(program, by=by, detail=f"removed {name}")


@transaction.atomic
def move_program_item(*, item: ProgramItem, up: bool, by: User) -> None:
    """Swap the item with its neighbour; positions are renumbered 0..n-1 as a side benefit."""
    items = list(item.program.items.select_for_update().order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        other.position = position
    ProgramItem.objects.bulk_update(items, ["position"])
    _touch(item.program, by=by, detail="reordered")


@transaction.atomic
def add_program_modality(
    *, program: HomeProgram, modality: Modality, instructions: str, by: User
) -> ProgramModality:
    _lock(program)
    if program.modalities.filter(modality=modality).exists():
        raise ProgramError(f"{modality.name} is already in the program.")
    entry = ProgramModality.objects.create(
        program=program,
        modality=modality,
        instructions=instructions.strip() or modality.home_instructions,
        position=_next_position(program.modalities.all()),
    )
    _touch(program, by=by, detail=f"added {modality.name}")
    return entry


@transaction.atomic
def remove_program_modality(*, entry: ProgramModality, by: User) -> None:
    program, name = entry.program, entry.modality.name
    entry.delete()
    _touch(program, by=by, detail=f"removed {name}")


def _touch(program: HomeProgram, *, by: User, detail: str, changes: Any = None) -> None:
    program.save(update_fields=["updated_at"])
    record_event(
        user=by,
        action=Action.CHANGE,
        patient=program.episode.patient,
        obj=program,
        detail=detail[:500],
        changes=changes,
    )


def build_snapshot(program: HomeProgram) -> dict[str, Any]:
    """Everything the patient (and the PDF) needs, copied out of the library at this moment."""
    items = []
    for item in program.items.select_related("exercise").order_by("position", "id"):
        exercise = item.exercise
        items.append(
            {
                "key": str(item.key),
                "exercise_id": exercise.pk,
                "name": exercise.name,
                "category": exercise.category,
                "category_label": exercise.get_category_display(),
                "instructions": list(exercise.instructions or []),
                "cues": list(exercise.cues or []),
                "illustration_svg": exercise.illustration_svg or "",
                **item.dosage(),
                "side_label": item.get_side_display(),
            }
        )
    modalities = [
        {
            "modality_id": entry.modality_id,
            "name": entry.modality.name,
            "kind": entry.modality.kind,
            "instructions": entry.instructions,
            "home_instructions": entry.modality.home_instructions,
            "precautions": list(entry.modality.precautions or []),
        }
        for entry in program.modalities.select_related("modality").order_by("position", "id")
    ]
    return {
        "title": program.title,
        "note_to_patient": program.note_to_patient,
        "items": items,
        "modalities": modalities,
    }


@transaction.atomic
def publish_home_program(
    *, program: HomeProgram, by: User, revision: str | None = None
) -> ProgramVersion:
    """Freeze the draft into a new version the patient sees.

    The program row is locked, so two clicks on Publish queue up; the second finds the same
    snapshot already published and returns that version instead of adding a duplicate. With a
    `revision` (the builder's), a draft saved since that revision is refused (`STALE_DRAFT`): a
    stale tab cannot publish something other than what the therapist sees.
    """
    program = (
        HomeProgram.objects.select_for_update()
        .select_related("episode__patient")
        .get(pk=program.pk)
    )
    if revision is not None and revision != draft_revision(program):
        raise ProgramError(STALE_DRAFT)
    if not program.episode.is_active:
        raise ProgramError("This episode was discharged: its program can no longer be published.")
    snapshot = build_snapshot(program)
    if not snapshot["items"]:
        raise ProgramError("Add at least one exercise before publishing.")
    latest = program.versions.order_by("-number").first()
    if latest is not None and latest.snapshot == snapshot:
        return latest
    version = ProgramVersion.objects.create(
        program=program,
        number=(latest.number + 1) if latest else 1,
        snapshot=snapshot,
        published_at=timezone.now(),
        published_by=by,
    )
    record_event(
        user=by,
        action=Action.CREATE,
        patient=program.episode.patient,
        obj=version,
        detail=f"published version {version.number}",
    )
    request_program_document(version=version, by=by)  # the PDF renders after commit
    return version


def record_completion(
    *,
    version: ProgramVersion,
    item_key: str,
    day: date,
    session: int,
    by: User,
) -> tuple[Completion, bool]:
    """Tick one session done. A repeat of the same tick returns the existing row (created=False)."""
    patient = version.program.episode.patient
    if not version.program.episode.is_active:
        raise ProgramError("This program ended when your episode of care was discharged.")
    item = next((i for i in version.items if i["key"] == str(item_key)), None)
    if item is None:
        raise ProgramError("That exercise is not in your program.")
    if not 1 <= session <= int(item["times_per_day"]):
        raise ProgramError("That session is not part of today's dose.")
    today = patient.clinic.today()
    if day > today or day < today - timedelta(days=LATE_COMPLETION_DAYS):
        raise ProgramError("Only the last week can be ticked off.")
    lookup = {"program": version.program, "item_key": item["key"], "day": day, "session": session}
    existing = Completion.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                **lookup,
                version=version,
                patient=patient,
                recorded_at=timezone.now(),
                recorded_by=by,
            )
    except IntegrityError:
        # The same tick raced in from a retry; the first one stands.
        return Completion.objects.get(**lookup), False
    record_event(
        user=by,
        action=Action.CREATE,
        patient=patient,
        obj=completion,
        detail=f"{item['name']} done on {day:%Y-%m-%d}",
    )
    return completion, True
