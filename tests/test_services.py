"""The services this run uses are the real ones when CI requires them, and /healthz reports them."""

import os
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db

REQUIRED = os.environ.get("CI_REQUIRE_SERVICES") == "1"


def test_ci_runs_on_postgresql_and_redis_and_local_runs_say_what_they_use() -> None:
    if REQUIRED:
        assert connection.vendor == "postgresql"
        assert redis.Redis.from_url(settings.REDIS_URL).ping() is True
        assert settings.CELERY_TASK_ALWAYS_EAGER is False
    else:
        # Without a broker the embedded default runs tasks in-process.
        assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.REDIS_URL)


def test_healthz_answers_without_login_and_names_each_service(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "in-process"}
    if REQUIRED:
        assert body["broker"] == "ok"


def test_healthz_reports_an_unreachable_broker(client: Any, monkeypatch: Any) -> None:
    from rehab_clinic import views

    monkeypatch.setattr(views, "_broker_state", lambda: "unreachable")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unreachable"}
