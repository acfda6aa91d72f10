"""Fixtures for the alerts: a clock to freeze, and the broker fixtures of the PDF tests."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tests.programs.documents.conftest import broker_down, eager_celery  # noqa: F401


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    """Set "now" (an aware datetime) for every `timezone.now()` and clinic `today()`."""

    def set_now(moment: dt.datetime) -> None:
        assert moment.tzinfo is not None
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


@pytest.fixture
def plan(episode: Any, therapist: Any) -> Any:
    from tests.builders import make_plan

    return make_plan(episode, therapist)


def sent_alerts(mailoutbox: Any) -> list[Any]:
    return [m for m in mailoutbox if "attention" in m.subject]


def run_outbox(callbacks: Any) -> Callable[..., Any]:
    """Run `fn` and then the emails it queued (on commit, in-process)."""

    def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
