// Metronome at the prescribed cadence (beats per minute = steps per minute), on the gait page and
// inside the run player. Clicks are scheduled ahead on the page's one AudioContext (timer_cues.js),
// so timing stays even when the page is busy and the player's cues mix with the beat; a screen lock
// may still suspend audio on some phones, which the page tells the runner.
// The beat is a short, bright click; the player's run/walk cues are longer, lower tones and words.
// In the player, the player says whether a run interval is on (follow()): with "only while
// running" ticked the beat rests during walks and while the timer is paused.
(function () {
  "use strict";
  if (window.rehabMetronomeLoaded) {
    return;
  }
  window.rehabMetronomeLoaded = true;

  var cues = window.rehabCues;
  var LOOKAHEAD_S = 0.2;
  var SCHEDULE_MS = 50;

  function attach(root) {
    var bpmInput = root.querySelector("[name=bpm]");
    var runsOnly = root.querySelector("[name=runs_only]");
    var toggle = root.querySelector("[data-action=toggle]");
    var status = root.querySelector("[data-role=status]");
    var light = root.querySelector("[data-role=beat]");
    var audio = null;
    var timer = null;
    var on = false;
    var nextBeat = 0;
    var beat = 0;
    var played = 0;
    var player = null; // what the run player last said: {started, running, kind}

    function bpm() {
      var value = parseInt(bpmInput.value, 10);
      if (isNaN(value)) {
        return 170;
      }
      return Math.min(230, Math.max(120, value));
    }

    // Flash the light (and count the beat) when the click sounds, not when it is scheduled.
    function show(at) {
      window.setTimeout(function () {
        played += 1;
        root.setAttribute("data-beats", String(played));
        if (light) {
          light.classList.toggle("is-on");
        }
      }, Math.max(0, (at - audio.currentTime) * 1000));
    }

    function click(at, accent) {
      cues.tone(accent ? 1800 : 1400, 0, 0.03, { at: at, type: "square", volume: 0.25 });
      show(at);
    }

    function schedule() {
      var interval = 60 / bpm();
      // Back from a stalled page (timers held while the phone slept): skip the missed beats rather
      // than play them all at once.
      if (nextBeat < audio.currentTime - interval) {
        nextBeat = audio.currentTime + 0.05;
      }
      while (nextBeat < audio.currentTime + LOOKAHEAD_S) {
        click(nextBeat, beat % 4 === 0);
        nextBeat += interval;
        beat += 1;
      }
    }

    // Why the beat is silent while the metronome is on, or "" when it should play.
    function restingBecause() {
      if (player === null || !player.started) {
        return "";
      }
      if (!player.running) {
        return "On: the beat waits while the run timer is paused.";
      }
      if (runsOnly && runsOnly.checked && player.kind !== "run") {
        return "On: the beat comes back with the next run interval.";
      }
      return "";
    }

    function update() {
      var resting = on ? restingBecause() : "";
      var playing = on && !resting;
      if (playing && timer === null) {
        nextBeat = audio.currentTime + 0.1;
        beat = 0;
        timer = window.setInterval(schedule, SCHEDULE_MS);
      } else if (!playing && timer !== null) {
        window.clearInterval(timer);
        timer = null;
      }
      root.setAttribute("data-state", !on ? "off" : playing ? "playing" : "resting");
      toggle.textContent = on ? "Stop metronome" : "Start metronome";
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      if (on) {
        status.textContent = resting || "Playing at " + bpm() + " steps per minute.";
      }
    }

    function start() {
      audio = cues.context();
      if (!audio) {
        status.textContent = "This browser cannot play the metronome.";
        return;
      }
      on = true;
      update();
    }

    function stop() {
      on = false;
      update();
      status.textContent = "Stopped.";
    }

    root.setAttribute("data-state", "off");
    toggle.addEventListener("click", function () {
      if (on) {
        stop();
      } else {
        start();
      }
    });
    bpmInput.addEventListener("change", update);
    if (runsOnly) {
      runsOnly.addEventListener("change", update);
    }

    root.metronome = {
      // The run player's state after each change: started, running (not paused), interval kind.
      follow: function (state) {
        player = state;
        if (state.finished && on) {
          stop();
          return;
        }
        update();
      },
    };
  }

  function init() {
    document.querySelectorAll(".js-metronome").forEach(attach);
  }
  // The player (loaded after this file) looks for root.metronome as it starts.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
