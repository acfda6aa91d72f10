"""Benchmark the record export: a patient with two years of history, the export task end to end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rehab_records \
        python bench/record_export.py [--notes 40] [--runs 100] [--episodes 3] [--target 30]

Creates `<name>_recbench` on the server DATABASE_URL names (dropped first), migrates it and
builds the history through the services (tests/records/history.py: 3 episodes over 730 days,
40 signed notes with pain and LEFS scores, a published program per episode with a month of
ticks, a return-to-run plan with 100 logged runs). Then a child process, so that its peak
memory is the export's alone, runs the `records.build_export` task in-process on a fresh
export row and reports wall time, CPU time and peak RSS. One JSON line is printed; the exit code
is 1 when the time is over `--target` seconds (docs/records.md states the target).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    "DJANGO_SETTINGS_MODULE": "rehab_clinic.settings",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50),
    "SITE_URL": os.environ.get("SITE_URL", "http://127.0.0.1:8000"),
    # Embedded mode with a PostgreSQL database and no broker: the export row is made here and
    # its task run in-process by the child.
    "DJANGO_EMBEDDED": "true",
    "REDIS_URL": "",
}


def _setup(database_url: str, media_root: str) -> None:
    os.environ.update({**ENV, "DATABASE_URL": database_url, "MEDIA_ROOT": media_root})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _fresh_database(url: str) -> str:
    import psycopg2

    base, _, name = url.rpartition("/")
    bench = "".join(ch for ch in f"{name or 'rehab'}_recbench" if ch.isalnum() or ch == "_")
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{bench}"')
            cursor.execute(f'CREATE DATABASE "{bench}"')
    finally:
        connection.close()
    return f"{base}/{bench}"


def build(*, episodes: int, notes: int, runs: int) -> tuple[int, int, float]:
    """The clinic, the patient and the history; (patient id, user id, seconds to build)."""
    from django.core.management import call_command

    from tests.factories import ClinicFactory, UserFactory, make_patient_user
    from tests.records.history import two_year_history

    call_command("migrate", verbosity=0)
    from rehab_clinic.accounts.models import User

    clinic = ClinicFactory(name="Benchmark Clinic", distance_unit="km")
    therapist = UserFactory(clinic=clinic, role=User.Role.THERAPIST, full_name="Bea Bench")
    runner = make_patient_user(
        clinic, first_name="Rita", last_name="Runner", primary_therapist=therapist
    )
    start = time.perf_counter()
    two_year_history(runner.patient, therapist, episodes=episodes, notes=notes, runs=runs)
    return runner.patient.pk, runner.pk, time.perf_counter() - start


def _peak_rss_mb() -> float:
    """This process's resident high-water mark (VmHWM). Not getrusage's ru_maxrss: Linux keeps
    that across exec, so a child would report its parent's peak (the history's build)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(patient_id: int, user_id: int) -> dict[str, object]:
    """In the child: one export through the task, timed, with the process's peak memory."""
    from rehab_clinic.records.models import RecordExport
    from rehab_clinic.records.tasks import build_record_export

    export = RecordExport.objects.create(
        patient_id=patient_id, kind=RecordExport.Kind.PORTAL, requested_by_id=user_id
    )
    before = _peak_rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    result = build_record_export.apply(args=[export.pk]).get()
    seconds = time.perf_counter() - start
    export.refresh_from_db()
    return {
        "state": result["state"],
        "seconds": round(seconds, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_before_mb": round(before, 1),
        "pages": export.page_count,
        "zip_kb": round((export.size_bytes or 0) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--episodes", type=int, default=3)
    parser.add_argument("--notes", type=int, default=40)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--target", type=float, default=30.0)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        database_url, media_root, patient_id, user_id = options.child
        _setup(database_url, media_root)
        print(json.dumps(measure(int(patient_id), int(user_id))))
        return
    source = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    database_url = _fresh_database(source)
    media_root = tempfile.mkdtemp(prefix="record-bench-")
    _setup(database_url, media_root)
    patient_id, user_id, built = build(
        episodes=options.episodes, notes=options.notes, runs=options.runs
    )
    child = subprocess.run(  # noqa: S603 - this script, with the values it just made
        [sys.executable, __file__, "--child", database_url, media_root, str(patient_id),
         str(user_id)],
        capture_output=True, text=True, check=True, env={**os.environ},
    )  # fmt: skip
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    figures.update(
        episodes=options.episodes, notes=options.notes, runs=options.runs,
        history_seconds=round(built, 1), target_seconds=options.target,
    )  # fmt: skip
    print(json.dumps(figures))
    sys.exit(0 if figures["state"] == "ready" and figures["seconds"] <= options.target else 1)


if __name__ == "__main__":
    main()
