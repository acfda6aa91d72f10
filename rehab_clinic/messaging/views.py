"""The clinic's side of an episode's messages: the thread, the reply, marking read, photos."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from patients.models import Episode
from rehab_clinic.accounts.decorators import staff_required, therapist_required
from rehab_clinic.accounts.requests import StaffRequest
from rehab_clinic.accounts.submissions import submitted_once
from rehab_clinic.audit.services import record_read
from rehab_clinic.messaging import services
from rehab_clinic.messaging.forms import MessageForm
from rehab_clinic.messaging.models import Side
from rehab_clinic.messaging.queries import thread_context, thread_of
from rehab_clinic.messaging.replies import mark_read_from_post, photo_response

SENT = "Your reply was sent. The patient gets an email saying there is a message."


def _episode(request: StaffRequest, pk: int) -> Episode:
    return get_object_or_404(
        Episode.objects.visible_to(request.user).select_related("patient__clinic"), pk=pk
    )


def _page(
    request: StaffRequest, episode: Episode, form: MessageForm, status: int = 200
) -> HttpResponse:
    record_read(by=request.user, patient=episode.patient, obj=episode, detail="messages read")
    context = {
        **thread_context(episode, Side.CLINIC),
        "patient": episode.patient,
        "form": form,
        "can_send": request.user.is_therapist,
    }
    return render(request, "messaging/thread.html", context, status=status)


@staff_required
@require_GET
def thread(request: StaffRequest, pk: int) -> HttpResponse:
    return _page(request, _episode(request, pk), MessageForm())


@therapist_required
@require_POST
@submitted_once
def send(request: StaffRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
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
    return redirect("messaging:thread", pk=episode.pk)


@therapist_required
@require_POST
def mark_read(request: StaffRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    mark_read_from_post(request, thread_of(episode))
    if request.htmx:
        return HttpResponse("")  # the "Mark as read" form is swapped away
    return redirect("messaging:thread", pk=episode.pk)


@staff_required
@require_GET
def photo(request: StaffRequest, pk: int) -> FileResponse:
    return photo_response(request, pk)
