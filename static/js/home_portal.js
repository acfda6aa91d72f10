// Patient portal: ticking exercises off with a flaky connection (the hold timer is hold_timer.js).
// A tick is saved in localStorage before it is sent, and removed only once the server has
// answered. Network errors and server errors keep it queued and retry; the server treats a
// repeated tick as already done, so sending twice is harmless.
(function () {
  "use strict";
  if (window.programsPortalLoaded) { return; }
  window.programsPortalLoaded = true;

  var QUEUE_KEY = "programs.pendingTicks.v1";
  var RETRY_MS = 15000;
  var sending = false;

  // Ticks saved before the portal moved under /portal/ still name the old path, which now
  // answers only GET: send them to the new one.
  var OLD_PREFIX = "/programs/portal/";
  function currentPath(url) {
    return typeof url === "string" && url.indexOf(OLD_PREFIX) === 0 ? "/portal/" + url.slice(OLD_PREFIX.length) : url;
  }
  function readQueue() {
    var queue;
    try { queue = JSON.parse(window.localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
    if (!Array.isArray(queue)) { return []; }
    queue.forEach(function (tick) { tick.url = currentPath(tick.url); });
    return queue;
  }
  function writeQueue(queue) {
    try { window.localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); } catch (e) { /* storage full or blocked */ }
  }
  function tickId(tick) { return tick.url + "|" + tick.item + "|" + tick.day + "|" + tick.session; }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) { return field.value; }
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }

  // Not form.elements.item: HTMLFormControlsCollection.item is a method.
  function field(form, name) { return form.querySelector("input[name=" + name + "]").value; }

  // How it felt, if said (the selects are optional).
  function optional(form, name) {
    var input = form.querySelector("select[name=" + name + "]");
    return input ? input.value : "";
  }

  function formFor(tick) {
    var found = null;
    document.querySelectorAll("form.js-tick").forEach(function (form) {
      if (form.getAttribute("action") === tick.url && field(form, "item") === tick.item &&
          field(form, "day") === tick.day && field(form, "session") === String(tick.session)) {
        found = form;
      }
    });
    return found;
  }

  function show(tick, state, message) {
    var form = formFor(tick);
    if (!form) { return; }
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector(".js-tick-status");
    var card = form.closest(".today-item");
    var name = form.getAttribute("data-name") || "";
    function label(text) {
      button.firstChild.nodeValue = text + (form.getAttribute("data-suffix") || "");
      button.setAttribute("aria-label", text + ": " + name);
    }
    if (state === "done") {
      button.disabled = true;
      button.classList.remove("btn-primary", "btn-outline-primary");
      button.classList.add("btn-success");
      label("Done");
      button.classList.remove("tick-pending");
      if (card && card.querySelectorAll("form.js-tick button:not([disabled])").length === 0) { card.classList.add("is-done"); }
    } else if (state === "pending") {
      button.disabled = true;
      button.classList.add("tick-pending");
      label("Saved on this phone");
    } else if (state === "error") {
      button.disabled = false;
      button.classList.remove("tick-pending");
      label("Mark done");
    }
    if (status) { status.textContent = message || ""; }
  }

  function send(tick) {
    var body = new URLSearchParams();
    body.set("item", tick.item);
    body.set("day", tick.day);
    body.set("session", String(tick.session));
    if (tick.pain) { body.set("pain", tick.pain); }
    if (tick.difficulty) { body.set("difficulty", tick.difficulty); }
    return window.fetch(tick.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: body
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
      if (response.ok && json) { return { outcome: "done" }; }
      if (response.status === 400 && json) {
        return response.json().then(function (data) { return { outcome: "refused", message: data.error }; });
      }
      if (response.status === 404) { return { outcome: "refused", message: "This exercise is no longer in your program." }; }
      // Signed out, CSRF token stale or a server error: keep it and try again later.
      return { outcome: "retry", message: response.status === 403 || !json ? "Saved on this phone. Sign in again to send it." : "Saved on this phone. Will send it again shortly." };
    }, function () {
      return { outcome: "retry", message: "Saved on this phone. It will be sent when you are back online." };
    });
  }

  function flush() {
    if (sending) { return; }
    var queue = readQueue();
    if (!queue.length) { return; }
    sending = true;
    var tick = queue[0];
    send(tick).then(function (result) {
      sending = false;
      var rest = readQueue().filter(function (t) { return tickId(t) !== tickId(tick); });
      if (result.outcome === "retry") { show(tick, "pending", result.message); return; }
      writeQueue(rest);
      if (result.outcome === "done") { show(tick, "done", "Saved."); } else { show(tick, "error", result.message); }
      if (rest.length) { flush(); }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-tick")) { return; }
    event.preventDefault();
    var tick = {
      url: form.getAttribute("action"),
      item: field(form, "item"),
      day: field(form, "day"),
      session: field(form, "session"),
      pain: optional(form, "pain"),
      difficulty: optional(form, "difficulty")
    };
    var queue = readQueue().filter(function (t) { return tickId(t) !== tickId(tick); });
    queue.push(tick);
    writeQueue(queue);
    show(tick, "pending", "Saving…");
    flush();
  });

  function resume() {
    readQueue().forEach(function (tick) { show(tick, "pending", "Waiting to send…"); });
    flush();
  }
  window.addEventListener("online", flush);
  window.setInterval(flush, RETRY_MS);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", resume); } else { resume(); }
})();
