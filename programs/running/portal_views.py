"""The runner's return-to-run and gait pages on the patient portal.

Every record is fetched through ``visible_to(request.user)``: another patient's plan is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from patients.portal import portal_patient
from programs.running import gait_services, runfile_services, services
from programs.running.calendar_models import CalendarFeed
from programs.running.forms import MorningCheckInForm, SessionLogForm
from programs.running.gait_models import GaitRetrainingPrescription, GaitSession
from programs.running.log_models import SessionLog
from programs.running.models import ReturnToRunPlan
from programs.running.runfile_forms import KeptRunFileForm, RunFileForm, log_initial_from_run
from programs.running.runfile_models import (
    PendingRunFile,
    RunFileAlreadySaved,
    logged_from_key,
    logged_from_same_file,
)
from programs.running.status import PlanState, plan_context, visible_plans
from programs.running.wording import player_segments
from rehab_clinic.accounts.decorators import patient_required
from rehab_clinic.accounts.requests import PatientRequest
from rehab_clinic.accounts.submissions import submitted_once
from rehab_clinic.audit.services import record_read

_ONE_DAY = dt.timedelta(days=1)
READ_FILE = "read_file"  # the log page's upload button: read a run file, save nothing
DISCARD_FILE = "discard_file"  # beside a file read and not logged: forget it, log nothing


def _portal_plan(request: PatientRequest, pk: int) -> ReturnToRunPlan:
    return get_object_or_404(visible_plans(request.user).active(), pk=pk)


@patient_required
@require_http_methods(["GET"])
def portal_today(request: PatientRequest) -> HttpResponse:
    # Every plan the therapist has started, newest first, one per episode: a paused, closed or
    # complete plan still says so rather than vanishing.
    plans, episodes = [], set()
    for plan in visible_plans(request.user).shown_to_runner():
        if plan.episode_id not in episodes:
            episodes.add(plan.episode_id)
            plans.append(plan)
    gait = list(
        GaitRetrainingPrescription.objects.visible_to(request.user)
        .filter(is_active=True)
        .prefetch_related(Prefetch("sessions", queryset=GaitSession.objects.order_by("number")))
    )
    patient = portal_patient(request)
    record_read(by=request.user, patient=patient, detail="Return-to-run today")
    calendar = CalendarFeed.objects.visible_to(request.user).live().first()
    return render(
        request,
        "programs/running/portal_today.html",
        {"plan_contexts": [plan_context(p) for p in plans], "gait": gait, "calendar": calendar},
    )


@patient_required
@require_http_methods(["GET", "POST"])
@submitted_once
def portal_log(request: PatientRequest, pk: int) -> HttpResponse:
    # A plan paused or closed while the runner had the form open: say so rather than a 404.
    plan = get_object_or_404(visible_plans(request.user).shown_to_runner(), pk=pk)
    if not plan.is_active:
        if request.method == "POST":
            messages.warning(
                request,
                f"This plan is {plan.get_status_display().lower()} now, so the run was not "
                "saved. Ask your therapist if you are unsure what to do next.",
            )
        return redirect("programs:rtr_portal_today")
    return _log_form_page(request, plan, template="programs/running/portal_log.html")


def _log_form_page(
    request: PatientRequest, plan: ReturnToRunPlan, *, template: str
) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == DISCARD_FILE:
        return _discard_run_file(request, plan)
    clinic = plan.episode.patient.clinic
    today = clinic.today()
    context = plan_context(plan)
    initial = _log_initial(plan)
    reading_file = request.method == "POST" and request.POST.get("action") == READ_FILE
    file_form = RunFileForm(request.POST, request.FILES) if reading_file else RunFileForm()
    kept: PendingRunFile | None = None
    if reading_file and file_form.is_valid() and file_form.summary is not None:
        # Read, no log saved: the values fill the log form for the runner to check and
        # complete; each file is kept, and several files are completed one after the other.
        context["found"] = file_form.summary
        context["found_start"] = file_form.summary.local_start(clinic.zone)
        kept = _keep_run_files(request, plan, file_form)
        context["already_logged"] = [
            log
            for upload in file_form.cleaned_data["run_file"]
            if (log := logged_from_same_file(plan, name=str(upload.name)[:80], upload=upload))
        ]
        initial.update(
            log_initial_from_run(
                file_form.summary, zone=clinic.zone, unit=clinic.distance_unit, today=today
            )
        )
    elif not reading_file:
        kept = _kept_run_file(request, plan)
        if kept is not None and request.method == "GET":
            initial.update(kept.initial)
        elif kept is not None:  # the file's exact metres, kept if the distance is left as read
            initial["distance_m"] = kept.initial.get("distance_m")
    form = SessionLogForm(
        None if reading_file else (request.POST or None),
        plan=plan,
        unit=clinic.distance_unit,
        today=today,
        initial=initial,
    )
    context["file_form"] = file_form
    context["kept_run_file"] = kept
    posted = request.method == "POST" and not reading_file
    if posted and kept is None and (saved := _saved_before(request, plan)):
        return _already_saved(request, saved)
    if posted and form.is_valid():
        values = form.log_values()
        try:
            services.log_session(
                plan=plan, by=request.user, values=values, today=today, source=kept
            )
        except RunFileAlreadySaved:
            return _already_saved(request, _saved_before(request, plan))
        status = context["status"]
        if status.state == PlanState.REST_DAY and values["date"] == today:
            messages.warning(
                request,
                f"Logged, but today was a rest day (next run was due "
                f"{status.next_run_on:%A} {status.next_run_on.day} {status.next_run_on:%B}). "
                "Rest days let your tissues recover: please keep to them.",
            )
        waiting = PendingRunFile.objects.waiting(plan=plan, by=request.user)
        following = waiting.first()
        if following is not None:
            messages.success(
                request, f"Session logged. Run files still to complete: {len(waiting)}."
            )
            log_url = reverse("programs:rtr_portal_log", args=[plan.pk])
            return redirect(f"{log_url}?{urlencode({'run_file_key': following.key})}")
        messages.success(request, "Session logged. Remember tomorrow morning's check-in.")
        return redirect("programs:rtr_portal_today")
    context["waiting_files"] = [
        pending
        for pending in PendingRunFile.objects.waiting(plan=plan, by=request.user)
        if kept is None or pending.pk != kept.pk
    ]
    if request.method == "GET" or reading_file:
        record_read(by=request.user, patient=plan.episode.patient, obj=plan)
    context.update(
        {"form": form, "read_file_action": READ_FILE, "discard_file_action": DISCARD_FILE}
    )
    if template.endswith("player.html") and context["stage"] is not None:
        context["segments"] = player_segments(context["stage"])
        context["cadence"] = _target_cadence(request, plan)
    return render(request, template, context)


def _keep_run_files(
    request: PatientRequest, plan: ReturnToRunPlan, file_form: RunFileForm
) -> PendingRunFile:
    """Store every file just read, with the log form's values from it; the first is the one
    the form is filled from now."""
    clinic = plan.episode.patient.clinic
    kept = []
    for upload, summary in zip(
        file_form.cleaned_data["run_file"], file_form.summaries, strict=True
    ):
        values = log_initial_from_run(
            summary, zone=clinic.zone, unit=clinic.distance_unit, today=clinic.today()
        )
        kept.append(
            runfile_services.keep_run_file(
                plan=plan,
                by=request.user,
                upload=upload,
                initial={key: str(value) for key, value in values.items()},
            )
        )
    return kept[0]


def _kept_run_file(request: PatientRequest, plan: ReturnToRunPlan) -> PendingRunFile | None:
    """The run file read before, whose key the log form carries through a form error (POST)
    or a link to complete it (GET)."""
    key_form = KeptRunFileForm(request.POST if request.method == "POST" else request.GET)
    if not key_form.is_valid() or key_form.cleaned_data["run_file_key"] is None:
        return None
    return PendingRunFile.objects.for_form(
        plan=plan, by=request.user, key=key_form.cleaned_data["run_file_key"]
    )


def _discard_run_file(request: PatientRequest, plan: ReturnToRunPlan) -> HttpResponse:
    """The runner's "Don't log this file": the file goes, and the next one waiting opens."""
    log_url = reverse("programs:rtr_portal_log", args=[plan.pk])
    pending = _kept_run_file(request, plan)
    if pending is None:  # sent twice, or the file was logged in another tab
        messages.info(request, "That file is no longer waiting: nothing more to do.")
        return redirect(log_url)
    name = runfile_services.discard_run_file(pending=pending)
    messages.success(request, f"“{name}” was removed without logging a run.")
    following = PendingRunFile.objects.waiting(plan=plan, by=request.user).first()
    if following is not None:
        return redirect(f"{log_url}?{urlencode({'run_file_key': following.key})}")
    return redirect(log_url)


