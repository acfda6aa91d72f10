"""A ready record ZIP as a download, for both sides: audited, never cached; an expired link
answers with a page that says so (410), as does a file lost from storage; a not-ready one
with 404."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from rehab_clinic.accounts.requests import AuthedRequest
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read
from rehab_clinic.records.models import RecordExport

logger = logging.getLogger(__name__)


def export_download(request: AuthedRequest, export: RecordExport) -> HttpResponse | FileResponse:
    if export.is_expired:
        return render(request, "records/expired.html", {"export": export}, status=410)
    if not export.is_ready or not export.file:
        raise Http404("This record is not ready.")
    try:
        handle = export.file.open("rb")
    except OSError:
        # Ready on the row, gone from storage (a restore without media, a bucket rule): say
        # so and offer a new export; nothing was handed over, so nothing is audited.
        logger.error("record export %s: its file is missing from storage", export.pk)
        return render(request, "records/missing.html", {"export": export}, status=410)
    record_read(
        by=request.user,
        action=AuditEvent.Action.DOWNLOAD,
        patient=export.patient,
        obj=export,
        detail="record ZIP",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=export.download_name,
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
