"""Fixtures for the reminders: a clock to freeze, and eager Celery for the outbox's emails."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tests.programs.documents.conftest import eager_celery  # noqa: F401


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    """Set "now" (an aware datetime) for every `timezone.now()` and clinic `today()`."""

    def set_now(moment: dt.datetime) -> None:
        assert moment.tzinfo is not None
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


def reminder_emails(mailoutbox: Any) -> list[Any]:
    return [m for m in mailoutbox if "List-Unsubscribe" in m.extra_headers]
