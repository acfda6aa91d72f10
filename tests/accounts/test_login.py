"""Sign-in, session lifetime and throttling."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from rehab_clinic.accounts.middleware import LAST_SEEN_KEY, STARTED_KEY
from rehab_clinic.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client: Any, email: str, password: str = TEST_PASSWORD) -> Any:
    return client.post(LOGIN, {"email": email, "password": password})


def test_a_therapist_signs_in_with_email_and_lands_on_today(client: Any, therapist: Any) -> None:
    response = _sign_in(client, therapist.email.upper())
    assert response.status_code == 302
    assert client.get(response.url, follow=True).request["PATH_INFO"] == reverse("patients:today")
    assert AuditEvent.objects.filter(user=therapist, action="login").exists()


def test_the_session_key_changes_at_sign_in(client: Any, therapist: Any) -> None:
    client.get(LOGIN)
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.session.session_key
    _sign_in(client, therapist.email)
    assert client.session.session_key != before


def test_unknown_and_known_accounts_get_the_same_answer(client: Any, therapist: Any) -> None:
    wrong_password = _sign_in(client, therapist.email, "not-the-password").content.decode()
    unknown = _sign_in(client, "nobody@example.test", "not-the-password").content.decode()
    message = "That email and password do not match an active account."
    assert message in wrong_password
    assert message in unknown
    assert therapist.email in wrong_password  # what was typed is kept
    assert AuditEvent.objects.filter(
        action="login_failed", user_email="nobody@example.test"
    ).exists()


def test_a_deactivated_user_cannot_sign_in(client: Any, therapist: Any) -> None:
    therapist.is_active = False
    therapist.save()
    response = _sign_in(client, therapist.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_missing_fields_are_reported_beside_the_field(client: Any) -> None:
    html = client.post(LOGIN, {"email": "not-an-email", "password": ""}).content.decode()
    assert "Enter a valid email address." in html
    assert "This field is required." in html
    assert 'value="not-an-email"' in html


def test_an_open_redirect_after_sign_in_is_refused(client: Any, therapist: Any) -> None:
    response = client.post(
        LOGIN + "?next=https://evil.example/", {"email": therapist.email, "password": TEST_PASSWORD}
    )
    assert response.url == "/"


def _age_session(client: Any, *, idle: timedelta, started: timedelta) -> None:
    session = client.session
    now = timezone.now().timestamp()
    session[LAST_SEEN_KEY] = now - idle.total_seconds()
    session[STARTED_KEY] = now - started.total_seconds()
    session.save()


def test_staff_are_signed_out_after_30_idle_minutes(client: Any, therapist: Any) -> None:
    client.force_login(therapist)
    _age_session(client, idle=timedelta(minutes=31), started=timedelta(hours=1))
    response = client.get(reverse("patients:caseload"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_patients_are_signed_out_after_30_idle_minutes_but_not_before(
    client: Any, patient_user: Any
) -> None:
    client.force_login(patient_user)
    _age_session(client, idle=timedelta(minutes=29), started=timedelta(hours=1))
    assert client.get(reverse("portal:home")).status_code == 200
    _age_session(client, idle=timedelta(minutes=31), started=timedelta(hours=1))
    assert client.get(reverse("portal:home")).status_code == 302


def test_no_session_outlives_twelve_hours_however_active(client: Any, therapist: Any) -> None:
    client.force_login(therapist)
    _age_session(client, idle=timedelta(minutes=1), started=timedelta(hours=12, minutes=1))
    assert client.get(reverse("patients:caseload")).status_code == 302


def test_signing_out_ends_the_session_on_the_server(client: Any, therapist: Any) -> None:
    client.force_login(therapist)
    key = client.session.session_key
    client.post(reverse("accounts:logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


def test_an_htmx_request_after_signing_out_elsewhere_sends_the_page_to_sign_in(
    client: Any, therapist: Any
) -> None:
    """Signed out in another tab, the chart's export panel polled on: the redirect to the login
    page was followed by htmx and the whole login page swapped into the panel. An htmx request
    without a session now gets HX-Redirect, so the browser leaves for the login page."""
    chart = "/patients/1/"
    response = client.get(
        reverse("patients:caseload"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=chart
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{LOGIN}?next={chart}"
    plain = client.get(reverse("patients:caseload"))
    assert plain.status_code == 302
    assert plain.url == f"{LOGIN}?next=/patients/"


def test_logout_needs_a_post(client: Any, therapist: Any) -> None:
    client.force_login(therapist)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_throttling_locks_one_email_and_ip_pair_only(
    client: Any, settings: Any, therapist: Any, clinic_admin: Any
) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _sign_in(client, therapist.email, "wrong-password")
    locked = _sign_in(client, therapist.email)
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    # Another account from the same address is not locked out.
    other = _sign_in(client, clinic_admin.email)
    assert other.status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_counter(
    client: Any, settings: Any, therapist: Any
) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    for n in range(2):
        client.post(
            LOGIN, {"email": therapist.email, "password": "x"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        )
    response = client.post(
        LOGIN,
        {"email": therapist.email, "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert response.status_code == 429


def test_passwords_are_hashed_with_argon2() -> None:
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    from rehab_clinic import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS):
        assert make_password("Long-Slow-Run-7").startswith("argon2$")


def test_password_change_validates_and_keeps_the_user_signed_in(
    client: Any, therapist: Any
) -> None:
    client.force_login(therapist)
    url = reverse("accounts:password_change")
    bad = client.post(
        url, {"old_password": TEST_PASSWORD, "new_password1": "123", "new_password2": "123"}
    )
    assert "This password is too short" in bad.content.decode()
    good = client.post(
        url,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Strider-Hills-2026",
            "new_password2": "Strider-Hills-2026",
        },
    )
    assert good.status_code == 302
    therapist.refresh_from_db()
    assert therapist.check_password("Strider-Hills-2026")


def test_password_reset_sends_mail_only_to_real_accounts_but_answers_the_same(
    client: Any, mailoutbox: Any, therapist: Any, eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    url = reverse("accounts:password_reset")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": therapist.email})
        unknown = client.post(url, {"email": "ghost@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/" in mailoutbox[0].body


def _signed_out_to(page: str) -> str:
    return f"{LOGIN}?{urlencode({'next': page}, safe='/')}"


def test_an_idle_sign_out_comes_back_to_the_page_the_user_was_on(
    client: Any, therapist: Any, patient_user: Any
) -> None:
    """Signed out after inactivity, the user signs in again and is back where they were: the
    page with its query, the page an htmx request came from (not its fragment's address), and
    for a form sent with POST the page it was sent from (a POST-only address would be a 405)."""
    caseload = reverse("patients:caseload") + "?q=ann&mine=1"
    client.force_login(therapist)
    _age_session(client, idle=timedelta(minutes=31), started=timedelta(hours=1))
    assert client.get(caseload)["Location"] == _signed_out_to(caseload)

    today = reverse("programs:portal_today")
    for came_from, back in ((f"http://testserver{today}", today), ("https://evil.example/x", "/")):
        client.force_login(patient_user)
        _age_session(client, idle=timedelta(minutes=31), started=timedelta(hours=1))
        htmx = client.get(
            reverse("portal:home"), headers={"HX-Request": "true", "HX-Current-URL": came_from}
        )
        assert htmx["HX-Redirect"] == _signed_out_to(back)

    client.force_login(patient_user)
    _age_session(client, idle=timedelta(minutes=31), started=timedelta(hours=1))
    posted = client.post(
        reverse("accounts:logout"), headers={"Referer": f"http://testserver{today}"}
    )
    assert posted["Location"] == _signed_out_to(today)
