"""A second agreement joins the corpus with no code change, and leaves the first one's rows as they were."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys

import pytest

from conftest import AGREEMENT_ID, ROOT, frictionless_validate, run
from scripts.inputs.project import Project
from benchmarks.synthetic import SyntheticAgreement, random_agreement

pytestmark = pytest.mark.slow  # make check: synthetic corpora, as make bench makes them

SECOND = "example-solidarity-statement-2023"


def rows(root, name):
    with (root / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def raw_lines(root, name):
    return (root / "data" / f"{name}.csv").read_text(encoding="utf-8").splitlines()


def test_a_second_agreement_is_built_into_the_same_tables(package, capsys):
    second = SyntheticAgreement(
        agreement_id=SECOND,
        title="Statement of solidarity with the Uyghur people",
        date_signed=dt.date(2023, 3, 15),
        place="Kuala Lumpur",
        place_country="Malaysia",
        entries=[
            ("Stand4Uyghurs", "UK"),
            ("Kenya Muslim Youth Forum (KMYF)", "Kenya"),
            ("Justice Network of Senegal", "Senegal"),
            ("Independent Scholars", None),
        ],
    )
    second.write(package / "data" / "source")
    before = {name: raw_lines(ROOT, name) for name in Project().table_names}

    code, out, err = run(package, "build", capsys=capsys)
    assert code == 0, err

    agreements = rows(package, "agreements")
    assert [a["agreement_id"] for a in agreements] == [SECOND, AGREEMENT_ID]
    new = agreements[0]
    assert (
        new["date_signed"],
        new["place"],
        new["place_country_code"],
        new["signatory_count"],
        new["clause_count"],
    ) == ("2023-03-15", "Kuala Lumpur", "MY", "4", "10")
    new_signatories = [r for r in rows(package, "signatories") if r["agreement_id"] == SECOND]
    assert [(r["signatory_id"], r["name"], r["acronym"], r["country_code"]) for r in new_signatories] == [
        (f"{SECOND}-s01", "Stand4Uyghurs", "", "GB"),
        (f"{SECOND}-s02", "Kenya Muslim Youth Forum", "KMYF", "KE"),
        (f"{SECOND}-s03", "Justice Network of Senegal", "", "SN"),
        (f"{SECOND}-s04", "Independent Scholars", "", ""),
    ]
    shared = [r for r in rows(package, "signatories") if r["name"] == "Stand4Uyghurs"]
    assert sorted(r["signatory_id"] for r in shared) == [f"{SECOND}-s01", f"{AGREEMENT_ID}-s09"]
    assert [r["country_code"] for r in rows(package, "agreement_countries") if r["agreement_id"] == SECOND] == [
        "GB",
        "KE",
        "SN",
    ]
    assert [r["country_code"] for r in rows(package, "countries")] == [
        "BE",
        "CA",
        "CN",
        "CZ",
        "DE",
        "FR",
        "GB",
        "ID",
        "KE",
        "LT",
        "MY",
        "NL",
        "SA",
        "SN",
        "TR",
        "US",
    ]
    assert not [
        r for r in rows(package, "acts") if r["agreement_id"] == SECOND
    ]  # its agreement.yaml says "not coded yet"
    assert [(a["agreement_id"], a["is_coded"]) for a in agreements] == [(SECOND, "false"), (AGREEMENT_ID, "true")]
    status = f"Coded: 1 of 2 agreement(s) (`{AGREEMENT_ID}`). Not coded yet: 1 (`{SECOND}`)."
    assert status in (package / "README.md").read_text(encoding="utf-8")
    assert status in (package / "docs" / "data-dictionary.md").read_text(encoding="utf-8")

    for name in Project().table_names:
        after = raw_lines(package, name)
        assert after[0] == before[name][0]
        # A table of the corpus (countries, organizations) keeps its rows; another keeps the first agreement's.
        by_agreement = "agreement_id" in after[0].split(",")
        kept = (
            [line for line in after[1:] if AGREEMENT_ID in line]
            if by_agreement
            else [line for line in after[1:] if line in before[name]]
        )
        assert kept == before[name][1:], f"{name}: the first agreement's rows changed"

    checked = 0
    for name in Project().table_names:
        ids = [r for r in rows(package, name) if r.get("agreement_id") == SECOND]
        checked += len(ids)
        key = Project().schemas[name]["primaryKey"][0]
        assert all(r[key].startswith(SECOND) for r in ids if key.endswith("_id") and key != "agreement_id")
    assert checked >= 15  # the second agreement's own rows: its agreement, clauses, signatories and countries
    result = frictionless_validate(package / "datapackage.json")
    assert result.returncode == 0, result.stdout[-2000:]
    assert run(package, "validate", capsys=capsys)[0] == 0


def test_an_agreement_whose_ids_sort_before_those_of_the_agreement_before_it_still_gives_sorted_tables(package, capsys):
    """Folders are read in name order, but ids sort as text: the folder "<id>-a" comes after "<id>", and its annotation
    "<id>-a-n01" before "<id>-n01"."""
    import yaml

    second = random_agreement(1)
    second.agreement_id = f"{AGREEMENT_ID}-a"
    folder = second.write(package / "data" / "source")
    metadata = yaml.safe_load((folder / "agreement.yaml").read_text(encoding="utf-8"))
    metadata["context_notes"] = [
        {
            "subject": {"table": "clauses", "number": 1},
            "note": "A note on the first clause.",
            "is_inference": False,
            "source_url": "https://example.org/note",
            "source_kind": "official",
        }
    ]
    (folder / "agreement.yaml").write_bytes(
        yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True).encode("utf-8")
    )
    code, out, err = run(package, "build", capsys=capsys)
    assert code == 0, err
    ids = [row["annotation_id"] for row in rows(package, "annotations")]
    assert ids[0] == f"{AGREEMENT_ID}-a-n01" and ids == sorted(ids) and len(ids) == 6
    assert [row["agreement_id"] for row in rows(package, "agreements")] == [AGREEMENT_ID, f"{AGREEMENT_ID}-a"]


def test_synthetic_corpus_generator_smoke(package, capsys):
    """The benchmark's generator at its smallest size writes agreements the pipeline accepts."""
    for number in (1, 2):
        random_agreement(number).write(package / "data" / "source")
    code, out, err = run(package, "build", capsys=capsys)
    assert code == 0, err
    agreements = rows(package, "agreements")
    assert [a["agreement_id"] for a in agreements] == [AGREEMENT_ID, "synthetic-000001", "synthetic-000002"]
    assert [a["signatory_count"] for a in agreements[1:]] == ["17", "17"]
    assert sum(1 for r in rows(package, "clauses") if r["agreement_id"].startswith("synthetic-")) == 20


