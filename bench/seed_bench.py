"""Time `seed_demo --patients N` (bulk inserts) on the configured database.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/rehab_bench \
       python bench/seed_bench.py 10000
Prints seconds for N synthetic patients (each with one episode). Figures: docs/performance.md.
"""

import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab_clinic.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
django.setup()

from django.core.management import call_command  # noqa: E402

from patients.seed import seed_synthetic  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    started = time.perf_counter()
    seed_synthetic(count)
    elapsed = time.perf_counter() - started
    print(f"{count} synthetic patients with episodes in {elapsed:.1f} s ({count / elapsed:.0f}/s)")


if __name__ == "__main__":
    main()
