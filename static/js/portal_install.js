// Patient portal: register the service worker (served at /portal/sw.js), which shows the
// clinic's push notifications and opens their page when tapped. Together with the manifest
// linked in base.html this makes the portal installable on a phone's home screen.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) { return; }
  var url = script.getAttribute("data-service-worker");
  var scope = script.getAttribute("data-scope");
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: scope }).catch(function () {
      // Private browsing or storage blocked: the portal works without it, only push does not.
    });
  });
})();
