"""The original run file kept with a run log: the therapist downloads it from the plan page, the
runner from their own runs. Fetched through ``visible_to``: anyone else gets 404."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from programs.running.log_models import SessionLog
from programs.running.models import ReturnToRunPlan
from rehab_clinic.accounts.decorators import patient_required, staff_required
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.requests import PatientRequest, StaffRequest
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read

__all__ = ["portal_run_file", "run_file"]


def _run_file_response(user: User, pk: int) -> FileResponse:
    log = get_object_or_404(
        SessionLog.objects.filter(plan__in=ReturnToRunPlan.objects.visible_to(user))
        .exclude(source_file="")
        .select_related("plan__episode__patient"),
        pk=pk,
    )
    try:
        stored = log.source_file.open("rb")  # through the media storage: disk or bucket
    except OSError:
        raise Http404("No run file") from None
    record_read(
        by=user, action=AuditEvent.Action.DOWNLOAD, patient=log.plan.episode.patient, obj=log
    )
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=log.source_file_name or "run-file",
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
@require_GET
def run_file(request: StaffRequest, pk: int) -> FileResponse:
    return _run_file_response(request.user, pk)


@patient_required
@require_GET
def portal_run_file(request: PatientRequest, pk: int) -> FileResponse:
    return _run_file_response(request.user, pk)
