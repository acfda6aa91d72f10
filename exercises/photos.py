"""Exercise photo uploads: trust nothing the browser says about the file.

The bytes must start like a JPEG, PNG or WebP, Pillow must decode them fully, and the pixel count
must be sane before decoding (a decompression bomb is refused). What we store is a fresh JPEG
re-encoded from the pixels, so metadata (EXIF location, comments) and anything smuggled after the
image data are gone. SVG is refused: it can carry scripts.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
THUMB_SIDE = 320
FORMATS = {"JPEG", "PNG", "WEBP"}


class PhotoRejected(ValueError):
    """The upload is not a photo we accept; the message is shown beside the field."""


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _jpeg(image: Image.Image) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue())


def process_photo(upload: Any) -> ProcessedPhoto:
    """Check and re-encode an uploaded file; raise PhotoRejected with a plain message."""
    if upload.size > MAX_BYTES:
        raise PhotoRejected("This photo is larger than 5 MB. Please upload a smaller one.")
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    kind = _sniff(head)
    if kind is None:
        if b"<svg" in head.lower() or head.lstrip().startswith(b"<?xml"):
            raise PhotoRejected("SVG files are not accepted. Please upload a JPEG, PNG or WebP.")
        raise PhotoRejected(
            "This file is not a JPEG, PNG or WebP photo. Please upload a photo in one of those "
            "formats."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(upload)
            if image.format not in FORMATS or image.format != kind:
                raise PhotoRejected("This file is not a JPEG, PNG or WebP photo.")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoRejected(
                    "This image has too many pixels to be a normal photo and was refused."
                )
            image.load()
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(
            "This image has too many pixels to be a normal photo and was refused."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoRejected(
            "This file could not be read as a photo. It may be damaged or not really an image."
        ) from None
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return ProcessedPhoto(
        image=_jpeg(image), thumbnail=_jpeg(thumb), width=image.width, height=image.height
    )
