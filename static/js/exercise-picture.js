// Tap a drawing (or its Enlarge button) to see it full screen. A native <dialog> shown with
// showModal() keeps focus inside, closes with Escape and hands focus back to the button.
(function () {
  "use strict";
  // The page sends each drawing once: the dialog's large copy is made from the picture the
  // first time it opens.
  function enlarge(dialog, id) {
    var slot = dialog.querySelector(".exercise-picture-large-slot");
    var picture = document.querySelector("img.exercise-picture-image[data-picture-open=\"" + id + "\"]");
    if (!slot || !picture || slot.firstChild) { return; }
    var large = document.createElement("img");
    large.className = "exercise-picture-large";
    large.src = picture.src;
    large.alt = slot.getAttribute("data-picture-alt");
    large.width = 1440;
    large.height = 660;
    slot.appendChild(large);
  }
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-picture-open]");
    if (!opener) { return; }
    var id = opener.getAttribute("data-picture-open");
    var dialog = document.getElementById(id);
    if (dialog && typeof dialog.showModal === "function" && !dialog.open) {
      enlarge(dialog, id);
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
