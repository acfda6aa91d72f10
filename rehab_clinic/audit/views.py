"""The clinic admin's audit report: filter, sort, page through, export as CSV."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from patients.models import Patient
from rehab_clinic.accounts.decorators import clinic_admin_required, recent_auth_required_download
from rehab_clinic.accounts.models import Clinic, User
from rehab_clinic.accounts.paging import page_of, query_without_page
from rehab_clinic.accounts.requests import AuthedRequest, StaffRequest
from rehab_clinic.audit.exports import csv_lines
from rehab_clinic.audit.forms import SEARCH_MAX, AuditFilterForm, matching_users
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_read
from rehab_clinic.audit.shown import user_ids

PAGE_SIZE = 50
SUGGESTIONS = 10  # matches offered while typing
SUGGEST_FROM = 2  # characters typed before any are offered
CSV_COLUMNS = [
    "time_utc",
    "user",
    "action",
    "outcome",
    "patient",
    "object",
    "detail",
    "ip_address",
    "changes",
]


def _filtered(request: AuthedRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    clinic = request.user.home_clinic
    form = AuditFilterForm(
        request.GET or None,
        users=User.objects.filter(clinic=clinic),
        patients=Patient.objects.visible_to(request.user),
    )
    events = AuditEvent.objects.for_clinic(clinic).select_related("patient")
    if form.is_bound and form.is_valid():
        events = form.apply(events, clinic.zone)
    elif form.is_bound:
        events = events.none()
    else:
        events = events.order_by("-occurred_at", "-id")
    return form, events


@clinic_admin_required
@require_GET
def report(request: StaffRequest) -> HttpResponse:
    """A page of events; the count stops a thousand rows past the page (`page_of`), so a
    clinic's 300,000 events are never counted on every request."""
    form, events = _filtered(request)
    page = page_of(request, events, PAGE_SIZE)
    name_the_people(page.object_list, request.user.home_clinic)
    form.mark_errors()
    return render(
        request,
        "audit/report.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def name_the_people(events: Iterable[AuditEvent], clinic: Clinic) -> None:
    """Give each event of a page the names of the users its changes point at (`started_by`:
    2 reads "Dana Whitfield (user 2)"): one query for the page, the clinic's own users only."""
    events = list(events)
    wanted = {pk for event in events for pk in user_ids(event.object_type, event.changes)}
    found = User.objects.filter(clinic=clinic, pk__in=wanted) if wanted else User.objects.none()
    names = dict(found.values_list("pk", "full_name"))
    for event in events:
        event.people = names


def _typed(request: AuthedRequest, name: str) -> str:
    return request.GET.get(name, "").strip()[:SEARCH_MAX]


@clinic_admin_required
@require_GET
def suggest_patients(request: StaffRequest) -> HttpResponse:
    """The report's patient suggestions as you type: the first few of the admin's own clinic
    (through `visible_to`), as <option>s of its <datalist>; the value is what the search
    matches exactly (the MRN)."""
    text = _typed(request, "patient_q")
    patients = (
        Patient.objects.visible_to(request.user)
        .search(text)
        .order_by("last_name", "first_name", "id")[:SUGGESTIONS]
        if len(text) >= SUGGEST_FROM
        else []
    )
    options = [(p.mrn or p.full_name, f"{p.full_name} · {p.mrn}") for p in patients]
    return render(request, "audit/_suggestions.html", {"options": options})


@clinic_admin_required
@require_GET
def suggest_users(request: StaffRequest) -> HttpResponse:
    """The report's user suggestions: the clinic's own users whose name or email matches."""
    text = _typed(request, "user_q")
    users = (
        matching_users(User.objects.filter(clinic=request.user.home_clinic), text).order_by(
            "full_name", "id"
        )[:SUGGESTIONS]
        if len(text) >= SUGGEST_FROM
        else []
    )
    options = [(u.email, f"{u.full_name} · {u.get_role_display()}") for u in users]
    return render(request, "audit/_suggestions.html", {"options": options})


@clinic_admin_required
@recent_auth_required_download
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
            # The stored path, not the label: a spreadsheet filters on it exactly.
            "; ".join(f"{row.field}: {row.old} → {row.new}" for row in event.change_rows),
        ]
        for event in events.iterator(chunk_size=2000)
    )
    response = StreamingHttpResponse(csv_lines(CSV_COLUMNS, rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-report.csv"'
    return response
