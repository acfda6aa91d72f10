"""Reads of the messages, each through the patient gate (`visible_to`), each a fixed number of
queries: the thread pages, the portal's menu count, Today's queue, the episode page's panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.urls import reverse

from patients.hooks import Queue, QueueItem, take
from patients.models import Episode, Patient
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.prepared import PreparedCount
from rehab_clinic.messaging.models import Message, Side, Thread

__all__ = [
    "PANEL_SHOWN",
    "THREAD_SHOWN",
    "current_episode",
    "patient_unread_count",
    "thread_context",
    "unread_messages_queue",
    "visible_messages",
]

THREAD_SHOWN = 100  # the newest messages a thread page shows; older ones stay in the record
PANEL_SHOWN = 5


def visible_messages(user: User) -> QuerySet[Message]:
    return Message.objects.filter(thread__episode__in=Episode.objects.visible_to(user))


def thread_of(episode: Episode) -> Thread | None:
    return Thread.objects.filter(episode=episode).first()


def current_episode(patient: Patient) -> Episode | None:
    """The episode the patient writes about: the newest active one, else the newest."""
    return patient.episodes.active().first() or patient.episodes.first()


def newest(thread: Thread | None, limit: int) -> list[Message]:
    if thread is None:
        return []
    rows = list(thread.messages.select_related("author").order_by("-created_at", "-id")[:limit])
    return rows[::-1]


def thread_context(episode: Episode, side: str, limit: int = THREAD_SHOWN) -> dict[str, Any]:
    """What the thread fragment shows, for the patient's side or the clinic's."""
    thread = thread_of(episode)
    shown = newest(thread, limit)
    return {
        "episode": episode,
        "thread": thread,
        "thread_messages": shown,
        "more": bool(thread) and len(shown) == limit,
        "unread": thread is not None and thread.unread_for(side),
        "side": side,
        "open": episode.is_active,
        "clinic": episode.patient.clinic,
    }


def _unread_by_patient(user: User) -> QuerySet[Message]:
    read_at = "thread__patient_read_at"
    unread = Q(**{f"{read_at}__isnull": True}) | Q(created_at__gt=F(read_at))
    return Message.objects.filter(
        thread__episode__patient__in=Patient.objects.own_record(user), side=Side.CLINIC
    ).filter(unread)


# Every portal page's menu counts them: the SQL (through the same gate, for an active patient)
# is compiled once per process (accounts/prepared.py).
_UNREAD_BY_PATIENT = PreparedCount(
    lambda pk: _unread_by_patient(User(pk=pk, role=User.Role.PATIENT, is_active=True))
)


def patient_unread_count(user: User) -> int:
    """One query: the clinic's messages the patient has not opened (the portal menu's count)."""
    if not getattr(user, "is_patient", False):
        return 0
    if user.is_active:
        return _UNREAD_BY_PATIENT.count(user.pk)
    return _unread_by_patient(user).count()


def unread_messages_queue(user: User, today: dt.date, limit: int | None) -> Queue:
    """Threads of the therapist's patients with a message nobody at the clinic has read: the
    one waiting longest (its oldest unread message) first. Two queries whatever the clinic
    holds (the count of unread messages is part of the first)."""
    episodes = Episode.objects.filter(patient__in=Patient.objects.visible_to(user).in_care_of(user))
    unread = Q(messages__side=Side.PATIENT) & (
        Q(clinic_read_at__isnull=True) | Q(messages__created_at__gt=F("clinic_read_at"))
    )
    waiting = (
        Thread.objects.of_episodes(episodes)
        .unread_by_clinic()
        .annotate(waiting=Count("messages", filter=unread))
        .annotate(since=Min("messages__created_at", filter=unread))
        .select_related("episode__patient")
        .order_by("since", "id")
    )
    rows, count = take(waiting, limit)
    zone = user.clinic.zone if user.clinic is not None else dt.UTC
    return Queue(
        key="messages",
        title="Unread messages",
        rule="A patient wrote and nobody at the clinic has opened the thread since.",
        items=[
            QueueItem(
                patient=thread.episode.patient,
                title="1 new message" if thread.waiting == 1 else f"{thread.waiting} new messages",
                url=reverse("messaging:thread", args=[thread.episode_id]),
                detail=f"About {thread.episode.label}",
                when=thread.since.astimezone(zone).date() if thread.since else None,
            )
            for thread in rows
        ],
        count=count,
    )
