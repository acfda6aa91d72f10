"""Portal invitations for patients, and the clinic admin's staff management."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from rehab_clinic.accounts.models import Invitation, User
from rehab_clinic.audit.models import AuditEvent
from tests.factories import PatientFactory

# The emails are sent by a Celery task (the outbox): run in-process, as the embedded default does.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

NEW_PASSWORD = "Tempo-Run-Fridays-9"


def _invite_link(mail: Any) -> str:
    match = re.search(r"http://testserver(/accounts/invite/[^/\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_a_therapist_invites_a_patient_who_sets_a_password_once(
    client: Any,
    therapist: Any,
    clinic: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    patient = PatientFactory(clinic=clinic, email="runner@example.test")
    client.force_login(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("patients:invite", args=[patient.pk]))
    link = _invite_link(mailoutbox[0])
    client.logout()
    assert client.get(link).status_code == 200
    mismatch = client.post(link, {"password1": NEW_PASSWORD, "password2": "different"})
    assert "The two passwords are not the same." in mismatch.content.decode()
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.user.role == User.Role.PATIENT
    assert patient.user.clinic == clinic
    assert patient.user.check_password(NEW_PASSWORD)
    # The link works once.
    assert client.get(link).status_code == 404
    assert (
        client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 404
    )
    assert User.objects.filter(email="runner@example.test").count() == 1


def test_an_expired_invitation_does_not_work(
    client: Any,
    therapist: Any,
    clinic: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    patient = PatientFactory(clinic=clinic, email="late@example.test")
    client.force_login(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("patients:invite", args=[patient.pk]))
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    assert client.get(_invite_link(mailoutbox[0])).status_code == 404


def test_inviting_a_patient_without_email_explains_why(
    client: Any, therapist: Any, clinic: Any
) -> None:
    patient = PatientFactory(clinic=clinic, email="")
    client.force_login(therapist)
    response = client.post(reverse("patients:invite", args=[patient.pk]), follow=True)
    assert "Add the patient&#x27;s email address before inviting them." in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_admin_invites_a_therapist(
    client: Any,
    clinic_admin: Any,
    clinic: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(clinic_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:staff_add"),
            {"full_name": "Nia Newhire", "email": "nia@example.test", "role": "therapist"},
        )
    client.logout()
    client.post(_invite_link(mailoutbox[0]), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    nia = User.objects.get(email="nia@example.test")
    assert (nia.role, nia.clinic) == ("therapist", clinic)


def test_staff_form_errors_keep_what_was_typed(
    client: Any, clinic_admin: Any, therapist: Any
) -> None:
    client.force_login(clinic_admin)
    html = client.post(
        reverse("accounts:staff_add"),
        {"full_name": "Dup", "email": therapist.email, "role": "therapist"},
    ).content.decode()
    assert "An account with this email already exists." in html
    assert 'value="Dup"' in html


def test_an_admin_changes_a_role_and_deactivates_with_an_audit_trail(
    client: Any, clinic_admin: Any, therapist: Any
) -> None:
    client.force_login(clinic_admin)
    url = reverse("accounts:staff_edit", args=[therapist.pk])
    client.post(url, {"full_name": therapist.full_name, "role": "clinic_admin", "is_active": "on"})
    therapist.refresh_from_db()
    assert therapist.role == "clinic_admin"
    assert AuditEvent.objects.filter(
        action="role_change", detail="therapist -> clinic_admin"
    ).exists()
    client.post(url, {"full_name": therapist.full_name, "role": "clinic_admin"})
    therapist.refresh_from_db()
    assert therapist.is_active is False


def test_deactivating_signs_the_person_out_everywhere(
    client: Any, clinic_admin: Any, therapist: Any
) -> None:
    from django.test import Client

    therapist_browser = Client()
    therapist_browser.force_login(therapist)
    assert therapist_browser.get(reverse("patients:caseload")).status_code == 200
    client.force_login(clinic_admin)
    client.post(
        reverse("accounts:staff_edit", args=[therapist.pk]),
        {"full_name": therapist.full_name, "role": "therapist"},
    )
    assert therapist_browser.get(reverse("patients:caseload")).status_code == 302


def test_an_admin_cannot_remove_their_own_admin_access(client: Any, clinic_admin: Any) -> None:
    client.force_login(clinic_admin)
    html = client.post(
        reverse("accounts:staff_edit", args=[clinic_admin.pk]),
        {"full_name": "Ada", "role": "therapist", "is_active": "on"},
    ).content.decode()
    assert "You cannot remove your own admin access" in html
    clinic_admin.refresh_from_db()
    assert clinic_admin.role == "clinic_admin"


def test_the_staff_form_cannot_grant_the_patient_role_or_django_staff(
    client: Any, clinic_admin: Any, therapist: Any
) -> None:
    client.force_login(clinic_admin)
    url = reverse("accounts:staff_edit", args=[therapist.pk])
    response = client.post(
        url,
        {
            "full_name": "x",
            "role": "patient",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert "Select a valid choice" in response.content.decode()
    therapist.refresh_from_db()
    assert (therapist.role, therapist.is_staff, therapist.is_superuser) == (
        "therapist",
        False,
        False,
    )


def test_clinic_branding_is_saved_and_bad_values_are_explained(
    client: Any, clinic_admin: Any, clinic: Any
) -> None:
    client.force_login(clinic_admin)
    url = reverse("accounts:admin_home")
    base = {
        "name": clinic.name,
        "timezone": "Mars/Olympus",
        "distance_unit": "km",
        "paper_size": "A4",
    }
    html = client.post(url, base).content.decode()
    assert "is not a time zone name" in html
    client.post(url, {**base, "timezone": "America/Denver", "distance_unit": "mi"})
    clinic.refresh_from_db()
    assert (clinic.timezone, clinic.distance_unit) == ("America/Denver", "mi")
