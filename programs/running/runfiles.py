"""Reading a run recorded by a watch or phone: a FIT file (Garmin, Coros, Polar, Wahoo) or a GPX
file (Strava and most apps), into the few numbers a session log needs.

Pure: no Django. The file is checked before it is parsed: its size, its type by content (not by
its name), no DOCTYPE or entity in a GPX (the XML parser would expand them), and a cap on the
records or points read, so a hostile file cannot make the parse run long. Every refusal is a
`RunFileError` whose message is written for the runner.

FIT running cadence is counted per leg (one foot's strides a minute); steps a minute are twice
that, plus the fractional part the file keeps beside it. GPX cadence (the Garmin track point
extension's `cad`) is read the same way, per leg.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import fitdecode
import gpxpy
import gpxpy.gpx

__all__ = ["MAX_POINTS", "RunFileError", "RunSummary", "parse_run_file"]

MAX_POINTS = 200_000
FIT_SIGNATURE = b".FIT"
_GPX_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?gpx[\s>/]")
_FORBIDDEN_XML = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_CADENCE_TAG = re.compile(r"(?:^|[}:])cad(?:ence)?$")
_HR_TAG = re.compile(r"(?:^|[}:])hr$")


class RunFileError(ValueError):
    """A file that cannot be read, with a message for the runner."""


@dataclass(frozen=True)
class RunSummary:
    """What a run file says about one run. Times are aware datetimes in UTC."""

    kind: str  # "fit" or "gpx"
    start: dt.datetime
    total_seconds: float
    moving_seconds: float | None
    distance_m: float | None
    cadence_spm: int | None
    heart_rate_bpm: int | None

    def local_start(self, zone: dt.tzinfo) -> dt.datetime:
        return self.start.astimezone(zone)


def parse_run_file(data: bytes, name: str = "", *, max_bytes: int = 5 * 1024 * 1024) -> RunSummary:
    """The run in `data`; `name` is only used in messages. Raises RunFileError."""
    label = f"“{name}”" if name else "This file"
    if len(data) > max_bytes:
        raise RunFileError(
            f"{label} is {len(data) / 1024 / 1024:.1f} MB; files up to "
            f"{max_bytes / 1024 / 1024:.0f} MB can be read."
        )
    if not data:
        raise RunFileError(f"{label} is empty.")
    if len(data) >= 12 and data[8:12] == FIT_SIGNATURE:
        return _parse_fit(data, label)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and _GPX_ROOT.search(data[:65536]):
        return _parse_gpx(data, label)
    raise RunFileError(f"{label} is not a FIT or GPX file. Export the run as .fit or .gpx.")


def _parse_fit(data: bytes, label: str) -> RunSummary:
    session: dict[str, object] = {}
    times: list[dt.datetime] = []
    last_distance: float | None = None
    cadences: list[float] = []
    rates: list[float] = []
    records = 0
    try:
        reader = fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        )
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            records += 1
            if records > MAX_POINTS:
                raise RunFileError(f"{label} has too many records to read (over {MAX_POINTS}).")
            if frame.name == "session" and not session:
                session = {f.name: f.value for f in frame.fields if f.value is not None}
            elif frame.name == "record":
                values = {f.name: f.value for f in frame.fields if f.value is not None}
                stamp = values.get("timestamp")
                if isinstance(stamp, dt.datetime):
                    times.append(_utc(stamp))
                distance_so_far = _number(values.get("distance"))
                if distance_so_far is not None:
                    last_distance = distance_so_far
                cadence = _number(values.get("cadence"))
                if cadence is not None:
                    cadences.append(cadence + (_number(values.get("fractional_cadence")) or 0))
                rate = _number(values.get("heart_rate"))
                if rate is not None:
                    rates.append(rate)
    except RunFileError:
        raise
    except fitdecode.FitEOFError:
        raise RunFileError(f"{label} is cut short (truncated): export it again.") from None
    except (fitdecode.FitError, ValueError, KeyError, TypeError, IndexError):
        raise RunFileError(f"{label} is corrupt and cannot be read: export it again.") from None

    start = session.get("start_time")
    start = _utc(start) if isinstance(start, dt.datetime) else (times[0] if times else None)
    if start is None:
        raise RunFileError(f"{label} has no times in it, so the run cannot be read.")
    total = _number(session.get("total_elapsed_time"))
    if total is None:
        total = (times[-1] - times[0]).total_seconds() if len(times) > 1 else 0.0
    moving = _number(session.get("total_timer_time"))
    distance = _number(session.get("total_distance"))
    if distance is None:
        distance = last_distance
    cadence_leg = _number(session.get("avg_running_cadence")) or _number(session.get("avg_cadence"))
    if cadence_leg is not None:
        cadence_leg += _number(session.get("avg_fractional_cadence")) or 0.0
    elif cadences:
        cadence_leg = sum(cadences) / len(cadences)
    heart = _number(session.get("avg_heart_rate"))
    if heart is None and rates:
        heart = sum(rates) / len(rates)
    return RunSummary(
        kind="fit",
        start=start,
        total_seconds=total,
        moving_seconds=moving,
        distance_m=distance if distance else None,
        cadence_spm=round(cadence_leg * 2) if cadence_leg else None,
        heart_rate_bpm=round(heart) if heart else None,
    )


def _parse_gpx(data: bytes, label: str) -> RunSummary:
    # The XML parser underneath would expand entities (the "billion laughs"): refuse them first.
    if _FORBIDDEN_XML.search(data):
        raise RunFileError(f"{label} contains XML declarations that are not allowed in a GPX file.")
    if data.count(b"<trkpt") + data.count(b"<rtept") + data.count(b"<wpt") > MAX_POINTS:
        raise RunFileError(f"{label} has too many points to read (over {MAX_POINTS}).")
    try:
        parsed = gpxpy.parse(data.decode("utf-8"))
    except (gpxpy.gpx.GPXException, UnicodeDecodeError, ValueError) as exc:
        if "no element found" in str(exc) or "unclosed" in str(exc):
            raise RunFileError(f"{label} is cut short (truncated): export it again.") from None
        raise RunFileError(f"{label} is corrupt and cannot be read: export it again.") from None
    points: list[gpxpy.gpx.GPXTrackPoint | gpxpy.gpx.GPXRoutePoint] = [
        p for track in parsed.tracks for seg in track.segments for p in seg.points
    ]
    if not points:
        points = [p for route in parsed.routes for p in route.points]
    timed = [p for p in points if p.time is not None]
    if not timed:
        raise RunFileError(f"{label} has no times in it, so the run cannot be read.")
    start = _utc(timed[0].time)  # type: ignore[arg-type]
    total = (_utc(timed[-1].time) - start).total_seconds()  # type: ignore[arg-type]
    moving: float | None = None
    distance: float | None = None
    if len(points) > 1:
        distance = float(parsed.length_2d()) or None
        moving_data = parsed.get_moving_data()
        moving = float(moving_data.moving_time) if moving_data else None
    cadences, rates = [], []
    for point in timed:
        for extension in point.extensions:
            for element in extension.iter():
                text = (element.text or "").strip()
                if not text.replace(".", "", 1).isdigit():
                    continue
                if _CADENCE_TAG.search(element.tag):
                    cadences.append(float(text))
                elif _HR_TAG.search(element.tag):
                    rates.append(float(text))
    return RunSummary(
        kind="gpx",
        start=start,
        total_seconds=total,
        moving_seconds=moving,
        distance_m=distance,
        cadence_spm=round(2 * sum(cadences) / len(cadences)) if cadences else None,
        heart_rate_bpm=round(sum(rates) / len(rates)) if rates else None,
    )


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
