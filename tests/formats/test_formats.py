"""The release in the tools users reach for: a workbook, SQLite and Datasette, a browser, R.
Each read back against the CSV."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, require_system
from scripts.inputs.project import Project

PROJECT = Project()
NAME = PROJECT.package_metadata["name"]
WAFIQ = "Women\u2019s Alliance for Family Institution and Quality Education"


def csv_rows(folder: Path, table: str) -> list[dict]:
    with (folder / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def typed(text: str, kind: str):
    """A CSV cell as its Table Schema type: what an independent reader should find."""
    if text == "":
        return None
    return {"integer": int, "number": float, "boolean": lambda t: t == "true", "date": dt.date.fromisoformat}.get(
        kind, str
    )(text)


# --- what the writers read --------------------------------------------------------------------


def test_the_writers_read_back_exactly_what_the_csv_holds(tmp_path):
    from scripts.tables.csvfile import csv_bytes, csv_rows as read_rows

    schema = {
        "fields": [
            {"name": "text", "type": "string"},
            {"name": "count", "type": "integer"},
            {"name": "share", "type": "number"},
            {"name": "coded", "type": "boolean"},
            {"name": "signed", "type": "date"},
        ]
    }
    rows = [
        {"text": 'a, "quoted"\nline', "count": 0, "share": 0.1, "coded": False, "signed": dt.date(2022, 1, 30)},
        {"text": "=1+1", "count": -12, "share": 1e-07, "coded": True, "signed": None},
        {"text": None, "count": None, "share": None, "coded": None, "signed": dt.date(1999, 12, 31)},
    ]
    path = tmp_path / "table.csv"
    path.write_bytes(csv_bytes(rows, schema))
    assert list(read_rows(str(path), schema["fields"])) == [list(row.values()) for row in rows]


# --- the workbook -----------------------------------------------------------------------------


def test_the_workbook_says_what_it_is_then_holds_every_table(released_folder):
    book = openpyxl.load_workbook(released_folder / f"{NAME}.xlsx")
    assert book.sheetnames == ["About", *PROJECT.table_names, "changes", "Codes"]
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert about["Title"] == PROJECT.package_metadata["title"]
    assert about["Version"].startswith(PROJECT.changelog_version() + ", released ")
    assert (
        "Creative Commons Attribution 4.0 International" in about["License"]
        and "https://creativecommons.org/licenses/by/4.0/" in about["License"]
    )
    assert "(Version " + PROJECT.changelog_version() + ") [Data set]" in about["How to cite"]
    assert "https://uhrp.org/statement/the-global-muslim-response-to-the-uyghur-crisis/" in about["Source"]
    assert about["signatories"] == 23 and about["clauses"] == 10 and about["act_actors"] == 35
    codes = list(book["Codes"].iter_rows(values_only=True))
    assert codes[0] == ("Table (sheet)", "Column", "Code", "Label")
    assert ("act_actors", "role", "addressee", "Addressee") in codes and (
        "recognitions",
        "body",
        "lower-house",
        "Lower house of parliament",
    ) in codes
    expected = [
        (table, field["name"], c["value"], c["label"])
        for table, schema in {**PROJECT.schemas, "changes": PROJECT.changes_schema}.items()
        for field in schema["fields"]
        for c in field.get("categories", [])
    ]
    assert codes[1:] == expected


@pytest.mark.parametrize("table", PROJECT.table_names)
def test_every_workbook_cell_equals_its_csv_cell_with_its_type(released_folder, table):
    sheet = openpyxl.load_workbook(released_folder / f"{NAME}.xlsx")[table]
    fields = PROJECT.schemas[table]["fields"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [field["name"] for field in fields]
    assert sheet.freeze_panes == "A2"
    expected = csv_rows(released_folder, table)
    assert len(rows) - 1 == len(expected)
    for cells, row in zip(rows[1:], expected):
        for cell, field in zip(cells, fields):
            value = typed(row[field["name"]], field["type"])
            if field["type"] == "date" and cell is not None:
                assert isinstance(cell, dt.datetime) and cell.date() == value
            else:
                assert cell == value and type(cell) is type(value), (table, field["name"], cell, value)


# --- SQLite and Datasette ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database(released_folder) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{released_folder / (NAME + '.sqlite')}?mode=ro", uri=True)
    yield connection
    connection.close()


def test_the_database_declares_the_schemas_keys_and_has_no_broken_reference(database):
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in PROJECT.table_names:
        schema = PROJECT.schemas[table]
        columns = {row[1]: row for row in database.execute(f"PRAGMA table_info({table})")}
        assert list(columns) == [field["name"] for field in schema["fields"]]
        assert [name for name, row in sorted(columns.items(), key=lambda item: item[1][5]) if row[5]] == schema[
            "primaryKey"
        ]
        declared = {
            (fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
            for fk in schema.get("foreignKeys", [])
        }
        assert {(row[3], row[2], row[4]) for row in database.execute(f"PRAGMA foreign_key_list({table})")} == declared
        indexed = {
            row[2]
            for index in database.execute(f"PRAGMA index_list({table})")
            for row in database.execute(f"PRAGMA index_info({index[1]})")
        }
        assert {column for column, _, _ in declared} <= indexed
    assert dict((row[1], row[2]) for row in database.execute("PRAGMA table_info(agreements)"))["date_signed"] == "TEXT"
    assert (
        dict((row[1], row[2]) for row in database.execute("PRAGMA table_info(signatories)"))["list_number"] == "INTEGER"
    )


@pytest.mark.parametrize("table", PROJECT.table_names)
def test_every_database_table_equals_its_csv(released_folder, database, table):
    fields = PROJECT.schemas[table]["fields"]
    stored = database.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    expected = [tuple(typed(row[f["name"]], f["type"]) for f in fields) for row in csv_rows(released_folder, table)]
    as_sqlite = [
        tuple(v.isoformat() if isinstance(v, dt.date) else int(v) if isinstance(v, bool) else v for v in row)
        for row in expected
    ]
    assert stored == as_sqlite


def test_full_text_search_stems_english_words_and_ignores_diacritics(database):
    declared = database.execute("SELECT sql FROM sqlite_master WHERE name = 'clauses_fts'").fetchone()[0]
    tokenizer = re.search(r"tokenize='([^']+)'", declared).group(1)
    assert tokenizer == "porter unicode61 remove_diacritics 2"
    search = (
        "SELECT clause_number FROM clauses WHERE rowid IN (SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ?)"
    )
    assert (
        database.execute(search, ["refugee"]).fetchall() == database.execute(search, ["refugees"]).fetchall() == [(5,)]
    )
    (clause_5,) = database.execute("SELECT text FROM clauses WHERE clause_number = 5").fetchone()
    assert re.findall(r"\brefugee\w*", clause_5) == ["refugees"]  # the text says only "refugees": the stemmer finds it
    # The same text under unicode61 alone, as the database had it before: "refugee" finds
    # nothing; accents are removed by both.
    scratch = sqlite3.connect(":memory:")
    for name, tokenize in (("plain", "unicode61"), ("stemmed", tokenizer)):
        scratch.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(text, tokenize='{tokenize}')")
        scratch.execute(f"INSERT INTO {name} VALUES (?), (?)", [clause_5, "Istanbul, T\u00fcrkiye"])

    def matches(table, words):
        return scratch.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", [words]).fetchone()[0]

    assert (matches("plain", "refugee"), matches("stemmed", "refugee")) == (0, 1)
    assert matches("stemmed", "turkiye") == matches("stemmed", "T\u00fcrkiye") == matches("stemmed", "TURKIYE") == 1


def test_full_text_search_and_the_join_views(database):
    found = database.execute(
        "SELECT clause_number FROM clauses JOIN clauses_fts ON clauses_fts.rowid = clauses.rowid "
        "WHERE clauses_fts MATCH 'genocide' ORDER BY clause_number"
    ).fetchall()
    assert found == [(1,), (2,), (7,), (8,)]  # the clauses whose text says "genocide"
    joined = database.execute(
        "SELECT list_number, country_name FROM signatories_with_countries "
        "WHERE country_name IS NULL OR list_number = 16"
    ).fetchall()
    assert joined == [(13, None), (16, "Malaysia"), (22, None), (23, None)]
    parties = database.execute(
        "SELECT role, actor_name FROM clauses_with_acts_and_parties "
        "WHERE clause_number = 9 AND role IN ('target', 'forum')"
    ).fetchall()
    assert sorted(parties) == [("forum", "International Court of Justice"), ("target", "Chinese government")]
    # A facet counts rows: acts are counted where a row is an act, not where a row is one of its parties.
    acts = dict(database.execute("SELECT act_type, count(*) FROM acts_with_clauses GROUP BY act_type").fetchall())
    assert acts["commitment"] == 5 and sum(acts.values()) == 13
    assert database.execute(
        "SELECT count(*) FROM clauses_with_acts_and_parties WHERE act_type = 'commitment'"
    ).fetchone() == (10,)
    resolved = database.execute(
        "SELECT name, resolution, country_name FROM actors_with_countries "
        "WHERE resolution != 'unresolved' ORDER BY name"
    ).fetchall()
    assert resolved == [
        ("Chinese government", "state", "China"),
        ("Independent tribunal of international law experts", "organization", None),
        ("International Court of Justice", "organization", None),
        ("Nations which have already recognized that Uyghurs are facing genocide", "recognitions", None),
        ("Organisation of Islamic Cooperation", "organization", None),
        ("Organisation of Turkic States", "organization", None),
        ("The undersigned organizations", "signatories", None),
        ("United Nations", "organization", None),
    ]
    # Each party the text names as one body joins the organization it is, with its quoted facts.
    bodies = database.execute(
        "SELECT name, organization_name, coalesce(founded_date, founded_year), headquarters_city, "
        "headquarters_country_code FROM actors_with_organizations "
        "WHERE resolution = 'organization' ORDER BY name"
    ).fetchall()
    assert bodies == [
        ("Independent tribunal of international law experts", "Uyghur Tribunal", 2020, "London", "GB"),
        ("International Court of Justice", "International Court of Justice", 1945, "The Hague", "NL"),
        ("Organisation of Islamic Cooperation", "Organization of Islamic Cooperation", "1969-09-25", "Jeddah", "SA"),
        ("Organisation of Turkic States", "Organization of Turkic States", 2009, "Istanbul", "TR"),
        ("United Nations", "United Nations", "1945-10-24", "New York City", "US"),
    ]
    # An entry keeps its own spelling and acronym beside its organization's: entry 5 keeps
    # "(ACCIN)", entry 6 its acronym.
    entries = database.execute(
        "SELECT list_number, name_as_listed, acronym, organization_name FROM signatories_with_organizations "
        "WHERE list_number IN (5, 6)"
    ).fetchall()
    assert entries == [
        (5, "Allied Coordinating Committee of Islamic NGOs (ACCIN)", "ACCIN", "Allied Coordinating of Islamic NGO"),
        (6, "Pamong Asthabrata Foundation (PAMASTHA)", "PAMASTHA", "Yayasan Pamong Asthabrata"),
    ]
    thanked = database.execute(
        "SELECT c.name, r.date FROM recognitions r JOIN countries c USING (country_code) WHERE r.body = 'government'"
    ).fetchall()
    assert thanked == [("United States", "2021-01-19")]


def test_datasette_offers_the_act_type_facet_only_where_a_row_is_an_act(released_folder):
    tables = json.loads((released_folder / "datasette.json").read_text(encoding="utf-8"))["databases"][NAME]["tables"]
    assert tables["acts_with_clauses"]["facets"] == ["act_type"]
    assert "act_type" not in tables["clauses_with_acts_and_parties"]["facets"]
    assert tables["clauses_with_acts_and_parties"]["description"].startswith("A view, one row per party of an act")
    assert tables["changes"]["title"] == "Changes in every release"


def test_the_table_of_changes_is_in_every_format_with_every_step_since_the_first_release(released_folder, database):
    import openpyxl
    import pyarrow.parquet as pq

    rows = csv_rows(released_folder, "changes")
    steps = [(row["previous_version"], row["version"]) for row in rows]
    assert steps[0] == ("", "1.0.0") and rows[0]["kind"] == "first-release"
    assert ("1.0.0", "1.1.0") in steps and ("1.1.0", "1.1.1") in steps
    assert {"table": "agreements", "kind": "column-added", "column": "is_coded"}.items() <= next(
        r for r in rows if r["version"] == "1.1.0"
    ).items()
    assert pq.read_table(released_folder / "data" / "changes.parquet").num_rows == len(rows)
    assert database.execute("SELECT count(*) FROM changes").fetchone() == (len(rows),)
    sheet = openpyxl.load_workbook(next(released_folder.glob("*.xlsx")), read_only=True)["changes"]
    assert sum(1 for _ in sheet.iter_rows()) == len(rows) + 1


def test_datasette_metadata_comes_from_the_descriptor(released_folder):
    metadata = json.loads((released_folder / "datasette.json").read_text(encoding="utf-8"))
    descriptor = json.loads((released_folder / "datapackage.json").read_text(encoding="utf-8"))
    assert (metadata["title"], metadata["license"], metadata["license_url"]) == (
        descriptor["title"],
        "CC-BY-4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert metadata["source_url"] == "https://uhrp.org/statement/the-global-muslim-response-to-the-uyghur-crisis/"
    signatories = metadata["databases"][NAME]["tables"]["signatories"]
    assert signatories["title"] == "Signatories"
    acronym = _field("signatories", "acronym")
    assert signatories["columns"]["acronym"] == f"{acronym['title']}: {acronym['description']}"  # the title labels it


def _field(table: str, name: str) -> dict:
    return next(f for f in PROJECT.schemas[table]["fields"] if f["name"] == name)


@pytest.mark.slow
def test_datasette_serves_the_table_page_and_its_json(released_folder):
    from datasette.app import Datasette

    metadata = json.loads((released_folder / "datasette.json").read_text(encoding="utf-8"))
    datasette = Datasette([str(released_folder / f"{NAME}.sqlite")], metadata=metadata)

    async def fetch():
        page = await datasette.client.get(f"/{NAME}/signatories")
        api = await datasette.client.get(f"/{NAME}/signatories.json?_shape=array&list_number=16")
        return page, api

    page, api = asyncio.run(fetch())
    assert page.status_code == 200 and WAFIQ in page.text and "Signatories" in page.text
    assert api.status_code == 200
    assert [(row["signatory_id"], row["name"], row["acronym"], row["country_code"]) for row in api.json()] == [
        ("global-muslim-coalition-for-uyghurs-2022-s16", WAFIQ, "WAFIQ", "MY")
    ]


def test_the_pages_copy_of_the_database_answers_the_readme_queries_in_datasette_with_no_network(released_folder):
    """What Datasette Lite opens from GitHub Pages is the release's database and metadata: Datasette, in-process,
    answers the README's queries."""
    from datasette.app import Datasette

    metadata = json.loads((released_folder / "datasette.json").read_text(encoding="utf-8"))
    datasette = Datasette([str(released_folder / f"{NAME}.sqlite")], metadata=metadata)
    by_country = (
        "SELECT country_name, count(*) AS entries FROM signatories_with_countries "
        "GROUP BY country_name ORDER BY count(*) DESC, country_name LIMIT 3"
    )
    search = (
        "SELECT clause_number FROM clauses "
        "WHERE rowid IN (SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH 'refugee')"
    )

    async def fetch():
        return [
            await datasette.client.get(f"/{NAME}.json", params={"sql": sql, "_shape": "array"})
            for sql in (by_country, search)
        ] + [await datasette.client.get(f"/{NAME}/clauses.json", params={"_search": "refugee", "_shape": "array"})]

    countries, found, searched = asyncio.run(fetch())
    assert [(row["country_name"], row["entries"]) for row in countries.json()] == [
        ("Malaysia", 8),
        ("Türkiye", 4),
        (None, 3),
    ]
    assert found.json() == [{"clause_number": 5}]
    assert [row["clause_number"] for row in searched.json()] == [5]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(released_folder):
    """`python -m scripts serve` (what make serve runs) on a free port of 127.0.0.1, and what it printed."""
    root, port = released_folder.parent.parent, _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts", "--root", str(root), "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    first_line = process.stdout.readline()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}", first_line
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.slow
def test_make_serve_answers_on_127_0_0_1_with_the_rows(served):
    address, first_line = served
    assert first_line.startswith(
        f"Datasette serves dist/{NAME}-{PROJECT.changelog_version()}/{NAME}.sqlite at {address}/{NAME}"
    )
    with urllib.request.urlopen(f"{address}/{NAME}/signatories.json?_shape=array&_size=max", timeout=10) as response:
        rows = json.load(response)
    assert len(rows) == 23 and rows[15]["name"] == WAFIQ


