"""Run files made in the tests: FIT written with fit-tool, GPX written by hand."""

from __future__ import annotations

import datetime as dt

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

START = dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.UTC)


def fit_run(
    *,
    start: dt.datetime = START,
    elapsed_s: float = 1800.0,
    timer_s: float = 1500.0,
    distance_m: float | None = 5000.0,
    cadence_leg: int = 86,
    fractional: float = 0.5,
    heart_rate: int | None = 150,
    session: bool = True,
    records: int = 10,
) -> bytes:
    """A running activity: records a minute apart and, unless `session` is False, its summary."""
    ms = int(start.timestamp() * 1000)
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = ms
    file_id.serial_number = 1
    builder.add(file_id)
    for i in range(records):
        record = RecordMessage()
        record.timestamp = ms + i * 60_000
        if distance_m is not None:
            record.distance = distance_m * i / max(records - 1, 1)
        record.cadence = cadence_leg
        if heart_rate is not None:
            record.heart_rate = heart_rate
        builder.add(record)
    if session:
        summary = SessionMessage()
        summary.timestamp = ms + int(elapsed_s * 1000)
        summary.start_time = ms
        summary.sport = Sport.RUNNING
        summary.total_elapsed_time = elapsed_s
        summary.total_timer_time = timer_s
        if distance_m is not None:
            summary.total_distance = distance_m
        summary.avg_running_cadence = cadence_leg
        summary.avg_fractional_cadence = fractional
        if heart_rate is not None:
            summary.avg_heart_rate = heart_rate
        builder.add(summary)
    return bytes(builder.build().to_bytes())


def _point(lat: float, lon: float, when: dt.datetime | None, cad: int, hr: int) -> str:
    time = f"<time>{when:%Y-%m-%dT%H:%M:%SZ}</time>" if when else ""
    return (
        f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>10</ele>{time}<extensions>'
        f"<gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr><gpxtpx:cad>{cad}</gpxtpx:cad>"
        "</gpxtpx:TrackPointExtension></extensions></trkpt>"
    )


def gpx_run(
    *, points: int = 21, step_s: int = 60, cad: int = 85, hr: int = 148, timed: bool = True
) -> bytes:
    """A run due north, about 300 m a minute; cadence per leg, heart rate in the extension."""
    body = "".join(
        _point(
            51.5 + i * 0.0027,
            -0.1,
            START + dt.timedelta(seconds=i * step_s) if timed else None,
            cad,
            hr,
        )
        for i in range(points)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>Morning run</name><trkseg>{body}</trkseg></trk></gpx>"
    ).encode()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    b'<gpx version="1.1" creator="x"><trk><name>&b;</name></trk></gpx>'
)
