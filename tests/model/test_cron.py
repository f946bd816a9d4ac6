"""The cron reader: the longest gap between two firings of a CronJob schedule, as Kubernetes'
cron library would fire it; a schedule it cannot read is None, never an exception."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.model.cron import describe, longest_gap, parse

H, D = timedelta(hours=1), timedelta(days=1)

GAPS = [
    ("every minute", "* * * * *", timedelta(minutes=1)),
    ("every five minutes", "*/5 * * * *", timedelta(minutes=5)),
    ("a step from an offset (5/10 is 5-59/10)", "5/10 * * * *", timedelta(minutes=10)),
    ("a minute list: 10 to 45", "0,10,45 * * * *", timedelta(minutes=35)),
    ("a range with a step", "0 8-18/2 * * *", timedelta(hours=14)),
    ("hourly macro", "@hourly", H),
    ("daily macro", "@daily", D),
    ("midnight macro", "@midnight", D),
    ("weekly macro", "@weekly", 7 * D),
    ("monthly macro: January 1 to February 1", "@monthly", 31 * D),
    ("yearly macro: a leap year", "@yearly", 366 * D),
    ("annually macro, upper case", "@ANNUALLY", 366 * D),
    (
        "weekdays by name: Friday night to Monday",
        "*/15 9-17 * * MON-FRI",
        timedelta(days=2, hours=15, minutes=15),
    ),
    ("weekday numbers", "0 9 * * 1-5", 3 * D),
    ("Sunday written 7", "0 0 * * 7", 7 * D),
    ("Sunday written sun (case-insensitive)", "0 0 * * sun", 7 * D),
    ("a range ending on 7", "0 0 * * 5-7", 5 * D),
    ("month names", "0 0 1 JAN,JUL *", 184 * D),
    ("day 31: the longest run of short months", "0 0 31 * *", 61 * D),
    ("29 February: no leap day from 2096 to 2104", "0 0 29 2 *", 2921 * D),
    ("day of month OR day of week when both are restricted", "0 0 13 * 5", 7 * D),
    ("Mondays of February: 22 February to 7 February", "0 0 * 2 1", 350 * D),
    ("a question mark is a star", "0 0 ? * MON", 7 * D),
    ("*/1 is still a star", "0 0 */1 * MON", 7 * D),
    ("*/2 in day of month is a restriction: OR with Monday", "0 0 */2 * MON", 2 * D),
    ("a TZ prefix is ignored", "TZ=Europe/Paris 0 * * * *", H),
    ("CRON_TZ prefix", "CRON_TZ=UTC 30 2 * * *", D),
    ("extra spaces", "  0   *  * * *  ", H),
    ("@every with a Go duration", "@every 1h30m", timedelta(hours=1, minutes=30)),
    ("@every in seconds", "@every 90s", timedelta(seconds=90)),
]


@pytest.mark.parametrize(("schedule", "gap"), [c[1:] for c in GAPS], ids=[c[0] for c in GAPS])
def test_longest_gap(schedule: str, gap: timedelta) -> None:
    assert longest_gap(schedule) == gap


UNREADABLE = [
    ("words", "every day at noon"),
    ("four fields", "* * * *"),
    ("six fields (seconds are not Kubernetes')", "0 0 * * * *"),
    ("minute out of range", "60 * * * *"),
    ("hour out of range", "0 24 * * *"),
    ("day 0", "0 0 0 * *"),
    ("month 13", "0 0 1 13 *"),
    ("day of week 8", "0 0 * * 8"),
    ("a zero step", "*/0 * * * *"),
    ("a step that is not a number", "*/x * * * *"),
    ("a reversed range", "0 0 * * 5-1"),
    ("a double range", "1-2-3 * * * *"),
    ("Quartz L", "0 0 L * *"),
    ("Quartz #", "0 0 * * 1#2"),
    ("an unknown macro", "@fortnightly"),
    ("an empty schedule", ""),
    ("a list with an empty item", "0,,5 * * * *"),
    ("@every without a duration", "@every"),
    ("@every a day (Go durations stop at hours)", "@every 1d"),
    ("@every zero", "@every 0s"),
    ("never fires: 30 February", "0 0 30 2 *"),
    ("never fires: 31 April", "0 0 31 4 *"),
]


@pytest.mark.parametrize("schedule", [c[1] for c in UNREADABLE], ids=[c[0] for c in UNREADABLE])
def test_a_schedule_it_cannot_read_or_that_never_fires_has_no_gap(schedule: str) -> None:
    assert longest_gap(schedule) is None


def test_parse_keeps_the_fields_and_which_day_field_is_a_star() -> None:
    parsed = parse("0,30 9-17 * JAN-MAR MON,FRI")
    assert parsed is not None
    assert parsed.minutes == {0, 30}
    assert parsed.hours == set(range(9, 18))
    assert parsed.months == {1, 2, 3}
    assert parsed.weekdays == {1, 5}
    assert parsed.any_day and not parsed.any_weekday
    assert parsed.day_matches(2, 14, 5)  # a Friday in February
    assert not parsed.day_matches(2, 14, 4)
    assert not parsed.day_matches(4, 14, 5)  # April is not in the months


@pytest.mark.parametrize(
    ("gap", "text"),
    [
        (timedelta(seconds=45), "45s"),
        (timedelta(minutes=5), "5m"),
        (H, "1h"),
        (timedelta(hours=1, minutes=30), "1h30m"),
        (D, "1d"),
        (timedelta(days=2, hours=15, minutes=15), "2d15h"),
        (7 * D, "7d"),
        (2921 * D, "8y"),
    ],
)
def test_describe(gap: timedelta, text: str) -> None:
    assert describe(gap) == text


@given(st.text(max_size=40))
def test_any_text_gives_a_gap_or_none_never_an_exception(text: str) -> None:
    gap = longest_gap(text)
    assert gap is None or gap > timedelta(0)


FIELD = st.one_of(
    st.just("*"),
    st.integers(0, 5).map(str),
    st.tuples(st.integers(0, 3), st.integers(4, 6)).map(lambda t: f"{t[0]}-{t[1]}"),
    st.integers(1, 4).map(lambda n: f"*/{n}"),
)


@given(st.tuples(FIELD, FIELD, FIELD, FIELD))
def test_a_gap_is_never_longer_than_the_calendar_allows(fields: tuple[str, str, str, str]) -> None:
    """Minute, hour, day-of-week and a day-of-month shifted to 1..6: every readable schedule of
    these fires at least every week of every month, so within 5 weeks and a day."""
    minute, hour, day, weekday = fields
    day = "*" if day == "*" else day.replace("0", "1")
    gap = longest_gap(f"{minute} {hour} {day} * {weekday}")
    if gap is not None:
        assert timedelta(0) < gap <= timedelta(days=36)
