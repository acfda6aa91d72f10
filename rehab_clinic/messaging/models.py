"""Secure messages: one thread per episode of care between the patient and the clinic.

A `Thread` keeps, per side, when the other side last wrote and up to when this side has read,
so "unread" is a question about one row (Today's queue and the portal's menu count read no
messages to answer it). A `Message` is part of the record: never edited or deleted, kept after
discharge, when the thread turns read-only (the episode's status decides, nothing is copied).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from rehab_clinic.accounts.limits import MESSAGE

if TYPE_CHECKING:
    from patients.models import Episode

__all__ = ["Message", "Side", "Thread", "ThreadQuerySet"]


class Side(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINIC = "clinic", "Clinic"


def _unread(last: str, read: str) -> models.Q:
    return models.Q(**{f"{last}__isnull": False}) & (
        models.Q(**{f"{read}__isnull": True}) | models.Q(**{f"{last}__gt": models.F(read)})
    )


class ThreadQuerySet(models.QuerySet["Thread"]):
    def of_episodes(self, episodes: models.QuerySet[Episode]) -> ThreadQuerySet:
        """Threads of these episodes (a queryset already through `visible_to`)."""
        return self.filter(episode__in=episodes)

    def unread_by_clinic(self) -> ThreadQuerySet:
        return self.filter(_unread("last_patient_message_at", "clinic_read_at"))

    def unread_by_patient(self) -> ThreadQuerySet:
        return self.filter(_unread("last_clinic_message_at", "patient_read_at"))


class Thread(models.Model):
    episode = models.OneToOneField(
        "patients.Episode", on_delete=models.PROTECT, related_name="message_thread"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_patient_message_at = models.DateTimeField(null=True, blank=True)
    last_clinic_message_at = models.DateTimeField(null=True, blank=True)
    # Up to when each side has read (the newest message it was shown); None: never opened.
    patient_read_at = models.DateTimeField(null=True, blank=True)
    clinic_read_at = models.DateTimeField(null=True, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["last_patient_message_at"],
                condition=models.Q(last_patient_message_at__isnull=False),
                name="thread_patient_wrote",
            )
        ]

    def __str__(self) -> str:
        return f"Messages of episode {self.episode_id}"

    def unread_for(self, side: str) -> bool:
        last, read = (
            (self.last_patient_message_at, self.clinic_read_at)
            if side == Side.CLINIC
            else (self.last_clinic_message_at, self.patient_read_at)
        )
        return last is not None and (read is None or last > read)


def _photo_path(message: Message, filename: str) -> str:
    # Private media: read only through the access-checked photo views, never from MEDIA_URL.
    return f"message-photos/{message.thread_id}/{secrets.token_hex(8)}.jpg"


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    body = models.TextField(blank=True, max_length=MESSAGE)
    photo = models.FileField(upload_to=_photo_path, blank=True, max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(body="") | ~models.Q(photo=""),
                name="message_has_words_or_a_photo",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MESSAGE), name="message_body_limited"
            ),
        ]

    def __str__(self) -> str:
        # No body here: this is what the audit trail and logs show of a message.
        return f"Message {self.pk} of thread {self.thread_id}"

    @property
    def from_patient(self) -> bool:
        return self.side == Side.PATIENT
