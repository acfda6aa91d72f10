"""`{{ form|bs5_form }}` and `{{ field|bs5_field }}`: crispy's Bootstrap 5 markup for `|crispy`
and `|as_crispy_field`, drawn in Python (rehab_clinic/accounts/form_markup.py)."""

from django import template
from django.forms import BaseForm
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

from rehab_clinic.accounts.form_markup import field_markup, form_markup

register = template.Library()


@register.filter
def bs5_form(form: BaseForm) -> SafeString:
    return form_markup(form)


@register.filter
def bs5_field(field: BoundField) -> SafeString:
    return field_markup(field)
