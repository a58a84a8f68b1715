"""How fast a chat handed to a person moves, in headless Chromium against the real assistant and web app,
with the dashboard open: from a student's request ("can I talk to a real person") to its row on the
adviser's open queue (the figure issue L asks for, p95), and from an adviser's answer to the student's
live stream (read as the widget reads it, over HTTP). The request's time includes the assistant reading
the message (NLU and dialogue) as any other.

The adviser's screen is timed in the page itself (the moment the row is added, by a MutationObserver),
against the time the student's request was sent, on the same machine's clock."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

from analytics import accounts
from analytics.sync import conversations_engine
from bench.common import percentiles, report
from deploy.launcher import running_assistant, running_web_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "a long enough password"
REQUEST = "can I talk to a real person please"
WATCH_QUEUE = """() => {
  window.seenAt = {};
  const rows = document.getElementById("queue-rows");
  const note = () => {
    for (const tr of rows.children) {
      if (!(tr.dataset.id in window.seenAt)) window.seenAt[tr.dataset.id] = Date.now();
    }
  };
  note();
  new MutationObserver(note).observe(rows, { childList: true });
}"""


def _first_message_at(url: str) -> float:
    """Wall-clock milliseconds at which the student's stream delivers its first adviser message."""
    with requests.get(url, stream=True, timeout=(5, 30)) as reply:
        event = None
        for line in reply.iter_lines(decode_unicode=True):
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "message":
                return time.time() * 1000
    raise RuntimeError("the stream ended without the adviser's answer")


def measure(web: str, rounds: int) -> dict[str, object]:
    to_queue, replies, to_student = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        overview = context.new_page()
        overview.goto(f"{web}/dashboard/login")
        overview.get_by_label("Username").fill("bench-adviser")
        overview.get_by_label("Password").fill(PASSWORD)
        overview.get_by_role("button", name="Sign in").click()
        overview.wait_for_url(f"{web}/dashboard")
        desk = context.new_page()
        desk.goto(f"{web}/dashboard/handovers")
        desk.evaluate(WATCH_QUEUE)
        adviser = requests.Session()
        adviser.cookies.update({c["name"]: c["value"] for c in context.cookies()})
        csrf = desk.locator('input[name="csrf"]').first.get_attribute("value")
        for _ in range(rounds):
            sender = uuid.uuid4().hex
            sent = time.time() * 1000
            reply = requests.post(
                f"{web}/api/chat/demo", json={"sender": sender, "message": REQUEST}, timeout=60
            )
            replies.append(time.time() * 1000 - sent)
            handover_id = reply.json()["handover"]["id"]
            desk.wait_for_function(f"() => window.seenAt['{handover_id}'] !== undefined", timeout=30_000)
            to_queue.append(desk.evaluate(f"window.seenAt['{handover_id}']") - sent)

            stream = f"{web}/api/chat/demo/handover?sender={sender}"
            with ThreadPoolExecutor(1) as pool:
                arrival = pool.submit(_first_message_at, stream)
                time.sleep(0.2)  # the student's stream is open before the adviser answers
                answered = time.time() * 1000
                adviser.post(
                    f"{web}/dashboard/handovers/{handover_id}/messages",
                    data={"csrf": csrf, "text": "Hello, I'm a careers adviser."},
                    headers={"Accept": "application/json"},
                    timeout=30,
                ).raise_for_status()
                to_student.append(arrival.result(timeout=30) - answered)
            requests.post(
                f"{web}/api/chat/demo/handover/end", data=json.dumps({"sender": sender}), timeout=30
            )
        browser.close()
    return {
        "request_to_adviser_screen": percentiles(to_queue),
        "request_reply_to_student": percentiles(replies),
        "adviser_answer_to_student_stream": percentiles(to_student),
    }


def main(rounds: int = 20) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with running_assistant(folder) as assistant:
            engine = conversations_engine(assistant.tracker_url)
            accounts.create_user(engine, "bench-adviser", PASSWORD, "adviser", ["demo"])
            engine.dispose()
            env = {"TRACKER_DATABASE_URL": assistant.tracker_url}
            with running_web_app(folder, assistant.rasa_url, env) as web:
                assistant.say("warm-up", "hi")  # the first reply loads Rasa's models
                return report("handover", {"rounds": rounds, **measure(web, rounds)})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    main(parser.parse_args().rounds)
