"""Sending a message and marking a thread read.

`send_message` writes the message and its audit event in one transaction and tells the other
side: the patient by an email that says only that there is a message and where to read it; the
patient's therapist on Today, and by an email just as bare. No email ever carries the message,
a photo, a diagnosis or the episode's name (docs/messaging.md says why).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from patients.models import Episode
from rehab_clinic.accounts.limits import MESSAGE
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.messaging.models import Message, Side, Thread
from rehab_clinic.notifications.services import recipients_for
from rehab_clinic.outbox.mail import queue_email
from rehab_clinic.push.tasks import push_later

__all__ = [
    "CLOSED",
    "PATIENT_SUBJECT",
    "THERAPIST_SUBJECT",
    "MessageRefused",
    "mark_thread_read",
    "send_message",
    "side_of",
]

CLOSED = (
    "This episode of care is closed, so no new messages can be sent here. The messages are kept "
    "and you can still read them."
)
PATIENT_SUBJECT = "You have a new message from your clinic"
THERAPIST_SUBJECT = "A patient sent a message"


class MessageRefused(ValueError):
    """Not sent; the message says why in words a person can act on."""


def side_of(user: User) -> str:
    return Side.PATIENT if user.is_patient else Side.CLINIC


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _tell_patient(episode: Episode) -> None:
    account = episode.patient.user
    if account is None or not account.is_active:
        return
    clinic = episode.patient.clinic
    queue_email(
        to=account.email,
        subject=PATIENT_SUBJECT,
        body=(
            f"Hello {episode.patient.first_name},\n\n"
            f"{clinic.name} sent you a message. Sign in to read it:\n\n"
            f"{_absolute(reverse('messaging:portal_thread'))}\n\n"
            "For your privacy this email does not include the message.\n"
        ),
    )
    push_later(
        account,
        title=clinic.name,
        body="You have a new message. Open it in your portal.",
        url=reverse("messaging:portal_thread"),
    )


def _tell_therapists(episode: Episode, by: User) -> None:
    for user in recipients_for(episode.patient, episode):
        if user.pk == by.pk:
            continue
        queue_email(
            to=user.email,
            subject=THERAPIST_SUBJECT,
            body=(
                f"Hello {user.full_name},\n\n"
                "A patient sent a message. It waits under Unread messages on your Today page:\n\n"
                f"{_absolute(reverse('patients:today'))}\n\n"
                "This email names no patient and carries no message on purpose.\n"
            ),
        )


@transaction.atomic
def send_message(
    *, episode: Episode, by: User, body: str, photo: ContentFile[bytes] | None = None
) -> Message:
    """Add a message to the episode's thread (made with the first message). Refused once the
    episode is discharged, when empty or too long, and for anyone who is not a party to it."""
    # The episode's row lock: a discharge saved meanwhile is seen, and one thread is made.
    locked = (
        Episode.objects.select_for_update(of=("self",))
        .select_related("patient__clinic")
        .get(pk=episode.pk)
    )
    side = side_of(by)
    party = (
        locked.patient.user_id == by.pk
        if side == Side.PATIENT
        else by.is_clinic_staff and by.clinic_id == locked.patient.clinic_id
    )
    if not party or not by.is_active:
        raise MessageRefused("Only the patient and their clinic can write in this thread.")
    if not locked.is_active:
        raise MessageRefused(CLOSED)
    body = body.strip()
    if not body and photo is None:
        raise MessageRefused("Write a message or add a photo.")
    if len(body) > MESSAGE:
        raise MessageRefused(f"Keep a message to {MESSAGE:,} characters or fewer.")
    thread, _ = Thread.objects.get_or_create(episode=locked)
    now = timezone.now()
    message = Message(thread=thread, author=by, side=side, body=body, created_at=now)
    if photo is not None:
        message.photo.save(photo.name or "photo.jpg", photo, save=False)
    message.save()
    # The writer has read everything up to their own message.
    if side == Side.PATIENT:
        Thread.objects.filter(pk=thread.pk).update(last_patient_message_at=now, patient_read_at=now)
    else:
        Thread.objects.filter(pk=thread.pk).update(last_clinic_message_at=now, clinic_read_at=now)
    record_event(
        user=by,
        action=AuditEvent.Action.CREATE,
        patient=locked.patient,
        obj=message,
        detail=f"message sent by the {side}" + (" with a photo" if photo is not None else ""),
    )
    if side == Side.CLINIC:
        _tell_patient(locked)
    else:
        _tell_therapists(locked, by)
    return message


def mark_thread_read(*, thread: Thread, by: User, seen_until: dt.datetime) -> bool:
    """Move the reader's side's marker up to `seen_until` (the newest message the page showed,
    so one that arrived since stays unread); never back. True when it moved."""
    field = "patient_read_at" if side_of(by) == Side.PATIENT else "clinic_read_at"
    later = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": seen_until})
    return bool(Thread.objects.filter(later, pk=thread.pk).update(**{field: seen_until}))
