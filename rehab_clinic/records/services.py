"""Asking for a record export (reusing the one on its way): the only code that enqueues the
export task, through the outbox. Making it and deleting expired files: `export_services`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.outbox import services as outbox
from rehab_clinic.outbox.models import message_key
from rehab_clinic.records.models import RecordExport
from rehab_clinic.records.tasks import build_record_export

if TYPE_CHECKING:
    from patients.models import Patient
    from rehab_clinic.accounts.models import User

__all__ = ["EXPORT_TASK", "request_export", "waiting_for_broker"]

EXPORT_TASK: str = build_record_export.name
State = RecordExport.State


def _kind_for(user: User) -> str:
    return RecordExport.Kind.PORTAL if user.is_patient else RecordExport.Kind.CLINIC


def request_export(*, patient: Patient, by: User) -> RecordExport:
    """The export on its way for this patient and side (portal or clinic), or a new one, queued
    after commit. A second tap, or a second tab, gets the first export: one pending export per
    patient and side is also a database constraint, so a race cannot make two."""
    kind = _kind_for(by)
    try:
        with transaction.atomic():
            return _request(patient=patient, by=by, kind=kind)
    except IntegrityError:  # another request made it between our look and our insert
        return RecordExport.objects.pending().get(patient=patient, kind=kind)


def _request(*, patient: Patient, by: User, kind: str) -> RecordExport:
    pending = RecordExport.objects.pending().filter(patient=patient, kind=kind).first()
    if pending is not None and not pending.is_stalled:
        return pending
    if pending is not None:  # its worker died past the hard time limit: start afresh
        RecordExport.objects.filter(pk=pending.pk, state__in=RecordExport.PENDING).update(
            state=State.FAILED, error="Stopped: the export took too long.", claimed_by=""
        )
    export = RecordExport.objects.create(patient=patient, kind=kind, requested_by=by)
    record_event(
        user=by,
        action=AuditEvent.Action.CREATE,
        patient=patient,
        obj=export,
        detail=f"requested a record export ({export.get_kind_display().lower()})",
    )
    outbox.enqueue(EXPORT_TASK, export.pk)
    return export


def waiting_for_broker(export: RecordExport | None) -> bool:
    """A queued export whose message has not reached the broker yet (Redis is down): the page
    says it will be prepared when the service is back, rather than "Waiting to start"."""
    if export is None or export.state != State.QUEUED:
        return False
    message = outbox.pending_for(EXPORT_TASK, [[export.pk]]).get(
        message_key(EXPORT_TASK, [export.pk])
    )
    return bool(message and message.is_waiting_for_broker)
