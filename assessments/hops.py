"""The return-to-sport hop battery: pure functions over a note's ``hops`` table rows.

Four tests (Noyes et al. 1991, as used in return-to-sport testing): single, triple and crossover
hop for distance, and the 6 m timed hop. The limb symmetry index is involved / uninvolved * 100
for the distance tests; for the timed hop a *shorter* time is better, so it is inverted:
uninvolved / involved * 100. An LSI of at least 90 % is the usual return-to-sport threshold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

RETURN_TO_SPORT_LSI = Decimal(90)


@dataclass(frozen=True)
class HopTest:
    code: str
    label: str
    unit: str
    lower_is_better: bool = False


HOP_TESTS: tuple[HopTest, ...] = (
    HopTest("single", "Single hop for distance", "cm"),
    HopTest("triple", "Triple hop for distance", "cm"),
    HopTest("crossover", "Crossover hop for distance", "cm"),
    HopTest("timed_6m", "6 m timed hop", "s", lower_is_better=True),
)
HOP_TEST_BY_CODE = {t.code: t for t in HOP_TESTS}


def hop_lsi(*, test: str, involved: Decimal, uninvolved: Decimal) -> Decimal | None:
    """Limb symmetry index in percent, one decimal; None when it is undefined (zero or negative
    values). The timed hop is inverted so that 100 % is symmetry and lower means worse."""
    hop = HOP_TEST_BY_CODE[test]
    if involved <= 0 or uninvolved <= 0:
        return None
    ratio = uninvolved / involved if hop.lower_is_better else involved / uninvolved
    return (ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class HopResult:
    test: str
    label: str
    unit: str
    involved: Decimal | None
    uninvolved: Decimal | None
    lsi: Decimal | None

    @property
    def meets_threshold(self) -> bool | None:
        return None if self.lsi is None else self.lsi >= RETURN_TO_SPORT_LSI


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def hop_battery(rows: Iterable[dict[str, Any]], *, injured_side: str) -> list[HopResult]:
    """One result per test found in ``rows`` (``{"test", "right", "left"}``), in battery order;
    the last row wins when a test was entered twice. Without an injured side (bilateral or not
    recorded) there is no involved limb, so no LSI."""
    by_test: dict[str, dict[str, Any]] = {}
    for row in rows or []:
        if isinstance(row, dict) and row.get("test") in HOP_TEST_BY_CODE:
            by_test[row["test"]] = row
    other = {"right": "left", "left": "right"}.get(injured_side)
    results = []
    for hop in HOP_TESTS:
        found = by_test.get(hop.code)
        if found is None:
            continue
        involved = _decimal(found.get(injured_side)) if other else None
        uninvolved = _decimal(found.get(other)) if other else None
        lsi = (
            hop_lsi(test=hop.code, involved=involved, uninvolved=uninvolved)
            if involved is not None and uninvolved is not None
            else None
        )
        results.append(HopResult(hop.code, hop.label, hop.unit, involved, uninvolved, lsi))
    return results


def hop_trend(
    evaluations: Iterable[tuple[dt.date, list[dict[str, Any]]]], *, injured_side: str
) -> dict[str, list[tuple[dt.date, Decimal]]]:
    """Test code -> (visit date, LSI) across retests, oldest first."""
    trend: dict[str, list[tuple[dt.date, Decimal]]] = {}
    for visit_date, rows in sorted(evaluations, key=lambda e: e[0]):
        for result in hop_battery(rows, injured_side=injured_side):
            if result.lsi is not None:
                trend.setdefault(result.test, []).append((visit_date, result.lsi))
    return trend
