"""Pages for return-to-running plans and gait retraining: therapist side and patient portal.

Every record is fetched through ``visible_to(request.user)``: another clinic's or another
patient's plan is a 404, never a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from patients.scoping import visible_episodes
from programs import rtr_services as services
from programs.progression import Decision, detect_flags
from programs.rtr_charts import plan_chart
from programs.rtr_display import player_segments, stage_summary
from programs.rtr_forms import (
    ClosePlanForm,
    GaitPrescriptionForm,
    GaitRetestForm,
    MorningCheckInForm,
    OverrideForm,
    PlanCreateForm,
    PlanLimitsForm,
    ProtocolForm,
    ReadinessForm,
    SessionLogForm,
    StageFormSet,
    stage_initial,
)
from programs.rtr_models import (
    GaitRetrainingPrescription,
    GaitSession,
    Protocol,
    ReturnToRunPlan,
    StageChange,
)
from rehab_clinic.accounts.decorators import patient_required, staff_required
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

VIEW = AuditEvent.Action.VIEW


def _user(request: HttpRequest) -> Any:
    """The signed-in user; the access decorator has already checked role and clinic."""
    return request.user


def _clinic(request: HttpRequest) -> Any:
    return _user(request).clinic


def _plans(user: Any) -> Any:
    return ReturnToRunPlan.objects.visible_to(user).select_related(
        "episode__patient__clinic", "protocol"
    )


def _plan_context(plan: ReturnToRunPlan) -> dict[str, Any]:
    """What both the therapist's and the runner's plan pages show."""
    clinic = plan.episode.patient.clinic
    today = services.clinic_today(clinic)
    stages = list(plan.stages.all())
    logs = list(plan.logs.all())
    check_ins = list(plan.check_ins.all())
    stage = next((s for s in stages if s.number == plan.current_stage), None)
    recommendation = services.recommendation_for(plan, today=today)
    changes = list(plan.changes.select_related("created_by", "reviewed_by", "session_log")[:20])
    latest_change = changes[0] if changes else None
    last_log = logs[-1] if logs else None
    next_run_on = _next_run_on(stage, last_log, latest_change, today)
    headline, reason, review_text, note = _status_words(recommendation, latest_change, last_log)
    flags = detect_flags(
        limits=plan.limits(),
        sessions=[log.as_report() for log in logs],
        checks=[c.as_check() for c in check_ins],
        today=today,
        volume_kind=plan.volume_kind,
        window_days=services.FLAG_WINDOW_DAYS,
    )
    checks_by_date = {c.date: c for c in check_ins}
    rows = [(log, checks_by_date.get(log.date + _days(1))) for log in reversed(logs)]
    return {
        "plan": plan,
        "clinic": clinic,
        "unit": clinic.distance_unit,
        "today": today,
        "stages": [(s, stage_summary(s, plan.kind, clinic)) for s in stages],
        "stage": stage,
        "stage_text": stage_summary(stage, plan.kind, clinic),
        "recommendation": recommendation,
        "headline": headline,
        "reason": reason,
        "review_text": review_text,
        "therapist_note": note,
        "decision": Decision,
        "latest_change": latest_change,
        "changes": changes,
        "next_run_on": next_run_on,
        "rest_today": next_run_on > today,
        "log_rows": rows,
        "flags": flags,
        "check_ins": list(reversed(check_ins)),
        "chart": plan_chart(
            logs=logs,
            check_ins=check_ins,
            start=plan.started_on,
            end=today,
            distance=plan.is_distance,
            unit=clinic.distance_unit,
            pain_ceiling=plan.pain_during_max,
        ),
    }


def _next_run_on(stage: Any, last_log: Any, change: StageChange | None, today: dt.date) -> dt.date:
    """The stage's rest days after the last run, plus the extra day a step back asks for."""
    if last_log is None or stage is None:
        return today
    rest = stage.rest_days_between
    if change is not None and change.rest_day and change.session_log_id == last_log.pk:
        rest += 1
    return max(today, last_log.date + _days(rest + 1))


