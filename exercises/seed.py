"""The shared library that ships with the app, loaded through the same importer clinics use.

`manage.py seed_demo` calls `seed_demo()` after clinics and patients exist. Idempotent: rows are
matched by slug and rewritten only when the shipped data changed.
"""

from dataclasses import asdict
from typing import Any

from exercises.library import EXERCISES, MODALITIES, schema
from exercises.library.schema import ExerciseSeed, ModalitySeed
from exercises.models import LibraryTag
from exercises.transfer import FORMAT, VERSION, ImportResult, import_library


def seed_demo() -> None:
    """Load (or refresh) the shared exercise and modality library."""
    load_shared_library()


def _seed_exercise(seed: ExerciseSeed) -> dict[str, Any]:
    return {
        "slug": seed.slug,
        "name": seed.name,
        "aliases": list(seed.aliases),
        "category": seed.category,
        "difficulty": seed.difficulty,
        "regions": list(seed.regions),
        "equipment": list(seed.equipment),
        "injuries": list(seed.injuries),
        "instructions": list(seed.instructions),
        "cues": list(seed.cues),
        "common_mistakes": list(seed.mistakes),
        "precautions": seed.precautions,
        "dosage": asdict(seed.dosage),
        "regression": seed.regression or None,
        "progression": seed.progression or None,
        "video_url": "",
        "illustration": {"pose": seed.pose},
    }


def _seed_modality(seed: ModalitySeed) -> dict[str, Any]:
    return {
        "slug": seed.slug,
        "name": seed.name,
        "kind": seed.kind,
        "parameters": seed.defaults(),
        "home_use": seed.home_use,
        "home_instructions": seed.home_instructions,
        "contraindications": list(seed.contraindications),
        "precautions": list(seed.precautions),
        "notes": " ".join(part for part in (f"Source: {seed.source}", seed.notes) if part),
    }


def shared_library_payload() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exercises": [_seed_exercise(s) for s in EXERCISES],
        "modalities": [_seed_modality(s) for s in MODALITIES],
    }


def ensure_vocabulary() -> None:
    """Make sure every region, equipment and injury tag exists (the migration adds them too)."""
    for kind, words in (
        (LibraryTag.Kind.REGION, schema.REGIONS),
        (LibraryTag.Kind.EQUIPMENT, schema.EQUIPMENT),
        (LibraryTag.Kind.INJURY, schema.INJURIES),
    ):
        for position, (slug, name) in enumerate(words):
            LibraryTag.objects.get_or_create(
                kind=kind, slug=slug, defaults={"name": name, "position": position}
            )


def load_shared_library() -> ImportResult:
    """Load or refresh the library that ships with the app (idempotent)."""
    ensure_vocabulary()
    return import_library(payload=shared_library_payload(), clinic=None)
