"""Real Celery workers on Redis: publish → task → ready → download, and a worker killed mid-render.

These need Redis (and PostgreSQL for the worker subprocess); they fail, never skip, without it.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.urls import reverse

from programs.documents.models import ProgramDocument
from rehab_clinic.celery import app as celery_app
from tests.builders import make_program

pytestmark = [
    pytest.mark.celery_worker,
    # serialized_rollback: rows that migrations insert (the library vocabulary) come back after
    # the flush, so tests that run later still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
HERE = Path(__file__).resolve().parent
State = ProgramDocument.State


def wait_for(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}")


def _state(program: Any) -> str | None:
    return (
        ProgramDocument.objects.filter(version__program=program)
        .values_list("state", flat=True)
        .first()
    )


def test_publish_then_a_real_worker_renders_and_the_patient_downloads(
    redis_broker: str, episode: Any, therapist: Any, patient_user: Any, client: Any
) -> None:
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        program = make_program(episode, therapist, items=2)  # publishes; enqueues on commit
        wait_for(lambda: _state(program) == State.READY, 60, "the document to be ready")

    document = ProgramDocument.objects.get(version__program=program)
    assert document.attempts == 1
    client.force_login(patient_user)
    response = client.get(reverse("programs:portal_document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        if not os.environ.get("CI_REQUIRE_SERVICES"):
            pytest.skip("The worker subprocess shares the test database: needs PostgreSQL.")
        pytest.fail("CI must run this test on PostgreSQL (DATABASE_URL).")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _starts(markers: Path) -> list[int]:
    return [int(p.name.split("-")[1]) for p in sorted(markers.glob("start-*"))]


def test_killing_the_worker_mid_render_still_produces_the_document_exactly_once(
    redis_broker: str, episode: Any, therapist: Any, settings: Any, tmp_path: Path
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PDF_TEST_MARKER_DIR": str(markers),
        "PDF_TEST_RENDER_DELAY": "4",
        # The shortest visibility timeout settings accept; limits below it, as in production.
        "CELERY_BROKER_VISIBILITY_TIMEOUT": "60",
        "CELERY_TASK_SOFT_TIME_LIMIT": "20",
        "CELERY_TASK_TIME_LIMIT": "30",
    }
    program = make_program(episode, therapist, items=2)
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 - our own script with the test's interpreter
        [sys.executable, str(HERE / "slow_worker.py")], env=env, stdout=log, stderr=log
    )
    try:
        first = wait_for(lambda: _starts(markers), 40, "the first render to start")[0]
        assert _state(program) == State.RENDERING
        os.kill(first, signal.SIGKILL)  # the pool child, in the middle of rendering

        wait_for(lambda: _state(program) == State.READY, 45, "the document after the kill")
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()

    document = ProgramDocument.objects.get(version__program=program)
    starts = _starts(markers)
    assert len(starts) == 2, (tmp_path / "worker.log").read_text()[-3000:]
    assert starts[1] != first  # the pool started a new child, which took the message back
    assert len(list(markers.glob("done-*"))) == 1
    assert document.attempts == 2
    assert document.state == State.READY
    files = list((Path(settings.MEDIA_ROOT) / "program-documents").iterdir())
    assert [f.name for f in files] == [Path(document.file.name).name]


def test_killing_the_whole_worker_then_starting_another_produces_the_document_once(
    redis_broker: str, episode: Any, therapist: Any, settings: Any, tmp_path: Path
) -> None:
    """The main worker process and its child die together (a crashed machine, `kill -9`); the
    unacknowledged message waits out the Redis visibility timeout (shortened to 20 s here; the
    task limits stay below it, as in production) and a newly started worker renders it, once."""
    markers = tmp_path / "markers"
    markers.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PDF_TEST_MARKER_DIR": str(markers),
        "PDF_TEST_RENDER_DELAY": "4",
        "CELERY_BROKER_VISIBILITY_TIMEOUT": "20",
        "CELERY_TASK_SOFT_TIME_LIMIT": "10",
        "CELERY_TASK_TIME_LIMIT": "15",
    }
    program = make_program(episode, therapist, items=2)
    logs = [(tmp_path / f"worker{n}.log").open("w") for n in (1, 2)]
    command = [sys.executable, str(HERE / "slow_worker.py")]
    first = subprocess.Popen(  # noqa: S603 - our own script with the test's interpreter
        command, env=env, stdout=logs[0], stderr=logs[0], start_new_session=True
    )
    second = None
    try:
        wait_for(lambda: _starts(markers), 40, "the first render to start")
        assert _state(program) == State.RENDERING
        os.killpg(first.pid, signal.SIGKILL)  # the whole worker: main process and pool child
        first.wait(timeout=10)
        assert _state(program) == State.RENDERING  # nobody finished it

        second = subprocess.Popen(  # noqa: S603
            command, env=env, stdout=logs[1], stderr=logs[1], start_new_session=True
        )
        wait_for(lambda: _state(program) == State.READY, 120, "a new worker to finish it")
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        for log in logs:
            log.close()

    document = ProgramDocument.objects.get(version__program=program)
    assert len(_starts(markers)) == 2
    assert len(list(markers.glob("done-*"))) == 1
    assert (document.state, document.attempts) == (State.READY, 2)
    files = list((Path(settings.MEDIA_ROOT) / "program-documents").iterdir())
    assert [f.name for f in files] == [Path(document.file.name).name]
