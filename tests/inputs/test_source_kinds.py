"""Every cited page is curated with its kind, from one vocabulary; a page without one, with one no table knows, a copy
that does not name its original, or a page not a copy that names one, is refused by name and nothing is written."""

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
        r"pages\.sesric-about-oic\): 'copy_of' is missing",
        "fix: add 'copy_of': for a copy, the address of the original it copies",
    ),
    "an original that names an original": (
        _KIND,
        _KIND.replace("kind: official", "kind: official\n    copy_of: https://www.oic-oci.org/"),
        r"pages\.sesric-about-oic\.copy_of\): 'copy_of' does not belong here",
        "fix: remove 'copy_of': for a copy, the address of the original it copies",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_page_whose_kind_is_missing_unknown_or_disagrees_with_its_copy_of_is_refused(reused_package, capsys, case):
    old, new, where, says = REFUSALS[case]
    first, err = build_refused(reused_package.fresh(), "data/source/organizations.yaml", old, new, capsys)
    assert re.match(rf"error: data/source/organizations\.yaml, line \d+ \({where}", first), first
    assert says in err and "fix: " in err, err
