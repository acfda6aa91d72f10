"""Benchmark the program PDF: render time, peak memory and throughput with two workers.

    DJANGO_SECRET_KEY=... python bench/pdf_bench.py            # render time + memory + pool
    DJANGO_SECRET_KEY=... REDIS_URL=redis://127.0.0.1:6379/5 DATABASE_URL=... \
        python bench/pdf_bench.py --celery                      # + a real 2-process worker

Each size runs in its own subprocess so peak RSS belongs to that size alone. Render time is the
median of 10 renders after one warm-up render (fonts, stylesheet and illustrations cached, as in
a long-running worker). The sheets come from tests/programs/pdf/sample.py: cards with two-panel
line drawings like the library's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
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
    from programs.pdf import render_program
    from tests.programs.pdf.sample import sample_sheet

    sheet = sample_sheet(count)
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cold_start = time.perf_counter()
    first = render_program(sheet)
    cold = time.perf_counter() - cold_start
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        render_program(sheet)
        times.append(time.perf_counter() - start)
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
        "max_s": max(times),
        "python_peak_mb": traced_peak / 2**20,
        "baseline_rss_mb": baseline_rss,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _pool_init() -> None:
    _setup()


def _pool_render(count: int) -> float:
    from programs.pdf import render_program
    from tests.programs.pdf.sample import sample_sheet

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


def celery_throughput(count: int = 20, jobs: int = 40) -> dict[str, float]:
    """A real `celery -A rehab_clinic worker --concurrency=2` on Redis rendering documents."""
    _setup()
    from programs.pdf_bench_support import celery_run

    return celery_run(count=count, jobs=jobs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--celery", action="store_true", help="also measure a real worker")
    args = parser.parse_args()
    if args.size:
        print(json.dumps(measure_size(args.size)))
        return
    rows = []
    for count in SIZES:
        out = subprocess.run(  # noqa: S603 - this same script, one size per process
            [sys.executable, __file__, "--size", str(count)],
            capture_output=True, check=True, text=True, cwd=ROOT,
        ).stdout  # fmt: skip
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(
        "| exercises | pages | PDF size | cold render | median of 10 (min-max) | "
        "Python peak (tracemalloc) | process max RSS (before first render) |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['exercises']} | {r['pages']} | {r['bytes'] / 1024:.0f} KB | {r['cold_s']:.2f} s "
            f"| {r['median_s']:.3f} s ({r['min_s']:.3f}-{r['max_s']:.3f}) "
            f"| {r['python_peak_mb']:.0f} MB "
            f"| {r['max_rss_mb']:.0f} MB ({r['baseline_rss_mb']:.0f} MB) |"
        )
    pool = pool_throughput()
    print(f"\n{pool['mode']}: {pool['per_minute']:.0f} PDFs/minute (20 exercises, "
          f"{pool['jobs']} jobs)")  # fmt: skip
    if args.celery:
        real = celery_throughput()
        print(f"{real['mode']}: {real['per_minute']:.0f} PDFs/minute (20 exercises, "
              f"{real['jobs']} jobs)")  # fmt: skip


if __name__ == "__main__":
    main()
