"""The school a message came from (its ``school`` metadata, which the web app sets), as the schools file
describes it: its safeguarding contact, and whether its careers advisers take chats handed over to them."""

from __future__ import annotations

from functools import lru_cache

from rasa_sdk import Tracker

import settings
from contract import Lesson
from settings.schools import School, load_schools


@lru_cache(maxsize=1)
def _schools() -> dict[str, School]:
    return load_schools(settings.current().schools_file)


def school_of(tracker: Tracker) -> School | None:
    """The school of the latest message, or None when it came from no school set up (a test, a shell)."""
    school = (tracker.latest_message.get("metadata") or {}).get(Lesson.SCHOOL)
    return _schools().get(str(school))
