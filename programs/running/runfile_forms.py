"""The run file a runner uploads on the log page: checked and read, then used to fill the log
form. No log is saved from it: the runner adds the pain scores and saves the log as usual; the
file itself is kept (privately) and goes with that log when it is saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from programs.running.runfiles import RunFileError, RunSummary, parse_run_file
from rehab_clinic.accounts.units import from_metres

__all__ = ["KeptRunFileForm", "RunFileForm", "log_initial_from_run"]

_TENTH = Decimal("0.1")


class RunFileForm(forms.Form):
    run_file = forms.FileField(
        label="Run file from your watch or phone (.fit or .gpx)",
        help_text="We read the time, distance and cadence; you check them and add your pain.",
        error_messages={"required": "Choose a .fit or .gpx file to read."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_upload_%s")
        super().__init__(*args, **kwargs)
        self.summary: RunSummary | None = None

    def clean_run_file(self) -> Any:
        upload = self.cleaned_data["run_file"]
        cap: int = settings.RUN_FILE_MAX_BYTES
        name = str(upload.name or "")[:80]
        if upload.size is None or upload.size > cap:
            raise forms.ValidationError(
                f"“{name}” is too big: files up to {cap // (1024 * 1024)} MB can be read."
            )
        try:
            self.summary = parse_run_file(upload.read(cap + 1), name, max_bytes=cap)
        except RunFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class KeptRunFileForm(forms.Form):
    """The log form's hidden key of the run file read before (runfile_models.PendingRunFile)."""

    run_file_key = forms.UUIDField(required=False, widget=forms.HiddenInput)


def _minutes(seconds: float | None) -> Decimal | None:
    if seconds is None or seconds <= 0:
        return None
    return min(Decimal(str(seconds)) / 60, Decimal(600)).quantize(_TENTH)


def log_initial_from_run(
    summary: RunSummary, *, zone: dt.tzinfo, unit: str, today: dt.date
) -> dict[str, Any]:
    """The log form's values from a run file: the runner sees them and may change them."""
    start = summary.local_start(zone)
    values: dict[str, Any] = {"date": min(start.date(), today)}
    total = _minutes(summary.total_seconds)
    moving = _minutes(summary.moving_seconds)
    if total is not None:
        values["duration_minutes"] = total
    if moving is not None:
        values["run_minutes"] = min(moving, total) if total is not None else moving
    if summary.distance_m:
        values["distance"] = from_metres(summary.distance_m, unit).quantize(Decimal("0.01"))
    if summary.cadence_spm is not None and 60 <= summary.cadence_spm <= 250:
        values["cadence"] = summary.cadence_spm
    note = f"From a watch file: started {start:%H:%M}"
    if summary.heart_rate_bpm:
        note += f", average heart rate {summary.heart_rate_bpm} bpm"
    values["notes"] = note + "."
    return values
