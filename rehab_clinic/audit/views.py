"""The clinic admin's audit report: filter, sort, page through, export as CSV."""

import zoneinfo

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from patients.models import Patient
from rehab_clinic.accounts.decorators import clinic_admin_required, recent_auth_required
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.requests import AuthedRequest, StaffRequest
from rehab_clinic.audit.exports import csv_lines
from rehab_clinic.audit.forms import AuditFilterForm
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read

CSV_COLUMNS = ["time_utc", "user", "action", "outcome", "patient", "object", "detail", "ip_address"]


def _filtered(request: AuthedRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    clinic = request.user.home_clinic
    form = AuditFilterForm(
        request.GET or None,
        users=User.objects.filter(clinic=clinic),
        patients=Patient.objects.visible_to(request.user),
    )
    events = AuditEvent.objects.for_clinic(clinic).select_related("patient")
    if form.is_bound and form.is_valid():
        events = form.apply(events, zoneinfo.ZoneInfo(clinic.timezone))
    elif form.is_bound:
        events = events.none()
    else:
        events = events.order_by("-occurred_at", "-id")
    return form, events


@clinic_admin_required
@require_GET
def report(request: StaffRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/report.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@clinic_admin_required
@recent_auth_required
@require_GET
def export_csv(request: StaffRequest) -> StreamingHttpResponse:
    _, events = _filtered(request)
    record_read(by=request.user, action=AuditEvent.Action.EXPORT, detail="audit report CSV")
    rows = (
        [
            event.occurred_at.isoformat(),
            event.user_email,
            event.action,
            event.outcome,
            event.patient.full_name if event.patient else "",
            event.object_repr,
            event.detail,
            event.ip_address or "",
        ]
        for event in events.iterator(chunk_size=2000)
    )
    response = StreamingHttpResponse(csv_lines(CSV_COLUMNS, rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-report.csv"'
    return response
