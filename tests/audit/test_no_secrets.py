"""No secret ever reaches the audit trail: after a password change, an authenticator app's
enrolment with its backup codes, an invitation accepted with a new password (and, in the browser
test of passkeys, a passkey's enrolment), every column of every audit event is searched for each
secret value: passwords typed, password hashes, OTP keys in hex and base32, backup codes,
invitation tokens and their hashes, session keys."""

import json
import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rehab_clinic.accounts import two_factor
from rehab_clinic.accounts.models import Invitation, User, UserSession
from rehab_clinic.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, PatientFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Hill-Repeats-On-Tuesday-4"
PATIENT_PASSWORD = "Parkrun-Saturday-Morning-8"


def trail_text() -> list[str]:
    """Every audit event as the text of all its columns, the diff included."""
    rows = []
    for event in AuditEvent.objects.order_by("id"):
        columns = [str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields]
        rows.append(" ".join(columns) + " " + json.dumps(event.changes))
    return rows


def assert_no_secret_in_trail(secrets: list[str]) -> None:
    secrets = [s for s in secrets if s]
    assert secrets
    rows = trail_text()
    assert rows, "the walk found no audit events at all"
    for row in rows:
        for secret in secrets:
            assert secret.lower() not in row.lower(), (secret, row)


def session_secrets() -> list[str]:
    return [
        *Session.objects.values_list("session_key", flat=True),
        *UserSession.objects.values_list("session_key", flat=True),
    ]


def password_secrets(user: User, *typed: str) -> list[str]:
    user.refresh_from_db()
    # argon2$argon2id$v=19$m=...,t=...,p=...$salt$hash: the salt and the hash count apart.
    parts = [p for p in user.password.split("$") if len(p) >= 16]
    return [user.password, *parts, *typed]


def test_a_password_change_and_a_staff_edit_leave_no_secret(
    client: Any, clinic_admin: Any, therapist: Any
) -> None:
    client.post(reverse("accounts:login"), {"email": therapist.email, "password": TEST_PASSWORD})
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    admin = client.__class__()
    admin.force_login(clinic_admin)
    admin.post(
        reverse("accounts:staff_edit", args=[therapist.pk]),
        {"full_name": "Renamed Therapist", "role": "therapist", "is_active": "on"},
    )
    assert AuditEvent.objects.filter(object_type="accounts.User").exclude(changes={}).exists()
    assert_no_secret_in_trail(
        [*password_secrets(therapist, TEST_PASSWORD, NEW_PASSWORD), *session_secrets()]
    )


def test_enrolling_an_app_and_backup_codes_leaves_no_secret(client: Any, therapist: Any) -> None:
    client.post(reverse("accounts:login"), {"email": therapist.email, "password": TEST_PASSWORD})
    page = client.get(reverse("accounts:totp_setup")).content.decode()
    # The secret waits in the session until a code is posted; the first post saves the device.
    client.post(reverse("accounts:totp_setup"), {"code": "000000"})
    device = TOTPDevice.objects.get(user=therapist, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step):06d}"
    client.post(reverse("accounts:totp_setup"), {"code": code})
    shown = client.get(reverse("accounts:backup_codes")).content.decode()
    codes = re.findall(r'data-testid="backup-code">([a-z0-9]+)<', shown)
    assert len(codes) == 10
    assert two_factor.totp_secret(device) in page
    device.refresh_from_db()
    assert AuditEvent.objects.filter(detail__icontains="two-factor").exists()
    assert_no_secret_in_trail(
        [
            device.key,
            two_factor.totp_secret(device),
            two_factor.totp_secret(device).replace(" ", ""),
            *StaticToken.objects.filter(device__user=therapist).values_list("token", flat=True),
            *session_secrets(),
        ]
    )


@pytest.mark.usefixtures("eager_celery")  # the invitation email goes through the outbox
def test_an_invitation_accepted_with_a_password_leaves_no_secret(
    client: Any,
    therapist: Any,
    clinic: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    patient = PatientFactory(clinic=clinic, email="secret.runner@example.test")
    client.force_login(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("patients:invite", args=[patient.pk]))
    link = re.search(r"http://testserver(/accounts/invite/([^/\s]+)/)", mailoutbox[0].body)
    assert link
    token = link.group(2)
    token_hash = Invitation.objects.get(patient=patient).token_hash
    client.logout()
    client.post(link.group(1), {"password1": PATIENT_PASSWORD, "password2": PATIENT_PASSWORD})
    patient.refresh_from_db()
    assert patient.user is not None
    assert AuditEvent.objects.filter(object_type="accounts.Invitation").exists()
    assert_no_secret_in_trail(
        [token, token_hash, *password_secrets(patient.user, PATIENT_PASSWORD), *session_secrets()]
    )
