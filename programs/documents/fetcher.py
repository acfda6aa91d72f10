"""The only way WeasyPrint may reach a resource while it renders a program PDF.

WeasyPrint's own fetcher reads any `file://` path, makes network requests and follows redirects
(shared/SECURITY.md). This one serves `data:` URIs, regular files that resolve inside the
project's static folders, and from MEDIA_ROOT only the files named for this render (the clinic's
logo: `media_files`), so a render can never read another patient's PDF or upload. Everything
else is refused before any I/O happens. It records every attempt, allowed or not, so tests can
prove what a render tried to reach.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["FetchAttempt", "FetchRefused", "RestrictedFetcher", "allowed_roots", "media_allowed"]

# A logo or stylesheet is small; anything bigger than this is not ours.
MAX_FILE_BYTES = 5 * 1024 * 1024


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


def media_allowed(files: Iterable[str | Path]) -> frozenset[Path]:
    """The uploaded files one render may read, resolved, and only those inside MEDIA_ROOT."""
    media = Path(settings.MEDIA_ROOT).resolve()
    allowed = set()
    for name in files:
        try:
            path = Path(name).resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if path.is_relative_to(media):
            allowed.add(path)
    return frozenset(allowed)


class RestrictedFetcher(URLFetcher):
    """`data:`, our static files, and the media files this render names: nothing else."""

    def __init__(
        self, roots: tuple[Path, ...] | None = None, *, media_files: Iterable[str | Path] = ()
    ) -> None:
        # No handlers but the data: one are ever used: fetch() below never reaches urllib for
        # anything else, and redirects are off in case a future handler appears.
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.roots = roots if roots is not None else allowed_roots()
        self.media_files = media_allowed(media_files)
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
        if path not in self.media_files and not any(path.is_relative_to(r) for r in self.roots):
            self._refuse(url, "neither a static file nor an asset of this document")
        if not path.is_file():
            self._refuse(url, "not a regular file")
        if path.stat().st_size > MAX_FILE_BYTES:
            self._refuse(url, "file too large")
        return path

    def _refuse(self, url: str, reason: str) -> NoReturn:
        self.attempts.append(FetchAttempt(url, False, reason))
        raise FetchRefused(f"Refused {url!r}: {reason}")

    @property
    def refused(self) -> list[FetchAttempt]:
        return [attempt for attempt in self.attempts if not attempt.allowed]
