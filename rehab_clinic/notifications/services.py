"""Raising alerts, the emails about them, the daily digest, marking read, choosing.

`raise_alert` is what a feature app calls in its own transaction when something a therapist
must know about happened (return to run calls it after a run log or check-in is saved, and from
the daily check for runners who went quiet). It writes one `Notification` per recipient, at most
one a clinic day per patient and reason (the unique constraint; a twin racing it finds the row
and does nothing), and queues the email through the outbox when the recipient wants it at once.
The digest task queues one email a day per person at their chosen hour in the clinic's zone.

No email says who or why: "A patient of yours needs attention" and a link to sign in
(docs/notifications.md says why).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from patients.models import Episode, Patient
from rehab_clinic.accounts.models import User
from rehab_clinic.audit.models import AuditEvent
from rehab_clinic.audit.services import record_event
from rehab_clinic.notifications.models import (
    AlertPreference,
    Delivery,
    DigestRun,
    Notification,
    Reason,
)
from rehab_clinic.outbox.mail import queue_email

__all__ = [
    "ALERT_SUBJECT",
    "mark_all_read",
    "mark_read",
    "preference_of",
    "raise_alert",
    "recipients_for",
    "save_preferences",
    "send_digests",
    "unread_count",
    "visible_notifications",
]

ALERT_SUBJECT = "A patient of yours needs attention"
DIGEST_SUBJECT = "Patients of yours need attention"


def _therapists(clinic_id: int) -> QuerySet[User]:
    return User.objects.filter(clinic_id=clinic_id, role=User.Role.THERAPIST, is_active=True)


def recipients_for(patient: Patient, episode: Episode | None = None) -> list[User]:
    """The patient's primary therapist; else the therapist who opened the episode; else every
    active therapist of the clinic (an alert nobody receives helps no one)."""
    for candidate in (
        patient.primary_therapist,
        getattr(episode, "created_by", None) if episode is not None else None,
    ):
        if (
            candidate is not None
            and candidate.is_active
            and candidate.role == User.Role.THERAPIST
            and candidate.clinic_id == patient.clinic_id
        ):
            return [candidate]
    return list(_therapists(patient.clinic_id).order_by("id"))


def preference_of(user: User) -> AlertPreference:
    """The user's choices (unsaved defaults when they never chose)."""
    try:
        return user.alert_preference
    except AlertPreference.DoesNotExist:
        return AlertPreference(user=user)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _alert_body(user: User, notification: Notification) -> str:
    return (
        f"Hello {user.full_name},\n\n"
        "A patient of yours needs attention. Sign in to see who and why:\n\n"
        f"{_absolute(reverse('notifications:list'))}\n\n"
        "This email names no patient and no clinical detail on purpose; it is all in the app.\n"
        "To choose which alerts you get and how, sign in and open Notifications, then Choices.\n"
    )


def raise_alert(
    *,
    patient: Patient,
    reason: str | list[str],
    link: str,
    episode: Episode | None = None,
    by: User | None = None,
    unless_since: dt.date | None = None,
) -> list[Notification]:
    """Notify the patient's therapist about each reason, once a clinic day; returns what is new.

    One save that raises several reasons (a limp that also stepped the runner back) sends each
    recipient one email. `by` (who made the entry) is not told about their own entry. With
    `unless_since`, a recipient already told about a reason after that day is not told again
    (a runner who stays quiet raises "no activity" once, not every day).
    """
    reasons = [reason] if isinstance(reason, str) else list(reason)
    if (
        any(r not in Reason.values for r in reasons)
        or not link.startswith("/")
        or link.startswith("//")
    ):
        raise ValueError(f"Not an alert: {reasons!r} -> {link!r}")
    day = patient.clinic.today()
    created = []
    for user in recipients_for(patient, episode):
        if by is not None and user.pk == getattr(by, "pk", None):
            continue
        preference = preference_of(user)
        to_email = []
        for one in reasons:
            delivery = preference.delivery_for(one)
            if delivery == Delivery.OFF:
                continue
            if (
                unless_since is not None
                and Notification.objects.filter(
                    recipient=user, patient=patient, reason=one, day__gt=unless_since
                ).exists()
            ):
                continue
            try:
                with transaction.atomic():  # a savepoint: a twin's row ends only this insert
                    notification = Notification.objects.create(
                        clinic_id=patient.clinic_id,
                        recipient=user,
                        patient=patient,
                        reason=one,
                        day=day,
                        link=link,
                        delivery=delivery,
                    )
            except IntegrityError:
                continue  # already told today
            created.append(notification)
            if delivery == Delivery.IMMEDIATE:
                to_email.append(notification)
        if to_email:
            queue_email(to=user.email, subject=ALERT_SUBJECT, body=_alert_body(user, to_email[0]))
            Notification.objects.filter(pk__in=[n.pk for n in to_email]).update(
                emailed_at=timezone.now()
            )
    return created


