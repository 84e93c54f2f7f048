/*
 * Passordhjelp web chat: talks to Rasa's socket.io channel (channels/socketio.py).
 * A full page at /webhooks/socketio/chat/, and the panel widget.js frames
 * (?embed=1&origin=<host page origin>&lang=<label language>).
 *
 * - Raw text is never stored: a message shows as "sending" until the server says what
 *   it kept of it (message_kept: the redacted text, or nothing); only that is stored.
 * - The conversation survives a reload and a dropped connection: the session the
 *   server confirmed (its id and signed session token) and the kept messages are in
 *   localStorage; messages written while offline wait in memory and go out on reconnect
 *   (the server answers a message it already had without handling it twice); replies
 *   sent while the page was away come after reconnecting (bot messages have growing
 *   ids: the page names the last one it showed, and shows each id once).
 * - Every message is shown as text (textContent, DOM nodes), never parsed as HTML.
 * - Labels (web/labels.yml) in the language the widget asks for, else the
 *   conversation's, else the browser's.
 * - Sign-in (when the server requires it): a signed token (JWT) from the URL fragment
 *   `#token=...` (taken out of the address bar at once), from the host page through
 *   widget.js, or from localStorage `passordhjelp.webchat.token`; sent as socket.io
 *   `auth: {token}`.
 */
