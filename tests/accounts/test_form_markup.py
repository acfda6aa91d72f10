"""`|bs5_form` and `|bs5_field` (rehab_clinic/accounts/form_markup.py) draw crispy's Bootstrap 5
markup in Python. Checked here against crispy itself, field kind by field kind, and on the
portal's "My details" page, which is drawn with them."""

import re
from typing import Any

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse

from patients.forms import PatientContactForm
from rehab_clinic.accounts.form_markup import PythonWidgets, field_markup, form_markup


class _Sample(forms.Form):
    name = forms.CharField(max_length=20, help_text="As on your <em>card</em>")
    email = forms.EmailField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    side = forms.ChoiceField(choices=[("", "—"), ("left", "Left"), ("right", "Right")])
    pain = forms.IntegerField(min_value=0, max_value=10, label="Pain (0-10)")
    agree = forms.BooleanField(help_text="Tick to agree")
    kind = forms.CharField(widget=forms.TextInput(attrs={"class": "wide"}), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    when = forms.ChoiceField(
        choices=[("am", "Morning"), ("pm", "Evening")], widget=forms.RadioSelect
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") == "both":
            raise forms.ValidationError("Choose one <b>side</b>.")
        return data


def _squeezed(markup: str) -> str:
    """Markup with the whitespace between and inside tags that crispy's templates leave."""
    markup = re.sub(r"\s+", " ", markup)
    markup = re.sub(r">\s+", ">", markup)
    markup = re.sub(r"\s+<", "<", markup)
    return re.sub(r"\s+(/?>)", r"\1", markup)


BAD = {"name": "both", "email": "nope", "side": "up", "pain": "11", "notes": "<i>sore</i>"}


@pytest.mark.parametrize("data", [None, BAD, {**BAD, "name": "Ann", "agree": "on"}])
def test_a_form_is_drawn_as_crispy_draws_it(data: Any) -> None:
    drawn = str(form_markup(_Sample(data)))
    crispy = as_crispy_form(_Sample(data))
    assert _squeezed(drawn) == _squeezed(crispy)
    for name in _Sample.base_fields:
        assert _squeezed(field_markup(_Sample(data)[name])) == _squeezed(
            as_crispy_field(_Sample(data)[name])
        )


ESCAPED = {
    "name": '"><script>x</script>',
    "email": "a&b@example.test",
    "notes": "O'Brien <b>\n\nline",
    "side": "left",
    "pain": "0",
    "agree": "on",
    "kind": "",
    "token": "t<>",
}


@pytest.mark.parametrize("data", [None, BAD, ESCAPED])
def test_python_widgets_draw_the_markup_of_djangos_widget_templates(data: Any) -> None:
    fast = _Sample(data, renderer=PythonWidgets())
    slow = _Sample(data, renderer=DjangoTemplates())
    for name in _Sample.base_fields:
        assert str(fast[name]) == str(slow[name]), name
        assert field_markup(fast[name]) == field_markup(slow[name]), name
    assert "<script>" not in form_markup(fast)


def test_my_details_draws_its_widgets_in_python() -> None:
    data = {"email": "x", "phone": "<b>", "address": "1 Mill Lane\nFlat 2", "emergency_contact": ""}
    for posted in (None, data):
        fast = PatientContactForm(posted)
        slow = PatientContactForm(posted, renderer=DjangoTemplates())
        assert isinstance(fast.renderer, PythonWidgets)
        assert form_markup(fast) == form_markup(slow)


def test_errors_stand_beside_their_field_and_describe_its_input() -> None:
    drawn = str(form_markup(_Sample(BAD)))
    assert drawn.startswith(
        '<div class="alert alert-block alert-danger"><ul class="m-0">'
        "<li>Choose one &lt;b&gt;side&lt;/b&gt;.</li></ul></div>"
    )
    assert (
        '<input type="number" name="pain" value="11" min="0" max="10" '
        'class="numberinput form-control is-invalid" required aria-invalid="true" '
        'aria-describedby="id_pain_error" id="id_pain">'
        '<div id="id_pain_error" class="invalid-feedback"><p id="error_1_id_pain">'
        "<strong>Ensure this value is less than or equal to 10.</strong></p></div>"
    ) in drawn
    # Described by its help and its error; the help is the form author's markup.
    assert (
        '<div class="mb-3"><div id="div_id_agree" class="form-check">'
        '<input type="checkbox" name="agree" class="checkboxinput form-check-input is-invalid" '
        'required aria-invalid="true" aria-describedby="id_agree_helptext id_agree_error" '
        'id="id_agree"><label for="id_agree" class="form-check-label requiredField">'
        'Agree<span class="asteriskField">*</span></label>'
    ) in drawn
    assert 'aria-describedby="id_name_helptext"' in drawn
    assert '<div id="id_name_helptext" class="form-text">As on your <em>card</em></div>' in drawn
    assert (
        '<label for="id_name" class="form-label requiredField">'
        'Name<span class="asteriskField">*</span></label>'
    ) in drawn
    assert '<label for="id_email" class="form-label">Email</label>' in drawn
    assert "&lt;i&gt;sore&lt;/i&gt;</textarea>" in drawn  # what was typed comes back, escaped
    assert 'class="select form-select is-invalid"' in drawn
    assert 'class="wide textinput form-control"' in drawn


@pytest.mark.django_db
def test_my_details_keeps_what_was_typed_and_shows_each_error_beside_its_field(
    client: Any, patient_user: Any
) -> None:
    client.force_login(patient_user)
    url = reverse("portal:contact")
    html = client.get(url).content.decode()
    for name, label in [
        ("email", "Email"),
        ("phone", "Phone"),
        ("address", "Address"),
        ("emergency_contact", "Emergency contact"),
    ]:
        assert f'<label for="id_{name}" class="form-label">{label}</label>' in html
        assert f'id="id_{name}"' in html
    assert html.count('name="csrfmiddlewaretoken"') == 2  # the form's and the sign-out form's
    assert 'type="submit" name="save" value="Save my details"' in html

    typed = {
        "email": "not-an-email",
        "phone": "9" * 41,
        "address": "1 Mill <Lane>",
        "emergency_contact": "Ann",
    }
    html = client.post(url, typed).content.decode()
    assert (
        '<input type="email" name="email" value="not-an-email" maxlength="254" '
        'class="emailinput form-control is-invalid" aria-invalid="true" '
        'aria-describedby="id_email_error" id="id_email">'
        '<div id="id_email_error" class="invalid-feedback"><p id="error_1_id_email">'
        "<strong>Enter a valid email address.</strong></p></div></div>"
    ) in html
    assert f'value="{"9" * 41}"' in html
    assert 'aria-describedby="id_phone_error"' in html
    assert ">\n1 Mill &lt;Lane&gt;</textarea>" in html
    assert 'name="emergency_contact" value="Ann"' in html
    assert 'id="id_address_error"' not in html
