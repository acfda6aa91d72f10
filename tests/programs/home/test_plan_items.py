"""Adherence reads a published version's items from a summary kept per version (a version never
changes), so the pages that count adherence do not read every version's ~40 KB snapshot; and
counts the sessions due by whole weeks, the same sum as day by day."""

import datetime as dt
from typing import Any

import pytest

from programs.home import adherence, queries, services
from programs.home.models import ProgramVersion
from tests.builders import make_program

pytestmark = pytest.mark.django_db


def test_the_kept_summary_is_the_snapshots_and_is_read_once(
    episode: Any, therapist: Any, django_assert_num_queries: Any
) -> None:
    program = make_program(episode, therapist, items=3)
    clinic = episode.patient.clinic
    full = list(ProgramVersion.objects.filter(program=program))
    expected = queries.item_plans(full, clinic)
    assert [p.name for p in expected] == [i["name"] for i in full[0].items]

    slim = list(ProgramVersion.objects.filter(program=program).defer("snapshot"))
    with django_assert_num_queries(1):  # the snapshot, the first time only
        assert queries.item_plans(slim, clinic) == expected
    with django_assert_num_queries(0):
        assert queries.item_plans(slim, clinic) == expected


def test_a_new_version_is_counted_with_its_own_items(episode: Any, therapist: Any) -> None:
    program = make_program(episode, therapist, items=2)
    clinic = episode.patient.clinic
    slim = list(ProgramVersion.objects.filter(program=program).defer("snapshot"))
    assert len(queries.item_plans(slim, clinic)) == 2

    item = program.items.first()
    assert item is not None
    services.remove_program_item(item=item, by=therapist)
    services.publish_home_program(program=program, by=therapist)
    slim = list(ProgramVersion.objects.filter(program=program).defer("snapshot"))
    assert len(queries.item_plans(slim, clinic)) == 1


def test_sessions_due_by_whole_weeks_are_the_day_by_day_sum() -> None:
    def day_by_day(plan: adherence.ItemPlan, first: dt.date, last: dt.date) -> int:
        day, total = max(first, plan.start), 0
        while day <= last:
            total += adherence.sessions_due(
                times_per_day=plan.times_per_day, days_per_week=plan.days_per_week, day=day
            )
            day += dt.timedelta(days=1)
        return total

    base = dt.date(2026, 11, 2)
    for days_per_week in range(9):
        for times_per_day in (1, 3):
            plan = adherence.ItemPlan("k", "x", times_per_day, days_per_week, base)
            for start in range(-3, 10):
                for length in range(-1, 40, 3):
                    first = base + dt.timedelta(days=start)
                    last = first + dt.timedelta(days=length)
                    assert adherence.prescribed_between(plan, first, last) == day_by_day(
                        plan, first, last
                    ), (days_per_week, times_per_day, first, last)
