"""Return to running in Chromium: a therapist sets up a plan, a runner logs on a phone, the
rule moves the plan, the therapist overrides with a note; the player runs and logs; axe."""

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.running.log_models import SessionLog
from programs.running.models import ReturnToRunPlan
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import make_plan, protocol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _iso(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).isoformat()


def _log_run(page: Any, url: str, plan_pk: int, days_ago: int, pain: int) -> None:
    page.goto(f"{url}/portal/run/{plan_pk}/log/")
    page.get_by_label("Date").fill(_iso(days_ago))
    page.get_by_label("Total time (minutes)").fill("40")
    page.get_by_label("Time spent running (minutes)").fill("5")
    page.get_by_label("Worst pain during the run (0-10)").fill(str(pain))
    page.get_by_label("Pain right after the run (0-10)").fill("1")
    page.get_by_role("button", name="Save this run").click()
    expect(page.get_by_role("heading", name="My running")).to_be_visible()


def _check_in(page: Any, url: str, plan_pk: int, days_ago: int, pain: int = 0) -> None:
    page.goto(f"{url}/portal/run/{plan_pk}/check-in/")
    page.get_by_label("Morning of").fill(_iso(days_ago))
    page.get_by_label("Pain this morning (0-10)").fill(str(pain))
    page.get_by_label("Stiffness this morning (0-10)").fill("1")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("heading", name="My running")).to_be_visible()


def test_plan_from_protocol_logged_on_a_phone_moves_by_the_rule_and_is_overridden(
    live_server: Any,
    page: Any,
    browser: Any,
    login: Any,
    therapist: Any,
    patient_user: Any,
    episode: Any,
) -> None:
    url = live_server.url
    protocol(therapist.clinic)  # the clinic's seeded protocols

    # The therapist creates the plan from the time-based protocol.
    login(page, therapist)
    page.goto(f"{url}/programs/rtr/new/?episode={episode.pk}")
    page.get_by_label("Protocol").select_option(label="Walk/run ladder (time-based)")
    page.get_by_label("First run on").fill(_iso(10))
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", name="Walk/run ladder (time-based)")).to_be_visible()
    expect(page.get_by_text("Stage 1 of 6")).to_be_visible()
    assert_no_serious_axe_violations(page)
    plan = ReturnToRunPlan.objects.get(episode=episode)
    # A draft until started; readiness is not met, so starting needs a reason.
    page.get_by_role("button", name="Start with override").click()
    expect(page.get_by_text("Write why you start anyway")).to_be_visible()
    page.get_by_label("Why start before every readiness criterion is met").fill(
        "Walking 40 min pain-free; heel raises retested next week."
    )
    page.get_by_role("button", name="Start with override").click()
    expect(page.get_by_text("Plan started: the runner can see it now.")).to_be_visible()

    # The runner, on a phone.
    phone = browser.new_context(viewport=PHONE)
    runner = phone.new_page()
    login(runner, patient_user)
    runner.goto(f"{url}/portal/run/{plan.pk}/log/")
    assert_no_serious_axe_violations(runner)
    recommendation = runner.get_by_test_id("recommendation")
    reason = runner.get_by_test_id("recommendation-reason")

    _log_run(runner, url, plan.pk, days_ago=8, pain=1)
    expect(recommendation).to_have_text("Repeat stage 1")
    expect(reason).to_contain_text("No check-in was made on the morning after")

    _check_in(runner, url, plan.pk, days_ago=7)
    expect(recommendation).to_have_text("Repeat stage 1")
    expect(reason).to_contain_text("1 of 2 successful sessions")

    _log_run(runner, url, plan.pk, days_ago=6, pain=2)
    _check_in(runner, url, plan.pk, days_ago=5)
    expect(recommendation).to_have_text("Moved up to stage 2")

    _log_run(runner, url, plan.pk, days_ago=4, pain=6)
    expect(recommendation).to_have_text("Rest a day, then step back to stage 1")
    expect(reason).to_contain_text("6/10, above this plan's limit of 3/10")
    expect(runner.get_by_test_id("stop-sign")).to_contain_text(
        "Stop running and contact Riverside Test Clinic"
    )

    # The therapist overrides the step back, with a note.
    page.goto(f"{url}/programs/rtr/{plan.pk}/")
    pending = page.get_by_test_id("pending-change")
    expect(pending).to_have_count(2)
    # Confirm the progression, then override the step back.
    pending.filter(has_text="1 → 2").get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Recommendation confirmed.")).to_be_visible()
    expect(pending).to_have_count(1)
    page.get_by_label("Set the stage to").select_option("2")
    page.get_by_label("Note (why)").fill("Pain came from a fall on ice, not the tendon.")
    page.get_by_role("button", name="Override with note").click()
    expect(page.get_by_text("Stage set to 2.")).to_be_visible()
    expect(page.get_by_test_id("override-note")).to_contain_text("a fall on ice")
    expect(page.get_by_test_id("pending-change")).to_have_count(0)

    runner.goto(f"{url}/portal/run/")
    expect(recommendation).to_have_text("Your therapist set stage 2")
    expect(runner.get_by_test_id("therapist-note")).to_contain_text("a fall on ice")
    assert_no_serious_axe_violations(runner)  # the runner's plan page, with chart and runs
    phone.close()


