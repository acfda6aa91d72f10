"""Inviting someone never tells a clinic whether the email has an account at another clinic."""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from rehab_clinic.accounts.models import Invitation
from tests.factories import PatientFactory

# The emails are sent by a Celery task (the outbox): run in-process, as the embedded default does.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def _answer(response: Any, email: str) -> tuple[int, str, list[str]]:
    """What the inviting person sees: status, where they land, the messages shown."""
    shown = [m.message.replace(email, "<email>") for m in get_messages(response.wsgi_request)]
    return response.status_code, response.get("Location", ""), shown


def _invite_staff(admin: Any, email: str) -> tuple[int, str, list[str]]:
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("accounts:staff_add"), {"full_name": "Nia New", "email": email, "role": "therapist"}
    )
    return _answer(response, email)


def _invite_patient(therapist: Any, patient: Any) -> tuple[int, str, list[str]]:
    client = Client()
    client.force_login(therapist)
    response = client.post(reverse("patients:invite", args=[patient.pk]))
    return _answer(response, patient.email)


def test_staff_invite_answers_the_same_for_an_account_at_another_clinic(
    client: Any,
    clinic_admin: Any,
    other_therapist: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(clinic_admin)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _invite_staff(clinic_admin, "nobody-yet@example.test")
        known = _invite_staff(clinic_admin, other_therapist.email)
    assert known == unknown
    assert unknown[0] == 302
    pending = client.get(reverse("accounts:staff_list")).content.decode()
    assert "nobody-yet@example.test" in pending
    assert other_therapist.email in pending
    assert Invitation.objects.filter(email=other_therapist.email).count() == 1
    # The owner of the existing account is told, and gets no link that could not work.
    notice = next(m for m in mailoutbox if m.to == [other_therapist.email])
    assert "already has an account" in notice.body
    assert "/accounts/invite/" not in notice.body


def test_staff_invite_names_an_account_at_the_same_clinic(
    client: Any, clinic_admin: Any, therapist: Any
) -> None:
    client.force_login(clinic_admin)
    html = client.post(
        reverse("accounts:staff_add"),
        {"full_name": "Dup", "email": therapist.email, "role": "therapist"},
    ).content.decode()
    assert "An account with this email already exists." in html


def test_patient_invite_answers_the_same_for_an_account_at_another_clinic(
    client: Any,
    therapist: Any,
    clinic: Any,
    other_therapist: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    fresh = PatientFactory(clinic=clinic, email="fresh@example.test")
    elsewhere = PatientFactory(clinic=clinic, email=other_therapist.email)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _invite_patient(therapist, fresh)
        known = _invite_patient(therapist, elsewhere)
    assert unknown[0] == 302
    assert (known[0], known[2]) == (unknown[0], unknown[2])
    assert Invitation.objects.filter(patient=elsewhere).count() == 1
    notice = next(m for m in mailoutbox if m.to == [other_therapist.email])
    assert "/accounts/invite/" not in notice.body


def test_patient_invite_names_an_account_at_the_same_clinic(
    client: Any, therapist: Any, clinic: Any, second_patient_user: Any
) -> None:
    twin = PatientFactory(clinic=clinic, email=second_patient_user.email)
    client.force_login(therapist)
    response = client.post(reverse("patients:invite", args=[twin.pk]), follow=True)
    assert "Another account at this clinic already uses this email address." in (
        response.content.decode().replace("&#x27;", "'")
    )
