"""What the clinic achieves: the episodes a clinic admin's report counts, the rule that hides
small groups, and the sections feature apps add (docs/outcomes_report.md).

The report counts episodes discharged in the chosen period, read through `visible_to`, so
another clinic's episodes are never counted. Each section is registered by the app that owns its
data (`register_report_section` in its AppConfig.ready()) and must run a fixed number of queries
whatever the number of episodes. Only aggregate numbers leave a section, never a name, and any
group of fewer than `MIN_GROUP` episodes (or plans) shows as "fewer than 5".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString

from patients.models import Episode, EpisodeQuerySet

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

MIN_GROUP = 5
SUPPRESSED = f"fewer than {MIN_GROUP}"


def too_small(count: int) -> bool:
    """A group of 1 to 4 could point at a person; an empty group says nothing."""
    return 0 < count < MIN_GROUP


def shown_count(count: int) -> str:
    return SUPPRESSED if too_small(count) else str(count)


@dataclass(frozen=True)
class ReportFilters:
    start: dt.date
    end: dt.date
    therapist_id: int | None = None


@dataclass(frozen=True)
class ReportSection:
    """One table of the report (and its chart): cells are text, already suppressed."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]] = field(default_factory=list)
    chart: SafeString = field(default_factory=SafeString)  # rehab_clinic.svg.drawn
    note: str = ""


# `provider(episodes, filters, user)` → the section; `episodes` are the ones the report counts.
ReportProvider = Callable[[EpisodeQuerySet, ReportFilters, Any], ReportSection]

_sections: list[tuple[int, ReportProvider]] = []


def register_report_section(provider: ReportProvider, order: int = 50) -> None:
    if all(existing is not provider for _, existing in _sections):
        _sections.append((order, provider))


def counted_episodes(user: User, filters: ReportFilters) -> EpisodeQuerySet:
    """The user's clinic's episodes discharged in the period (by the patient's therapist)."""
    episodes = Episode.objects.visible_to(user).filter(
        status=Episode.Status.DISCHARGED,
        discharged_on__range=(filters.start, filters.end),
    )
    if filters.therapist_id is not None:
        episodes = episodes.filter(patient__primary_therapist_id=filters.therapist_id)
    return episodes


def report_sections(user: User, filters: ReportFilters) -> list[ReportSection]:
    episodes = counted_episodes(user, filters)
    return [provider(episodes, filters, user) for _, provider in sorted(_sections, key=_first)]


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]
