"""`{% submission_key %}`: the hidden one-time key of a form that creates something."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from rehab_clinic.accounts.submissions import FIELD, new_key

register = template.Library()


@register.simple_tag
def submission_key() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())
