"""`seed_demo --patients N`: N synthetic patients with realistic histories, for benchmarks.

1. `people.add_people`: the patients, their portal accounts and the therapists, in bulk;
2. `histories.build_history`: the first few patients' histories through the services (the
   sample), committed like any other work;
3. `copies` and `chains`: every other patient a copy of one sample history (COPY on PostgreSQL),
   with note hashes recomputed, the stored return-to-run flags copied with the plans (the flag
   rule reads only the plan's own rows, which are copied as they are) and the audit events
   chained, in one transaction, the tables' secondary indexes built after the rows arrived
   (`indexes.py`).

`python manage.py verify_audit` passes afterwards; tests/test_seed_histories.py checks the counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from programs.home.models import Completion
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.demo.chains import write_events
from rehab_clinic.demo.copies import COPIED, plan_copies, read_sample, write_copies
from rehab_clinic.demo.histories import build_history
from rehab_clinic.demo.indexes import secondary_indexes_deferred
from rehab_clinic.demo.people import add_people
from rehab_clinic.demo.rowcopy import relax_checks

SAMPLE_SIZE = 3
# Every table the copies write.
WRITTEN = [model for model, _ in COPIED] + [Completion, AuditEvent]


@dataclass
class SeedReport:
    patients: int
    therapists: int
    sampled: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        timing = ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.items())
        total = sum(self.seconds.values())
        rows = sum(self.rows.values())
        return [
            f"Added {self.patients} synthetic patients with histories ({self.therapists} new "
            f"therapists; {self.sampled} built through the services, the rest copied).",
            f"{rows} copied rows in {total:.1f} s ({timing}).",
        ]


def seed_histories(
    count: int,
    *,
    per_therapist: int = 250,
    demo_share: int = 80,
    sample_size: int = SAMPLE_SIZE,
    seed: int = 7,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    started = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[name] = now - started
        started = now
        if progress is not None:
            progress(f"  {name}: {seconds[name]:.1f} s")

    with transaction.atomic():
        cohort = add_people(count, per_therapist=per_therapist, demo_share=demo_share, seed=seed)
    lap("people")
    sample = cohort.patients[: min(sample_size, count)]
    for index, patient in enumerate(sample):
        with transaction.atomic():
            build_history(patient, index=index, seed=seed)
    lap("sample through the services")
    report = SeedReport(len(cohort.patients), len(cohort.therapists), len(sample))
    rest = cohort.patients[len(sample) :]
    if rest:
        with transaction.atomic():
            relax_checks()
            copies = plan_copies(rest, [read_sample(patient) for patient in sample])
            with secondary_indexes_deferred(WRITTEN):
                lap("reading the sample, dropping indexes")
                report.rows = write_copies(copies)
                lap("copies")
                report.rows["audit.AuditEvent"] = write_events(
                    copies, clinic_id=cohort.patients[0].clinic_id
                )
                lap("audit events")
            lap("indexes")
    if rest and connection.vendor == "postgresql":
        # Millions of rows arrived by COPY: give the planner their statistics now, as
        # autovacuum would some minutes later (without them it plans for empty tables).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        lap("statistics (ANALYZE)")
    report.seconds = seconds
    return report
