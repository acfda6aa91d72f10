"""A therapist archives a patient by mistake and restores them from the archive, in Chromium:
the confirm dialogs, the message on each page, and axe on the archive list."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_archived_by_mistake_is_restored(
    page: Any, live_server: Any, login: Any, therapist: Any, patient: Any
) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, therapist)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_text("Archive this patient").click()
    page.get_by_label("Reason").fill("Duplicate record")
    page.get_by_role("button", name="Archive", exact=True).click()
    expect(page.get_by_text(f"{patient.full_name} was archived.")).to_be_visible()

    page.get_by_role("link", name="Archived patients").click()
    row = page.locator(f'tr[data-patient="{patient.pk}"]')
    expect(row).to_contain_text("Duplicate record")
    assert_no_serious_axe_violations(page)
    row.get_by_role("button", name=f"Restore {patient.full_name}").click()
    expect(page.get_by_text(f"{patient.full_name} is back in the caseload.")).to_be_visible()
    expect(page.get_by_role("heading", name=patient.full_name)).to_be_visible()
