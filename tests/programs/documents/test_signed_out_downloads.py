"""In Chromium: a staff download link clicked after the session ended (30 idle minutes) shows
the sign-in page. With the links' `download` attribute, Chrome saved that page as
"download.html" and the therapist stayed on the version page, not told they were signed out.
The views send the files as attachments, so the links need no attribute."""

import re
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from playwright.sync_api import expect

from rehab_clinic.accounts.middleware import LAST_SEEN_KEY
from tests.builders import log_with_run_file, make_plan, make_program

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _idle_for_31_minutes(page: Any) -> None:
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_string(settings.SESSION_ENGINE + ".SessionStore")(cookie["value"])
    session[LAST_SEEN_KEY] = timezone.now().timestamp() - 31 * 60
    session.save()


@pytest.mark.parametrize("link", ["Clinic copy (shorthand)", "Original run file"])
def test_a_download_after_the_session_ended_shows_the_sign_in_page(
    page: Any, live_server: Any, login: Any, episode: Any, therapist: Any, patient_user: Any,
    link: str,
) -> None:  # fmt: skip
    program = make_program(episode, therapist, items=1)
    plan = make_plan(episode, therapist)
    log_with_run_file(plan, patient_user)
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, therapist)
    if link == "Original run file":
        page.goto(f"{live_server.url}/programs/rtr/{plan.pk}/")
    else:
        page.goto(f"{live_server.url}/programs/{program.pk}/versions/1/")
    _idle_for_31_minutes(page)
    page.get_by_role("link", name=link).first.click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