def _saved_before(request: PatientRequest, plan: ReturnToRunPlan) -> SessionLog | None:
    """The log already saved from the run file this form carries: it was saved in another tab,
    or the form was sent again after Back."""
    key_form = KeptRunFileForm(request.POST)
    key = key_form.cleaned_data["run_file_key"] if key_form.is_valid() else None
    return None if key is None else logged_from_key(plan, key)


def _already_saved(request: PatientRequest, log: SessionLog | None) -> HttpResponse:
    when = f" on {log.date:%A} {log.date.day} {log.date:%B}" if log is not None else ""
    messages.info(
        request,
        f"This run file was saved already, as your run{when}: it was not saved twice.",
    )
    return redirect("programs:rtr_portal_today")


def _target_cadence(request: PatientRequest, plan: ReturnToRunPlan) -> int | None:
    """The cadence the episode's active gait retraining prescribes: the player's metronome
    starts there."""
    return (
        GaitRetrainingPrescription.objects.visible_to(request.user)
        .filter(episode_id=plan.episode_id, is_active=True)
        .values_list("target_cadence", flat=True)
        .first()
    )


def _log_initial(plan: ReturnToRunPlan) -> dict[str, Any]:
    """Today's stage as prescribed, so a runner who did it only types the pain scores."""
    stage = plan.stages.filter(number=plan.current_stage).first()
    if stage is None or plan.is_distance:
        return {}
    return {
        "duration_minutes": stage.total_minutes,
        "run_minutes": stage.run_minutes * stage.repeats,
    }


