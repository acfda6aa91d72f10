"""Invitations end to end in Chromium: an admin invites a therapist, a therapist invites a patient,
each opens the emailed link, chooses a password and lands on their own start page (a patient
signed in at once, staff through the sign-in page)."""

import re
from typing import Any

import pytest
from django.core import mail

from tests.a11y import assert_no_serious_axe_violations
from tests.factories import PatientFactory
from tests.programs.documents.conftest import eager_celery  # noqa: F401

# The emails are sent by a Celery task (the outbox): run in-process, as the embedded default does.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_celery"),
]

NEW_PASSWORD = "Hill-Repeats-On-Tuesday-4"


def _accept(page: Any, live_server: Any, email: str, *, signed_in: bool = False) -> None:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    path = re.search(r"https?://[^/]+(/accounts/invite/\S+/)", message.body).group(1)
    page.context.clear_cookies()
    page.goto(live_server.url + path)
    assert_no_serious_axe_violations(page)
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Type it again").fill("short")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_text("This password is too short").wait_for()
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type it again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_text("Your account is ready").wait_for()
    if signed_in:
        return
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_admin_invites_a_therapist_who_joins_and_lands_on_today(
    page: Any, live_server: Any, login: Any, clinic_admin: Any
) -> None:
    login(page, clinic_admin)
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Add staff member").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Full name").fill("Nadia Newcomer")
    page.get_by_label("Email").fill("nadia@example.test")
    page.get_by_label("Role").select_option("therapist")
    page.get_by_role("button", name="Save staff member").click()
    page.get_by_text("An invitation was emailed to nadia@example.test.").wait_for()
    page.get_by_text("Invitations waiting").wait_for()
    _accept(page, live_server, "nadia@example.test")
    page.get_by_role("heading", name="Today").wait_for()


def test_a_therapist_invites_a_patient_who_joins_and_lands_on_the_portal(
    page: Any, live_server: Any, login: Any, therapist: Any
) -> None:
    patient = PatientFactory(
        clinic=therapist.clinic, first_name="Ravi", last_name="Newrunner", email="ravi@example.test"
    )
    login(page, therapist)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("button", name="Invite to the portal").click()
    page.get_by_text("An invitation was emailed to ravi@example.test.").wait_for()
    page.set_viewport_size({"width": 390, "height": 844})
    # A patient is signed in by accepting: no second sign-in.
    _accept(page, live_server, "ravi@example.test", signed_in=True)
    page.get_by_role("heading", name="Hello, Ravi").wait_for()
    assert "/accounts/login/" not in page.url


def test_a_signed_in_user_changes_their_password(
    page: Any, live_server: Any, login: Any, therapist: Any
) -> None:
    login(page, therapist)
    page.get_by_role("button", name=therapist.full_name).click()
    page.get_by_role("link", name="Change password").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Old password").fill("demo-pass-123")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill("something-else-77")
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("The two password fields didn").wait_for()
    page.get_by_label("Old password").fill("demo-pass-123")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.get_by_role("heading", name="Your password was changed").wait_for()
