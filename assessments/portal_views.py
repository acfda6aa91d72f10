"""Patient portal: signed visit summaries (released without delay unless withheld with a
reason) and questionnaires the therapist assigned. A patient reaches only their own rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from assessments.forms import outcome_form_class
from assessments.instruments import INSTRUMENTS
from assessments.models import Note, NoteQuerySet, OutcomeAssignment
from assessments.scoring import ScoringError
from assessments.services import complete_assignment
from assessments.summaries import note_sections
from patients.portal import portal_patient
from rehab_clinic.accounts.decorators import patient_required
from rehab_clinic.accounts.requests import PatientRequest
from rehab_clinic.accounts.submissions import submitted_once
from rehab_clinic.audit.services import record_read

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


def _summaries(user: User) -> NoteQuerySet:
    return (
        Note.objects.visible_to(user)
        .released_to_patient()
        .select_related("episode__patient__clinic", "signed_by")
        .order_by("-visit_date", "-id")
    )


@patient_required
@require_GET
def summary_list(request: PatientRequest) -> HttpResponse:
    patient = portal_patient(request)
    notes = list(_summaries(request.user))
    assignments = OutcomeAssignment.objects.filter(
        episode__patient=patient, response__isnull=True
    ).select_related("episode")
    record_read(by=request.user, patient=patient, detail="visit summaries")
    return render(
        request,
        "assessments/portal_summary_list.html",
        {"notes": notes, "assignments": assignments},
    )


@patient_required
@require_GET
def summary_detail(request: PatientRequest, pk: int) -> HttpResponse:
    portal_patient(request)  # the gate: 403 once the record is archived
    note = get_object_or_404(_summaries(request.user), pk=pk)
    record_read(by=request.user, patient=note.episode.patient, obj=note)
    return render(
        request,
        "assessments/portal_summary_detail.html",
        {"note": note, "sections": note_sections(note)},
    )


@patient_required
@require_http_methods(["GET", "POST"])
@submitted_once
def measure_fill(request: PatientRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        OutcomeAssignment.objects.filter(
            episode__patient=portal_patient(request), response__isnull=True
        ).select_related("episode__patient"),
        pk=pk,
    )
    instrument = INSTRUMENTS[assignment.instrument]
    form = outcome_form_class(instrument, require_all=True)(
        request.POST if request.method == "POST" else None, patient=assignment.episode.patient
    )
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if k != "taken_on"}
        try:
            complete_assignment(assignment=assignment, answers=answers, by=request.user)
        except (ScoringError, ValueError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Thank you. Your answers were sent to your therapist.")
            return redirect("assessments:portal_summaries")
    else:
        record_read(by=request.user, patient=assignment.episode.patient, obj=assignment)
    return render(
        request,
        "assessments/portal_measure_form.html",
        {"assignment": assignment, "instrument": instrument, "form": form},
    )
