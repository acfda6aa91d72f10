"""A runner on a phone makes their calendar link, copies it and the feed it opens is a calendar
of their run and rest days; axe finds nothing serious on either page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect

from programs.running.calendar_models import CalendarFeed
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import make_plan
from tests.programs.running.test_calendar_feed import parse_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# How far (px) the middle of an element's text is below the middle of the element.
_TEXT_OFF_CENTRE = """element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const text = range.getBoundingClientRect(), box = element.getBoundingClientRect();
    return (text.top + text.height / 2) - (box.top + box.height / 2);
}"""


def test_a_runner_makes_the_calendar_link_on_a_phone_and_the_feed_answers(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    today = episode.patient.clinic.today()
    make_plan(episode, therapist, started_on=today - dt.timedelta(days=7))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/run/")
    card = page.get_by_test_id("calendar-card")
    expect(card.get_by_role("heading", name="Add to your calendar")).to_be_visible()
    assert_no_serious_axe_violations(page)
    card.get_by_role("button", name="Make my calendar link").click()

    expect(page.get_by_role("heading", name="Your calendar link")).to_be_visible()
    field = page.get_by_label("Calendar link")
    feed_url = field.input_value()
    assert feed_url.startswith(live_server.url)
    assert feed_url.endswith(".ics")
    page.get_by_role("button", name="Copy the link").click()
    expect(page.get_by_role("status")).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == feed_url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for name in ("Open in my calendar app", "Back to my running"):
        # A link styled as a tall touch button keeps its words in the middle, as a button does.
        offset = page.get_by_role("link", name=name).evaluate(_TEXT_OFF_CENTRE)
        assert abs(offset) <= 2, (name, offset)
    assert_no_serious_axe_violations(page)

    with urlopen(feed_url) as answer:  # noqa: S310 - the test server's own http URL
        assert answer.headers["Content-Type"].startswith("text/calendar")
        _calendar, events = parse_calendar(answer.read())
    assert events
    assert events[0]["DTSTART;VALUE=DATE"] == f"{today:%Y%m%d}"
    assert CalendarFeed.objects.live().count() == 1

    page.goto(f"{live_server.url}/portal/run/")
    page.get_by_role("button", name="Turn the link off").click()
    expect(page.get_by_text("Your calendar link is off")).to_be_visible()
    assert not CalendarFeed.objects.live().exists()