def _digest_body(user: User, count: int) -> str:
    alerts = "1 alert" if count == 1 else f"{count} alerts"
    return (
        f"Hello {user.full_name},\n\n"
        f"Patients of yours need attention: {alerts} since your last digest. Sign in to see them:"
        f"\n\n{_absolute(reverse('notifications:list'))}\n\n"
        "This email names no patient and no clinical detail on purpose; it is all in the app.\n"
    )


def send_digests(*, now: dt.datetime | None = None) -> int:
    """Queue each person's daily digest once their chosen hour has come in their clinic's zone
    (a missed beat, or an hour that a DST change skips, sends at the next run that day); at most
    one a clinic day. Returns how many were queued."""
    now = now or timezone.now()
    waiting: dict[int, list[Notification]] = {}
    users: dict[int, User] = {}
    pending = Notification.objects.filter(
        delivery=Delivery.DIGEST, emailed_at=None, recipient__is_active=True
    ).select_related("recipient__clinic", "recipient__alert_preference")
    for notification in pending:
        waiting.setdefault(notification.recipient_id, []).append(notification)
        users[notification.recipient_id] = notification.recipient
    queued = 0
    for user_id, notifications in waiting.items():
        user = users[user_id]
        if user.clinic is None:
            continue
        local = now.astimezone(user.clinic.zone)
        if local.hour < preference_of(user).digest_hour:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    DigestRun.objects.create(recipient=user, day=local.date())
            except IntegrityError:
                continue  # today's digest went already; these wait for tomorrow's
            queue_email(
                to=user.email, subject=DIGEST_SUBJECT, body=_digest_body(user, len(notifications))
            )
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
        queued += 1
    return queued


def visible_notifications(user: User) -> QuerySet[Notification]:
    """The user's own notifications, at their clinic, about patients they may still see."""
    if not getattr(user, "is_clinic_staff", False) or user.clinic_id is None:
        return Notification.objects.none()
    return Notification.objects.filter(
        recipient=user,
        clinic_id=user.clinic_id,
        patient__in=Patient.objects.visible_to(user).values("pk"),
    )


def unread_count(user: User) -> int:
    """One query: the number beside Notifications in the menu."""
    return visible_notifications(user).filter(read_at=None).count()


def mark_read(*, notification: Notification, by: User) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())


def mark_all_read(*, by: User) -> int:
    return visible_notifications(by).filter(read_at=None).update(read_at=timezone.now())


@transaction.atomic
def save_preferences(
    *, user: User, deliveries: dict[str, str], digest_hour: int
) -> AlertPreference:
    preference, _ = AlertPreference.objects.update_or_create(
        user=user, defaults={"deliveries": deliveries, "digest_hour": digest_hour}
    )
    record_event(
        user=user,
        action=AuditEvent.Action.CHANGE,
        obj=preference,
        detail="alert choices changed",
    )
    return preference
