from typing import Any

from django import template

from rehab_clinic.accounts.units import format_distance

register = template.Library()


@register.filter
def distance(metres: Any, clinic: Any) -> str:
    """`{{ stage.run_metres|distance:clinic }}` → "1.2 mi" at a clinic that uses miles."""
    return format_distance(metres, clinic)
