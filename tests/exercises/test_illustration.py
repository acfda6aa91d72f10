"""The pose renderer: valid, self-contained, deterministic SVG for every seed exercise."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.illustration import (
    BASE_POSES,
    PoseError,
    render_pose_spec,
    render_svg,
    validate_pose_spec,
)
from exercises.library import EXERCISES

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own markup, parsed to check it


def test_two_positions_make_a_complete_standalone_svg() -> None:
    markup = render_svg(
        title="Squat <test>", start={"base": "standing"}, end={"base": "standing", "th_n": 80}
    )
    root = _parse(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 524 240"
    assert root.get("width")
    assert root.get("height")
    assert root.find(f"{SVG}title").text == "Squat <test>"
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert labels == ["1 Start", "2 End"]


def test_one_position_is_drawn_as_a_hold() -> None:
    root = _parse(render_svg(title="Plank", start={"base": "plank"}))
    assert root.get("viewBox") == "0 0 240 240"
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Hold"]


def test_output_is_deterministic() -> None:
    spec = EXERCISES[0].pose
    assert render_pose_spec("A", spec) == render_pose_spec("A", spec)


def test_every_seed_exercise_renders_valid_self_contained_svg() -> None:
    for seed in EXERCISES:
        markup = render_pose_spec(seed.name, seed.pose)
        root = _parse(markup)
        assert root.get("role") == "img", seed.slug
        assert root.find(f"{SVG}title").text == seed.name
        lowered = markup.lower()
        for forbidden in ("<script", "href", "url(", "http:", "https:", "onload", "<image"):
            assert forbidden not in lowered.replace("http://www.w3.org/2000/svg", ""), seed.slug


def test_the_figure_stands_on_the_floor_line() -> None:
    root = _parse(render_svg(title="Stand", start={"base": "standing"}))
    ys = [float(line.get("y2")) for line in root.iter(f"{SVG}line")]
    floor = 222.0
    assert max(ys) <= floor + 0.5


@pytest.mark.parametrize(
    "spec",
    [
        {"end": {}},
        {"start": {"base": "flying"}},
        {"start": {"base": "standing", "elbow": 10}},
        {"start": {"base": "standing", "th_n": "ten"}},
        {"start": {"base": "standing", "props": [{"kind": "trampoline"}]}},
        {"start": {"base": "standing", "props": [{"kind": "step", "under": "tail"}]}},
        {"start": {}, "extra": 1},
    ],
)
def test_bad_pose_specs_are_refused(spec: dict) -> None:
    with pytest.raises(PoseError):
        validate_pose_spec(spec)


def test_text_in_the_title_is_escaped() -> None:
    markup = render_svg(title="</title><script>alert(1)</script>", start={"base": "standing"})
    assert "<script>" not in markup
    _parse(markup)


@settings(max_examples=150, deadline=None)
@given(
    base=st.sampled_from(sorted(BASE_POSES)),
    angles=st.dictionaries(
        st.sampled_from(["torso", "head", "ua_n", "fa_f", "th_n", "sh_f", "ft_n"]),
        st.floats(min_value=-720, max_value=720),
        max_size=7,
    ),
    lift=st.floats(min_value=0, max_value=100),
)
def test_any_angles_render_to_svg_that_parses(base: str, angles: dict, lift: float) -> None:
    spec = {"start": {"base": base, **angles, "lift": lift}, "end": {"base": base}}
    root = _parse(render_pose_spec("Fuzzed", spec))
    assert root.get("role") == "img"


@given(junk=st.recursive(st.none() | st.booleans() | st.floats() | st.text(max_size=5),
                         lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(st.text(max_size=6), inner, max_size=3)))  # fmt: skip
@settings(max_examples=150, deadline=None)
def test_junk_pose_specs_raise_pose_errors_only(junk: object) -> None:
    for spec in (junk, {"start": junk}, {"start": {"base": "standing", "props": junk}}):
        try:
            validate_pose_spec(spec)
        except PoseError:
            continue
