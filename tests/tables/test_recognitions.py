"""Whom the agreement names: every party is a state, the signatories, the recognizing states, or says why not; each
recognition is quoted and dated before the signing."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import AGREEMENT_ID, ROOT, SOURCE_DIR, build_refused

RECOGNITIONS = Path("data/source/recognitions.yaml")
CODING = SOURCE_DIR / "coding.yaml"


def _rows(root: Path, table: str) -> list[dict]:
    with (root / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_the_nations_clause_7_thanks_are_the_states_that_had_recognized_the_genocide_before_the_signing():
    recognitions = _rows(ROOT, "recognitions")
    assert [(row["country_code"], row["body"], row["date"]) for row in recognitions] == [
        ("US", "government", "2021-01-19"),
        ("CA", "lower-house", "2021-02-22"),
        ("NL", "lower-house", "2021-02-25"),
        ("GB", "lower-house", "2021-04-22"),
        ("LT", "unicameral-parliament", "2021-05-20"),
        ("CZ", "upper-house", "2021-06-10"),
        ("BE", "lower-house-committee", "2021-06-15"),
        ("US", "lower-house", "2021-12-08"),
        ("FR", "lower-house", "2022-01-20"),
    ]
    (agreement,) = _rows(ROOT, "agreements")
    thanked = next(
        row for row in _rows(ROOT, "act_actors") if row["act_id"].endswith("-c07-a1") and row["role"] == "addressee"
    )
    for row in recognitions:
        assert dt.date.fromisoformat(row["date"]) < dt.date.fromisoformat(agreement["date_signed"])
        assert row["actor_id"] == thanked["actor_id"] and row["event_id"] == f"{AGREEMENT_ID}-e02"
        assert (
            row["is_inference"] == "true"
            and row["source_url"].startswith("https://")
            and "genocide" in row["quote"].lower()
        )
    countries = {row["country_code"]: row["name"] for row in _rows(ROOT, "countries")}
    assert {row["country_code"] for row in recognitions} <= set(countries) and countries["CZ"] == "Czechia"


def test_every_party_is_a_state_the_signatories_an_organization_the_recognizing_states_or_says_why_not():
    actors = {row["name"]: row for row in _rows(ROOT, "actors")}
    assert (actors["Chinese government"]["resolution"], actors["Chinese government"]["country_code"]) == ("state", "CN")
    assert actors["The undersigned organizations"]["resolution"] == "signatories"
    assert (
        actors["Nations which have already recognized that Uyghurs are facing genocide"]["resolution"] == "recognitions"
    )
    assert actors["Governments"]["resolution_note"] == "every government, not one entity"
    bodies = {name: row["organization_id"] for name, row in actors.items() if row["resolution"] == "organization"}
    assert bodies == {
        "Independent tribunal of international law experts": "uyghur-tribunal",
        "United Nations": "united-nations",
        "Organisation of Turkic States": "organization-of-turkic-states",
        "Organisation of Islamic Cooperation": "organization-of-islamic-cooperation",
        "International Court of Justice": "international-court-of-justice",
    }
    assert set(bodies.values()) <= {row["organization_id"] for row in _rows(ROOT, "organizations")}
    assert not [row for row in actors.values() if "not looked up" in row["resolution_note"]]
    for row in actors.values():
        assert (row["resolution"] == "unresolved") == bool(row["resolution_note"]), row
        assert (row["resolution"] == "state") == bool(row["country_code"]), row
        assert (row["resolution"] == "organization") == bool(row["organization_id"]), row
    assert "CN" in {row["country_code"] for row in _rows(ROOT, "countries")}


_BELGIUM = '      - country: BE\n        body: lower-house-committee\n        date: "2021-06-15"'
_LITHUANIA_QUOTE = 'date_quote: "20 May 2021 No XIV-329"'
# name: (file, old, new, where the message points, what it says)
REFUSALS = {
    "a recognition dated after the signing": (
        RECOGNITIONS,
        _BELGIUM,
        _BELGIUM.replace("2021-06-15", "2022-02-15"),
        r"recognitions\.yaml, line \d+ \(agreements\[0\]\.recognitions\[6\]\.date\)",
        "2022-02-15 is not before the agreement was signed (2022-01-30)",
    ),
    "a state that is no ISO code": (
        RECOGNITIONS,
        "      - country: BE\n",
        "      - country: XB\n",
        r"recognitions\.yaml, line \d+ \(agreements\[0\]\.recognitions\[6\]\.country\)",
        "'XB' is not an ISO 3166-1 alpha-2 code",
    ),
    "a quote without the word genocide": (
        RECOGNITIONS,
        'HUMAN RIGHTS AND GENOCIDE AGAINST UYGHURS"\n',
        'HUMAN RIGHTS AGAINST UYGHURS"\n',
        r"recognitions\.yaml, line \d+ \(agreements\[0\]\.recognitions\[4\]\.quote\)",
        "does not contain the word genocide",
    ),
    "a quote without its date": (
        RECOGNITIONS,
        _LITHUANIA_QUOTE,
        _LITHUANIA_QUOTE.replace("20 May", "21 May"),
        r"recognitions\.yaml, line \d+ \(agreements\[0\]\.recognitions\[4\]\.date_quote\)",
        "does not give the date 2021-05-20",
    ),
    "a page served over http": (
        RECOGNITIONS,
        "    url: https://uhrp.org/?p=4898",
        "    url: http://uhrp.org/?p=4898",
        r"recognitions\.yaml, line \d+ \(pages\.uhrp-canada-vote\.url\)",
        "is not valid here",
    ),
    "an actor the coding does not define": (
        RECOGNITIONS,
        "    actor: recognizing-nations",
        "    actor: thanked-nations",
        r"recognitions\.yaml, line \d+ \(agreements\[0\]\.actor\)",
        "names actor 'thanked-nations'",
    ),
    "a party that is both a state and unresolved": (
        CODING,
        "  country: China\n",
        "  country: China\n  unresolved: not looked up yet\n",
        r"coding\.yaml, line \d+ \(actors\[4\]\.unresolved\)",
        "says country and unresolved",
    ),
    "a party that says nothing of what it is": (
        CODING,
        "  unresolved: every government, not one entity\n",
        "",
        r"coding\.yaml",
        "actor 'Governments' says neither what it is nor why it is no one entity",
    ),
    "a country spelling nobody knows": (
        CODING,
        "  country: China\n",
        "  country: Cathay\n",
        r"coding\.yaml, line \d+ \(actors\[4\]\.country\)",
        "unknown country spelling 'Cathay'",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_what_the_evidence_does_not_hold_is_refused_by_name_and_nothing_is_written(reused_package, capsys, case):
    relative, old, new, where, says = REFUSALS[case]
    first, err = build_refused(reused_package.fresh(), relative, old, new, capsys)
    assert re.match(rf"error: data/source/(global-muslim-coalition-for-uyghurs-2022/)?{where}", first), first
    assert says in err and "fix: " in err, err


def test_a_date_is_found_as_pages_write_it_and_a_report_of_yesterday_dates_the_day_before():
    from scripts.tables.quotes import gives_date
    from scripts.tables.recognitions import _dated

    assert gives_date("On May 20th, 2021 the Parliament", dt.date(2021, 5, 20)) and gives_date(
        "on 10 June 2021 the Senate", dt.date(2021, 6, 10)
    )
    assert gives_date("Feb 25, 2021", dt.date(2021, 2, 25)) and not gives_date("Jan. 19 that", dt.date(2021, 1, 19))
    assert not gives_date("May 2, 2021", dt.date(2021, 5, 20)) and not gives_date(
        "January 20, 2021", dt.date(2022, 1, 20)
    )
    assert not gives_date("120 May 2021", dt.date(2021, 5, 20))
    assert _dated(
        "declared it genocide in a statement released yesterday", "the January 20, 2021 edition", dt.date(2021, 1, 19)
    )
    assert not _dated(
        "declared it genocide in a statement released today", "the January 20, 2021 edition", dt.date(2021, 1, 19)
    )
