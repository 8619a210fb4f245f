"""The tables hold exactly what the document says."""

from __future__ import annotations

import csv

import pytest

from conftest import AGREEMENT_ID, ROOT, source_text
from scripts.errors import PipelineError
from scripts.tables.text import normalize


def read(name: str) -> list[dict]:
    with (ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_one_agreement_with_its_facts():
    (agreement,) = read("agreements")
    assert agreement["agreement_id"] == AGREEMENT_ID
    assert agreement["title"] == "Agreement of cooperation for a global Muslim coalition for Uyghurs"
    assert agreement["heading"] == "The Global Muslim Response to the Uyghur Crisis"
    assert agreement["date_signed"] == "2022-01-30"
    assert agreement["date_as_published"] == "January 30, 2022"
    assert (agreement["place"], agreement["place_country_code"], agreement["place_as_published"]) == (
        "Istanbul",
        "TR",
        "Istanbul, Turkey",
    )
    assert agreement["language"] == "en"
    assert agreement["publisher"] == "Uyghur Human Rights Project"
    assert agreement["source_url"] == "https://uhrp.org/statement/the-global-muslim-response-to-the-uyghur-crisis/"
    assert agreement["source_sha256"] == "9dfa11ac8508481f90f9e8c25ed85bd585d4a3900586a00591f7309284ce8705"
    assert (agreement["signatory_count"], agreement["clause_count"]) == ("23", "10")


SIGNATORIES = {
    1: ("Muslim Youth Movement of Malaysia (ABIM)", "Muslim Youth Movement of Malaysia", "ABIM", "Malaysia", "MY"),
    13: ("World Uyghur Congress", "World Uyghur Congress", "", "", ""),
    14: (
        "International Union of East Turkistan Organizations",
        "International Union of East Turkistan Organizations",
        "",
        "Turkey",
        "TR",
    ),
    16: (
        "Women\u2019s Alliance for Family Institution and Quality Education (WAFIQ)",
        "Women\u2019s Alliance for Family Institution and Quality Education",
        "WAFIQ",
        "Malaysia",
        "MY",
    ),
    19: ("PRIMA", "PRIMA", "", "Indonesia", "ID"),
    23: ("Ili Meshrep Foundation", "Ili Meshrep Foundation", "", "", ""),
}


def test_23_signatories_numbered_in_order():
    rows = read("signatories")
    assert [int(r["list_number"]) for r in rows] == list(range(1, 24))
    assert rows[0]["signatory_id"] == f"{AGREEMENT_ID}-s01"


@pytest.mark.parametrize("number", sorted(SIGNATORIES))
def test_signatory_entries(number):
    row = read("signatories")[number - 1]
    got = tuple(row[k] for k in ("name_as_listed", "name", "acronym", "country_as_listed", "country_code"))
    assert got == SIGNATORIES[number]


def test_country_spellings_as_listed_and_their_codes():
    pairs = {(r["country_as_listed"], r["country_code"]) for r in read("signatories")}
    assert pairs == {
        ("Malaysia", "MY"),
        ("Indonesia", "ID"),
        ("Turkey", "TR"),
        ("UK", "GB"),
        ("US", "US"),
        ("USA", "US"),
        ("", ""),
    }
    assert sum(1 for r in read("signatories") if not r["country_code"]) == 3


CLAUSE_ENDS = [
    ("We", "Turkistan."),
    ("We", "government."),
    ("We", "principles."),
    ("We", "same."),
    ("We", "risk."),
    ("Based", "action."),
    ("We", "genocide."),
    ("We", "genocide."),
    ("Consequently,", "Justice."),
    ("Agreed", "States."),
]


def test_ten_clauses_with_their_first_and_last_words():
    rows = read("clauses")
    assert [(r["text"].split()[0], r["text"].split()[-1]) for r in rows] == CLAUSE_ENDS
    assert rows[0]["text"].startswith("We the undersigned organizations commit")
    assert rows[-1]["text"] == (
        "Agreed 30 January 2022 by civil society organizations from Germany, Indonesia, "
        "Malaysia, Turkey, the United Kingdom and the United States."
    )
    assert [r["is_attestation"] for r in rows] == ["false"] * 9 + ["true"]


def test_white_space_normalized_but_nothing_else():
    clause_3 = read("clauses")[2]["text"]
    assert "\u00a0" not in clause_3 and "  " not in clause_3
    assert clause_3.endswith("universal human rights principles.")
    assert "Women\u2019s" in read("signatories")[15]["entry_text"]  # the curly apostrophe stays
    assert read("signatories")[13]["entry_text"].endswith("\u2013Turkey")  # as published, no space


def test_countries_come_from_pycountry_and_their_state_codes_from_countrycode():
    rows = {r["country_code"]: r for r in read("countries")}
    # The countries the document names, then those its parties, the recognitions it thanks and the
    # organizations' headquarters are in.
    assert sorted(rows) == ["BE", "CA", "CN", "CZ", "DE", "FR", "GB", "ID", "LT", "MY", "NL", "SA", "TR", "US"]
    assert (rows["TR"]["name"], rows["TR"]["alpha_3"], rows["TR"]["official_name"]) == (
        "Türkiye",
        "TUR",
        "Republic of Türkiye",
    )
    assert (rows["GB"]["name"], rows["GB"]["alpha_3"]) == ("United Kingdom", "GBR")
    assert rows["MY"]["official_name"] == ""
    codes = {code: (row["iso_numeric"], row["gw_code"], row["cow_code"]) for code, row in rows.items()}
    assert (
        codes["US"] == ("840", "2", "2")
        and codes["BE"] == ("56", "211", "211")
        and codes["SA"] == ("682", "670", "670")
    )
    assert codes["DE"] == ("276", "260", "255")  # where Gleditsch-Ward and Correlates of War differ
    assert codes["CZ"] == (
        "203",
        "316",
        "316",
    )  # the Czech Republic; 315 is Czechoslovakia, which country_converter 1.3.2 gives


def test_every_country_code_of_every_table_is_a_row_of_countries_and_countries_has_no_other():
    from scripts.inputs.project import Project

    schemas = Project().schemas
    held = {}
    for name, schema in schemas.items():
        for foreign in schema.get("foreignKeys", []):
            if foreign["reference"]["resource"] == "countries":
                (column,) = foreign["fields"]
                held[(name, column)] = {row[column] for row in read(name) if row[column]}
    assert set(held) == {
        ("agreements", "place_country_code"),
        ("signatories", "country_code"),
        ("organizations", "headquarters_country_code"),
        ("agreement_countries", "country_code"),
        ("actors", "country_code"),
        ("recognitions", "country_code"),
    }
    assert set().union(*held.values()) == {row["country_code"] for row in read("countries")}
    assert held[("organizations", "headquarters_country_code")] - set().union(
        *(codes for key, codes in held.items() if key[0] != "organizations")
    ) == {"SA"}
    # The join that dropped Jeddah's country now finds it.
    countries = {row["country_code"]: row["name"] for row in read("countries")}
    oic = next(row for row in read("organizations") if row["acronym"] == "OIC")
    assert (oic["headquarters_city"], countries[oic["headquarters_country_code"]]) == ("Jeddah", "Saudi Arabia")


def test_countries_refuses_a_code_that_pycountry_and_countrycode_read_as_different_countries(monkeypatch):
    import countrycode

    from scripts.tables import countries

    real = countrycode.countrycode
    monkeypatch.setattr(
        countrycode,
        "countrycode",
        lambda codes, origin, destination: (
            [4 if destination == "iso3n" else None] + real(codes[1:], origin, destination)
        ),
    )
    countries._state_system_codes.cache_clear()
    try:
        with pytest.raises(PipelineError) as raised:
            countries.country_rows({"CZ", "DE"})
    finally:
        countries._state_system_codes.cache_clear()
    assert str(raised.value).startswith("countries: CZ is ISO numeric 203 to pycountry but 4 to countrycode")


def test_attestation_countries_make_germany_data():
    rows = read("agreement_countries")
    assert [(r["position"], r["country_code"], r["name_as_stated"], r["listed_signatory_count"]) for r in rows] == [
        ("1", "DE", "Germany", "0"),
        ("2", "ID", "Indonesia", "3"),
        ("3", "MY", "Malaysia", "8"),
        ("4", "TR", "Turkey", "4"),
        ("5", "GB", "the United Kingdom", "2"),
        ("6", "US", "the United States", "3"),
    ]


def test_capture_artifact_is_dropped_and_documented():
    assert "UHRP logo" not in "".join(r["text"] for r in read("clauses"))
    notes = [r for r in read("annotations") if r["kind"] == "capture-artifact"]
    assert len(notes) == 1 and "'UHRP logo'" in notes[0]["note"]


SPANNED = {
    "clauses": [("char_start", "char_end", "text")],
    "signatories": [("char_start", "char_end", "entry_text")],
    "agreement_countries": [("char_start", "char_end", "name_as_stated")],
    "agreements": [
        ("heading_char_start", "heading_char_end", "heading"),
        ("title_char_start", "title_char_end", "title"),
        ("date_char_start", "date_char_end", "date_as_published"),
        ("place_char_start", "place_char_end", "place_as_published"),
    ],
}


@pytest.mark.parametrize("table", sorted(SPANNED))
def test_every_span_reconstructs_its_text(table):
    source = source_text()
    rows = read(table)
    assert rows
    for row in rows:
        for start, end, text in SPANNED[table]:
            assert normalize(source[int(row[start]) : int(row[end])]) == row[text]


def test_spans_are_tight_and_signatory_parts_lie_inside_them():
    source = source_text()
    first = read("signatories")[0]
    assert (int(first["char_start"]), int(first["char_end"])) == (1884, 1936)
    assert source[1884:1887] == "Mus"
    for row in read("signatories"):
        entry = row["entry_text"]
        assert entry.startswith(row["name_as_listed"])
        assert entry.endswith(row["country_as_listed"])


def test_a_document_once_tabulated_keeps_its_files_hashes_and_reads_its_text_again_only_as_it_was(package):
    import hashlib

    from scripts.inputs.project import Project
    from scripts.inputs.source import agreement_folders, read_source

    project = Project(package)
    from scripts.tables.coding import read_coding

    source = read_source(agreement_folders(project)[0], project)
    kept = source.without_contents(read_coding(source, package, project.schemas))
    document = package / f"data/source/{AGREEMENT_ID}/document.txt"
    assert (
        kept.curated is None
        and kept.text is None
        and kept.document_text(package) == source.text == document.read_text(encoding="utf-8")
    )
    folder = f"data/source/{AGREEMENT_ID}"
    expected = []
    for name in ("document.txt", "agreement.yaml", "coding.yaml"):
        content = (package / folder / name).read_bytes()
        expected.append((f"{folder}/{name}", hashlib.sha256(content).hexdigest(), len(content)))
    assert kept.files == tuple(expected)
    document.write_bytes(document.read_bytes() + b" ")
    with pytest.raises(
        PipelineError, match=f"data/source/{AGREEMENT_ID}/document.txt: changed while the build read the corpus"
    ):
        kept.document_text(package)
