"""Stand-ins for the browser's sound, speech, vibration and wake lock, for timer tests.

Headless Chromium has no speakers and no voices, and its audio clock does not follow Playwright's
fake clock; these record what the page asked for in `window.__media` instead, with an audio clock
read from `performance.now()`, so `page.clock.run_for` moves the beat and the cues together."""

from typing import Any

from tests.a11y import assert_no_serious_axe_violations

MEDIA_MOCKS = """
(() => {
  const log = window.__media = { spoken: [], tones: [], contexts: 0, vibrations: [], wake: [] };
  class Param {
    constructor() { this.value = 0; }
    setValueAtTime() {}
    exponentialRampToValueAtTime() {}
  }
  class Context {
    constructor() { log.contexts += 1; this.state = "running"; this.destination = {}; }
    get currentTime() { return performance.now() / 1000; }
    resume() { return Promise.resolve(); }
    createGain() { return { gain: new Param(), connect: (node) => node }; }
    createOscillator() {
      const osc = {
        type: "sine", frequency: new Param(), connect: (node) => node, stop() {},
        start: (at) => log.tones.push({ freq: osc.frequency.value, type: osc.type, at: at }),
      };
      return osc;
    }
  }
  window.AudioContext = Context;
  window.webkitAudioContext = Context;
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  const synth = { speak: (u) => log.spoken.push(u.text), cancel() {} };
  Object.defineProperty(window, "speechSynthesis", { configurable: true, value: synth });
  const vibrate = (pattern) => { log.vibrations.push(pattern); return true; };
  Object.defineProperty(navigator, "vibrate", { configurable: true, value: vibrate });
  const wakeLock = {
    request: () => {
      log.wake.push("request");
      const handlers = [];
      const lock = {
        addEventListener: (name, handler) => handlers.push(handler),
        release: () => {
          log.wake.push("release");
          handlers.forEach((handler) => handler());
          return Promise.resolve();
        },
      };
      return Promise.resolve(lock);
    },
  };
  Object.defineProperty(navigator, "wakeLock", { configurable: true, value: wakeLock });
})();
"""


def axe_with_the_clock_running(page: Any) -> None:
    """axe waits on timers, which a paused fake clock never fires: let time run for the check
    (only while the timer under test is paused or idle), then freeze it again."""
    page.clock.resume()
    assert_no_serious_axe_violations(page)
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)  # seconds
