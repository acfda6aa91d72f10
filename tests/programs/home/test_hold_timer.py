"""What the portal's hold timer runs for a prescription: pure, no database."""

from typing import Any

import pytest

from programs.home.dosage import DEFAULT_REST_SECONDS, HoldTimer, hold_timer


def _item(**dose: Any) -> dict[str, Any]:
    item = {"sets": 3, "reps": None, "hold_seconds": 30, "rest_seconds": None, "side": "both"}
    item.update({"instructions": ["Lean into the wall."], **dose})
    return item


def test_an_item_without_a_hold_has_no_timer() -> None:
    assert hold_timer(_item(reps=12, hold_seconds=None)) is None


def test_each_side_runs_left_then_right_with_the_default_rest() -> None:
    timer = hold_timer(_item(side="each"))
    assert timer == HoldTimer(
        sets=3, holds=1, hold_seconds=30, rest_seconds=DEFAULT_REST_SECONDS, sides=("left", "right")
    )


@pytest.mark.parametrize(
    ("dose", "sides", "rest"),
    [
        ({"side": "left", "rest_seconds": 45}, ("left",), 45),
        ({"side": "both", "rest_seconds": 0}, (), 0),  # the therapist's "no rest" is kept
        # The steps name the side ("the painful leg"): one side, as the dose says.
        ({"side": "each", "instructions": ["Stand on the painful leg."]}, (), 30),
    ],
)
def test_sides_and_rest_follow_the_prescription(
    dose: dict[str, Any], sides: tuple[str, ...], rest: int
) -> None:
    timer = hold_timer(_item(**dose))
    assert timer is not None
    assert (timer.sides, timer.rest_seconds) == (sides, rest)


def test_repetitions_with_a_hold_are_holds_within_each_set() -> None:
    timer = hold_timer(_item(sets=2, reps=10, hold_seconds=5))
    assert timer is not None
    assert (timer.sets, timer.holds, timer.hold_seconds) == (2, 10, 5)
