"""The account menu under the user's name: sign-in security, sessions, password and signing out,
kept out of the row of work links so a clinic admin's menu fits on one line. Opened and used with
the keyboard alone, on a desktop and inside the phone menu."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNT_PAGES = {
    "Sign-in security": "Sign-in security",
    "Where you are signed in": "Where you are signed in",
    "Change password": "Change your password",
}


def test_an_admin_opens_the_account_menu_with_the_keyboard_and_reaches_each_page(
    page: Any, live_server: Any, login: Any, clinic_admin: Any
) -> None:
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, clinic_admin)
    nav = page.get_by_role("navigation", name="Main")
    # The row holds the clinic's work; the account pages are only in the menu.
    assert nav.get_by_role("link", name="Sign-in security").count() == 0
    toggle = nav.get_by_role("button", name=clinic_admin.full_name)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(nav.get_by_role("link", name="Sign-in security")).to_be_focused()
    for label in ACCOUNT_PAGES:
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(nav.get_by_role("link", name="Sign-in security")).to_be_hidden()

    for label, heading in ACCOUNT_PAGES.items():
        toggle.click()
        nav.get_by_role("link", name=label).click()
        page.get_by_role("heading", name=heading).first.wait_for()
        # The open page is marked in the menu, as in the row.
        toggle.click()
        expect(nav.get_by_role("link", name=label)).to_have_attribute("aria-current", "page")
        page.keyboard.press("Escape")

    toggle.click()
    nav.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()


def test_a_patient_signs_out_from_the_account_menu_inside_the_phone_menu(
    page: Any, live_server: Any, login: Any, patient_user: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, patient_user)
    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("button", name=patient_user.full_name).click()
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_in_viewport()
    assert_no_serious_axe_violations(page)
    sign_out.click()
    page.get_by_role("heading", name="Sign in").wait_for()
