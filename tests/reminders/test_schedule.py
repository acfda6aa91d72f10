"""When a reminder is due: the pure rule, without a database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rehab_clinic.reminders.schedule import in_quiet_hours, is_due, send_time

T = dt.time
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("moment", "start", "end", "quiet"),
    [
        (T(23, 0), T(22, 0), T(7, 0), True),  # wraps midnight
        (T(3, 0), T(22, 0), T(7, 0), True),
        (T(7, 0), T(22, 0), T(7, 0), False),  # the end is not quiet
        (T(21, 59), T(22, 0), T(7, 0), False),
        (T(13, 0), T(12, 0), T(14, 0), True),
        (T(14, 0), T(12, 0), T(14, 0), False),
        (T(13, 0), None, None, False),
    ],
)
def test_quiet_hours_may_wrap_midnight(
    moment: dt.time, start: dt.time | None, end: dt.time | None, quiet: bool
) -> None:
    assert in_quiet_hours(moment, start, end) is quiet


def test_a_time_inside_the_quiet_hours_moves_to_their_end_or_is_skipped_that_day() -> None:
    assert send_time(T(18, 0), T(22, 0), T(7, 0)) == T(18, 0)
    assert send_time(T(6, 30), T(22, 0), T(7, 0)) == T(7, 0)  # deferred to 07:00
    assert send_time(T(23, 0), T(22, 0), T(7, 0)) is None  # quiet until tomorrow: skipped
    assert send_time(T(13, 0), T(12, 0), T(14, 0)) == T(14, 0)


def _at(hour: int, minute: int = 0, day: int = 10) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=NEW_YORK)


def test_due_from_the_chosen_time_for_two_hours_not_before_and_not_in_quiet_hours() -> None:
    assert not is_due(now=_at(17, 55), zone=NEW_YORK, at=T(18, 0))
    assert is_due(now=_at(18, 0), zone=NEW_YORK, at=T(18, 0))
    assert is_due(now=_at(19, 55), zone=NEW_YORK, at=T(18, 0))
    assert not is_due(now=_at(20, 0), zone=NEW_YORK, at=T(18, 0))
    quiet = {"quiet_start": T(19, 0), "quiet_end": T(21, 0)}
    assert not is_due(now=_at(19, 5), zone=NEW_YORK, at=T(18, 0), **quiet)
    assert is_due(now=_at(21, 0), zone=NEW_YORK, at=T(19, 30), **quiet)
