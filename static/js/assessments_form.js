// Note form: background draft saving and the clickable body chart.
// Loaded as a static file because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave-url]");
  if (!form) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var dirty = false;
  var saving = false;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // After a new sign-in (say, in another tab, once the session expired) the CSRF token in the
  // page is stale. After a refused save we fetch the current token before trying again, and
  // keep the form's copy in step so the final "Save note" is accepted too.
  var tokenUrl = form.getAttribute("data-token-url");
  var needToken = false;
  var field = form.querySelector('input[name="csrfmiddlewaretoken"]');

  function refreshToken() {
    if (!needToken || !tokenUrl) {
      return Promise.resolve();
    }
    return fetch(tokenUrl, { credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        return response.status === 200 ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.token && field) {
          field.value = data.token;
          needToken = false;
        }
      });
  }

  function post() {
    var body = new FormData(form);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": field ? field.value : "" }
    });
  }

  // Until the server confirms a draft, the text also lives in this browser (localStorage,
  // per note and user), so a reload during an outage does not lose it. A copy older than the
  // note's last save on the server is stale and dropped.
  var localKey = form.getAttribute("data-draft-key");
  var serverSaved = Number(form.getAttribute("data-server-saved") || "0") * 1000;
  var edits = 0;
  var SKIP = { csrfmiddlewaretoken: true, submission_key: true };

  // Formset counts follow the rows on the page, not the copy: rows added in place are not kept.
  function kept(el) {
    return el.name && !SKIP[el.name] && !/_FORMS$/.test(el.name) && el.type !== "file" &&
      el.type !== "submit" && el.type !== "button";
  }

  function fields() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) {
        return;
      }
      values[el.name] = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { values[el.name].push(el.value); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { values[el.name].push(o.value); });
      } else {
        values[el.name].push(el.value);
      }
    });
    return values;
  }

  function keepLocally() {
    if (!localKey) { return; }
    try {
      window.localStorage.setItem(localKey, JSON.stringify({ at: Date.now(), fields: fields() }));
    } catch (e) { /* storage full or blocked: the text is still in this tab */ }
  }

  function forgetLocally() {
    if (!localKey) { return; }
    try { window.localStorage.removeItem(localKey); } catch (e) { /* blocked */ }
  }

  function restoreLocally() {
    var copy = null;
    try { copy = JSON.parse(window.localStorage.getItem(localKey) || "null"); } catch (e) { copy = null; }
    if (!copy || !copy.fields || !(copy.at > serverSaved)) {
      forgetLocally();
      return false;
    }
    var counts = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      var values = copy.fields[el.name];
      if (!kept(el) || !values) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else {
        var n = counts[el.name] || 0;
        if (n < values.length) { el.value = values[n]; }
        counts[el.name] = n + 1;
      }
    });
    return true;
  }

  var UNREACHABLE = "The server is unreachable; your text is kept on this device.";

  function save(leaving) {
    if (!dirty || saving) {
      return Promise.resolve();
    }
    dirty = false;
    var sentAt = edits;
    if (leaving && navigator.sendBeacon) {
      navigator.sendBeacon(url, new FormData(form));
      return Promise.resolve();
    }
    saving = true;
    return refreshToken().then(post).then(function (response) {
      if (response.status === 204) {
        if (edits === sentAt) { forgetLocally(); }
        say("Draft saved at " + new Date().toLocaleTimeString());
      } else if (response.status === 413) {
        dirty = true;
        say("This note is too long to save as a draft; shorten it. Your text is kept on this device.");
      } else if (response.type === "opaqueredirect" || response.status === 403) {
        // An expired session (sent to the sign-in page) or a stale CSRF token: keep trying.
        dirty = true;
        needToken = true;
        say("Draft not saved yet (sign in again in another tab); will retry. Your text is kept on this device.");
      } else {
        dirty = true;
        say(UNREACHABLE);
      }
    }).catch(function () {
      dirty = true;
      say(UNREACHABLE);
    }).finally(function () {
      saving = false;
    });
  }

  function edited() {
    dirty = true;
    edits += 1;
    keepLocally();
  }
  if (localKey && restoreLocally()) {
    dirty = true;
    say("Text you typed earlier was kept on this device; saving it now.");
  }
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("submit", function () { dirty = false; });
  window.setInterval(save, 2000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      save(true);
    }
  });
  window.addEventListener("pagehide", function () { save(true); });
  // Another form on the page (e.g. "Sign out") waits until the draft is stored.
  document.addEventListener("submit", function (event) {
    var other = event.target;
    if (other === form || !dirty) {
      return;
    }
    event.preventDefault();
    save(false).then(function () { other.submit(); });
  }, true);

  // A failed save opens on the error summary; each of its links moves focus to its field.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }
  document.querySelectorAll("a[data-focus-field]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      var closed = target.closest("details:not([open])");
      if (closed) {
        closed.open = true;
      }
      target.scrollIntoView({ block: "center" });
      target.focus();
    });
  });

  // Table rows (ROM, strength, special tests, hops, modalities) are added in place from the
  // formset's empty row, and removed with their "Remove" box: no save needed first.
  form.querySelectorAll("[data-formset]").forEach(function (set) {
    var key = set.getAttribute("data-formset");
    var total = set.querySelector('input[name="' + key + '-TOTAL_FORMS"]');
    var most = set.querySelector('input[name="' + key + '-MAX_NUM_FORMS"]');
    var template = set.querySelector("template[data-empty-row]");
    var rows = set.querySelector("[data-rows]");
    var button = set.querySelector("[data-add-row]");
    if (!total || !template || !rows || !button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      if (most && index >= parseInt(most.value, 10)) {
        return;
      }
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__num__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = rows.lastElementChild.querySelector("select, input, textarea");
      if (first) {
        first.focus();
      }
      edited();
    });
  });
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches && box.matches("[data-remove-row]")) {
      box.closest("tr").classList.toggle("is-removed", box.checked);
    }
  });

  // Body chart: each drawn region toggles the checkbox with the same region code.
  function box(code) {
    return form.querySelector('input[name="pain_regions"][value="' + code + '"]');
  }
  function paint(code, on) {
    var shape = form.querySelector('.bodychart [data-region="' + code + '"]');
    if (shape) {
      shape.classList.toggle("is-selected", on);
    }
  }
  form.querySelectorAll(".bodychart [data-region]").forEach(function (shape) {
    shape.addEventListener("click", function () {
      var input = box(shape.getAttribute("data-region"));
      if (input) {
        input.checked = !input.checked;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });
  form.querySelectorAll('input[name="pain_regions"]').forEach(function (input) {
    input.addEventListener("change", function () { paint(input.value, input.checked); });
  });
})();
