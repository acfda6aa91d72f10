"""Pure helpers for the objective examination: symmetry, strength grades, norms, cadence."""

from __future__ import annotations

import re
from dataclasses import dataclass


def limb_symmetry_index(*, injured: float, uninjured: float) -> float | None:
    """Involved side as a percentage of the uninvolved side (hop tests); None if undefined."""
    if uninjured <= 0 or injured < 0:
        return None
    return round(injured / uninjured * 100, 1)


def side_to_side_difference(*, left: float, right: float) -> float | None:
    """Dynamometry: how much weaker the weaker side is, as a percentage of the stronger side."""
    stronger = max(left, right)
    if stronger <= 0 or min(left, right) < 0:
        return None
    return round(abs(left - right) / stronger * 100, 1)


MMT_GRADE = re.compile(r"^(?:[0-5]|[1-4][+-]|5-)$")
"""MRC grades 0-5 with the common US +/- modifiers (no 0-/0+, no 5+)."""


def is_valid_mmt_grade(grade: str) -> bool:
    return bool(MMT_GRADE.match(grade.strip()))


def mmt_grade_value(grade: str) -> float:
    """A sortable number for a grade: '4-' is 3.67, '4' is 4, '4+' is 4.33."""
    grade = grade.strip()
    if not is_valid_mmt_grade(grade):
        raise ValueError(f"{grade!r} is not an MMT grade")
    base = float(grade[0])
    if grade.endswith("+"):
        return round(base + 1 / 3, 2)
    if grade.endswith("-"):
        return round(base - 1 / 3, 2)
    return base


@dataclass(frozen=True)
class HeelRaiseNorm:
    age_min: int
    age_max: int
    men: int
    women: int


# Hébert-Losier et al. 2017, Physiotherapy (single-leg heel raises to fatigue, mean repetitions),
# as summarised in docs/assessments.md. Ages outside 20-79 have no norm.
HEEL_RAISE_NORMS: tuple[HeelRaiseNorm, ...] = (
    HeelRaiseNorm(20, 29, men=37, women=30),
    HeelRaiseNorm(30, 39, men=32, women=27),
    HeelRaiseNorm(40, 49, men=28, women=24),
    HeelRaiseNorm(50, 59, men=23, women=21),
    HeelRaiseNorm(60, 69, men=19, women=19),
    HeelRaiseNorm(70, 79, men=14, women=16),
)


def heel_raise_norm(*, age: int, sex: str) -> int | None:
    """Norm repetitions for an age in years and sex ('male'/'female', 'm'/'f'); None if none."""
    key = sex.strip().lower()[:1]
    if key not in ("m", "f"):
        return None
    for row in HEEL_RAISE_NORMS:
        if row.age_min <= age <= row.age_max:
            return row.men if key == "m" else row.women
    return None


def heel_raise_percent_of_norm(*, count: int, age: int, sex: str) -> float | None:
    norm = heel_raise_norm(age=age, sex=sex)
    if norm is None:
        return None
    return round(count / norm * 100, 1)


def cadence_target(*, baseline: float, increase_percent: float) -> int:
    """Step rate to aim for after raising cadence by a percentage (e.g. 5-10%)."""
    return round(baseline * (1 + increase_percent / 100))


def cadence_change_percent(*, baseline: float, current: float) -> float | None:
    if baseline <= 0:
        return None
    return round((current - baseline) / baseline * 100, 1)
