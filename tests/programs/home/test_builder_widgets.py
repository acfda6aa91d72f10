"""The builder's cards draw their inputs with `DosageWidgetRenderer` (Python, not Django's widget
templates): the markup must be byte for byte what Django's templates draw, for every dosage
field, with and without errors, and with values that need escaping."""

from typing import Any

import pytest
from django.forms.renderers import DjangoTemplates

from programs.home.forms import DosageWidgetRenderer, ProgramItemForm
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

    assert isinstance(fast.renderer, DosageWidgetRenderer)
    assert _widgets(fast) == _widgets(slow)
    assert "<script>" not in "".join(_widgets(fast))
