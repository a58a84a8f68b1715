"""Browser figures for the chat widget, in headless Chromium against the real assistant and web app:
how long the demo page takes to show the chat button, how long opening it takes to show the greeting,
how long each question takes to show its answer (first question and later ones), and how long a lesson
link takes to show its topic's first answer."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from bench.common import percentiles, report
from deploy.launcher import running_assistant, running_web_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
QUESTIONS = [
    "what does a software developer do",
    "how much does a nurse earn",
    "what subjects help to become a vet",
    "I like biology and computers",
    "electrician",
    "can i become a data scientist without uni",
]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def measure(web: str, rounds: int) -> dict[str, object]:
    loads, greetings, firsts, answers, lessons = [], [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        for n in range(rounds):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"{web}/demo")
            launcher = page.get_by_role("button", name="Careers chat", exact=True)
            launcher.wait_for()
            loads.append(_ms(start))
            start = time.perf_counter()
            launcher.click()
            page.locator(".message.bot").first.wait_for()
            greetings.append(_ms(start))
            for i, question in enumerate(QUESTIONS):
                count = page.locator(".message.bot").count()
                start = time.perf_counter()
                page.get_by_label("Your message").fill(question)
                page.keyboard.press("Enter")
                expect(page.locator(".message.bot")).not_to_have_count(count, timeout=30_000)
                (firsts if i == 0 else answers).append(_ms(start))
            context.close()
            context = browser.new_context()
            page = context.new_page()
            start = time.perf_counter()
            page.goto(
                f"{web}/lesson/demo?topic=subject:Maths&activity=Find+three+careers&year=9&class=BENCH-{n}"
            )
            expect(page.locator(".message.bot")).to_have_count(2, timeout=30_000)
            lessons.append(_ms(start))
            context.close()
        browser.close()
    return {
        "page_to_chat_button": percentiles(loads),
        "open_to_greeting": percentiles(greetings),
        "first_question_to_answer_shown": percentiles(firsts),
        "later_questions_to_answer_shown": percentiles(answers),
        "lesson_link_to_topic_answer_shown": percentiles(lessons),
    }


def main(rounds: int = 10) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with running_assistant(folder) as assistant, running_web_app(folder, assistant.rasa_url) as web:
            assistant.say("warm-up", "hi")  # the first reply loads Rasa's models
            return report("widget", {"rounds": rounds, **measure(web, rounds)})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    main(parser.parse_args().rounds)
