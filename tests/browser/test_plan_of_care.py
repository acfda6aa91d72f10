"""The plan of care and the outcomes report as people use them: a therapist adds a goal linked
to the LEFS and reads its status; a mistyped goal is explained beside the field; the clinic
admin reads the report with its chart. Both pages pass axe."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from playwright.sync_api import expect

from patients.models import CareGoal
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import discharged_episode, intake
from tests.factories import PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_therapist_sets_a_goal_and_sees_its_status(
    page: Any, live_server: Any, login: Any, therapist: Any, clinic: Any, episode: Any
) -> None:
    intake(episode, therapist, signed=True, day=clinic.today() - dt.timedelta(days=10))
    login(page, therapist)
    page.goto(f"{live_server.url}/patients/episodes/{episode.pk}/")
    page.get_by_role("link", name="Plan of care").click()
    page.get_by_role("heading", name="Plan of care").wait_for()
    form = page.locator("form", has=page.get_by_role("button", name="Add goal"))
    form.get_by_role("textbox", name="Goal").fill("LEFS of 70 or more")
    form.get_by_label("Target date").fill((clinic.today() + dt.timedelta(days=30)).isoformat())
    form.get_by_label("Target value").fill("70")
    form.get_by_role("button", name="Add goal").click()
    # No measure chosen for the target: refused beside the field, the text kept.
    expect(page.get_by_text("Choose the measure this target is for, or clear it.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Goal")).to_have_value("LEFS of 70 or more")
    page.get_by_label("Measured by").select_option("outcome:lefs.total")
    page.get_by_role("button", name="Add goal").click()
    expect(page.get_by_text("Goal added to the plan of care.")).to_be_visible()
    row = page.locator("tr", has_text="LEFS of 70 or more")
    expect(row.locator(".goal-status")).to_have_text("Not met")  # LEFS 50, no change yet
    assert CareGoal.objects.get().measure_code == "lefs.total"
    assert_no_serious_axe_violations(page)
    _shot(page, "plan_of_care")


def test_the_clinic_admin_reads_the_outcomes_report(
    page: Any, live_server: Any, login: Any, clinic_admin: Any, clinic: Any, therapist: Any
) -> None:
    discharge = clinic.today() - dt.timedelta(days=1)
    patient = PatientFactory(clinic=clinic, primary_therapist=therapist)
    for _ in range(5):
        discharged_episode(
            patient,
            therapist,
            intake_day=discharge - dt.timedelta(days=30),
            discharge_day=discharge,
        )
    login(page, clinic_admin)
    page.goto(f"{live_server.url}/clinic/")
    page.get_by_role("link", name="What the clinic achieves: the outcomes report").click()
    page.get_by_role("heading", name="What the clinic achieves").wait_for()
    expect(page.get_by_role("heading", name="Episodes discharged")).to_be_visible()
    expect(page.locator("svg.bar-chart").first).to_be_visible()
    lefs = page.locator("#report-outcomes tr", has_text="Lower Extremity")
    expect(lefs).to_contain_text("100%")  # five of five improved by the MCID of 9
    _shot(page, "outcomes_report")
    page.get_by_label("Discharged to").fill("2000-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The period cannot end before it starts.")).to_be_visible()
    assert_no_serious_axe_violations(page)
