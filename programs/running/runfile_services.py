"""A runner's run files between reading and logging: each file read is kept, with the log form's
values from it, until the run it fills is saved (services.log_session moves the file onto the
log) or the runner says not to log it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction

from programs.running.runfile_models import PendingRunFile

if TYPE_CHECKING:
    from programs.running.models import ReturnToRunPlan
    from rehab_clinic.accounts.models import User


@transaction.atomic
def keep_run_file(
    *,
    plan: ReturnToRunPlan,
    by: User,
    upload: File[bytes],
    initial: dict[str, str] | None = None,
) -> PendingRunFile:
    """Store a run file the runner has had read, with the log form's values read from it,
    until the log it fills is saved."""
    name = str(upload.name or "run-file")[:80]
    same = PendingRunFile.objects.waiting(plan=plan, by=by).same_file(name=name, upload=upload)
    if same is not None:
        return same
    pending = PendingRunFile(plan=plan, uploaded_by=by, original_name=name, initial=initial or {})
    upload.seek(0)
    pending.file.save(name, upload, save=False)
    pending.save()
    return pending


@transaction.atomic
def discard_run_file(*, pending: PendingRunFile) -> str:
    """Forget a file that was read and not logged (a run from before the plan, a friend's run,
    the wrong file): the row and its stored copy. Nothing of it reached the record, so nothing
    is audited. Returns the file's name, for the message."""
    name = pending.original_name
    stored, storage = pending.file.name, pending.file.storage
    pending.delete()
    if stored:  # the copy goes once the row is gone for good
        transaction.on_commit(lambda: storage.delete(stored))
    return name
