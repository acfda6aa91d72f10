"""Exercise photo uploads: checked by the shared image pipeline (`rehab_clinic.accounts.images`:
magic bytes, pixel cap before decoding, full decode), then stored as a fresh JPEG with a
thumbnail, so metadata and anything smuggled after the image data are gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image

from rehab_clinic.accounts.images import FORMATS, ImageRejected, decode_upload, encode, on_white

__all__ = ["FORMATS", "MAX_BYTES", "MAX_PIXELS", "PhotoRejected", "ProcessedPhoto", "process_photo"]

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
THUMB_SIDE = 320

PhotoRejected = ImageRejected


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile[bytes]
    thumbnail: ContentFile[bytes]
    width: int
    height: int


def _jpeg(image: Image.Image) -> ContentFile[bytes]:
    return encode(image, "JPEG", quality=85, optimize=True)


def process_photo(upload: Any) -> ProcessedPhoto:
    """Check and re-encode an uploaded file; raise PhotoRejected with a plain message."""
    image = on_white(
        decode_upload(upload, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, noun="photo")
    )
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return ProcessedPhoto(
        image=_jpeg(image), thumbnail=_jpeg(thumb), width=image.width, height=image.height
    )
