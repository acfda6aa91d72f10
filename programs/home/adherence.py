"""Adherence arithmetic: what was due, what was done. Pure functions of plain values.

A prescription says "N days a week, M times a day". The days are spread over the week in a fixed
pattern (3 days → Monday, Wednesday, Saturday) so the patient's Today list and the therapist's
adherence count agree on what was due.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ATTENTION_AFTER_DAYS = 3


@dataclass(frozen=True)
class ItemPlan:
    """One prescribed exercise as adherence sees it."""

    key: str
    name: str
    times_per_day: int
    days_per_week: int
    start: date


@dataclass(frozen=True)
class Tally:
    label: str
    done: int
    prescribed: int

    @property
    def percent(self) -> int | None:
        return percent(self.done, self.prescribed)


def due_weekdays(days_per_week: int) -> frozenset[int]:
    """Weekday numbers (Monday = 0) on which an exercise done `days_per_week` times is due."""
    days = max(0, min(7, days_per_week))
    return frozenset(round(i * 7 / days) % 7 for i in range(days)) if days else frozenset()


def sessions_due(*, times_per_day: int, days_per_week: int, day: date) -> int:
    return times_per_day if day.weekday() in due_weekdays(days_per_week) else 0


def prescribed_between(plan: ItemPlan, first: date, last: date) -> int:
    """Sessions due from `first` to `last` inclusive, never before the item was prescribed."""
    first = max(first, plan.start)
    total = 0
    day = first
    while day <= last:
        total += sessions_due(
            times_per_day=plan.times_per_day, days_per_week=plan.days_per_week, day=day
        )
        day += timedelta(days=1)
    return total


def percent(done: int, prescribed: int) -> int | None:
    """Done as a share of prescribed, 0 to 100; None when nothing was due."""
    if prescribed <= 0:
        return None
    return min(100, round(100 * done / prescribed))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _done_counts(
    plans: list[ItemPlan], completions: Iterable[tuple[str, date]], first: date, last: date
) -> dict[tuple[str, date], int]:
    keys = {plan.key for plan in plans}
    counts: dict[tuple[str, date], int] = defaultdict(int)
    for key, day in completions:
        if key in keys and first <= day <= last:
            counts[(key, day)] += 1
    return counts


def _capped_done(
    plan: ItemPlan, counts: dict[tuple[str, date], int], first: date, last: date
) -> int:
    """Completions that count: extra sessions beyond the day's dose do not make up a missed day."""
    done = 0
    day = max(first, plan.start)
    while day <= last:
        done += min(counts.get((plan.key, day), 0), plan.times_per_day)
        day += timedelta(days=1)
    return done


def by_exercise(
    plans: list[ItemPlan], completions: Iterable[tuple[str, date]], first: date, last: date
) -> list[Tally]:
    counts = _done_counts(plans, completions, first, last)
    return [
        Tally(
            plan.name,
            _capped_done(plan, counts, first, last),
            prescribed_between(plan, first, last),
        )
        for plan in plans
    ]


def by_week(
    plans: list[ItemPlan], completions: Iterable[tuple[str, date]], first: date, last: date
) -> list[Tally]:
    """One tally per calendar week (Monday start) between `first` and `last`."""
    counts = _done_counts(plans, completions, first, last)
    tallies = []
    monday = week_start(first)
    while monday <= last:
        lo, hi = max(monday, first), min(monday + timedelta(days=6), last)
        done = sum(_capped_done(plan, counts, lo, hi) for plan in plans)
        prescribed = sum(prescribed_between(plan, lo, hi) for plan in plans)
        tallies.append(Tally(f"Week of {monday:%d %b}", done, prescribed))
        monday += timedelta(days=7)
    return tallies


def days_inactive(*, last_activity: date | None, active_since: date, today: date) -> int:
    """Whole days since the patient last did anything, counting from the program's start."""
    since = max(d for d in (last_activity, active_since) if d is not None)
    return max(0, (today - since).days)


def needs_attention(inactive_days: int) -> bool:
    return inactive_days >= ATTENTION_AFTER_DAYS
