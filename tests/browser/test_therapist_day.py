"""The therapist's day in Chromium: Today, the caseload (sort, filter, pages) and the episode
chart page, each checked with axe; and a runner's painful run with a limp, logged on a phone,
at the top of the therapist's Today with what the runner wrote, one click from the plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.services import record_outcome
from programs.home.models import ProgramVersion
from rehab_clinic.accounts.models import User
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import LEFS_50, daily, intake, log_run, make_plan, make_program
from tests.factories import EpisodeFactory, PatientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_today_the_caseload_and_the_episode_charts_as_a_therapist(
    page: Any, live_server: Any, login: Any, therapist: Any, clinic: Any
) -> None:
    today = clinic.today()
    rosa = PatientFactory(clinic=clinic, first_name="Rosa", last_name="Alvarez")
    rosa.primary_therapist = therapist
    rosa.save()
    episode = EpisodeFactory(patient=rosa, label="Calf strain, left")
    intake(episode, therapist, signed=True, day=today - dt.timedelta(days=20))
    daily(episode, therapist, pain=3, day=today - dt.timedelta(days=16))
    record_outcome(episode=episode, instrument_code="lefs", answers=LEFS_50, by=therapist)
    plan = make_plan(episode, therapist)
    log_run(plan, therapist, today - dt.timedelta(days=1), pain_during=5, notes="Tight calf")
    make_program(episode, therapist, items=1, modality=False)
    for n in range(30):
        EpisodeFactory(
            patient=PatientFactory(
                clinic=clinic, primary_therapist=therapist, last_name=f"Zz{n:02d}"
            )
        )

    login(page, therapist)
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    menu = page.get_by_role("navigation", name="Today's queues")
    expect(menu.get_by_role("link", name="Runners with a stop sign or step back 1")).to_be_visible()
    runners = page.locator('[data-queue="runners"]')
    expect(runners).to_contain_text("Runner wrote: “Tight calf”")
    expect(page.locator('[data-queue="drafts"]')).to_contain_text("Nothing waiting.")
    expect(page.locator('[data-queue="unplanned"]')).to_contain_text("See all 30")
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Caseload", exact=True).click()
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    expect(page.get_by_text("31 patients")).to_be_visible()
    assert_no_serious_axe_violations(page)
    row = page.locator(f'tr[data-patient="{rosa.pk}"]')
    expect(row).to_contain_text("Calf strain, left")
    expect(row).to_contain_text("above the plan's ceiling")
    expect(row.locator("svg.sparkline")).to_have_count(1)

    page.get_by_role("checkbox", name="Flagged", exact=True).check()
    expect(page.get_by_text("1 patient", exact=True)).to_be_visible()
    page.get_by_role("checkbox", name="Flagged", exact=True).uncheck()
    expect(page.get_by_text("31 patients")).to_be_visible()
    page.get_by_label("Sort by").select_option("-name")
    expect(page.locator("tbody tr").first).to_contain_text("Zz29")
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_label("Sort by")).to_have_value("-name")
    expect(page.locator("tbody tr").last).to_contain_text("Alvarez, Rosa")

    page.locator(f'tr[data-patient="{rosa.pk}"]').get_by_role("link", name="Calf strain").click()
    page.get_by_role("link", name="Charts").click()
    expect(page.get_by_role("heading", name="Trends: Calf strain, left")).to_be_visible()
    expect(page.get_by_role("heading", name="NPRS (visit scores)")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Return to run: {plan.name}")).to_be_visible()
    expect(page.get_by_role("heading", name="Home program adherence per week")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_a_painful_run_with_a_limp_logged_on_a_phone_tops_the_therapists_today(
    browser: Any, page: Any, live_server: Any, login: Any, therapist: Any, patient_user: Any
) -> None:
    patient = patient_user.patient
    patient.primary_therapist = therapist
    patient.save()
    episode = EpisodeFactory(patient=patient)
    plan = make_plan(episode, therapist)
    other = EpisodeFactory(patient=PatientFactory(clinic=patient.clinic, first_name="Earlier"))
    earlier = make_plan(other, therapist)
    log_run(earlier, therapist, patient.clinic.today() - dt.timedelta(days=3), limp=True)

    phone = browser.new_context(viewport=PHONE)
    runner = phone.new_page()
    login(runner, patient_user)
    runner.goto(f"{live_server.url}/portal/run/{plan.pk}/log/")
    runner.get_by_label("Total time (minutes)").fill("30")
    runner.get_by_label("Time spent running (minutes)").fill("5")
    runner.get_by_label("Worst pain during the run (0-10)").fill("7")
    runner.get_by_label("Pain right after the run (0-10)").fill("6")
    runner.get_by_label("I limped or my running changed").check()
    runner.get_by_label("Notes").fill("Sharp pain at the heel, had to walk home")
    runner.get_by_role("button", name="Save this run").click()
    expect(runner.get_by_role("heading", name="My running")).to_be_visible()
    phone.close()

    login(page, therapist)
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    first_queue = page.locator("[data-queue]").first
    expect(first_queue).to_have_attribute("data-queue", "runners")
    top = first_queue.locator(".today-item").first
    expect(top).to_contain_text(patient.full_name)
    expect(top).to_contain_text("Limp or changed gait")
    expect(top).to_contain_text("Runner wrote: “Sharp pain at the heel, had to walk home”")
    top.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/programs/rtr/{plan.pk}/")


def test_needs_attention_on_the_caseload_says_whose_patients_it_covers(
    page: Any, live_server: Any, login: Any, therapist: Any, clinic: Any
) -> None:
    """Found walking the caseload: the panel now holds only the therapist's own and the
    unassigned patients, but a colleague's idle patient sat in the caseload list above while the
    panel said "Everyone with an active home program has exercised in the last 3 days"."""
    colleague = UserFactory(clinic=clinic, role=User.Role.THERAPIST, full_name="Cole League")
    theirs = PatientFactory(clinic=clinic, first_name="Cara", last_name="Colleagues")
    theirs.primary_therapist = colleague
    theirs.save()
    program = make_program(EpisodeFactory(patient=theirs), colleague, items=1, modality=False)
    week_ago = timezone.now() - dt.timedelta(days=7)
    ProgramVersion.objects.filter(program=program).update(published_at=week_ago)

    login(page, therapist)
    page.goto(f"{live_server.url}/patients/")
    expect(page.locator(f'tr[data-patient="{theirs.pk}"]')).to_be_visible()
    panel = page.locator("section", has=page.get_by_role("heading", name="Needs attention"))
    expect(panel).not_to_contain_text("Cara Colleagues")
    expect(panel).not_to_contain_text("Everyone with an active home program")
    expect(panel).to_contain_text("your patients and the unassigned")
