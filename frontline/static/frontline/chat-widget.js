/* Frontline chat widget. Put on any page:
 *   <script src="https://desk.example.com/chat/widget.js" data-widget="KEY" async></script>
 * Vanilla JavaScript, no build step, no cookies: each chat is opened with a secret token kept in
 * this tab's sessionStorage and sent in the X-Chat-Token header. News arrives by long polling. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-widget][src*='widget.js']");
  if (!script || !script.dataset.widget || window.__frontlineChat) { return; }
  window.__frontlineChat = true;
  var KEY = script.dataset.widget;
  var BASE = new URL(script.src, location.href).origin;
  var API = BASE + "/chat/w/" + encodeURIComponent(KEY);
  var STORE = "frontline-chat:" + KEY;
  var config = { title: "Chat with us", greeting: "", agents_available: true, max_chars: 2000 };
  var session = load();
  var seq = 0, pulse = -1, state = "", more = false, sending = false, lastTyping = 0, typingTimer = null, seen = {};

  function load() { try { return JSON.parse(sessionStorage.getItem(STORE) || "null"); } catch (e) { return null; } }
  function save(value) { session = value; try { value ? sessionStorage.setItem(STORE, JSON.stringify(value)) : sessionStorage.removeItem(STORE); } catch (e) { /* private mode */ } }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function call(method, path, body, token) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (token) { headers["X-Chat-Token"] = token; }
    return fetch(API + path, { method: method, headers: headers, credentials: "omit", mode: "cors",
                               body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (response) {
        if (response.status === 204) { return { status: 204, data: {} }; }
        return response.json().then(function (data) { return { status: response.status, data: data }; },
                                     function () { return { status: response.status, data: { detail: "Something went wrong (" + response.status + ")." } }; });
      });
  }

  // --- the box ------------------------------------------------------------------------------
  var host = el("div", { "class": "frontline-chat-host" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.appendChild(el("link", { rel: "stylesheet", href: BASE + "/static/frontline/chat-widget.css" }));
  var launcher = el("button", { type: "button", "class": "fc-launcher", "aria-expanded": "false", "aria-controls": "fc-panel" }, "Chat with us");
  var panel = el("section", { id: "fc-panel", "class": "fc-panel", role: "dialog", "aria-label": "Chat", hidden: "" });
  var head = el("header", { "class": "fc-head" });
  var titleEl = el("strong", {}, "Chat with us");
  var close = el("button", { type: "button", "class": "fc-close", "aria-label": "Close the chat window" }, "×");
  head.appendChild(titleEl); head.appendChild(close);
  var status = el("p", { "class": "fc-status", "aria-live": "polite" });
  var body = el("div", { "class": "fc-body" });
  panel.appendChild(head); panel.appendChild(status); panel.appendChild(body);
  root.appendChild(launcher); root.appendChild(panel);

  function open() { panel.hidden = false; launcher.setAttribute("aria-expanded", "true"); launcher.hidden = true; }
  launcher.addEventListener("click", function () { open(); if (!session) { showIntro(); } });
  close.addEventListener("click", function () { panel.hidden = true; launcher.hidden = false; launcher.setAttribute("aria-expanded", "false"); });

  function field(form, name, label, type) {
    var id = "fc-" + name;
    form.appendChild(el("label", { "for": id }, label));
    var input = type === "textarea" ? el("textarea", { id: id, name: name, rows: "3", required: "" })
                                    : el("input", { id: id, name: name, type: type, required: "", autocomplete: name });
    form.appendChild(input);
    return input;
  }

  function errorBox() { return el("p", { "class": "fc-error", role: "alert", hidden: "" }); }
  function showError(box, data) {
    var text = (data && data.detail) || "Something went wrong; try again.";
    box.textContent = text; box.hidden = false;
  }

  function showIntro() {
    body.textContent = "";
    status.textContent = "";
    var offline = !config.agents_available;
    body.appendChild(el("p", { "class": "fc-greeting" }, offline
      ? "No one is available to chat right now. Leave a message and we will answer by email."
      : config.greeting));
    var form = el("form", { "class": "fc-form", novalidate: "" });
    var name = field(form, "name", "Your name", "text");
    var email = field(form, "email", "Email", "email");
    var text = field(form, "text", offline ? "Your message" : "How can we help?", "textarea");
    var error = errorBox();
    form.appendChild(error);
    var submit = el("button", { type: "submit", "class": "fc-button" }, offline ? "Send message" : "Start chat");
    form.appendChild(submit);
    body.appendChild(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit.disabled = true; error.hidden = true;
      var payload = { name: name.value, email: email.value, text: text.value };
      if (offline) { leaveMessage(payload, error, submit); return; }
      call("POST", "/chats", payload).then(function (r) {
        submit.disabled = false;
        if (r.status === 201) { save({ chat: r.data.chat_id, token: r.data.token }); startChat(); }
        else if (r.status === 409 && r.data.offline) { config.agents_available = false; showIntro(); }
        else { showError(error, r.data); }
      }, function () { submit.disabled = false; showError(error, { detail: "We could not reach the chat; check your connection." }); });
    });
    name.focus();
  }

  function leaveMessage(payload, error, submit) {
    call("POST", "/messages", payload).then(function (r) {
      if (submit) { submit.disabled = false; }
      if (r.status === 201) { thanks(r.data.ticket); } else { showError(error, r.data); }
    }, function () { if (submit) { submit.disabled = false; } showError(error, { detail: "We could not send it; check your connection." }); });
  }

  function thanks(ticket) {
    save(null);
    body.textContent = "";
    status.textContent = "";
    body.appendChild(el("p", { "class": "fc-greeting" }, "Thanks! We have your message (request #" + ticket + ") and will answer by email."));
  }

  // --- a chat ---------------------------------------------------------------------------------
  var log, compose, input, sendError, endButton, after, typingLine;

  function startChat() {
    open();
    body.textContent = "";
    seq = 0; pulse = -1; state = ""; more = false; sending = false; seen = {};
    log = el("ol", { "class": "fc-log", "aria-live": "polite", "aria-label": "Messages" });
    typingLine = el("p", { "class": "fc-typing", hidden: "" });
    compose = el("form", { "class": "fc-compose" });
    input = el("textarea", { name: "text", rows: "2", "aria-label": "Your message", placeholder: "Write a message; Enter sends" });
    sendError = errorBox();
    var send = el("button", { type: "submit", "class": "fc-button" }, "Send");
    compose.appendChild(input); compose.appendChild(send); compose.appendChild(sendError);
    after = el("div", { "class": "fc-after" });
    endButton = el("button", { type: "button", "class": "fc-link" }, "End chat");
    after.appendChild(endButton);
    body.appendChild(log); body.appendChild(typingLine); body.appendChild(compose); body.appendChild(after);
    compose.addEventListener("submit", function (event) { event.preventDefault(); say(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); say(); }
    });
    input.addEventListener("input", typing);
    endButton.addEventListener("click", function () {
      call("POST", "/chats/" + session.chat + "/end", {}, session.token).then(function (r) { if (r.status === 403) { expired(); } });
    });
    status.textContent = "Connecting…";
    poll(0);
  }

  function say() {
    var text = input.value;
    if (!text.trim() || sending) { return; }  // one send at a time: a second Enter does not send it twice
    sending = true;
    sendError.hidden = true;
    call("POST", "/chats/" + session.chat + "/say", { text: text }, session.token).then(function (r) {
      sending = false;
      if (r.status === 201) { input.value = ""; }
      else if (r.status === 403) { expired(); }
      else { showError(sendError, r.data); }
    }, function () { sending = false; showError(sendError, { detail: "Not sent: check your connection and try again." }); });
  }

  function typing() {
    var now = Date.now();
    if (now - lastTyping < 2500 || !session) { return; }
    lastTyping = now;
    call("POST", "/chats/" + session.chat + "/typing", {}, session.token).catch(function () { /* only a hint */ });
  }

  function time(iso) {
    try { return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); } catch (e) { return ""; }
  }

  function add(entry) {
    if (seen[entry.seq]) { return; }
    seen[entry.seq] = true;
    var item = el("li", { "class": "fc-line fc-" + entry.author + " fc-kind-" + entry.kind, "data-seq": String(entry.seq) });
    if (entry.kind === "message") {
      var meta = el("span", { "class": "fc-meta" }, (entry.author === "customer" ? "You" : entry.name) + " · " + time(entry.at));
      var text = el("div", { "class": "fc-text" });
      text.innerHTML = entry.html;  // sanitised by Frontline (desk.content): escaped text in paragraphs
      item.appendChild(meta); item.appendChild(text);
    } else {
      item.textContent = entry.text;
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function render(view) {
    (view.entries || []).forEach(add);
    seq = Math.max(seq, view.seq); pulse = view.pulse; state = view.state; more = !!view.more;
    if (state === "waiting") {
      status.textContent = "Waiting for an agent…";
      if (!after.querySelector(".fc-leave")) {
        var leave = el("button", { type: "button", "class": "fc-link fc-leave" }, "No time to wait? Leave a message instead");
        leave.addEventListener("click", function () {
          call("POST", "/messages", { chat_id: session.chat, text: input.value }, session.token).then(function (r) {
            if (r.status === 201) { thanks(r.data.ticket); } else { showError(sendError, r.data); }
          });
        });
        after.insertBefore(leave, endButton);
      }
    } else {
      var leaveButton = after.querySelector(".fc-leave");
      if (leaveButton) { leaveButton.remove(); }
    }
    if (state === "active") { status.textContent = view.agent ? "You are chatting with " + view.agent.name + "." : ""; }
    typingLine.hidden = !view.agent_typing;
    typingLine.textContent = view.agent_typing && view.agent ? view.agent.name + " is typing…" : "";
    clearTimeout(typingTimer);
    if (view.agent_typing) { typingTimer = setTimeout(function () { typingLine.hidden = true; }, (config.typing_s || 6) * 1000); }
    if (state === "ended" && !more) { ended(view.survey_url); }  // a long chat's last page read first
  }

  function ended(surveyUrl) {
    status.textContent = "This chat has ended.";
    compose.hidden = true;
    after.textContent = "";
    var mail = el("button", { type: "button", "class": "fc-button" }, "Email me the transcript");
    var again = el("button", { type: "button", "class": "fc-link" }, "Start a new chat");
    var note = el("p", { "class": "fc-note", "aria-live": "polite" });
    mail.addEventListener("click", function () {
      call("POST", "/chats/" + session.chat + "/transcript", {}, session.token).then(function (r) {
        if (r.status === 202) { note.textContent = "On its way to " + r.data.email + "."; mail.disabled = true; }
        else { showError(note, r.data); }
      });
    });
    again.addEventListener("click", function () { save(null); showIntro(); });
    if (surveyUrl) {
      var survey = el("a", { href: surveyUrl, target: "_blank", rel: "noopener", "class": "fc-survey" }, "How did we do? Rate this chat");
      after.appendChild(survey);
    }
    after.appendChild(mail); after.appendChild(again); after.appendChild(note);
  }

  function expired() {
    save(null);
    status.textContent = "This chat session has expired.";
    if (compose) { compose.hidden = true; }
    var again = el("button", { type: "button", "class": "fc-link" }, "Start a new chat");
    again.addEventListener("click", showIntro);
    body.appendChild(again);
  }

  function poll(backoff) {
    if (!session || (state === "ended" && !more)) { return; }
    var current = session;
    call("GET", "/chats/" + current.chat + "/poll?after=" + seq + "&pulse=" + pulse + "&wait=25", undefined, current.token)
      .then(function (r) {
        if (session !== current) { return; }
        if (r.status === 200) { render(r.data); poll(0); }
        else if (r.status === 403 || r.status === 404) { expired(); }
        else { setTimeout(function () { poll(Math.min(8000, (backoff || 500) * 2)); }, backoff || 500); }
      }, function () {
        if (session !== current) { return; }
        status.textContent = "Reconnecting…";
        setTimeout(function () { poll(Math.min(8000, (backoff || 500) * 2)); }, backoff || 500);
      });
  }

  function start() {
    document.body.appendChild(host);
    call("GET", "/config").then(function (r) {
      if (r.status !== 200) { host.remove(); return; }  // a disabled widget or a site not allowed: nothing shows
      config = r.data;
      titleEl.textContent = config.title;
      launcher.textContent = config.title;
      if (session) { startChat(); }
    }, function () { host.remove(); });
  }

  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
