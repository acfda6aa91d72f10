"""Search in the clinic's words. The ranking is pure (tested here without a database, the path
SQLite and PostgreSQL share); the database test runs the same phrases through the queryset on
whichever database the suite runs on (SQLite locally, PostgreSQL in CI) and checks the same
order comes back."""

from typing import Any

import pytest

from exercises.library import EXERCISES, MODALITIES
from exercises.library.schema import CATEGORIES, EQUIPMENT, INJURIES, MODALITY_KINDS, REGIONS
from exercises.models import Exercise, Modality
from exercises.search import SearchDocument, normalise, parse_query, rank
from exercises.seed import load_shared_library

_REGION, _INJURY, _EQUIP = dict(REGIONS), dict(INJURIES), dict(EQUIPMENT)
_CATEGORY, _KIND = dict(CATEGORIES), dict(MODALITY_KINDS)


def _exercise_documents() -> list[SearchDocument]:
    return [
        SearchDocument(
            key=seed.slug,
            name=seed.name,
            aliases=seed.aliases,
            tags=[f"region:{r}" for r in seed.regions]
            + [f"injury:{i}" for i in seed.injuries]
            + [f"equipment:{e}" for e in seed.equipment]
            + [f"category:{seed.category}"],
            tag_names=[_REGION[r] for r in seed.regions] + [_INJURY[i] for i in seed.injuries],
            category=_CATEGORY[seed.category],
            equipment=[_EQUIP[e] for e in seed.equipment],
        )
        for seed in EXERCISES
    ]


def _modality_documents() -> list[SearchDocument]:
    return [
        SearchDocument(key=m.slug, name=m.name, tags=[f"modality:{m.kind}"], category=_KIND[m.kind])
        for m in MODALITIES
    ]


EXERCISE_DOCS = _exercise_documents()
MODALITY_DOCS = _modality_documents()

# phrase -> the exercise (or one of the exercises) that must come first.
FIRST: dict[str, set[str]] = {
    "IT band": {"foam-roll-outer-thigh"},
    "glute med": {"band-clamshell", "clamshell", "side-lying-hip-abduction", "band-lateral-walk"},
    # 20 more phrases heard in the clinic
    "quads": {"foam-roll-quadriceps", "standing-quad-stretch"},
    "hammies": {"supine-hamstring-stretch-strap", "foam-roll-hamstrings"},
    "calves": {"double-leg-calf-raise", "calf-raise-isometric", "single-leg-calf-raise"},
    "achilles": {"calf-raise-isometric", "eccentric-heel-drop-straight", "double-leg-calf-raise"},
    "shin splints": {"foam-roll-shin", "tibialis-raise"},
    "runner's knee": {seed.slug for seed in EXERCISES if "pfp" in seed.injuries},
    "plantar fasciitis": {"plantar-fascia-stretch"},
    "hip flexor": {"kneeling-hip-flexor-stretch", "foam-roll-hip-flexor"},
    "groin": {"side-lunge-groin-stretch", "foam-roll-inner-thigh", "copenhagen-plank"},
    "tib ant": {"tibialis-raise", "foam-roll-shin"},
    "t-spine": {"foam-roll-upper-back", "open-book-rotation"},
    "sprained ankle": {"band-ankle-eversion", "band-ankle-inversion"},
    "plyo": {seed.slug for seed in EXERCISES if seed.category == "plyometrics"},
    "foam rolling": {seed.slug for seed in EXERCISES if seed.category == "foam_rolling"},
    "hip drop": {"hip-hike", "band-standing-hip-abduction", "side-lying-hip-abduction"},
    "alfredson": {"eccentric-heel-drop-straight", "eccentric-heel-drop-bent"},
    "skipping": {"jump-rope"},
    "cadence": {"quick-cadence-steps"},
    "side plank": {"side-plank"},
    "low back": {"bird-dog", "cat-camel"},
}
MODALITY_FIRST: dict[str, set[str]] = {
    "ice": {"ice-massage", "cold-pack", "cold-water-immersion"},
    "ice bath": {"cold-water-immersion"},
    "heat": {"hot-pack"},
    "e-stim": {"tens", "nmes"},
}


@pytest.mark.parametrize(("phrase", "expected"), FIRST.items(), ids=list(FIRST))
def test_clinic_phrases_find_the_right_exercise_first(phrase: str, expected: set[str]) -> None:
    results = rank(EXERCISE_DOCS, phrase)
    assert results, phrase
    assert results[0].key in expected


