"""Plan-of-care goals: each goal's status from its linked measure (docs/goals.md).

`goal_status` is a pure function of plain values. The measures themselves belong to feature
apps (outcome scores and hop tests to assessments, run stages to programs), which register a
reader for their kind of measure in their AppConfig.ready(); `goal_progress` asks each reader
once per page for all the episode's goals, so a page's query count does not grow with them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from patients.models import CareGoal

if TYPE_CHECKING:
    from patients.models import Episode


class GoalStatus(models.TextChoices):
    MET = "met", "Met"
    PROGRESSING = "progressing", "Progressing"
    NOT_MET = "not_met", "Not met"
    NOT_MEASURED = "not_measured", "Not measured yet"


@dataclass(frozen=True)
class Reading:
    """What a measure showed for one goal: its first value in the episode and its latest, both
    taken on or before the day asked about."""

    baseline: Decimal | None
    latest: Decimal | None
    measured_on: dt.date | None = None


def goal_status(
    *,
    baseline: Decimal | None,
    latest: Decimal | None,
    target: Decimal,
    at_least: bool,
    target_date: dt.date,
    as_of: dt.date,
) -> GoalStatus:
    """Met when the latest value reaches the target; not met once the target date has passed
    without it; progressing while it has moved from the baseline towards the target; otherwise
    (no change yet, or worse) not met. Nothing measured yet: not measured."""
    if latest is None:
        return GoalStatus.NOT_MEASURED
    reached = latest >= target if at_least else latest <= target
    if reached:
        return GoalStatus.MET
    if as_of > target_date:
        return GoalStatus.NOT_MET
    if baseline is not None and (latest > baseline if at_least else latest < baseline):
        return GoalStatus.PROGRESSING
    return GoalStatus.NOT_MET


@dataclass(frozen=True)
class MeasureOption:
    value: str  # "<measure>:<code>", the form's choice
    label: str
    at_least: bool = True  # the direction that means better


# `reader(episode, goals, as_of)` → {goal pk: Reading} for the goals of its kind of measure.
GoalReader = Callable[[Any, Sequence[CareGoal], dt.date], dict[int, Reading]]


@dataclass(frozen=True)
class _Measure:
    options: Callable[[], list[MeasureOption]]
    reader: GoalReader


_measures: dict[str, _Measure] = {}


def register_goal_measure(
    measure: str, *, options: Callable[[], list[MeasureOption]], reader: GoalReader
) -> None:
    """A kind of measure a goal may be linked to (a `CareGoal.Measure` value)."""
    _measures[measure] = _Measure(options, reader)


def measure_options() -> list[tuple[str, list[MeasureOption]]]:
    """(kind's label, its options) for every registered kind, in the model's order."""
    return [
        (str(CareGoal.Measure(kind).label), _measures[kind].options())
        for kind in CareGoal.Measure.values
        if kind in _measures
    ]


@dataclass(frozen=True)
class GoalProgress:
    """One goal as a note shows it; also the shape of the snapshot a signed note keeps."""

    goal: int
    term: str
    text: str
    target_date: str
    measure: str  # the measure in words, "" when the goal is not linked
    target: str  # e.g. "≥ 70"
    baseline: str
    value: str
    measured_on: str
    status: str  # a GoalStatus value, "" when not linked

    @property
    def term_label(self) -> str:
        return str(CareGoal.Term(self.term).label) if self.term in CareGoal.Term.values else ""

    @property
    def status_label(self) -> str:
        return str(GoalStatus(self.status).label) if self.status else ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GoalProgress:
        names = [name for name in cls.__dataclass_fields__ if name != "goal"]
        text = {name: str(data.get(name, "")) for name in names}
        return cls(goal=int(data["goal"]), **text)


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _measure_label(goal: CareGoal) -> str:
    if not goal.is_linked:
        return ""
    kind = _measures.get(goal.measure)
    options = {o.value: o.label for o in kind.options()} if kind else {}
    return options.get(f"{goal.measure}:{goal.measure_code}", goal.get_measure_display())


def goal_progress(episode: Episode, *, as_of: dt.date) -> list[GoalProgress]:
    """Every current goal of the episode with its status as of `as_of`."""
    goals = list(CareGoal.objects.current().filter(episode=episode))
    readings: dict[int, Reading] = {}
    for kind, measure in _measures.items():
        linked = [g for g in goals if g.measure == kind]
        if linked:
            readings |= measure.reader(episode, linked, as_of)
    rows = []
    for goal in goals:
        reading = readings.get(goal.pk, Reading(None, None))
        at_least = goal.direction == CareGoal.Direction.AT_LEAST
        status = ""
        if goal.is_linked and goal.target_value is not None:
            status = goal_status(
                baseline=reading.baseline,
                latest=reading.latest,
                target=goal.target_value,
                at_least=at_least,
                target_date=goal.target_date,
                as_of=as_of,
            ).value
        rows.append(
            GoalProgress(
                goal=goal.pk,
                term=goal.term,
                text=goal.text,
                target_date=goal.target_date.isoformat(),
                measure=_measure_label(goal),
                target=f"{'≥' if at_least else '≤'} {_number(goal.target_value)}"
                if goal.is_linked
                else "",
                baseline=_number(reading.baseline),
                value=_number(reading.latest),
                measured_on=reading.measured_on.isoformat() if reading.measured_on else "",
                status=status,
            )
        )
    return rows
