"""Therapist pages for patients and episodes, and the patient's own portal home."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from patients import services
from patients.forms import (
    ArchiveForm,
    DischargeForm,
    EpisodeForm,
    PatientContactForm,
    PatientForm,
)
from patients.hooks import registry, render_panels, timeline_for
from patients.models import Episode, Patient
from patients.portal import portal_patient
from rehab_clinic.accounts import services as account_services
from rehab_clinic.accounts.decorators import patient_required, staff_required, therapist_required
from rehab_clinic.accounts.paging import page_of
from rehab_clinic.accounts.requests import PatientRequest, StaffRequest
from rehab_clinic.accounts.submissions import submitted_once
from rehab_clinic.audit.services import record_read


@therapist_required
@require_http_methods(["GET", "POST"])
def patient_create(request: StaffRequest) -> HttpResponse:
    # A new patient is the creating therapist's unless they choose someone else.
    form = PatientForm(
        request.POST or None,
        clinic=request.user.home_clinic,
        initial={"primary_therapist": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        patient = services.save_patient(patient=form.save(commit=False), by=request.user)
        messages.success(request, f"{patient.full_name} was added.")
        return redirect("patients:chart", pk=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "patient": None})


@therapist_required
@require_http_methods(["GET", "POST"])
def patient_edit(request: StaffRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    form = PatientForm(request.POST or None, instance=patient, clinic=request.user.home_clinic)
    if request.method == "POST" and form.is_valid():
        services.save_patient(
            patient=form.save(commit=False), changed=form.changed_data, by=request.user
        )
        messages.success(request, "Patient details saved.")
        return redirect("patients:chart", pk=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "patient": patient})


@staff_required
@require_GET
def patient_chart(request: StaffRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(
        Patient.objects.visible_to(request.user).select_related(
            "primary_therapist", "user", "clinic"
        ),
        pk=pk,
    )
    record_read(by=request.user, patient=patient, obj=patient)
    episodes = patient.episodes.all()
    context = {
        "patient": patient,
        "episodes": episodes,
        "timeline": timeline_for(patient),
        "archive_form": ArchiveForm(),
        "panels": render_panels(registry.chart, request.user, patient),
    }
    return render(request, "patients/patient_chart.html", context)


@therapist_required
@require_POST
def patient_archive(request: StaffRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for archiving this patient.")
        return redirect("patients:chart", pk=patient.pk)
    services.archive_patient(patient=patient, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, f"{patient.full_name} was archived. The record is kept.")
    return redirect("patients:caseload")


ARCHIVE_PAGE = 25


@staff_required
@require_GET
def archived_list(request: StaffRequest) -> HttpResponse:
    """The clinic's archived patients, newest archived first: kept, hidden from every other list,
    and restored from here (an archive by mistake, a former patient who comes back)."""
    archived = (
        Patient.objects.visible_to(request.user, archived=True)
        .select_related("archived_by")
        .order_by("-archived_at", "-pk")
    )
    page = page_of(request, archived, ARCHIVE_PAGE)
    record_read(by=request.user, detail="archived patients")
    return render(request, "patients/archived_list.html", {"page": page})


@staff_required
@require_POST
def patient_restore(request: StaffRequest, pk: int) -> HttpResponse:
    patient = Patient.objects.visible_to(request.user, archived=True).filter(pk=pk).first()
    if patient is None:  # a double tap, or restored in another tab: nothing left to undo
        patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
        messages.info(request, f"{patient.full_name} is already in the caseload.")
        return redirect("patients:chart", pk=patient.pk)
    services.restore_patient(patient=patient, by=request.user)
    messages.success(request, f"{patient.full_name} is back in the caseload.")
    return redirect("patients:chart", pk=patient.pk)


@therapist_required
@require_http_methods(["GET", "POST"])
def episode_create(request: StaffRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    form = EpisodeForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        episode = services.save_episode(
            episode=form.save(commit=False), patient=patient, by=request.user
        )
        messages.success(request, "Episode of care opened.")
        return redirect("patients:episode", pk=episode.pk)
    return render(request, "patients/episode_form.html", {"form": form, "patient": patient})


@therapist_required
@require_http_methods(["GET", "POST"])
def episode_edit(request: StaffRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(
        Episode.objects.visible_to(request.user).select_related("patient"), pk=pk
    )
    form = EpisodeForm(request.POST or None, instance=episode)
    if request.method == "POST" and form.is_valid():
        services.save_episode(
            episode=form.save(commit=False),
            patient=episode.patient,
            changed=form.changed_data,
            by=request.user,
        )
        messages.success(request, "Episode saved.")
        return redirect("patients:episode", pk=episode.pk)
    context = {"form": form, "patient": episode.patient, "episode": episode}
    return render(request, "patients/episode_form.html", context)


@staff_required
@require_GET
def episode_detail(request: StaffRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(
        Episode.objects.visible_to(request.user).select_related("patient", "patient__clinic"), pk=pk
    )
    record_read(by=request.user, patient=episode.patient, obj=episode)
    context = {
        "episode": episode,
        "patient": episode.patient,
        "discharge_form": DischargeForm(episode=episode),
        "panels": render_panels(registry.episode, request.user, episode),
    }
    return render(request, "patients/episode_detail.html", context)


@staff_required
@require_GET
def episode_charts(request: StaffRequest, pk: int) -> HttpResponse:
    """Every trend of one episode on one page, each chart from the app that owns its data."""
    episode = get_object_or_404(
        Episode.objects.visible_to(request.user).select_related("patient", "patient__clinic"), pk=pk
    )
    record_read(by=request.user, patient=episode.patient, obj=episode)
    charts = [c for provider in registry.episode_charts for c in provider(request.user, episode)]
    context = {
        "episode": episode,
        "patient": episode.patient,
        "charts": sorted(charts, key=lambda chart: chart.order),
    }
    return render(request, "patients/episode_charts.html", context)


@therapist_required
@require_http_methods(["GET", "POST"])
def episode_discharge(request: StaffRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(
        Episode.objects.visible_to(request.user).select_related("patient"), pk=pk
    )
    if not episode.is_active:
        messages.info(request, "This episode is already discharged.")
        return redirect("patients:episode", pk=episode.pk)
    form = DischargeForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        services.discharge_episode(
            episode=episode,
            on=form.cleaned_data["discharged_on"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, "Episode discharged.")
        return redirect("patients:episode", pk=episode.pk)
    context = {"form": form, "episode": episode, "patient": episode.patient}
    return render(request, "patients/episode_discharge.html", context)


@patient_required
@require_GET
def portal_home(request: PatientRequest) -> HttpResponse:
    patient = portal_patient(request)
    record_read(by=request.user, patient=patient, obj=patient)
    context = {
        "patient": patient,
        "episodes": patient.episodes.filter(status=Episode.Status.ACTIVE),
        "panels": render_panels(registry.portal, request.user),
    }
    return render(request, "patients/portal_home.html", context)


@patient_required
@require_http_methods(["GET", "POST"])
def portal_contact(request: PatientRequest) -> HttpResponse:
    patient = portal_patient(request)
    form = PatientContactForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        services.save_patient(
            patient=form.save(commit=False), changed=form.changed_data, by=request.user
        )
        messages.success(request, "Your details were saved.")
        return redirect("portal:home")
    return render(request, "patients/portal_contact.html", {"form": form, "patient": patient})


@therapist_required
@require_POST
@submitted_once
def patient_invite(request: StaffRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    try:
        account_services.invite_patient(
            patient=patient,
            by=request.user,
            base_url=request.build_absolute_uri("/"),
        )
    except account_services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"An invitation was emailed to {patient.email}.")
    return redirect("patients:chart", pk=patient.pk)
