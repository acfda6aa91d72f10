"""Adherence arithmetic and its chart, without a database."""

import re
from datetime import date, timedelta

from programs.home.adherence import (
    ItemPlan,
    Tally,
    by_exercise,
    by_week,
    days_inactive,
    due_weekdays,
    needs_attention,
    percent,
    prescribed_between,
    sessions_due,
)
from programs.home.charts import adherence_bars

MONDAY = date(2026, 11, 16)


def plan(key: str = "a", times: int = 1, days: int = 7, start: date = MONDAY) -> ItemPlan:
    return ItemPlan(
        key=key, name=f"Exercise {key}", times_per_day=times, days_per_week=days, start=start
    )


def test_due_days_are_spread_over_the_week() -> None:
    assert due_weekdays(7) == frozenset(range(7))
    assert due_weekdays(3) == frozenset({0, 2, 5})
    assert due_weekdays(1) == frozenset({0})
    assert due_weekdays(0) == frozenset()
    assert all(len(due_weekdays(n)) == n for n in range(8))


def test_sessions_due_counts_times_per_day_on_due_days_only() -> None:
    assert sessions_due(times_per_day=2, days_per_week=3, day=MONDAY) == 2
    assert sessions_due(times_per_day=2, days_per_week=3, day=date(2026, 11, 17)) == 0


def test_nothing_is_due_before_the_item_was_prescribed() -> None:
    item = plan(start=date(2026, 11, 20))
    assert prescribed_between(item, MONDAY, date(2026, 11, 22)) == 3


def test_percent_is_capped_and_undefined_without_a_dose() -> None:
    assert percent(3, 4) == 75
    assert percent(9, 4) == 100
    assert percent(0, 0) is None


def test_extra_sessions_do_not_make_up_a_missed_day() -> None:
    item = plan(times=1)
    done = [("a", MONDAY), ("a", MONDAY), ("a", MONDAY)]
    [tally] = by_exercise([item], done, MONDAY, date(2026, 11, 17))
    assert (tally.done, tally.prescribed, tally.percent) == (1, 2, 50)


def test_weekly_tallies_split_on_mondays() -> None:
    items = [plan("a"), plan("b", days=3)]
    done = [("a", MONDAY), ("b", MONDAY), ("a", date(2026, 11, 24)), ("stale", MONDAY)]
    weeks = by_week(items, done, MONDAY, date(2026, 11, 29))
    assert [(w.done, w.prescribed) for w in weeks] == [(2, 10), (1, 10)]
    assert weeks[0].label == "Week of 16 Nov"


def test_inactivity_counts_from_the_later_of_last_activity_and_program_start() -> None:
    today = date(2026, 11, 27)
    assert days_inactive(last_activity=None, active_since=date(2026, 11, 20), today=today) == 7
    assert days_inactive(last_activity=date(2026, 11, 26), active_since=MONDAY, today=today) == 1
    assert needs_attention(3)
    assert not needs_attention(2)


def test_chart_is_escaped_accessible_svg_without_scripts() -> None:
    items = [ItemPlan("x", "<script>alert(1)</script>", 1, 7, MONDAY)]
    svg = adherence_bars(
        by_exercise(items, [], MONDAY, MONDAY), title="Per exercise", chart_id="c1"
    )
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert "0% (0/1)" in svg


def test_the_counts_agree_with_counting_day_by_day() -> None:
    """Sessions due and done counted per week and weekday (not day by day) give the day-by-day
    answer for every dose, start and span, with extra sessions on a day still capped."""
    for days in range(8):
        for times in (1, 2):
            for start_offset in (-3, 0, 4):
                item = plan(times=times, days=days, start=MONDAY + timedelta(days=start_offset))
                for first_offset in range(0, 9):
                    first = MONDAY + timedelta(days=first_offset)
                    for span in range(-1, 23):
                        last = first + timedelta(days=span)
                        expected = sum(
                            sessions_due(times_per_day=times, days_per_week=days, day=day)
                            for n in range((last - max(first, item.start)).days + 1)
                            for day in [max(first, item.start) + timedelta(days=n)]
                        )
                        assert prescribed_between(item, first, last) == expected
    ticks = [("a", MONDAY + timedelta(days=n % 9)) for n in range(20)] + [("b", MONDAY)]
    tally = by_exercise([plan(times=2, start=MONDAY + timedelta(days=1))], ticks, MONDAY,
                        MONDAY + timedelta(days=6))  # fmt: skip
    # Days 1-6 of "a" have 3, 2, 2, 2, 2, 2 ticks: capped at 2 each, 12 in all.
    assert [(t.done, t.prescribed) for t in tally] == [(12, 12)]


def test_two_exercises_that_begin_alike_keep_their_whole_names_on_the_chart() -> None:
    # Beside the bar a name had 22 characters: both heel drops read "Eccentric heel drop, …".
    straight, bent = "Eccentric heel drop, straight knee", "Eccentric heel drop, bent knee"
    tallies = [Tally(label=straight, done=3, prescribed=4), Tally(label=bent, done=1, prescribed=4)]
    shown = re.findall(
        r'class="l">([^<]*)</text>', adherence_bars(tallies, title="t", chart_id="c")
    )
    assert shown == [straight, bent]
    long_name = "Single-leg Romanian deadlift with a kettlebell, slow lowering"
    [cut] = re.findall(
        r'class="l">([^<]*)</text>',
        adherence_bars([Tally(label=long_name, done=1, prescribed=2)], title="t", chart_id="c"),
    )
    assert cut.endswith("…")
    assert long_name.startswith(cut[:-1])
    assert len(cut) >= 40
