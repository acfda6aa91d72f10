// Metronome at the prescribed cadence (beats per minute = steps per minute).
// Clicks are scheduled ahead on the Web Audio clock, so timing stays even when the page is busy;
// a screen lock may still suspend audio on some phones, which the page tells the runner.
(function () {
  "use strict";

  var root = document.getElementById("rtr-metronome");
  if (!root) {
    return;
  }
  var bpmInput = root.querySelector("[name=bpm]");
  var toggle = root.querySelector("[data-action=toggle]");
  var status = root.querySelector("[data-role=status]");
  var audio = null;
  var timer = null;
  var nextBeat = 0;
  var beat = 0;
  var LOOKAHEAD_S = 0.2;

  function bpm() {
    var value = parseInt(bpmInput.value, 10);
    if (isNaN(value)) {
      return 170;
    }
    return Math.min(230, Math.max(120, value));
  }

  function click(at, accent) {
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.frequency.value = accent ? 1500 : 1000;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.6, at + 0.002);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.04);
    osc.connect(gain).connect(audio.destination);
    osc.start(at);
    osc.stop(at + 0.05);
  }

  function schedule() {
    var interval = 60 / bpm();
    while (nextBeat < audio.currentTime + LOOKAHEAD_S) {
      click(nextBeat, beat % 4 === 0);
      nextBeat += interval;
      beat += 1;
    }
  }

  function start() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) {
      status.textContent = "This browser cannot play the metronome.";
      return;
    }
    audio = audio || new Ctx();
    audio.resume();
    nextBeat = audio.currentTime + 0.1;
    beat = 0;
    timer = window.setInterval(schedule, 50);
    toggle.textContent = "Stop metronome";
    toggle.setAttribute("aria-pressed", "true");
    status.textContent = "Playing at " + bpm() + " steps per minute.";
  }

  function stop() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
    toggle.textContent = "Start metronome";
    toggle.setAttribute("aria-pressed", "false");
    status.textContent = "Stopped.";
  }

  toggle.addEventListener("click", function () {
    if (timer === null) {
      start();
    } else {
      stop();
    }
  });
  bpmInput.addEventListener("change", function () {
    if (timer !== null) {
      status.textContent = "Playing at " + bpm() + " steps per minute.";
    }
  });
})();
