"""The run file a runner uploaded and the app has read, kept until the log it fills is saved.

Reading a file saves no log (the runner still adds the pain scores), but the original must reach
the log when it is saved, even after a form error or a reload. So the upload is stored at once,
privately, with a row here; the log form carries the row's random key in a hidden field; saving
the log moves the stored file onto the log and deletes the row. A row nobody saves within
`RUN_FILE_PENDING_HOURS` is deleted with its file by a beat job (docs/return_to_run.md).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from programs.running.models import ReturnToRunPlan

if TYPE_CHECKING:
    from django.core.files import File
    from django.db.models.fields.files import FieldFile

    from programs.running.log_models import SessionLog
    from rehab_clinic.accounts.models import User

__all__ = ["PendingRunFile", "drop_unsaved_run_files", "logged_from_same_file", "run_file_path"]


def run_file_path(instance: object, filename: str) -> str:
    # Not guessable and never served from MEDIA_URL: only the access-checked download views
    # read it. The suffix is kept so the download opens in the runner's app. Named by the kept
    # file's key, so the log saved from it is found by that key (`logged_from_key`).
    suffix = PurePosixPath(filename).suffix.lower()
    key = getattr(instance, "key", None) or uuid.uuid4()
    return f"run-files/{key.hex}{suffix if suffix in ('.fit', '.gpx') else ''}"


class RunFileAlreadySaved(Exception):
    """The kept run file was saved with a log already (another tab, a double tap)."""


class PendingRunFileQuerySet(models.QuerySet["PendingRunFile"]):
    def for_form(self, *, plan: ReturnToRunPlan, by: User, key: uuid.UUID) -> PendingRunFile | None:
        """The runner's own unsaved upload for this plan, while it is still kept."""
        return self.waiting(plan=plan, by=by).filter(key=key).first()

    def waiting(self, *, plan: ReturnToRunPlan, by: User) -> PendingRunFileQuerySet:
        """The runner's uploads for this plan not yet saved with a log, oldest first."""
        return self.filter(plan=plan, uploaded_by=by, created_at__gte=_cutoff()).order_by("pk")

    def same_file(self, *, name: str, upload: File[bytes]) -> PendingRunFile | None:
        """The upload among these with the very bytes of `upload`: a double tap on "Read the
        file", a reload that posts the file again, or Back and read again is still one run."""
        content = _content(upload)
        return next((p for p in self.filter(original_name=name) if _holds(p.file, content)), None)


class PendingRunFile(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ReturnToRunPlan, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to=run_file_path, max_length=200)
    original_name = models.CharField(max_length=80)
    # The log form's values read from the file (strings), to fill the form again when the runner
    # comes back to this file (several files read at once: one log each, one at a time).
    initial = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PendingRunFileQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Unsaved run file {self.original_name}"


def _content(upload: File[bytes]) -> bytes:
    upload.seek(0)
    content: bytes = upload.read()
    upload.seek(0)
    return content


def _holds(stored: FieldFile, content: bytes) -> bool:
    """Whether the stored file has exactly these bytes (False when it is gone)."""
    try:
        if stored.size != len(content):
            return False
        with stored.open("rb") as kept:
            return bool(kept.read() == content)
    except OSError:
        return False


def logged_from_same_file(
    plan: ReturnToRunPlan, *, name: str, upload: File[bytes]
) -> SessionLog | None:
    """The run of this plan already logged from these very bytes, if any: reading the file
    again (Back after saving, a reload) must not lead the runner to count the run twice."""
    content = _content(upload)
    logs = plan.logs.filter(source_file_name=name).order_by("-date", "-pk")
    return next((log for log in logs if _holds(log.source_file, content)), None)


def logged_from_key(plan: ReturnToRunPlan, key: uuid.UUID) -> SessionLog | None:
    """The log of this plan saved from the kept run file with this key, if one was."""
    return plan.logs.filter(source_file__startswith=f"run-files/{key.hex}").first()


def _cutoff() -> datetime:
    return timezone.now() - timedelta(hours=settings.RUN_FILE_PENDING_HOURS)


def drop_unsaved_run_files() -> int:
    """Delete the uploads no log was saved from in time, files first; returns how many. A second
    run finds nothing."""
    dropped = 0
    for pending in PendingRunFile.objects.filter(created_at__lt=_cutoff()):
        pending.file.delete(save=False)
        pending.delete()
        dropped += 1
    return dropped
