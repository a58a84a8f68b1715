// The advisers' live pages of a handover (web/advisers.py): the queue of chats handed to a person, and one
// chat. Each follows its Server-Sent Events stream and writes what arrives as text, never as HTML; the
// browser reconnects by itself and the stream resends what was missed (Last-Event-ID). Without script, the
// pages still work by reloading and posting their forms.
(function () {
  "use strict";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    node.append(...children.filter(Boolean));
    return node;
  }

  // --- the queue -------------------------------------------------------------------------------------------
  const rows = document.getElementById("queue-rows");
  if (rows) {
    const table = rows.closest("table");
    const empty = document.getElementById("queue-empty");
    const status = document.getElementById("queue-status");
    let known = new Set(Array.from(rows.children, (tr) => tr.dataset.id));
    let atRisk = new Set(Array.from(rows.querySelectorAll("tr.risk"), (tr) => tr.dataset.id));
    const source = new EventSource(table.dataset.live);
    source.addEventListener("queue", (e) => {
      const queue = JSON.parse(e.data);
      const fresh = queue.filter((r) => !known.has(String(r.id)) && r.state === "waiting");
      rows.replaceChildren(...queue.map((r) => {
        const first = el("td", { text: r.student });
        if (r.risk) first.append(" ", el("strong", { class: "flag", text: "Signalled a risk" }));
        return el("tr", { class: `${r.state}${r.risk ? " risk" : ""}`, "data-id": String(r.id) },
          first, el("td", { text: r.status }), el("td", { text: r.school }), el("td", { text: r.class_code }),
          el("td", { text: r.year_group }), el("td", { text: r.asked }), el("td", { text: String(r.unanswered) }),
          el("td", {}, el("a", { href: `/dashboard/handovers/${r.id}`, text: `Open chat with ${r.student}` })));
      }));
      const risky = queue.filter((r) => r.risk && !atRisk.has(String(r.id)));
      known = new Set(queue.map((r) => String(r.id)));
      atRisk = new Set(queue.filter((r) => r.risk).map((r) => String(r.id)));
      empty.hidden = queue.length > 0;
      if (risky.length) status.textContent = "A message in a chat signalled a risk: that chat is at the top of the list.";
      else if (fresh.length) status.textContent = fresh.length === 1 ? "A student is waiting for an adviser." : `${fresh.length} students are waiting for an adviser.`;
    });
    source.onerror = () => { status.textContent = "Reconnecting…"; };
    source.onopen = () => { if (status.textContent === "Reconnecting…") status.textContent = ""; };
  }

  // --- one chat ----------------------------------------------------------------------------------------------
  const live = document.getElementById("live");
  if (live) {
    const WHO = { student: "Student", adviser: "Adviser", assistant: "Assistant", note: "Note" };
    const replyForm = document.getElementById("reply");
    const backForm = document.getElementById("hand-back");
    const replyStatus = document.getElementById("reply-status");
    const state = document.getElementById("chat-state");
    const seen = new Set(Array.from(live.children, (li) => li.dataset.id));

    function show(m) {
      if (seen.has(String(m.id))) return;
      seen.add(String(m.id));
      live.append(el("li", { class: `${m.from}${m.risk ? " risk" : ""}`, "data-id": String(m.id) },
        el("span", { class: "when" }, el("time", { text: m.at })), " ",
        el("span", { class: "who", text: `${WHO[m.from] || "Note"}${m.risk ? " (signalled a risk)" : ""}:` }), " ",
        el("span", { class: "said", text: m.text })));
    }
    function closed() {
      replyForm.hidden = true;
      backForm.hidden = true;
      document.getElementById("closed-note").hidden = false;
      state.textContent = "Handed back";
    }

    const source = new EventSource(`${live.dataset.live}?after=${encodeURIComponent(live.dataset.after)}`);
    source.addEventListener("message", (e) => show(JSON.parse(e.data)));
    source.addEventListener("status", (e) => {
      const s = JSON.parse(e.data);
      document.getElementById("chat-risk").hidden = !s.risk;
      if (s.state === "closed") closed();
      else if (s.state === "active") state.textContent = "With an adviser";
    });

    async function post(form) {
      const reply = await fetch(form.action, {
        method: "POST",
        headers: { Accept: "application/json" },
        body: new URLSearchParams(new FormData(form)),
      });
      let body = null;
      try { body = await reply.json(); } catch (e) { body = null; }
      if (!reply.ok) throw new Error((body && body.error) || "That didn't work: reload the page and try again.");
      return body;
    }

    // The chat before the request is shown once the analytics worker has read it, a few seconds after it
    // was written: until then, look again now and then (the page as the server draws it, parsed, not run).
    let looks = 0;
    async function lookForBefore() {
      if (!document.getElementById("before-pending") || looks++ > 20) return;
      try {
        const html = await (await fetch(location.href)).text();
        const found = new DOMParser().parseFromString(html, "text/html").getElementById("before");
        if (found && !found.querySelector("#before-pending")) {
          document.getElementById("before").replaceChildren(...Array.from(found.childNodes, (n) => document.importNode(n, true)));
          return;
        }
      } catch (e) { /* try again */ }
      setTimeout(lookForBefore, 3000);
    }
    setTimeout(lookForBefore, 3000);

    replyForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = replyForm.elements.text;
      if (!text.value.trim()) { replyStatus.textContent = "Type a message first."; return; }
      replyForm.querySelector("button").disabled = true;
      try {
        const body = await post(replyForm);
        show(body.message);
        text.value = "";
        replyStatus.textContent = "Sent.";
      } catch (error) {
        replyStatus.textContent = error.message;
      } finally {
        replyForm.querySelector("button").disabled = false;
        text.focus();
      }
    });
    backForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await post(backForm);
        closed();
        replyStatus.textContent = "Handed back to the assistant.";
      } catch (error) {
        replyStatus.textContent = error.message;
      }
    });
  }
})();
