"""Fixtures for the program PDF tests: eager Celery, a published program, a real Redis broker."""

import os
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from rehab_clinic.celery import app as celery_app
from tests.builders import make_program

# The PDF tests' own Redis database, apart from the broker the rest of the suite may use.
TEST_REDIS_URL = os.environ.get("PDF_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Tasks run in-process, as in the embedded default, even when CI sets REDIS_URL."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def program(episode: Any, therapist: Any) -> Any:
    return make_program(episode, therapist, items=3)


def _reset_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_broker() -> Iterator[str]:
    """Point the app at a real Redis; fails (never skips) when Redis is not running."""
    try:
        client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"These tests need Redis at {TEST_REDIS_URL}: {exc}")
    client.flushdb()
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "task_always_eager", "broker_transport_options")
    }
    celery_app.conf.update(
        broker_url=TEST_REDIS_URL,
        task_always_eager=False,
        broker_transport_options={"visibility_timeout": 60},
    )
    _reset_connections()
    yield TEST_REDIS_URL
    celery_app.conf.update(saved)
    _reset_connections()
    client.flushdb()


# Nothing listens on port 1: every publish to this broker raises at once.
DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down() -> Iterator[None]:
    """A broker that refuses every publish, as Redis does while it is down."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=DEAD_BROKER, task_always_eager=False)
    _reset_connections()
    yield
    celery_app.conf.update(saved)
    _reset_connections()


def broker_back_up() -> None:
    """Redis is back: tasks reach a worker (here, in-process)."""
    celery_app.conf.update(task_always_eager=True)
    _reset_connections()
