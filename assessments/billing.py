"""Billable units from treatment minutes: the CMS "8-minute rule" (docs/billing.md).

Pure functions of plain values: which codes are timed is the clinic's data (`BillingCode`),
passed in with each service. Medicare's rule, as its Claims Processing Manual (chapter 5,
section 20.2) describes it:

1. Add up the minutes of every *timed* service of the visit. The total gives the units: fewer
   than 8 minutes, none; 8 to 22, one; 23 to 37, two; and one more for each further 15.
2. Give each timed service one unit for each full 15 minutes it took.
3. Give the units still left, one at a time, to the services with the most minutes left over
   (a service gets at most one such unit). On equal minutes left over the manual lets the
   therapist choose; here the service entered first on the note wins, so the answer is always
   the same and the therapist can change it by the order of the rows.

An untimed (service-based) code is one unit whatever its minutes, once a visit, and its minutes
are not part of the timed total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

UNIT_MINUTES = 15
FIRST_UNIT_AT = 8
"""A unit is 15 minutes; the first is billable from 8 (more than half of 15)."""


@dataclass(frozen=True)
class Service:
    """One line of the note: a code, the minutes spent on it, and whether the code is timed."""

    code: str
    minutes: int
    timed: bool = True


@dataclass(frozen=True)
class CodeUnits:
    code: str
    minutes: int
    units: int
    timed: bool


@dataclass(frozen=True)
class Units:
    total_timed_minutes: int
    timed_units: int
    lines: tuple[CodeUnits, ...]
    """One line per code, in the order the codes were first entered."""

    @property
    def untimed_units(self) -> int:
        return sum(line.units for line in self.lines if not line.timed)

    @property
    def total_units(self) -> int:
        return self.timed_units + self.untimed_units

    def units_of(self, code: str) -> int:
        return next((line.units for line in self.lines if line.code == code), 0)


def units_for_minutes(total: int) -> int:
    """Units billable for ``total`` timed minutes: 0-7 none, 8-22 one, 23-37 two, ..."""
    if total < 0:
        raise ValueError("Minutes cannot be negative.")
    if total < FIRST_UNIT_AT:
        return 0
    return (total + UNIT_MINUTES - FIRST_UNIT_AT) // UNIT_MINUTES


def billable_units(services: Iterable[Service]) -> Units:
    """Units per code for one visit. Lines of the same code are added together first."""
    minutes: dict[str, int] = {}
    timed: dict[str, bool] = {}
    for service in services:
        if service.minutes < 0:
            raise ValueError(f"Minutes cannot be negative ({service.code}).")
        minutes[service.code] = minutes.get(service.code, 0) + service.minutes
        timed.setdefault(service.code, service.timed)
    timed_codes = [code for code in minutes if timed[code]]
    total = sum(minutes[code] for code in timed_codes)
    available = units_for_minutes(total)
    units = {code: minutes[code] // UNIT_MINUTES for code in timed_codes}
    left = available - sum(units.values())
    # Most minutes left over first; on a tie the code entered first (sorted() is stable).
    by_leftover = sorted(timed_codes, key=lambda code: -(minutes[code] % UNIT_MINUTES))
    for code in by_leftover[: max(left, 0)]:
        units[code] += 1
    lines = tuple(
        CodeUnits(code, minutes[code], units[code] if timed[code] else 1, timed[code])
        for code in minutes
    )
    return Units(total_timed_minutes=total, timed_units=available, lines=lines)
