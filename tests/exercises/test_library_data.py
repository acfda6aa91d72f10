"""Integrity of the library that ships with the app (plain data, no database)."""

from collections import Counter

import pytest

from exercises.library import EXERCISES, MODALITIES
from exercises.library.modalities import PARAMETERS, clean_parameters
from exercises.library.schema import CATEGORIES, DIFFICULTIES, EQUIPMENT, INJURIES, REGIONS, SIDES
from exercises.models import Exercise, Modality

MAIN_CATEGORIES = [
    "foam_rolling", "stretching", "resistance_band", "core", "hip_glute", "calf_foot_ankle",
    "plyometrics", "balance", "running_drills",
]  # fmt: skip


def test_at_least_a_hundred_exercises_with_unique_slugs() -> None:
    slugs = [e.slug for e in EXERCISES]
    assert len(slugs) >= 100
    assert len(set(slugs)) == len(slugs)


def test_every_category_is_covered_and_the_main_ones_have_at_least_eight() -> None:
    counts = Counter(e.category for e in EXERCISES)
    assert set(counts) == {value for value, _label in CATEGORIES}
    for category in MAIN_CATEGORIES:
        assert counts[category] >= 8, category
    assert counts["knee_quad"] >= 8
    assert counts["mobility"] >= 8


def test_every_regression_and_progression_link_resolves_to_another_exercise() -> None:
    slugs = {e.slug for e in EXERCISES}
    for e in EXERCISES:
        for target in (e.regression, e.progression):
            if target:
                assert target in slugs, (e.slug, target)
                assert target != e.slug


def test_every_exercise_is_complete_and_uses_the_vocabulary() -> None:
    regions = {v for v, _ in REGIONS}
    equipment = {v for v, _ in EQUIPMENT}
    injuries = {v for v, _ in INJURIES}
    for e in EXERCISES:
        for field in ("name", "aliases", "instructions", "cues", "mistakes", "precautions"):
            assert getattr(e, field), (e.slug, field)
        for chosen, vocabulary in ((e.regions, regions), (e.equipment, equipment),
                                   (e.injuries, injuries)):  # fmt: skip
            assert chosen, e.slug
            assert set(chosen) <= vocabulary, e.slug
        assert e.difficulty in {v for v, _ in DIFFICULTIES}, e.slug
        assert e.dosage.side in {v for v, _ in SIDES}, e.slug
        assert e.dosage.sets, e.slug
        assert e.dosage.reps or e.dosage.hold_seconds, e.slug
        assert e.dosage.days_per_week is None or 1 <= e.dosage.days_per_week <= 7
        assert e.pose.get("start"), e.slug


def test_model_choices_match_the_library_vocabulary() -> None:
    assert list(Exercise.Category.choices) == list(CATEGORIES)
    assert list(Exercise.Difficulty.choices) == list(DIFFICULTIES)
    assert list(Exercise.Side.choices) == list(SIDES)
    assert set(Modality.Kind.values) == set(PARAMETERS)


def test_ten_or_more_modalities_with_valid_defaults_and_checklists() -> None:
    assert len(MODALITIES) >= 10
    kinds = {m.kind for m in MODALITIES}
    needed = {"cold_pack", "ice_massage", "heat", "ultrasound", "tens", "nmes",
              "soft_tissue_massage", "iastm", "dry_needling", "compression"}  # fmt: skip
    assert needed <= kinds
    for m in MODALITIES:
        _cleaned, errors = clean_parameters(m.kind, m.defaults())
        assert errors == [], m.slug
        assert m.contraindications, m.slug
        assert m.precautions, m.slug
        assert not m.home_use or m.home_instructions, m.slug
        for p in m.parameters:
            assert p.as_dict()["name"] == p.name
            if p.kind == "number":
                assert p.unit, (m.slug, p.name)
                assert p.minimum is not None, (m.slug, p.name)
                assert p.maximum is not None, (m.slug, p.name)
                assert p.minimum <= p.default <= p.maximum, (m.slug, p.name)


@pytest.mark.parametrize(
    ("kind", "values", "message"),
    [
        ("ultrasound", {"intensity": 3.5}, "Intensity must be between 0.1 and 2 W/cm²"),
        ("ultrasound", {"frequency": "2"}, "Frequency must be one of: 1, 3"),
        ("tens", {"pulse_width": 900}, "Pulse width must be between 50 and 250 µs"),
        ("nmes", {"frequency": "fast"}, "Frequency must be a number"),
        ("cold_pack", {"minutes": 45}, "Treatment time must be between 5 and 30 min"),
        ("cold_pack", {"voltage": 3}, "Unknown parameter 'voltage'"),
        ("heat", {"minutes": "nan"}, "Treatment time must be a number"),
    ],
)
def test_parameters_outside_their_range_or_unit_are_refused(kind, values, message) -> None:
    _cleaned, errors = clean_parameters(kind, values)
    assert any(message in e for e in errors), errors
