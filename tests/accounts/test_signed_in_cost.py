"""The fixed cost of a signed-in page, and sessions that are still revocable when cached.

A page that does nothing ("My details", the password form) used to spend five queries before
its own work: the session, the user, the clinic, the second-factor state and the patient. The
session now comes from the cache and the user's lookup brings the clinic and the state along.
"""

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from rehab_clinic.accounts.backends import ClinicUserBackend, _user_with_clinic
from rehab_clinic.accounts.models import UserSession
from tests.factories import TEST_PASSWORD

CACHED_SESSIONS = "rehab_clinic.accounts.session_store"


class BrokenCache(LocMemCache):
    """A cache whose server is down: every call fails."""

    def get(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    set = delete = delete_many = add = get


@pytest.fixture
def cached_sessions(settings: Any) -> Any:
    """The production session set-up, with an in-process cache standing in for Redis."""
    settings.SESSION_ENGINE = CACHED_SESSIONS
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-sessions",
        },
    }
    return settings


def _sign_in(user: Any, agent: str = "Firefox/133.0 (X11; Linux x86_64)") -> Client:
    browser = Client(HTTP_USER_AGENT=agent)
    response = browser.post("/accounts/login/", {"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return browser


@pytest.mark.django_db
def test_my_details_costs_three_queries_for_a_patient(
    cached_sessions: Any, patient_user: Any, django_assert_num_queries: Any
) -> None:
    browser = _sign_in(patient_user)
    url = reverse("portal:contact")
    assert browser.get(url).status_code == 200  # the first page after sign-in
    # One query for the user with their clinic and second-factor state, one for the record, and
    # the menu's count of unread messages from the clinic (as a therapist's menu counts alerts).
    with django_assert_num_queries(3):
        assert browser.get(url).status_code == 200


@pytest.mark.django_db
def test_a_staff_form_doing_nothing_costs_two_queries(
    cached_sessions: Any, therapist: Any, django_assert_num_queries: Any
) -> None:
    browser = _sign_in(therapist)
    url = reverse("accounts:password_change")
    assert browser.get(url).status_code == 200
    # The user with their clinic and second-factor state, and the menu's unread-alert count.
    with django_assert_num_queries(2):
        assert browser.get(url).status_code == 200


@pytest.mark.django_db
def test_ending_a_cached_session_signs_that_device_out(
    cached_sessions: Any, therapist: Any
) -> None:
    laptop = _sign_in(therapist, "Chrome/131.0 (Windows NT 10.0)")
    phone = _sign_in(therapist, "Version/18.1 Mobile Safari/604.1 (iPhone)")
    assert phone.get(reverse("patients:caseload")).status_code == 200  # cached from here on
    row = UserSession.objects.get(session_key=phone.session.session_key)
    laptop.post(reverse("accounts:session_end", args=[row.pk]))
    assert not Session.objects.filter(session_key=row.session_key).exists()
    assert phone.get(reverse("patients:caseload")).status_code == 302
    assert laptop.get(reverse("patients:caseload")).status_code == 200


@pytest.mark.django_db
def test_deactivation_ends_cached_sessions(
    cached_sessions: Any, clinic_admin: Any, therapist: Any
) -> None:
    admin = _sign_in(clinic_admin)
    member = _sign_in(therapist)
    assert member.get(reverse("patients:caseload")).status_code == 200
    admin.post(
        reverse("accounts:staff_edit", args=[therapist.pk]),
        {"full_name": therapist.full_name, "role": "therapist"},  # is_active unticked
    )
    assert member.get(reverse("patients:caseload")).status_code == 302


@pytest.mark.django_db
def test_signing_out_ends_the_cached_session(cached_sessions: Any, therapist: Any) -> None:
    browser = _sign_in(therapist)
    key = browser.session.session_key
    assert browser.get(reverse("patients:caseload")).status_code == 200
    browser.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(reverse("patients:caseload")).status_code == 302


@pytest.mark.django_db
def test_pages_are_served_from_the_database_when_the_cache_is_down(
    cached_sessions: Any, therapist: Any
) -> None:
    cached_sessions.CACHES = {
        **cached_sessions.CACHES,
        "sessions": {"BACKEND": f"{__name__}.BrokenCache", "LOCATION": "down"},
    }
    browser = _sign_in(therapist)
    assert browser.get(reverse("patients:caseload")).status_code == 200
    row = UserSession.objects.get(user=therapist)
    other = _sign_in(therapist)
    other.post(reverse("accounts:session_end", args=[row.pk]))  # the cache cannot forget it
    assert browser.get(reverse("patients:caseload")).status_code == 302  # the database can


@pytest.mark.django_db
def test_the_prepared_user_lookup_reads_what_the_orm_reads(
    therapist: Any, patient_user: Any
) -> None:
    """The per-request user lookup runs SQL compiled once (accounts/prepared.py): the same
    fields, the same clinic, the same second-factor state as the queryset it was compiled from,
    for a user with a second factor and one without, and nobody for an unknown or inactive id."""
    TOTPDevice.objects.create(user=therapist, name="app", confirmed=True)
    backend = ClinicUserBackend()
    for user in (therapist, patient_user):
        loaded = backend.get_user(user.pk)
        expected = _user_with_clinic(user.pk).get()
        assert loaded is not None
        assert loaded.pk == user.pk
        for field in type(user)._meta.concrete_fields:
            assert getattr(loaded, field.attname) == getattr(expected, field.attname), field
        assert loaded.clinic == expected.clinic
        assert loaded.clinic.name == expected.clinic.name
        assert loaded.second_factor_enrolled == expected.second_factor_enrolled
    assert backend.get_user(therapist.pk).second_factor_enrolled  # type: ignore[union-attr]
    assert not backend.get_user(patient_user.pk).second_factor_enrolled  # type: ignore[union-attr]
    assert backend.get_user(10**9) is None
    assert backend.get_user("not-an-id") is None
    patient_user.is_active = False
    patient_user.save(update_fields=["is_active"])
    assert backend.get_user(patient_user.pk) is None
