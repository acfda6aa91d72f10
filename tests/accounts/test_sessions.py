"""A user's signed-in sessions: recorded at sign-in, listed, ended; deactivation ends them all
without decoding anyone's session."""

from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from rehab_clinic.accounts.models import UserSession
from rehab_clinic.accounts.sessions import describe_place, describe_user_agent
from tests.factories import TEST_PASSWORD

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
EDGE_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (CHROME_WINDOWS, "Chrome on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (FIREFOX_LINUX, "Firefox on Linux"),
        (EDGE_MAC, "Edge on macOS"),
        ("", "Unknown device"),
        ("curl/8.5", "Unknown device"),
    ],
)
def test_a_user_agent_is_named_as_a_person_would(agent: str, expected: str) -> None:
    assert describe_user_agent(agent) == expected


@pytest.mark.parametrize(
    ("ip", "expected"),
    [
        ("127.0.0.1", "This computer (127.0.0.1)"),
        ("::1", "This computer (::1)"),
        ("192.168.1.20", "Local network (192.168.1.20)"),
        ("10.4.0.9", "Local network (10.4.0.9)"),
        ("fe80::1", "Local network (fe80::1)"),
        ("198.51.100.4", "198.51.100.4"),
        (None, "Unknown place"),
        ("not-an-address", "Unknown place"),
    ],
)
def test_the_place_is_told_from_the_address(ip: str | None, expected: str) -> None:
    assert describe_place(ip) == expected


def _sign_in(user: Any, agent: str, ip: str = "203.0.113.7") -> Client:
    browser = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    browser.post("/accounts/login/", {"email": user.email, "password": TEST_PASSWORD})
    return browser


@pytest.mark.django_db
def test_a_staff_member_sees_their_sessions_and_ends_another_one(therapist: Any) -> None:
    laptop = _sign_in(therapist, CHROME_WINDOWS)
    phone = _sign_in(therapist, SAFARI_IPHONE, ip="198.51.100.4")
    page = laptop.get(reverse("accounts:session_list")).content.decode()
    assert "Chrome on Windows" in page
    assert "This device" in page
    assert "Safari on iPhone" in page
    assert "198.51.100.4" in page
    assert "ago" in page  # last use
    phone_row = UserSession.objects.get(session_key=phone.session.session_key)
    laptop.post(reverse("accounts:session_end", args=[phone_row.pk]))
    assert not Session.objects.filter(session_key=phone_row.session_key).exists()
    assert phone.get(reverse("patients:caseload")).status_code == 302
    assert laptop.get(reverse("patients:caseload")).status_code == 200


@pytest.mark.django_db
def test_nobody_can_end_another_users_session(therapist: Any, clinic_admin: Any) -> None:
    victim = _sign_in(clinic_admin, CHROME_WINDOWS)
    row = UserSession.objects.get(user=clinic_admin)
    attacker = _sign_in(therapist, FIREFOX_LINUX)
    assert attacker.post(reverse("accounts:session_end", args=[row.pk])).status_code == 404
    assert victim.get(reverse("accounts:staff_list")).status_code == 200
    listed = attacker.get(reverse("accounts:session_list")).content.decode()
    assert "Chrome on Windows" not in listed


@pytest.mark.django_db
def test_signing_out_forgets_the_session_row(therapist: Any) -> None:
    browser = _sign_in(therapist, CHROME_WINDOWS)
    assert UserSession.objects.filter(user=therapist).count() == 1
    browser.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=therapist).exists()


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_sessions_without_decoding_any(
    clinic_admin: Any, therapist: Any, monkeypatch: Any
) -> None:
    admin = _sign_in(clinic_admin, CHROME_WINDOWS)
    member_laptop = _sign_in(therapist, CHROME_WINDOWS)
    member_phone = _sign_in(therapist, SAFARI_IPHONE)
    bystander = Client()
    bystander.force_login(clinic_admin)

    decoded: list[str] = []
    real_decode = SessionStore.decode

    def counting_decode(self: Any, data: str) -> Any:
        decoded.append(data)
        return real_decode(self, data)

    monkeypatch.setattr(SessionStore, "decode", counting_decode)
    admin.post(
        reverse("accounts:staff_edit", args=[therapist.pk]),
        {"full_name": therapist.full_name, "role": "therapist"},  # is_active unticked
    )
    monkeypatch.undo()
    # At most the admin's own session, read to serve the request (none when it comes from the
    # session cache): never the sessions being ended.
    assert len(decoded) <= 1
    therapist.refresh_from_db()
    assert not therapist.is_active
    assert not UserSession.objects.filter(user=therapist).exists()
    for browser in (member_laptop, member_phone):
        assert browser.get(reverse("patients:caseload")).status_code == 302
    assert bystander.get(reverse("accounts:staff_list")).status_code == 200


@pytest.mark.django_db
def test_a_session_that_lapsed_is_not_listed(therapist: Any) -> None:
    browser = _sign_in(therapist, CHROME_WINDOWS)
    _sign_in(therapist, SAFARI_IPHONE)
    lapsed = UserSession.objects.exclude(session_key=browser.session.session_key).get()
    Session.objects.filter(session_key=lapsed.session_key).delete()
    page = browser.get(reverse("accounts:session_list")).content.decode()
    assert "Safari on iPhone" not in page
    assert not UserSession.objects.filter(pk=lapsed.pk).exists()


@pytest.mark.django_db
def test_clearing_expired_sessions_drops_their_rows_too(therapist: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from rehab_clinic.accounts.services import clear_expired_sessions

    live = _sign_in(therapist, CHROME_WINDOWS)
    old = _sign_in(therapist, SAFARI_IPHONE)
    Session.objects.filter(session_key=old.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    assert clear_expired_sessions() == 1
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [
        live.session.session_key
    ]
