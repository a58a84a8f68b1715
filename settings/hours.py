"""When a school's careers advisers answer chats handed over to them, as a school writes it in the schools
file (``adviser_hours: Mon-Fri 08:30-16:00``), in UK time: whether they are in now, when they are next
in, and how to say so to a student. Term dates are not known here: in a holiday the student is told the
next weekday, and the answer waits in their chat for whenever it comes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(
    r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$"
)


@dataclass(frozen=True)
class AdviserHours:
    days: tuple[int, ...]  # Monday is 0
    start: dt.time
    end: dt.time

    @classmethod
    def parse(cls, text: str) -> AdviserHours:
        """``Mon-Fri 08:30-16:00`` or ``Wed 12:00-13:00``; raises ValueError saying what is wrong."""
        found = _HOURS.match(" ".join(str(text).lower().split()))
        if not found or found["first"] not in DAYS or (found["last"] or found["first"]) not in DAYS:
            raise ValueError(f"{text!r} must look like Mon-Fri 08:30-16:00")
        first, last = DAYS.index(found["first"]), DAYS.index(found["last"] or found["first"])
        try:
            start = dt.time.fromisoformat(found["start"].zfill(5))
            end = dt.time.fromisoformat(found["end"].zfill(5))
        except ValueError:
            raise ValueError(f"{text!r}: the times must be 24-hour, like 08:30-16:00") from None
        if first > last or start >= end:
            raise ValueError(f"{text!r}: the days and the times must run forwards")
        return cls(tuple(range(first, last + 1)), start, end)

    def is_open(self, when: dt.datetime) -> bool:
        local = when.astimezone(UK)
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def next_open(self, when: dt.datetime) -> dt.datetime:
        """When advisers are next in, from ``when`` (``when`` itself if they are in now), in UK time."""
        local = when.astimezone(UK)
        if self.is_open(local):
            return local
        for ahead in range(8):
            day = local.date() + dt.timedelta(days=ahead)
            opening = dt.datetime.combine(day, self.start, tzinfo=UK)
            if day.weekday() in self.days and opening > local:
                return opening
        raise AssertionError("every week has an opening")  # pragma: no cover

    def describe(self) -> str:
        """ "on weekdays from 8:30am to 4pm"."""
        names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        if self.days == (0, 1, 2, 3, 4):
            days = "on weekdays"
        elif len(self.days) == 1:
            days = f"on {names[self.days[0]]}s"
        else:
            days = f"{names[self.days[0]]} to {names[self.days[-1]]}"
        return f"{days} from {clock(self.start)} to {clock(self.end)}"


def clock(time: dt.time) -> str:
    """8:30am, 4pm, 12pm: the way a student reads a time."""
    hour = time.hour % 12 or 12
    minutes = f":{time.minute:02d}" if time.minute else ""
    return f"{hour}{minutes}{'am' if time.hour < 12 else 'pm'}"


def when_text(opening: dt.datetime, now: dt.datetime) -> str:
    """ "after 8:30am tomorrow", "after 8:30am on Monday 7 December"."""
    local_now = now.astimezone(UK)
    days = (opening.date() - local_now.date()).days
    if days == 0:
        day = "today"
    elif days == 1:
        day = "tomorrow"
    else:
        day = f"on {opening.strftime('%A')} {opening.day} {opening.strftime('%B')}"
    return f"after {clock(opening.timetz())} {day}"
