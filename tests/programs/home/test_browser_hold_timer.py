"""The set-aware hold timer on a phone: 3 x 30 s on each side, with a pause, a stop, spoken and
beeped cues, the screen kept awake, and no network once the page is loaded. Playwright's clock
drives the time, so half a minute of holding takes no real time."""

import time
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programs.home.models import ProgramItem
from programs.home.services import publish_home_program
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import make_program
from tests.media_mocks import MEDIA_MOCKS, axe_with_the_clock_running

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.add_init_script(MEDIA_MOCKS)
    yield page
    context.close()


def _each_side_hold(episode: Any, therapist: Any) -> str:
    program = make_program(episode, therapist, items=1, modality=False)
    item = program.items.get()
    item.sets, item.reps, item.hold_seconds, item.rest_seconds = 3, None, 30, None
    item.side = ProgramItem.Side.EACH
    item.save()
    publish_home_program(program=program, by=therapist)
    return item.exercise.name


def _media(page: Any, key: str) -> Any:
    return page.evaluate(f"window.__media.{key}")


def test_a_three_by_thirty_second_each_side_hold_runs_with_a_pause(
    live_server: Any, phone: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    name = _each_side_hold(episode, therapist)
    now = time.time()  # Playwright for Python takes seconds
    phone.clock.install(time=now)
    login(phone, patient_user)
    phone.goto(live_server.url + reverse("programs:portal_today"))
    timer = phone.get_by_role("group", name=f"Hold timer: {name}")
    step, clock = timer.get_by_test_id("hold-step"), timer.get_by_test_id("hold-clock")
    expect(timer).to_contain_text(
        "Timer: 3 sets of 30 s, left side then right side, 30 s rest between sets."
    )
    expect(clock).to_have_text("0:30")
    assert_no_serious_axe_violations(phone)
    # From here on the phone is offline and the clock moves only when the test says.
    requests: list[str] = []
    phone.on("request", lambda request: requests.append(request.url))
    phone.context.set_offline(True)
    phone.clock.pause_at(now + 10 * 60)

    timer.get_by_role("button", name=f"Start hold timer for {name}").click()
    expect(step).to_have_text("Get ready, left side")
    expect(clock).to_have_text("0:05")
    phone.clock.run_for(5500)
    expect(step).to_have_text("Set 1 of 3, left side: hold")
    expect(clock).to_have_text("0:30")
    expect(timer.locator(".js-hold-live")).to_have_text("Set 1 of 3, left side. Hold 30 seconds.")
    phone.clock.run_for(10_000)
    expect(clock).to_have_text("0:20")

    pause = timer.get_by_role("button", name=f"Pause the hold timer for {name}")
    pause.click()
    resume = timer.get_by_role("button", name=f"Resume the hold timer for {name}")
    expect(resume).to_be_focused()
    expect(timer.locator(".js-hold-live")).to_have_text("Paused.")
    phone.clock.run_for(20_000)
    expect(clock).to_have_text("0:20")
    expect(step).to_have_text("Set 1 of 3, left side: hold")
    axe_with_the_clock_running(phone)

    resume.click()
    phone.clock.run_for(20_000)
    expect(step).to_have_text("Switch to the right side")
    expect(clock).to_have_text("0:05")
    phone.clock.run_for(5000)
    expect(step).to_have_text("Set 1 of 3, right side: hold")
    phone.clock.run_for(30_000)
    expect(step).to_have_text("Rest before set 2 of 3")
    expect(clock).to_have_text("0:30")
    phone.clock.run_for(30_000)
    expect(step).to_have_text("Set 2 of 3, left side: hold")
    # Set 2 on both sides, the rest, and set 3 on both sides.
    phone.clock.run_for((30 + 5 + 30 + 30 + 30 + 5 + 30) * 1000)
    expect(step).to_have_text("All 3 sets done. Relax.")
    expect(timer.get_by_role("button", name=f"Start hold timer for {name}")).to_be_visible()
    expect(timer.get_by_role("button", name=f"Pause the hold timer for {name}")).to_be_hidden()

    spoken = _media(phone, "spoken")
    for said in [
        "Get ready, left side.",
        "Set 1 of 3, left side. Hold 30 seconds.",
        "Paused.",
        "Switch to the right side.",
        "Set 1 of 3, right side. Hold 30 seconds.",
        "Rest 30 seconds.",
        "Set 3 of 3, right side. Hold 30 seconds.",
        "All 3 sets done. Relax.",
    ]:
        assert said in spoken, (said, spoken)
    # Six holds start on a high beep each; the screen was kept awake, and let go at the pause.
    assert sum(1 for tone in _media(phone, "tones") if tone["freq"] == 880) == 6
    assert _media(phone, "contexts") == 1
    assert _media(phone, "vibrations")
    wake = _media(phone, "wake")
    assert wake[:3] == ["request", "release", "request"]
    assert wake[-1] == "release"
    assert requests == []


def test_stop_resets_the_hold_timer(
    live_server: Any, phone: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    name = _each_side_hold(episode, therapist)
    now = time.time()  # Playwright for Python takes seconds
    phone.clock.install(time=now)
    login(phone, patient_user)
    phone.goto(live_server.url + reverse("programs:portal_today"))
    phone.clock.pause_at(now + 10 * 60)
    timer = phone.get_by_role("group", name=f"Hold timer: {name}")
    timer.get_by_role("button", name=f"Start hold timer for {name}").click()
    phone.clock.run_for(12_500)
    expect(timer.get_by_test_id("hold-clock")).to_have_text("0:23")
    timer.get_by_role("button", name=f"Stop the hold timer for {name}").click()
    start = timer.get_by_role("button", name=f"Start hold timer for {name}")
    expect(start).to_be_focused()
    expect(timer.get_by_test_id("hold-step")).to_have_text("Ready")
    expect(timer.get_by_test_id("hold-clock")).to_have_text("0:30")
    expect(timer.locator(".js-hold-live")).to_have_text("Timer stopped.")
    phone.clock.run_for(10_000)
    expect(timer.get_by_test_id("hold-clock")).to_have_text("0:30")