def chromium_launch_options() -> dict:
    """Debian's chromium, driven by Playwright through its executable path: nothing is downloaded."""
    return {
        "executable_path": require_system("chromium", "chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.mark.slow
def test_the_table_page_shows_the_signatories_in_a_real_browser(served, tmp_path):
    from playwright.sync_api import sync_playwright

    address, _ = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(headless=True, **chromium_launch_options())
        try:
            page = browser.new_page()
            page.goto(f"{address}/{NAME}/signatories?_size=max", wait_until="load")
            assert page.get_by_text(WAFIQ, exact=False).first.is_visible()
            page.screenshot(path=str(tmp_path / "signatories.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "signatories.png").stat().st_size > 10_000


# --- R ------------------------------------------------------------------------------------------


def readme_block(language: str, marker: str) -> tuple[str, str]:
    """The README's code block of that language after the marker, and the text block that shows its output."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme.split(marker, 1)[1]
    code = re.search(rf"```{language}\n(.*?)```", after, re.DOTALL).group(1)
    output = re.search(r"```text\n(.*?)```", after.split(code, 1)[1], re.DOTALL).group(1)
    return code, output


@pytest.mark.slow
def test_readme_r_block_reads_the_csvs_with_the_schema_types(released_folder):
    rscript = require_system("Rscript", "r-base-core, r-cran-readr and r-cran-jsonlite")
    code, expected = readme_block("r", "<!-- R example -->")
    result = subprocess.run([rscript, "--vanilla", "-e", code], cwd=released_folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


def _one_table(tmp_path: Path, texts: list[str]) -> dict:
    """write_workbook's arguments for one table of text, written as the release writes its CSV."""
    from scripts.tables.csvfile import csv_bytes

    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "text", "type": "string"}]}
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "notes.csv"
    path.write_bytes(
        csv_bytes([{"id": number, "text": text} for number, text in enumerate(texts, start=1)], schema)
    )
    return {
        "path": str(tmp_path / "book.xlsx"),
        "about": [("Title", "Notes")],
        "csv_files": {"notes": str(path)},
        "rows": {"notes": len(texts)},
        "schemas": {"notes": schema},
        "descriptions": {"notes": "A note."},
        "released": "2026-11-27",
    }


def test_a_workbook_cell_holds_32767_characters_whole(tmp_path):
    from scripts.formats.workbook import write_workbook

    longest = "x" * 32_766 + "y"  # 32,767 characters: what a cell holds
    write_workbook(**_one_table(tmp_path, ["short", longest]))
    sheet = openpyxl.load_workbook(tmp_path / "book.xlsx")["notes"]
    assert [row for row in sheet.iter_rows(values_only=True)] == [("id", "text"), (1, "short"), (2, longest)]


def test_a_text_longer_than_a_cell_goes_on_in_continuation_cells_and_joins_back_whole(tmp_path):
    """Excel counts UTF-16 units (an emoji is two) and cuts a cell at 32,767: the text goes on at the right,
    never cut inside a character."""
    from scripts.formats.workbook import write_workbook

    over = "x" * 32_766 + "\U0001f600"  # 32,767 characters for Python, 32,768 for Excel
    huge = "The coalition will act together. " * 3_000  # 99,000 characters: four cells
    write_workbook(**_one_table(tmp_path, ["short", over, huge]))
    book = openpyxl.load_workbook(tmp_path / "book.xlsx")
    rows = list(book["notes"].iter_rows(values_only=True))
    assert rows[0] == ("id", "text", "text (continued 2)", "text (continued 3)", "text (continued 4)")
    assert rows[1] == (1, "short", None, None, None)
    assert rows[2] == (2, "x" * 32_766, "\U0001f600", None, None)
    assert "".join(rows[3][1:]) == huge and [len(cell) for cell in rows[3][1:]] == [32_767, 32_767, 32_767, 699]
    about = {label: text for label, text in book["About"].iter_rows(max_col=2, values_only=True) if label}
    assert about["Long texts"].startswith(
        "A cell holds at most 32,767 characters. A longer text goes on, in order, in the columns headed"
    )


def test_a_workbook_of_short_texts_has_no_continuation_columns(tmp_path):
    from scripts.formats.workbook import write_workbook

    write_workbook(**_one_table(tmp_path, ["short"] * 10_000))  # a file longer than a cell, with no text that is
    book = openpyxl.load_workbook(tmp_path / "book.xlsx")
    assert next(book["notes"].iter_rows(values_only=True)) == ("id", "text")
    assert "Long texts" not in [label for (label,) in book["About"].iter_rows(max_col=1, values_only=True)]


def test_a_row_beyond_the_last_a_sheet_holds_is_refused_by_name(tmp_path, monkeypatch):
    """A sheet holds 1,048,576 rows; here three, so that the test needs no million rows.
    xlsxwriter would drop the rest."""
    import xlsxwriter.worksheet

    from scripts.errors import PipelineError
    from scripts.formats.workbook import write_workbook

    real_init = xlsxwriter.worksheet.Worksheet.__init__

    def three_rows(self, *arguments, **keywords):
        real_init(self, *arguments, **keywords)
        self.xls_rowmax = 3

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "__init__", three_rows)
    (tmp_path / "system-temp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "system-temp"))
    with pytest.raises(PipelineError) as refused:
        write_workbook(**_one_table(tmp_path, ["one", "two", "three"]))
    # xlsxwriter's scratch files, one per sheet, are gone: none in the system's temporary folder, none beside.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "system-temp"]
    assert not list((tmp_path / "system-temp").iterdir())
    assert refused.value.where == "data/notes.csv, row 4, id"
    assert (
        refused.value.problem
        == "a worksheet holds at most 1,048,576 rows, the header among them: the workbook cannot hold this row"
    )


def test_the_workbook_lists_each_source_of_a_corpus_on_a_row_of_its_own(package):
    """Joined in one cell, 10,000 sources came to more than 32,767 characters, and xlsxwriter cut them."""
    from scripts.release.build import build_in_memory
    from scripts.release.publish import workbook_arguments
    from benchmarks.synthetic import random_agreement

    for number in (1, 2):
        random_agreement(number).write(package / "data" / "source")
    tables = build_in_memory(Project(package)).tables
    about = workbook_arguments(Project(package), tables, 1)["about"]
    sources = [(label, text) for label, text in about if label in ("Source", "")]
    assert sources == [
        (
            "Source",
            "Uyghur Human Rights Project: Agreement of cooperation for a global Muslim coalition for Uyghurs: "
            "https://uhrp.org/statement/the-global-muslim-response-to-the-uyghur-crisis/",
        ),
        ("", "Synthetic Publisher: Synthetic agreement number 1: https://example.org/statements/synthetic-000001/"),
        ("", "Synthetic Publisher: Synthetic agreement number 2: https://example.org/statements/synthetic-000002/"),
    ]


def test_an_about_line_a_cell_would_cut_is_refused_by_name(tmp_path):
    from scripts.errors import PipelineError
    from scripts.formats.workbook import write_workbook

    arguments = _one_table(tmp_path, ["short"])
    arguments["about"] = [("Title", "Notes"), ("Source", "x" * 40_000)]
    with pytest.raises(PipelineError) as refused:
        write_workbook(**arguments)
    assert refused.value.where == "book.xlsx, sheet About, row 2 (Source)"
    assert refused.value.problem.startswith("the text is 40,000 characters long as Excel counts them (UTF-16)")
