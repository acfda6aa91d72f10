"""Sessions read from the cache, with the database as the record (SESSION_ENGINE).

Django's `cached_db` engine on the `sessions` cache (Redis, shared by every web process, so a
session ended in one process is gone for all of them), made to survive the cache: any cache
error falls back to the database, which every save still writes. A cached copy lives at most
`SESSION_CACHE_SECONDS`, so a session ended while Redis was unreachable (its database row is
deleted, the cached copy could not be) is refused again that long after Redis is back.
Ending sessions (`accounts.sessions`) deletes both.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache import caches

logger = logging.getLogger(__name__)
KEY_PREFIX = cached_db.KEY_PREFIX


def forget_cached(session_keys: Iterable[str]) -> None:
    """Drop the cached copies of these sessions (their database rows are the caller's)."""
    keys = [KEY_PREFIX + key for key in session_keys if key]
    if not keys:
        return
    try:
        caches[settings.SESSION_CACHE_ALIAS].delete_many(keys)
    except Exception:  # the cache is down: its copies lapse after SESSION_CACHE_SECONDS
        logger.warning("Could not drop %s cached sessions; they lapse on their own", len(keys))


class SessionStore(cached_db.SessionStore):
    # Set by the parents (the stubs do not declare them).
    _cache: Any
    _session: dict[str, Any]
    _get_session_from_db: Any

    def _cache_seconds(self, expiry: datetime | None = None) -> int:
        age = self.get_expiry_age(expiry=expiry) if expiry else self.get_expiry_age()
        return max(1, min(age, settings.SESSION_CACHE_SECONDS))

    def _cache_set(self, data: dict[str, Any], expiry: datetime | None = None) -> None:
        try:
            self._cache.set(self.cache_key, data, self._cache_seconds(expiry))
        except Exception:
            logger.warning("Session cache unavailable; the database answers")

    def load(self) -> dict[str, Any]:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            data = None
        if data is not None:
            return data  # type: ignore[no-any-return]
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        self._cache_set(data, expiry=row.expire_date)
        return data

    def exists(self, session_key: str | None) -> bool:
        # Only when a new key is drawn: the database is the record of which keys are taken.
        return bool(session_key) and DBStore.exists(self, session_key or "")

    def save(self, must_create: bool = False) -> None:
        DBStore.save(self, must_create)
        self._cache_set(self._session)

    def delete(self, session_key: str | None = None) -> None:
        DBStore.delete(self, session_key)
        forget_cached([session_key or self.session_key or ""])
