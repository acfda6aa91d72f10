"""Photo uploads: content is checked by decoding, re-encoded without metadata, served by a view."""

import io
import struct
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from exercises.models import ExercisePhoto
from exercises.photos import PhotoRejected, process_photo
from tests.factories import ExerciseFactory


def _png_with_exif() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera make
    exif[0x9286] = "GPS home address"  # user comment
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", exif=exif)
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "blue").save(buffer, format="JPEG")
    return buffer.getvalue()


def _png_bomb(side: int = 20000) -> bytes:
    """A tiny file that claims 20000 x 20000 pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )  # fmt: skip

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * (side // 8)
    body = zlib.compress(row * 200, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def _upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_valid_png_is_re_encoded_as_jpeg_without_metadata() -> None:
    processed = process_photo(_upload("photo.png", _png_with_exif()))
    data = processed.image.read()
    assert data.startswith(b"\xff\xd8\xff")
    assert b"SecretCam" not in data
    assert b"GPS home address" not in data
    reopened = Image.open(io.BytesIO(data))
    assert reopened.format == "JPEG"
    assert not reopened.getexif()
    assert (processed.width, processed.height) == (640, 480)
    thumb = Image.open(io.BytesIO(processed.thumbnail.read()))
    assert max(thumb.size) <= 320


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.jpg", b"just some text, renamed to look like a photo\n" * 20, "not a JPEG, PNG"),
        (
            "evil.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG files are not accepted",
        ),
        (
            "evil.png",
            b'<?xml version="1.0"?><svg><script>alert(1)</script></svg>',
            "SVG files are not accepted",
        ),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "could not be read as a photo"),
        ("bomb.png", _png_bomb(), "too many pixels"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(name: str, content: bytes, message: str):
    with pytest.raises(PhotoRejected, match=message):
        process_photo(_upload(name, content))


def test_a_file_over_5_mb_is_refused_before_decoding() -> None:
    big = _upload("big.jpg", _jpeg() + b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(PhotoRejected, match="larger than 5 MB"):
        process_photo(big)


@pytest.mark.django_db
def test_upload_page_shows_the_error_beside_the_field_and_saves_nothing(
    client: Any, clinic_admin: Any
) -> None:
    exercise = ExerciseFactory(clinic=clinic_admin.clinic)
    client.force_login(clinic_admin)
    url = reverse("exercises:photo_upload", args=[exercise.pk])
    svg = _upload("x.svg", b"<svg onload='alert(1)'></svg>", "image/svg+xml")
    response = client.post(url, {"image": svg, "alt_text": "A drawing"})
    assert response.status_code == 200
    assert "SVG files are not accepted" in str(response.context["form"].errors["image"])
    assert 'value="A drawing"' in response.content.decode()
    assert not ExercisePhoto.objects.exists()


@pytest.mark.django_db
def test_a_valid_photo_is_stored_re_encoded_and_shown_through_a_view(
    client: Any, clinic_admin: Any, therapist: Any, other_therapist: Any
) -> None:
    exercise = ExerciseFactory(clinic=clinic_admin.clinic)
    client.force_login(clinic_admin)
    url = reverse("exercises:photo_upload", args=[exercise.pk])
    response = client.post(
        url, {"image": _upload("calf.png", _png_with_exif()), "alt_text": "Calf raise on a step"}
    )
    assert response.status_code == 302
    photo = ExercisePhoto.objects.get(exercise=exercise)
    assert photo.image.name.endswith(".jpg")
    assert "calf" not in photo.image.name
    detail = client.get(reverse("exercises:detail", args=[exercise.pk])).content.decode()
    thumb_url = reverse("exercises:photo", args=[exercise.pk, photo.pk, "thumb"])
    assert thumb_url in detail
    assert 'alt="Calf raise on a step"' in detail
    client.force_login(therapist)
    served = client.get(reverse("exercises:photo", args=[exercise.pk, photo.pk, "full"]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    body = b"".join(served.streaming_content)
    assert body.startswith(b"\xff\xd8\xff")
    assert b"SecretCam" not in body
    client.force_login(other_therapist)
    assert client.get(thumb_url).status_code == 404
