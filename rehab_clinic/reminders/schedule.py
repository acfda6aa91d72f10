"""When a reminder is due: pure functions of wall-clock times in the clinic's zone.

The rule (docs/reminders.md): a reminder chosen for a time inside the quiet hours is deferred to
the end of the quiet hours the same day, and skipped that day when the quiet hours last past
midnight. It is sent at the first beat run at or after that time and at most `LATE_LIMIT` later
(a beat that was down for hours does not send the morning's reminder at night; saving a time that
has passed today does not send one at once). Instants are compared in UTC, so a DST change moves
the reminder with the clinic's clock: 18:00 stays 18:00, a time the spring change skips (01:30 in
London on the last Sunday of March) is sent an hour later on the clock (02:30), and a time the
autumn change repeats is sent once, the first time.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ["LATE_LIMIT", "due_at", "in_quiet_hours", "is_due", "send_time"]

LATE_LIMIT = dt.timedelta(hours=2)


def in_quiet_hours(moment: dt.time, start: dt.time | None, end: dt.time | None) -> bool:
    """Whether a wall-clock time is within the quiet hours [start, end); they may wrap midnight."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def send_time(at: dt.time, start: dt.time | None, end: dt.time | None) -> dt.time | None:
    """The wall-clock time to send a reminder chosen for `at`: `at` itself, the end of the quiet
    hours when `at` falls inside them, or None when they last until the day is over."""
    if end is None or not in_quiet_hours(at, start, end):
        return at
    return end if end > at else None


def due_at(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The instant (UTC) the clinic's clock first shows `at` on `day`. A time the spring change
    skips maps to the instant the clock jumps past it (zoneinfo reads it with the old offset)."""
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


def is_due(
    *,
    now: dt.datetime,
    zone: ZoneInfo,
    at: dt.time,
    quiet_start: dt.time | None = None,
    quiet_end: dt.time | None = None,
) -> bool:
    """Whether a reminder chosen for `at` is to be sent at `now` (aware), for the clinic day
    `now` falls on."""
    local = now.astimezone(zone)
    if in_quiet_hours(local.time(), quiet_start, quiet_end):
        return False
    when = send_time(at, quiet_start, quiet_end)
    if when is None:
        return False
    start = due_at(local.date(), when, zone)
    now_utc = now.astimezone(dt.UTC)
    return start <= now_utc < start + LATE_LIMIT
