"""How a due reminder reaches the patient: every registered channel is asked in turn.

`deliver(kind, patient, when)` is what the beat job calls once it has taken the day's
`SentReminder` row. Email and web push (the patient's phones that turned notifications on,
rehab_clinic/push) are built in; another channel adds itself with `register_channel`. A sender
takes (kind, patient, when) and returns whether it sent anything (False when the patient has
no address or no phone there). No sender may put clinical detail in its text: only
`reminder_text`. The one-click unsubscribe stops the emails; a phone's notifications are turned
off on that phone (the portal's "Phone notifications" page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from patients.models import Patient
from rehab_clinic.outbox.mail import queue_email
from rehab_clinic.push.tasks import push_later
from rehab_clinic.reminders.models import ReminderKind, ReminderSettings
from rehab_clinic.reminders.tokens import unsubscribe_token

__all__ = [
    "ReminderText",
    "deliver",
    "register_channel",
    "reminder_text",
    "send_email",
    "send_web_push",
]

Sender = Callable[[str, Patient, dt.datetime], bool]


@dataclass(frozen=True)
class ReminderText:
    """What a reminder says: no diagnosis, no exercise, no pain score, no name."""

    title: str
    line: str
    url_name: str

    @property
    def path(self) -> str:
        return reverse(self.url_name)

    @property
    def url(self) -> str:
        return _absolute(self.path)


TEXTS = {
    ReminderKind.EXERCISE.value: ReminderText(
        "Time for today's exercises",
        "Time for today's exercises. Open your plan:",
        "programs:portal_today",
    ),
    ReminderKind.CHECK_IN.value: ReminderText(
        "Your morning check-in",
        "Good morning. Your morning check-in is waiting:",
        "programs:rtr_portal_today",
    ),
    ReminderKind.NEXT_RUN.value: ReminderText(
        "Today is a run day",
        "Today is a run day. Open your plan:",
        "programs:rtr_portal_today",
    ),
}


def reminder_text(kind: str) -> ReminderText:
    return TEXTS[kind]


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(patient: Patient) -> str:
    return _absolute(reverse("reminders:unsubscribe", args=[unsubscribe_token(patient.pk)]))


def _address(patient: Patient) -> str:
    user = patient.user
    return patient.email or (user.email if user is not None else "")


def send_email(kind: str, patient: Patient, when: dt.datetime) -> bool:
    """Queue the reminder email through the outbox, unless the patient stopped reminder emails
    (or has no address). Every email carries the one-click unsubscribe of RFC 8058."""
    chosen = ReminderSettings.objects.filter(patient=patient).first()
    address = _address(patient)
    if chosen is None or not chosen.email_on or not address:
        return False
    text = reminder_text(kind)
    stop = unsubscribe_url(patient)
    body = (
        f"Hello,\n\n{text.line}\n\n{text.url}\n\n"
        f"You asked {patient.clinic.name} for this reminder. To change your reminders, sign in "
        f"and open Reminders:\n{_absolute(reverse('reminders:portal_settings'))}\n\n"
        f"To stop reminder emails, open this link (no sign-in needed):\n{stop}\n"
    )
    queue_email(
        to=address,
        subject=text.title,
        body=body,
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return True


def send_web_push(kind: str, patient: Patient, when: dt.datetime) -> bool:
    """A notification on the patient's phones, with the email's neutral words."""
    user = patient.user
    if user is None or not user.is_active:
        return False
    text = reminder_text(kind)
    return push_later(user, title=text.title, body=text.line.rstrip(":") + ".", url=text.path)


_channels: dict[str, Sender] = {"email": send_email, "push": send_web_push}


def register_channel(name: str, send: Sender) -> None:
    _channels[name] = send


def deliver(kind: str, patient: Patient, when: dt.datetime) -> list[str]:
    """Send the reminder on every channel; the names of those that sent it."""
    return [name for name, send in _channels.items() if send(kind, patient, when)]
