"""The README says, per kind of fact, what its quote must hold: the words are the build's own rules, and each rule
refuses a quote that breaks it and passes one that keeps it."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from conftest import ROOT
from scripts.formats.markers import block
from scripts.tables.organizations import _quote_problem
from scripts.tables.quotes import WHAT_A_QUOTE_HOLDS
from scripts.tables.recognitions import _dated

_PAGE = "https://example.org/about"
# kind: (value, a quote that keeps the rule, a quote that breaks it)
_CASES = {
    "founded": ("1971-08-06", "founded on 6 August 1971", "founded on 7 August 1971"),
    "website": ("https://uhrp.org/", "visit uhrp.org today", "visit uhrp.org.my today"),
    "headquarters_city": ("Munich", "Headquarters: Munich, Germany", "Headquarters: Munichen, Germany"),
    "headquarters_country_code": ("US", "an Illinois registered nonprofit", "a registered nonprofit"),
    "wikipedia_url": ("https://en.wikipedia.org/wiki/Islam21c", "Islam21c is a website", "Islam 21c is a website"),
}


def _block(text: str, name: str) -> str:
    return block(text, name) + "\n"


def test_the_readme_states_one_rule_for_each_kind_of_fact_the_build_checks():
    schema = json.loads((ROOT / "schemas" / "organization_facts.json").read_text(encoding="utf-8"))
    properties = next(field for field in schema["fields"] if field["name"] == "property")["constraints"]["enum"]
    assert list(WHAT_A_QUOTE_HOLDS) == ["name", *properties, "recognition"]
    block = _block((ROOT / "README.md").read_text(encoding="utf-8"), "what a quote holds")
    for rule in WHAT_A_QUOTE_HOLDS.values():
        assert f": {rule}.\n" in block


@pytest.mark.parametrize("kind", sorted(_CASES))
def test_each_stated_rule_of_a_fact_passes_a_quote_that_keeps_it_and_refuses_one_that_breaks_it(kind):
    value, keeps, breaks = _CASES[kind]
    assert _quote_problem(kind, value, keeps, _PAGE, ["Uyghur Human Rights Project"], {}) is None
    assert _quote_problem(kind, value, breaks, _PAGE, ["Uyghur Human Rights Project"], {}) is not None


def test_a_website_on_its_own_site_may_name_the_organization_instead_of_the_domain():
    assert (
        _quote_problem(
            "website",
            "https://uhrp.org/",
            "The Uyghur Human Rights Project (UHRP) promotes",
            "https://uhrp.org/about/",
            ["Uyghur Human Rights Project"],
            {},
        )
        is None
    )


def test_the_recognition_rule_needs_the_whole_date_in_the_quote_or_its_date_line():
    date = dt.date(2021, 6, 15)
    assert _dated("approved a motion", "June 15, 2021, 11:33 a.m. EDT", date)
    assert not _dated("approved a motion on Tuesday", "June 15, 11:33 a.m. EDT", date)
    assert _dated("declared it genocide yesterday", "January 20, 2021", dt.date(2021, 1, 19))


def test_the_limits_count_what_the_tables_hold():
    with (ROOT / "data" / "signatories.csv").open(encoding="utf-8", newline="") as stream:
        signatories = list(csv.DictReader(stream))
    unresolved = [row["list_number"] for row in signatories if row["resolution"] == "unresolved"]
    block = _block((ROOT / "README.md").read_text(encoding="utf-8"), "limits of the data")
    assert (
        f"**{len(unresolved)} of {len(signatories)} entries are unresolved** (entries {', '.join(unresolved)})" in block
    )
    with (ROOT / "data" / "recognitions.csv").open(encoding="utf-8", newline="") as stream:
        recognitions = list(csv.DictReader(stream))
    states = len({row["country_code"] for row in recognitions})
    assert (
        f"lists the {len(recognitions)} recognitions, by {states} states," in block
        and "Germany is stated but not listed" in block
    )


def test_a_limit_that_names_a_country_escapes_it_for_markdown():
    from scripts.formats.notices import limits_of_the_data

    tables = {
        "signatories": [],
        "recognitions": [],
        "organization_facts": [],
        "countries": [{"country_code": "DE", "name": "*Ger* <b>"}],
        "annotations": [{"kind": "discrepancy", "subject_id": "DE"}],
    }
    assert "**\\*Ger\\* \\<b\\> is stated but not listed.**" in limits_of_the_data(tables)[0]
