// The careers chat widget. A school adds it to any page with one script tag:
//   <script src="https://careers.example.org/static/widget.js" data-school="demo" defer></script>
// Options (data attributes): school (required), colour (#rrggbb), greeting, position (right|left),
// open (true|false), and for a lesson: topic, activity, class (class code), year (year group), and check
// (start|end): the careers-readiness check to ask before the chat, when there is a class code.
// mode="inline" with target="element-id" fills that element instead of showing a launcher.
//
// Everything the assistant sends is shown as text (textContent), never as HTML. The conversation is
// kept in this browser (localStorage) under a random chat id, so it survives a reload and a new tab;
// "Start again" forgets it, and so does leaving it for 12 hours; "Delete my chat" also deletes it from the
// careers helper's records. Nothing about the student is asked for. "Larger text" is kept across visits;
// "Read aloud" uses the browser's own speech, so no text goes anywhere else.
"use strict";
(function () {
  const script = document.currentScript;
  if (!script || !script.dataset.school) {
    console.error("careers chat: the script tag needs data-school");
    return;
  }
  const BASE = new URL(script.src).origin;
  const opt = script.dataset;
  const SCHOOL = opt.school;
  const INLINE = opt.mode === "inline";
  const LESSON = { class_code: opt.class || "", topic: opt.topic || "", year_group: opt.year || "" };
  if (opt.preview === "true") LESSON.preview = true; // a teacher trying the lesson out, not a student
  const IN_LESSON = Boolean(LESSON.topic || LESSON.class_code);
  const STORE_KEY = ["careers-chat", "v1", SCHOOL, IN_LESSON ? `${LESSON.class_code}|${LESSON.topic}` : ""].join(":");
  const MAX_KEPT = 200;
  // The longest message the chat takes: its config says (web/chat.py); the server refuses longer ones.
  let maxChars = Infinity;
  const RETRY_DELAYS_MS = [1000, 3000, 8000];

  // --- storage: localStorage when the browser allows it, memory otherwise ------------------------------
  const memory = {};
  const store = {
    get() {
      try { return JSON.parse(localStorage.getItem(STORE_KEY)) || null; } catch (e) { return memory.v || null; }
    },
    set(value) {
      try { localStorage.setItem(STORE_KEY, JSON.stringify(value)); } catch (e) { memory.v = value; }
    },
    clear() {
      try { localStorage.removeItem(STORE_KEY); } catch (e) { delete memory.v; }
    },
  };

  // The student's own settings, kept across visits and chats: larger text.
  const PREFS_KEY = "careers-chat:prefs";
  let prefs = {};
  try { prefs = JSON.parse(localStorage.getItem(PREFS_KEY)) || {}; } catch (e) { prefs = {}; }
  function savePrefs() {
    try { localStorage.setItem(PREFS_KEY, JSON.stringify(prefs)); } catch (e) { /* kept for this page only */ }
  }

  function newSender() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // A conversation left alone for KEEP_HOURS is forgotten, so the next student on a shared school
  // computer starts afresh.
  const KEEP_HOURS = 12;
  // A chat waiting for a careers adviser's answer is kept longer: out of hours, the answer may come days later.
  const KEEP_HANDOVER_DAYS = 7;
  function fresh() {
    const now = Date.now();
    return { sender: newSender(), messages: [], open: opt.open === "true", lessonOpened: false, started: now, saved: now };
  }
  let state = store.get();
  const keptFor = state && state.handover ? KEEP_HANDOVER_DAYS * 24 : KEEP_HOURS;
  const stale = state && !(Date.now() - state.saved < keptFor * 3600 * 1000);
  if (!state || stale || typeof state.sender !== "string" || !Array.isArray(state.messages)) state = fresh();
  // Another tab may have started a new conversation since this one was read: that one wins, and a late
  // reply to the old conversation is dropped rather than bringing the old conversation back.
  function newer(other) {
    return Boolean(other) && other.sender !== state.sender && (other.started || 0) > (state.started || 0);
  }
  function save() {
    const stored = store.get();
    if (newer(stored)) {
      state = stored;
      renderAll();
      return false;
    }
    state.messages = state.messages.slice(-MAX_KEPT);
    state.saved = Date.now();
    store.set(state);
    return true;
  }

  // --- building the DOM -------------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    node.append(...children.filter(Boolean));
    return node;
  }

  const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;
  // Text with its web addresses turned into links that open in a new tab and cannot reach back here.
  function textWithLinks(text) {
    const out = document.createDocumentFragment();
    let last = 0;
    for (const match of String(text).matchAll(URL_PATTERN)) {
      let url = match[0];
      const trail = url.match(/[.,;:!?)\]]+$/);
      if (trail) url = url.slice(0, -trail[0].length);
      out.append(document.createTextNode(text.slice(last, match.index)));
      const link = el("a", { href: url, target: "_blank", rel: "noopener noreferrer nofollow", text: url });
      link.append(el("span", { class: "visually-hidden", text: " (opens in a new tab)" }));
      out.append(link);
      last = match.index + url.length;
    }
    out.append(document.createTextNode(String(text).slice(last)));
    return out;
  }

  // A speech-bubble icon drawn in SVG (no icon font or emoji font needed).
  function chatIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "launcher-icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    path.setAttribute("fill", "currentColor");
    svg.append(path);
    return svg;
  }

  const host = el("div", { class: "careers-chat-host" });
  const root = host.attachShadow({ mode: "open" });
  const ids = { panel: "cc-panel", title: "cc-title", input: "cc-input", log: "cc-log" };

  const launcher = INLINE ? null : el("button", {
    class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": ids.panel,
    onclick: () => setOpen(!state.open),
  }, chatIcon(), el("span", { text: "Careers chat" }));

  const title = el("h2", { id: ids.title, class: "title", text: "Careers helper" });
  const restart = el("button", { type: "button", class: "header-button", onclick: startAgain, text: "Start again" });
  const close = INLINE ? null : el("button", {
    type: "button", class: "header-button close", "aria-label": "Close the careers chat", onclick: () => setOpen(false),
  }, el("span", { "aria-hidden": "true", text: "×" }));
  const banner = el("div", { class: "lesson", hidden: "" });
  const personText = el("p", { class: "person-text" });
  const backButton = el("button", { type: "button", class: "tool", onclick: backToAssistant, text: "Back to the assistant" });
  const personBar = el("div", { class: "person", role: "status", hidden: "" }, personText, backButton);
  const check = el("section", { class: "check", hidden: "", "aria-labelledby": "cc-check-title" });
  const log = el("div", {
    id: ids.log, class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0",
  });
  const status = el("div", { class: "status", role: "status", "aria-live": "polite" });
  const retryButton = el("button", { type: "button", class: "retry", hidden: "", onclick: () => retryNow(), text: "Try again" });
  const input = el("textarea", {
    id: ids.input, rows: "1", autocomplete: "off",
    placeholder: "Type your question", "aria-describedby": "cc-hint",
  });
  const hint = el("p", { id: "cc-hint", class: "visually-hidden", text: "Press Enter to send, Shift+Enter for a new line." });
  const sendButton = el("button", { type: "submit", class: "send", text: "Send" });
  const form = el("form", { class: "composer", onsubmit: onSubmit },
    el("label", { for: ids.input, class: "visually-hidden", text: "Your message" }), input, hint, sendButton);
  const largeButton = el("button", {
    type: "button", class: "tool", "aria-pressed": String(Boolean(prefs.large)), onclick: toggleLarge, text: "Larger text",
  });
  const deleteButton = el("button", { type: "button", class: "tool", onclick: askDelete, text: "Delete my chat" });
  const confirmText = el("p", {
    id: "cc-confirm-text", text: "Delete this whole chat, from this browser and from the careers helper's records?",
  });
  const confirmYes = el("button", { type: "button", class: "tool danger", onclick: deleteChat, text: "Yes, delete it" });
  const confirmNo = el("button", { type: "button", class: "tool", onclick: () => closeConfirm(true), text: "Cancel" });
  const confirmBox = el("div", { class: "confirm", role: "group", "aria-labelledby": "cc-confirm-text", hidden: "" },
    confirmText, confirmYes, confirmNo);
  const tools = el("div", { class: "tools" }, largeButton, deleteButton);
  const privacy = el("p", { class: "privacy" }, el("a", {
    href: `${BASE}/privacy`, target: "_blank", rel: "noopener", text: "How this chat looks after your privacy",
  }));
  const panel = el("div", {
    id: ids.panel, class: "panel", role: INLINE ? "region" : "dialog", "aria-labelledby": ids.title,
  }, el("div", { class: "header" }, title, restart, close), banner, personBar, check, log,
  el("div", { class: "footer" }, status, retryButton, form, confirmBox, tools, privacy));

  root.append(el("link", { rel: "stylesheet", href: `${BASE}/static/widget.css` }));
  const frame = el("div", { class: `frame ${INLINE ? "inline" : "floating"} ${opt.position === "left" ? "left" : "right"}` });
  frame.classList.toggle("large", Boolean(prefs.large));
  frame.append(panel);
  if (launcher) frame.append(launcher);
  root.append(frame);

  // --- rendering messages -----------------------------------------------------------------------------
  function renderMessage(message) {
    const who = { user: "You", adviser: "Careers adviser", note: "Note" }[message.from] || "Careers helper";
    const kind = { user: "user", adviser: "bot adviser", note: "bot note" }[message.from] || "bot";
    const item = el("div", { class: `message ${kind}${message.failed ? " failed" : ""}` });
    // An adviser's message is signed where everyone sees it; the others are told apart by their look.
    item.append(el("span", { class: message.from === "adviser" ? "from" : "visually-hidden", text: `${who}: ` }));
    const bubble = el("div", { class: "bubble" });
    if (message.card) {
      const card = el("div", { class: "card" },
        el("h3", { class: "card-title", text: message.card.title }),
        message.card.summary ? el("p", { class: "card-summary", text: message.card.summary }) : null,
        message.card.pay ? el("p", { class: "card-pay", text: message.card.pay }) : null);
      bubble.append(card);
    }
    if (message.text) bubble.append(el("p", { class: "text" }, textWithLinks(message.text)));
    if (message.failed) bubble.append(el("p", { class: "not-sent", text: "Not sent yet." }));
    item.append(bubble);
    if (message.from !== "user" && SPEECH) item.append(readAloudButton(message));
    if (message.buttons && message.buttons.length) {
      const group = el("div", { class: "replies", role: "group", "aria-label": "Suggested replies" });
      for (const b of message.buttons) {
        group.append(el("button", { type: "button", class: "reply", text: b.title, onclick: () => send(b.payload, b.title) }));
      }
      item.append(group);
    }
    return item;
  }

  // --- read aloud: the browser's own speech synthesis ---------------------------------------------------
  const SPEECH = "speechSynthesis" in window && typeof SpeechSynthesisUtterance === "function";
  let speaking = null; // the button of the message being read

  function spoken(message) {
    const card = message.card || {};
    return [card.title, card.summary, card.pay, message.text].filter(Boolean).join(". ");
  }

  function readAloudButton(message) {
    const button = el("button", { type: "button", class: "read-aloud", "aria-pressed": "false", text: "Read aloud" });
    button.addEventListener("click", () => {
      const wasThis = speaking === button;
      stopReading();
      if (wasThis) return;
      const utterance = new SpeechSynthesisUtterance(spoken(message));
      utterance.lang = "en-GB";
      utterance.onend = utterance.onerror = () => { if (speaking === button) stopReading(); };
      speaking = button;
      button.setAttribute("aria-pressed", "true");
      button.textContent = "Stop reading";
      speechSynthesis.speak(utterance);
    });
    return button;
  }

  function stopReading() {
    if (speaking) {
      speaking.setAttribute("aria-pressed", "false");
      speaking.textContent = "Read aloud";
      speaking = null;
    }
    if (SPEECH) speechSynthesis.cancel();
  }

  function renderAll() {
    log.replaceChildren(...state.messages.map(renderMessage));
    scrollDown();
  }

  // Adds a message; returns its element. The student's own messages scroll into view at once; answers
  // are scrolled to by showAnswer, so that a long answer is read from its start.
  function add(message) {
    state.messages.push(message);
    if (!save()) return null;
    const item = renderMessage(message);
    log.append(item);
    if (message.from === "user") scrollDown();
    return item;
  }

  function showAnswer(first) {
    if (!first) return;
    const top = first.offsetTop - 8;
    log.scrollTop = log.scrollHeight - top > log.clientHeight ? top : log.scrollHeight;
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function setStatus(text, canRetry) {
    status.textContent = text || "";
    status.classList.toggle("typing", text === TYPING);
    retryButton.hidden = !canRetry;
  }
  const TYPING = "Careers helper is typing…";

  // --- talking to the web app ---------------------------------------------------------------------------
  let config = null;
  let configError = "";
  let configRetry = false; // whether trying again could help (the server was away, not refusing)
  let busy = false;
  let pending = null; // {payload, shownAs, index}: the message waiting to be sent again
  let retryTimer = null;
  let attempts = 0;

  let configLoading = null;
  function loadConfig() {
    if (config) return Promise.resolve(config);
    if (!configLoading) configLoading = fetchConfig().finally(() => { configLoading = null; });
    return configLoading;
  }

  async function fetchConfig() {
    const params = new URLSearchParams();
    if (LESSON.topic) params.set("topic", LESSON.topic);
    if (opt.check && LESSON.class_code) params.set("check", opt.check);
    const query = params.toString() ? `?${params}` : "";
    try {
      const reply = await fetch(`${BASE}/api/chat/${encodeURIComponent(SCHOOL)}/config${query}`);
      const body = await reply.json();
      if (!reply.ok) {
        configError = body.error || "The careers chat is not available here.";
        configRetry = reply.status >= 500;
        return null;
      }
      config = body;
    } catch (e) {
      configError = "Can't reach the careers helper. Check your connection, then try again.";
      configRetry = true;
      return null;
    }
    applyConfig(config);
    return config;
  }

  function applyConfig(c) {
    showCheck(c);
    const colour = /^#[0-9a-fA-F]{6}$/.test(opt.colour || "") ? opt.colour : c.colour;
    frame.style.setProperty("--brand", colour);
    frame.style.setProperty("--on-brand", readableOn(colour));
    title.textContent = `Careers helper · ${c.school}`;
    if (Number.isInteger(c.max_chars) && c.max_chars > 0) {
      maxChars = c.max_chars;
      input.maxLength = maxChars;
    }
    const activity = opt.activity || "";
    const topicLabel = c.topic ? c.topic.label : "";
    if (activity || topicLabel) {
      banner.replaceChildren(
        el("p", { class: "lesson-label", text: topicLabel ? `Lesson: ${topicLabel}` : "Lesson" }),
        activity ? el("p", { class: "lesson-activity", text: `Your task: ${activity}` }) : null);
      banner.hidden = false;
    }
  }

  // --- the careers-readiness check a lesson may ask for, once per computer per half day --------------------
  const CHECK_KEY = ["careers-chat", "check", SCHOOL, LESSON.class_code, LESSON.topic, opt.check || ""].join(":");
  function checkDone() {
    try { return Date.now() - Number(localStorage.getItem(CHECK_KEY) || 0) < KEEP_HOURS * 3600 * 1000; } catch (e) { return false; }
  }
  function markCheckDone() {
    try { localStorage.setItem(CHECK_KEY, String(Date.now())); } catch (e) { /* asked again next time */ }
  }

  function showCheck(c) {
    const r = c.readiness;
    if (!r || !LESSON.class_code || checkDone()) return;
    const intro = r.moment === "end" ? "Before you go: how ready do you feel now?" : "Before you start: how ready do you feel?";
    const groups = r.statements.map((s, i) => {
      const name = `cc-check-${s.key}`;
      const options = r.scale.map((label, n) => el("label", { class: "rating" },
        el("input", { type: "radio", name, value: String(n + 1) }), el("span", { text: label })));
      return el("fieldset", { class: "statement" }, el("legend", { text: `${i + 1}. ${s.text}` }), ...options);
    });
    const problem = el("p", { class: "check-status", role: "status" });
    const sendAnswers = el("button", { type: "submit", class: "send", text: "Send my answers" });
    const skip = el("button", { type: "button", class: "tool", text: "Skip", onclick: () => closeCheck("") });
    const form = el("form", { class: "check-form" }, ...groups, problem, el("div", { class: "tools" }, sendAnswers, skip));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ratings = {};
      for (const s of r.statements) {
        const chosen = form.querySelector(`input[name="cc-check-${s.key}"]:checked`);
        if (chosen) ratings[s.key] = Number(chosen.value);
      }
      if (!Object.keys(ratings).length) { problem.textContent = "Pick an answer for at least one statement, or skip."; return; }
      sendAnswers.disabled = true;
      try {
        const reply = await fetch(`${BASE}/api/chat/${encodeURIComponent(SCHOOL)}/readiness`, {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ lesson: LESSON, moment: r.moment, ratings }),
        });
        const body = await reply.json();
        if (!reply.ok) throw new Error(body.error || "Your answers could not be sent.");
        closeCheck(body.message);
      } catch (error) {
        problem.textContent = error instanceof TypeError || !error.message
          ? "Can't reach the careers helper: try again, or skip." : error.message;
        sendAnswers.disabled = false;
      }
    });
    check.replaceChildren(
      el("h3", { id: "cc-check-title", class: "check-title", text: intro }),
      el("p", { class: "hint", text: "Your answers are added to your class's, without your name. Choose the answer nearest to how you feel." }),
      form);
    check.hidden = false;
    log.hidden = true;
  }

  function closeCheck(message) {
    markCheckDone();
    check.hidden = true;
    check.replaceChildren();
    log.hidden = false;
    setStatus(message || "", false);
    input.focus();
  }

  // White or near-black text, whichever reads better on the colour (WCAG contrast).
  function readableOn(hex) {
    const channel = (i) => {
      const v = parseInt(hex.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const lum = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    return (1.05 / (lum + 0.05)) >= 4.5 ? "#ffffff" : "#111111";
  }

  async function post(payload, sender) {
    const reply = await fetch(`${BASE}/api/chat/${encodeURIComponent(SCHOOL)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender, message: payload, lesson: LESSON }),
    });
    let body = null;
    try { body = await reply.json(); } catch (e) { body = null; }
    if (reply.ok && body && Array.isArray(body.messages)) return body;
    const error = new Error((body && body.error) || "The careers helper had a problem.");
    error.retry = reply.status >= 500 || reply.status === 429;
    throw error;
  }

  async function send(payload, shownAs) {
    if (busy) return false;
    if (pending) { setStatus("Your last message is still waiting to be sent.", true); return false; }
    if (shownAs !== null) add({ from: "user", text: shownAs || payload });
    return deliver({ payload, index: shownAs !== null ? state.messages.length - 1 : -1 });
  }

  async function deliver(message) {
    busy = true;
    sendButton.disabled = true;
    setStatus(TYPING, false);
    const sender = state.sender;
    try {
      const body = await post(message.payload, sender);
      const replies = body.messages;
      if (state.sender !== sender) return false; // the conversation was started again meanwhile
      if (body.handover) followHandover(body.handover);
      markSent(message);
      pending = null;
      attempts = 0;
      // Clear only what sending said (typing, trying again): not a note shown meanwhile, such as the
      // readiness check's thanks when the lesson's first answer arrives after it.
      if (status.textContent === TYPING || !retryButton.hidden) setStatus("", false);
      const shown = replies.map((r) => add({ from: "bot", text: r.text || "", buttons: r.buttons || [], card: r.card || null }));
      if (!replies.length && !state.handover) shown.push(add({ from: "bot", text: "Sorry, I have no answer to that. Try asking another way." }));
      showAnswer(shown[0]);
      return true;
    } catch (error) {
      if (state.sender !== sender) return false;
      const network = !(error && "retry" in error);
      if (network || error.retry) {
        pending = message;
        markFailed(message);
        scheduleRetry();
      } else {
        // Refused (too long, not allowed): say why and give the text back to edit.
        dropUserMessage(message);
        setStatus(error.message, false);
        if (message.index >= 0) input.value = message.payload;
      }
      return false;
    } finally {
      busy = false;
      sendButton.disabled = false;
    }
  }

  function markSent(message) {
    const m = state.messages[message.index];
    if (m && m.failed) { delete m.failed; save(); renderAll(); }
  }
  function markFailed(message) {
    const m = state.messages[message.index];
    if (m && !m.failed) { m.failed = true; save(); renderAll(); }
  }
  function dropUserMessage(message) {
    if (message.index >= 0 && message.index === state.messages.length - 1) {
      state.messages.pop();
      save();
      renderAll();
    }
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    if (attempts < RETRY_DELAYS_MS.length && navigator.onLine !== false) {
      setStatus("Can't reach the careers helper. Trying again…", true);
      retryTimer = setTimeout(retryNow, RETRY_DELAYS_MS[attempts]);
      attempts += 1;
    } else {
      const offline = navigator.onLine === false;
      setStatus(offline ? "You're offline. Your message will be sent when you're back online."
        : "The careers helper isn't answering. Your message is kept: try again in a minute.", true);
    }
  }

  function retryNow() {
    clearTimeout(retryTimer);
    if (pending && !busy) deliver(pending);
    else if (!config) begin();
  }

  window.addEventListener("online", () => { attempts = 0; retryNow(); });

  function onSubmit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { setStatus("Type a question first.", false); input.focus(); return; }
    if (busy || pending) { setStatus(pending ? "Your last message is still waiting to be sent." : TYPING, Boolean(pending)); return; }
    input.value = "";
    send(text.slice(0, maxChars));
  }

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !INLINE) { setOpen(false); launcher.focus(); }
  });

  // --- opening, greeting, starting again ------------------------------------------------------------------
  // Greets a new conversation and opens a lesson on its topic, once, however often the chat is opened.
  let beginning = null;
  function begin() {
    if (!beginning) beginning = greetAndOpenLesson().finally(() => { beginning = null; });
    return beginning;
  }

  async function greetAndOpenLesson() {
    const c = await loadConfig();
    if (c && configError && status.textContent === configError) setStatus("", false);
    if (state.messages.length) return;
    if (!c) {
      setStatus(configError, configRetry);
      return;
    }
    add({ from: "bot", text: opt.greeting || c.greeting, buttons: c.topic ? [] : c.starters || [] });
    if (c.topic && !state.lessonOpened) {
      state.lessonOpened = true;
      save();
      await send(c.topic.opening, c.topic.label);
    }
  }

  function setOpen(open, focus = true) {
    state.open = open;
    save();
    frame.classList.toggle("open", open);
    if (launcher) launcher.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    if (open) {
      begin();
      if (focus) input.focus();
    }
  }

  // A new chat id with nothing in it, in this tab and the others; the caller greets it.
  function newChat() {
    if (state.handover) endHandover(state.sender); // nobody is left to read an adviser's answer
    stopLive();
    clearTimeout(retryTimer);
    pending = null;
    attempts = 0;
    busy = false; // an answer still on its way belongs to the old conversation and will be dropped
    sendButton.disabled = false;
    state = { ...fresh(), open: true };
    store.clear();
    save();
    renderAll();
    showPerson();
  }

  function startAgain() {
    newChat();
    setStatus("Started a new chat.", false);
    begin();
    input.focus();
  }

  // --- the student's tools: larger text, delete my chat -------------------------------------------------
  function toggleLarge() {
    prefs.large = !prefs.large;
    savePrefs();
    frame.classList.toggle("large", prefs.large);
    largeButton.setAttribute("aria-pressed", String(prefs.large));
  }

  function askDelete() {
    confirmBox.hidden = false;
    tools.hidden = true;
    confirmNo.focus();
  }

  function closeConfirm(focusBack) {
    confirmBox.hidden = true;
    tools.hidden = false;
    if (focusBack) deleteButton.focus();
  }

  async function deleteChat() {
    confirmYes.disabled = true;
    let body = null;
    try {
      const reply = await fetch(`${BASE}/api/chat/${encodeURIComponent(SCHOOL)}/forget`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: state.sender }),
      });
      try { body = await reply.json(); } catch (e) { body = null; }
      if (!reply.ok) throw new Error((body && body.error) || "The chat could not be deleted. Please try again.");
    } catch (error) {
      setStatus(error.message && body ? error.message : "Can't reach the careers helper, so nothing was deleted. Try again in a moment.", false);
      confirmYes.disabled = false;
      return;
    }
    confirmYes.disabled = false;
    closeConfirm(false);
    stopReading();
    newChat();
    await begin();
    setStatus(body.message, false);
    input.focus();
  }

  // --- a careers adviser in the chat (web/handover.py) ------------------------------------------------------
  // Once the student has asked for a person, the adviser's answers arrive by Server-Sent Events, now or the
  // next time this browser opens the chat; the stream resends anything after the last message seen.
  let live = null;
  function followHandover(h) {
    const before = state.handover;
    state.handover = { id: h.id, status: h.status, after: (before && before.id === h.id && before.after) || 0 };
    save();
    showPerson();
    if (h.status !== "closed") startLive();
  }

  function showPerson() {
    const h = state.handover;
    personBar.hidden = !h;
    if (!h) return;
    personText.textContent = h.status === "active"
      ? "You're chatting with a careers adviser. The assistant is staying quiet."
      : "Waiting for a careers adviser. Their answer will show here. The assistant is staying quiet.";
  }

  function startLive() {
    if (live || !state.handover || !("EventSource" in window)) return;
    const h = state.handover;
    const sender = state.sender;
    live = new EventSource(`${BASE}/api/chat/${encodeURIComponent(SCHOOL)}/handover?sender=${encodeURIComponent(sender)}&after=${h.after || 0}`);
    // A refusal or a server error closes the stream for good: try again in a while. A dropped connection
    // is reopened by the browser itself.
    live.addEventListener("error", () => {
      if (live && live.readyState === EventSource.CLOSED) { stopLive(); setTimeout(startLive, 30000); }
    });
    live.addEventListener("message", (e) => {
      const m = JSON.parse(e.data);
      if (state.sender !== sender || !state.handover || m.id <= (state.handover.after || 0)) return;
      state.handover.after = m.id;
      showAnswer(add({ from: m.from === "note" ? "note" : "adviser", text: m.text }));
    });
    live.addEventListener("status", (e) => {
      const s = JSON.parse(e.data);
      if (state.sender !== sender || !state.handover) return;
      if (s.status === "closed" || s.status === "none") { // handed back, or deleted
        stopLive();
        state.handover = null;
      } else {
        state.handover.status = s.status;
      }
      save();
      showPerson();
    });
  }

  function stopLive() {
    if (live) live.close();
    live = null;
  }

  function endHandover(sender) {
    return fetch(`${BASE}/api/chat/${encodeURIComponent(SCHOOL)}/handover/end`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender }),
    });
  }

  async function backToAssistant() {
    backButton.disabled = true;
    try {
      const reply = await endHandover(state.sender);
      const body = await reply.json();
      if (!reply.ok) throw new Error(body.error);
      stopLive();
      state.handover = null;
      add({ from: "bot", text: body.message });
      showPerson();
      input.focus();
    } catch (error) {
      setStatus((error && error.message) || "Can't reach the careers helper. Try again in a moment.", false);
    } finally {
      backButton.disabled = false;
    }
  }

  function mount() {
    const target = INLINE && opt.target ? document.getElementById(opt.target) : null;
    (target || document.body).append(host);
    renderAll();
    showPerson();
    startLive();
    loadConfig();
    setOpen(INLINE || state.open, false);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();

  // Other tabs with the same chat follow along.
  window.addEventListener("storage", (event) => {
    if (event.key !== STORE_KEY) return;
    const next = store.get();
    if (next && Array.isArray(next.messages) && (next.sender === state.sender || newer(next))) {
      state = next;
      renderAll();
      showPerson();
      if (state.handover) startLive(); else stopLive();
    }
  });
})();
