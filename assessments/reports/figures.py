"""The report's arithmetic: pure functions of plain values (no database, no names).

Diagnosis groups follow the ICD-10-CM codes of docs/assessments.md and /shared/DOMAIN.md §1; a
code outside them counts as "Other".
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

# Code prefix → group, longest prefix first wins.
DIAGNOSIS_GROUPS: tuple[tuple[str, str], ...] = (
    ("M22.2", "Patellofemoral pain"),
    ("M76.3", "Iliotibial band syndrome"),
    ("M76.6", "Achilles tendinopathy"),
    ("M76.7", "Achilles tendinopathy"),
    ("M72.2", "Plantar heel pain"),
    ("M84.3", "Bone stress injury"),
    ("M76.0", "Gluteal tendinopathy / GTPS"),
    ("M70.6", "Gluteal tendinopathy / GTPS"),
    ("M76.8", "Shin and other lower-limb tendinopathy"),
    ("S86.8", "Shin and other lower-limb tendinopathy"),
)
OTHER = "Other"


def diagnosis_group(icd10_code: str) -> str:
    code = icd10_code.upper()
    return next((group for prefix, group in DIAGNOSIS_GROUPS if code.startswith(prefix)), OTHER)


def month_of(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def months_between(start: dt.date, end: dt.date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class ChangeSummary:
    episodes: int
    mean_baseline: float
    mean_final: float
    mean_change: float  # final minus baseline, as scored
    reached_mcid: int  # improved by at least the MCID

    @property
    def share_reaching_mcid(self) -> float:
        return 100 * self.reached_mcid / self.episodes


def change_summary(
    pairs: Sequence[tuple[float, float]], *, mcid: float, higher_is_better: bool
) -> ChangeSummary | None:
    """(baseline, final) per episode → the group's means and how many improved by ≥ MCID."""
    if not pairs:
        return None
    sign = 1 if higher_is_better else -1
    return ChangeSummary(
        episodes=len(pairs),
        mean_baseline=statistics.fmean(b for b, _ in pairs),
        mean_final=statistics.fmean(f for _, f in pairs),
        mean_change=statistics.fmean(f - b for b, f in pairs),
        reached_mcid=sum(1 for b, f in pairs if sign * (f - b) >= mcid),
    )


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def one_decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
