"""RFC 5545 text for a calendar of all-day events, written here (no dependency): plain values in,
the `.ics` body out.

What the RFC asks and where it is done: lines end in CRLF (3.1); a content line longer than 75
octets is folded, the continuation starting with one space (3.1, counted in octets of UTF-8,
never inside a character); TEXT values escape backslash, semicolon, comma and newline (3.3.11);
an all-day event is a DTSTART of VALUE=DATE with DTEND the next day (3.6.1, 3.8.2.2); every
VEVENT has a UID and a DTSTAMP in UTC (3.6.1, 3.8.7.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["AllDayEvent", "calendar_text", "escape_text", "fold_line"]

CRLF = "\r\n"
MAX_OCTETS = 75
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class AllDayEvent:
    uid: str
    day: dt.date
    summary: str


def escape_text(value: str) -> str:
    """A TEXT value: backslash first, so the escapes added after it are not escaped again."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold_line(line: str) -> str:
    """One content line, folded so that no physical line is over 75 octets."""
    pieces: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            # A continuation line starts with a space, which counts towards its 75 octets.
            current, size, limit = " ", 1, MAX_OCTETS
        current += char
        size += octets
    pieces.append(current)
    return CRLF.join(pieces)


def _date(day: dt.date) -> str:
    return f"{day:%Y%m%d}"


def calendar_text(
    events: Iterable[AllDayEvent],
    *,
    name: str,
    zone_name: str,
    stamp: dt.datetime,
    product: str = "-//Runner Rehab//Return to running//EN",
) -> str:
    """The whole calendar: `stamp` (aware) is the DTSTAMP of every event, written in UTC."""
    utc = stamp.astimezone(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{escape_text(zone_name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{utc:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{_date(event.day)}",
            f"DTEND;VALUE=DATE:{_date(event.day + _ONE_DAY)}",
            f"SUMMARY:{escape_text(event.summary)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)
