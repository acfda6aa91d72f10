from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template

from rehab_clinic.accounts.units import format_distance

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic

register = template.Library()


@register.filter
def distance(metres: Any, clinic: Clinic) -> str:
    """`{{ stage.run_metres|distance:clinic }}` → "1.2 mi" at a clinic that uses miles."""
    return format_distance(metres, clinic)
