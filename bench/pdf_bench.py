"""Benchmark the program PDF: render time, peak memory and throughput with two workers.

    DJANGO_SECRET_KEY=... python bench/pdf_bench.py            # render time + memory + pool
    DJANGO_SECRET_KEY=... REDIS_URL=redis://127.0.0.1:6379/5 DATABASE_URL=... \
        python bench/pdf_bench.py --celery                      # + a real 2-process worker

Each size runs in its own subprocess so peak RSS belongs to that size alone. Render time is the
median of 10 renders after one warm-up render (fonts, stylesheet and illustrations cached, as in
a long-running worker). The sheets come from tests/programs/documents/sample.py: cards with
two-panel line drawings like the library's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab_clinic.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)

SIZES = (10, 20, 50)
RUNS = 10


def _setup() -> None:
    import django

    django.setup()


def measure_size(count: int) -> dict[str, float]:
    """Runs in a child process: warm up, time RUNS renders, then trace one for Python memory."""
    _setup()
    from programs.documents.pdf import release_memory, render_program
    from tests.programs.documents.sample import sample_sheet

    sheet = sample_sheet(count)
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cold_start = time.perf_counter()
    first = render_program(sheet)
    cold = time.perf_counter() - cold_start
    release_memory()
    first_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        render_program(sheet)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        release_memory()  # as the worker does after each document, outside the timing
    steady_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    render_program(sheet)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "exercises": count,
        "pages": first.page_count,
        "bytes": len(first.data),
        "cold_s": cold,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "cpu_median_s": statistics.median(cpu),
        "max_s": max(times),
        "python_peak_mb": traced_peak / 2**20,
        "baseline_rss_mb": baseline_rss,
        "first_rss_mb": first_rss,
        "max_rss_mb": steady_rss,
    }


def measure_bare(count: int) -> dict[str, float]:
    """Runs in a child process: WeasyPrint alone on the same HTML, stylesheet and PDF options,
    as a caller without our caches would use it (a new font configuration and stylesheets each
    time: the print stylesheet, the paper size and the tick grid; drawings as the same URIs).
    The baseline the 1.5x goal compares with."""
    _setup()
    from django.conf import settings
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from programs.documents import pdf
    from tests.programs.documents.sample import sample_sheet

    sheet = sample_sheet(count)
    html = render_to_string("pdf/program.html", pdf._context(sheet))
    base = Path(settings.STATICFILES_DIRS[0]).as_uri() + "/"

    css_base = pdf.STYLESHEET.as_uri()
    css_texts = pdf.stylesheet_texts(sheet.clinic.paper_size)  # the same CSS, parsed each time

    def render() -> None:
        fonts = FontConfiguration()
        HTML(string=html, base_url=base).write_pdf(
            stylesheets=[
                CSS(string=text, base_url=css_base, font_config=fonts) for text in css_texts
            ],
            font_config=fonts,
            pdf_variant=pdf.PDF_VARIANT,
            pdf_tags=True,
        )

    render()
    times, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        render()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"exercises": count, "median_s": statistics.median(times),
            "cpu_median_s": statistics.median(cpu)}  # fmt: skip


def _children_peak_rss_mb(pid: int) -> list[float]:
    """Peak resident size (VmHWM) of each pool child of the worker `pid`, in MB."""
    peaks = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return peaks
    for child in children:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


def _pool_init() -> None:
    _setup()


def _pool_render(count: int) -> float:
    from programs.documents.pdf import render_program
    from tests.programs.documents.sample import sample_sheet

    start = time.perf_counter()
    render_program(sample_sheet(count))
    return time.perf_counter() - start


def pool_throughput(count: int = 20, jobs: int = 40) -> dict[str, float]:
    """Two processes rendering from a queue, as `celery worker --concurrency=2` would."""
    with get_context("fork").Pool(2, initializer=_pool_init) as pool:
        pool.map(_pool_render, [count, count])  # warm both processes
        start = time.perf_counter()
        pool.map(_pool_render, [count] * jobs, chunksize=1)
        elapsed = time.perf_counter() - start
    return {"mode": "multiprocessing pool of 2", "jobs": jobs, "per_minute": jobs * 60 / elapsed}


def _bench_versions(count: int, jobs: int) -> list[int]:
    """`jobs` published versions of one 20-exercise program in the bench database."""
    from django.utils import timezone

    from patients.models import Episode, Patient
    from programs.home.models import HomeProgram, ProgramVersion
    from rehab_clinic.accounts.models import Clinic, User
    from tests.programs.documents.sample import exercise_cards

    clinic, _ = Clinic.objects.get_or_create(slug="pdf-bench", defaults={"name": "Bench Clinic"})
    user, _ = User.objects.get_or_create(
        email="bench@pdf.bench",
        defaults={"clinic": clinic, "role": User.Role.THERAPIST, "full_name": "Bench Therapist"},
    )
    patient, _ = Patient.objects.get_or_create(
        clinic=clinic, mrn="PDF-BENCH",
        defaults={"first_name": "Bench", "last_name": "Runner", "date_of_birth": "1990-01-01"},
    )  # fmt: skip
    episode, _ = Episode.objects.get_or_create(
        patient=patient, label="Bench episode", defaults={"onset_date": "2026-01-01"}
    )
    program = HomeProgram.objects.create(episode=episode, created_by=user, title="Bench program")
    items = [
        {"name": c.name, "category": c.category, "instructions": list(c.instructions),
         "cues": list(c.cues), "illustration_svg": c.illustration_svg, "sets": 3, "reps": 15,
         "side": "each", "times_per_day": 2, "days_per_week": 7, "note": c.patient_note}
        for c in exercise_cards(count)
    ]  # fmt: skip
    snapshot = {"title": "Bench program", "items": items, "modalities": []}
    return [
        ProgramVersion.objects.create(
            program=program, number=n, snapshot=snapshot, published_at=timezone.now(),
            published_by=user,
        ).pk
        for n in range(1, jobs + 1)
    ]  # fmt: skip


def celery_throughput(count: int = 20, jobs: int = 40) -> dict[str, float]:
    """A real `celery -A rehab_clinic worker --concurrency=2` on Redis rendering documents.

    Needs DATABASE_URL (a bench database; migrated here) and REDIS_URL in the environment.
    """
    if not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL"):
        raise SystemExit("--celery needs REDIS_URL and DATABASE_URL (a database for the bench)")
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from programs.documents.models import ProgramDocument
    from programs.documents.services import request_program_document
    from programs.home.models import ProgramVersion

    warm = _bench_versions(count, 2)
    timed = _bench_versions(count, jobs)
    pidfile = Path(tempfile.gettempdir()) / f"pdf-bench-worker-{os.getpid()}.pid"
    worker = subprocess.Popen(  # noqa: S603 - celery from this interpreter
        [sys.executable, "-m", "celery", "-A", "rehab_clinic", "worker", "--concurrency=2",
         "--pool=prefork", "--loglevel=WARNING", f"--pidfile={pidfile}", "--without-gossip",
         "--without-mingle"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def wait_ready(version_ids: list[int], timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = ProgramDocument.objects.filter(
                version_id__in=version_ids, state__in=["ready", "failed"]
            ).count()
            if done == len(version_ids):
                return
            time.sleep(0.1)
        raise TimeoutError("documents not ready")

    try:
        for pk in warm:
            request_program_document(version=ProgramVersion.objects.get(pk=pk))
        wait_ready(warm)
        start = time.perf_counter()
        for pk in timed:
            request_program_document(version=ProgramVersion.objects.get(pk=pk))
        wait_ready(timed)
        elapsed = time.perf_counter() - start
        peaks = _children_peak_rss_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    failed = ProgramDocument.objects.filter(version_id__in=timed, state="failed").count()
    return {
        "mode": f"celery worker --concurrency=2 on Redis ({failed} failed)",
        "jobs": jobs,
        "per_minute": jobs * 60 / elapsed,
        "child_peak_rss_mb": max(peaks, default=0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--celery", action="store_true", help="also measure a real worker")
    parser.add_argument("--jobs", type=int, default=40, help="documents for the throughput")
    args = parser.parse_args()
    if args.size:
        print(json.dumps(measure_size(args.size)))
        return
    if args.bare:
        print(json.dumps(measure_bare(args.bare)))
        return
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)")
    rows = []
    for count in SIZES:
        out = subprocess.run(  # noqa: S603 - this same script, one size per process
            [sys.executable, __file__, "--size", str(count)],
            capture_output=True, check=True, text=True, cwd=ROOT,
        ).stdout  # fmt: skip
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(
        "| exercises | pages | PDF size | cold render | median of 10 (min-max) | CPU median | "
        "Python peak (tracemalloc) | max RSS: before / after 1st render / after 11 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['exercises']} | {r['pages']} | {r['bytes'] / 1024:.0f} KB | {r['cold_s']:.2f} s "
            f"| {r['median_s']:.3f} s ({r['min_s']:.3f}-{r['max_s']:.3f}) "
            f"| {r['cpu_median_s']:.3f} s "
            f"| {r['python_peak_mb']:.0f} MB "
            f"| {r['baseline_rss_mb']:.0f} / {r['first_rss_mb']:.0f} / {r['max_rss_mb']:.0f} MB |"
        )
    bare = json.loads(
        subprocess.run(  # noqa: S603 - this same script
            [sys.executable, __file__, "--bare", "20"],
            capture_output=True, check=True, text=True, cwd=ROOT,
        ).stdout.strip().splitlines()[-1]
    )  # fmt: skip
    ours = next(r for r in rows if r["exercises"] == 20)
    print(
        f"\nbare WeasyPrint, same HTML (20 exercises): median {bare['median_s']:.3f} s, CPU "
        f"{bare['cpu_median_s']:.3f} s; ours {ours['cpu_median_s']:.3f} s CPU: "
        f"{ours['cpu_median_s'] / bare['cpu_median_s']:.2f}x bare"
    )
    pool = pool_throughput(jobs=args.jobs)
    print(f"{pool['mode']}: {pool['per_minute']:.0f} PDFs/minute = "
          f"{pool['per_minute'] / 60:.2f}/s (20 exercises, {pool['jobs']} jobs)")  # fmt: skip
    if args.celery:
        real = celery_throughput(jobs=args.jobs)
        print(f"{real['mode']}: {real['per_minute']:.0f} PDFs/minute = "
              f"{real['per_minute'] / 60:.2f}/s (20 exercises, {real['jobs']} jobs); "
              f"peak RSS of a worker child {real['child_peak_rss_mb']:.0f} MB")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
