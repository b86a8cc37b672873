// Collision detection on the desk's ticket page (frontline/routing/presence.py): report that this
// agent has the ticket open every few seconds, and that they are typing while they type in the
// reply box; show who else is viewing and typing. Without this script the page still shows who
// was there when it was rendered, and the server still holds a reply sent after a new message.
(function () {
  "use strict";
  if (window.frontlinePresence) { return; }
  window.frontlinePresence = true;

  var lastTyped = 0;
  var lastTypingReport = 0;

  function box() { return document.querySelector("form[data-presence]"); }

  function report(extra) {
    var form = box();
    if (!form) { return; }
    var data = new FormData(form);
    Object.keys(extra || {}).forEach(function (k) { data.append(k, extra[k]); });
    if (Date.now() - lastTyped < 5000) { data.append("typing", "1"); }
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                         headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        var current = box();
        var list = current && current.querySelector("[data-presence-list]");
        if (html !== null && list) { list.outerHTML = html; }
      })
      .catch(function () { /* a hint only: the next poll tries again */ });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("#reply-form");
    if (!form || event.target.tagName !== "TEXTAREA") { return; }
    lastTyped = Date.now();
    if (lastTyped - lastTypingReport > 2000) {  // at most one typing report per 2 s
      lastTypingReport = lastTyped;
      report();
    }
  });

  function poll() {
    var form = box();
    var every = form ? (parseFloat(form.dataset.pollS) || 4) : 4;
    if (form && !document.hidden) { report(); }
    window.setTimeout(poll, every * 1000);
  }
  window.setTimeout(poll, 1000);

  window.addEventListener("pagehide", function () {
    var form = box();
    if (!form || !navigator.sendBeacon) { return; }
    var data = new FormData(form);
    data.append("left", "1");
    navigator.sendBeacon(form.action, data);
  });
})();
