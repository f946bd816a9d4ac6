"""A CronJob's ``spec.schedule``, read as Kubernetes reads it (five fields: minute, hour, day of
month, month, day of week; ``*``, ``*/5``, ``1-5``, ``1-30/10``, lists, names ``JAN``-``DEC``
and ``SUN``-``SAT``, ``?``; macros ``@hourly`` ... ``@yearly`` and ``@every <duration>``), for one
question: how long can the schedule stay silent, the longest gap between two consecutive firings.

Example: ``longest_gap("*/15 9-17 * * MON-FRI")`` is ``timedelta(days=2, hours=15, minutes=15)``
(Friday 17:45 to Monday 09:00); ``longest_gap("0 0 29 2 *")`` is eight years (no 29 February in
2100); ``longest_gap("every day")`` is None (not a schedule this reader understands), and so is a
schedule that never fires (``0 0 30 2 *``).

As in the cron library Kubernetes uses, when both day of month and day of week are restricted
(neither starts with ``*`` or ``?`` without a step) a day matches when either one does.
``TZ=``/``CRON_TZ=`` prefixes and ``spec.timeZone`` are ignored: a time zone shifts firings, it
barely changes the gaps between them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from itertools import pairwise

MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, 1)}
DAYS = {"SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6}
CYCLE_YEARS = 400
"""The Gregorian calendar repeats every 400 years (146097 days, a whole number of weeks)."""
DURATION = re.compile(r"(\d+(?:\.\d+)?)(h|m|s|ms)")


@dataclass(frozen=True, slots=True)
class Field:
    low: int
    high: int
    names: dict[str, int]


MINUTE, HOUR = Field(0, 59, {}), Field(0, 23, {})
DOM, MONTH, DOW = Field(1, 31, {}), Field(1, 12, MONTHS), Field(0, 6, DAYS)


@dataclass(frozen=True, slots=True)
class Schedule:
    """The firing sets of a five-field schedule (day of week 0 is Sunday)."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool
    """Day of month is ``*`` or ``?``: only the day of week restricts days."""
    any_weekday: bool

    def day_matches(self, month: int, day: int, weekday: int) -> bool:
        if month not in self.months:
            return False
        by_day, by_weekday = day in self.days, weekday in self.weekdays
        if self.any_day or self.any_weekday:
            return by_day and by_weekday
        return by_day or by_weekday


def parse(schedule: str) -> Schedule | None:
    """The five fields of ``schedule`` (a macro expanded); None when it cannot be read."""
    text = " ".join(str(schedule).split())
    if text.startswith(("TZ=", "CRON_TZ=")):
        text = text.partition(" ")[2]
    text = MACROS.get(text.lower(), text)
    parts = text.split(" ")
    if len(parts) != 5:
        return None
    fields = [_field(part, spec) for part, spec in zip(parts, (MINUTE, HOUR, DOM, MONTH, DOW), strict=True)]
    minutes, hours, days, months, weekdays = fields
    if minutes is None or hours is None or days is None or months is None or weekdays is None:
        return None
    return Schedule(
        minutes[0], hours[0], days[0], months[0], weekdays[0], any_day=days[1], any_weekday=weekdays[1]
    )


@lru_cache(maxsize=256)
def longest_gap(schedule: str) -> timedelta | None:
    """The longest time between two consecutive firings of ``schedule``; None when it cannot be
    read or never fires. Exact over the whole Gregorian cycle."""
    every = _every(schedule)
    if every is not None:
        return every
    parsed = parse(schedule)
    if parsed is None:
        return None
    times = sorted(h * 60 + m for h in parsed.hours for m in parsed.minutes)
    within = max((b - a for a, b in pairwise(times)), default=0)
    day_numbers = _firing_days(parsed)
    if not day_numbers:
        return None
    cycle = [*day_numbers, day_numbers[0] + _cycle_days()]
    between = max((b - a for a, b in pairwise(cycle)), default=0)
    # From the last firing of one firing day to the first of the next one.
    across = between * 1440 - times[-1] + times[0]
    return timedelta(minutes=max(within, across))


def describe(gap: timedelta) -> str:
    """``45s``, ``5m``, ``1h``, ``1h30m``, ``1d``, ``2d15h``, ``8y`` (years of 365 days)."""
    seconds = int(gap.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    if days >= 730:
        return f"{days // 365}y"
    text = (f"{days}d" if days else "") + (f"{hours}h" if hours else "")
    if minutes and days < 2:
        text += f"{minutes}m"
    return text or "0m"


def _field(text: str, spec: Field) -> tuple[frozenset[int], bool] | None:
    """The values of one field, and whether it is unrestricted (``*`` or ``?`` without a step)."""
    values: set[int] = set()
    star = False
    for item in text.split(","):
        span, slash, step_text = item.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) == 0:
                return None
            step = int(step_text)
        if span in ("*", "?"):
            low, high = spec.low, spec.high
            star = star or not slash or step == 1
        else:
            first, dash, last = span.partition("-")
            low_value, high_value = _value(first, spec), _value(last, spec) if dash else None
            if low_value is None or (dash and high_value is None):
                return None
            low = low_value
            high = high_value if high_value is not None else (spec.high if slash else low)
        if spec is DOW and high == 7:  # 7 is Sunday too in many crons
            values.add(0)
            if low == 7:
                continue
            high = 6
        if low > high:
            return None
        values.update(range(low, high + 1, step))
    return frozenset(values), star


def _value(text: str, spec: Field) -> int | None:
    upper = text.upper()
    if upper in spec.names:
        return spec.names[upper]
    if not text.isdigit():
        return None
    value = int(text)
    high = 7 if spec is DOW else spec.high
    return value if spec.low <= value <= high else None


def _every(schedule: str) -> timedelta | None:
    """``@every 1h30m`` (a Go duration); None for anything else or a zero duration."""
    head, _, rest = str(schedule).strip().partition(" ")
    if head.lower() != "@every":
        return None
    rest = rest.strip()
    pieces = DURATION.findall(rest)
    if not pieces or "".join(n + u for n, u in pieces) != rest:
        return None
    unit = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    total = sum(float(n) * unit[u] for n, u in pieces)
    return timedelta(seconds=total) if total > 0 else None


@lru_cache(maxsize=1)
def _cycle_days() -> int:
    return sum(366 if calendar.isleap(y) else 365 for y in range(2000, 2000 + CYCLE_YEARS))


def _firing_days(schedule: Schedule) -> list[int]:
    """Day numbers (from 2000-01-01) of the days ``schedule`` fires on, over one 400-year cycle."""
    found: list[int] = []
    number, weekday = 0, 6  # 2000-01-01 was a Saturday
    for year in range(2000, 2000 + CYCLE_YEARS):
        for month in range(1, 13):
            length = calendar.monthrange(year, month)[1]
            if month not in schedule.months:
                number += length
                weekday = (weekday + length) % 7
                continue
            for day in range(1, length + 1):
                if schedule.day_matches(month, day, weekday):
                    found.append(number)
                number += 1
                weekday = (weekday + 1) % 7
    return found
