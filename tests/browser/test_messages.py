"""Secure messages on phones: the runner writes to the clinic, the therapist (another browser)
finds the thread under Unread messages on Today and replies, the runner reads the reply and the
menu's count goes; each new page checked with axe at phone width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
QUESTION = "Achilles is stiff this morning. Should I still do the hill session?"
REPLY = "Skip the hills today; do the calf raises and an easy 20 minutes."


def test_the_runner_asks_the_therapist_replies_and_the_runner_reads_it_on_a_phone(
    browser: Any, live_server: Any, login: Any, therapist: Any, patient_user: Any,
    episode: Any, clinic: Any,
) -> None:  # fmt: skip
    clinic.phone = "+1 555 0100"
    clinic.opening_hours = "Mon-Fri 8:00-18:00"
    clinic.save()
    runner_phone = browser.new_context(viewport=PHONE)
    runner = runner_phone.new_page()
    login(runner, patient_user)
    runner.goto(f"{live_server.url}/portal/messages/")
    expect(runner.get_by_role("heading", name=f"Messages with {clinic.name}")).to_be_visible()
    expect(runner.get_by_text("For urgent problems call")).to_contain_text("+1 555 0100")
    expect(runner.get_by_text("Mon-Fri 8:00-18:00")).to_be_visible()
    assert_no_serious_axe_violations(runner)
    runner.get_by_role("textbox", name="Message").fill(QUESTION)
    runner.get_by_role("button", name="Send").click()
    expect(runner.get_by_text("Your message was sent.")).to_be_visible()
    expect(runner.locator("#thread-messages")).to_contain_text(QUESTION)
    assert_no_serious_axe_violations(runner)

    therapist_phone = browser.new_context(viewport=PHONE)
    desk = therapist_phone.new_page()
    login(desk, therapist)
    expect(desk.get_by_role("heading", name="Today")).to_be_visible()
    queue = desk.locator('[data-queue="messages"]')
    expect(queue).to_contain_text(patient_user.patient.full_name)
    expect(queue).to_contain_text("1 new message")
    queue.get_by_role("link", name=f"{patient_user.patient.full_name}: 1 new message").click()
    expect(desk.get_by_role("heading", name="Messages with")).to_be_visible()
    expect(desk.locator("#thread-messages")).to_contain_text(QUESTION)
    # The page marks itself read once shown (a POST; the GET wrote nothing).
    expect(desk.get_by_role("button", name="Mark as read")).to_have_count(0)
    assert_no_serious_axe_violations(desk)
    desk.get_by_role("textbox", name="Message").fill(REPLY)
    desk.get_by_role("button", name="Send").click()
    expect(desk.get_by_text("Your reply was sent.")).to_be_visible()
    expect(desk.locator("#thread-messages")).to_contain_text(REPLY)
    desk.goto(f"{live_server.url}/patients/today/")
    expect(desk.locator('[data-queue="messages"]')).to_contain_text("Nothing waiting.")
    therapist_phone.close()

    runner.goto(f"{live_server.url}/portal/")
    count = runner.locator('a[href="/portal/messages/"] [data-nav-count]')
    expect(count).to_have_text("1 unread")
    runner.goto(f"{live_server.url}/portal/messages/")
    expect(runner.locator("#thread-messages")).to_contain_text(REPLY)
    expect(runner.get_by_role("button", name="Mark as read")).to_have_count(0)
    assert_no_serious_axe_violations(runner)
    runner.goto(f"{live_server.url}/portal/")
    expect(count).to_have_count(0)
    runner_phone.close()
