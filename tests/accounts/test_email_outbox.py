"""Every email goes through the outbox (issue 13, item 1): the request commits the email with
the change, a Celery task sends it, and the sweep sends it again when the broker was down. The
person asking never sees a 500 for a broker outage, nothing is sent inside the request, and a
message delivered twice sends its email once."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from rehab_clinic.accounts.models import Invitation, User
from rehab_clinic.celery import app as celery_app
from rehab_clinic.outbox import services as outbox
from rehab_clinic.outbox.mail import deliver_email, queue_email
from rehab_clinic.outbox.models import OutboxEmail, OutboxMessage
from tests.factories import PatientFactory
from tests.programs.documents.conftest import broker_back_up
from tests.races import at_once

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tempo-Run-Fridays-9"
EMAIL_TASK = "outbox.send_email"
MAIL_IMPORT = (
    r"^\s*(from django\.core\.mail import"
    r"|from django\.core import mail\b"
    r"|import django\.core\.mail)"
)


def _link(mail: Any, pattern: str) -> str:
    match = re.search(rf"http://testserver({pattern})", mail.body)
    assert match, mail.body
    return match.group(1)


def _sweep_after_the_broker_is_back(settings: Any, callbacks: Any) -> None:
    settings.OUTBOX_SEND_GRACE = 0
    broker_back_up()
    with callbacks(execute=True):
        outbox.sweep()


def test_a_patient_invitation_while_redis_is_down_is_emailed_once_after_the_sweep(
    client: Any, therapist: Any, clinic: Any, mailoutbox: Any, broker_down: None,
    settings: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    patient = PatientFactory(clinic=clinic, email="runner@example.test")
    client.force_login(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("patients:invite", args=[patient.pk]))

    assert response.status_code == 302
    assert mailoutbox == []  # nothing sent inside the request
    [message] = OutboxMessage.objects.filter(task=EMAIL_TASK)
    assert message.last_error
    assert message.done_at is None
    assert message.args == [OutboxEmail.objects.get().pk]  # a key only, no address, no link

    _sweep_after_the_broker_is_back(settings, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["runner@example.test"]
    assert outbox.sweep() == 0  # done: never sent again
    assert len(mailoutbox) == 1

    client.logout()
    link = _link(mailoutbox[0], r"/accounts/invite/[^/\s]+/")
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(email="runner@example.test").patient == patient


def test_a_staff_invitation_while_redis_is_down_is_emailed_once_after_the_sweep(
    client: Any, clinic_admin: Any, clinic: Any, mailoutbox: Any, broker_down: None,
    settings: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client.force_login(clinic_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:staff_add"),
            {"full_name": "Nia Newhire", "email": "nia@example.test", "role": "therapist"},
        )

    assert response.status_code == 302
    assert Invitation.objects.filter(email="nia@example.test").exists()
    assert mailoutbox == []

    _sweep_after_the_broker_is_back(settings, django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    client.logout()
    link = _link(mail, r"/accounts/invite/[^/\s]+/")
    client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert User.objects.get(email="nia@example.test").clinic == clinic


def test_a_password_reset_while_redis_is_down_is_emailed_once_after_the_sweep(
    client: Any, therapist: Any, mailoutbox: Any, broker_down: None, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": therapist.email})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []

    _sweep_after_the_broker_is_back(settings, django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    assert mail.to == [therapist.email]
    link = _link(mail, r"/accounts/password/reset/[^\s]+/")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    therapist.refresh_from_db()
    assert therapist.check_password(NEW_PASSWORD)


def test_a_sent_email_keeps_no_link_in_the_database(
    mailoutbox: Any, eager_celery: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(to="a@example.test", subject="Hi", body="secret link")
    email.refresh_from_db()
    assert len(mailoutbox) == 1
    assert email.sent_at is not None
    assert email.body == ""  # a token in a link is not kept once it is delivered


def test_the_sweep_and_the_first_delivery_racing_send_the_email_once(
    mailoutbox: Any, settings: Any,
) -> None:  # fmt: skip
    email = queue_email(to="a@example.test", subject="Hi", body="Hello")
    assert deliver_email(email.pk) == "sent"
    assert deliver_email(email.pk) == "already sent"  # the sweep's copy of the same message
    assert len(mailoutbox) == 1


def test_a_delivery_that_finds_another_one_sending_does_not_send_again(
    mailoutbox: Any,
) -> None:
    email = queue_email(to="a@example.test", subject="Hi", body="Hello")
    OutboxEmail.objects.filter(pk=email.pk).update(claimed_at=email.created_at)
    assert deliver_email(email.pk) == "busy"
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_the_email_once(mailoutbox: Any) -> None:
    # The row alone (queue_email would also deliver it at commit where tasks run in-process).
    email = OutboxEmail.objects.create(to="a@example.test", subject="Hi", body="Hello")
    results = at_once(lambda: deliver_email(email.pk))
    assert results.count("sent") == 1
    assert len(mailoutbox) == 1


def test_a_mail_server_error_keeps_the_email_for_the_sweep(
    mailoutbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = queue_email(to="a@example.test", subject="Hi", body="Hello")

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert deliver_email(email.pk) == "retry"
    email.refresh_from_db()
    assert (email.sent_at, email.claimed_at, email.body) == (None, None, "Hello")
    assert "connection refused" in email.last_error
    monkeypatch.undo()
    assert deliver_email(email.pk) == "sent"
    assert len(mailoutbox) == 1


def test_the_email_task_is_registered_for_the_outbox() -> None:
    celery_app.loader.import_default_modules()
    assert EMAIL_TASK in celery_app.tasks


def test_no_code_but_the_outbox_sends_email() -> None:
    """A `send_mail` in a view or service would send inside the request again."""
    root = Path(__file__).resolve().parents[2]
    senders = []
    for app in ("rehab_clinic", "patients", "assessments", "exercises", "programs"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text()
            if re.search(MAIL_IMPORT, text, re.MULTILINE):
                senders.append(str(path.relative_to(root)))
    assert senders == ["rehab_clinic/outbox/mail.py"]
