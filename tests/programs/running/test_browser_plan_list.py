"""The plan list as a therapist and as a clinic admin: the flags panel, pages of plans, and the
"flagged this week" filter kept while paging; axe on the page."""

import datetime as dt
from typing import Any

import pytest

from programs.running import views
from tests.a11y import assert_no_serious_axe_violations
from tests.factories import EpisodeFactory, PatientFactory

from .factories import log_run, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", ["therapist", "clinic_admin"])
def test_the_plan_list_pages_and_filters_to_flagged_runners(
    page: Any,
    live_server: Any,
    login: Any,
    clinic: Any,
    therapist: Any,
    clinic_admin: Any,
    patient_user: Any,
    monkeypatch: Any,
    role: str,
) -> None:
    monkeypatch.setattr(views, "PLAN_PAGE_SIZE", 2)
    today = clinic.today()
    plans = {}
    for last in ("Abbotsfield", "Brackenbury", "Cholmondeley", "Dunsterforth"):
        patient = PatientFactory(clinic=clinic, primary_therapist=therapist, last_name=last)
        plans[last] = make_plan(EpisodeFactory(patient=patient), therapist)
    for last in ("Brackenbury", "Dunsterforth"):
        log_run(plans[last], patient_user, today - dt.timedelta(days=1), limp=True)
    login(page, therapist if role == "therapist" else clinic_admin)
    page.goto(f"{live_server.url}/programs/rtr/")

    panel = page.get_by_role("region", name="Return to run: flagged runners")
    panel.get_by_role("link", name="Runner").first.wait_for()
    assert "Brackenbury" in panel.inner_text()
    assert "Dunsterforth" in panel.inner_text()
    table = page.get_by_role("table", name="Plans in progress")
    assert "Abbotsfield" in table.inner_text()
    assert "Cholmondeley" not in table.inner_text()
    assert page.get_by_text("Page 1 of 2").is_visible()
    assert_no_serious_axe_violations(page)

    page.get_by_label("Flagged this week only").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**flagged=1**")
    table = page.get_by_role("table", name="Plans in progress, flagged")
    assert "Brackenbury" in table.inner_text()
    assert "Dunsterforth" in table.inner_text()
    assert "Abbotsfield" not in table.inner_text()
    assert page.get_by_role("navigation", name="Plan list pages").count() == 0
