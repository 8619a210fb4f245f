"""Behaviours of the checks that make mutate found no test for (issue #46): each test names the one it pins. They run
the checks on the checkout's package, changed in memory, or on a package of one or two small tables."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import frictionless
import pyarrow as pa
import pytest

from conftest import ROOT
from scripts.checks import integrity
from scripts.checks.gate import frictionless_problems, table_problems
from scripts.checks.package import LoadedPackage, load
from scripts.checks.validate import validate_package
from scripts.errors import error
from scripts.inputs.project import Project

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"


@pytest.fixture(scope="module")
def checkout() -> LoadedPackage:
    """The committed package as the checks load it: clean."""
    package = load(ROOT / "datapackage.json")
    assert not package.problems
    return package


def _changed(package: LoadedPackage, **changes) -> LoadedPackage:
    """A copy whose tables and replaced files are its own, so that a test's change stays in it."""
    return dataclasses.replace(package, tables=dict(package.tables), replaced=dict(package.replaced), **changes)


def _with_cells(package: LoadedPackage, table: str, column: str, values: dict[int, str]) -> LoadedPackage:
    """The package with cells of one column changed, by row (row 0 is the CSV's row 2)."""
    changed = _changed(package)
    cells = changed.tables[table].cells
    column_values = cells[column].to_pylist()
    for row, value in values.items():
        column_values[row] = value
    changed.tables[table] = dataclasses.replace(changed.tables[table], cells=cells.set_column(
        cells.column_names.index(column), column, pa.array(column_values, pa.string())))
    return changed


def test_csv_dialect_goes_on_past_an_empty_table(checkout):
    """An empty CSV file is reported, and so is the fault of a table after it."""
    first, *_ = checkout.csv_tables.values()
    later = checkout.tables["countries"].path
    changed = _changed(checkout)
    changed.replaced.update({first.path: b"", later: b"\xef\xbb\xbf" + (ROOT / later).read_bytes()})
    assert list(integrity.csv_dialect(changed)) == [
        error("empty-file", first.path, "the file is empty: expected at least the header row"),
        error("bom", later, "starts with a UTF-8 byte-order mark", row=1),
    ]


def test_spans_are_checked_past_a_row_whose_agreement_has_no_source(checkout):
    """A row of an agreement with no readable source is passed over, and a wrong span in a later row still reported."""
    text = checkout.tables["clauses"].cells["text"][1].as_py()
    changed = _with_cells(checkout, "clauses", "agreement_id", {0: "an-agreement-not-in-agreements"})
    changed = _with_cells(changed, "clauses", "text", {1: text + " More."})
    assert [(p.rule, p.file, p.row, p.field) for p in integrity.sources_and_spans(changed)] == [
        ("span", "data/clauses.csv", 3, "text")]


def test_a_download_suffix_is_the_last_one_so_a_compressed_copy_of_every_table_is_refused(checkout):
    """data/<table>.csv.gz for every table is no download format (its stems are <table>.csv): each is refused."""
    tables = sorted(path.removesuffix(".csv") for path in checkout.data_files if path.endswith(".csv"))
    compressed = {f"{table}.csv.gz" for table in tables}
    changed = _changed(checkout, data_files=checkout.data_files | compressed)
    assert [p.file for p in integrity.files_accounted_for(changed)] == sorted(compressed)


def test_a_package_missing_a_file_is_not_given_to_frictionless(package):
    """A missing file is reported by the project's checks alone: frictionless, which would fail or mislead, is not
    run."""
    (package / "data" / "countries.csv").unlink()
    report = validate_package(package / "datapackage.json")
    assert "missing-file" in {p.rule for p in report.errors}
    assert [p for p in report.problems if p.rule.startswith("frictionless")] == []


def _small_package(folder: Path, tables: dict[str, bytes]) -> Path:
    """A Data Package v2 of CSV tables, each of one integer column n, with its schema file."""
    resources = []
    for name, content in tables.items():
        (folder / f"{name}.csv").write_bytes(content)
        (folder / f"{name}.schema.json").write_text(json.dumps({"fields": [{"name": "n", "type": "integer"}]}),
                                                       encoding="utf-8", newline="\n")
        resources.append({"name": name, "type": "table", "path": f"{name}.csv", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "schema": f"{name}.schema.json"})
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps({"$schema": V2, "name": "small", "resources": resources}), encoding="utf-8",
                          newline="\n")
    return descriptor


def test_the_same_error_at_the_same_row_and_field_of_two_tables_is_reported_for_each(tmp_path):
    """Only a Parquet twin's repeat of its CSV's error is dropped: two tables' alike errors are two problems."""
    descriptor = _small_package(tmp_path, {"first": b"n\nx\n", "second": b"n\nx\n"})
    assert [(p.rule, p.file, p.row, p.field, p.value) for p in frictionless_problems(descriptor)] == [
        ("frictionless:type-error", "first.csv", 2, "n", "x"), ("frictionless:type-error", "second.csv", 2, "n", "x")]


