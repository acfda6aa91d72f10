// Program builder: each exercise card saves itself (htmx, on change) and says so: "Not saved",
// "Saving…", "Saved". While a card is not saved, leaving the page asks first, another form
// (add modality, title and note, template) waits for the save and then goes on, and Publish is
// refused with a message. The server checks too: Publish sends the draft revision it showed.
(function () {
  "use strict";
  if (window.programBuilderLoaded) { return; }
  window.programBuilderLoaded = true;

  var STATES = { dirty: "Not saved", saving: "Saving…", saved: "Saved.", error: "Not saved: fix the highlighted fields." };

  function cards() { return Array.prototype.slice.call(document.querySelectorAll("form.dosage-form")); }
  function busy() { return cards().filter(function (form) { return form.dataset.state !== "saved"; }); }

  function setState(form, state) {
    form.dataset.state = state;
    var status = form.querySelector(".save-state");
    if (!status) { return; }
    status.textContent = STATES[state];
    status.classList.toggle("text-danger", state === "error" || state === "dirty");
  }

  function alertBox(text) {
    var box = document.getElementById("builder-alert");
    if (!box) { return; }
    box.textContent = text;
    box.classList.toggle("d-none", !text);
  }

  function cardName(form) {
    var card = form.closest(".program-item");
    var heading = card && card.querySelector("h3");
    return heading ? heading.textContent.trim() : "an exercise";
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form.dosage-form");
    if (form) { setState(form, "dirty"); }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form.dosage-form");
    if (form) { setState(form, "saving"); }
  });

  // Each edit answers with the new draft revision, which Publish sends back (server check).
  // Read before the swap: afterwards the card's form that asked is detached, and its events no
  // longer reach the document.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var revision = xhr ? xhr.getResponseHeader("X-Draft-Revision") : null;
    var field = document.getElementById("draft-revision");
    if (revision && field) { field.value = revision; }
  });

  // A failed request (network, server error) leaves the card as it was: still not saved.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form.dosage-form");
    if (form && !event.detail.successful && document.body.contains(form)) { setState(form, "dirty"); }
  });

  // After any swap, the swapped-in cards carry their own state from the server.
  document.addEventListener("htmx:afterSettle", function () {
    cards().forEach(function (form) { setState(form, form.dataset.state || "saved"); });
    if (!busy().length) { alertBox(""); }
    document.dispatchEvent(new CustomEvent("builder:settled"));
  });

  // Requests that redraw every card (add, move, remove) would drop what was typed.
  document.addEventListener("htmx:confirm", function (event) {
    var target = event.detail.target;
    if (target && target.id === "program-items" && busy().length) {
      event.preventDefault();
      alertBox("Wait: the change to " + cardName(busy()[0]) + " is not saved yet. Try again once it says Saved.");
    }
  });

  function whenSaved(callback) {
    var pending = busy();
    pending.forEach(function (form) {
      if (form.dataset.state === "dirty" && window.htmx) { window.htmx.trigger(form, "submit"); }
    });
    function check() {
      var left = busy();
      if (!left.length) {
        document.removeEventListener("builder:settled", check);
        callback(true);
      } else if (left.every(function (form) { return form.dataset.state === "error"; })) {
        document.removeEventListener("builder:settled", check);
        callback(false);
      }
    }
    document.addEventListener("builder:settled", check);
  }

  // Capture phase: runs before the site-wide confirm and double-submit handlers.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest || form.classList.contains("dosage-form") || !form.closest("main") ||
        form.hasAttribute("hx-post") || form.method.toLowerCase() !== "post") { return; }
    var pending = busy();
    if (!pending.length) { return; }
    event.preventDefault();
    event.stopPropagation();
    var name = cardName(pending[0]);
    if (form.classList.contains("publish-form")) {
      alertBox("Not published: the change to " + name + " is not saved yet. Publish again once every card says Saved.");
      whenSaved(function () { /* the state shows on each card */ });
      return;
    }
    alertBox("Saving the change to " + name + " first…");
    var submitter = event.submitter;
    whenSaved(function (ok) {
      if (ok) {
        alertBox("");
        form.requestSubmit(submitter || undefined);
      } else {
        alertBox("Not sent: the change to " + name + " is not saved. Fix the highlighted fields first.");
      }
    });
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (busy().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
