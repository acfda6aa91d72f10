"""Making and revoking the runner's calendar link (docs/calendar.md). Each change is audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from patients.models import Patient
from programs.running.calendar_models import CalendarFeed
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event

if TYPE_CHECKING:
    from rehab_clinic.accounts.models import User

__all__ = ["make_calendar_link", "revoke_calendar_link"]


def _revoke_live(patient: Patient) -> list[CalendarFeed]:
    # The patient's row is the lock: with no live link there is no link row to lock, and two
    # taps at once would both insert one, the second breaking the one-live-link constraint.
    list(Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk"))
    live = list(CalendarFeed.objects.select_for_update().filter(patient=patient).live())
    for feed in live:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return live


@transaction.atomic
def make_calendar_link(*, patient: Patient, by: User) -> tuple[CalendarFeed, str]:
    """A new secret link; the one before stops working. Returns the row and the token, which
    is not stored (only its hash) and so can be shown this once."""
    replaced = _revoke_live(patient)
    token, token_hash = CalendarFeed.new_token()
    feed = CalendarFeed.objects.create(patient=patient, token_hash=token_hash, created_by=by)
    record_event(
        user=by,
        action=AuditEvent.Action.CREATE,
        patient=patient,
        obj=feed,
        detail="Calendar link made" + (" (the old link stops working)" if replaced else ""),
    )
    return feed, token


@transaction.atomic
def revoke_calendar_link(*, patient: Patient, by: User) -> bool:
    """Stop the live link; False when there was none (nothing is recorded then)."""
    revoked = _revoke_live(patient)
    for feed in revoked:
        record_event(
            user=by,
            action=AuditEvent.Action.CHANGE,
            patient=patient,
            obj=feed,
            detail="Calendar link turned off",
        )
    return bool(revoked)
