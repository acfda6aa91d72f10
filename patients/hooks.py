"""The patient chart's timeline and the panels other apps add to patient pages.

Apps register providers in their AppConfig.ready(). A timeline provider takes a patient and
returns entries; it must run a fixed number of queries whatever the patient's history holds.
A panel is a template fragment with a context function, shown on the therapist's dashboard
(caseload) or on an episode page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from patients.models import Patient


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


@dataclass
class _Registry:
    timeline: list[TimelineProvider] = field(default_factory=list)
    dashboard: list[Panel] = field(default_factory=list)
    episode: list[Panel] = field(default_factory=list)
    portal: list[Panel] = field(default_factory=list)
    discharge: list[Callable[..., None]] = field(default_factory=list)


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
