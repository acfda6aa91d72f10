"""Export and import the library as JSON, so clinics can share libraries.

The same importer loads the shared library that ships with the app (see `exercises.seed`), so
seeding and importing are one tested path. Import checks every row first and reports every
problem at once; only a clean file is written, in one transaction. Illustrations travel as their
pose spec and are redrawn by our renderer: SVG markup from a file is never trusted.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from exercises.illustration import PoseError, validate_pose_spec
from exercises.library.modalities import clean_parameters, parameters_for
from exercises.models import Exercise, LibraryTag, Modality, web_url
from exercises.services import TAG_FIELDS, illustration_for
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic, User

FORMAT = "runner-rehab-library"
VERSION = 1
MAX_ROWS = 5000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOSAGE_LIMITS = {
    "sets": (1, 20),
    "reps": (1, 200),
    "hold_seconds": (1, 600),
    "rest_seconds": (0, 900),
    "times_per_day": (1, 10),
    "days_per_week": (1, 7),
}
TEXT_LISTS = ("aliases", "instructions", "cues", "common_mistakes")


class LibraryImportError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the library file")
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


# --- Export ---------------------------------------------------------------------------------


def exercise_to_dict(exercise: Exercise) -> dict[str, Any]:
    return {
        "slug": exercise.slug,
        "name": exercise.name,
        "aliases": list(exercise.aliases),
        "category": exercise.category,
        "difficulty": exercise.difficulty,
        **{field: sorted(t.slug for t in getattr(exercise, field).all()) for field in TAG_FIELDS},
        "instructions": list(exercise.instructions),
        "cues": list(exercise.cues),
        "common_mistakes": list(exercise.common_mistakes),
        "precautions": exercise.precautions,
        "dosage": {
            "sets": exercise.sets,
            "reps": exercise.reps,
            "hold_seconds": exercise.hold_seconds,
            "rest_seconds": exercise.rest_seconds,
            "load": exercise.load,
            "tempo": exercise.tempo,
            "side": exercise.side,
            "times_per_day": exercise.times_per_day,
            "days_per_week": exercise.days_per_week,
        },
        "regression": exercise.regression.slug if exercise.regression else None,
        "progression": exercise.progression.slug if exercise.progression else None,
        "video_url": exercise.video_url,
        "illustration": {
            "pose": exercise.illustration_pose,
            "svg_sha256": hashlib.sha256(exercise.illustration_svg.encode()).hexdigest()
            if exercise.illustration_svg
            else None,
        },
    }


def modality_to_dict(modality: Modality) -> dict[str, Any]:
    return {
        "slug": modality.slug,
        "name": modality.name,
        "kind": modality.kind,
        "parameters": modality.parameters,
        # For readers of the file (units and ranges); import checks against the code's own set.
        "parameter_schema": [p.as_dict() for p in parameters_for(modality.kind)],
        "home_use": modality.home_use,
        "home_instructions": modality.home_instructions,
        "contraindications": list(modality.contraindications),
        "precautions": list(modality.precautions),
        "notes": modality.notes,
    }


def export_library(*, clinic: Clinic | None) -> dict[str, Any]:
    """The clinic's own library (or the shared one for clinic=None), archived rows left out."""
    exercises = (
        Exercise.objects.filter(clinic=clinic, archived_at__isnull=True)
        .select_related("regression", "progression")
        .prefetch_related(*TAG_FIELDS)
        .order_by("slug")
    )
    modalities = Modality.objects.filter(clinic=clinic, archived_at__isnull=True).order_by("slug")
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "source": clinic.name if clinic else "shared library",
        "exercises": [exercise_to_dict(e) for e in exercises],
        "modalities": [modality_to_dict(m) for m in modalities],
    }


# --- Validation -----------------------------------------------------------------------------


def _text(row: dict[str, Any], key: str, where: str, errors: list[str], *, limit: int,
          required: bool = False) -> str:  # fmt: skip
    value = row.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(f"{where}: {key} must be text.")
        return ""
    if required and not value.strip():
        errors.append(f"{where}: {key} is required.")
    if len(value) > limit:
        errors.append(f"{where}: {key} is longer than {limit} characters.")
    return value.strip()


def _text_list(row: dict[str, Any], key: str, where: str, errors: list[str]) -> list[str]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"{where}: {key} must be a list of text.")
        return []
    if len(value) > 50 or any(len(v) > 500 for v in value):
        errors.append(f"{where}: {key} has too many or too long entries.")
    return [v.strip() for v in value if v.strip()]


def _choice(row: dict[str, Any], key: str, where: str, errors: list[str], choices: Any) -> str:
    value = row.get(key)
    allowed = [c for c, _label in choices]
    if value not in allowed:
        errors.append(f"{where}: {key} {value!r} is not one of {', '.join(allowed)}.")
        return str(allowed[0])
    return str(value)