def test_the_tables_gate_reports_frictionless_findings_when_its_file_was_removed_meanwhile(tmp_path, monkeypatch):
    """A cleanup that removes the files validation added to the package's folder while frictionless runs does not
    turn the report into a crash: the findings are reported, and no file is left behind."""
    descriptor = _small_package(tmp_path, {"numbers": b"n\nx\n"})
    before = set(tmp_path.iterdir())
    validate = frictionless.Package.validate

    def validate_then_clean_up(self, *args, **kwargs):
        report = validate(self, *args, **kwargs)
        for path in set(tmp_path.iterdir()) - before:
            path.unlink()
        return report

    monkeypatch.setattr(frictionless.Package, "validate", validate_then_clean_up)
    assert [(p.rule, p.file, p.row, p.field) for p in table_problems(descriptor)] == [
        ("frictionless:type-error", "numbers.csv", 2, "n")]
    assert set(tmp_path.iterdir()) == before


def _dialect_problems(package: LoadedPackage, table: str, raw: bytes) -> list[tuple[str, int | None]]:
    """csv_dialect's problems, as (rule, row), when the table's CSV file holds these bytes."""
    changed = _changed(package)
    changed.replaced[package.tables[table].path] = raw
    return [(problem.rule, problem.row) for problem in integrity.csv_dialect(changed)]


def test_line_endings_are_reported_at_the_first_line_that_ends_in_cr(checkout):
    """CR at the end of rows 3 and 5: the problem names row 3, the first."""
    lines = (ROOT / checkout.tables["countries"].path).read_bytes().split(b"\n")
    lines[2] += b"\r"
    lines[4] += b"\r"
    assert _dialect_problems(checkout, "countries", b"\n".join(lines)) == [("line-endings", 3)]


def test_a_header_ending_in_crlf_is_read_as_the_header(checkout):
    """A CRLF header line is one line-endings problem, not also a header unlike the schema's."""
    raw = (ROOT / checkout.tables["countries"].path).read_bytes().replace(b"\n", b"\r\n", 1)
    assert _dialect_problems(checkout, "countries", raw) == [("line-endings", 1)]


@pytest.mark.parametrize("suffix", [b" ", b"X", b"\t"])
def test_a_header_with_anything_after_its_last_name_is_refused(checkout, suffix):
    """Only the line's own CR is taken off the header: a space, a tab or a letter after the last name is a header
    unlike the schema's."""
    header, rest = (ROOT / checkout.tables["countries"].path).read_bytes().split(b"\n", 1)
    assert _dialect_problems(checkout, "countries", header + suffix + b"\n" + rest) == [("header", 1)]


def test_a_cr_as_the_first_byte_is_a_line_ending_of_row_1(checkout):
    """A file whose first byte is CR has a CR line ending in row 1 (and so a header unlike the schema's)."""
    raw = b"\r" + (ROOT / checkout.tables["countries"].path).read_bytes()
    assert _dialect_problems(checkout, "countries", raw) == [("line-endings", 1), ("header", 1)]


def test_the_row_of_the_first_cr_counts_a_newline_in_the_first_byte(checkout):
    """A file that starts with an empty line, then a CRLF line: the CR is in row 2."""
    raw = b"\n" + (ROOT / checkout.tables["countries"].path).read_bytes().replace(b"\n", b"\r\n", 1)
    assert _dialect_problems(checkout, "countries", raw) == [("line-endings", 2), ("header", 1)]


def test_the_gate_reads_the_descriptor_as_utf8_whatever_the_locale(tmp_path):
    """Under a locale whose encoding is ASCII, a descriptor with non-ASCII text is still read as UTF-8: a wrong cell is
    reported with the schema that declares its rule, where the locale's codec would end in an unexpected
    UnicodeDecodeError or lose the schema's name."""
    for name in ("data", "schemas"):
        shutil.copytree(ROOT / name, tmp_path / name)
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["title"] += " \u2014 \u201c\u00dcn\u00efcode\u201d"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8",
                                               newline="\n")
    # The first row's first integer cell, as the schema declares it, made text.
    countries = tmp_path / "data" / "countries.csv"
    rows = list(csv.reader(countries.read_text(encoding="utf-8").splitlines()))
    fields = Project(ROOT).schemas["countries"]["fields"]
    column = rows[0].index(next(field["name"] for field in fields if field["type"] == "integer"))
    rows[1][column] = "x" + rows[1][column]
    with countries.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)
    code = ("import sys; from pathlib import Path; "
            "from scripts.checks.gate import frictionless_problems, table_problems; "
            "print([[(p.rule, p.message.endswith(sys.argv[2])) for p in check(Path(sys.argv[1]))] "
            "for check in (table_problems, frictionless_problems)])")
    env = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    declared = "(the rule is declared in schemas/countries.json)"
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path / "datapackage.json"), declared], cwd=ROOT, env=env,
                         capture_output=True, text=True, encoding="utf-8")
    # The whole package's run also finds the changed file's size and hash unlike the descriptor's.
    changed = "('frictionless:hash-count', False), ('frictionless:byte-count', False)"
    expected = f"[[('frictionless:type-error', True)], [('frictionless:type-error', True), {changed}]]\n"
    assert (run.returncode, run.stdout) == (0, expected), run.stderr[-400:]
    # The same findings under this process's own locale.
    here = [[(p.rule, p.message.endswith(declared)) for p in check(tmp_path / "datapackage.json")]
            for check in (table_problems, frictionless_problems)]
    assert f"{here}\n" == expected
