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
