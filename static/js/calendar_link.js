// The calendar link page (/portal/run/calendar/link/): "Copy the link" puts the feed URL on the
// clipboard; where the clipboard API is missing, the field is selected for a manual copy.
(function () {
  "use strict";
  var button = document.getElementById("calendar-copy");
  var field = document.getElementById("calendar-url");
  var status = document.getElementById("calendar-copy-status");
  if (!button || !field || !status) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    field.select();
    if (!navigator.clipboard) {
      status.textContent = "Press and hold the link to copy it.";
      return;
    }
    navigator.clipboard.writeText(field.value).then(function () {
      status.textContent = "Copied. Paste it into your calendar app's \"subscribe\" or \"add by URL\".";
    }, function () {
      status.textContent = "Could not copy: press and hold the link to copy it.";
    });
  });
}());
