"""The patient's side of the messages, under /portal/: the thread of their current episode (or
of an earlier one, read-only once discharged), the message box, marking read, photos."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from patients.models import Episode
from patients.portal import portal_patient
from rehab_clinic.accounts.decorators import patient_required
from rehab_clinic.accounts.requests import PatientRequest
from rehab_clinic.accounts.submissions import submitted_once
from rehab_clinic.audit.services import record_read
from rehab_clinic.messaging import services
from rehab_clinic.messaging.forms import MessageForm
from rehab_clinic.messaging.models import Side, Thread
from rehab_clinic.messaging.queries import current_episode, thread_context, thread_of
from rehab_clinic.messaging.replies import mark_read_from_post, photo_response

SENT = "Your message was sent. Your clinic will reply here; we email you when they do."


def _own_episode(request: PatientRequest, pk: int) -> Episode:
    return get_object_or_404(
        Episode.objects.visible_to(request.user).select_related("patient__clinic"), pk=pk
    )


def _page(
    request: PatientRequest, episode: Episode | None, form: MessageForm, status: int = 200
) -> HttpResponse:
    patient = portal_patient(request)
    context = {"patient": patient, "form": form, "episode": episode, "clinic": patient.clinic}
    if episode is not None:
        record_read(by=request.user, patient=patient, obj=episode, detail="messages read")
        context |= thread_context(episode, Side.PATIENT)
        context["other_threads"] = (
            Thread.objects.filter(episode__patient=patient)
            .exclude(episode=episode)
            .select_related("episode")
            .order_by("-episode__created_at")
        )
    return render(request, "messaging/portal_thread.html", context, status=status)


@patient_required
@require_GET
def portal_thread(request: PatientRequest) -> HttpResponse:
    return _page(request, current_episode(portal_patient(request)), MessageForm())


@patient_required
@require_GET
def portal_episode_thread(request: PatientRequest, pk: int) -> HttpResponse:
    return _page(request, _own_episode(request, pk), MessageForm())


@patient_required
@require_POST
@submitted_once
def portal_send(request: PatientRequest, pk: int) -> HttpResponse:
    episode = _own_episode(request, pk)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, episode, form)
    try:
        services.send_message(
            episode=episode,
            by=request.user,
            body=form.cleaned_data["body"],
            photo=form.cleaned_data["photo"],
        )
    except services.MessageRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, SENT)
    return redirect("messaging:portal_episode_thread", pk=episode.pk)


@patient_required
@require_POST
def portal_mark_read(request: PatientRequest, pk: int) -> HttpResponse:
    episode = _own_episode(request, pk)
    mark_read_from_post(request, thread_of(episode))
    if request.htmx:
        return HttpResponse("")  # the "Mark as read" form is swapped away
    return redirect("messaging:portal_episode_thread", pk=episode.pk)


@patient_required
@require_GET
def portal_photo(request: PatientRequest, pk: int) -> FileResponse:
    return photo_response(request, pk)