def _exercise_values(
    row: Any, where: str, errors: list[str], tags: dict[tuple[str, str], LibraryTag]
) -> dict[str, Any]:
    if not isinstance(row, dict):
        errors.append(f"{where}: each exercise must be an object.")
        return {}
    values: dict[str, Any] = {
        "name": _text(row, "name", where, errors, limit=120, required=True),
        "precautions": _text(row, "precautions", where, errors, limit=5000),
        "category": _choice(row, "category", where, errors, Exercise.Category.choices),
        "difficulty": _choice(row, "difficulty", where, errors, Exercise.Difficulty.choices),
    }
    for key in TEXT_LISTS:
        values[key] = _text_list(row, key, where, errors)
    for field, kind in TAG_FIELDS.items():
        slugs = row.get(field, [])
        if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
            errors.append(f"{where}: {field} must be a list of names.")
            slugs = []
        unknown = [s for s in slugs if (kind, s) not in tags]
        if unknown:
            errors.append(f"{where}: unknown {field}: {', '.join(map(str, unknown))}.")
        values[field] = [s for s in slugs if (kind, s) in tags]
    dosage = row.get("dosage") or {}
    if not isinstance(dosage, dict):
        errors.append(f"{where}: dosage must be an object.")
        dosage = {}
    for key, (low, high) in DOSAGE_LIMITS.items():
        number = dosage.get(key)
        if number is not None and (
            isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high
        ):
            errors.append(f"{where}: dosage {key} must be a whole number from {low} to {high}.")
            number = None
        values[key] = number
    values["load"] = _text(dosage, "load", where, errors, limit=80)
    values["tempo"] = _text(dosage, "tempo", where, errors, limit=20)
    values["side"] = _choice(
        {"side": dosage.get("side", "both")}, "side", where, errors, Exercise.Side.choices
    )
    url = _text(row, "video_url", where, errors, limit=500)
    if url:
        try:
            web_url(url)
        except ValidationError:
            errors.append(f"{where}: video_url must be an http or https address.")
    values["video_url"] = url
    illustration = row.get("illustration") or {}
    pose = illustration.get("pose") if isinstance(illustration, dict) else None
    try:
        if pose:
            validate_pose_spec(pose)
    except (PoseError, TypeError, ValueError, AttributeError) as exc:
        errors.append(f"{where}: illustration pose cannot be drawn ({exc}).")
        pose = {}
    values["illustration_pose"] = pose or {}
    return values


def _modality_values(row: Any, where: str, errors: list[str]) -> dict[str, Any]:
    if not isinstance(row, dict):
        errors.append(f"{where}: each modality must be an object.")
        return {}
    kind = _choice(row, "kind", where, errors, Modality.Kind.choices)
    raw = row.get("parameters") or {}
    if not isinstance(raw, dict):
        errors.append(f"{where}: parameters must be an object.")
        raw = {}
    parameters, problems = clean_parameters(kind, raw)
    errors += [f"{where}: {p}" for p in problems]
    home_use = row.get("home_use", False)
    if not isinstance(home_use, bool):
        errors.append(f"{where}: home_use must be true or false.")
    return {
        "name": _text(row, "name", where, errors, limit=120, required=True),
        "kind": kind,
        "parameters": parameters,
        "home_use": bool(home_use),
        "home_instructions": _text(row, "home_instructions", where, errors, limit=5000),
        "contraindications": _text_list(row, "contraindications", where, errors),
        "precautions": _text_list(row, "precautions", where, errors),
        "notes": _text(row, "notes", where, errors, limit=5000),
    }


def _rows(payload: Any, key: str, errors: list[str]) -> list[Any]:
    rows = payload.get(key, [])
    if not isinstance(rows, list):
        errors.append(f"{key} must be a list.")
        return []
    if len(rows) > MAX_ROWS:
        errors.append(f"{key}: at most {MAX_ROWS} rows can be imported at once.")
        return []
    return rows


def _slug(row: Any, where: str, seen: set[str], errors: list[str]) -> str:
    slug = row.get("slug") if isinstance(row, dict) else None
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 140:
        errors.append(f"{where}: slug must be lower-case letters, digits and dashes.")
        return ""
    if slug in seen:
        errors.append(f"{where}: slug {slug!r} appears more than once.")
    seen.add(slug)
    return slug


