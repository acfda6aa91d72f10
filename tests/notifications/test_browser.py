"""In Chromium: a demo runner logs a painful run with a limp on a phone; her therapist signs in,
sees the count in the menu and reaches the plan in one click from the notification; the one
alert email says nothing clinical. The choices page and the admin's empty list too."""

import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from programs.running.models import ReturnToRunPlan
from rehab_clinic.notifications.models import Notification
from tests.a11y import assert_no_serious_axe_violations
from tests.programs.documents.conftest import eager_celery  # noqa: F401

# The alert email is sent by a Celery task through the outbox: in-process here, as embedded.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("eager_celery"),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "demo-pass-123"


def _sign_in(page: Any, url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def test_a_limp_logged_on_a_phone_reaches_the_therapist_in_one_click_and_one_clean_email(
    page: Any, live_server: Any
) -> None:
    call_command("seed_demo", verbosity=0)
    plan = ReturnToRunPlan.objects.get(
        episode__patient__user__email="patient@demo.clinic", status="active"
    )
    assert not Notification.objects.exists()  # the demo's own history raises none
    mail.outbox.clear()

    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url, "patient@demo.clinic")
    page.goto(f"{live_server.url}/portal/run/{plan.pk}/log/")
    page.get_by_label("Total time (minutes)").fill("40")
    page.get_by_label("Time spent running (minutes)").fill("5")
    page.get_by_label("Worst pain during the run (0-10)").fill("7")
    page.get_by_label("Pain right after the run (0-10)").fill("6")
    page.get_by_label("I limped or my running changed").check()
    page.get_by_role("button", name="Save this run").click()
    expect(page.get_by_role("heading", name="My running")).to_be_visible()

    page.set_viewport_size(DESKTOP)
    _sign_in(page, live_server.url, "therapist@demo.clinic")
    menu_link = page.locator("#main-nav").get_by_role("link", name=re.compile("^Notifications"))
    expect(menu_link.locator("[data-nav-count]")).to_have_text(re.compile(r"^[1-9]\d* unread$"))
    menu_link.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    assert_no_serious_axe_violations(page)
    item = page.get_by_role("button", name="Maya Okafor: Limp or swelling", exact=True)
    expect(item).to_be_visible()
    item.click()
    expect(page).to_have_url(f"{live_server.url}/programs/rtr/{plan.pk}/")
    expect(page.get_by_test_id("therapist-status")).to_be_visible()

    alerts = [m for m in mail.outbox if m.subject == "A patient of yours needs attention"]
    assert len(alerts) == 1
    [alert] = alerts
    assert alert.to == ["therapist@demo.clinic"]
    for secret in ("Maya", "Okafor", "RRR-1001", "Achilles", "M76"):
        assert secret not in alert.body
    for word in ("limp", "pain", "swelling", "stop"):
        assert word not in alert.body.lower()
    assert not re.search(r"\d+\s*/\s*10", alert.body)


def test_a_therapist_chooses_how_alerts_come_and_an_admin_sees_an_empty_list(
    page: Any, live_server: Any
) -> None:
    call_command("seed_demo", verbosity=0)
    page.set_viewport_size(DESKTOP)
    _sign_in(page, live_server.url, "therapist@demo.clinic")
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("link", name="Choices").click()
    expect(page.get_by_role("heading", name="Alert choices")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("group", name="Step back").get_by_label("Not at all").check()
    page.get_by_label("Send the daily digest at").select_option("18")
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_text("Your alert choices are saved.")).to_be_visible()
    expect(page.get_by_role("group", name="Step back").get_by_label("Not at all")).to_be_checked()

    _sign_in(page, live_server.url, "admin@demo.clinic")
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_text("Nothing waiting.")).to_be_visible()
    assert_no_serious_axe_violations(page)
