"""A portal page sends each exercise drawing once: the enlarge dialog's copy is made from the
picture when it opens (static/js/exercise-picture.js), not sent a second time in the HTML (the
drawings were half of portal Today's 120 KB)."""

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.builders import make_program

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["programs:portal_today", "programs:portal_program"])
def test_each_drawing_is_in_the_page_once(
    client: Any, therapist: Any, patient_user: Any, episode: Any, page: str
) -> None:
    make_program(episode, therapist, items=2)
    client.force_login(patient_user)
    html = client.get(reverse(page)).content.decode()
    drawings = re.findall(r'<img[^>]*src="data:image/[^"]+"', html)
    pictures = html.count('class="exercise-picture-image"')
    assert pictures == 2  # one picture per exercise
    assert len(drawings) == pictures  # and no second copy of it in the dialog
    assert html.count('class="exercise-picture-large-slot"') == pictures
