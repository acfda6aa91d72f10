"""Factories for the exercise library."""

import factory

from exercises.models import Exercise, Modality


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    clinic = None
    name = factory.Sequence(lambda n: f"Test exercise {n}")
    slug = factory.Sequence(lambda n: f"test-exercise-{n}")
    aliases = factory.LazyFunction(list)
    search_text = factory.LazyAttribute(lambda o: Exercise.build_search_text(o.name, o.aliases))
    category = Exercise.Category.CORE
    difficulty = Exercise.Difficulty.BEGINNER
    instructions = factory.LazyFunction(lambda: ["Do the thing.", "Rest."])
    sets = 3
    reps = 10


class ModalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Modality

    clinic = None
    name = factory.Sequence(lambda n: f"Test modality {n}")
    slug = factory.Sequence(lambda n: f"test-modality-{n}")
    kind = Modality.Kind.COLD_PACK
    parameters = factory.LazyFunction(lambda: {"minutes": 15, "barrier": "damp towel"})
    contraindications = factory.LazyFunction(lambda: ["Raynaud's phenomenon"])
