"""Outcome measures on the therapist's side: recording one on a note, assigning one to the
patient's portal, and the clinic's reviewed MCIDs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessments.forms import (
    AssignOutcomeForm,
    McidForm,
    ScheduleForm,
    StrikeOutcomeForm,
    outcome_form_class,
)
from assessments.hooks import episode_url
from assessments.instruments import INSTRUMENTS
from assessments.models import Note, OutcomeResponse, mcid_table
from assessments.schedules import schedule_for
from assessments.scoring import ScoringError
from assessments.services import (
    assign_outcome,
    record_outcome,
    set_clinic_mcids,
    set_questionnaire_schedule,
    strike_outcome,
)
from patients.models import Episode
from rehab_clinic.accounts.decorators import clinic_admin_required, therapist_required
from rehab_clinic.accounts.requests import StaffRequest
from rehab_clinic.accounts.submissions import submitted_once

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User


def _notes(user: User) -> Any:
    return Note.objects.visible_to(user).select_related("episode__patient__clinic")


def _locked(request: HttpRequest, note: Note) -> HttpResponse:
    return render(request, "assessments/note_locked.html", {"note": note}, status=409)


@therapist_required
@require_http_methods(["GET", "POST"])
@submitted_once
def note_outcome(request: StaffRequest, pk: int, instrument: str) -> HttpResponse:
    note = get_object_or_404(_notes(request.user), pk=pk)
    if instrument not in INSTRUMENTS:
        return HttpResponse(status=404)
    if note.is_signed:
        return _locked(request, note)
    definition = INSTRUMENTS[instrument]
    form = outcome_form_class(definition)(
        request.POST if request.method == "POST" else None, patient=note.episode.patient
    )
    if request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if k != "taken_on"}
        try:
            record_outcome(
                episode=note.episode,
                instrument_code=instrument,
                answers=answers,
                by=request.user,
                note=note,
                taken_on=form.cleaned_data.get("taken_on"),
            )
        except ScoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{definition.name} recorded.")
            return redirect("assessments:note_detail", pk=note.pk)
    return render(
        request,
        "assessments/outcome_form.html",
        {"note": note, "patient": note.episode.patient, "form": form, "instrument": definition},
    )


@therapist_required
@require_POST
def outcome_strike(request: StaffRequest, pk: int) -> HttpResponse:
    """Strike a measure recorded in error, with a reason, while its note is unsigned."""
    response = get_object_or_404(
        OutcomeResponse.objects.visible_to(request.user).select_related("note", "episode"), pk=pk
    )
    back = (
        redirect("assessments:note_detail", pk=response.note_id)
        if response.note_id
        else redirect(episode_url(response.episode))
    )
    if response.note is not None and response.note.is_signed:
        return _locked(request, response.note)
    form = StrikeOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reason the measure was recorded in error.")
        return back
    try:
        strike_outcome(response=response, by=request.user, reason=form.cleaned_data["reason"])
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{response.get_instrument_display()} struck: {form.cleaned_data['reason']}"
        )
    return back


@therapist_required
@require_POST
@submitted_once
def outcome_assign(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_object_or_404(Episode.objects.visible_to(request.user), pk=episode_id)
    form = AssignOutcomeForm(request.POST, instruments=INSTRUMENTS, patient=episode.patient)
    if form.is_valid():
        assign_outcome(
            episode=episode,
            instrument_code=form.cleaned_data["instrument"],
            by=request.user,
            due_on=form.cleaned_data["due_on"],
        )
        messages.success(request, "Questionnaire assigned; the patient sees it in the portal.")
    else:
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Not assigned: {problems}")
    return redirect(episode_url(episode))


def _mcid_rows(clinic_id: int) -> list[dict[str, Any]]:
    current = mcid_table(clinic_id)
    return [
        {
            "key": f"{code}__{subscale.code}",
            "instrument": instrument,
            "subscale": subscale,
            "default": instrument.default_mcid[subscale.code],
            "value": current[(code, subscale.code)],
        }
        for code, instrument in INSTRUMENTS.items()
        for subscale in instrument.subscales
    ]


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def instrument_settings(request: StaffRequest) -> HttpResponse:
    """Clinic admins review the change thresholds (MCIDs) used on every chart."""
    user: User = request.user
    rows = _mcid_rows(user.home_clinic.pk)
    form = McidForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        values = {}
        for row in rows:
            value = form.cleaned_data[row["key"]]
            same_as_default = value is not None and float(value) == row["default"]
            values[(row["instrument"].code, row["subscale"].code)] = (
                None if same_as_default else value
            )
        set_clinic_mcids(clinic=user.home_clinic, by=user, values=values)
        messages.success(request, "Change thresholds saved.")
        return redirect("assessments:instrument_settings")
    return render(request, "assessments/instrument_settings.html", {"form": form})


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def questionnaire_schedule(request: StaffRequest) -> HttpResponse:
    """Clinic admins say when each questionnaire is due (the Today page's queue)."""
    user = request.user
    clinic = user.home_clinic
    current = {rule.instrument: rule for rule in schedule_for(clinic.pk)}
    rules = {
        code: {
            "name": instrument.name,
            "at_intake": code in current and current[code].at_intake,
            "every_days": current[code].every_days if code in current else None,
            "at_discharge": code in current and current[code].at_discharge,
        }
        for code, instrument in INSTRUMENTS.items()
    }
    form = ScheduleForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        set_questionnaire_schedule(clinic=clinic, by=user, rules=form.rules())
        messages.success(request, "Questionnaire schedule saved.")
        return redirect("assessments:questionnaire_schedule")
    return render(request, "assessments/questionnaire_schedule.html", {"form": form})
