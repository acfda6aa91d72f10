// Run-session player: interval timer for today's walk/run stage.
// Time comes from wall-clock timestamps (Date.now()), never from counting ticks, so the timer is
// right again the moment the phone wakes up; the start time is kept in localStorage so a reload
// resumes the same session. Audio cues use Web Audio; spoken cues use speechSynthesis if present
// (both through timer_cues.js, whose one AudioContext the metronome on this page shares).
(function () {
  "use strict";

  var root = document.getElementById("rtr-player");
  var dataNode = document.getElementById("rtr-segments");
  if (!root || !dataNode) {
    return;
  }
  var segments = JSON.parse(dataNode.textContent);
  var storageKey = "rtr-player:" + root.dataset.planId + ":" + root.dataset.stage;
  var totalSeconds = segments.reduce(function (sum, s) { return sum + s.seconds; }, 0);

  var els = {
    phase: root.querySelector("[data-role=phase]"),
    remaining: root.querySelector("[data-role=remaining]"),
    elapsed: root.querySelector("[data-role=elapsed]"),
    next: root.querySelector("[data-role=next]"),
    progress: root.querySelector("[data-role=progress]"),
    start: root.querySelector("[data-action=start]"),
    pause: root.querySelector("[data-action=pause]"),
    finish: root.querySelector("[data-action=finish]"),
    status: root.querySelector("[data-role=status]"),
  };
  var form = document.getElementById("rtr-log-form");

  var cues = window.rehabCues;
  var metronomeRoot = document.getElementById("rtr-player-metronome");
  var metronome = metronomeRoot ? metronomeRoot.metronome : null;
  var tickTimer = null;
  var finished = false;

  // A session started more than this long ago is a leftover, not a run in progress. Set before
  // load() runs (it once came after the call, so a stale session was never discarded).
  var STALE_MS = 12 * 60 * 60 * 1000;

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey));
      if (saved && saved.startedAt && Date.now() - saved.startedAt > STALE_MS) {
        window.localStorage.removeItem(storageKey);
        return null;
      }
      return saved;
    } catch (e) {
      return null;
    }
  }
  var state = load() || { startedAt: null, pausedAt: null, pausedMs: 0, lastIndex: -1 };

  function save() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (e) {
      // Private mode: the timer still works, it just will not survive a reload.
    }
  }
  function clear() {
    try {
      window.localStorage.removeItem(storageKey);
    } catch (e) {
      // nothing to clear
    }
  }

  function elapsedMs() {
    if (state.startedAt === null) {
      return 0;
    }
    var end = state.pausedAt !== null ? state.pausedAt : Date.now();
    return Math.max(0, end - state.startedAt - state.pausedMs);
  }

  function locate(seconds) {
    var acc = 0;
    for (var i = 0; i < segments.length; i += 1) {
      if (seconds < acc + segments[i].seconds) {
        return { index: i, remaining: acc + segments[i].seconds - seconds };
      }
      acc += segments[i].seconds;
    }
    return { index: segments.length, remaining: 0 };
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.ceil(seconds));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function ensureAudio() {
    cues.context();
  }

  function tone(freq, startOffset, duration) {
    cues.tone(freq, startOffset, duration);
  }

  // Run: three short rising high beeps. Walk: two long low tones. Done: a falling triad.
  function cue(kind) {
    if (kind === "run") {
      tone(880, 0, 0.15);
      tone(988, 0.2, 0.15);
      tone(1175, 0.4, 0.2);
    } else if (kind === "done") {
      tone(784, 0, 0.3);
      tone(659, 0.35, 0.3);
      tone(523, 0.7, 0.6);
    } else {
      tone(392, 0, 0.5);
      tone(330, 0.6, 0.7);
    }
  }

  function speak(text) {
    cues.speak(text);
  }

  function announce(index) {
    if (index >= segments.length) {
      cue("done");
      speak("Session complete. Well done. Now log how it felt.");
      return;
    }
    var seg = segments[index];
    cue(seg.kind === "run" ? "run" : "walk");
    speak(seg.spoken);
    els.status.textContent = seg.label;
  }

  function requestWakeLock() {
    cues.keepAwake(true);
  }

  // The metronome beats only while a run interval is on (if the runner chose so): tell it each
  // time the player's state changes, not on every tick.
  var followed = "";
  function tellMetronome(index) {
    if (!metronome) {
      return;
    }
    var seg = segments[index];
    var now = {
      started: state.startedAt !== null,
      running: state.startedAt !== null && state.pausedAt === null,
      kind: seg ? seg.kind : null,
      finished: finished,
    };
    var key = JSON.stringify(now);
    if (key !== followed) {
      followed = key;
      metronome.follow(now);
    }
  }

  function stopTicking() {
    if (tickTimer !== null) {
      window.clearInterval(tickTimer);
      tickTimer = null;
    }
  }

  function finish() {
    if (finished) {
      return;
    }
    finished = true;
    stopTicking();
    cues.keepAwake(false);
    var seconds = Math.min(elapsedMs() / 1000, totalSeconds);
    var runSeconds = 0;
    var acc = 0;
    segments.forEach(function (seg) {
      if (seg.kind === "run") {
        runSeconds += Math.max(0, Math.min(seg.seconds, seconds - acc));
      }
      acc += seg.seconds;
    });
    if (form) {
      form.querySelector("[name=duration_minutes]").value = (seconds / 60).toFixed(1);
      form.querySelector("[name=run_minutes]").value = (runSeconds / 60).toFixed(1);
      var completed = form.querySelector("[name=completed]");
      if (completed) {
        completed.checked = seconds >= totalSeconds;
      }
      form.hidden = false;
      var first = form.querySelector("[name=pain_during]");
      if (first) {
        first.focus();
      }
    }
    els.start.hidden = true;
    els.pause.hidden = true;
    els.finish.disabled = true;
    els.status.textContent = "Session over: add how it felt below and save.";
    clear();
    tellMetronome(segments.length);
  }

  function render() {
    var seconds = elapsedMs() / 1000;
    var here = locate(seconds);
    if (here.index !== state.lastIndex && state.startedAt !== null) {
      // Only the current segment is announced: cues missed while asleep are not replayed.
      state.lastIndex = here.index;
      save();
      announce(here.index);
    }
    if (here.index >= segments.length) {
      els.phase.textContent = "Done";
      els.phase.dataset.kind = "done";
      els.remaining.textContent = "0:00";
      els.next.textContent = "";
      finish();
    } else {
      var seg = segments[here.index];
      els.phase.textContent = seg.label;
      els.phase.dataset.kind = seg.kind;
      els.remaining.textContent = clock(here.remaining);
      var following = segments[here.index + 1];
      els.next.textContent = following ? "Next: " + following.label : "Last interval";
    }
    els.elapsed.textContent = clock(seconds) + " of " + clock(totalSeconds);
    els.progress.value = Math.min(seconds, totalSeconds);
    tellMetronome(here.index);
  }

  function startTicking() {
    if (tickTimer === null) {
      tickTimer = window.setInterval(render, 250);
    }
    requestWakeLock();
  }

  function setButtons() {
    var running = state.startedAt !== null && state.pausedAt === null;
    els.start.textContent = state.startedAt === null ? "Start" : "Resume";
    els.start.hidden = running;
    els.pause.hidden = !running;
    els.finish.disabled = state.startedAt === null;
  }

  function start() {
    ensureAudio();
    if (state.startedAt === null) {
      state.startedAt = Date.now();
      state.lastIndex = -1;
    } else if (state.pausedAt !== null) {
      state.pausedMs += Date.now() - state.pausedAt;
      state.pausedAt = null;
    }
    save();
    setButtons();
    startTicking();
    render();
  }

  function pause() {
    if (state.startedAt !== null && state.pausedAt === null) {
      state.pausedAt = Date.now();
      save();
    }
    stopTicking();
    cues.keepAwake(false);
    setButtons();
    render();
    els.status.textContent = "Paused";
  }

  els.start.addEventListener("click", start);
  els.pause.addEventListener("click", pause);
  els.finish.addEventListener("click", function () {
    ensureAudio();
    finish();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && state.startedAt !== null) {
      render();
    }
  });

  els.progress.max = totalSeconds;
  setButtons();
  if (state.startedAt !== null && state.pausedAt === null) {
    startTicking();
  }
  render();
})();
