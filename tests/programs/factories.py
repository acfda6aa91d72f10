"""Factories for library entries and home programs, used by the programs tests."""

from typing import Any

import factory

from exercises.models import Exercise, Modality
from programs.home import services
from programs.home.models import HomeProgram

CATEGORIES = [
    Exercise.Category.CALF_FOOT_ANKLE,
    Exercise.Category.STRETCHING,
    Exercise.Category.CORE,
    Exercise.Category.HIP_GLUTE,
    Exercise.Category.FOAM_ROLLING,
]


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    clinic = None
    name = factory.Sequence(lambda n: f"Test exercise {n}")
    slug = factory.Sequence(lambda n: f"test-exercise-{n}")
    category = factory.Sequence(lambda n: CATEGORIES[n % len(CATEGORIES)])
    instructions = factory.LazyAttribute(lambda o: [f"Start {o.name}.", "Move slowly."])
    cues = factory.LazyFunction(lambda: ["Breathe out as you push."])
    sets = 3
    reps = 12
    days_per_week = 7
    times_per_day = 1
    illustration_svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<circle cx="5" cy="5" r="4"/></svg>'
    )
    search_text = factory.LazyAttribute(lambda o: Exercise.build_search_text(o.name, []))


class ModalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Modality

    clinic = None
    name = factory.Sequence(lambda n: f"Cold pack {n}")
    slug = factory.Sequence(lambda n: f"cold-pack-{n}")
    kind = Modality.Kind.COLD_PACK
    home_use = True
    home_instructions = "Ice for 15 minutes with a cloth between the pack and the skin."
    precautions = factory.LazyFunction(lambda: ["Check the skin every 5 minutes."])


def make_program(
    episode: Any, therapist: Any, *, items: int = 3, publish: bool = True, modality: bool = True
) -> HomeProgram:
    """A program on `episode` with `items` exercises (and one cold pack), published once."""
    program = services.create_home_program(episode=episode, by=therapist)
    for _ in range(items):
        services.add_program_item(program=program, exercise=ExerciseFactory(), by=therapist)
    if modality:
        services.add_program_modality(
            program=program, modality=ModalityFactory(), instructions="", by=therapist
        )
    if publish:
        services.publish_home_program(program=program, by=therapist)
    return program
