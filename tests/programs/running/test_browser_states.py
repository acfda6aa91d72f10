"""Each state of the runner's plan page, in Chromium at phone width: one PlanStatus decides what
the phone says and which buttons it offers."""

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from programs.running import services
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import check_in, log_run, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
START = "Start today's run"


def _phone_page(page: Any, login: Any, user: Any, url: str) -> Any:
    page.set_viewport_size(PHONE)
    login(page, user)
    page.goto(f"{url}/portal/run/")
    return page


def test_a_plan_that_starts_later_shows_its_date_and_no_start_button(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    first = episode.patient.clinic.today() + dt.timedelta(days=6)
    make_plan(episode, therapist, started_on=first)
    _phone_page(page, login, patient_user, live_server.url)
    expect(page.get_by_test_id("plan-status")).to_have_text(
        f"Your plan starts on {first:%A} {first.day} {first:%B}."
    )
    expect(page.get_by_role("link", name=START)).to_have_count(0)
    expect(page.get_by_role("link", name="Log a run")).to_have_count(0)
    assert_no_serious_axe_violations(page)


def test_a_rest_day_has_no_start_button_and_i_ran_anyway_logs_it_with_a_warning(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    today = episode.patient.clinic.today()
    plan = make_plan(episode, therapist)
    log_run(plan, patient_user, today - dt.timedelta(days=1))  # one rest day between runs
    _phone_page(page, login, patient_user, live_server.url)
    expect(page.get_by_test_id("plan-status")).to_contain_text("Rest today.")
    expect(page.get_by_role("link", name=START)).to_have_count(0)

    page.get_by_role("link", name="I ran anyway: log it").click()
    expect(page.get_by_test_id("rest-day-warning")).to_contain_text("Today is a rest day")
    page.get_by_label("Total time (minutes)").fill("30")
    page.get_by_label("Worst pain during the run (0-10)").fill("1")
    page.get_by_label("Pain right after the run (0-10)").fill("1")
    page.get_by_role("button", name="Save this run").click()
    expect(page.get_by_text("today was a rest day")).to_be_visible()
    assert plan.logs.filter(date=today).count() == 1


def test_a_limp_tells_the_runner_to_stop_and_call_the_clinic_by_its_real_number(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    clinic = episode.patient.clinic
    clinic.phone = "(608) 555-0142"
    clinic.save()
    plan = make_plan(episode, therapist)
    log_run(plan, patient_user, clinic.today(), limp=True, notes="had to walk home")
    _phone_page(page, login, patient_user, live_server.url)
    expect(page.get_by_test_id("stop-sign")).to_have_text(
        f"Stop running and contact {clinic.name}: (608) 555-0142."
    )
    expect(page.get_by_role("link", name=START)).to_have_count(0)
    expect(page.get_by_role("link", name="Log a run")).to_have_count(0)
    assert_no_serious_axe_violations(page)


def test_a_morning_jump_in_the_last_check_in_is_a_stop_sign(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    clinic = episode.patient.clinic
    clinic.phone = "(608) 555-0142"
    clinic.save()
    plan = make_plan(episode, therapist)
    log_run(plan, patient_user, clinic.today() - dt.timedelta(days=1))
    check_in(plan, patient_user, clinic.today(), pain=8)
    _phone_page(page, login, patient_user, live_server.url)
    expect(page.get_by_test_id("stop-sign")).to_contain_text("(608) 555-0142")


@pytest.mark.parametrize(
    ("close", "words"),
    [
        ("paused", "Your plan is paused. Do not run until your therapist restarts it."),
        ("stopped", "This plan has been closed."),
        ("completed", "You have completed your return-to-running plan."),
    ],
)
def test_paused_closed_and_complete_plans_say_so_without_run_buttons(
    live_server: Any,
    page: Any,
    login: Any,
    therapist: Any,
    patient_user: Any,
    episode: Any,
    close: str,
    words: str,
) -> None:
    plan = make_plan(episode, therapist)
    if close == "paused":
        services.pause_plan(plan=plan, by=therapist, note="Flu")
    else:
        services.close_plan(plan=plan, by=therapist, status=close, note="Done")
    _phone_page(page, login, patient_user, live_server.url)
    expect(page.get_by_test_id("plan-status")).to_contain_text(words)
    expect(page.get_by_role("link", name=START)).to_have_count(0)
    expect(page.get_by_role("link", name="Morning check-in")).to_have_count(0)


def test_a_run_day_offers_the_start_button(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    make_plan(episode, therapist)
    _phone_page(page, login, patient_user, live_server.url)
    expect(page.get_by_test_id("plan-status")).to_have_text("Next run: today.")
    expect(page.get_by_role("link", name=START)).to_be_visible()


def test_the_therapist_sees_the_limp_on_the_caseload_plan_and_chart_with_the_runners_words(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist)
    today = episode.patient.clinic.today()
    log_run(plan, patient_user, today, pain_during=7, limp=True, notes="had to walk home")
    login(page, therapist)
    page.goto(f"{live_server.url}/patients/")
    panel = page.locator(
        "section", has=page.get_by_role("heading", name="Return to run: flagged runners")
    )
    expect(panel).to_contain_text("Limp or changed gait")
    expect(panel).to_contain_text("Stepped back")
    expect(panel).to_contain_text("had to walk home")

    page.goto(f"{live_server.url}/programs/rtr/{plan.pk}/")
    expect(page.get_by_test_id("therapist-status")).to_contain_text("Stop sign reported")
    expect(page.get_by_test_id("pending-change")).to_contain_text("altered gait")
    expect(page.get_by_test_id("pending-change")).to_contain_text("told to stop running")
    assert_no_serious_axe_violations(page)

    page.goto(f"{live_server.url}/patients/{episode.patient.pk}/")
    expect(page.get_by_text("Return to run flag: limp on")).to_be_visible()
    expect(page.get_by_text("had to walk home").first).to_be_visible()
