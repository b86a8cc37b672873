// The schedule board's shift dialog (kept out of the page: the Content-Security-Policy allows
// scripts from this site only). htmx loads the shift form into #shift-dialog-body; the dialog
// opens on that swap, focuses the first field, and closes when the server says "shiftSaved".
(function () {
  function dialog() { return document.getElementById("shift-dialog"); }
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target.id === "shift-dialog-body") {
      var d = dialog();
      if (!d) return;
      if (!d.open) d.showModal();
      var first = d.querySelector("select, input");
      if (first) first.focus();
    }
  });
  document.addEventListener("shiftSaved", function () {
    var d = dialog();
    if (d && d.open) d.close();
  });
  document.addEventListener("click", function (e) {
    if (e.target.matches && e.target.matches("[data-close-dialog]")) {
      var d = dialog();
      e.preventDefault();
      if (d) d.close();
    }
  });
})();
