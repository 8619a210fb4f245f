"""A value written as a whole date is published only where its quote gives its day, month and year; a year-month
value needs its month and year. Organization facts, recognitions and events alike."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import build_refused
from scripts.tables.quotes import dates_in, gives_date, gives_value

ORGANIZATIONS = Path("data/source/organizations.yaml")
RECOGNITIONS = Path("data/source/recognitions.yaml")
AUGUST_6 = dt.date(1971, 8, 6)


@pytest.mark.parametrize(
    "quote",
    [
        "founded on 6 August 1971 during",
        "founded on 6th August 1971",
        "founded on the 6th of August, 1971",
        "6 Aug. 1971",
        "August 6, 1971",
        "August 6 1971",
        "Aug 6th, 1971",
        "on 1971-08-06.",
        "06.08.1971",
        "6.8.1971",
        "AUGUST 6, 1971",
    ],
)
def test_each_accepted_form_gives_the_whole_date(quote):
    assert dates_in(quote) == [AUGUST_6] and gives_date(quote, AUGUST_6)


@pytest.mark.parametrize(
    "quote",
    [
        "founded on 7 August 1971",
        "founded on 6 July 1971",
        "founded on 6 August 1972",
        "founded in August 1971",
        "founded on 6 August",
        "founded in 1971",
        "on 1971-08-07",
        "07.08.1971",
        "16 August 1971",
        "6 August 19710",
        "1971-08-066",
        "founded on Friday, August 1971",
    ],
)
def test_a_quote_that_lacks_or_changes_a_part_does_not_give_the_date(quote):
    assert not gives_date(quote, AUGUST_6)


def test_each_value_is_checked_at_its_own_precision():
    assert gives_value("founded in 2004", "2004") and not gives_value("founded in 12004", "2004")
    assert gives_value("founded on August 6, 1971", "1971-08-06") and gives_value("founded in August 1971", "1971")
    assert not gives_value("founded in August 1971", "1971-08-06") and not gives_value("in 1971-08", "1971-08-06")


def test_a_date_that_is_not_real_is_no_date():
    assert dates_in("on 31 February 2021 and on 30.02.2021") == []


def test_an_event_is_dated_by_the_whole_date_its_words_give(released_folder):
    import csv

    with (released_folder / "data" / "events.csv").open(encoding="utf-8", newline="") as stream:
        events = {row["event_type"]: row for row in csv.DictReader(stream)}
    assert (events["determination"]["mention_text"], events["determination"]["date"]) == (
        "determined on 9 December 2021",
        "2021-12-09",
    )
    assert (events["signing"]["date"], events["recognition"]["date"]) == ("2022-01-30", "")


_ABIM = """        value: "1971-08-06"
        page: abim-50-years"""
REFUSALS = {
    "an organization's founding a day off": (
        ORGANIZATIONS,
        _ABIM,
        _ABIM.replace("08-06", "08-07"),
        "organizations[0].facts[0].quote",
        "does not give the date 1971-08-07 whole",
    ),
    "an organization's founding a month off": (
        ORGANIZATIONS,
        _ABIM,
        _ABIM.replace("08-06", "09-06"),
        "organizations[0].facts[0].quote",
        "does not give the date 1971-09-06 whole",
    ),
    "an organization's founding a year off": (
        ORGANIZATIONS,
        _ABIM,
        _ABIM.replace("1971", "1972"),
        "organizations[0].facts[0].quote",
        "does not give the date 1972-08-06 whole",
    ),
    "a recognition a day off": (
        RECOGNITIONS,
        'date: "2021-02-22"',
        'date: "2021-02-23"',
        "agreements[0].recognitions[1].date_quote",
        "does not give the date 2021-02-23 whole",
    ),
    "a recognition a month off": (
        RECOGNITIONS,
        'date: "2021-02-22"',
        'date: "2021-01-22"',
        "agreements[0].recognitions[1].date_quote",
        "does not give the date 2021-01-22 whole",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_changed_day_month_or_year_is_refused_naming_the_fact_and_its_line(reused_package, capsys, case):
    relative, old, new, keys, says = REFUSALS[case]
    first, err = build_refused(reused_package.fresh(), relative, old, new, capsys)
    assert re.search(rf"{re.escape(relative.name)}, line \d+ \({re.escape(keys)}\)", first), first
    assert says in err and "fix: " in err, err
