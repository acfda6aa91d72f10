// The portal's service worker (scope /portal/). It caches nothing: it only shows the clinic's
// push notifications and opens their page when one is tapped. The payload is JSON
// {title, body, url, icon}, with neutral text only (rehab_clinic/push/services.py).
/* global clients */
"use strict";

var HOME = "/portal/";

// Only a page of this site is opened, whatever a payload says.
function sameSitePath(url, otherwise) {
  var fallback = otherwise === undefined ? HOME : otherwise;
  if (typeof url !== "string" || url.charAt(0) !== "/" || url.charAt(1) === "/") { return fallback; }
  return url;
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(clients.claim()); });

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  var title = typeof data.title === "string" && data.title ? data.title : "Your clinic";
  event.waitUntil(self.registration.showNotification(title, {
    body: typeof data.body === "string" ? data.body : "",
    icon: sameSitePath(data.icon, ""),
    data: { url: sameSitePath(data.url) },
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL(sameSitePath(event.notification.data && event.notification.data.url), self.location.origin).href;
  event.waitUntil(clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i += 1) {
      if (windows[i].url === target && "focus" in windows[i]) { return windows[i].focus(); }
    }
    return clients.openWindow(target);
  }));
});