(function () {
  "use strict";

  var STATE_KEY = "passordhjelp.webchat.state";
  var TOKEN_KEY = "passordhjelp.webchat.token";
  var MAX_KEPT = 200;
  var TYPING_TIMEOUT_MS = 20000;

  var config = document.body.dataset;
  var ALL_LABELS = JSON.parse(config.labels);
  var params = new URLSearchParams(window.location.search);
  var embedOrigins = (config.embedOrigins || "").split(" ");
  var parentOrigin = params.get("embed") === "1" && window.parent !== window &&
    embedOrigins.indexOf(params.get("origin")) >= 0 ? params.get("origin") : null;
  var requestedLanguage = languageOf(params.get("lang"));

  var byId = document.getElementById.bind(document);
  var log = byId("log");
  var quickReplies = byId("quick-replies");
  var form = byId("composer");
  var input = byId("message");
  var sendButton = byId("send");
  var statusLine = byId("status");
  var typing = byId("typing");
  var startOverButton = byId("start-over");
  var closeButton = byId("close");

  function languageOf(tag) {
    tag = (tag || "").toLowerCase();
    if (/^(nb|nn|no)\b/.test(tag)) return "nb";
    if (/^en\b/.test(tag)) return "en";
    return null;
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;  // storage blocked: the chat still works, without persistence
    }
  }

  function loadState() {
    var store = storage();
    try {
      var saved = JSON.parse((store && store.getItem(STATE_KEY)) || "null");
      if (saved && Array.isArray(saved.messages)) {
        return { sessionId: typeof saved.sessionId === "string" ? saved.sessionId : null,
                 sessionToken: typeof saved.sessionToken === "string" ? saved.sessionToken : null,
                 language: languageOf(saved.language),
                 lastSeen: typeof saved.lastSeen === "number" ? saved.lastSeen : 0,
                 messages: saved.messages };
      }
    } catch (error) { /* unreadable: start afresh */ }
    return { sessionId: null, sessionToken: null, language: null, lastSeen: 0, messages: [] };
  }

  function saveState() {
    var store = storage();
    // Only what the server kept: messages still waiting for its answer stay in memory.
    var kept = state.messages.filter(function (m) { return !m.pending; }).slice(-MAX_KEPT)
      .map(function (m) { return { from: m.from, text: m.text, buttons: m.buttons }; });
    try {
      if (store) store.setItem(STATE_KEY, JSON.stringify(
        { sessionId: state.sessionId, sessionToken: state.sessionToken,
          language: state.language, lastSeen: state.lastSeen, messages: kept }));
    } catch (error) { /* full or blocked: keep going without persistence */ }
  }

  function takeToken() {
    var store = storage();
    var fragment = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var token = fragment.get("token");
    if (token) {
      // Out of the address bar (and so out of bookmarks and screenshots) at once.
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      keepToken(token);
      return token;
    }
    return (store && store.getItem(TOKEN_KEY)) || null;
  }

  function keepToken(token) {
    var store = storage();
    try {
      if (store) store.setItem(TOKEN_KEY, token);
    } catch (error) { /* used for this page view only */ }
  }

  function tellHost(message) {
    if (parentOrigin) window.parent.postMessage(message, parentOrigin);
  }

  var labels;
  var statusKey = null;

  function applyLabels() {
    var language = requestedLanguage || state.language ||
      languageOf(navigator.language) || "en";
    labels = ALL_LABELS[language];
    document.documentElement.lang = language;
    document.title = labels.title;
    byId("title").textContent = labels.title;
    input.placeholder = labels.placeholder;
    input.setAttribute("aria-label", labels.message);
    sendButton.textContent = labels.send;
    startOverButton.textContent = labels.start_over;
    byId("close-label").textContent = labels.close;
    log.setAttribute("aria-label", labels.conversation);
    quickReplies.setAttribute("aria-label", labels.suggestions);
    if (!typing.hidden) byId("typing-label").textContent = labels.typing;
    log.querySelectorAll(".speaker").forEach(function (speaker) {
      speaker.textContent = speaker.dataset.from === "user" ? labels.you : labels.assistant;
    });
    log.querySelectorAll(".pending-mark").forEach(function (mark) {
      mark.textContent = labels.sending;
    });
    if (statusKey) setStatus(statusKey);
  }

  function setStatus(key) {
    statusKey = key;
    statusLine.textContent = key ? labels[key] : "";
    statusLine.hidden = !key;
  }

  function setReady(ready) {
    sendButton.disabled = input.disabled = !ready;
    startOverButton.disabled = !ready;
    quickReplies.querySelectorAll("button").forEach(function (button) {
      button.disabled = !ready;
    });
  }

  var typingTimer = null;

  function showTyping(shown) {
    window.clearTimeout(typingTimer);
    typing.hidden = !shown;
    byId("typing-label").textContent = shown ? labels.typing : "";
    if (shown) typingTimer = window.setTimeout(function () { showTyping(false); },
                                               TYPING_TIMEOUT_MS);
  }

  // Bot text: **bold** and https:// links become elements; everything else stays text.
  function appendFormatted(parent, text) {
    var pattern = /\*\*([^*]+)\*\*|(https:\/\/[^\s)<>"]+[^\s)<>".,;:!?])/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1] !== undefined) {
        var strong = document.createElement("strong");
        strong.textContent = match[1];
        parent.appendChild(strong);
      } else {
        var link = document.createElement("a");
        link.href = match[2];
        link.textContent = match[2];
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        parent.appendChild(link);
      }
      last = pattern.lastIndex;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  var elements = new WeakMap();  // message -> its bubble

  function renderMessage(message) {
    var item = document.createElement("div");
    item.className = "message message-" + (message.from === "user" ? "user" : "bot");
    var speaker = document.createElement("span");
    speaker.className = "speaker visually-hidden";
    speaker.dataset.from = message.from;
    speaker.textContent = message.from === "user" ? labels.you : labels.assistant;
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    item.append(speaker, bubble);
    elements.set(message, bubble);
    fillBubble(message);
    log.appendChild(item);
  }

  function fillBubble(message) {
    var bubble = elements.get(message);
    bubble.replaceChildren();
    if (message.from === "user") {
      bubble.textContent = message.text;
    } else {
      appendFormatted(bubble, message.text);
    }
    if (message.pending) {
      var mark = document.createElement("span");
      mark.className = "pending-mark";
      mark.textContent = labels.sending;
      bubble.appendChild(mark);
    }
  }

  function renderQuickReplies() {
    quickReplies.replaceChildren();
    var last = state.messages[state.messages.length - 1];
    // The latest message in view (the suggestions below it take room from the log).
    window.requestAnimationFrame(function () { log.scrollTop = log.scrollHeight; });
    if (!last || last.from !== "bot" || !Array.isArray(last.buttons)) return;
    last.buttons.forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "quick-reply";
      button.textContent = choice.title;
      button.disabled = input.disabled;
      button.addEventListener("click", function () {
        send(choice.payload, choice.title);
        input.focus();  // the buttons are gone: keep the keyboard in the conversation
      });
      quickReplies.appendChild(button);
    });
  }

  function renderAll() {
    log.replaceChildren();
    state.messages.forEach(renderMessage);
    renderQuickReplies();
  }

  function remember(message) {
    state.messages.push(message);
    if (!message.pending) saveState();
    renderMessage(message);
    renderQuickReplies();
  }

  var nextId = 0;

  // A button's title is ours to show; typed text waits for what the server keeps.
  function send(text, title) {
    if (statusKey !== "offline") setStatus(null);  // "started over", "connected again"...
    var message = { from: "user", text: title || text, title: title, raw: text, pending: true,
                    id: "m" + Date.now().toString(36) + "-" + (nextId++) };
    remember(message);
    transmit(message);
  }

  function transmit(message) {
    if (!confirmed || !socket.connected) return;  // sent again on reconnect
    message.sent = true;
    socket.emit(config.userMessageEvt, {
      message: message.raw, id: message.id,
      language: state.language || document.documentElement.lang
    });
  }

  function messageKept(kept) {
    if (!kept || typeof kept !== "object") return;
    if (kept.id && kept.id === restartId) {
      setStatus("started_over");
      return;
    }
    var message = state.messages.find(function (m) { return m.pending && m.id === kept.id; });
    if (!message) return;
    delete message.raw;
    delete message.pending;
    var text = typeof kept.text === "string" ? kept.text : "";
    if (!text) {
      // Nothing kept (too long, too fast, an error): it is not shown again or stored.
      state.messages.splice(state.messages.indexOf(message), 1);
      elements.get(message).parentNode.remove();
      if (kept.failed) setStatus("failed");
    } else {
      message.text = message.title || text;
      fillBubble(message);
      tellHost({ type: "message", from: "user", text: message.text });
      // Sent again after a drop: its replies, if any, came with the missed messages.
      if (!kept.again) showTyping(true);
    }
    var language = languageOf(kept.language);
    var switched = language && language !== state.language;
    if (switched) state.language = language;
    saveState();
    if (switched) {
      if (!requestedLanguage) applyLabels();
      tellHost({ type: "language", language: language });
    }
  }

  function botMessage(data) {
    if (!data || typeof data !== "object") return;
    if (typeof data.id === "number") {
      // Ids grow: one at or below the last shown is a repeat (missed messages after a
      // reconnect may overlap with what came live).
      if (data.id <= state.lastSeen) return;
      state.lastSeen = data.id;
    }
    var text = typeof data.text === "string" ? data.text : "";
    var buttons = Array.isArray(data.quick_replies) ? data.quick_replies : [];
    buttons = buttons.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    }).map(function (b) { return { title: b.title, payload: b.payload }; });
    if (!text && !buttons.length) return;  // images, custom payloads: not used here
    showTyping(false);
    remember({ from: "bot", text: text, buttons: buttons.length ? buttons : undefined });
    tellHost({ type: "message", from: "bot", text: text });
  }

  var restartId = null;

  function startOver() {
    state.messages = state.messages.filter(function (m) { return m.pending; });
    saveState();
    renderAll();
    showTyping(false);
    // Rasa's restart: the assistant forgets the conversation too (said once it has).
    restartId = "restart-" + Date.now().toString(36);
    socket.emit(config.userMessageEvt, { message: "/restart", id: restartId });
    input.focus();
  }

  var state = loadState();
  var socket = null;
  var confirmed = false;
  var wasOffline = false;
  applyLabels();
  setReady(false);
  // Signed in, the history is shown once the server confirms whose conversation it is.
  if (config.signIn !== "required") renderAll();

  // Full screen on a phone the widget is a modal dialog: Tab and Shift+Tab go round in it.
  var modal = false;

  function keepTabInside(event) {
    var focusable = Array.prototype.filter.call(
      document.querySelectorAll("button, input, a[href], [tabindex='0']"),
      function (e) { return !e.disabled && e.getClientRects().length > 0; });
    if (!focusable.length) return;
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    var at = focusable.indexOf(document.activeElement);
    if (event.shiftKey && at <= 0) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (at < 0 || at === focusable.length - 1)) {
      event.preventDefault();
      first.focus();
    }
  }

  if (parentOrigin) {
    closeButton.hidden = false;
    closeButton.addEventListener("click", function () { tellHost({ type: "close" }); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") tellHost({ type: "close" });
      else if (event.key === "Tab" && modal) keepTabInside(event);
    });
    window.addEventListener("message", function (event) {
      if (event.source !== window.parent || event.origin !== parentOrigin) return;
      var data = event.data || {};
      if (data.type === "focus") {
        (input.disabled ? closeButton : input).focus();
      } else if (data.type === "modal") {
        modal = data.modal === true;
      } else if (data.type === "token" && typeof data.token === "string" && data.token) {
        keepToken(data.token);
        connect(data.token);
      }
    });
    tellHost({ type: "hello", language: state.language });
  }

  startOverButton.addEventListener("click", startOver);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    input.value = "";
    if (text) send(text);
  });

  function connect(token) {
    if (config.signIn === "required" && !token) {
      setStatus("sign_in");
      tellHost({ type: "needs-token" });
      return;
    }
    if (typeof window.io !== "function") {
      setStatus("unavailable");
      return;
    }
    if (socket) {
      // A new token from the host page: connect again with it.
      socket.auth = { token: token };
      socket.disconnect().connect();
      return;
    }
    setStatus("connecting");
    var options = { path: config.socketioPath, auth: token ? { token: token } : {} };
    socket = config.namespace && config.namespace !== "/"
      ? window.io(config.namespace, options) : window.io(options);

    socket.on("connect", function () {
      // The server picks the session; the token it signed lets a reload go on with it
      // (protocol: channels/socketio.py).
      // Going on with a conversation, the page names the last reply it showed and gets
      // what it missed (signed in, the server knows the session from the sign-in).
      var request = state.sessionId
        ? { session_id: state.sessionId, last_seen: state.lastSeen } : {};
      if (state.sessionToken) request.session_token = state.sessionToken;
      socket.emit("session_request", request);
    });
    socket.on("session_confirm", function (session) {
      // {session_id, session_token} (anonymous) or {session_id} (signed in).
      var sessionId = session && session.session_id;
      if (typeof sessionId !== "string") return;
      var another = sessionId !== state.sessionId;
      if (another) {
        // Another conversation (new, expired, or another signed-in person): its own history.
        state = { sessionId: sessionId, sessionToken: null, language: state.language,
                  lastSeen: 0,
                  messages: state.messages.filter(function (m) { return m.pending; }) };
      }
      state.sessionToken = typeof session.session_token === "string" ? session.session_token
        : null;
      saveState();
      if (another || !confirmed) renderAll();
      confirmed = true;
      setStatus(wasOffline ? "reconnected" : null);
      wasOffline = false;
      setReady(true);
      state.messages.forEach(function (m) { if (m.pending && !m.sent) transmit(m); });
      if (!parentOrigin || document.hasFocus()) input.focus();
    });
    socket.on("message_kept", messageKept);
    socket.on(config.botMessageEvt, botMessage);
    socket.on("disconnect", function (reason) {
      // The server ends a socket whose sign-in has expired: connecting again shows whether
      // the stored token is still accepted (if not, connect_error asks to sign in).
      if (reason === "io server disconnect") socket.connect();
      wasOffline = true;
      startOverButton.disabled = true;
      showTyping(false);
      // Unanswered messages go out again once the connection is back.
      state.messages.forEach(function (m) { if (m.pending) m.sent = false; });
      setStatus("offline");
    });
    socket.on("connect_error", function () {
      if (!socket.active) {
        // The server refused the socket (a missing, expired or forged sign-in token).
        var store = storage();
        if (store) store.removeItem(TOKEN_KEY);
        setReady(false);
        setStatus(config.signIn === "required" ? "sign_in" : "unavailable");
        if (config.signIn === "required") tellHost({ type: "needs-token" });
      } else {
        wasOffline = true;
        setStatus("offline");
      }
    });
  }

  connect(takeToken());
})();
