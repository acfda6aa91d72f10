"""The metronome inside the run player on a phone: it starts at the gait retraining target, its
beat follows the clock, rests during walks and pauses, and plays on the same AudioContext as the
walk/run cues, which sound different from the beat. Nothing is fetched while it plays."""

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from programs.running import gait_services
from tests.a11y import assert_no_serious_axe_violations
from tests.builders import make_plan
from tests.media_mocks import MEDIA_MOCKS, axe_with_the_clock_running

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
BEAT = {1400, 1800}  # the metronome's click and its accent (running_metronome.js)
RUN_CUE = [880, 988, 1175]  # three rising beeps (running_player.js)


def _beats(section: Any) -> int:
    return int(section.get_attribute("data-beats") or 0)


def test_the_interval_player_plays_with_the_metronome_on(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist)
    gait_services.create_gait_prescription(
        episode=episode,
        by=therapist,
        baseline_cadence=158,
        increase_pct="7.5",
        cue_type="metronome",
    )
    page.set_viewport_size(PHONE)
    page.add_init_script(MEDIA_MOCKS)
    now = time.time()  # Playwright for Python takes seconds
    page.clock.install(time=now)
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/run/{plan.pk}/player/")
    metronome = page.get_by_role("region", name="Cadence metronome")
    expect(metronome.get_by_label("Beats per minute")).to_have_value("170")
    expect(metronome).to_contain_text("step in time with 170 steps per minute")
    expect(metronome.get_by_label("Beat only during run intervals")).to_be_checked()
    assert_no_serious_axe_violations(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.context.set_offline(True)
    page.clock.pause_at(now + 10 * 60)

    # Before the run starts the beat plays on its own, to try it: 170 a minute is ~2.8 a second.
    metronome.get_by_role("button", name="Start metronome").click()
    expect(metronome.get_by_role("button", name="Stop metronome")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(metronome).to_have_attribute("data-state", "playing")
    expect(metronome.get_by_text("Playing at 170 steps per minute.")).to_be_visible()
    page.clock.run_for(2000)
    assert 4 <= _beats(metronome) <= 7

    # The run timer starts with the warm-up walk: the beat rests until the first run.
    phase = page.locator("[data-role=phase]")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(phase).to_have_text("Warm-up walk")
    expect(metronome).to_have_attribute("data-state", "resting")
    expect(metronome).to_contain_text("the beat comes back with the next run interval")
    resting = _beats(metronome)
    page.clock.run_for(3000)
    assert _beats(metronome) == resting

    page.clock.fast_forward("05:00")
    page.clock.run_for(1000)
    expect(phase).to_have_text("Run 1 of 5")
    expect(metronome).to_have_attribute("data-state", "playing")
    before = _beats(metronome)
    page.clock.run_for(10_000)
    assert 26 <= _beats(metronome) - before <= 30  # ten seconds at 170 a minute
    page.clock.run_for(50_000)
    expect(phase).to_have_text("Walk 1 of 5")
    expect(metronome).to_have_attribute("data-state", "resting")

    # Pausing the run pauses the beat; the metronome stays on for the resume.
    page.get_by_role("button", name="Pause").click()
    expect(metronome).to_contain_text("the beat waits while the run timer is paused")
    paused = _beats(metronome)
    page.clock.run_for(5000)
    assert _beats(metronome) == paused
    axe_with_the_clock_running(page)

    tones = page.evaluate("window.__media.tones")
    cue_tones = [t["freq"] for t in tones if t["freq"] not in BEAT]
    beat_tones = [t for t in tones if t["freq"] in BEAT]
    assert cue_tones[cue_tones.index(880) : cue_tones.index(880) + 3] == RUN_CUE
    assert {t["type"] for t in beat_tones} == {"square"}
    assert not set(cue_tones) & BEAT
    assert page.evaluate("window.__media.contexts") == 1  # one shared AudioContext
    assert any("run" in said.lower() for said in page.evaluate("window.__media.spoken"))
    assert requests == []


def test_without_a_cadence_target_the_player_metronome_says_so(
    live_server: Any, page: Any, login: Any, therapist: Any, patient_user: Any, episode: Any
) -> None:
    plan = make_plan(episode, therapist)
    page.set_viewport_size(PHONE)
    login(page, patient_user)
    page.goto(f"{live_server.url}/portal/run/{plan.pk}/player/")
    metronome = page.get_by_role("region", name="Cadence metronome")
    expect(metronome).to_contain_text("No cadence target is set for you")
    expect(metronome.get_by_label("Beats per minute")).to_have_value("170")
    expect(metronome).to_have_attribute("data-state", "off")
