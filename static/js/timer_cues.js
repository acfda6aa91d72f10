// Sound, speech, vibration and a wake lock, shared by the hold timer, the run player and the
// metronome. One AudioContext for the page: the metronome's beat and the run player's cues are
// then mixed on the same clock. Nothing here touches the network.
(function () {
  "use strict";
  if (window.rehabCues) {
    return;
  }

  var audio = null;
  var wakeLock = null;
  var wantAwake = false;

  // Browsers create a suspended context until a tap; call this from a click handler.
  function context() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) {
      try {
        audio = new Ctx();
      } catch (e) {
        audio = null;
      }
    }
    if (audio && audio.state === "suspended" && audio.resume) {
      audio.resume();
    }
    return audio;
  }

  // A tone `startOffset` seconds from now (or at `at` on the audio clock when given).
  function tone(freq, startOffset, duration, options) {
    if (!audio) {
      return;
    }
    var opts = options || {};
    var t0 = opts.at !== undefined ? opts.at : audio.currentTime + startOffset;
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.type = opts.type || "sine";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(opts.volume || 0.5, t0 + Math.min(0.02, duration / 4));
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + duration);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0);
    osc.stop(t0 + duration + 0.05);
  }

  function canSpeak() {
    return "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance !== "undefined";
  }

  function speak(text) {
    if (!canSpeak()) {
      return false;
    }
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new window.SpeechSynthesisUtterance(text));
    return true;
  }

  function hush() {
    if (canSpeak()) {
      window.speechSynthesis.cancel();
    }
  }

  function vibrate(pattern) {
    if (window.navigator.vibrate) {
      window.navigator.vibrate(pattern);
    }
  }

  function requestLock() {
    if (!("wakeLock" in navigator) || wakeLock !== null || document.visibilityState !== "visible") {
      return;
    }
    wakeLock = "pending";
    navigator.wakeLock.request("screen").then(function (lock) {
      if (!wantAwake) {
        lock.release();
        wakeLock = null;
        return;
      }
      wakeLock = lock;
      lock.addEventListener("release", function () {
        if (wakeLock === lock) {
          wakeLock = null;
        }
      });
    }).catch(function () {
      wakeLock = null;
    });
  }

  // Keep the screen on while a timer runs; let it sleep again when it stops or pauses.
  function keepAwake(on) {
    wantAwake = on;
    if (on) {
      requestLock();
    } else if (wakeLock !== null && wakeLock !== "pending") {
      var lock = wakeLock;
      wakeLock = null;
      lock.release().catch(function () { /* already released */ });
    }
  }

  // A hidden page loses its lock (the browser releases it); take it again on return.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && wantAwake) {
      requestLock();
    } else if (document.visibilityState !== "visible" && wakeLock !== null && wakeLock !== "pending") {
      var lock = wakeLock;
      wakeLock = null;
      lock.release().catch(function () { /* already released */ });
    }
  });

  window.rehabCues = {
    context: context,
    tone: tone,
    speak: speak,
    hush: hush,
    vibrate: vibrate,
    keepAwake: keepAwake,
  };
})();
