"""Objective-examination helpers against hand-worked examples (no database)."""

import pytest

from assessments.measurements import (
    cadence_change_percent,
    cadence_target,
    heel_raise_norm,
    heel_raise_percent_of_norm,
    is_valid_mmt_grade,
    limb_symmetry_index,
    mmt_grade_value,
    side_to_side_difference,
)


@pytest.mark.parametrize(
    ("injured", "uninjured", "expected"),
    [(80, 100, 80.0), (120, 150, 80.0), (17, 20, 85.0), (10, 0, None), (0, 20, 0.0)],
)
def test_limb_symmetry_index_is_involved_over_uninvolved(injured, uninjured, expected):
    assert limb_symmetry_index(injured=injured, uninjured=uninjured) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [(200, 250, 20.0), (250, 200, 20.0), (300, 300, 0.0), (0, 0, None), (150, 200, 25.0)],
)
def test_side_to_side_difference_is_relative_to_the_stronger_side(left, right, expected):
    assert side_to_side_difference(left=left, right=right) == expected


@pytest.mark.parametrize(
    ("age", "sex", "expected"),
    [
        (20, "female", 30),
        (29, "male", 37),
        (35, "F", 27),
        (45, "m", 28),
        (59, "female", 21),
        (60, "male", 19),
        (79, "female", 16),
        (19, "male", None),
        (80, "female", None),
        (35, "unknown", None),
    ],
)
def test_heel_raise_norm_by_age_band_and_sex(age, sex, expected):
    assert heel_raise_norm(age=age, sex=sex) == expected


def test_heel_raise_count_as_percent_of_norm():
    assert heel_raise_percent_of_norm(count=18, age=34, sex="female") == 66.7  # 18 / 27
    assert heel_raise_percent_of_norm(count=18, age=12, sex="female") is None


@pytest.mark.parametrize(
    ("grade", "valid", "value"),
    [
        ("0", True, 0.0),
        ("3", True, 3.0),
        ("4-", True, 3.67),
        ("4+", True, 4.33),
        ("5-", True, 4.67),
    ],
)
def test_mmt_grades_with_modifiers(grade, valid, value):
    assert is_valid_mmt_grade(grade) is valid
    assert mmt_grade_value(grade) == value


@pytest.mark.parametrize("grade", ["6", "5+", "0-", "4++", "", "four"])
def test_mmt_rejects_grades_outside_the_scale(grade):
    assert not is_valid_mmt_grade(grade)
    with pytest.raises(ValueError, match="MMT"):
        mmt_grade_value(grade)


def test_cadence_target_and_change():
    assert cadence_target(baseline=158, increase_percent=5) == 166  # 165.9
    assert cadence_target(baseline=160, increase_percent=10) == 176
    assert cadence_change_percent(baseline=160, current=168) == 5.0
    assert cadence_change_percent(baseline=0, current=168) is None
