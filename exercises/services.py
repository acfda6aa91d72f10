"""Library workflows: create, edit, duplicate and archive exercises and modalities, and photos.

Every write goes through here so the derived search text, the illustration and the audit trail
stay in step with the row. Export and import live in `exercises.transfer`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from exercises.illustration import render_pose_spec
from exercises.models import Exercise, ExercisePhoto, HiddenExercise, LibraryTag, Modality
from exercises.photos import ProcessedPhoto
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic, User

TAG_FIELDS = {
    "regions": LibraryTag.Kind.REGION,
    "equipment": LibraryTag.Kind.EQUIPMENT,
    "injuries": LibraryTag.Kind.INJURY,
}
EXERCISE_FIELDS = (
    "name", "aliases", "category", "difficulty", "instructions", "cues", "common_mistakes",
    "precautions", "sets", "reps", "hold_seconds", "rest_seconds", "load", "tempo", "side",
    "times_per_day", "days_per_week", "video_url", "illustration_pose",
)  # fmt: skip


def unique_slug(
    model: Any, clinic: Clinic | None, name: str, *, exclude_pk: int | None = None
) -> str:
    base = slugify(name)[:120] or "item"
    taken = set(
        model.objects.filter(clinic=clinic, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def illustration_for(
    name: str, pose: dict[str, Any], *, hold_seconds: int | None, reps: int | None
) -> str:
    """The exercise's drawing, labelled for its own dose (a borrowed pose gets new labels)."""
    if not pose:
        return ""
    return render_pose_spec(name, pose, hold_seconds=hold_seconds, reps=reps, dosed=True)


def set_tags(exercise: Exercise, tags: dict[str, list[str]]) -> None:
    """Set regions, equipment and injuries from lists of tag slugs (unknown slugs ignored)."""
    wanted = {slug for slugs in tags.values() for slug in slugs}
    by_key = {(t.kind, t.slug): t for t in LibraryTag.objects.filter(slug__in=wanted)}
    for field, kind in TAG_FIELDS.items():
        if field in tags:
            chosen = [by_key[(kind, s)] for s in tags[field] if (kind, s) in by_key]
            getattr(exercise, field).set(chosen)


def _apply(exercise: Exercise, data: dict[str, Any]) -> None:
    for field in EXERCISE_FIELDS:
        if field in data:
            setattr(exercise, field, data[field])
    if data.get("drawing_from") is not None:
        exercise.illustration_pose = data["drawing_from"].illustration_pose
    exercise.search_text = Exercise.build_search_text(exercise.name, list(exercise.aliases))
    exercise.illustration_svg = illustration_for(
        exercise.name,
        exercise.illustration_pose,
        hold_seconds=exercise.hold_seconds,
        reps=exercise.reps,
    )


@transaction.atomic
def create_exercise(*, clinic: Clinic, by: User, data: dict[str, Any]) -> Exercise:
    exercise = Exercise(clinic=clinic)
    _apply(exercise, data)
    exercise.slug = unique_slug(Exercise, clinic, exercise.name)
    exercise.regression = data.get("regression")
    exercise.progression = data.get("progression")
    exercise.save()
    set_tags(exercise, {f: [t.slug for t in data.get(f, [])] for f in TAG_FIELDS})
    record_event(user=by, action=AuditEvent.Action.CREATE, obj=exercise)
    return exercise


@transaction.atomic
def update_exercise(*, exercise: Exercise, by: User, data: dict[str, Any]) -> Exercise:
    _apply(exercise, data)
    exercise.regression = data.get("regression")
    exercise.progression = data.get("progression")
    exercise.save()
    set_tags(exercise, {f: [t.slug for t in data.get(f, [])] for f in TAG_FIELDS if f in data})
    record_event(user=by, action=AuditEvent.Action.CHANGE, obj=exercise)
    return exercise


