// The teacher's lesson page: builds the lesson link and snippets from the form and previews the chat.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("lesson-data").textContent);
  const $ = (id) => document.getElementById(id);
  const form = $("lesson-form");
  const CLASS_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{0,19}$/;
  let previewTimer = null;

  function fillActivities() {
    const select = $("activity");
    select.replaceChildren();
    for (const text of data.activities[$("topic").value] || []) {
      const option = document.createElement("option");
      option.value = option.textContent = text;
      select.append(option);
    }
  }

  function lesson() {
    const code = $("class-code").value.trim();
    const valid = code === "" || CLASS_CODE.test(code);
    $("class-code-error").hidden = valid;
    $("class-code").setAttribute("aria-invalid", String(!valid));
    return {
      school: $("school").value,
      topic: $("topic").value,
      activity: $("own-activity").value.trim() || $("activity").value,
      year: $("year").value,
      class: valid ? code.toUpperCase() : "",
    };
  }

  function attr(value) {
    return String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function update() {
    const l = lesson();
    const query = new URLSearchParams({ topic: l.topic, activity: l.activity, year: l.year, class: l.class });
    const path = `/lesson/${encodeURIComponent(l.school)}?${query}`;
    const link = data.base + path;
    $("lesson-link").value = link;
    $("open-link").href = path;
    $("script-snippet").value =
      `<script src="${data.base}/static/widget.js" data-school="${attr(l.school)}" data-topic="${attr(l.topic)}" ` +
      `data-activity="${attr(l.activity)}" data-year="${attr(l.year)}" data-class="${attr(l.class)}" data-open="true" defer></script>`;
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
  form.addEventListener("input", update);
  form.addEventListener("change", update);
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
