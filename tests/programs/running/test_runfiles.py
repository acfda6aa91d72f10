"""Reading FIT and GPX run files: each field, and each broken or hostile file refused with a
message for the runner."""

from __future__ import annotations

import datetime as dt

import pytest

from programs.running.runfiles import MAX_POINTS, RunFileError, parse_run_file
from tests.programs.running.runfile_data import BILLION_LAUGHS, START, fit_run, gpx_run


def test_a_fit_file_gives_each_field() -> None:
    run = parse_run_file(fit_run(), "run.fit")
    assert run.kind == "fit"
    assert run.start == START
    assert run.local_start(dt.timezone(dt.timedelta(hours=-5))).hour == 2
    assert run.total_seconds == 1800
    assert run.moving_seconds == 1500
    assert run.distance_m == 5000
    assert run.cadence_spm == 173  # 86.5 strides a minute per leg, both legs
    assert run.heart_rate_bpm == 150


def test_a_fit_file_without_its_summary_is_read_from_the_records() -> None:
    run = parse_run_file(fit_run(session=False, distance_m=2000, cadence_leg=80), "run.fit")
    assert run.start == START
    assert run.total_seconds == 9 * 60
    assert run.distance_m == pytest.approx(2000)
    assert run.cadence_spm == 160
    assert run.heart_rate_bpm == 150


def test_a_fit_file_with_no_distance_still_gives_the_time() -> None:
    run = parse_run_file(fit_run(distance_m=None, heart_rate=None), "run.fit")
    assert run.distance_m is None
    assert run.heart_rate_bpm is None
    assert run.total_seconds == 1800


def test_a_gpx_file_gives_each_field() -> None:
    run = parse_run_file(gpx_run(), "run.gpx")
    assert run.kind == "gpx"
    assert run.start == START
    assert run.total_seconds == 20 * 60
    assert run.moving_seconds == pytest.approx(20 * 60, abs=61)
    assert run.distance_m == pytest.approx(20 * 300, rel=0.02)
    assert run.cadence_spm == 170
    assert run.heart_rate_bpm == 148


@pytest.mark.parametrize("points", [0, 1])
def test_a_gpx_with_no_distance(points: int) -> None:
    if points == 0:
        with pytest.raises(RunFileError, match="no times"):
            parse_run_file(gpx_run(points=0), "run.gpx")
        return
    run = parse_run_file(gpx_run(points=1), "run.gpx")
    assert run.distance_m is None
    assert run.start == START


def test_a_gpx_without_times_is_refused() -> None:
    with pytest.raises(RunFileError, match="no times"):
        parse_run_file(gpx_run(timed=False), "run.gpx")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 a zip file, not a run", "not a FIT or GPX file"),
        (b"", "empty"),
        (b"<html><body>hello</body></html>", "not a FIT or GPX file"),
        (BILLION_LAUGHS, "not allowed"),
        (b'<!DOCTYPE gpx SYSTEM "file:///etc/passwd"><gpx version="1.1"></gpx>', "not allowed"),
        (gpx_run()[:400], "truncated"),
        (
            b'<gpx version="1.1"><trk><trkseg><trkpt lat="x" lon="y"></trkpt></trkseg></trk></gpx>',
            "corrupt",
        ),
    ],
)
def test_hostile_and_broken_files_are_refused_with_a_message(data: bytes, message: str) -> None:
    with pytest.raises(RunFileError, match=message):
        parse_run_file(data, "run")


def test_a_truncated_fit_file_is_refused() -> None:
    data = fit_run()
    with pytest.raises(RunFileError, match="truncated"):
        parse_run_file(data[: len(data) // 2], "run.fit")


def test_a_corrupt_fit_file_is_refused() -> None:
    data = bytearray(fit_run())
    data[40:60] = b"\xff" * 20
    with pytest.raises(RunFileError, match=r"corrupt|truncated"):
        parse_run_file(bytes(data), "run.fit")


def test_a_file_over_the_size_cap_is_refused_before_it_is_read() -> None:
    with pytest.raises(RunFileError, match="up to 1 MB"):
        parse_run_file(b"x" * (1024 * 1024 + 1), "big.gpx", max_bytes=1024 * 1024)


def test_a_gpx_with_too_many_points_is_refused_before_parsing() -> None:
    data = b'<gpx version="1.1"><trk><trkseg>' + b"<trkpt/>" * (MAX_POINTS + 1)
    with pytest.raises(RunFileError, match="too many points"):
        parse_run_file(data + b"</trkseg></trk></gpx>", "run.gpx", max_bytes=10**8)
