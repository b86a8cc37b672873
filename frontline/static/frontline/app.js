// Remember the browser's time zone so the server can show times in it (no JS: UTC).
(function () {
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.indexOf("tz=" + tz) === -1) {
      document.cookie = "tz=" + tz + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* old browser: times stay in UTC */ }
})();

// The main navigation's menus open without JavaScript (details/summary); here only one stays
// open at a time, and a click elsewhere or Escape closes it.
(function () {
  function menus() { return document.querySelectorAll(".main-nav details.menu"); }
  function closeAll(except) {
    Array.prototype.forEach.call(menus(), function (menu) { if (menu !== except) { menu.open = false; } });
  }
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (menu.matches && menu.matches(".main-nav details.menu") && menu.open) { closeAll(menu); }
  }, true);
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".main-nav details.menu")) { closeAll(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector(".main-nav details.menu[open]");
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });
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

// Drafts of unsent replies and notes, kept in this browser so that a lost session or a closed
// tab does not lose what the agent typed. Each is keyed by the signed-in user, the page and the
// mode: a note's draft never comes back as a public reply, and the next person to sign in on a
// shared PC sees none of them (sign-out also clears them: below, and Clear-Site-Data).
(function () {
  var PREFIX = "frontline-draft:";
  function store(op, key, value) {
    try {
      if (op === "get") { return localStorage.getItem(key) || ""; }
      if (op === "set" && value) { localStorage.setItem(key, value); } else { localStorage.removeItem(key); }
    } catch (e) { /* storage off: no drafts */ }
    return "";
  }
  function base() { return PREFIX + (document.body.dataset.user || "anonymous") + ":" + location.pathname + ":"; }
  function box(form) { return form.querySelector("textarea[name=body]"); }
  function modeOf(form) {
    var checked = form.querySelector("input[name=public]:checked");
    return checked && checked.value === "0" ? "note" : "reply";
  }
  function show(form) {
    // Note mode is unmistakable: colour and banner (CSS), placeholder and button label.
    var note = modeOf(form) === "note";
    form.classList.toggle("note-mode", note);
    var text = box(form);
    if (text && text.dataset.notePlaceholder) {
      text.placeholder = note ? text.dataset.notePlaceholder : text.dataset.replyPlaceholder;
    }
    var button = form.querySelector("button[data-note-label]");
    if (button) { button.textContent = note ? button.dataset.noteLabel : button.dataset.replyLabel; }
  }
  function setMode(form, mode) {
    var radio = form.querySelector("input[name=public][value='" + (mode === "note" ? "0" : "1") + "']");
    if (radio) { radio.checked = true; }
  }
  function restore() {
    var form = document.querySelector("form[data-draft]");
    if (!form || form.dataset.draftRestored) { return; }
    form.dataset.draftRestored = "1";
    var text = box(form);
    var sent = form.dataset.draftSent;
    if (sent) {
      // Just sent: that draft is done; the box stays empty in the mode the agent chose.
      store("remove", base() + sent);
      store("set", base() + "mode", sent);
    } else if (text && !text.value) {
      var mode = store("get", base() + "mode");
      if (mode === "note" || mode === "reply") { setMode(form, mode); }
      text.value = store("get", base() + modeOf(form));
    }
    show(form);
  }
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-draft]");
    if (form && event.target.name === "body") {
      store("set", base() + modeOf(form), event.target.value);
    }
  });
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-draft]");
    if (form && event.target.name === "public") {
      // Switching mode swaps drafts: the text typed as a reply stays a reply draft.
      var mode = modeOf(form);
      store("set", base() + "mode", mode);
      var text = box(form);
      if (text) { text.value = store("get", base() + mode); }
      show(form);
    }
  });
  // Ctrl+Enter (Cmd+Enter on a Mac) sends the reply or note.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.name === "body") {
      var form = event.target.closest("form[data-draft]");
      if (form) { event.preventDefault(); form.requestSubmit(); }
    }
  });
  function forget() {
    // Everything this browser keeps for the person: drafts, htmx's page snapshots, the last queue.
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && (key.indexOf("frontline-") === 0 || key.indexOf("htmx-history-cache") === 0)) {
          localStorage.removeItem(key);
        }
      }
      sessionStorage.clear();
    } catch (e) { /* storage off: nothing kept */ }
  }
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form[data-sign-out]")) { forget(); }
  });
  function dropLegacy() {
    // Drafts of earlier versions were keyed by page only, readable by whoever signed in next.
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && key.indexOf(PREFIX + "/") === 0) { localStorage.removeItem(key); }
      }
    } catch (e) { /* storage off */ }
  }
  document.addEventListener("DOMContentLoaded", function () { dropLegacy(); restore(); });
  document.addEventListener("htmx:afterSettle", restore);
})();

// "← Back to tickets" goes back to the queue as the agent left it: view, filters, sort and page
// (remembered per tab; without JavaScript the link opens the default queue).
(function () {
  var KEY = "frontline-queue";
  function remember() {
    if (document.querySelector("[data-queue]")) {
      try { sessionStorage.setItem(KEY, location.pathname + location.search); } catch (e) { /* storage off */ }
    }
  }
  function point() {
    var link = document.querySelector("a[data-back-to-queue]");
    var url = "";
    try { url = sessionStorage.getItem(KEY) || ""; } catch (e) { /* storage off */ }
    if (link && url && url.indexOf(link.getAttribute("href")) === 0) { link.setAttribute("href", url); }
  }
  document.addEventListener("DOMContentLoaded", function () { remember(); point(); });
  document.addEventListener("htmx:pushedIntoHistory", remember);
  document.addEventListener("htmx:historyRestore", remember);
})();
