"""Fuzz the library importer: any file shape ends in a clean import or a list of errors."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises.models import Exercise, Modality
from exercises.seed import ensure_vocabulary
from exercises.transfer import FORMAT, VERSION, LibraryImportError, import_library
from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db

scalars = (
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats() | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)

VALID_EXERCISE = {
    "slug": "fuzz-me", "name": "Fuzz me", "aliases": [], "category": "core",
    "difficulty": "beginner", "regions": ["trunk"], "equipment": ["none"], "injuries": [],
    "instructions": ["Go."], "cues": [], "common_mistakes": [], "precautions": "",
    "dosage": {"sets": 3, "reps": 10, "side": "both"}, "regression": None, "progression": None,
    "video_url": "", "illustration": {"pose": {"start": {"base": "plank"}}},
}  # fmt: skip
VALID_MODALITY = {
    "slug": "fuzz-pack", "name": "Fuzz pack", "kind": "cold_pack",
    "parameters": {"minutes": 10, "barrier": "damp towel"}, "home_use": True,
    "home_instructions": "Wrap it.", "contraindications": [], "precautions": [], "notes": "",
}  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    exercise_key=st.sampled_from(sorted(VALID_EXERCISE)),
    modality_key=st.sampled_from(sorted(VALID_MODALITY)),
    junk=json_values,
    junk2=json_values,
)
def test_any_field_value_is_imported_cleanly_or_refused_with_messages(
    exercise_key: str, modality_key: str, junk: Any, junk2: Any
) -> None:
    ensure_vocabulary()
    clinic = ClinicFactory()
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "exercises": [{**VALID_EXERCISE, exercise_key: junk}],
        "modalities": [{**VALID_MODALITY, modality_key: junk2}],
    }
    errors: list[str] = []
    try:
        import_library(payload=payload, clinic=clinic)
    except LibraryImportError as exc:
        errors = exc.errors
    saved = (
        Exercise.objects.filter(clinic=clinic).count(),
        Modality.objects.filter(clinic=clinic).count(),
    )
    if errors:
        assert all(isinstance(e, str) for e in errors)
        assert saved == (0, 0)
    else:
        assert saved == (1, 1)


@pytest.mark.parametrize("payload", [None, [], "text", {"format": FORMAT}, {"format": "x"}])
def test_files_that_are_not_libraries_are_refused(payload: Any) -> None:
    with pytest.raises(LibraryImportError):
        import_library(payload=payload, clinic=ClinicFactory())