def test_benchmark_corpus_smoke_at_the_smallest_size(tmp_path, capsys):
    """make bench's own path at its smallest size: a corpus checkout that builds and validates."""
    from benchmarks.bench import make_corpus

    corpus = make_corpus(tmp_path / "corpus", 1)
    code, out, err = run(corpus, "build", capsys=capsys)
    assert code == 0, err
    assert "built 1 agreement(s) into data/: agreements 1, clauses 10, signatories 17" in out
    assert run(corpus, "validate", capsys=capsys)[0] == 0


def test_benchmark_times_the_table_checks_and_the_hashing_of_a_release_apart(released_folder):
    """make bench's measure of the checks, on a real release: no error, both parts timed,
    every described file counted."""
    from benchmarks.bench import _CHECKS

    printed = subprocess.run(
        [sys.executable, "-c", _CHECKS, str(released_folder / "datapackage.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    measured = json.loads(printed)
    assert measured["errors"] == 0
    assert {key: type(value) for key, value in measured.items()} == {
        "table_checks_seconds": float,
        "hashing_seconds": float,
        "errors": int,
        "files": int,
    }
    sources = [path for path in (released_folder / "data" / "source").rglob("*") if path.is_file()]
    expected = (
        2 * len(Project().table_names) + 2 + len(sources)
    )  # each table as CSV and Parquet, the changes as both, every source file
    assert (
        measured["files"]
        == len(json.loads((released_folder / "datapackage.json").read_text(encoding="utf-8"))["resources"])
        == expected
    )
