// Remember the browser's time zone so the server can show times in it (no JS: UTC).
(function () {
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.indexOf("tz=" + tz) === -1) {
      document.cookie = "tz=" + tz + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* old browser: times stay in UTC */ }
})();

// No inline handlers in templates (they would also defeat a strict CSP): behaviour lives here.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.id === "availability" && select.previousElementSibling) {
    select.previousElementSibling.className = "dot " + select.value;
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Keep an unsent reply as a draft in this browser until it is sent, so a lost session or a
// closed tab does not lose what the agent typed.
(function () {
  function draftKey() { return "frontline-draft:" + location.pathname; }
  function restore() {
    var box = document.querySelector("form[data-draft] textarea[name=body]");
    if (box && !box.value) {
      try { box.value = localStorage.getItem(draftKey()) || ""; } catch (e) { /* storage off */ }
    }
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("form[data-draft] textarea[name=body]")) {
      try { localStorage.setItem(draftKey(), event.target.value); } catch (e) { /* storage off */ }
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.hasAttribute && form.hasAttribute("data-draft") && event.detail.successful
        && !event.detail.xhr.getResponseHeader("HX-Redirect")) {
      try { localStorage.removeItem(draftKey()); } catch (e) { /* storage off */ }
    }
  });
  document.addEventListener("DOMContentLoaded", restore);
  document.addEventListener("htmx:afterSettle", restore);
})();
