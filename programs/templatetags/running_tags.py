"""Template helpers for return-to-run pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.utils.safestring import SafeString

from programs.home.forms import crispy_unbound
from rehab_clinic.accounts.units import format_distance

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import Clinic

register = template.Library()


@register.filter
def rtr_distance(metres: Any, clinic: Clinic) -> str:
    """Metres shown in the clinic's unit, e.g. '0.25 mi' or '0.40 km'."""
    if metres in (None, ""):
        return ""
    return format_distance(metres, clinic, places=2)


@register.filter
def crispy_once(form: Any) -> SafeString:
    """`{{ form|crispy }}`, drawn once per distinct unbound form (see `crispy_unbound`): the
    plan page shows four or five small forms that rarely change, ~4 ms each through crispy."""
    return crispy_unbound(form)
