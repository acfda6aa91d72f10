"""The portal's home-screen icon, drawn with Pillow: no third-party image to keep or license.

A white check mark in a ring on the portal's blue, filling the square, so the same picture is
both the plain icon and the "maskable" one (the mark stays inside the central safe zone that a
launcher's round or squircle mask never cuts). `python manage.py portal_icons` writes the PNGs
into static/img/; tests/push/test_icons.py checks the files there are what this draws.
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageDraw

__all__ = ["ICON_FILES", "THEME_COLOR", "draw_icon", "icon_png"]

THEME_COLOR = "#0d6efd"  # Bootstrap's primary, the colour of the portal's navigation bar
# Size in pixels -> the static file the manifest names.
ICON_FILES = {192: "img/portal-icon-192.png", 512: "img/portal-icon-512.png"}


def draw_icon(size: int) -> Image.Image:
    image = Image.new("RGB", (size, size), THEME_COLOR)
    draw = ImageDraw.Draw(image)
    unit = size / 100
    draw.ellipse(
        (26 * unit, 26 * unit, 74 * unit, 74 * unit), outline="white", width=round(6 * unit)
    )
    check = [(38 * unit, 51 * unit), (46 * unit, 59 * unit), (62 * unit, 42 * unit)]
    draw.line(check, fill="white", width=round(7 * unit), joint="curve")
    return image


def icon_png(size: int) -> bytes:
    buffer = BytesIO()
    draw_icon(size).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
