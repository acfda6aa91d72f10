"""A real clinic from nothing, in Chromium: `create_clinic` prints the first admin's link, the admin
joins and invites a therapist, the therapist joins and invites a patient, who joins on a phone.
A new clinic requires two-factor sign-in, so both staff members enrol an authenticator app."""

import base64
import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django_otp.oath import totp

from rehab_clinic.accounts.models import Clinic, User
from tests.a11y import assert_no_serious_axe_violations
from tests.factories import PatientFactory
from tests.programs.documents.conftest import eager_celery  # noqa: F401

# The emails are sent by a Celery task (the outbox): run in-process, as the embedded default does.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_celery"),
]

PASSWORD = "Long-Run-Sunday-Morning-7"


def _join(page: Any, live_server: Any, path: str, email: str, *, patient: bool = False) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + path)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_text("Your account is ready").wait_for()
    if patient:
        return  # a patient is signed in by the link and the new password; staff sign in
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _enrol_authenticator_app(page: Any) -> None:
    """A new clinic requires two-factor sign-in: staff enrol an app right after the password."""
    page.get_by_role("link", name="Set up an authenticator app").click()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirm and turn on").click()
    page.get_by_role("link", name="I have saved them").click()


def _emailed_path(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    return re.search(r"https?://[^/]+(/accounts/invite/\S+/)", message.body).group(1)


def test_create_clinic_then_admin_therapist_and_patient_join_in_turn(
    page: Any, live_server: Any
) -> None:
    out = StringIO()
    call_command(
        "create_clinic",
        "Summit Trail Physio",
        "--timezone",
        "America/Denver",
        "--unit",
        "mi",
        "--admin-email",
        "owner@summit.example",
        "--admin-name",
        "Sam Summit",
        stdout=out,
    )
    printed = re.search(r"https?://[^/\s]+(/accounts/invite/\S+/)", out.getvalue()).group(1)

    _join(page, live_server, printed, "owner@summit.example")
    _enrol_authenticator_app(page)
    page.get_by_role("link", name="Summit Trail Physio").first.wait_for()
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Add staff member").click()
    page.get_by_label("Full name").fill("Tess Trail")
    page.get_by_label("Email").fill("tess@summit.example")
    page.get_by_label("Role").select_option("therapist")
    page.get_by_role("button", name="Save staff member").click()
    page.get_by_text("An invitation was emailed to tess@summit.example.").wait_for()

    _join(page, live_server, _emailed_path("tess@summit.example"), "tess@summit.example")
    _enrol_authenticator_app(page)
    page.get_by_role("heading", name="Today").wait_for()
    clinic = Clinic.objects.get(name="Summit Trail Physio")
    runner = PatientFactory(
        clinic=clinic, first_name="Rory", last_name="Ridge", email="rory@summit.example"
    )
    page.goto(f"{live_server.url}/patients/{runner.pk}/")
    page.get_by_role("button", name="Invite to the portal").click()
    page.get_by_text("An invitation was emailed to rory@summit.example.").wait_for()

    page.set_viewport_size({"width": 390, "height": 844})
    _join(
        page, live_server, _emailed_path("rory@summit.example"), "rory@summit.example", patient=True
    )
    page.get_by_role("heading", name="Hello, Rory").wait_for()
    assert_no_serious_axe_violations(page)
    roles = dict(User.objects.filter(clinic=clinic).values_list("email", "role"))
    assert roles == {
        "owner@summit.example": "clinic_admin",
        "tess@summit.example": "therapist",
        "rory@summit.example": "patient",
    }
