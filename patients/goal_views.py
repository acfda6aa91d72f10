"""The plan of care of an episode: its goals (with their status today), the certification
period and the referring physician. Therapists change it; clinic staff may read it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from patients import services
from patients.goal_forms import CareGoalForm, CertificationForm
from patients.goals import goal_progress
from patients.models import CareGoal, Episode
from rehab_clinic.accounts.decorators import staff_required, therapist_required
from rehab_clinic.accounts.requests import StaffRequest
from rehab_clinic.audit.services import record_read


def _episode(request: StaffRequest, pk: int) -> Episode:
    return get_object_or_404(
        Episode.objects.visible_to(request.user).select_related("patient__clinic"), pk=pk
    )


def _goal(request: StaffRequest, pk: int) -> CareGoal:
    return get_object_or_404(
        CareGoal.objects.visible_to(request.user)
        .current()
        .select_related("episode__patient__clinic"),
        pk=pk,
    )


def _page(
    request: StaffRequest,
    episode: Episode,
    *,
    goal_form: CareGoalForm | None = None,
    certification_form: CertificationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "episode": episode,
        "patient": episode.patient,
        "goals": goal_progress(episode, as_of=episode.patient.clinic.today()),
        "goal_form": goal_form or CareGoalForm(episode=episode),
        "certification_form": certification_form or CertificationForm(instance=episode),
    }
    return render(request, "patients/plan_of_care.html", context, status=status)


@staff_required
@require_GET
def plan_of_care(request: StaffRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    record_read(by=request.user, patient=episode.patient, obj=episode, detail="plan of care")
    return _page(request, episode)


@therapist_required
@require_POST
def goal_add(request: StaffRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    form = CareGoalForm(request.POST, episode=episode)
    if not form.is_valid():
        return _page(request, episode, goal_form=form, status=400)
    services.save_goal(goal=form.save(commit=False), episode=episode, by=request.user)
    messages.success(request, "Goal added to the plan of care.")
    return redirect("patients:plan_of_care", pk=episode.pk)


@therapist_required
@require_POST
def certification_save(request: StaffRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    form = CertificationForm(request.POST, instance=episode)
    if not form.is_valid():
        return _page(request, episode, certification_form=form, status=400)
    services.save_episode(
        episode=form.save(commit=False),
        patient=episode.patient,
        changed=form.changed_data,
        by=request.user,
    )
    messages.success(request, "Certification saved.")
    return redirect("patients:plan_of_care", pk=episode.pk)


@therapist_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: StaffRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    episode = goal.episode
    form = CareGoalForm(request.POST or None, instance=goal, episode=episode)
    if request.method == "POST" and form.is_valid():
        services.save_goal(goal=form.save(commit=False), episode=episode, by=request.user)
        messages.success(request, "Goal saved.")
        return redirect("patients:plan_of_care", pk=episode.pk)
    if request.method == "GET":
        record_read(by=request.user, patient=episode.patient, obj=goal)
    context = {"form": form, "goal": goal, "episode": episode, "patient": episode.patient}
    return render(request, "patients/goal_form.html", context, status=400 if form.is_bound else 200)


@therapist_required
@require_POST
def goal_remove(request: StaffRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    services.remove_goal(goal=goal, by=request.user)
    messages.success(request, "Goal removed from the plan of care.")
    return redirect("patients:plan_of_care", pk=goal.episode_id)