def _status_words(
    recommendation: Any, change: StageChange | None, last_log: Any
) -> tuple[str, str, str, str]:
    """Headline, reason, review state and therapist note for the plan's current position.

    Right after the rule or a therapist moves the plan, the live rule only says "start the new
    stage", so the change itself (and why) is what the runner needs to read.
    """
    headline, reason = recommendation.headline, recommendation.reason
    if change is None:
        return headline, reason, "", ""
    if (
        change.source == StageChange.Source.RULE
        and last_log
        and change.session_log_id == last_log.pk
    ):
        if change.decision == Decision.PROGRESS:
            headline = f"Moved up to stage {change.to_stage}"
            if change.to_stage == change.from_stage:
                headline = "Final stage complete"
        elif change.to_stage == change.from_stage:
            headline = f"Rest a day, then repeat stage {change.to_stage}"
        else:
            headline = (
                f"Rest a day, then step back to stage {change.to_stage}"
                if change.rest_day
                else f"Stepped back to stage {change.to_stage}"
            )
        review = (
            "Your therapist will review this change."
            if change.is_pending
            else f"{change.get_review_display()} by your therapist."
        )
        return headline, change.reason, review, ""
    if change.source == StageChange.Source.THERAPIST and (
        last_log is None or change.created_at >= last_log.created_at
    ):
        return f"Your therapist set stage {change.to_stage}", reason, "", change.note
    return headline, reason, "", ""


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# ---------------------------------------------------------------------------------------------
# Therapist pages


@staff_required
@require_http_methods(["GET"])
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = _plans(request.user).filter(status=ReturnToRunPlan.Status.ACTIVE)
    flagged = services.flagged_patients(request.user, today=services.clinic_today(_clinic(request)))
    record_event(request=request, action=VIEW, detail="Return-to-run plan list")
    return render(
        request,
        "programs/rtr/plan_list.html",
        {"plans": plans.order_by("episode__patient__last_name"), "rtr_panel": {"flagged": flagged}},
    )


def _episode_hint(request: HttpRequest) -> int | None:
    """The episode a link asks to preselect (`?episode=`), if it is a possible id at all."""
    try:
        return _EPISODE_ID.clean(request.GET.get("episode"))  # type: ignore[no-any-return]
    except ValidationError:
        return None


_EPISODE_ID = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


@staff_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    episodes = visible_episodes(request.user).filter(status="active").select_related("patient")
    protocols = Protocol.objects.for_clinic(_clinic(request))
    today = services.clinic_today(_clinic(request))
    initial = {"started_on": today, "episode": _episode_hint(request)}
    form = PlanCreateForm(
        request.POST or None, initial=initial, episodes=episodes, protocols=protocols
    )
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(
            episode=form.cleaned_data["episode"],
            protocol=form.cleaned_data["protocol"],
            started_on=form.cleaned_data["started_on"],
            by=request.user,
        )
        messages.success(request, "Plan created. Check the stages and pain limits.")
        return redirect("programs:rtr_plan_detail", pk=plan.pk)
    return render(request, "programs/rtr/plan_create.html", {"form": form, "protocols": protocols})


@staff_required
@require_http_methods(["GET"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request.user), pk=pk)
    record_event(request=request, action=VIEW, patient=plan.episode.patient, obj=plan)
    return _render_plan_detail(request, plan)


