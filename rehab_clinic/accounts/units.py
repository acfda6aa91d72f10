"""Distances are stored in metres and shown in the clinic's unit (km or mi)."""

from decimal import Decimal
from typing import Any, Protocol

METRES_PER_UNIT = {"km": Decimal("1000"), "mi": Decimal("1609.344")}


class HasDistanceUnit(Protocol):
    """What a distance needs of a clinic (a Clinic, for pure modules that may not import it)."""

    @property
    def distance_unit(self) -> str: ...


def _unit_of(clinic_or_unit: Any) -> str:
    unit = getattr(clinic_or_unit, "distance_unit", clinic_or_unit)
    if unit not in METRES_PER_UNIT:
        raise ValueError(f"Unknown distance unit {unit!r}")
    return str(unit)


def from_metres(metres: float | Decimal, clinic_or_unit: Any) -> Decimal:
    unit = _unit_of(clinic_or_unit)
    return Decimal(str(metres)) / METRES_PER_UNIT[unit]


def to_metres(value: float | Decimal, clinic_or_unit: Any) -> int:
    unit = _unit_of(clinic_or_unit)
    return int((Decimal(str(value)) * METRES_PER_UNIT[unit]).quantize(Decimal("1")))


def shown_value(metres: float | Decimal, clinic_or_unit: Any) -> Decimal:
    """The distance as a form shows it: two decimals of the clinic's unit."""
    return from_metres(metres, clinic_or_unit).quantize(Decimal("0.01"))


def to_metres_keeping(value: Decimal, clinic_or_unit: Any, shown_metres: Any) -> int:
    """Metres for a typed distance. A value left as the form showed it keeps the exact metres
    it was shown from (`shown_metres`): 400 m is shown as 0.25 mi, which converts back to 402 m.
    """
    if shown_metres not in (None, ""):
        exact = int(shown_metres)
        if value == shown_value(exact, clinic_or_unit):
            return exact
    return to_metres(value, clinic_or_unit)


def format_distance(metres: float | Decimal | None, clinic_or_unit: Any, places: int = 1) -> str:
    if metres is None:
        return ""
    unit = _unit_of(clinic_or_unit)
    value = from_metres(metres, unit).quantize(Decimal(1).scaleb(-places))
    return f"{value} {unit}"
