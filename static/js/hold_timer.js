// The portal's hold timer: sets x holds, a rest between sets, each side in turn, pause/resume and
// stop. The plan comes from the item's data- attributes (programs.home.dosage.HoldTimer). Time is
// read from the wall clock (Date.now()), never counted in ticks, so a phone that sleeps or a busy
// page does not stretch a hold; only the step the timer is in when it wakes is announced.
// Cues: speech where the browser has it, beeps on the shared AudioContext as well, vibration where
// supported; the live region says each new step (never every second). No network is used.
(function () {
  "use strict";
  if (window.holdTimerLoaded) {
    return;
  }
  window.holdTimerLoaded = true;

  var cues = window.rehabCues;
  var TICK_MS = 250;
  var active = null;

  function whole(root, name, fallback) {
    var value = parseInt(root.getAttribute("data-" + name), 10);
    return isNaN(value) || value < 0 ? fallback : value;
  }

  function seconds(n) {
    return n + (n === 1 ? " second" : " seconds");
  }

  function clock(left) {
    var s = Math.max(0, Math.ceil(left));
    var m = Math.floor(s / 60);
    s %= 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  // The whole session as a list of timed steps, each with what the screen shows and what is said.
  function plan(root) {
    var sets = Math.max(1, whole(root, "sets", 1));
    var holds = Math.max(1, whole(root, "holds", 1));
    var hold = Math.max(1, whole(root, "hold", 1));
    var rest = whole(root, "rest", 30);
    var sides = (root.getAttribute("data-sides") || "").split(" ").filter(Boolean);
    var sideList = sides.length ? sides : [""];
    var steps = [];
    var ready = whole(root, "ready", 0);
    if (ready) {
      var firstSide = sides.length ? ", " + sides[0] + " side" : "";
      steps.push({ kind: "ready", seconds: ready, label: "Get ready" + firstSide, say: "Get ready" + firstSide + "." });
    }
    for (var set = 1; set <= sets; set += 1) {
      for (var s = 0; s < sideList.length; s += 1) {
        var side = sideList[s] ? ", " + sideList[s] + " side" : "";
        if (s > 0) {
          var switchLabel = "Switch to the " + sideList[s] + " side";
          steps.push({ kind: "switch", seconds: whole(root, "switch", 5), label: switchLabel, say: switchLabel + "." });
        }
        for (var h = 1; h <= holds; h += 1) {
          if (h > 1) {
            steps.push({ kind: "relax", seconds: whole(root, "relax", 3), label: "Relax", say: "Relax." });
          }
          var count = holds > 1 ? " " + h + " of " + holds : "";
          var label = "Set " + set + " of " + sets + side + ": hold" + count;
          var say = h === 1 ? "Set " + set + " of " + sets + side + ". Hold " + seconds(hold) + "." : "Hold" + count + ".";
          steps.push({ kind: "hold", seconds: hold, label: label, say: say });
        }
      }
      if (set < sets && rest > 0) {
        var restLabel = "Rest before set " + (set + 1) + " of " + sets;
        steps.push({ kind: "rest", seconds: rest, label: restLabel, say: "Rest " + seconds(rest) + "." });
      }
    }
    var doneText = "All " + sets + (sets === 1 ? " set" : " sets") + " done. Relax.";
    return { steps: steps, done: { kind: "done", label: doneText, say: doneText } };
  }

  // A hold starts on one high beep, a rest or switch on two low ones, the end on a falling triad;
  // the last three seconds of every step pip, so the end of a hold can be felt coming.
  function sound(kind) {
    if (kind === "hold") {
      cues.tone(880, 0, 0.35);
      cues.vibrate(250);
    } else if (kind === "done") {
      cues.tone(784, 0, 0.3);
      cues.tone(659, 0.35, 0.3);
      cues.tone(523, 0.7, 0.6);
      cues.vibrate([200, 100, 200, 100, 400]);
    } else {
      cues.tone(440, 0, 0.2);
      cues.tone(440, 0.3, 0.2);
      cues.vibrate([100, 80, 100]);
    }
  }

  function Timer(root) {
    this.root = root;
    this.plan = plan(root);
    this.holdSeconds = whole(root, "hold", 0);
    this.els = {
      step: root.querySelector(".js-hold-step"),
      clock: root.querySelector(".js-hold-clock"),
      live: root.querySelector(".js-hold-live"),
      start: root.querySelector(".js-hold-start"),
      pause: root.querySelector(".js-hold-pause"),
      pauseLabel: root.querySelector(".js-hold-pause-label"),
      stop: root.querySelector(".js-hold-stop"),
    };
    this.total = this.plan.steps.reduce(function (sum, step) { return sum + step.seconds; }, 0);
    this.reset();
  }

  Timer.prototype.reset = function () {
    this.startedAt = null;
    this.pausedAt = null;
    this.pausedMs = 0;
    this.lastIndex = -1;
    this.lastPip = null;
    this.stopTicking();
  };

  Timer.prototype.elapsed = function () {
    if (this.startedAt === null) {
      return 0;
    }
    var end = this.pausedAt !== null ? this.pausedAt : Date.now();
    return Math.max(0, end - this.startedAt - this.pausedMs) / 1000;
  };

  Timer.prototype.locate = function (at) {
    var acc = 0;
    for (var i = 0; i < this.plan.steps.length; i += 1) {
      var step = this.plan.steps[i];
      if (at < acc + step.seconds) {
        return { index: i, step: step, left: acc + step.seconds - at };
      }
      acc += step.seconds;
    }
    return { index: this.plan.steps.length, step: this.plan.done, left: 0 };
  };

  Timer.prototype.say = function (text, live) {
    cues.speak(text);
    if (live) {
      this.els.live.textContent = text;
    }
  };

  Timer.prototype.render = function () {
    var here = this.locate(this.elapsed());
    if (this.startedAt !== null && here.index !== this.lastIndex) {
      this.lastIndex = here.index;
      this.lastPip = null;
      sound(here.step.kind);
      this.say(here.step.say, here.step.kind !== "relax");
    }
    this.els.step.textContent = this.startedAt === null ? "Ready" : here.step.label;
    this.root.setAttribute("data-step", this.startedAt === null ? "idle" : here.step.kind);
    if (this.startedAt === null) {
      this.els.clock.textContent = clock(this.holdSeconds);
      return;
    }
    this.els.clock.textContent = clock(here.left);
    var left = Math.ceil(here.left);
    if (left >= 1 && left <= 3 && left < here.step.seconds && this.lastPip !== left && this.pausedAt === null) {
      this.lastPip = left;
      cues.tone(660, 0, 0.08, { volume: 0.3 });
    }
    if (here.index >= this.plan.steps.length) {
      this.finish();
    }
  };

  Timer.prototype.stopTicking = function () {
    if (this.ticker) {
      window.clearInterval(this.ticker);
      this.ticker = null;
    }
  };

  Timer.prototype.startTicking = function () {
    var self = this;
    this.stopTicking();
    this.ticker = window.setInterval(function () { self.render(); }, TICK_MS);
    cues.keepAwake(true);
  };

  Timer.prototype.buttons = function () {
    var started = this.startedAt !== null;
    this.els.start.hidden = started;
    this.els.pause.hidden = !started;
    this.els.stop.hidden = !started;
    this.els.pauseLabel.textContent = this.pausedAt !== null ? "Resume" : "Pause";
    this.els.pause.classList.toggle("btn-warning", this.pausedAt === null);
    this.els.pause.classList.toggle("btn-success", this.pausedAt !== null);
  };

  // Focus stays in the timer when the button it was on is hidden.
  Timer.prototype.focus = function (button) {
    if (this.root.contains(document.activeElement) || document.activeElement === document.body) {
      button.focus();
    }
  };

  Timer.prototype.start = function () {
    if (active && active !== this) {
      active.stop(true);
    }
    active = this;
    cues.context();
    this.reset();
    this.startedAt = Date.now();
    this.buttons();
    this.startTicking();
    this.render();
    this.focus(this.els.pause);
  };

  Timer.prototype.togglePause = function () {
    if (this.startedAt === null) {
      return;
    }
    cues.context();
    if (this.pausedAt === null) {
      this.render();
      this.pausedAt = Date.now();
      this.stopTicking();
      cues.keepAwake(false);
      this.say("Paused.", true);
    } else {
      this.pausedMs += Date.now() - this.pausedAt;
      this.pausedAt = null;
      this.say("Resumed: " + this.locate(this.elapsed()).step.label + ".", true);
      this.startTicking();
      this.render();
    }
    this.buttons();
  };

  Timer.prototype.stop = function (quiet) {
    this.reset();
    cues.keepAwake(false);
    this.buttons();
    this.render();
    this.els.live.textContent = quiet ? "" : "Timer stopped.";
    if (!quiet) {
      cues.hush();
      this.focus(this.els.start);
    }
    if (active === this) {
      active = null;
    }
  };

  Timer.prototype.finish = function () {
    this.stopTicking();
    cues.keepAwake(false);
    this.startedAt = null;
    this.pausedAt = null;
    this.buttons();
    this.els.step.textContent = this.plan.done.label;
    this.root.setAttribute("data-step", "done");
    this.els.clock.textContent = clock(0);
    this.focus(this.els.start);
    if (active === this) {
      active = null;
    }
  };

  function timerFor(element) {
    var root = element.closest(".js-hold-timer");
    if (!root) {
      return null;
    }
    if (!root.holdTimer) {
      root.holdTimer = new Timer(root);
    }
    return root.holdTimer;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".js-hold-start, .js-hold-pause, .js-hold-stop");
    var timer = button && timerFor(button);
    if (!timer) {
      return;
    }
    if (button.classList.contains("js-hold-start")) {
      timer.start();
    } else if (button.classList.contains("js-hold-pause")) {
      timer.togglePause();
    } else {
      timer.stop(false);
    }
  });

  // Back from the lock screen: catch up at once rather than at the next tick.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && active && active.pausedAt === null) {
      active.render();
    }
  });

  function init() {
    document.querySelectorAll(".js-hold-timer").forEach(function (root) { timerFor(root).render(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
