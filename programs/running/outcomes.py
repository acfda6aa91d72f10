"""Return to run for the clinic's outcomes report (patients/outcome_report.py): the counted
episodes' plans, how many were completed and how long they took; one query whatever the number
of episodes.

A plan keeps no completion date, so a completed plan's time is from its first run to the last
run logged against it (docs/outcomes_report.md).
"""

from __future__ import annotations

import statistics

from django.db.models import Max

from patients.models import EpisodeQuerySet
from patients.outcome_report import (
    SUPPRESSED,
    ReportFilters,
    ReportSection,
    shown_count,
    too_small,
)
from programs.running.models import ReturnToRunPlan
from rehab_clinic.accounts.models import User


def run_section(episodes: EpisodeQuerySet, filters: ReportFilters, user: User) -> ReportSection:
    plans = list(
        ReturnToRunPlan.objects.filter(episode__in=episodes)
        .exclude(status=ReturnToRunPlan.Status.DRAFT)
        .annotate(last_run=Max("logs__date"))
        .values_list("status", "started_on", "last_run")
    )
    completed = [
        (last_run - started_on).days
        for status, started_on, last_run in plans
        if status == ReturnToRunPlan.Status.COMPLETED and last_run is not None
    ]
    finished = sum(1 for status, _, _ in plans if status == ReturnToRunPlan.Status.COMPLETED)
    if too_small(len(plans)):
        rows = [(SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED)]
    else:
        small = too_small(finished) or too_small(len(completed))
        share = f"{100 * finished / len(plans):.0f}%" if plans and not small else ""
        median = "" if small or not completed else f"{statistics.median(completed):g}"
        rows = [
            (
                str(len(plans)),
                shown_count(finished),
                SUPPRESSED if small else share,
                SUPPRESSED if small else median,
            )
        ]
    return ReportSection(
        key="return_to_run",
        title="Return to run",
        columns=("Plans started", "Plans completed", "Share completed", "Median days to complete"),
        rows=rows,
    )
