"""What a therapist sees in Chromium: treatment minutes typed on a daily note, the units worked
out before saving, and the same units on the signed note."""

import pytest
from playwright.sync_api import expect

from assessments.billing_services import seed_billing_codes
from assessments.models import Note
from assessments.services import start_note
from tests.a11y import assert_no_serious_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_therapist_records_minutes_sees_the_units_and_signs_them(
    live_server, page, login, therapist, clinic, episode
):
    seed_billing_codes(clinic=clinic)
    note = start_note(episode=episode, kind=Note.Kind.DAILY, by=therapist)
    login(page, therapist)
    page.goto(f"{live_server.url}/assessments/notes/{note.pk}/edit/")
    page.get_by_label("Pain now (NPRS 0-10)").select_option("3")
    page.get_by_label("Time in").fill("09:00")
    page.get_by_label("Time out").fill("09:50")
    page.get_by_label("Code, row 1").select_option("97110")
    page.get_by_label("Minutes spent, row 1").fill("33")
    page.get_by_label("Code, row 2").select_option("97140")
    page.get_by_label("Minutes spent, row 2").fill("7")
    page.get_by_role("button", name="Work out the units").click()

    preview = page.locator("#units-preview")
    expect(preview).to_contain_text("Total timed minutes")
    expect(preview.locator("tr", has_text="97110 Therapeutic exercise")).to_contain_text("2")
    expect(preview.locator("tr", has_text="97140 Manual therapy")).to_contain_text("1")
    expect(page.get_by_label("Minutes spent, row 1")).to_have_value("33")  # nothing lost
    assert_no_serious_axe_violations(page)

    page.get_by_label("Minutes spent, row 1").fill("60")  # more than the 50-minute session
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("#error-summary")).to_contain_text("More than the 50 minutes")
    page.get_by_label("Minutes spent, row 1").fill("33")
    page.get_by_role("button", name="Save note").click()

    expect(page.get_by_text("Draft: not signed.")).to_be_visible()
    page.get_by_role("link", name="Review and sign").click()
    page.get_by_role("button", name="Sign and lock").click()
    expect(page.locator("#signature")).to_contain_text("Signed and locked")
    units = page.get_by_role("region", name="Treatment minutes and billing units")
    expect(units.locator("tr", has_text="97110 Therapeutic exercise")).to_contain_text("33")
    expect(page.get_by_text("Total units")).to_be_visible()
