"""The outage drill, small enough for CI: 10 programs, Redis stopped for 5 s, a worker killed
twice; every PDF ready, none lost, none rendered twice (bench/outage_drill.py runs 100 / 20 s).

Needs PostgreSQL (the workers are other processes on the test database) and redis-server.
"""

from pathlib import Path
from typing import Any

import pytest

from bench.outage_drill import run_drill
from rehab_clinic.celery import app as celery_app
from tests.programs.documents.test_worker import _database_url

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def restore_broker() -> Any:
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    yield
    celery_app.conf.update(saved)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_redis_down_and_killed_workers_lose_no_pdf_and_render_none_twice(
    settings: Any, tmp_path: Path, restore_broker: None
) -> None:
    result = run_drill(
        count=10, outage=5, kills=2, database_url=_database_url(),
        media_root=str(settings.MEDIA_ROOT), folder=tmp_path, deadline=150,
    )  # fmt: skip

    assert (result.ready, result.lost, result.rendered_twice) == (10, 0, 0), result
    assert result.outage_seconds >= 5
    assert result.files == 10
