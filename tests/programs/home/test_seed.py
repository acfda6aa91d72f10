"""The demo seed gives Maya and Leo published programs, and running it twice changes nothing."""

from typing import Any

import pytest

from exercises.models import Exercise
from patients.seed import seed_demo as seed_patients
from programs.home import seed
from programs.home.models import Completion, HomeProgram, ProgramTemplate, ProgramVersion
from tests.factories import HomeModalityFactory, ProgramExerciseFactory

pytestmark = pytest.mark.django_db

CATEGORY_OF = {
    "foam-roll": Exercise.Category.FOAM_ROLLING,
    "stretch": Exercise.Category.STRETCHING,
    "plank": Exercise.Category.CORE,
    "band": Exercise.Category.RESISTANCE_BAND,
    "bridge": Exercise.Category.HIP_GLUTE,
    "hip": Exercise.Category.HIP_GLUTE,
    "squat": Exercise.Category.KNEE_QUAD,
    "sit": Exercise.Category.KNEE_QUAD,
    "leg-raise": Exercise.Category.KNEE_QUAD,
}


def _library() -> None:
    for slug, _ in [*seed.MAYA_ITEMS, *seed.LEO_ITEMS]:
        category = next(
            (c for word, c in CATEGORY_OF.items() if word in slug),
            Exercise.Category.CALF_FOOT_ANKLE,
        )
        ProgramExerciseFactory(
            slug=slug, name=slug.replace("-", " ").capitalize(), category=category
        )
    HomeModalityFactory(slug="cold-pack", name="Cold pack")


def _counts() -> tuple[int, ...]:
    return (
        HomeProgram.objects.count(),
        ProgramVersion.objects.count(),
        Completion.objects.count(),
        ProgramTemplate.objects.count(),
    )


def test_seed_builds_the_demo_programs_once(settings: Any) -> None:
    seed_patients()
    _library()
    seed.seed_demo()
    maya = HomeProgram.objects.get(episode__patient__user__email="patient@demo.clinic")
    maya_version = maya.versions.get()
    assert len(maya_version.items) >= 8
    assert len({item["category"] for item in maya_version.items}) >= 4
    assert [m["name"] for m in maya_version.modalities] == ["Cold pack"]
    days = set(maya.completions.values_list("day", flat=True))
    assert len(days) >= 10
    leo = HomeProgram.objects.get(episode__patient__user__email="patient2@demo.clinic")
    assert len(leo.versions.get().items) >= 6
    before = _counts()
    seed.seed_demo()
    assert _counts() == before