def validate_payload(payload: Any, *, clinic: Clinic | None) -> tuple[list[Any], list[Any]]:
    """Check a whole library file. Returns ([(slug, values)] per kind) or raises with all errors."""
    errors: list[str] = []
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise LibraryImportError([f"This is not a library file (expected format {FORMAT!r})."])
    if payload.get("version") != VERSION:
        raise LibraryImportError([f"Unsupported library file version {payload.get('version')!r}."])
    tags = {(t.kind, t.slug): t for t in LibraryTag.objects.all()}
    exercises, modalities = [], []
    seen: set[str] = set()
    for index, row in enumerate(_rows(payload, "exercises", errors)):
        slug = _slug(row, f"exercises[{index}]", seen, errors)
        where = f"exercise {slug or index}"
        values = _exercise_values(row, where, errors, tags)
        links = {
            k: row.get(k) if isinstance(row, dict) else None for k in ("regression", "progression")
        }
        for key, target in list(links.items()):
            if target is not None and not isinstance(target, str):
                errors.append(f"{where}: {key} must be the slug of an exercise.")
                links[key] = None
        exercises.append((slug, values, links, where))
    known = (
        seen
        | set(Exercise.objects.filter(clinic=clinic).values_list("slug", flat=True))
        | set(Exercise.objects.filter(clinic=None).values_list("slug", flat=True))
    )
    for _slug_value, _values, links, where in exercises:
        for key, target in links.items():
            if target is not None and target not in known:
                errors.append(f"{where}: {key} {target!r} is not in this file or the library.")
    seen_modalities: set[str] = set()
    for index, row in enumerate(_rows(payload, "modalities", errors)):
        slug = _slug(row, f"modalities[{index}]", seen_modalities, errors)
        modalities.append((slug, _modality_values(row, f"modality {slug or index}", errors)))
    if errors:
        raise LibraryImportError(errors)
    return exercises, modalities


# --- Import ---------------------------------------------------------------------------------


def _changed(obj: Any, values: dict[str, Any]) -> bool:
    return any(getattr(obj, k) != v for k, v in values.items())


@transaction.atomic
def import_library(*, payload: Any, clinic: Clinic | None, by: User | None = None) -> ImportResult:
    """Create or update the clinic's own entries (clinic=None: the shared library) by slug."""
    exercise_rows, modality_rows = validate_payload(payload, clinic=clinic)
    result = ImportResult()
    existing = {
        e.slug: e for e in Exercise.objects.filter(clinic=clinic).prefetch_related(*TAG_FIELDS)
    }
    tags = {(t.kind, t.slug): t for t in LibraryTag.objects.all()}
    saved: dict[str, Exercise] = {}
    for slug, values, _links, _where in exercise_rows:
        tag_values = {field: values.pop(field) for field in TAG_FIELDS}
        values["search_text"] = Exercise.build_search_text(values["name"], values["aliases"])
        values["illustration_svg"] = illustration_for(
            values["name"],
            values["illustration_pose"],
            hold_seconds=values.get("hold_seconds"),
            reps=values.get("reps"),
        )
        exercise = existing.get(slug)
        if exercise is None:
            exercise = Exercise.objects.create(clinic=clinic, slug=slug, **values)
            result.created += 1
            changed = True
        elif _changed(exercise, values):
            for key, value in values.items():
                setattr(exercise, key, value)
            exercise.save()
            result.updated += 1
            changed = True
        else:
            changed = False
        for field, slugs in tag_values.items():
            current = (
                sorted(t.slug for t in getattr(exercise, field).all()) if not changed else None
            )
            if current != sorted(slugs):
                getattr(exercise, field).set([tags[(TAG_FIELDS[field], s)] for s in slugs])
                changed = True
        if not changed:
            result.unchanged += 1
        saved[slug] = exercise
    lookup = {**{e.slug: e for e in Exercise.objects.filter(clinic=None)}, **existing, **saved}
    for slug, _values, links, _where in exercise_rows:
        exercise = saved[slug]
        wanted = {k: lookup[v].pk if v else None for k, v in links.items()}
        if exercise.regression_id != wanted["regression"] or (
            exercise.progression_id != wanted["progression"]
        ):
            exercise.regression_id = wanted["regression"]
            exercise.progression_id = wanted["progression"]
            exercise.save(update_fields=["regression", "progression", "updated_at"])
    existing_modalities = {m.slug: m for m in Modality.objects.filter(clinic=clinic)}
    for slug, values in modality_rows:
        modality = existing_modalities.get(slug)
        if modality is None:
            Modality.objects.create(clinic=clinic, slug=slug, **values)
            result.created += 1
        elif _changed(modality, values):
            for key, value in values.items():
                setattr(modality, key, value)
            modality.save()
            result.updated += 1
        else:
            result.unchanged += 1
    if by is not None:
        record_event(
            user=by,
            clinic=clinic,
            action=AuditEvent.Action.CREATE,
            detail=f"library import: {result.created} created, {result.updated} updated",
        )
    return result
