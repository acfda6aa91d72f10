// Tap a drawing (or its Enlarge button) to see it full screen. A native <dialog> shown with
// showModal() keeps focus inside, closes with Escape and hands focus back to the button.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-picture-open]");
    if (!opener) { return; }
    var dialog = document.getElementById(opener.getAttribute("data-picture-open"));
    if (dialog && typeof dialog.showModal === "function" && !dialog.open) {
      dialog.showModal();
    }
  });
  // A tap on the backdrop (outside the dialog's box) closes it too.
  document.addEventListener("click", function (event) {
    var dialog = event.target;
    if (dialog.tagName === "DIALOG" && dialog.classList.contains("exercise-picture-dialog")) {
      var box = dialog.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) { dialog.close(); }
    }
  });
}());
