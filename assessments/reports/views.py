"""The outcomes report page and its CSV, for the clinic's admin only. Aggregates only: the
export is recorded like any other, though it holds no patient's record."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.reports.forms import ReportFilterForm, default_period
from patients.outcome_report import MIN_GROUP, ReportSection, report_sections
from rehab_clinic.accounts.decorators import clinic_admin_required, recent_auth_required_download
from rehab_clinic.accounts.requests import StaffRequest
from rehab_clinic.audit.exports import csv_lines
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read


def _form(request: StaffRequest) -> ReportFilterForm:
    clinic = request.user.home_clinic
    today = clinic.today()
    data = request.GET if "start" in request.GET or "end" in request.GET else default_period(today)
    return ReportFilterForm(data, clinic_id=clinic.pk, today=today)


def _sections(request: StaffRequest, form: ReportFilterForm) -> list[ReportSection]:
    return report_sections(request.user, form.filters()) if form.is_valid() else []


@clinic_admin_required
@require_GET
def outcomes_report(request: StaffRequest) -> HttpResponse:
    form = _form(request)
    sections = _sections(request, form)
    record_read(by=request.user, detail="outcomes report")
    context = {
        "form": form,
        "sections": [(s, s.chart) for s in sections],
        "min_group": MIN_GROUP,
        "query": request.GET.urlencode(),
    }
    return render(request, "assessments/outcomes_report.html", context, status=200)


@clinic_admin_required
@recent_auth_required_download
@require_GET
def outcomes_report_csv(request: StaffRequest) -> HttpResponseBase:
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("Check the report's filters.", status=400, content_type="text/plain")
    sections = _sections(request, form)
    record_read(by=request.user, action=AuditEvent.Action.EXPORT, detail="outcomes report CSV")
    rows = [
        (section.title, *columns)
        for section in sections
        for columns in [section.columns, *section.rows]
    ]
    width = max((len(row) for row in rows), default=1)
    response = StreamingHttpResponse(
        csv_lines(["Section", *[f"Column {n}" for n in range(1, width)]], rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="outcomes-report.csv"'
    return response
