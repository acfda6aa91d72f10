"""Bootstrap 5 form markup drawn in Python: what crispy-forms' `bootstrap5` pack draws for
`{{ form|crispy }}` and `{{ field|as_crispy_field }}` (label, widget, errors and help of each
field, the non-field errors above them), without the pack's dozen templates a field. On a small
signed-in page such as "My details" crispy's field templates were two thirds of the request
(issue 21).

Fields that are a single input, textarea, select or checkbox are drawn here; any other (radio
buttons, checkbox lists, files, multi-widgets, a field set) goes to crispy as before. The page
draws its own `<form>`, CSRF token and buttons, as it does around `|crispy`.

`PythonWidgets` is a form renderer that writes Django's input, textarea and select templates
out in Python, byte for byte the same markup: a form on a hot page sets it as its
`default_renderer` (the builder's cards, "My details").
"""

from __future__ import annotations

import html
from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString, mark_safe

# Widgets crispy draws some other way (their own templates, or a fieldset around them).
_CRISPY_ONLY = (
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
    forms.SelectMultiple,
)


def _escape(value: Any) -> str:
    """Django's conditional_escape without its lazy-string wrapper (widgets render many)."""
    return str(value.__html__()) if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_escape(name)}" + ("" if value is True else f'="{_escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


# Each of these templates is `{% include "django/forms/widgets/input.html" %}` and nothing else.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input", "text", "number", "email", "url", "tel", "password", "search", "hidden",
        "date", "datetime", "time", "color", "checkbox",
    )
)  # fmt: skip
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class PythonWidgets(DjangoTemplates):
    """Django's input, textarea, select and option templates written out in Python, byte for
    byte the same markup (tests/accounts/test_form_markup.py). A select with option groups,
    and every other template, goes through Django's templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if widget is None:
            return super().render(template_name, context, request)
        if template_name in _INPUT_TEMPLATES:
            value = widget["value"]
            shown = "" if value is None else f' value="{_escape(value)}"'
            return mark_safe(  # every part is escaped here
                f'<input type="{_escape(widget["type"])}" '
                f'name="{_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
            )
        if template_name == _TEXTAREA_TEMPLATE:
            text = _escape(widget["value"]) if widget["value"] else ""
            return mark_safe(  # every part is escaped here
                f'<textarea name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
                f"{text}</textarea>"
            )
        if template_name == _SELECT_TEMPLATE and all(
            not group_name
            and all(option["template_name"] == _OPTION_TEMPLATE for option in choices)
            for group_name, choices, _ in widget["optgroups"]
        ):
            options = "".join(
                f'\n  <option value="{_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_escape(option['label'])}</option>\n"
                for _, choices, _ in widget["optgroups"]
                for option in choices
            )
            return mark_safe(  # every part is escaped here
                f'<select name="{_escape(widget["name"])}"'
                f"{_attrs(widget['attrs'])}>{options}\n</select>"
            )
        return super().render(template_name, context, request)


def _widget_class(field: BoundField, kind: str) -> str:
    """The widget's classes as crispy sets them: its own, its lowercased class name, then the
    pack's (`form-control`, `form-select` or `form-check-input`) and `is-invalid` on an error."""
    widget = field.field.widget
    name = type(widget).__name__.lower()
    css = str(widget.attrs.get("class", ""))
    css = (f"{css} {name}" if name not in css else css) if css else name
    for extra in (kind, "is-invalid") if field.errors else (kind,):
        if extra not in css.split():
            css = f"{css} {extra}"
    return css


def _label(field: BoundField, css: str) -> str:
    target = field.id_for_label
    required = " requiredField" if field.field.required else ""
    mark = '<span class="asteriskField">*</span>' if field.field.required else ""
    target_attr = f' for="{_escape(target)}"' if target else ""
    return f'<label{target_attr} class="{css}{required}">{_escape(field.label)}{mark}</label>'


def _errors_and_help(field: BoundField) -> str:
    """The field's errors (each beside it, in an element the input is described by), then its
    help text (which, as in Django's own templates, is the form author's markup)."""
    drawn = ""
    if field.errors:
        messages = "".join(
            f'<p id="error_{number}_{field.auto_id}"><strong>{_escape(error)}</strong></p>'
            for number, error in enumerate(field.errors, start=1)
        )
        drawn += f'<div id="{field.auto_id}_error" class="invalid-feedback">{messages}</div>'
    if field.help_text:
        shown = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
        drawn += f'<div {shown}class="form-text">{field.help_text}</div>'
    return drawn


def field_markup(field: BoundField) -> SafeString:
    """`{{ field|as_crispy_field }}` for one field of a plain form."""
    widget = field.field.widget
    if field.is_hidden:
        return SafeString(str(field))
    if isinstance(widget, _CRISPY_ONLY) or field.use_fieldset:
        return SafeString(as_crispy_field(field))
    extra = f" {field.css_classes()}" if field.css_classes() else ""
    if isinstance(widget, forms.CheckboxInput):
        box = field.as_widget(attrs={"class": _widget_class(field, "form-check-input")})
        label = _label(field, "form-check-label") if field.label else ""
        return mark_safe(  # each part is escaped or drawn by Django's widget
            f'<div class="mb-3"><div id="div_{field.auto_id}" class="form-check{extra}">'
            f"{box}{label}{_errors_and_help(field)}</div></div>"
        )
    kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
    label = _label(field, "form-label") if field.label else ""
    control = field.as_widget(attrs={"class": _widget_class(field, kind)})
    return mark_safe(  # each part is escaped or drawn by Django's widget
        f'<div id="div_{field.auto_id}" class="mb-3{extra}">'
        f"{label}{control}{_errors_and_help(field)}</div>"
    )


def form_markup(form: forms.BaseForm) -> SafeString:
    """`{{ form|crispy }}`: the non-field errors first, then every field (the form's helper,
    if any, is not read, as `|crispy` does not read it)."""
    drawn = ""
    if form.non_field_errors():
        items = "".join(f"<li>{_escape(error)}</li>" for error in form.non_field_errors())
        drawn += f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>'
    drawn += "".join(field_markup(field) for field in form)
    return mark_safe(drawn)  # each part is escaped above or drawn by Django's widgets