@patient_required
@require_http_methods(["GET", "POST"])
@submitted_once
def portal_check_in(request: PatientRequest, pk: int) -> HttpResponse:
    plan = _portal_plan(request, pk)
    today = plan.episode.patient.clinic.today()
    form = MorningCheckInForm(request.POST or None, plan=plan, today=today)
    if request.method == "POST" and form.is_valid():
        check_in = services.record_check_in(
            plan=plan, by=request.user, values=form.cleaned_data, today=today
        )
        run = check_in.session_log
        if run is None:
            messages.warning(
                request,
                f"Check-in saved, but no run was logged on {check_in.date - _ONE_DAY:%A %d %B}, "
                "so it is not attached to a run. If you ran that day, log the run and it will "
                "attach.",
            )
        else:
            messages.success(request, f"Check-in saved for the run on {run.date:%A %d %B}.")
        return redirect("programs:rtr_portal_today")
    if request.method == "GET":
        record_read(by=request.user, patient=plan.episode.patient, obj=plan)
    return render(request, "programs/running/portal_check_in.html", {"plan": plan, "form": form})


@patient_required
@require_http_methods(["GET", "POST"])
@submitted_once
def portal_player(request: PatientRequest, pk: int) -> HttpResponse:
    plan = _portal_plan(request, pk)
    return _log_form_page(request, plan, template="programs/running/portal_player.html")


@patient_required
@require_http_methods(["GET", "POST"])
def portal_gait(request: PatientRequest, pk: int) -> HttpResponse:
    prescription = get_object_or_404(
        GaitRetrainingPrescription.objects.visible_to(request.user).select_related(
            "episode__patient__clinic"
        ),
        pk=pk,
    )
    if request.method == "POST":
        session_pk = request.POST.get("session", "")
        session = get_object_or_404(
            prescription.sessions.filter(completed_on__isnull=True, prescription__is_active=True),
            pk=int(session_pk) if session_pk.isdigit() else 0,
        )
        today = prescription.episode.patient.clinic.today()
        gait_services.complete_gait_session(session=session, by=request.user, on=today)
        messages.success(request, f"Session {session.number} marked done.")
        return redirect("programs:rtr_portal_gait", pk=prescription.pk)
    record_read(by=request.user, patient=prescription.episode.patient, obj=prescription)
    next_session = prescription.sessions.filter(completed_on__isnull=True).first()
    return render(
        request,
        "programs/running/portal_gait.html",
        {"prescription": prescription, "next_session": next_session},
    )
