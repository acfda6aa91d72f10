"""A ready record ZIP as a download, for both sides: audited, never cached; an expired link
answers with a page that says so (410), a not-ready one with 404."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from rehab_clinic.accounts.requests import AuthedRequest
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read
from rehab_clinic.records.models import RecordExport


def export_download(request: AuthedRequest, export: RecordExport) -> HttpResponse | FileResponse:
    if export.is_expired:
        return render(request, "records/expired.html", {"export": export}, status=410)
    if not export.is_ready or not export.file:
        raise Http404("This record is not ready.")
    record_read(
        by=request.user,
        action=AuditEvent.Action.DOWNLOAD,
        patient=export.patient,
        obj=export,
        detail="record ZIP",
    )
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.download_name,
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
