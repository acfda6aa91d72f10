"""Making one record export, as its Celery task asks: claim the row, report each step on it,
write the ZIP (the PDF and the FHIR bundle) to private storage, mark it ready with the date its
link expires. Nothing here enqueues; `rehab_clinic.records.services` does.

Safe to repeat: a worker works only after a conditional UPDATE moved the row from `queued` to
`running` under its own task id, so a duplicate message finds nothing to claim, while a
redelivery of the same message after a killed worker (same task id) may take its claim back.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.fhir.bundle import patient_bundle
from rehab_clinic.records.models import RecordExport

__all__ = [
    "STEPS",
    "claim_export",
    "delete_expired_exports",
    "make_export",
    "mark_failed",
    "zip_record",
]

logger = logging.getLogger(__name__)
State = RecordExport.State

# What the browser shows while the export is made: "Step k of n: <label>".
STEPS = (
    "Reading the record",
    "Laying out notes, scores, programs and runs",
    "Making the PDF",
    "Writing the FHIR bundle",
    "Packing the ZIP",
)
PDF_NAME = "record.pdf"
BUNDLE_NAME = "fhir-bundle.json"
README_NAME = "README.txt"
README = """\
Your record from {clinic}, made {made}.

record.pdf        the record to read: signed notes, outcome scores with charts,
                  home programs as they were given, and the runs you logged.
fhir-bundle.json  the same record for other health systems: a FHIR R4 Bundle
                  (type "collection") that a clinic's or an app's software can import.
"""


def claim_export(export_id: int, *, token: str) -> bool:
    """Move the row to `running` for this task; True only for the one caller that may work."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = (
        Q(state=State.QUEUED)
        | Q(state=State.RUNNING, claimed_by=token)
        | Q(state=State.RUNNING, claimed_at__lt=stale)
    )
    claimed = RecordExport.objects.filter(claimable, pk=export_id).update(
        state=State.RUNNING, claimed_by=token, claimed_at=now, step=0, steps=len(STEPS)
    )
    return bool(claimed)


def _step(export_id: int, token: str, number: int) -> None:
    """Step `number` (1-based) begins; autocommitted, so the next poll shows it."""
    RecordExport.objects.filter(pk=export_id, claimed_by=token, state=State.RUNNING).update(
        step=number, steps=len(STEPS), step_label=STEPS[number - 1]
    )


def zip_record(*, pdf: bytes, bundle: dict[str, object], clinic: str, made: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README_NAME, README.format(clinic=clinic, made=made))
        archive.writestr(PDF_NAME, pdf)
        archive.writestr(BUNDLE_NAME, json.dumps(bundle, indent=2, ensure_ascii=False))
    return buffer.getvalue()


def make_export(export_id: int, *, token: str) -> str:
    """Make and store the ZIP if this caller wins the claim; the row's state after. Errors
    propagate to the task, which marks the export failed."""
    if not claim_export(export_id, token=token):
        state = RecordExport.objects.filter(pk=export_id).values_list("state", flat=True)
        return next(iter(state), "missing")
    export = RecordExport.objects.select_related("patient__clinic").get(pk=export_id)
    patient = export.patient
    # local import: WeasyPrint adds ~40 MB to every process that loads it; web processes import
    # this module's task but never make an export.
    from programs.documents.pdf import release_memory
    from rehab_clinic.records import printout

    _step(export_id, token, 1)
    record = printout.read_record(patient, for_patient=export.kind == RecordExport.Kind.PORTAL)
    _step(export_id, token, 2)
    html = printout.record_html(record)
    _step(export_id, token, 3)
    try:
        rendered = printout.render_record(record, html)
    finally:
        release_memory()
    _step(export_id, token, 4)
    bundle = patient_bundle(patient)
    _step(export_id, token, 5)
    data = zip_record(
        pdf=rendered.data, bundle=bundle, clinic=patient.clinic.name, made=record.made_at
    )
    if not _store(export_id, token=token, data=data, pages=rendered.page_count):
        state = RecordExport.objects.filter(pk=export_id).values_list("state", flat=True)
        return next(iter(state), "missing")
    logger.info("Record export %s ready (%s pages)", export_id, rendered.page_count)
    return State.READY


def _store(export_id: int, *, token: str, data: bytes, pages: int) -> bool:
    """Keep the ZIP and mark the export ready, if our claim still holds."""
    with transaction.atomic():
        locked = (
            RecordExport.objects.select_for_update().select_related("patient").get(pk=export_id)
        )
        if locked.state != State.RUNNING or locked.claimed_by != token:
            return False
        now = timezone.now()
        locked.file.save(f"{export_id}.zip", ContentFile(data), save=False)
        locked.state = State.READY
        locked.size_bytes = len(data)
        locked.page_count = min(pages, 32767)
        locked.checksum = hashlib.sha256(data).hexdigest()
        locked.step = locked.steps = len(STEPS)
        locked.step_label = "Ready"
        locked.error = ""
        locked.ready_at = now
        locked.expires_at = now + timedelta(days=settings.RECORD_EXPORT_DAYS)
        locked.save(
            update_fields=[
                "file", "state", "size_bytes", "page_count", "checksum", "step", "steps",
                "step_label", "error", "ready_at", "expires_at",
            ]
        )  # fmt: skip
        record_event(
            action=AuditEvent.Action.EXPORT,
            patient=locked.patient,
            obj=locked,
            detail=f"record ZIP made ({pages} pages, {len(data)} bytes)",
        )
    return True


def mark_failed(export_id: int, *, error: str) -> None:
    """The final failure, kept on the row; the page offers to prepare it again."""
    RecordExport.objects.filter(pk=export_id, state__in=RecordExport.PENDING).update(
        state=State.FAILED, error=error[:500], claimed_by="", claimed_at=None
    )


def delete_expired_exports() -> int:
    """Delete the ZIP of every export whose link expired (beat, hourly); the row stays, marked
    expired, so its page says so. Returns how many files were deleted; a second run, none."""
    now = timezone.now()
    deleted = 0
    due = RecordExport.objects.filter(expires_at__lte=now).exclude(file="")
    for export in due.select_related("patient__clinic").order_by("id"):
        name, storage = str(export.file.name), export.file.storage
        with transaction.atomic():
            moved = RecordExport.objects.filter(pk=export.pk, file=name).update(
                state=State.EXPIRED, file=""
            )
            if not moved:
                continue
            record_event(
                action=AuditEvent.Action.CHANGE,
                patient=export.patient,
                obj=export,
                detail="record export expired: file deleted",
            )
            transaction.on_commit(partial(storage.delete, name))
        deleted += 1
    if deleted:
        logger.info("Deleted %s expired record exports", deleted)
    return deleted
