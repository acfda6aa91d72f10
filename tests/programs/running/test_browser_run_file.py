"""A runner on a phone fills the run log from a FIT file: the found values show, the runner adds
the pain scores and saves; a reload or a second read of the same file does not make it two runs;
axe finds nothing serious on the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.running.log_models import SessionLog
from programs.running.runfile_models import PendingRunFile
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import make_plan
from tests.programs.running.runfile_data import fit_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_runner_fills_the_log_from_a_fit_file_on_a_phone(
    live_server: Any,
    page: Any,
    login: Any,
    therapist: Any,
    patient_user: Any,
    episode: Any,
    tmp_path: Any,
) -> None:
    today = episode.patient.clinic.today()
    plan = make_plan(episode, therapist, started_on=today - dt.timedelta(days=7))
    start = (timezone.now() - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    watch_file = tmp_path / "morning.fit"
    watch_file.write_bytes(fit_run(start=start, elapsed_s=1800, timer_s=1500))

    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/run/{plan.pk}/log/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Run file from your watch or phone (.fit or .gpx)").set_input_files(
        str(watch_file)
    )
    page.get_by_role("button", name="Read the file").click()

    found = page.get_by_test_id("run-file-found")
    expect(found).to_contain_text("173 steps/min")
    expect(found).to_contain_text("150 bpm")
    expect(page.get_by_label("Total time (minutes)")).to_have_value("30.0")
    expect(page.get_by_label("Time spent running (minutes)")).to_have_value("25.0")
    assert not SessionLog.objects.exists()
    assert_no_serious_axe_violations(page)

    page.get_by_label("Worst pain during the run (0-10)").fill("2")
    page.get_by_label("Pain right after the run (0-10)").fill("1")
    page.get_by_role("button", name="Save this run").click()
    expect(page.get_by_role("heading", name="My running")).to_be_visible()
    expect(page.get_by_text("Session logged.")).to_be_visible()
    log = SessionLog.objects.get()
    assert (log.cadence, log.duration_minutes, log.pain_during) == (173, 30, 2)


def test_a_reload_after_reading_keeps_one_file_and_a_second_read_warns(
    live_server: Any,
    page: Any,
    login: Any,
    therapist: Any,
    patient_user: Any,
    episode: Any,
    tmp_path: Any,
) -> None:
    """On a phone: read a file, reload (the browser posts the file again), save; then read the
    same file again: no second copy waits to be completed, and the page warns the run is logged."""
    today = episode.patient.clinic.today()
    plan = make_plan(episode, therapist, started_on=today - dt.timedelta(days=7))
    start = (timezone.now() - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    watch_file = tmp_path / "evening.fit"
    watch_file.write_bytes(fit_run(start=start))

    page.set_viewport_size(PHONE)
    login(page, patient_user)
    log_url = f"{live_server.url}/portal/run/{plan.pk}/log/"
    page.goto(log_url)
    label = "Run file from your watch or phone (.fit or .gpx)"
    page.get_by_label(label).set_input_files(str(watch_file))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_test_id("run-file-found")).to_be_visible()
    page.reload()  # Chromium headless posts the form again without asking
    expect(page.get_by_test_id("run-file-found")).to_be_visible()
    expect(page.get_by_test_id("run-files-waiting")).to_have_count(0)
    assert PendingRunFile.objects.count() == 1

    page.get_by_label("Worst pain during the run (0-10)").fill("2")
    page.get_by_label("Pain right after the run (0-10)").fill("1")
    page.get_by_role("button", name="Save this run").click()
    expect(page.get_by_text("Session logged. Remember")).to_be_visible()
    assert SessionLog.objects.count() == 1

    page.goto(log_url)
    page.get_by_label(label).set_input_files(str(watch_file))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_test_id("run-file-already-logged")).to_contain_text("already logged")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_serious_axe_violations(page)


@pytest.fixture
def week_old_plan(episode: Any, therapist: Any) -> Any:
    return make_plan(
        episode, therapist, started_on=episode.patient.clinic.today() - dt.timedelta(days=7)
    )


def test_a_runner_removes_a_file_that_is_not_a_run_to_log(
    live_server: Any, page: Any, login: Any, patient_user: Any, week_old_plan: Any, tmp_path: Any
) -> None:
    """On a phone: two files read at once, the first a run from before the plan began. The
    runner removes it from the form, and the second opens to complete; nothing is logged."""
    plan = week_old_plan
    now = (timezone.now() - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    old, recent = tmp_path / "old.fit", tmp_path / "today.fit"
    old.write_bytes(fit_run(start=now - dt.timedelta(days=30)))
    recent.write_bytes(fit_run(start=now, elapsed_s=1200, timer_s=1100))

    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/run/{plan.pk}/log/")
    label = "Run file from your watch or phone (.fit or .gpx)"
    page.get_by_label(label).set_input_files([str(old), str(recent)])
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_test_id("kept-run-file")).to_contain_text("old.fit")
    expect(page.get_by_test_id("run-files-waiting")).to_contain_text("today.fit")
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Don't log this file").click()
    expect(page.get_by_text("“old.fit” was removed without logging a run.")).to_be_visible()
    expect(page.get_by_test_id("kept-run-file")).to_contain_text("today.fit")
    expect(page.get_by_test_id("run-files-waiting")).to_have_count(0)
    assert list(PendingRunFile.objects.values_list("original_name", flat=True)) == ["today.fit"]
    assert not SessionLog.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
