"""Drawings that teach: the plane decides the view, the moving part visibly moves, props mean
something. Pure tests over the shipped library (no database)."""

from pathlib import Path

import pytest

from exercises.figure import VIEW_FOR_PLANE
from exercises.illustration import (
    HIGHLIGHT,
    MOTION,
    PoseError,
    drawing_labels,
    moving_distance,
    read_drawing,
    render_pose_spec,
    validate_pose_spec,
)
from exercises.library import EXERCISES
from exercises.library.review import REVIEW
from exercises.props import BAND_COLORS, ROPE

# Drawn units of a 240-unit panel (about 4 % of its width): a smaller change does not read
# at handout size.
MIN_TRAVEL = 12.0
BY_SLUG = {seed.slug: seed for seed in EXERCISES}
TWO_POSITIONS = [s for s in EXERCISES if s.pose.get("end") is not None]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "library.md"

# The drawings issue 17 names as drawn from the wrong side.
SIDEWAYS = [
    "band-lateral-walk", "band-monster-walk", "band-standing-hip-abduction", "fire-hydrant",
    "clamshell", "band-clamshell", "side-plank", "carioca", "leg-swings-side",
    "band-ankle-inversion", "band-ankle-eversion",
]  # fmt: skip
# ... and as showing two nearly identical positions.
NEARLY_IDENTICAL = [
    "double-leg-calf-raise", "single-leg-calf-raise", "eccentric-heel-drop-straight",
    "eccentric-heel-drop-bent", "hip-hike", "pogo-hops", "single-leg-pogo-hops",
    "tibialis-raise", "towel-scrunch", "toe-yoga", "short-foot", "cat-camel",
]  # fmt: skip


def _svg(slug: str) -> str:
    seed = BY_SLUG[slug]
    return render_pose_spec(
        seed.name,
        seed.pose,
        hold_seconds=seed.dosage.hold_seconds,
        reps=seed.dosage.reps,
        dosed=True,
    )


def test_every_shipped_exercise_has_a_reviewed_plane() -> None:
    assert set(REVIEW) == set(BY_SLUG)
    for seed in EXERCISES:
        assert seed.pose["plane"] in VIEW_FOR_PLANE, seed.slug


@pytest.mark.parametrize("seed", EXERCISES, ids=lambda s: s.slug)
def test_frontal_and_transverse_movements_are_drawn_from_the_front(seed) -> None:
    drawing = read_drawing(seed.pose)
    expected = "side" if drawing.plane == "sagittal" else "front"
    assert drawing.view == expected
    assert ("Front view" in _svg(seed.slug)) is (expected == "front")


@pytest.mark.parametrize("slug", SIDEWAYS)
def test_the_sideways_movements_the_issue_names_are_front_views(slug: str) -> None:
    drawing = read_drawing(BY_SLUG[slug].pose)
    assert drawing.plane in ("frontal", "transverse")
    assert drawing.view == "front"


@pytest.mark.parametrize("seed", TWO_POSITIONS, ids=lambda s: s.slug)
def test_start_and_end_differ_at_the_moving_joint(seed) -> None:
    assert seed.pose.get("moving"), "a two-position drawing names its moving joint"
    assert moving_distance(seed.pose) > MIN_TRAVEL


@pytest.mark.parametrize("slug", NEARLY_IDENTICAL)
def test_the_small_movements_the_issue_names_now_show(slug: str) -> None:
    assert moving_distance(BY_SLUG[slug].pose) > MIN_TRAVEL


def test_moving_distance_is_measured_at_the_named_joint() -> None:
    still = {"start": {"base": "standing"}, "end": {"base": "standing", "th_n": 3}}
    assert moving_distance({**still, "moving": "ankle_n"}) < MIN_TRAVEL
    swing = {"start": {"base": "standing"}, "end": {"base": "standing", "th_n": 60}}
    assert moving_distance({**swing, "moving": "ankle_n"}) > MIN_TRAVEL
    assert moving_distance({**swing, "moving": "head"}) < 1


@pytest.mark.parametrize("seed", TWO_POSITIONS, ids=lambda s: s.slug)
def test_every_movement_has_a_motion_arrow_and_a_highlighted_target(seed) -> None:
    markup = _svg(seed.slug)
    assert f'fill="{MOTION}"' in markup  # the arrowhead
    assert HIGHLIGHT in markup


def test_the_band_colour_is_in_the_drawing() -> None:
    banded = [s for s in EXERCISES if '"band"' in repr(s.pose).replace("'", '"')]
    assert len(banded) >= 10
    for seed in banded:
        colours = {
            prop.get("color", "red")
            for key in ("start", "end")
            for prop in (seed.pose.get(key) or {}).get("props", [])
            if prop["kind"] == "band"
        }
        markup = _svg(seed.slug)
        for colour in colours:
            assert f'stroke="{BAND_COLORS[colour]}"' in markup, seed.slug


