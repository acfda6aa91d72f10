"""The patient's portal pages: Today, the week, the whole program, progress, and the tick."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from patients.portal import portal_patient
from programs.home import queries, services, tick_services
from programs.home.charts import adherence_bars
from programs.home.forms import CompletionForm
from programs.home.models import ProgramVersion
from rehab_clinic.accounts.decorators import patient_required
from rehab_clinic.accounts.requests import PatientRequest
from rehab_clinic.audit.services import record_read


@patient_required
@require_GET
def portal_today(request: PatientRequest) -> HttpResponse:
    patient = portal_patient(request)
    context = queries.today_for(patient)
    for version in context["versions"]:
        record_read(by=request.user, patient=patient, obj=version, detail="today")
    return render(
        request, "programs/home/portal_today.html", {"panel": context, "patient": patient}
    )


@patient_required
@require_GET
def portal_week(request: PatientRequest) -> HttpResponse:
    patient = portal_patient(request)
    context = queries.week_for(patient)
    for version in context["versions"]:
        record_read(by=request.user, patient=patient, obj=version, detail="week")
    return render(request, "programs/home/portal_week.html", {**context, "patient": patient})


@patient_required
@require_GET
def portal_program(request: PatientRequest) -> HttpResponse:
    patient = portal_patient(request)
    versions = queries.current_versions(patient)
    earlier = list(
        ProgramVersion.objects.visible_to(request.user)
        .filter(program__in=[v.program_id for v in versions])
        .exclude(pk__in=[v.pk for v in versions])
        .defer("snapshot")
    )
    for version in versions:
        record_read(by=request.user, patient=patient, obj=version)
    programs = [{"version": v, "entries": queries.entries_for(v)} for v in versions]
    context = {"programs": programs, "earlier": earlier, "patient": patient}
    return render(request, "programs/home/portal_program.html", context)


@patient_required
@require_GET
def portal_version(request: PatientRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ProgramVersion.objects.visible_to(request.user), pk=pk)
    record_read(by=request.user, patient=portal_patient(request), obj=version)
    context = {
        "version": version,
        "entries": queries.entries_for(version),
        "patient": portal_patient(request),
    }
    return render(request, "programs/home/portal_version.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@patient_required
@require_POST
def portal_mark_done(request: PatientRequest, pk: int) -> HttpResponse:
    """Tick one session done. Safe to repeat: the offline queue may send the same tick twice."""
    version = get_object_or_404(
        ProgramVersion.objects.visible_to(request.user).select_related(
            "program__episode__patient__clinic"
        ),
        pk=pk,
    )
    form = CompletionForm(request.POST)
    error = "That tick could not be read. Reload the page and try again."
    if form.is_valid():
        data = form.cleaned_data
        try:
            completion, created = services.record_completion(
                version=version,
                item_key=str(data["item"]),
                day=data["day"],
                session=data["session"],
                by=request.user,
            )
        except services.ProgramError as refused:
            error = str(refused)
        else:
            tick_services.rate_completion(
                completion=completion,
                pain=data.get("pain"),
                difficulty=data.get("difficulty") or "",
                by=request.user,
            )
            if _wants_json(request):
                return JsonResponse({"ok": True, "created": created})
            messages.success(request, "Done. Well done!" if created else "Already ticked off.")
            return redirect("programs:portal_today")
    if _wants_json(request):
        return JsonResponse({"ok": False, "error": error}, status=400)
    messages.error(request, error)
    return redirect("programs:portal_today")


@patient_required
@require_POST
def portal_undo_tick(request: PatientRequest, pk: int) -> HttpResponse:
    """Take back a tick made today by mistake."""
    version = get_object_or_404(
        ProgramVersion.objects.visible_to(request.user).select_related(
            "program__episode__patient__clinic"
        ),
        pk=pk,
    )
    form = CompletionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That tick could not be read. Reload the page and try again.")
        return redirect("programs:portal_today")
    data = form.cleaned_data
    try:
        undone = tick_services.undo_completion(
            version=version,
            item_key=str(data["item"]),
            day=data["day"],
            session=data["session"],
            by=request.user,
        )
    except services.ProgramError as refused:
        messages.error(request, str(refused))
    else:
        messages.info(request, "Tick undone." if undone else "That was not ticked.")
    return redirect("programs:portal_today")


@patient_required
@require_GET
def portal_adherence(request: PatientRequest) -> HttpResponse:
    patient = portal_patient(request)
    versions = queries.current_versions(patient)
    programs = [v.program for v in versions]
    result = queries.adherence_for_programs(programs, patient.clinic) if programs else None
    record_read(by=request.user, patient=patient, obj=patient, detail="adherence")
    context: dict[str, Any] = {"patient": patient, "result": result}
    if result is not None:
        context["week_chart"] = adherence_bars(result.weeks, title="Your weeks", chart_id="wk")
        context["exercise_chart"] = adherence_bars(
            result.exercises, title="Your exercises", chart_id="ex"
        )
    return render(request, "programs/home/portal_adherence.html", context)
