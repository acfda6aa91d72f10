"""The patient chart's timeline and the panels other apps add to patient pages.

Apps register providers in their AppConfig.ready(). A timeline provider takes a patient and
returns entries; it must run a fixed number of queries whatever the patient's history holds.
A panel is a template fragment with a context function, shown on the therapist's dashboard
(caseload), a patient's chart or an episode page. The therapist's day (docs/therapist_day.md)
is built the same way: feature apps register the Today page's queues, the caseload's columns,
filters and sort keys, and the episode chart page's charts; each must run a fixed number of
queries whatever the number of patients. An app that prints a clinic's, patient's or episode's
details (the PDF handout) registers a printed-change step, which the saving services call with
the fields that changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Window
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from patients.models import Episode, Patient
    from rehab_clinic.accounts.models import Clinic, User


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str
    title: str
    url: str = ""
    detail: str = ""


TimelineProvider = Callable[[Any], list[TimelineEntry]]


@dataclass(frozen=True)
class Panel:
    template_name: str
    context: Callable[..., dict[str, Any]]
    order: int = 50


@dataclass(frozen=True)
class QueueItem:
    """One thing waiting for the therapist: whom it is about, what, and the page that fixes it."""

    patient: Patient
    title: str
    url: str
    detail: str = ""
    when: date | None = None


@dataclass(frozen=True)
class Queue:
    key: str
    title: str
    rule: str  # the rule in words, shown under the title
    items: list[QueueItem]  # the first `limit` (all when limit is None)
    count: int  # how many in all


# `provider(user, today, limit)` → Queue.
QueueProvider = Callable[[Any, date, int | None], Queue]


@dataclass(frozen=True)
class Chart:
    """One chart of the episode chart page: our own SVG markup (rehab_clinic.svg.drawn)."""

    title: str
    svg: SafeString
    order: int = 50
    note: str = ""


@dataclass(frozen=True)
class CaseloadChoice:
    key: str
    label: str
    apply: Callable[..., Any]  # filter: (patients, user, today); sort: (patients, descending)


@dataclass
class _Registry:
    timeline: list[TimelineProvider] = field(default_factory=list)
    dashboard: list[Panel] = field(default_factory=list)
    episode: list[Panel] = field(default_factory=list)
    chart: list[Panel] = field(default_factory=list)
    portal: list[Panel] = field(default_factory=list)
    discharge: list[Callable[..., None]] = field(default_factory=list)
    today: dict[str, tuple[int, QueueProvider]] = field(default_factory=dict)
    caseload_columns: list[Callable[..., dict[int, dict[str, Any]]]] = field(default_factory=list)
    caseload_filters: dict[str, CaseloadChoice] = field(default_factory=dict)
    caseload_sorts: dict[str, CaseloadChoice] = field(default_factory=dict)
    episode_charts: list[Callable[..., list[Chart]]] = field(default_factory=list)
    printed_change: list[Callable[..., None]] = field(default_factory=list)


registry = _Registry()


def register_timeline(provider: TimelineProvider) -> None:
    if provider not in registry.timeline:
        registry.timeline.append(provider)


def register_dashboard_panel(
    template_name: str, context: Callable[..., dict[str, Any]], order: int = 50
) -> None:
    """`context(user)` → the panel's template context (the therapist's dashboard)."""
    panel = Panel(template_name, context, order)
    if panel not in registry.dashboard:
        registry.dashboard.append(panel)


def register_episode_panel(
    template_name: str, context: Callable[..., dict[str, Any]], order: int = 50
) -> None:
    """`context(user, episode)` → the panel's template context (the episode page)."""
    panel = Panel(template_name, context, order)
    if panel not in registry.episode:
        registry.episode.append(panel)


def register_chart_panel(
    template_name: str, context: Callable[..., dict[str, Any]], order: int = 50
) -> None:
    """`context(user, patient)` → the panel's template context (the patient chart page)."""
    panel = Panel(template_name, context, order)
    if panel not in registry.chart:
        registry.chart.append(panel)


