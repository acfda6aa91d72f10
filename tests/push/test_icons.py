"""The home-screen icons in static/img/ are the ones rehab_clinic/push/icons.py draws."""

import pytest
from django.conf import settings
from PIL import Image, ImageChops

from rehab_clinic.push.icons import ICON_FILES, draw_icon


@pytest.mark.parametrize("size", sorted(ICON_FILES))
def test_the_committed_icon_is_what_icons_py_draws(size: int) -> None:
    with Image.open(settings.BASE_DIR / "static" / ICON_FILES[size]) as committed:
        assert committed.size == (size, size)
        difference = ImageChops.difference(committed.convert("RGB"), draw_icon(size))
    assert difference.getbbox() is None, "run `python manage.py portal_icons` and commit"
