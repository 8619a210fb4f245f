"""Every cited page is curated with its kind, from one vocabulary; a page without one, with one no table knows, or a
copy that does not name its original, is refused by name and nothing is written."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, build_refused

_TABLES = ("organization_facts", "organization_names", "recognitions", "annotations")
_KIND = '    read_on: "2026-12-05"\n    kind: official\n  un-denmark-icj:'


def test_the_tables_that_cite_pages_share_one_vocabulary_of_kinds():
    declared = []
    for table in _TABLES:
        schema = json.loads((ROOT / "schemas" / f"{table}.json").read_text(encoding="utf-8"))
        field = next(field for field in schema["fields"] if field["name"] == "source_kind")
        declared.append((field["categories"], field["categoriesOrdered"], field["constraints"]["enum"]))
    assert all(entry == declared[0] for entry in declared)
    assert declared[0][2] == ["official", "reference", "news", "advocacy", "copy"]


REFUSALS = {
    "a page without its kind": (
        _KIND,
        _KIND.replace("    kind: official\n", ""),
        r"pages\.sesric-about-oic",
        "'kind' is missing",
    ),
    "a kind no table knows": (
        _KIND,
        _KIND.replace("kind: official", "kind: blog"),
        r"pages\.sesric-about-oic\.kind",
        "blog",
    ),
    "a copy that names no original": (
        _KIND,
        _KIND.replace("kind: official", "kind: copy"),
        r"pages\.sesric-about-oic",
        "copy_of",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_page_whose_kind_is_missing_unknown_or_a_copy_without_its_original_is_refused(reused_package, capsys, case):
    old, new, where, says = REFUSALS[case]
    first, err = build_refused(reused_package.fresh(), "data/source/organizations.yaml", old, new, capsys)
    assert re.match(rf"error: data/source/organizations\.yaml, line \d+ \({where}", first), first
    assert says in err and "fix: " in err, err
