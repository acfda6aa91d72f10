"""What the clinic's and the patient's pages share: marking read from a POST, serving a photo."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from rehab_clinic.accounts.requests import AuthedRequest
from rehab_clinic.audit.services import record_read
from rehab_clinic.messaging import services
from rehab_clinic.messaging.models import Thread
from rehab_clinic.messaging.queries import visible_messages

__all__ = ["mark_read_from_post", "photo_response"]


def mark_read_from_post(request: AuthedRequest, thread: Thread | None) -> None:
    """Up to the message the page showed last (`upto`, its id; without one, the newest); a
    thread with no messages, or an id not of this thread, marks nothing."""
    if thread is None:
        return
    upto = request.POST.get("upto", "")
    if not upto:
        shown = thread.messages.order_by("-created_at", "-id").first()
    elif upto.isdigit() and len(upto) < 10:
        shown = thread.messages.filter(pk=int(upto)).first()
    else:
        shown = None
    if shown is not None:
        services.mark_thread_read(thread=thread, by=request.user, seen_until=shown.created_at)


def photo_response(request: AuthedRequest, pk: int) -> FileResponse:
    """A message's photo, to the parties of its thread only; anyone else gets 404."""
    message = get_object_or_404(
        visible_messages(request.user).exclude(photo="").select_related("thread__episode__patient"),
        pk=pk,
    )
    try:
        stored = message.photo.open("rb")  # through the media storage: disk or bucket
    except OSError:
        raise Http404("No photo") from None
    record_read(by=request.user, patient=message.thread.episode.patient, obj=message)
    response = FileResponse(stored, content_type="image/jpeg")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
