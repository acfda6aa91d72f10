"""In Chromium on a phone: the patient opens Reminders from the menu, sets a time, saves, and
sees it kept; axe finds no serious problem on the page or on the unsubscribe page."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rehab_clinic.reminders.models import ReminderSettings
from rehab_clinic.reminders.tokens import unsubscribe_token
from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_patient_sets_an_exercise_reminder_on_a_phone(
    page: Any, live_server: Any, login: Any, patient_user: Any, patient: Any
) -> None:
    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("link", name="Reminders").click()
    expect(page.get_by_role("heading", name="Reminders", exact=True)).to_be_visible()
    assert_no_serious_axe_violations(page)

    page.get_by_label("Remind me to do my exercises").check()
    page.get_by_label("Exercise reminder at").fill("19:45")
    page.get_by_label("Quiet from").fill("22:00")
    page.get_by_label("Quiet until").fill("07:00")
    page.get_by_role("button", name="Save reminders").click()

    expect(page.get_by_text("Your reminders are saved.")).to_be_visible()
    expect(page.get_by_label("Exercise reminder at")).to_have_value("19:45")
    expect(page.get_by_label("Remind me to do my exercises")).to_be_checked()
    saved = ReminderSettings.objects.get(patient=patient)
    assert saved.chosen() == {"exercise": dt.time(19, 45)}
    assert saved.quiet_start == dt.time(22, 0)

    # The link in the email: a button to confirm, then done; no sign-in needed.
    page.context.clear_cookies()
    link = reverse("reminders:unsubscribe", args=[unsubscribe_token(patient.pk)])
    page.goto(f"{live_server.url}{link}")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Stop reminder emails").click()
    expect(page.get_by_text("you will get no more reminder emails")).to_be_visible()
    assert not ReminderSettings.objects.get(patient=patient).email_on
