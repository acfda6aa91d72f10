// "Notifications on this phone" (/portal/notifications/): turn web push on or off for this
// browser. On: ask permission, subscribe with the clinic's VAPID public key, post the
// subscription (with the CSRF token) so the server can send to it. Off: tell the server, then
// unsubscribe the browser.
(function () {
  "use strict";
  var box = document.getElementById("push-controls");
  if (!box) { return; }
  var onButton = document.getElementById("push-on");
  var offButton = document.getElementById("push-off");
  var status = document.getElementById("push-status");
  var iosHint = document.getElementById("push-ios-hint");

  function say(text) { status.textContent = text; }
  function show(subscribed) {
    onButton.disabled = subscribed;
    offButton.disabled = !subscribed;
    if (subscribed) { say("Notifications are on for this phone."); return; }
    var blocked = "Notification" in window && Notification.permission === "denied";
    say(blocked ? "Notifications are blocked for the portal in this browser's settings." : "Notifications are off for this phone.");
  }
  function csrfToken() {
    var field = box.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  // The VAPID key is base64url; subscribe() wants its bytes.
  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "====".slice((base64.length % 4) || 4);
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  function post(url, fields) {
    var body = new FormData();
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
    }).then(function (response) {
      if (!response.ok) { throw new Error("refused"); }
      return response.json();
    });
  }

  var isIos = /iPad|iPhone|iPod/.test(navigator.userAgent) ||
    (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  if (isIos && navigator.standalone === false) { iosHint.hidden = false; }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(isIos ? "Add the portal to your Home Screen to get notifications on this phone." : "This browser cannot show notifications from the portal.");
    return;
  }
  // The worker registers on page load (portal_install.js); if it never becomes ready (storage
  // blocked, private mode), say so rather than "Checking" for ever.
  var notReady = window.setTimeout(function () {
    say("This browser could not set up notifications for the portal. Try reloading the page.");
  }, 15000);

  function registration() { return navigator.serviceWorker.ready; }

  function turnOn() {
    onButton.disabled = true;
    say("Asking this browser…");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        onButton.disabled = false;
        say("Notifications were not allowed. See below if they are blocked.");
        return null;
      }
      return registration().then(function (reg) {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.getAttribute("data-vapid-key")) });
      }).then(function (subscription) {
        return post(box.getAttribute("data-subscribe-url"), { subscription: JSON.stringify(subscription.toJSON()) });
      }).then(function () { show(true); });
    }).catch(function () {
      onButton.disabled = false;
      say("Notifications could not be turned on. Check your connection and try again.");
    });
  }

  function turnOff() {
    offButton.disabled = true;
    registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (subscription) {
      if (!subscription) { return null; }
      return post(box.getAttribute("data-unsubscribe-url"), { endpoint: subscription.endpoint }).then(function () {
        return subscription.unsubscribe();
      });
    }).then(function () { show(false); }).catch(function () {
      offButton.disabled = false;
      say("Notifications could not be turned off. Check your connection and try again.");
    });
  }

  onButton.addEventListener("click", turnOn);
  offButton.addEventListener("click", turnOff);
  registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (subscription) {
    window.clearTimeout(notReady);
    show(Boolean(subscription));
  }).catch(function () { window.clearTimeout(notReady); show(false); });
})();
