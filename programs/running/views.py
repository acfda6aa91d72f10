"""Pages for return-to-running plans and gait retraining: therapist side and patient portal.

Every record is fetched through ``visible_to(request.user)``: another clinic's or another
patient's plan is a 404, never a 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from patients.models import Episode, EpisodeQuerySet
from programs.running import gait_services, protocol_services, services
from programs.running.fields import EPISODE_CHOICE_HELP, EPISODE_CHOICE_LIMIT, episode_options
from programs.running.flags import flagged_patients, flagged_plans
from programs.running.forms import (
    ClosePlanForm,
    OverrideForm,
    ProtocolForm,
    ReadinessForm,
    StageFormSet,
    stage_initial,
)
from programs.running.gait_forms import GaitPrescriptionForm, GaitRetestForm
from programs.running.gait_models import GaitRetrainingPrescription
from programs.running.log_models import SessionLog, StageChange
from programs.running.models import Protocol, ReturnToRunPlan
from programs.running.plan_forms import PausePlanForm, PlanCreateForm, PlanLimitsForm, StartPlanForm
from programs.running.readiness import evaluation_findings, readiness_for
from programs.running.status import plan_context, visible_plans
from programs.running.wording import stage_summary
from rehab_clinic.accounts.decorators import staff_required
from rehab_clinic.accounts.paging import page_of, query_without_page
from rehab_clinic.accounts.requests import StaffRequest
from rehab_clinic.audit.services import record_read

PLAN_PAGE_SIZE = 25
RUN_CADENCES_SHOWN = 10  # the gait page lists the latest runs with a cadence


@staff_required
@require_http_methods(["GET"])
def plan_list(request: StaffRequest) -> HttpResponse:
    """Open plans a page at a time (`?mine=1` the user's own patients, `?flagged=1` those with a
    flag today), under the bounded flags panel."""
    today = request.user.home_clinic.today()
    mine = request.GET.get("mine") == "1"
    flagged_only = request.GET.get("flagged") == "1"
    plans = visible_plans(request.user).open()
    if flagged_only:
        plans = plans.filter(pk__in=flagged_plans(request.user, today=today).values("pk"))
    if mine:
        plans = plans.filter(episode__patient__primary_therapist=request.user)
    # By name along the patients' clinic-and-name index: the gate repeated on the joined patient
    # and its id before the plan's let PostgreSQL read the page in index order.
    patient = "episode__patient__"
    plans = plans.filter(
        **{f"{patient}clinic": request.user.home_clinic, f"{patient}archived_at__isnull": True}
    ).order_by(f"{patient}last_name", f"{patient}first_name", f"{patient}id", "pk")
    flagged = flagged_patients(request.user, today=today, mine=mine)
    record_read(by=request.user, detail="Return-to-run plan list")
    context = {
        "page": page_of(request, plans, PLAN_PAGE_SIZE),
        "query": query_without_page(request),
        "mine": mine,
        "flagged_only": flagged_only,
        "rtr_panel": {"flagged": flagged, "more_url": "?flagged=1" + ("&mine=1" if mine else "")},
    }
    return render(request, "programs/running/plan_list.html", context)


_EPISODE_ID = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


def _episode_hint(request: HttpRequest) -> int | None:
    """The episode a link asks to preselect (`?episode=`), if it is a possible id at all."""
    try:
        return _EPISODE_ID.clean(request.GET.get("episode"))  # type: ignore[no-any-return]
    except ValidationError:
        return None


def _episode_options(
    request: StaffRequest, episodes: EpisodeQuerySet, wanted: int | None
) -> EpisodeQuerySet:
    posted = request.POST.get("episode") if request.method == "POST" else None
    return episode_options(episodes, user=request.user, wanted=wanted, posted=posted)


@staff_required
@require_http_methods(["GET", "POST"])
def plan_create(request: StaffRequest) -> HttpResponse:
    episodes = (
        Episode.objects.visible_to(request.user)
        .filter(status=Episode.Status.ACTIVE)
        .select_related("patient")
    )
    protocols = Protocol.objects.for_clinic(request.user.home_clinic)
    today = request.user.home_clinic.today()
    wanted = _episode_hint(request)
    initial = {"started_on": today, "episode": wanted}
    episodes = _episode_options(request, episodes, wanted)
    form = PlanCreateForm(
        request.POST or None, initial=initial, episodes=episodes, protocols=protocols, today=today
    )
    form.fields["episode"].help_text = EPISODE_CHOICE_HELP.format(limit=EPISODE_CHOICE_LIMIT)
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(
            episode=form.cleaned_data["episode"],
            protocol=form.cleaned_data["protocol"],
            started_on=form.cleaned_data["started_on"],
            by=request.user,
        )
        messages.success(
            request,
            "Draft plan saved. Check the stages, limits and readiness, then start it: the "
            "runner sees it from then on.",
        )
        return redirect("programs:rtr_plan_detail", pk=plan.pk)
    return render(
        request, "programs/running/plan_create.html", {"form": form, "protocols": protocols}
    )


@staff_required
@require_http_methods(["GET"])
def plan_detail(request: StaffRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user), pk=pk)
    record_read(by=request.user, patient=plan.episode.patient, obj=plan)
    return _render_plan_detail(request, plan)


def _render_plan_detail(
    request: HttpRequest,
    plan: ReturnToRunPlan,
    *,
    override_form: OverrideForm | None = None,
    close_form: ClosePlanForm | None = None,
    start_form: StartPlanForm | None = None,
    pause_form: PausePlanForm | None = None,
) -> HttpResponse:
    # The status, the rule's recommendation and the override form each read the stages, logs
    # and check-ins: read once here.
    prefetch_related_objects([plan], "stages", "logs", "check_ins")
    context = plan_context(plan)
    readiness = readiness_for(plan)
    unmet = [c.text for c in readiness if not c.met]
    context.update(
        {
            "readiness": readiness,
            "readiness_form": ReadinessForm(
                initial={"ticked": plan.readiness_ticked},
                choices=[(s.code, s.text) for s in readiness],
            ),
            "override_form": override_form or OverrideForm(plan=plan),
            "close_form": close_form or ClosePlanForm(),
            "start_form": start_form or StartPlanForm(unmet=unmet),
            "pause_form": pause_form or PausePlanForm(prefix="pause"),
            "unmet": unmet,
            "pending": [c for c in context["changes"] if c.is_pending],
        }
    )
    return render(request, "programs/running/plan_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def plan_customise(request: StaffRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user), pk=pk)
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
    record_read(by=request.user, patient=plan.episode.patient, obj=plan)
    return render(
        request,
        "programs/running/plan_customise.html",
        {"plan": plan, "limits_form": limits_form, "formset": formset, "unit": unit},
    )


@staff_required
@require_POST
def plan_readiness(request: StaffRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user), pk=pk)
    codes = [c.code for c in readiness_for(plan)]
    form = ReadinessForm(request.POST, choices=[(c, c) for c in codes])
    if form.is_valid():
        services.set_readiness(plan=plan, by=request.user, ticked=form.cleaned_data["ticked"])
        messages.success(request, "Readiness saved.")
    return redirect("programs:rtr_plan_detail", pk=plan.pk)


@staff_required
@require_POST
def change_confirm(request: StaffRequest, pk: int, change_pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user), pk=pk)
    change = get_object_or_404(plan.changes.filter(review=StageChange.Review.PENDING), pk=change_pk)
    services.confirm_change(change=change, by=request.user)
    messages.success(request, "Recommendation confirmed.")
    return redirect("programs:rtr_plan_detail", pk=plan.pk)


@staff_required
@require_POST
def plan_override(request: StaffRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user), pk=pk)
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
def plan_start(request: StaffRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        visible_plans(request.user).filter(status=ReturnToRunPlan.Status.DRAFT), pk=pk
    )
    form = StartPlanForm(request.POST, unmet=[c.text for c in readiness_for(plan) if not c.met])
    if not form.is_valid():
        return _render_plan_detail(request, plan, start_form=form)
    services.start_plan(
        plan=plan, by=request.user, override_reason=form.cleaned_data["override_reason"]
    )
    messages.success(request, "Plan started: the runner can see it now.")
    return redirect("programs:rtr_plan_detail", pk=plan.pk)


@staff_required
@require_POST
def plan_pause(request: StaffRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user), pk=pk)
    if plan.status == ReturnToRunPlan.Status.PAUSED:
        services.resume_plan(plan=plan, by=request.user)
        messages.success(request, "Plan resumed.")
        return redirect("programs:rtr_plan_detail", pk=plan.pk)
    form = PausePlanForm(request.POST, prefix="pause")
    if not plan.is_active or not form.is_valid():
        return _render_plan_detail(request, plan, pause_form=form)
    services.pause_plan(plan=plan, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, "Plan paused: the runner is told not to run.")
    return redirect("programs:rtr_plan_detail", pk=plan.pk)


@staff_required
@require_POST
def plan_close(request: StaffRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user).open(), pk=pk)
    form = ClosePlanForm(request.POST)
    if not form.is_valid():
        return _render_plan_detail(request, plan, close_form=form)
    services.close_plan(plan=plan, by=request.user, **form.cleaned_data)
    messages.success(request, f"Plan {plan.get_status_display().lower()}.")
    return redirect("programs:rtr_plan_detail", pk=plan.pk)


@staff_required
@require_http_methods(["GET"])
def protocol_list(request: StaffRequest) -> HttpResponse:
    clinic = request.user.home_clinic
    protocols = [
        (p, [stage_summary(s, p.kind, clinic) for s in p.stages.all()])
        for p in Protocol.objects.for_clinic(clinic).prefetch_related("stages")
    ]
    return render(request, "programs/running/protocol_list.html", {"protocols": protocols})


@staff_required
@require_http_methods(["GET", "POST"])
def protocol_edit(request: StaffRequest, pk: int) -> HttpResponse:
    protocol = get_object_or_404(Protocol.objects.for_clinic(request.user.home_clinic), pk=pk)
    unit = request.user.home_clinic.distance_unit
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
        protocol_services.update_protocol(
            protocol=protocol, by=request.user, values=form.protocol_values(), stages=stages
        )
        messages.success(request, "Protocol saved. Existing plans keep their own copy.")
        return redirect("programs:rtr_protocol_list")
    return render(
        request,
        "programs/running/protocol_edit.html",
        {"protocol": protocol, "form": form, "formset": formset, "unit": unit},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def gait_create(request: StaffRequest) -> HttpResponse:
    episodes = (
        Episode.objects.visible_to(request.user)
        .filter(status=Episode.Status.ACTIVE)
        .select_related("patient")
    )
    initial: dict[str, Any] = {"episode": _episode_hint(request)}
    wanted = initial["episode"]
    chosen = episodes.filter(pk=wanted).first() if wanted is not None else None
    if chosen is not None:
        # The baseline cadence measured at the evaluation, when there is one.
        cadence = evaluation_findings(chosen).get("cadence")
        if cadence is not None:
            initial["baseline_cadence"] = int(cadence)
    episodes = _episode_options(request, episodes, wanted)
    form = GaitPrescriptionForm(request.POST or None, initial=initial, episodes=episodes)
    form.fields["episode"].help_text = EPISODE_CHOICE_HELP.format(limit=EPISODE_CHOICE_LIMIT)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        prescription = gait_services.create_gait_prescription(by=request.user, **data)
        if form.warning:
            messages.warning(request, form.warning)
        messages.success(request, f"Target cadence {prescription.target_cadence} steps/min.")
        return redirect("programs:rtr_gait_detail", pk=prescription.pk)
    return render(request, "programs/running/gait_create.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def gait_detail(request: StaffRequest, pk: int) -> HttpResponse:
    prescription = get_object_or_404(
        GaitRetrainingPrescription.objects.visible_to(request.user).select_related(
            "episode__patient__clinic"
        ),
        pk=pk,
    )
    today = prescription.episode.patient.clinic.today()
    made = prescription.created_at.astimezone(prescription.episode.patient.clinic.zone).date()
    form = GaitRetestForm(request.POST or None, today=today, earliest=made)
    if request.method == "POST" and form.is_valid():
        gait_services.record_gait_retest(
            prescription=prescription, by=request.user, **form.cleaned_data
        )
        messages.success(request, "Retest recorded.")
        return redirect("programs:rtr_gait_detail", pk=prescription.pk)
    record_read(by=request.user, patient=prescription.episode.patient, obj=prescription)
    retests = [
        (r, r.change_from(prescription.baseline_cadence)) for r in prescription.retests.all()
    ]
    # The cadence runners log (typed, or read from a watch file) beside the target.
    runs = (
        SessionLog.objects.filter(
            plan__in=visible_plans(request.user).filter(episode_id=prescription.episode_id),
            cadence__isnull=False,
        )
        .order_by("-date", "-id")
        .values_list("date", "cadence")[:RUN_CADENCES_SHOWN]
    )
    target = prescription.target_cadence
    run_cadences = [(day, spm, spm - target) for day, spm in runs if spm is not None]
    return render(
        request,
        "programs/running/gait_detail.html",
        {
            "prescription": prescription,
            "form": form,
            "retests": retests,
            "run_cadences": run_cadences,
        },
    )