@pytest.mark.parametrize(("phrase", "expected"), MODALITY_FIRST.items(), ids=list(MODALITY_FIRST))
def test_modality_phrases_find_the_right_modality_first(phrase: str, expected: set[str]) -> None:
    results = rank(MODALITY_DOCS, phrase)
    assert {d.key for d in results[: len(expected)]} == expected


def test_ice_finds_the_cold_modalities_and_no_quadriceps_stretch() -> None:
    assert [d.key for d in rank(MODALITY_DOCS, "ice")] == [
        "ice-massage", "cold-pack", "cold-water-immersion",
    ]  # fmt: skip
    assert rank(EXERCISE_DOCS, "ice") == []  # "quadriceps" holds "ice" but not as a word


def test_it_band_does_not_find_every_resistance_band_exercise() -> None:
    found = {d.key for d in rank(EXERCISE_DOCS, "IT band")}
    banded = {s.slug for s in EXERCISES if s.category == "resistance_band"}
    unrelated = {
        s.slug for s in EXERCISES if s.category == "resistance_band" and "itbs" not in s.injuries
    }
    assert unrelated
    assert not (found & unrelated)
    assert found & banded  # the ones for iliotibial band pain are still found


def test_glute_med_finds_hip_abduction_work_only() -> None:
    found = [d.key for d in rank(EXERCISE_DOCS, "glute med")]
    assert {"side-lying-hip-abduction", "clamshell", "fire-hydrant", "hip-hike"} <= set(found)
    assert "bodyweight-squat" not in found


def test_words_match_at_the_start_of_a_word() -> None:
    docs = [SearchDocument(key=1, name="Quadriceps stretch"), SearchDocument(key=2, name="Glutes")]
    assert rank(docs, "ice") == []
    assert [d.key for d in rank(docs, "glute")] == [2]


def test_every_concept_must_match_and_a_full_name_ranks_first() -> None:
    docs = [
        SearchDocument(key=1, name="Copenhagen side plank"),
        SearchDocument(key=2, name="Side plank"),
        SearchDocument(key=3, name="Front plank"),
    ]
    assert [d.key for d in rank(docs, "side plank")] == [2, 1]


def test_queries_are_normalised_and_known_phrases_bring_their_synonyms() -> None:
    assert normalise("Runner\u2019s  Knee!") == "runners knee"
    concepts = parse_query("IT band pain")
    assert [c.typed for c in concepts] == ["it band", "pain"]
    assert "iliotibial" in concepts[0].phrases
    assert "injury:itbs" in concepts[0].tags


def test_ties_are_ordered_by_name_so_results_never_wobble() -> None:
    docs = [SearchDocument(key=k, name=n) for k, n in ((1, "B hop"), (2, "A hop"), (3, "C hop"))]
    assert [d.key for d in rank(docs, "hop")] == [2, 1, 3]
    assert [d.key for d in rank(list(reversed(docs)), "hop")] == [2, 1, 3]


@pytest.mark.django_db
def test_the_database_search_gives_the_pure_ranking_on_this_database(therapist: Any) -> None:
    """Runs on SQLite locally and on PostgreSQL in CI: the same order either way."""
    load_shared_library()
    shared = Exercise.objects.visible_to(therapist)
    for phrase in [*FIRST, "ice", "band", "calf raise"]:
        from_db = list(shared.search(phrase).values_list("slug", flat=True))
        assert from_db == [d.key for d in rank(EXERCISE_DOCS, phrase)], phrase
    modalities = Modality.objects.visible_to(therapist)
    for phrase in MODALITY_FIRST:
        from_db = list(modalities.search(phrase).values_list("slug", flat=True))
        assert from_db == [d.key for d in rank(MODALITY_DOCS, phrase)], phrase


@pytest.mark.django_db
def test_search_still_narrows_to_what_the_user_may_see(therapist: Any, other_admin: Any) -> None:
    load_shared_library()
    own = Exercise.objects.create(
        clinic=other_admin.clinic, name="Secret IT band drill", slug="secret", category="mobility",
        search_text="secret it band drill",
    )  # fmt: skip
    assert own.pk not in Exercise.objects.visible_to(therapist).search("IT band").values_list(
        "pk", flat=True
    )
    assert own.pk in Exercise.objects.visible_to(other_admin).search("IT band").values_list(
        "pk", flat=True
    )
