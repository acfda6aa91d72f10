"""The runner's calendar link: a secret URL a calendar app subscribes to (docs/calendar.md).

Only the SHA-256 of the token is stored, so the database cannot give the link away; the runner
sees the link once, when it is made. Revoking sets `revoked_at`; a new link revokes the old one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from patients.models import Patient

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = ["CalendarFeed", "hash_feed_token"]


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def visible_to(self, user: User) -> CalendarFeedQuerySet:
        return self.filter(patient__in=Patient.objects.visible_to(user))

    def live(self) -> CalendarFeedQuerySet:
        return self.filter(revoked_at__isnull=True)

    def find(self, token: str) -> CalendarFeed | None:
        """The live link a token opens, or None. The lookup is by the hash's unique index; the
        hashes are then compared in constant time, so timing says nothing about near misses."""
        if not 20 <= len(token) <= 100:
            return None
        wanted = hash_feed_token(token)
        feed = self.live().filter(token_hash=wanted).select_related("patient__user").first()
        if feed is None or not hmac.compare_digest(feed.token_hash, wanted):
            return None
        return feed


class CalendarFeed(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(revoked_at__isnull=True),
                name="rtr_one_live_calendar_feed_per_patient",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar link made {self.created_at:%Y-%m-%d}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_feed_token(token)