def test_each_band_colour_draws_its_own_colour_and_an_unknown_one_is_refused() -> None:
    assert len(set(BAND_COLORS.values())) == len(BAND_COLORS)
    for colour, value in BAND_COLORS.items():
        band = {"kind": "band", "from": "ankle_n", "to": "ankle_f", "color": colour}
        markup = render_pose_spec("x", {"start": {"base": "standing", "props": [band]}})
        assert value in markup
    with pytest.raises(PoseError, match="band colour"):
        validate_pose_spec(
            {"start": {"base": "standing", "props": [{"kind": "band", "color": "pink"}]}}
        )


def test_skipping_has_a_rope_under_the_feet_then_over_the_head() -> None:
    markup = _svg("jump-rope")
    assert markup.count(f'stroke="{ROPE}"') == 2


def test_eyes_closed_balance_shows_closed_eyes_and_says_so() -> None:
    closed, open_ = _svg("single-leg-stance-eyes-closed"), _svg("single-leg-stance")
    assert "Eyes closed" in closed
    assert "Eyes closed" not in open_
    assert 'q2.6 2.4 5.2 0"' in closed  # the closed lid
    assert 'r="1.8" fill="#ffffff"' in open_  # an open eye


def _roller_t(slug: str) -> list[float]:
    pose = BY_SLUG[slug].pose
    return [
        prop.get("t", 0.0)
        for key in ("start", "end")
        for prop in pose[key]["props"]
        if prop["kind"] == "foam_roller"
    ]


def test_foam_rolling_quads_front_of_hip_and_outer_thigh_are_told_apart() -> None:
    quads, hip = _roller_t("foam-roll-quadriceps"), _roller_t("foam-roll-hip-flexor")
    # The front of the hip is rolled near the top of the thigh, the quadriceps lower down.
    assert max(hip) <= 0.35 < max(quads)
    assert min(hip) < min(quads)
    outer = BY_SLUG["foam-roll-outer-thigh"].pose
    assert read_drawing(outer).view == "front"  # side-lying, seen from the front
    assert outer["start"]["base"] != BY_SLUG["foam-roll-quadriceps"].pose["start"]["base"]
    highlighted = {
        slug: BY_SLUG[slug].pose["target"]
        for slug in ("foam-roll-quadriceps", "foam-roll-hip-flexor", "foam-roll-outer-thigh")
    }
    assert len({repr(t) for t in highlighted.values()}) == 3


def test_side_lying_is_drawn_from_the_front_and_prone_from_the_side() -> None:
    for seed in EXERCISES:
        bases = {seed.pose["start"]["base"], (seed.pose.get("end") or {}).get("base")}
        view = read_drawing(seed.pose).view
        if bases & {"side_lying", "side_plank"}:
            assert view == "front", seed.slug
            assert "<polygon" in _svg(seed.slug)  # the chest faces the viewer
        if "prone" in bases:
            assert view == "side", seed.slug


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"start": {"base": "standing"}, "plane": "frontal", "view": "side"}, "front view"),
        ({"start": {"base": "standing"}, "plane": "diagonal"}, "plane must be"),
        ({"start": {"base": "standing"}, "view": "top"}, "view must be"),
        ({"start": {"base": "standing"}, "end": {}, "moving": "tail"}, "moving joint"),
        ({"start": {"base": "standing"}, "moving": "knee_n"}, "needs an end"),
        ({"start": {"base": "standing"}, "focus": {"joint": "ankle_n", "scale": 9}}, "1 to 4"),
        ({"start": {"base": "standing"}, "target": ["wing"]}, "unknown target"),
        ({"start": {"base": "side_plank"}}, "unknown base pose"),
        ({"start": {"base": "standing", "pelvis": 80}, "plane": "frontal"}, "pelvis"),
        ({"start": {"base": "standing", "depth": {"th_n": 3}}}, "depth"),
        ({"start": {"base": "standing", "eyes": "half"}}, "eyes"),
    ],
)
def test_bad_drawing_keys_are_refused_with_a_reason(spec: dict, message: str) -> None:
    with pytest.raises(PoseError, match=message):
        validate_pose_spec(spec)


def test_labels_follow_the_dose() -> None:
    assert drawing_labels(two_positions=False, hold_seconds=30, reps=None) == ("Hold",)
    assert drawing_labels(two_positions=False, hold_seconds=None, reps=10) == ("Position",)
    assert drawing_labels(two_positions=True, hold_seconds=None, reps=10) == ("1 Start", "2 End")
    assert drawing_labels(two_positions=True, hold_seconds=5, reps=10) == ("1 Start", "2 Hold")
    plank = BY_SLUG["front-plank"].pose
    assert ">Position<" in render_pose_spec("x", plank, hold_seconds=None, reps=10, dosed=True)
    assert ">Hold<" in render_pose_spec("x", plank, hold_seconds=30, reps=None, dosed=True)


def test_docs_record_how_every_drawing_was_checked() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for seed in EXERCISES:
        drawing = read_drawing(seed.pose)
        row = f"| {seed.name} | {drawing.plane} | {drawing.view} |"
        assert row in text, seed.slug
