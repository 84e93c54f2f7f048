/*
 * Passordhjelp widget: one script tag puts a launcher and the chat panel on any page.
 *
 *   <script src="https://HOST/webhooks/socketio/chat/widget.js" data-language="nb" defer></script>
 *
 * The launcher lives in a shadow root (the host page's CSS can't reach it, ours can't
 * leak out); the chat itself is the page at .../chat/ in an iframe, so the conversation,
 * its storage and its connection stay on the assistant's origin. The only global is
 * `Passordhjelp`: open(), close(), setToken(jwt), on(event, fn) and off(event, fn) for
 * "opened", "closed" and "message" ({from: "user" | "bot", text}; a user's text as the
 * server kept it). Attributes: data-language (en or nb; else <html lang>, else the
 * conversation's), data-token-url (a URL on the host page's origin that answers
 * {"token": "<jwt>"} to a request with the intranet's cookies).
 * On a phone (the width widget.css gives the panel the whole screen) the open panel is a
 * modal dialog: aria-modal, Tab and Shift+Tab go round inside it (the chat page keeps
 * them there when told), Escape closes it and focus returns to the launcher.
 * channels/web_assets.py fills in __LABELS__ (web/labels.yml) and __VERSION__.
 */
(function () {
  "use strict";

  if (window.Passordhjelp) return;  // the tag twice on one page

  var LABELS = __LABELS__;
  var VERSION = "__VERSION__";
  var OPEN_KEY = "passordhjelp.widget.open";
  var TOKEN_RETRY_MS = 30000;
  // As widget.css's @media rule for phones.
  var FULL_SCREEN = window.matchMedia("(max-width: 480px)");

  var script = document.currentScript;
  var chatUrl = new URL("./", script.src);
  var tokenUrl = script.dataset.tokenUrl ? new URL(script.dataset.tokenUrl, document.baseURI) : null;
  var requestedLanguage = languageOf(script.dataset.language) ||
    languageOf(document.documentElement.lang);
  var conversationLanguage = null;

  var listeners = { opened: [], closed: [], message: [] };
  var isOpen = false;
  var unread = 0;
  var token = null;
  var tokenFetchedAt = 0;
  var frame = null;
  var frameReady = false;
  var focusOnReady = false;
  var shell, launcher, launcherText, badge, panel;

  function languageOf(tag) {
    tag = (tag || "").toLowerCase();
    if (/^(nb|nn|no)\b/.test(tag)) return "nb";
    if (/^en\b/.test(tag)) return "en";
    return null;
  }

  function labels() {
    return LABELS[requestedLanguage || conversationLanguage ||
                  languageOf(navigator.language) || "en"];
  }

  function emit(event, detail) {
    listeners[event].slice().forEach(function (listener) {
      try {
        listener(detail);
      } catch (error) {
        window.setTimeout(function () { throw error; });  // the host's bug, not ours
      }
    });
  }

  function element(tag, className, parent) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (parent) parent.appendChild(node);
    return node;
  }

  function applyLabels() {
    var text = labels();
    shell.setAttribute("aria-label", text.title);
    panel.setAttribute("aria-label", text.title);
    launcherText.textContent = text.launcher;
    badge.textContent = unread ? String(unread) : "";
    badge.hidden = !unread;
    launcher.setAttribute("aria-label", text.open +
      (unread ? " (" + text.unread.replace("{n}", unread) + ")" : ""));
    if (frame) frame.title = text.frame_title;
  }

  function post(message) {
    if (frame && frameReady) frame.contentWindow.postMessage(message, chatUrl.origin);
  }

  // Full screen, the rest of the page is out of reach: a modal dialog while open.
  function updateModal() {
    var modal = isOpen && FULL_SCREEN.matches;
    if (modal) panel.setAttribute("aria-modal", "true");
    else panel.removeAttribute("aria-modal");
    post({ type: "modal", modal: modal });
  }

  function createFrame() {
    var url = new URL(chatUrl);
    url.searchParams.set("embed", "1");
    url.searchParams.set("origin", window.location.origin);
    if (requestedLanguage) url.searchParams.set("lang", requestedLanguage);
    frame = element("iframe", "frame", panel);
    frame.src = url.href;
    frame.title = labels().frame_title;
  }

  function remember(open) {
    try {
      if (open) window.sessionStorage.setItem(OPEN_KEY, "1");
      else window.sessionStorage.removeItem(OPEN_KEY);
    } catch (error) { /* storage blocked: the panel starts closed next time */ }
  }

  function open() {
    show(true);
  }

  // Focus moves into the chat when someone opens it, not when a reload reopens it
  // (unless it covers the whole screen).
  function show(focus) {
    if (!shell || isOpen) return;
    if (!frame) createFrame();
    isOpen = true;
    unread = 0;
    shell.classList.add("open");
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    applyLabels();
    updateModal();
    focus = focus || FULL_SCREEN.matches;
    focusOnReady = focus;
    if (focus) {
      frame.focus();
      post({ type: "focus" });
    }
    remember(true);
    emit("opened");
  }

  function close() {
    if (!shell || !isOpen) return;
    // Focus goes back to the launcher only if it was in the chat.
    var focusWasInside = shadow().activeElement === frame;
    isOpen = false;
    shell.classList.remove("open");
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    updateModal();
    if (focusWasInside) launcher.focus();
    remember(false);
    emit("closed");
  }

  function setToken(jwt) {
    if (typeof jwt !== "string" || !jwt) return;
    token = jwt;
    post({ type: "token", token: token });
  }

  function fetchToken() {
    if (!tokenUrl || Date.now() - tokenFetchedAt < TOKEN_RETRY_MS) return;
    tokenFetchedAt = Date.now();
    fetch(tokenUrl.href, { credentials: "include", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : {}; })
      .then(function (body) { setToken(body && body.token); })
      .catch(function () { /* the chat says to sign in */ });
  }

  function fromChat(event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== chatUrl.origin) return;
    var data = event.data || {};
    if (data.type === "hello") {
      frameReady = true;
      conversationLanguage = languageOf(data.language);
      applyLabels();
      if (token) post({ type: "token", token: token });
      updateModal();
      if (isOpen && focusOnReady) post({ type: "focus" });
    } else if (data.type === "close") {
      close();
    } else if (data.type === "needs-token") {
      fetchToken();
    } else if (data.type === "language") {
      conversationLanguage = languageOf(data.language);
      applyLabels();
    } else if (data.type === "message" && (data.from === "bot" || data.from === "user")) {
      if (!isOpen && data.from === "bot") {
        unread += 1;
        applyLabels();
      }
      emit("message", { from: data.from, text: String(data.text || "") });
    }
  }

  function shadow() {
    return shell.getRootNode();
  }

  function build() {
    var host = document.createElement("passordhjelp-widget");
    var root = host.attachShadow({ mode: "open" });
    var style = element("link");
    style.rel = "stylesheet";
    style.href = new URL("widget.css?v=" + VERSION, chatUrl).href;
    root.appendChild(style);
    var nextShell = element("aside", "shell", root);
    nextShell.hidden = true;  // until its styles are in
    style.addEventListener("load", function () { nextShell.hidden = false; });
    panel = element("div", "panel", nextShell);
    panel.id = "passordhjelp-panel";
    panel.setAttribute("role", "dialog");
    panel.hidden = true;
    launcher = element("button", "launcher", nextShell);
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", panel.id);
    element("span", "icon", launcher).setAttribute("aria-hidden", "true");
    launcherText = element("span", "text", launcher);
    badge = element("span", "badge", launcher);
    badge.setAttribute("aria-hidden", "true");
    launcher.addEventListener("click", function () { (isOpen ? close : open)(); });
    shell = nextShell;
    applyLabels();
    FULL_SCREEN.addEventListener("change", updateModal);
    document.body.appendChild(host);
    window.addEventListener("message", fromChat);
    var wasOpen = false;
    try {
      wasOpen = window.sessionStorage.getItem(OPEN_KEY) === "1";
    } catch (error) { /* storage blocked */ }
    if (wasOpen) show(false);
  }

  window.Passordhjelp = Object.freeze({
    open: open,
    close: close,
    setToken: setToken,
    on: function (event, listener) {
      if (listeners[event] && typeof listener === "function") listeners[event].push(listener);
    },
    off: function (event, listener) {
      if (listeners[event]) {
        listeners[event] = listeners[event].filter(function (l) { return l !== listener; });
      }
    }
  });

  if (document.body) build();
  else document.addEventListener("DOMContentLoaded", build);
})();
