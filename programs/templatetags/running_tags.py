"""Template helpers for return-to-run pages."""

from typing import Any

from django import template

from rehab_clinic.accounts.units import format_distance

register = template.Library()


@register.filter
def rtr_distance(metres: Any, clinic: Any) -> str:
    """Metres shown in the clinic's unit, e.g. '0.25 mi' or '0.40 km'."""
    if metres in (None, ""):
        return ""
    return format_distance(metres, clinic, places=2)