@transaction.atomic
def duplicate_exercise(*, exercise: Exercise, clinic: Clinic, by: User) -> Exercise:
    """Copy a shared (or own) exercise into the clinic's library so it can be adapted."""
    copy = Exercise(clinic=clinic, duplicated_from=exercise)
    for field in (*EXERCISE_FIELDS, "search_text", "illustration_svg"):
        setattr(copy, field, getattr(exercise, field))
    copy.name = f"{exercise.name} (copy)" if exercise.clinic_id == clinic.pk else exercise.name
    copy.slug = unique_slug(Exercise, clinic, copy.name)
    copy.search_text = Exercise.build_search_text(copy.name, list(copy.aliases))
    copy.save()
    for field in TAG_FIELDS:
        getattr(copy, field).set(getattr(exercise, field).all())
    record_event(
        user=by, action=AuditEvent.Action.CREATE, obj=copy, detail=f"copy of {exercise.pk}"
    )
    return copy


def archive_exercise(*, exercise: Exercise, by: User) -> Exercise:
    """Hide an exercise from the library. Rows are never deleted: prescriptions may point here."""
    exercise.archived_at = timezone.now()
    exercise.archived_by = by
    exercise.save(update_fields=["archived_at", "archived_by", "updated_at"])
    record_event(user=by, action=AuditEvent.Action.ARCHIVE, obj=exercise)
    return exercise


def restore_exercise(*, exercise: Exercise, by: User) -> Exercise:
    exercise.archived_at = None
    exercise.archived_by = None
    exercise.save(update_fields=["archived_at", "archived_by", "updated_at"])
    record_event(user=by, action=AuditEvent.Action.CHANGE, obj=exercise, detail="restored")
    return exercise


def hide_exercise(*, exercise: Exercise, clinic: Clinic, by: User) -> None:
    """Leave a shared exercise out of this clinic's library and search (idempotent)."""
    if not exercise.is_shared:
        raise ValueError("Only shared exercises are hidden; archive your clinic's own instead.")
    _row, created = HiddenExercise.objects.get_or_create(
        clinic=clinic, exercise=exercise, defaults={"hidden_by": by}
    )
    if created:
        record_event(
            user=by, action=AuditEvent.Action.CHANGE, obj=exercise, detail="hidden for clinic"
        )


def unhide_exercise(*, exercise: Exercise, clinic: Clinic, by: User) -> None:
    deleted, _ = HiddenExercise.objects.filter(clinic=clinic, exercise=exercise).delete()
    if deleted:
        record_event(
            user=by, action=AuditEvent.Action.CHANGE, obj=exercise, detail="shown for clinic"
        )


@transaction.atomic
def add_exercise_photo(
    *, exercise: Exercise, photo: ProcessedPhoto, alt_text: str, by: User
) -> ExercisePhoto:
    row = ExercisePhoto(
        exercise=exercise,
        width=photo.width,
        height=photo.height,
        alt_text=alt_text,
        uploaded_by=by,
    )
    row.image.save("photo.jpg", photo.image, save=False)
    row.thumbnail.save("thumb.jpg", photo.thumbnail, save=False)
    row.save()
    record_event(user=by, action=AuditEvent.Action.CHANGE, obj=exercise, detail="photo added")
    return row


def remove_exercise_photo(*, photo: ExercisePhoto, by: User) -> None:
    exercise = photo.exercise
    photo.image.delete(save=False)
    photo.thumbnail.delete(save=False)
    photo.delete()
    record_event(user=by, action=AuditEvent.Action.CHANGE, obj=exercise, detail="photo removed")


MODALITY_FIELDS = (
    "name", "kind", "parameters", "home_use", "home_instructions", "contraindications",
    "precautions", "notes",
)  # fmt: skip


@transaction.atomic
def save_modality(*, modality: Modality, by: User, data: dict[str, Any]) -> Modality:
    """Create (no pk yet) or update a clinic's modality; parameters are already validated."""
    created = modality.pk is None
    for field in MODALITY_FIELDS:
        if field in data:
            setattr(modality, field, data[field])
    if created:
        modality.slug = unique_slug(Modality, modality.clinic, modality.name)
    modality.save()
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE
    record_event(user=by, action=action, obj=modality)
    return modality


def archive_modality(*, modality: Modality, by: User) -> Modality:
    modality.archived_at = timezone.now()
    modality.archived_by = by
    modality.save(update_fields=["archived_at", "archived_by", "updated_at"])
    record_event(user=by, action=AuditEvent.Action.ARCHIVE, obj=modality)
    return modality
