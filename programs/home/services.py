"""Workflows on home programs. Each writes its rows and its audit event in one transaction."""

import uuid
from datetime import date, timedelta
from typing import Any

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
    TemplateItem,
    TemplateModality,
)
from programs.home.revision import STALE_DRAFT, draft_revision
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

Action = AuditEvent.Action

# A tick saved offline may arrive a few days late; older or future days are refused.
LATE_COMPLETION_DAYS = 7


class ProgramError(Exception):
    """A workflow refused: the message is written for the person who asked."""


def clinic_today(clinic: Any) -> date:
    return clinic.today()


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
    by: Any,
    template: ProgramTemplate | None = None,
    token: uuid.UUID | None = None,
    request: Any = None,
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
        request=request,
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
def add_program_item(
    *, program: HomeProgram, exercise: Exercise, by: Any, request: Any = None
) -> ProgramItem:
    _lock(program)
    if program.items.filter(exercise=exercise).exists():
        raise ProgramError(f"{exercise.name} is already in the program.")
    item = ProgramItem.objects.create(
        program=program,
        exercise=exercise,
        position=_next_position(program.items.all()),
        **default_dosage(exercise),
    )
    _touch(program, by=by, request=request, detail=f"added {exercise.name}")
    return item


@transaction.atomic
def save_program_item(*, form: Any, by: Any, request: Any = None) -> ProgramItem:
    """Save one card's dose. Posting what is already saved changes nothing (no new draft
    revision): a card's autosave and its Save button may both send the same values."""
    if not form.has_changed():
        return form.instance  # type: ignore[no-any-return]
    item: ProgramItem = form.save()
    _touch(item.program, by=by, request=request, detail=f"dosage of {item.exercise.name}")
    return item


@transaction.atomic
def remove_program_item(*, item: ProgramItem, by: Any, request: Any = None) -> None:
    program, name = item.program, item.exercise.name
    item.delete()
    _touch(program, by=by, request=request, detail=f"removed {name}")


@transaction.atomic
def move_program_item(*, item: ProgramItem, up: bool, by: Any, request: Any = None) -> None:
    """Swap the item with its neighbour; positions are renumbered 0..n-1 as a side benefit."""
    items = list(item.program.items.select_for_update().order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        other.position = position
    ProgramItem.objects.bulk_update(items, ["position"])
    _touch(item.program, by=by, request=request, detail="reordered")


@transaction.atomic
def add_program_modality(
    *, program: HomeProgram, modality: Modality, instructions: str, by: Any, request: Any = None
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
    _touch(program, by=by, request=request, detail=f"added {modality.name}")
    return entry


@transaction.atomic
def remove_program_modality(*, entry: ProgramModality, by: Any, request: Any = None) -> None:
    program, name = entry.program, entry.modality.name
    entry.delete()
    _touch(program, by=by, request=request, detail=f"removed {name}")


@transaction.atomic
def save_program_details(*, form: Any, by: Any, request: Any = None) -> HomeProgram:
    """Title, note and print settings. Large print is read when the PDF renders, so changing it
    renders the current PDF again (no new version: what the patient was given is unchanged)."""
    program: HomeProgram = form.save()
    record_event(
        request=request,
        user=by,
        action=Action.CHANGE,
        patient=program.episode.patient,
        obj=program,
        detail=", ".join(form.changed_data),
    )
    if "large_print" in form.changed_data:
        refresh_for_episode(episode=program.episode, by=by)
    return program


def _touch(program: HomeProgram, *, by: Any, request: Any, detail: str) -> None:
    program.save(update_fields=["updated_at"])
    record_event(
        request=request,
        user=by,
        action=Action.CHANGE,
        patient=program.episode.patient,
        obj=program,
        detail=detail[:500],
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
    *, program: HomeProgram, by: Any, request: Any = None, revision: str | None = None
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
        request=request,
        user=by,
        action=Action.CREATE,
        patient=program.episode.patient,
        obj=version,
        detail=f"published version {version.number}",
    )
    request_program_document(version=version, by=by)  # the PDF renders after commit
    return version


@transaction.atomic
def save_as_template(
    *, program: HomeProgram, name: str, by: Any, request: Any = None
) -> ProgramTemplate:
    clinic = program.episode.patient.clinic
    if ProgramTemplate.objects.filter(clinic=clinic, name=name, archived_at__isnull=True).exists():
        raise ProgramError(f"The clinic already has a template called “{name}”.")
    try:
        with transaction.atomic():
            template = ProgramTemplate.objects.create(
                clinic=clinic, name=name, note_to_patient=program.note_to_patient, created_by=by
            )
    except IntegrityError as duplicate:
        raise ProgramError(f"The clinic already has a template called “{name}”.") from duplicate
    TemplateItem.objects.bulk_create(
        TemplateItem(template=template, exercise_id=i.exercise_id, position=n, **i.dosage())
        for n, i in enumerate(program.items.order_by("position", "id"))
    )
    TemplateModality.objects.bulk_create(
        TemplateModality(
            template=template, modality_id=m.modality_id, instructions=m.instructions, position=n
        )
        for n, m in enumerate(program.modalities.order_by("position", "id"))
    )
    record_event(
        request=request, user=by, action=Action.CREATE, obj=template, detail="saved as template"
    )
    return template


@transaction.atomic
def archive_template(*, template: ProgramTemplate, by: Any, request: Any = None) -> None:
    template.archived_at = timezone.now()
    template.save(update_fields=["archived_at", "updated_at"])
    record_event(request=request, user=by, action=Action.ARCHIVE, obj=template)


def record_completion(
    *,
    version: ProgramVersion,
    item_key: str,
    day: date,
    session: int,
    by: Any,
    request: Any = None,
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
    today = clinic_today(patient.clinic)
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
        request=request,
        user=by,
        action=Action.CREATE,
        patient=patient,
        obj=completion,
        detail=f"{item['name']} done on {day:%Y-%m-%d}",
    )
    return completion, True