def register_portal_panel(
    template_name: str, context: Callable[..., dict[str, Any]], order: int = 50
) -> None:
    """`context(user)` → the panel's template context (the patient's portal home)."""
    panel = Panel(template_name, context, order)
    if panel not in registry.portal:
        registry.portal.append(panel)


def register_discharge(step: Callable[..., None]) -> None:
    """`step(episode=, by=)` runs inside the discharge transaction: a feature app closes what
    the episode owns for writing (its history stays readable)."""
    if step not in registry.discharge:
        registry.discharge.append(step)


def register_today_queue(key: str, provider: QueueProvider, order: int = 50) -> None:
    """A queue of the therapist's Today page: `provider(user, today, limit)` → `Queue` (whose
    key is `key`, the queue's "see all" address)."""
    registry.today[key] = (order, provider)


def register_caseload_columns(provider: Callable[..., dict[int, dict[str, Any]]]) -> None:
    """`provider(user, patients, today)` → {patient pk: {column: value}} for one page's rows."""
    if provider not in registry.caseload_columns:
        registry.caseload_columns.append(provider)


def register_caseload_filter(key: str, label: str, apply: Callable[..., Any]) -> None:
    """A caseload filter (`?key=1`): `apply(patients, user, today)` → the narrowed queryset."""
    registry.caseload_filters[key] = CaseloadChoice(key, label, apply)


def register_caseload_sort(key: str, label: str, apply: Callable[..., Any]) -> None:
    """A caseload sort (`?sort=key` or `-key`): `apply(patients, descending)` → ordered."""
    registry.caseload_sorts[key] = CaseloadChoice(key, label, apply)


def register_episode_charts(provider: Callable[..., list[Chart]]) -> None:
    """`provider(user, episode)` → the charts it adds to the episode chart page."""
    if provider not in registry.episode_charts:
        registry.episode_charts.append(provider)


def register_printed_change(step: Callable[..., None]) -> None:
    """`step(obj=, changed=, by=)` runs inside the saving transaction after a clinic, patient or
    episode was saved with the fields in `changed` (a frozenset of names whose value differs):
    an app that prints some of them (the handout) renders its documents again."""
    if step not in registry.printed_change:
        registry.printed_change.append(step)


def printed_change(*, obj: Clinic | Patient | Episode, changed: Iterable[str], by: User) -> None:
    """Tell the printing apps which fields of `obj` a service has just changed (nothing when
    none did). Called by `save_clinic`, `save_patient` and `save_episode`."""
    names = frozenset(changed)
    if not names:
        return
    for step in registry.printed_change:
        step(obj=obj, changed=names, by=by)


def today_queues(user: User, today: date, limit: int | None) -> list[Queue]:
    ordered = sorted(registry.today.values(), key=_first)
    return [provider(user, today, limit) for _, provider in ordered]


def take(queryset: Any, limit: int | None) -> tuple[list[Any], int]:
    """The first `limit` rows and how many there are in all, in one query whatever the clinic
    holds: each row carries the total (`COUNT(*) OVER ()`, taken before the limit), so a
    queue costs one round trip and one compiled query, not a second for its count. The
    querysets are the therapist's own queues (bounded by the caseload), without DISTINCT."""
    if limit is None:
        rows = list(queryset)
        return rows, len(rows)
    rows = list(queryset.annotate(queue_total=Window(Count("*")))[:limit])
    return rows, (rows[0].queue_total if rows else 0)


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def timeline_for(patient: Patient) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for provider in registry.timeline:
        entries.extend(provider(patient))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def render_panels(panels: list[Panel], *args: Any) -> list[dict[str, Any]]:
    return [
        {"template_name": panel.template_name, "context": panel.context(*args)}
        for panel in sorted(panels, key=lambda p: p.order)
    ]