def test_the_player_times_intervals_from_the_clock_and_logs_the_session(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist)
    page.set_viewport_size(PHONE)
    page.clock.install()
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/run/{plan.pk}/player/")
    assert_no_serious_axe_violations(page)
    phase = page.locator("[data-role=phase]")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(phase).to_have_text("Warm-up walk")
    # The screen "sleeps" for five minutes: no ticks run, the wall clock moves on.
    page.clock.fast_forward("05:10")
    expect(phase).to_have_text("Run 1 of 5")
    expect(phase).to_have_attribute("data-kind", "run")
    page.clock.fast_forward("01:00")
    expect(phase).to_have_text(re.compile(r"Walk 1 of 5"))
    # A reload (or the browser discarding the sleeping tab) resumes the same session.
    page.reload()
    expect(phase).to_have_text(re.compile(r"Walk 1 of 5"))
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.get_by_role("button", name="Finish and log").click()
    form = page.locator("#rtr-log-form")
    expect(form).to_be_visible()
    expect(page.get_by_label("Time spent running (minutes)")).to_have_value("1.0")
    page.get_by_label("Worst pain during the run (0-10)").fill("2")
    page.get_by_label("Pain right after the run (0-10)").fill("2")
    page.get_by_role("button", name="Save this run").click()
    expect(page.get_by_role("heading", name="My running")).to_be_visible()
    log = SessionLog.objects.get(plan=plan)
    assert log.run_minutes == 1
    assert not log.completed


def test_the_player_discards_a_saved_session_started_over_12_hours_ago(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist)
    key = f"rtr-player:{plan.pk}:{plan.current_stage}"
    save = "([key, minutes]) => window.localStorage.setItem(key, JSON.stringify({startedAt: "
    save += "Date.now() - minutes * 60000, pausedAt: null, pausedMs: 0, lastIndex: 1}))"
    page.set_viewport_size(PHONE)
    login(page, patient_user)
    player = f"{live_server.url}/portal/run/{plan.pk}/player/"
    page.goto(player)
    # A session started two minutes ago is a run in progress: the reload resumes it.
    page.evaluate(save, [key, 2])
    page.reload()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    # One started 13 hours ago is a leftover: dropped, and the player waits for Start.
    page.evaluate(save, [key, 13 * 60])
    page.reload()
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Pause")).to_be_hidden()
    expect(page.locator("[data-role=elapsed]")).to_contain_text(re.compile(r"^0:00 of"))
    assert page.evaluate("key => window.localStorage.getItem(key)", key) is None


def test_bad_input_in_the_browser_shows_beside_the_field_and_keeps_the_rest(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist)
    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/run/{plan.pk}/log/")
    page.get_by_label("Date").fill((timezone.localdate() + dt.timedelta(days=3)).isoformat())
    page.get_by_label("Total time (minutes)").fill("-4")
    page.get_by_label("Worst pain during the run (0-10)").fill("11")
    page.get_by_label("Pain right after the run (0-10)").fill("1")
    page.get_by_label("Notes").fill("Windy by the harbour")
    page.get_by_role("button", name="Save this run").click()
    expect(page.get_by_text("This date is in the future.")).to_be_visible()
    expect(page.get_by_text("Minutes cannot be negative.")).to_be_visible()
    expect(page.get_by_text("Enter a whole number from 0 (no pain) to 10")).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Windy by the harbour")
    expect(page.get_by_label("Worst pain during the run (0-10)")).to_have_value("11")
    assert_no_serious_axe_violations(page)
    assert not SessionLog.objects.exists()


def test_metronome_plays_the_target_cadence_and_sessions_are_marked_done(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    from programs.running import gait_services

    prescription = gait_services.create_gait_prescription(
        episode=episode,
        by=therapist,
        baseline_cadence=158,
        increase_pct="7.5",
        cue_type="metronome",
    )
    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/run/gait/{prescription.pk}/")
    expect(page.get_by_label("Beats per minute")).to_have_value("170")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Start metronome").click()
    stop = page.get_by_role("button", name="Stop metronome")
    expect(stop).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("Playing at 170 steps per minute.")).to_be_visible()
    stop.click()
    expect(page.get_by_text("Stopped.")).to_be_visible()
    page.get_by_role("button", name="Mark session 1 done").click()
    expect(page.get_by_text("Session 1 marked done.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark session 2 done")).to_be_visible()
