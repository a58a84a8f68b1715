// The teacher's lesson page: builds the lesson link and snippets from the form and previews the chat.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("lesson-data").textContent);
  const $ = (id) => document.getElementById(id);
  const form = $("lesson-form");
  const CLASS_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{0,19}$/;
  let previewTimer = null;
  let signTimer = null;
  // A teacher's own activity shows on the lesson page only with a signature that the dashboard gives to
  // signed-in staff: { key: "school\ntopic\ntext", sig } once it has answered for the current words.
  let signed = { key: "", sig: "" };

  function fillActivities() {
    const select = $("activity");
    select.replaceChildren();
    (data.activities[$("topic").value] || []).forEach((text, number) => {
      const option = document.createElement("option");
      option.value = String(number); // a lesson link names its topic's own activities by number
      option.textContent = text;
      select.append(option);
    });
  }

  function lesson() {
    const code = $("class-code").value.trim();
    const valid = code === "" || CLASS_CODE.test(code);
    $("class-code-error").hidden = valid;
    $("class-code").setAttribute("aria-invalid", String(!valid));
    const own = $("own-activity").value.trim().replace(/\s+/g, " ");
    const chosen = $("activity").selectedOptions[0];
    return {
      school: $("school").value,
      topic: $("topic").value,
      own,
      activity: own || (chosen ? chosen.textContent : ""),
      number: chosen ? chosen.value : "",
      year: $("year").value,
      check: $("check").value,
      class: valid ? code.toUpperCase() : "",
    };
  }

  async function sign(l) {
    const key = `${l.school}\n${l.topic}\n${l.own}`;
    const status = $("own-activity-status");
    const query = new URLSearchParams({ school: l.school, topic: l.topic, activity: l.own });
    try {
      const reply = await fetch(`/dashboard/lesson-activity?${query}`, { credentials: "same-origin", redirect: "manual" });
      if (reply.ok) {
        signed = { key, sig: (await reply.json()).sig };
        status.textContent = "Your own activity is in the link.";
      } else {
        status.replaceChildren("To put your own activity in a lesson link, ",
          Object.assign(document.createElement("a"), { href: "/dashboard/login?next=/dashboard", textContent: "sign in to the dashboard", target: "_blank" }),
          " first, then type it again. Until then the link carries no activity.");
      }
    } catch (e) {
      status.textContent = "Could not check your own activity: the link carries no activity for now.";
    }
    update(false);
  }

  function attr(value) {
    return String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function update(resign = true) {
    const l = lesson();
    const key = `${l.school}\n${l.topic}\n${l.own}`;
    if (!l.own) $("own-activity-status").textContent = "";
    if (l.own && resign && signed.key !== key) {
      clearTimeout(signTimer);
      signTimer = setTimeout(() => sign(lesson()), 400);
    }
    const fields = { topic: l.topic, activity: l.number, year: l.year, class: l.class };
    if (l.check) fields.check = l.check;
    if (l.own) Object.assign(fields, signed.key === key ? { activity: l.own, sig: signed.sig } : { activity: "" });
    const query = new URLSearchParams(fields);
    const path = `/lesson/${encodeURIComponent(l.school)}?${query}`;
    const link = data.base + path;
    $("lesson-link").value = link;
    $("open-link").href = path;
    $("script-snippet").value =
      `<script src="${data.base}/static/widget.js" data-school="${attr(l.school)}" data-topic="${attr(l.topic)}" ` +
      `data-activity="${attr(l.activity)}" data-year="${attr(l.year)}" data-class="${attr(l.class)}" ` +
      `${l.check ? `data-check="${attr(l.check)}" ` : ""}data-open="true" defer></script>`;
    $("iframe-snippet").value =
      `<iframe src="${attr(link)}" title="Careers helper" style="width:100%;max-width:480px;height:640px;border:0"></iframe>`;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => { $("preview").src = `${path}&preview=1`; }, 400);
  }

  async function copy(event) {
    const field = $(event.target.dataset.copy);
    field.select();
    let done = false;
    try {
      await navigator.clipboard.writeText(field.value);
      done = true;
    } catch (e) {
      done = document.execCommand && document.execCommand("copy");
    }
    $("copy-status").textContent = done ? "Copied." : "Select the text and copy it with Ctrl+C.";
  }

  $("topic").addEventListener("change", () => { fillActivities(); update(); });
  form.addEventListener("input", () => update());
  form.addEventListener("change", () => update());
  form.addEventListener("submit", (event) => event.preventDefault());
  $("new-code").addEventListener("click", () => {
    const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    const code = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
    $("class-code").value = `${code.slice(0, 4)}-${code.slice(4)}`;
    update();
  });
  for (const button of document.querySelectorAll("button.copy")) button.addEventListener("click", copy);
  fillActivities();
  update();
})();