def _render_plan_detail(
    request: HttpRequest,
    plan: ReturnToRunPlan,
    *,
    override_form: OverrideForm | None = None,
    close_form: ClosePlanForm | None = None,
) -> HttpResponse:
    context = _plan_context(plan)
    readiness = services.readiness_for(plan)
    context.update(
        {
            "readiness": readiness,
            "readiness_form": ReadinessForm(
                initial={"ticked": plan.readiness_ticked},
                choices=[(s.code, s.text) for s in readiness],
            ),
            "override_form": override_form or OverrideForm(plan=plan),
            "close_form": close_form or ClosePlanForm(),
            "pending": [c for c in context["changes"] if c.is_pending],
        }
    )
    return render(request, "programs/rtr/plan_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def plan_customise(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request.user), pk=pk)
    unit = plan.episode.patient.clinic.distance_unit
    limits_form = PlanLimitsForm(request.POST or None, instance=plan, prefix="limits")
    formset = StageFormSet(
        request.POST or None,
        prefix="stages",
        initial=[stage_initial(s, unit) for s in plan.stages.all()],
        form_kwargs={"unit": unit},
    )
    if request.method == "POST" and limits_form.is_valid() and formset.is_valid():
        stages = [
            f.stage_values()
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        services.customise_plan(
            plan=plan, by=request.user, limits=limits_form.cleaned_data, stages=stages
        )
        messages.success(request, "Plan saved.")
        return redirect("programs:rtr_plan_detail", pk=plan.pk)
    record_event(request=request, action=VIEW, patient=plan.episode.patient, obj=plan)
    return render(
        request,
        "programs/rtr/plan_customise.html",
        {"plan": plan, "limits_form": limits_form, "formset": formset, "unit": unit},
    )


@staff_required
@require_POST
def plan_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request.user), pk=pk)
    codes = [c.code for c in services.readiness_for(plan)]
    form = ReadinessForm(request.POST, choices=[(c, c) for c in codes])
    if form.is_valid():
        services.set_readiness(plan=plan, by=request.user, ticked=form.cleaned_data["ticked"])
        messages.success(request, "Readiness saved.")
    return redirect("programs:rtr_plan_detail", pk=plan.pk)


@staff_required
@require_POST
def change_confirm(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request.user), pk=pk)
    change = get_object_or_404(plan.changes.filter(review=StageChange.Review.PENDING), pk=change_pk)
    services.confirm_change(change=change, by=request.user)
    messages.success(request, "Recommendation confirmed.")
    return redirect("programs:rtr_plan_detail", pk=plan.pk)


@staff_required
@require_POST
def plan_override(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request.user), pk=pk)
    form = OverrideForm(request.POST, plan=plan)
    if not form.is_valid():
        return _render_plan_detail(request, plan, override_form=form)
    services.override_stage(
        plan=plan,
        by=request.user,
        to_stage=form.cleaned_data["to_stage"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, f"Stage set to {form.cleaned_data['to_stage']}.")
    return redirect("programs:rtr_plan_detail", pk=plan.pk)


@staff_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_plans(request.user).active(), pk=pk)
    form = ClosePlanForm(request.POST)
    if not form.is_valid():
        return _render_plan_detail(request, plan, close_form=form)
    services.close_plan(plan=plan, by=request.user, **form.cleaned_data)
    messages.success(request, f"Plan {plan.get_status_display().lower()}.")
    return redirect("programs:rtr_plan_detail", pk=plan.pk)


@staff_required
@require_http_methods(["GET"])
def protocol_list(request: HttpRequest) -> HttpResponse:
    services.seed_protocols(clinic=_clinic(request))
    clinic = _clinic(request)
    protocols = [
        (p, [stage_summary(s, p.kind, clinic) for s in p.stages.all()])
        for p in Protocol.objects.for_clinic(clinic).prefetch_related("stages")
    ]
    return render(request, "programs/rtr/protocol_list.html", {"protocols": protocols})


