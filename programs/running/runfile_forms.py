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
from rehab_clinic.accounts.units import shown_value

__all__ = ["MAX_RUN_FILES", "KeptRunFileForm", "RunFileForm", "log_initial_from_run"]

_TENTH = Decimal("0.1")


# A week of runs at most in one go: each file becomes one log for the runner to complete.
MAX_RUN_FILES = 7


class _ManyFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class _RunFilesField(forms.FileField):
    """One or several files; cleaned to a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _ManyFiles(attrs={"accept": ".fit,.gpx"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] or [single(None, initial)]
        return [single(data, initial)]


class RunFileForm(forms.Form):
    run_file = _RunFilesField(
        label="Run file from your watch or phone (.fit or .gpx)",
        help_text=(
            "We read the time, distance and cadence; you check them and add your pain. "
            f"Several runs? Choose up to {MAX_RUN_FILES} files at once."
        ),
        error_messages={"required": "Choose a .fit or .gpx file to read."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_upload_%s")
        super().__init__(*args, **kwargs)
        self.summaries: list[RunSummary] = []

    @property
    def summary(self) -> RunSummary | None:
        """The first file's summary: the one the log form is filled from now."""
        return self.summaries[0] if self.summaries else None

    def clean_run_file(self) -> Any:
        uploads = self.cleaned_data["run_file"]
        if len(uploads) > MAX_RUN_FILES:
            raise forms.ValidationError(f"Choose up to {MAX_RUN_FILES} files at once.")
        cap: int = settings.RUN_FILE_MAX_BYTES
        problems, summaries = [], []
        for upload in uploads:
            name = str(upload.name or "")[:80]
            if upload.size is None or upload.size > cap:
                problems.append(
                    f"“{name}” is too big: files up to {cap // (1024 * 1024)} MB can be read."
                )
                continue
            try:
                summaries.append(parse_run_file(upload.read(cap + 1), name, max_bytes=cap))
            except RunFileError as error:
                problems.append(f"“{name}”: {error}" if len(uploads) > 1 else str(error))
        if problems:  # all or nothing: no file is kept while another one is refused
            raise forms.ValidationError(problems)
        self.summaries = summaries
        return uploads


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
        values["distance"] = shown_value(summary.distance_m, unit)
        values["distance_m"] = round(summary.distance_m)  # not a field: kept if left unchanged
    if summary.cadence_spm is not None and 60 <= summary.cadence_spm <= 250:
        values["cadence"] = summary.cadence_spm
    note = f"From a watch file: started {start:%H:%M}"
    if summary.heart_rate_bpm:
        note += f", average heart rate {summary.heart_rate_bpm} bpm"
    values["notes"] = note + "."
    return values
