"""Uploaded images (exercise photos, the clinic logo, photos sent with a message): trust nothing
the browser says.

The bytes must start like a JPEG, PNG or WebP, the pixel count must be sane before decoding (a
decompression bomb is refused), and Pillow must decode them fully. Callers store a fresh encoding
of the pixels, so metadata (EXIF location, comments) and anything smuggled after the image data
are gone. SVG can carry scripts; GIF, EPS and PostScript are refused before Pillow sees them
(Pillow hands PostScript to Ghostscript where it is installed).
"""

from __future__ import annotations

import io
import secrets
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from django.core.files.base import ContentFile
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG", "PNG", "WEBP"}


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message is shown beside the field."""


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _refuse_unsniffed(head: bytes, noun: str) -> NoReturn:
    text = head.lstrip().lower()
    if b"<svg" in text or text.startswith(b"<?xml"):
        raise ImageRejected("SVG files are not accepted. Please upload a JPEG, PNG or WebP.")
    if head.startswith(b"GIF8"):
        raise ImageRejected("GIF images are not accepted. Please upload a JPEG, PNG or WebP.")
    if head.startswith((b"%!", b"\xc5\xd0\xd3\xc6")):
        raise ImageRejected(
            "PostScript and EPS files are not accepted. Please upload a JPEG, PNG or WebP."
        )
    raise ImageRejected(
        f"This file is not a JPEG, PNG or WebP {noun}. Please upload a {noun} in one of those "
        "formats."
    )


@contextmanager
def _whole_files_only() -> Iterator[None]:
    """Refuse a truncated file while decoding an upload. WeasyPrint, once imported, tells Pillow
    to accept truncated images process-wide (fine for rendering our own stored files)."""
    with _TRUNCATION_LOCK:
        allowed = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = allowed


_TRUNCATION_LOCK = threading.Lock()


def decode_upload(upload: Any, *, max_bytes: int, max_pixels: int, noun: str) -> Image.Image:
    """The upload's pixels, upright, or ImageRejected with a plain message naming the `noun`."""
    if upload.size > max_bytes:
        limit = max_bytes // (1024 * 1024)
        raise ImageRejected(f"This {noun} is larger than {limit} MB. Please upload a smaller one.")
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    kind = _sniff(head)
    if kind is None:
        _refuse_unsniffed(head, noun)
    too_many = f"This image has too many pixels to be a normal {noun} and was refused."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(upload, formats=[kind])
            if image.format != kind:
                raise ImageRejected(f"This file is not a JPEG, PNG or WebP {noun}.")
            width, height = image.size
            if width * height > max_pixels:
                raise ImageRejected(too_many)
            with _whole_files_only():
                image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(too_many) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRejected(
            f"This file could not be read as a {noun}. It may be damaged or not really an image."
        ) from None
    return ImageOps.exif_transpose(image)


def on_white(image: Image.Image) -> Image.Image:
    """RGB pixels, transparent parts laid on white (for JPEG)."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def encode(image: Image.Image, image_format: str, **options: Any) -> ContentFile[bytes]:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return ContentFile(buffer.getvalue())


LOGO_MAX_BYTES = 2 * 1024 * 1024
# A letterhead logo needs nothing near this; the cap keeps a tiny file that decodes to a huge
# bitmap (a 17 KB, 144-megapixel PNG) from costing every PDF of the clinic a gigabyte.
LOGO_MAX_PIXELS = 16_000_000
LOGO_MAX_SIDE = 1000


def process_logo(upload: Any) -> ContentFile[bytes]:
    """A clinic logo, checked and stored as a fresh PNG (transparency kept) at most 1000 px."""
    image = decode_upload(upload, max_bytes=LOGO_MAX_BYTES, max_pixels=LOGO_MAX_PIXELS, noun="logo")
    image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    logo = encode(image, "PNG", optimize=True)
    logo.name = f"{secrets.token_hex(8)}.png"
    return logo


PHOTO_MAX_BYTES = 10 * 1024 * 1024  # a phone camera's JPEG, with room to spare
PHOTO_MAX_PIXELS = 50_000_000
PHOTO_MAX_SIDE = 2000


def process_photo_jpeg(
    upload: Any,
    *,
    noun: str = "photo",
    max_bytes: int = PHOTO_MAX_BYTES,
    max_pixels: int = PHOTO_MAX_PIXELS,
    max_side: int = PHOTO_MAX_SIDE,
) -> ContentFile[bytes]:
    """A photo checked like a logo, stored as a fresh JPEG at most `max_side` px (EXIF, location
    included, is gone with the re-encoding), under a random name."""
    image = on_white(decode_upload(upload, max_bytes=max_bytes, max_pixels=max_pixels, noun=noun))
    image.thumbnail((max_side, max_side))
    photo = encode(image, "JPEG", quality=85, optimize=True)
    photo.name = f"{secrets.token_hex(8)}.jpg"
    return photo
