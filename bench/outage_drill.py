"""Outage drill: publish programs while Redis goes away and workers are killed; count the PDFs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rehab_documents \
        python bench/outage_drill.py --programs 100 --outage 20 --kills 2

Starts its own redis-server on a free port (nothing kept on disk, so stopping it loses every
message it held, the worst case), two `celery worker` processes (prefork, 2 children each) and
`celery beat` (the outbox sweep every 3 s), all against a fresh database it creates
(`<name>_drill`, dropped first). Then it publishes the programs one after another through
`publish_home_program`, as the publish view does; stops Redis for `--outage` seconds once a third
are published; and kills a whole worker (SIGKILL to its process group, main process and children,
mid-render) `--kills` times, starting a new one each time. It waits until every document is
ready or the deadline passes and prints one JSON line:
`{"ready": 100, "lost": 0, "rendered_twice": 0, ...}`. A render counts once per "Program
document N ready" line in the workers' logs, written after the file is committed.

The pytest version (tests/programs/documents/test_outage_drill.py, marked celery_worker) runs
`run_drill` with 10 programs and a 5 s outage on the test database.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Short limits so a dead worker's message comes back within the drill, in the production order
# soft < hard < visibility < resend-after. The soft limit leaves a render (about 3 s alone) room
# on a loaded two-core machine: at 10 s, renders on a machine at load 8 ran out of time.
DRILL_ENV = {
    "CELERY_TASK_SOFT_TIME_LIMIT": "30",
    "CELERY_TASK_TIME_LIMIT": "40",
    "CELERY_BROKER_VISIBILITY_TIMEOUT": "45",
    "OUTBOX_RESEND_AFTER": "50",
    "OUTBOX_SWEEP_INTERVAL": "3",
    "OUTBOX_SEND_GRACE": "2",
}
READY_LINE = re.compile(r"Program document (\d+) ready")


@dataclass
class DrillResult:
    programs: int
    ready: int
    lost: int
    rendered_twice: int
    renders: int
    kills: int
    outage_seconds: float
    publish_seconds: float
    all_ready_after_seconds: float | None
    publishes_during_outage: int
    slowest_publish_seconds: float
    attempts: dict[str, int] = field(default_factory=dict)
    files: int = 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Redis:
    """A private redis-server this drill starts and stops; nobody else's data is touched."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder, self.process = port, folder, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(  # noqa: S603 - the installed binary, our own arguments
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class Processes:
    """Workers and beat, each in its own process group so a kill takes its children too."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder, self.running = env, folder, {}
        self.started = 0

    def _start(self, name: str, args: list[str]) -> None:
        self.started += 1
        log = self.folder / f"{name}-{self.started}.log"
        self.running[name] = subprocess.Popen(  # noqa: S603 - our interpreter, our arguments
            [sys.executable, "-m", "celery", "-A", "rehab_clinic", *args, f"--logfile={log}",
             "--loglevel=INFO"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip

    def worker(self, name: str) -> None:
        self._start(
            name,
            ["worker", "--pool=prefork", "--concurrency=2", f"--hostname={name}-{self.started}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
        )  # fmt: skip

    def beat(self) -> None:
        schedule = self.folder / "beat-schedule"
        self._start("beat", ["beat", f"--schedule={schedule}"])

    def kill(self, name: str) -> None:
        process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.running):
            process = self.running.pop(name)
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def renders(self) -> Counter[int]:
        counts: Counter[int] = Counter()
        for log in self.folder.glob("*.log"):
            counts.update(int(m.group(1)) for m in READY_LINE.finditer(log.read_text()))
        return counts


def _point_app_at(broker_url: str) -> None:
    from rehab_clinic.celery import app

    app.conf.update(broker_url=broker_url, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None


def _drafts(count: int) -> list[Any]:
    """`count` unpublished programs, one per patient, in one clinic."""
    from tests.factories import ClinicFactory, EpisodeFactory, UserFactory, make_patient_user
    from tests.programs.factories import make_program

    clinic = ClinicFactory()
    therapist = UserFactory(clinic=clinic)
    programs = []
    for n in range(count):
        user = make_patient_user(clinic, first_name=f"Drill{n}", last_name="Runner")
        episode = EpisodeFactory(patient=user.patient)
        programs.append(make_program(episode, therapist, items=2, publish=False))
    return programs


def _back(redis: Redis, window: list[float]) -> None:
    redis.start()
    window.append(time.monotonic())


def run_drill(
    *, count: int, outage: float, kills: int, database_url: str, media_root: str, folder: Path,
    deadline: float = 300.0,
) -> DrillResult:  # fmt: skip
    """The drill on the database Django is configured with (`database_url` for the workers)."""
    from programs.documents.models import ProgramDocument
    from programs.home.services import publish_home_program

    redis = Redis(free_port(), folder)
    redis.start()
    env = {
        **os.environ, **DRILL_ENV, "DATABASE_URL": database_url, "REDIS_URL": redis.url,
        "MEDIA_ROOT": media_root,
    }  # fmt: skip
    processes = Processes(env, folder)
    programs = _drafts(count)
    _point_app_at(redis.url)
    therapist = programs[0].created_by
    outage_at = count // 3
    # Before the outage and after it, while the queue holds work, alternating the two workers.
    kill_at = {
        max(1, int(count * (0.15 + 0.55 * k / max(kills - 1, 1)))): f"w{k % 2 + 1}"
        for k in range(kills)
    }
    outage_window: list[float] = []
    restart: threading.Timer | None = None
    durations: list[float] = []
    during = 0
    try:
        for name in ("w1", "w2"):
            processes.worker(name)
        processes.beat()
        time.sleep(6)  # workers up and connected
        started = time.monotonic()
        for n, program in enumerate(programs):
            if n == outage_at:
                redis.stop()
                outage_window = [time.monotonic()]
                restart = threading.Timer(outage, _back, args=(redis, outage_window))
                restart.start()
            if n in kill_at:
                processes.kill(kill_at[n])  # the queue holds work: children are mid-render
                processes.worker(kill_at[n])
            before = time.monotonic()
            publish_home_program(program=program, by=therapist)
            durations.append(time.monotonic() - before)
            if len(outage_window) == 1:
                during += 1
            time.sleep(0.1)
        publish_seconds = time.monotonic() - started
        if restart is not None:
            restart.join()
        ids = list(ProgramDocument.objects.values_list("pk", flat=True))
        finished = None
        stop_at = time.monotonic() + deadline
        while time.monotonic() < stop_at:
            if ProgramDocument.objects.filter(state=ProgramDocument.State.READY).count() == count:
                finished = time.monotonic() - started
                break
            time.sleep(1)
        time.sleep(2)  # let a straggling duplicate, if any, show up in the logs
    finally:
        processes.stop_all()
        redis.stop()
    renders = processes.renders()
    states = Counter(ProgramDocument.objects.values_list("state", flat=True))
    attempts = Counter(str(a) for a in ProgramDocument.objects.values_list("attempts", flat=True))
    files = list((Path(media_root) / "program-documents").glob("*.pdf"))
    return DrillResult(
        programs=count,
        ready=states.get(ProgramDocument.State.READY, 0),
        lost=count - states.get(ProgramDocument.State.READY, 0),
        rendered_twice=sum(1 for pk in ids if renders[pk] > 1),
        renders=sum(renders.values()),
        kills=kills,
        outage_seconds=round(outage_window[-1] - outage_window[0], 1),
        publish_seconds=round(publish_seconds, 1),
        all_ready_after_seconds=round(finished, 1) if finished is not None else None,
        publishes_during_outage=during,
        slowest_publish_seconds=round(max(durations), 2),
        attempts=dict(sorted(attempts.items())),
        files=len(files),
    )


def _fresh_database(url: str) -> str:
    """Create `<name>_drill` on the server `url` names (dropped first; `url`'s own database need
    not exist); its URL."""
    import psycopg2

    base, _, name = url.rpartition("/")
    drill = "".join(ch for ch in f"{name or 'rehab'}_drill" if ch.isalnum() or ch == "_")
    connection = psycopg2.connect(f"{base}/postgres")  # the server's maintenance database
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{drill}"')
            cursor.execute(f'CREATE DATABASE "{drill}"')
    finally:
        connection.close()
    return f"{base}/{drill}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programs", type=int, default=100)
    parser.add_argument("--outage", type=float, default=20.0)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--deadline", type=float, default=300.0)
    options = parser.parse_args()
    source = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    database_url = _fresh_database(source)
    folder = Path(tempfile.mkdtemp(prefix="outage-drill-"))
    media_root = str(folder / "media")
    os.environ.update(
        {**DRILL_ENV, "DATABASE_URL": database_url, "MEDIA_ROOT": media_root,
         "REDIS_URL": "redis://127.0.0.1:1/0"},  # replaced by the private Redis once it runs
    )  # fmt: skip
    os.environ.setdefault("DJANGO_SECRET_KEY", "drill-only-" + "x" * 50)
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")  # printed in the QR code
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab_clinic.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = run_drill(
        count=options.programs, outage=options.outage, kills=options.kills,
        database_url=database_url, media_root=media_root, folder=folder,
        deadline=options.deadline,
    )  # fmt: skip
    print(json.dumps(asdict(result)))
    print(f"logs: {folder}", file=sys.stderr)
    passed = (result.ready, result.lost, result.rendered_twice) == (result.programs, 0, 0)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
