// The agent's chat workspace: live messages by long polling, sending without a page load, typing.
// Without JavaScript the page still works: the form posts and the page reloads.
(function () {
  "use strict";
  var anchor = document.querySelector("[data-chat-compose]");
  if (!anchor) { return; }
  var chatId = anchor.dataset.chat;
  var pollUrl = anchor.dataset.poll;
  var typingUrl = anchor.dataset.typing;
  var seq = parseInt(anchor.dataset.seq || "0", 10);
  var sig = "";
  var log = document.querySelector("[data-chat-log]");
  var stateLine = document.querySelector("[data-chat-state]");
  var typingLine = document.querySelector("[data-customer-typing]");
  var waitingLine = document.querySelector("[data-waiting-count]");
  var myChats = document.querySelector("[data-my-chats]");
  var errorLine = document.querySelector("[data-chat-error]");
  var form = anchor.tagName === "FORM" ? anchor : null;
  var textarea = form ? form.querySelector("textarea[name=text]") : null;
  var csrf = form ? form.querySelector("input[name=csrfmiddlewaretoken]").value : "";
  var seenKey = "frontline-chat-seen:" + (document.body.dataset.user || "");
  var lastTyping = 0, typingTimer = null, sending = false;

  function seenMap() { try { return JSON.parse(sessionStorage.getItem(seenKey) || "{}"); } catch (e) { return {}; } }
  function markSeen(id, value) { var m = seenMap(); m[id] = value; try { sessionStorage.setItem(seenKey, JSON.stringify(m)); } catch (e) { /* off */ } }

  function time(iso) {
    try { return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); } catch (e) { return ""; }
  }

  function add(entry) {
    if (log.querySelector('[data-seq="' + entry.seq + '"]')) { return; }
    var item = document.createElement("li");
    item.className = "chat-line " + (entry.kind === "message" ? entry.author : "system");
    item.dataset.seq = entry.seq;
    var stamp = document.createElement("time");
    stamp.className = "small muted"; stamp.dateTime = entry.at; stamp.textContent = time(entry.at);
    if (entry.kind === "message") {
      var who = document.createElement("span"); who.className = "who"; who.textContent = entry.name;
      var body = document.createElement("div"); body.className = "body";
      body.innerHTML = entry.html;  // sanitised by the server (desk.content)
      item.appendChild(who); item.appendChild(document.createTextNode(" ")); item.appendChild(stamp); item.appendChild(body);
    } else {
      item.textContent = entry.text + " "; item.appendChild(stamp);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function render(view) {
    sig = view.sig;
    if (view.chat) {
      (view.chat.entries || []).forEach(add);
      seq = Math.max(seq, view.chat.seq);
      markSeen(chatId, seq);
      if (view.chat.state === "ended") {
        stateLine.textContent = "This chat has ended.";
      } else if (view.chat.state === "waiting") {
        stateLine.textContent = "Waiting in the queue for an agent.";
      } else if (view.chat.state === "active") {
        stateLine.textContent = "With " + view.chat.agent + ".";
      }
      // Only the agent holding the chat writes in it: a transfer away hides the reply box at once.
      if (form) { form.hidden = !view.chat.holds; }
      typingLine.hidden = !view.chat.customer_typing;
      clearTimeout(typingTimer);
      if (view.chat.customer_typing) { typingTimer = setTimeout(function () { typingLine.hidden = true; }, 6000); }
    }
    if (waitingLine) {
      waitingLine.textContent = view.waiting ? view.waiting + " customer" + (view.waiting === 1 ? " is" : "s are") + " waiting in the queue." : "";
    }
    if (myChats) {
      var seen = seenMap();
      (view.mine || []).forEach(function (c) {
        var link = myChats.querySelector('[data-chat-link="' + c.id + '"]');
        if (!link) {
          var li = document.createElement("li");
          link = document.createElement("a");
          link.href = pollUrl.replace(/agent\/poll\/$/, c.id + "/");
          link.dataset.chatLink = c.id; link.textContent = c.name;
          li.appendChild(link); myChats.appendChild(li);
        }
        var badge = link.parentNode.querySelector(".badge");
        var unread = String(c.id) !== chatId && c.customer_seq > (seen[c.id] || 0);
        if (unread && !badge) { badge = document.createElement("span"); badge.className = "badge"; badge.textContent = "new"; link.parentNode.appendChild(badge); }
        if (!unread && badge) { badge.remove(); }
      });
      // Chats no longer the viewer's (ended, transferred) leave the list; the count follows.
      var held = (view.mine || []).map(function (c) { return String(c.id); });
      Array.prototype.forEach.call(myChats.querySelectorAll("[data-chat-link]"), function (link) {
        if (held.indexOf(link.dataset.chatLink) < 0) { link.parentNode.remove(); }
      });
      var none = myChats.querySelector("li.muted");
      if (held.length && none) { none.remove(); }
      if (!held.length && !none) { none = document.createElement("li"); none.className = "muted"; none.textContent = "None."; myChats.appendChild(none); }
      var count = myChats.parentNode.querySelector(".count");
      if (count) { count.textContent = count.textContent.replace(/^\d+/, String(held.length)); }
    }
  }

  function poll(backoff) {
    var url = pollUrl + "?chat=" + encodeURIComponent(chatId) + "&after=" + seq + "&sig=" + encodeURIComponent(sig) + "&wait=25";
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 200) { return r.json().then(function (view) { render(view); poll(0); }); }
        if (r.status === 403) { stateLine.textContent = "Your session ended: reload the page to sign in again."; return; }
        if (r.status === 404) {
          stateLine.textContent = "This chat is no longer visible to you (it moved to a team you do not see).";
          if (form) { form.hidden = true; }
          return;
        }
        throw new Error("poll " + r.status);
      })
      .catch(function () { setTimeout(function () { poll(Math.min(8000, (backoff || 500) * 2)); }, backoff || 500); });
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = textarea.value;
      if (!text.trim() || sending) { return; }  // one send at a time: a second Enter does not send it twice
      sending = true;
      errorLine.hidden = true;
      var data = new FormData(form);
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                           headers: { "Accept": "application/json", "X-CSRFToken": csrf } })
        .then(function (r) {
          if (r.status === 201) { textarea.value = ""; textarea.focus(); return; }
          return r.json()
            .catch(function () { return { detail: "Not sent (the server answered " + r.status + ")." }; })
            .then(function (body) { errorLine.textContent = body.detail; errorLine.hidden = false; });
        })
        .catch(function () { errorLine.textContent = "Not sent: check your connection and try again."; errorLine.hidden = false; })
        .then(function () { sending = false; });
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTyping < 2500) { return; }
      lastTyping = now;
      fetch(typingUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf } }).catch(function () { /* a hint only */ });
    });
  }
  markSeen(chatId, seq);
  poll(0);
})();
