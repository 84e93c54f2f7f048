/*
 * Passordhjelp web chat: talks to Rasa's socket.io channel (channels/socketio.py).
 *
 * - The conversation survives a reload: the session id the server confirmed and the
 *   messages shown are kept in localStorage (per browser, per session id).
 * - Every message is shown as text (textContent, DOM nodes), never parsed as HTML.
 * - Sign-in (when the server requires it): a signed token (JWT) from the URL fragment
 *   `#token=...` (taken out of the address bar at once) or from localStorage
 *   `passordhjelp.webchat.token`; it is sent as socket.io `auth: {token}`.
 */
(function () {
  "use strict";

  var STATE_KEY = "passordhjelp.webchat.state";
  var TOKEN_KEY = "passordhjelp.webchat.token";
  var MAX_KEPT = 200;

  var LABELS = {
    en: {
      placeholder: "Type your message…",
      send: "Send",
      connecting: "Connecting…",
      ready: "",
      offline: "Connection lost; reconnecting…",
      signIn: "Please sign in to the intranet to use this chat.",
      unavailable: "The chat is not available right now; try again later."
    },
    nb: {
      placeholder: "Skriv meldingen din…",
      send: "Send",
      connecting: "Kobler til…",
      ready: "",
      offline: "Mistet forbindelsen; kobler til på nytt…",
      signIn: "Logg på intranettet for å bruke denne chatten.",
      unavailable: "Chatten er ikke tilgjengelig akkurat nå; prøv igjen senere."
    }
  };

  var config = document.body.dataset;
  var language = /^(nb|nn|no)\b/i.test(navigator.language || "") ? "nb" : "en";
  var labels = LABELS[language];
  var log = document.getElementById("log");
  var quickReplies = document.getElementById("quick-replies");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var statusLine = document.getElementById("status");

  document.documentElement.lang = language;
  input.placeholder = labels.placeholder;
  input.setAttribute("aria-label", labels.placeholder);
  sendButton.textContent = labels.send;

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
      var state = JSON.parse((store && store.getItem(STATE_KEY)) || "null");
      if (state && Array.isArray(state.messages)) {
        return { sessionId: typeof state.sessionId === "string" ? state.sessionId : null,
                 sessionToken: typeof state.sessionToken === "string" ? state.sessionToken : null,
                 messages: state.messages };
      }
    } catch (error) { /* unreadable: start afresh */ }
    return { sessionId: null, sessionToken: null, messages: [] };
  }

  function saveState() {
    var store = storage();
    state.messages = state.messages.slice(-MAX_KEPT);
    try {
      if (store) store.setItem(STATE_KEY, JSON.stringify(state));
    } catch (error) { /* full or blocked: keep going without persistence */ }
  }

  function takeToken() {
    var store = storage();
    var fragment = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var token = fragment.get("token");
    if (token) {
      // Out of the address bar (and so out of bookmarks and screenshots) at once.
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      try {
        if (store) store.setItem(TOKEN_KEY, token);
      } catch (error) { /* used for this page view only */ }
      return token;
    }
    return (store && store.getItem(TOKEN_KEY)) || null;
  }

  function setStatus(text) {
    statusLine.textContent = text;
    statusLine.hidden = !text;
  }

  function setReady(ready) {
    input.disabled = !ready;
    sendButton.disabled = !ready;
    quickReplies.querySelectorAll("button").forEach(function (button) {
      button.disabled = !ready;
    });
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

  function renderMessage(message) {
    var item = document.createElement("li");
    item.className = "message message-" + (message.from === "user" ? "user" : "bot");
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    if (message.from === "user") {
      bubble.textContent = message.text;
    } else {
      appendFormatted(bubble, message.text);
    }
    item.appendChild(bubble);
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function renderQuickReplies() {
    quickReplies.replaceChildren();
    var last = state.messages[state.messages.length - 1];
    if (!last || last.from !== "bot" || !Array.isArray(last.buttons)) return;
    last.buttons.forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "quick-reply";
      button.textContent = choice.title;
      button.disabled = input.disabled;
      button.addEventListener("click", function () {
        send(choice.payload, choice.title);
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
    saveState();
    renderMessage(message);
    renderQuickReplies();
  }

  function send(text, shown) {
    if (!socket || !socket.connected || !state.sessionId) return;
    remember({ from: "user", text: shown });
    socket.emit(config.userMessageEvt, { message: text });
  }

  function botMessage(data) {
    if (!data || typeof data !== "object") return;
    var text = typeof data.text === "string" ? data.text : "";
    var buttons = Array.isArray(data.quick_replies) ? data.quick_replies : [];
    buttons = buttons.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    }).map(function (b) { return { title: b.title, payload: b.payload }; });
    if (!text && !buttons.length) return;  // images, custom payloads: not used here
    remember({ from: "bot", text: text, buttons: buttons.length ? buttons : undefined });
  }

  var state = loadState();
  var socket = null;
  setReady(false);
  // Signed in, the history is shown once the server confirms whose conversation it is.
  if (config.signIn !== "required") renderAll();

  var token = takeToken();
  if (config.signIn === "required" && !token) {
    setStatus(labels.signIn);
    return;
  }
  if (typeof window.io !== "function") {
    setStatus(labels.unavailable);
    return;
  }
  setStatus(labels.connecting);

  var options = { path: config.socketioPath, auth: token ? { token: token } : {} };
  socket = config.namespace && config.namespace !== "/"
    ? window.io(config.namespace, options) : window.io(options);

  // The server picks the session; the token it signed lets a reload go on with it
  // (protocol: channels/socketio.py).
  socket.on("connect", function () {
    socket.emit("session_request", state.sessionToken ? { session_token: state.sessionToken } : {});
  });
  socket.on("session_confirm", function (confirmation) {
    var sessionId = confirmation && confirmation.session_id;
    if (typeof sessionId !== "string") return;
    if (sessionId !== state.sessionId) {
      // Another conversation (new, expired, or another signed-in person): its own history.
      state = { sessionId: sessionId, sessionToken: null, messages: [] };
    }
    state.sessionToken = typeof confirmation.session_token === "string"
      ? confirmation.session_token : null;
    saveState();
    renderAll();
    setStatus(labels.ready);
    setReady(true);
    input.focus();
  });
  socket.on(config.botMessageEvt, botMessage);
  socket.on("disconnect", function (reason) {
    setReady(false);
    setStatus(labels.offline);
    // The server ends a socket whose sign-in has expired: connecting again shows whether
    // the stored token is still accepted (if not, connect_error asks to sign in).
    if (reason === "io server disconnect") socket.connect();
  });
  socket.on("connect_error", function () {
    setReady(false);
    if (!socket.active) {
      // The server refused the socket (a missing, expired or forged sign-in token).
      var store = storage();
      if (store) store.removeItem(TOKEN_KEY);
      setStatus(config.signIn === "required" ? labels.signIn : labels.unavailable);
    } else {
      setStatus(labels.offline);
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text, text);
  });
})();
