"""After `seed_demo`, every demo account signs in through the real form and lands on its page,
and the pages it lands on and links to all answer without an error."""

from typing import Any

import pytest
from django.core.management import call_command

from tests.a11y import assert_no_serious_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO = [
    ("admin@demo.clinic", "Riverside Running Rehab", False),
    ("therapist@demo.clinic", "Today", False),
    ("patient@demo.clinic", "Hello, Maya", True),
    ("patient2@demo.clinic", "Hello, Leo", True),
    ("therapist@other.clinic", "Today", False),
    ("patient@other.clinic", "Hello, Ines", True),
]


def test_every_demo_account_signs_in_lands_and_can_open_each_menu_page(
    page: Any, live_server: Any
) -> None:
    call_command("seed_demo", verbosity=0)
    failures = []
    for email, heading, phone in DEMO:
        page.context.clear_cookies()
        page.set_viewport_size(
            {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        )
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill("demo-pass-123")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name=heading).first.wait_for()
        assert_no_serious_axe_violations(page)
        links = page.eval_on_selector_all(
            "#main-nav a.nav-link[href^='/'], #main-nav a.dropdown-item[href^='/']",
            "els => els.map(e => e.getAttribute('href'))",
        )
        for href in links:
            response = page.goto(live_server.url + href)
            if response is None or response.status != 200:
                failures.append((email, href, response.status if response else None))
    assert not failures, failures
