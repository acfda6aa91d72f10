"""The clinic logo goes through the image pipeline and is served only to the clinic's staff."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.exercises.test_photos import _png_bomb

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert('logo')</script>"


def _png(size: tuple[int, int] = (400, 200), mode: str = "RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 128) if mode == "RGBA" else (10, 120, 200)).save(
        buffer, format="PNG"
    )
    return buffer.getvalue()


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (40, 40)).save(buffer, format="GIF")
    return buffer.getvalue()


EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nnewpath 0 0 moveto showpage\n"
POSTSCRIPT = b"%!PS\n/Helvetica findfont 12 scalefont setfont (hi) show showpage\n"


def _post_logo(client: Any, clinic: Any, name: str, content: bytes) -> Any:
    return client.post(
        reverse("accounts:admin_home"),
        {
            "name": clinic.name,
            "timezone": "UTC",
            "distance_unit": "km",
            "paper_size": "A4",
            "logo": SimpleUploadedFile(name, content, content_type="image/png"),
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.png", _png_bomb(12000), "too many pixels"),
        ("logo.eps", EPS, "PostScript and EPS files are not accepted"),
        ("logo.ps", POSTSCRIPT, "PostScript and EPS files are not accepted"),
        ("logo.png", b"%!PS-Adobe-3.0\n" + _png(), "PostScript and EPS files are not accepted"),
        ("logo.gif", _gif(), "GIF images are not accepted"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG files are not"),
        ("logo.png", b"not an image at all" * 10, "not a JPEG, PNG or WebP logo"),
        ("logo.png", _png()[:60], "could not be read as a logo"),
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
    ],
)
def test_hostile_logos_are_refused_beside_the_field_and_nothing_is_saved(
    client: Any, clinic_admin: Any, clinic: Any, name: str, content: bytes, message: str
) -> None:
    client.force_login(clinic_admin)
    response = _post_logo(client, clinic, name, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'id="error_1_id_logo"' in html or "invalid-feedback" in html
    clinic.refresh_from_db()
    assert not clinic.logo


def test_a_logo_is_stored_re_encoded_as_png_without_what_was_appended(
    client: Any, clinic_admin: Any, clinic: Any
) -> None:
    client.force_login(clinic_admin)
    response = _post_logo(client, clinic, "logo.png", _png((3000, 1500)) + SCRIPT)
    assert response.status_code == 302
    clinic.refresh_from_db()
    stored = clinic.logo.read()
    assert SCRIPT not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == "PNG"
    assert image.size == (1000, 500)
    assert image.mode == "RGBA"  # transparency kept for the letterhead
    assert clinic.logo.name.endswith(".png")


def test_a_jpeg_logo_is_accepted_and_stored_as_png(
    client: Any, clinic_admin: Any, clinic: Any
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "red").save(buffer, format="JPEG")
    client.force_login(clinic_admin)
    assert _post_logo(client, clinic, "logo.jpg", buffer.getvalue()).status_code == 302
    clinic.refresh_from_db()
    assert Image.open(clinic.logo).format == "PNG"


def test_the_logo_is_served_to_the_clinics_own_people_only(
    client: Any,
    clinic_admin: Any,
    therapist: Any,
    clinic: Any,
    other_admin: Any,
    patient_user: Any,
    other_patient_user: Any,
) -> None:
    client.force_login(clinic_admin)
    _post_logo(client, clinic, "logo.png", _png())
    url = reverse("accounts:clinic_logo", args=[clinic.pk])
    assert url in client.get(reverse("accounts:admin_home")).content.decode()
    for user in (clinic_admin, therapist, patient_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "PNG"
    client.force_login(other_admin)
    assert client.get(url).status_code == 404
    client.force_login(other_patient_user)
    assert client.get(url).status_code == 404
    # It heads the clinic's own patients' portal.
    client.force_login(patient_user)
    assert url in client.get(reverse("programs:portal_today")).content.decode()
    client.logout()
    assert client.get(url).status_code == 302


def test_a_clinic_without_a_logo_answers_404(client: Any, clinic_admin: Any, clinic: Any) -> None:
    client.force_login(clinic_admin)
    assert client.get(reverse("accounts:clinic_logo", args=[clinic.pk])).status_code == 404


def test_a_truncated_image_is_refused_even_after_weasyprint_allowed_them() -> None:
    import weasyprint  # noqa: F401  (its import sets Pillow's LOAD_TRUNCATED_IMAGES)
    from PIL import ImageFile

    from rehab_clinic.accounts.images import ImageRejected, process_logo

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    with pytest.raises(ImageRejected, match="could not be read as a logo"):
        process_logo(SimpleUploadedFile("cut.png", _png((300, 300), "RGB")[:200]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # left as WeasyPrint wants it
