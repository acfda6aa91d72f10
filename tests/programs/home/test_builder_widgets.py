"""The builder's cards draw their inputs with `PythonWidgets` (Python, not Django's widget
templates): the markup must be byte for byte what Django's templates draw, for every dosage
field, with and without errors, and with values that need escaping. Its other forms are drawn
once per content (`crispy_unbound`): the same markup as crispy, drawn again when content changes."""

from typing import Any

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.forms.renderers import DjangoTemplates
from django.urls import reverse

from programs.home.forms import (
    ProgramDetailsForm,
    ProgramItemForm,
    TemplateNameForm,
    crispy_unbound,
)
from programs.home.revision import draft_revision
from rehab_clinic.accounts.form_markup import PythonWidgets
from tests.builders import make_program

pytestmark = pytest.mark.django_db


def _widgets(form: ProgramItemForm) -> list[str]:
    return [str(form[name]) for name in form.fields]


@pytest.mark.parametrize(
    "posted",
    [
        None,
        {"sets": "0", "reps": "", "hold_seconds": "", "load": '"><script>x</script>', "side": "up"},
        {
            "sets": "3",
            "reps": "12",
            "tempo": "3-0-3 & <b>",
            "note": 'O\'Brien "slow"',
            "side": "left",
        },
    ],
)
def test_the_cards_widgets_are_the_markup_djangos_templates_draw(
    episode: Any, therapist: Any, posted: dict[str, str] | None
) -> None:
    item = make_program(episode, therapist, items=1, publish=False).items.get()
    item.load = '10 kg <red> & "blue"'
    data = None if posted is None else {f"item-{item.pk}-{k}": v for k, v in posted.items()}

    fast = ProgramItemForm(data, instance=item)
    slow = ProgramItemForm(data, instance=item, renderer=DjangoTemplates())
    if data is not None:  # bound: the errors add classes and aria attributes
        fast.is_valid()
        slow.is_valid()

    assert isinstance(fast.renderer, PythonWidgets)
    assert _widgets(fast) == _widgets(slow)
    assert "<script>" not in "".join(_widgets(fast))


def test_the_builders_forms_drawn_once_are_what_crispy_draws_and_follow_their_content(
    client: Any, episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=1, publish=False)
    form = ProgramDetailsForm(instance=program)
    assert crispy_unbound(form) == as_crispy_form(ProgramDetailsForm(instance=program))
    assert crispy_unbound(TemplateNameForm()) == as_crispy_form(TemplateNameForm())

    # A changed title is drawn again, not served from the first drawing.
    program.title = "Knee <plan> & more"
    changed = crispy_unbound(ProgramDetailsForm(instance=program))
    assert "Knee &lt;plan&gt; &amp; more" in changed
    assert changed == as_crispy_form(ProgramDetailsForm(instance=program))

    # A bound form shows its errors (drawn every time).
    bound = ProgramDetailsForm({"title": ""}, instance=program)
    bound.is_valid()
    assert "invalid-feedback" in crispy_unbound(bound)

    # The page: the modality offered and the note saved are on it.
    client.force_login(therapist)
    url = reverse("programs:builder", args=[program.pk])
    first = client.get(url).content.decode()
    program.refresh_from_db()
    program.note_to_patient = "Slowly, please"
    program.save()
    assert "Slowly, please" not in first
    assert "Slowly, please" in client.get(url).content.decode()


def test_the_revision_from_the_rows_the_builder_read_is_the_one_publish_checks(
    episode: Any, therapist: Any
) -> None:
    program = make_program(episode, therapist, items=3, publish=False)
    item = program.items.first()
    assert item is not None
    item.load, item.note = "10 kg", "Slow <down>"
    item.save()
    items = list(program.items.select_related("exercise"))
    modalities = list(program.modalities.select_related("modality"))
    assert draft_revision(program, items, modalities) == draft_revision(program)
