"""The only way WeasyPrint may reach a resource while it renders a program PDF.

WeasyPrint's own fetcher reads any `file://` path, makes network requests and follows redirects
(shared/SECURITY.md). This one serves `data:` URIs, regular files that resolve inside the
project's static folders, and `media:<name>` read through the media storage API (local disk or
a bucket, whichever STORAGES names), only under MEDIA_FOLDERS and, for a render, only the names
that render was given (`media_names`: its clinic's logo), so a render never reads another
patient's PDF or another clinic's upload. Nothing under MEDIA_ROOT is read as a `file://` path.
Everything else is refused before any I/O happens. It records every attempt, allowed or not, so
tests can prove what a render tried to reach.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["FetchAttempt", "FetchRefused", "RestrictedFetcher", "allowed_roots", "media_url"]

# A logo or stylesheet is small; anything bigger than this is not ours.
MAX_FILE_BYTES = 5 * 1024 * 1024
# Stored files a printed sheet may show: clinic logos and exercise photos, never documents.
MEDIA_SCHEME = "media"
MEDIA_FOLDERS = ("clinic-logos/", "exercise-photos/")


def media_url(name: str) -> str:
    """The URL a template uses for a stored file: `media:<quoted storage name>`."""
    return f"{MEDIA_SCHEME}:{quote(name)}"


class FetchRefused(ValueError):
    """Raised for a URL outside the allow-list; WeasyPrint logs it and leaves the resource out."""


@dataclass(frozen=True)
class FetchAttempt:
    url: str
    allowed: bool
    reason: str


def allowed_roots() -> tuple[Path, ...]:
    """Folders a render may read any file from (our own static files), resolved."""
    roots = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    return tuple(Path(root).resolve() for root in roots if root)


class RestrictedFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    """`data:`, our static files, and stored logos and photos (for a render: its own only)."""

    def __init__(
        self, roots: tuple[Path, ...] | None = None, *, media_names: Iterable[str] | None = None
    ) -> None:
        # No handlers but the data: one are ever used: fetch() below never reaches urllib for
        # anything else, and redirects are off in case a future handler appears.
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.roots = roots if roots is not None else allowed_roots()
        # None: any stored logo or photo (the folder rule alone); a render passes its own names.
        self.media_names = frozenset(media_names) if media_names is not None else None
        self.attempts: list[FetchAttempt] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            self.attempts.append(FetchAttempt(url[:80], True, "data URI"))
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._allowed_path(url)
            self.attempts.append(FetchAttempt(url, True, "project file"))
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": mime_type})
        if scheme == MEDIA_SCHEME:
            return self._stored(url)
        self._refuse(url, f"scheme {scheme or '(none)'} is not allowed")

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> NoReturn:
        # urllib's redirect machinery would call open() again; there is no second request.
        full_url = getattr(url, "full_url", url)
        self._refuse(str(full_url), "direct open is not allowed")

    def _allowed_path(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            self._refuse(url, "file URL names a host")
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError):
            self._refuse(url, "no such file")
        if not any(path.is_relative_to(root) for root in self.roots):
            self._refuse(url, "outside the static folders")
        if not path.is_file():
            self._refuse(url, "not a regular file")
        if path.stat().st_size > MAX_FILE_BYTES:
            self._refuse(url, "file too large")
        return path

    def _stored(self, url: str) -> URLFetcherResponse:
        name = unquote(url.split(":", 1)[1])
        parts = name.split("/")
        if not name.startswith(MEDIA_FOLDERS) or "" in parts or ".." in parts or "\\" in name:
            self._refuse(url, "not a stored logo or photo")
        if self.media_names is not None and name not in self.media_names:
            self._refuse(url, "not an asset of this document")
        try:
            with default_storage.open(name, "rb") as stored:
                body = stored.read(MAX_FILE_BYTES + 1)
        except OSError:  # FileNotFoundError locally; django-storages raises it for a bucket too
            self._refuse(url, "no such stored file")
        if len(body) > MAX_FILE_BYTES:
            self._refuse(url, "file too large")
        self.attempts.append(FetchAttempt(url, True, "stored file"))
        mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, headers={"Content-Type": mime_type})

    def _refuse(self, url: str, reason: str) -> NoReturn:
        self.attempts.append(FetchAttempt(url, False, reason))
        raise FetchRefused(f"Refused {url!r}: {reason}")

    @property
    def refused(self) -> list[FetchAttempt]:
        return [attempt for attempt in self.attempts if not attempt.allowed]