@staff_required
@require_http_methods(["GET", "POST"])
def protocol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = get_object_or_404(Protocol.objects.for_clinic(_clinic(request)), pk=pk)
    unit = _clinic(request).distance_unit
    form = ProtocolForm(request.POST or None, instance=protocol, prefix="protocol")
    formset = StageFormSet(
        request.POST or None,
        prefix="stages",
        initial=[stage_initial(s, unit) for s in protocol.stages.all()],
        form_kwargs={"unit": unit},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        stages = [
            f.stage_values()
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        services.update_protocol(
            protocol=protocol, by=request.user, values=form.protocol_values(), stages=stages
        )
        messages.success(request, "Protocol saved. Existing plans keep their own copy.")
        return redirect("programs:rtr_protocol_list")
    return render(
        request,
        "programs/rtr/protocol_edit.html",
        {"protocol": protocol, "form": form, "formset": formset, "unit": unit},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def gait_create(request: HttpRequest) -> HttpResponse:
    episodes = visible_episodes(request.user).filter(status="active").select_related("patient")
    initial: dict[str, Any] = {"episode": _episode_hint(request)}
    wanted = initial["episode"]
    chosen = episodes.filter(pk=wanted).first() if wanted is not None else None
    if chosen is not None:
        # The baseline cadence measured at the evaluation, when there is one.
        cadence = services.evaluation_findings(chosen).get("cadence")
        if cadence is not None:
            initial["baseline_cadence"] = int(cadence)
    form = GaitPrescriptionForm(request.POST or None, initial=initial, episodes=episodes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        prescription = services.create_gait_prescription(by=request.user, **data)
        if form.warning:
            messages.warning(request, form.warning)
        messages.success(request, f"Target cadence {prescription.target_cadence} steps/min.")
        return redirect("programs:rtr_gait_detail", pk=prescription.pk)
    return render(request, "programs/rtr/gait_create.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def gait_detail(request: HttpRequest, pk: int) -> HttpResponse:
    prescription = get_object_or_404(
        GaitRetrainingPrescription.objects.visible_to(request.user).select_related(
            "episode__patient__clinic"
        ),
        pk=pk,
    )
    today = services.clinic_today(prescription.episode.patient.clinic)
    form = GaitRetestForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        services.record_gait_retest(prescription=prescription, by=request.user, **form.cleaned_data)
        messages.success(request, "Retest recorded.")
        return redirect("programs:rtr_gait_detail", pk=prescription.pk)
    record_event(
        request=request, action=VIEW, patient=prescription.episode.patient, obj=prescription
    )
    retests = [
        (r, r.change_from(prescription.baseline_cadence)) for r in prescription.retests.all()
    ]
    return render(
        request,
        "programs/rtr/gait_detail.html",
        {"prescription": prescription, "form": form, "retests": retests},
    )


# ---------------------------------------------------------------------------------------------
# Patient portal


def _portal_plan(request: HttpRequest, pk: int) -> ReturnToRunPlan:
    return get_object_or_404(_plans(request.user).active(), pk=pk)


@patient_required
@require_http_methods(["GET"])
def portal_today(request: HttpRequest) -> HttpResponse:
    plans = list(_plans(request.user).active())
    gait = list(
        GaitRetrainingPrescription.objects.visible_to(request.user)
        .filter(is_active=True)
        .prefetch_related(Prefetch("sessions", queryset=GaitSession.objects.order_by("number")))
    )
    patient = _user(request).patient
    record_event(request=request, action=VIEW, patient=patient, detail="Return-to-run today")
    return render(
        request,
        "programs/rtr/portal_today.html",
        {"plan_contexts": [_plan_context(p) for p in plans], "gait": gait},
    )


@patient_required
@require_http_methods(["GET", "POST"])
def portal_log(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _portal_plan(request, pk)
    return _log_form_page(request, plan, template="programs/rtr/portal_log.html")


def _log_form_page(request: HttpRequest, plan: ReturnToRunPlan, *, template: str) -> HttpResponse:
    clinic = plan.episode.patient.clinic
    today = services.clinic_today(clinic)
    form = SessionLogForm(
        request.POST or None,
        plan=plan,
        unit=clinic.distance_unit,
        today=today,
        initial=_log_initial(plan),
    )
    if request.method == "POST" and form.is_valid():
        services.log_session(plan=plan, by=request.user, values=form.log_values(), today=today)
        messages.success(request, "Session logged. Remember tomorrow morning's check-in.")
        return redirect("programs:rtr_portal_today")
    if request.method == "GET":
        record_event(request=request, action=VIEW, patient=plan.episode.patient, obj=plan)
    context = _plan_context(plan)
    context.update({"form": form})
    if template.endswith("player.html") and context["stage"] is not None:
        context["segments"] = player_segments(context["stage"])
    return render(request, template, context)


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
def portal_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _portal_plan(request, pk)
    today = services.clinic_today(plan.episode.patient.clinic)
    form = MorningCheckInForm(request.POST or None, plan=plan, today=today)
    if request.method == "POST" and form.is_valid():
        services.record_check_in(plan=plan, by=request.user, values=form.cleaned_data, today=today)
        messages.success(request, "Check-in saved.")
        return redirect("programs:rtr_portal_today")
    if request.method == "GET":
        record_event(request=request, action=VIEW, patient=plan.episode.patient, obj=plan)
    return render(request, "programs/rtr/portal_check_in.html", {"plan": plan, "form": form})


@patient_required
@require_http_methods(["GET", "POST"])
def portal_player(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _portal_plan(request, pk)
    return _log_form_page(request, plan, template="programs/rtr/portal_player.html")


@patient_required
@require_http_methods(["GET", "POST"])
def portal_gait(request: HttpRequest, pk: int) -> HttpResponse:
    prescription = get_object_or_404(
        GaitRetrainingPrescription.objects.visible_to(request.user).select_related(
            "episode__patient__clinic"
        ),
        pk=pk,
    )
    if request.method == "POST":
        session_pk = request.POST.get("session", "")
        session = get_object_or_404(
            prescription.sessions.filter(completed_on__isnull=True),
            pk=int(session_pk) if session_pk.isdigit() else 0,
        )
        today = services.clinic_today(prescription.episode.patient.clinic)
        services.complete_gait_session(session=session, by=request.user, on=today)
        messages.success(request, f"Session {session.number} marked done.")
        return redirect("programs:rtr_portal_gait", pk=prescription.pk)
    record_event(
        request=request, action=VIEW, patient=prescription.episode.patient, obj=prescription
    )
    next_session = prescription.sessions.filter(completed_on__isnull=True).first()
    return render(
        request,
        "programs/rtr/portal_gait.html",
        {"prescription": prescription, "next_session": next_session},
    )


# ---------------------------------------------------------------------------------------------
# Panels other apps' pages show (registered in rtr_urls.register_hooks)


def dashboard_panel(user: Any) -> dict[str, Any]:
    today = services.clinic_today(user.clinic) if user.clinic_id else None
    return {"flagged": services.flagged_patients(user, today=today)}


def episode_panel(user: Any, episode: Any) -> dict[str, Any]:
    plans = list(ReturnToRunPlan.objects.visible_to(user).filter(episode=episode))
    gait = list(GaitRetrainingPrescription.objects.visible_to(user).filter(episode=episode))
    return {
        "episode": episode,
        "plans": plans,
        "gait": gait,
        "has_active": any(p.status == ReturnToRunPlan.Status.ACTIVE for p in plans),
        "can_edit": getattr(user, "is_clinic_staff", False),
    }


def portal_panel(user: Any) -> dict[str, Any]:
    return {
        "plans": list(ReturnToRunPlan.objects.visible_to(user).active()),
        "gait": list(GaitRetrainingPrescription.objects.visible_to(user).filter(is_active=True)),
    }


def timeline_entries(patient: Any) -> list[Any]:
    """Return-to-run stage changes on the patient chart's timeline, in one query."""
    from django.urls import reverse

    from patients.timeline import TimelineEntry

    changes = StageChange.objects.filter(plan__episode__patient=patient).select_related(
        "session_log"
    )
    entries = []
    for change in changes:
        words = (
            "plan complete"
            if change.to_stage == change.from_stage
            else (f"stage {change.from_stage} → {change.to_stage}")
        )
        who = "therapist" if change.source == StageChange.Source.THERAPIST else "rule"
        entries.append(
            TimelineEntry(
                when=change.created_at,
                kind="return_to_run",
                title=f"Return to run: {words} ({who})",
                url=reverse("programs:rtr_plan_detail", args=[change.plan_id]),
                detail=change.note or change.reason,
            )
        )
    return entries
