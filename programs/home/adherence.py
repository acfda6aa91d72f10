"""Adherence arithmetic: what was due, what was done. Pure functions of plain values.

A prescription says "N days a week, M times a day". The days are spread over the week in a fixed
pattern (3 days → Monday, Wednesday, Saturday) so the patient's Today list and the therapist's
adherence count agree on what was due.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

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


@cache  # a pure function of 0..7, called for every item and day of every adherence count
def due_weekdays(days_per_week: int) -> frozenset[int]:
    """Weekday numbers (Monday = 0) on which an exercise done `days_per_week` times is due."""
    days = max(0, min(7, days_per_week))
    return frozenset(round(i * 7 / days) % 7 for i in range(days)) if days else frozenset()


def sessions_due(*, times_per_day: int, days_per_week: int, day: date) -> int:
    return times_per_day if day.weekday() in due_weekdays(days_per_week) else 0


def prescribed_between(plan: ItemPlan, first: date, last: date) -> int:
    """Sessions due from `first` to `last` inclusive, never before the item was prescribed."""
    first = max(first, plan.start)
    days = (last - first).days + 1
    if days <= 0:
        return 0
    due = due_weekdays(plan.days_per_week)
    weeks, rest = divmod(days, 7)
    # Whole weeks hold every due weekday once; the rest are the first `rest` days' weekdays.
    extra = sum(1 for n in range(rest) if (first.weekday() + n) % 7 in due)
    return plan.times_per_day * (weeks * len(due) + extra)


def percent(done: int, prescribed: int) -> int | None:
    """Done as a share of prescribed, 0 to 100; None when nothing was due."""
    if prescribed <= 0:
        return None
    return min(100, round(100 * done / prescribed))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _done_counts(
    plans: list[ItemPlan], completions: Iterable[tuple[str, date]], first: date, last: date
) -> dict[str, dict[date, int]]:
    """Completions per item key and day, within `first` to `last`."""
    counts: dict[str, dict[date, int]] = {plan.key: defaultdict(int) for plan in plans}
    for key, day in completions:
        if key in counts and first <= day <= last:
            counts[key][day] += 1
    return counts


def _capped_done(
    plan: ItemPlan, counts: dict[str, dict[date, int]], first: date, last: date
) -> int:
    """Completions that count: extra sessions beyond the day's dose do not make up a missed day."""
    first = max(first, plan.start)
    return sum(
        min(done, plan.times_per_day)
        for day, done in counts.get(plan.key, {}).items()
        if first <= day <= last
    )


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
