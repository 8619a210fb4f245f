"""Each of the project's checks, run alone on the release loaded once and changed in memory: the exact problem
it reports (rule, file, row, field, value and words), and none on the clean release. Milliseconds each, so
that make mutate can use them."""

from __future__ import annotations

import copy
import dataclasses
import hashlib

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import AGREEMENT_ID
from scripts.checks import integrity
from scripts.checks.package import LoadedPackage, load
from scripts.errors import error, warning

DOCUMENT = f"data/source/{AGREEMENT_ID}/document.txt"


@pytest.fixture(scope="module")
def clean(released_folder) -> LoadedPackage:
    """The release as the gate loads it: the project's checks prove the hashes, bytes and foreign keys."""
    package = load(released_folder / "datapackage.json")
    assert not package.problems
    return dataclasses.replace(package, frictionless_checks_integrity=False)


def _changed(package: LoadedPackage, **changes) -> LoadedPackage:
    """A copy of the loaded package, its tables, descriptor and kept files its own, so that
    a test's change stays in it."""
    return dataclasses.replace(
        package,
        tables=dict(package.tables),
        descriptor=copy.deepcopy(package.descriptor),
        replaced=dict(package.replaced),
        **changes,
    )


def _with_cell(package: LoadedPackage, table: str, column: str, row: int, value: str | None) -> LoadedPackage:
    """The package with one cell of a table's text changed (row 0 is the CSV's row 2)."""
    changed = _changed(package)
    cells = changed.tables[table].cells
    values = cells[column].to_pylist()
    values[row] = value
    changed.tables[table] = dataclasses.replace(
        changed.tables[table],
        cells=cells.set_column(cells.column_names.index(column), column, pa.array(values, pa.string())),
    )
    return changed


def _with_column(package: LoadedPackage, table: str, column: str, values: list[str]) -> LoadedPackage:
    changed = _changed(package)
    cells = changed.tables[table].cells
    changed.tables[table] = dataclasses.replace(
        changed.tables[table],
        cells=cells.set_column(cells.column_names.index(column), column, pa.array(values, pa.string())),
    )
    return changed


def _with_bytes(package: LoadedPackage, relative: str, content: bytes | None) -> LoadedPackage:
    """The package reading other bytes for a file, as if it had been changed on disk."""
    changed = _changed(package)
    changed.replaced[relative] = content
    return changed


def _with_parquet_copies(package: LoadedPackage, folder) -> LoadedPackage:
    """The package read from a folder holding copies of its Parquet files, which a test may rewrite (the Parquet
    check reads them from disk)."""
    import shutil

    (folder / "data").mkdir()
    for parquet in (package.root / "data").glob("*.parquet"):
        shutil.copy(parquet, folder / "data" / parquet.name)
    return _changed(package, root=folder)


def _run(check, package: LoadedPackage) -> list:
    return list(check(package))


def _raw(clean: LoadedPackage, relative: str) -> bytes:
    return (clean.root / relative).read_bytes()


@pytest.mark.parametrize("check", integrity.ALL_CHECKS, ids=lambda check: check.__name__)
def test_the_clean_release_gives_each_check_nothing_but_the_documented_discrepancy(clean, check):
    found = _run(check, clean)
    if check is integrity.reconciliation:
        assert [(p.severity, p.rule, p.value) for p in found] == [("warning", "known-discrepancy", "DE")]
    else:
        assert found == []


# --- csv_dialect ---------------------------------------------------------------------------


def test_csv_dialect_names_each_fault_of_a_csv_file_at_its_row(clean):
    path = "data/countries.csv"
    raw = _raw(clean, path)
    assert _run(integrity.csv_dialect, _with_bytes(clean, path, b"")) == [
        error("empty-file", path, "the file is empty: expected at least the header row")
    ]
    assert _run(integrity.csv_dialect, _with_bytes(clean, path, b"\xef\xbb\xbf" + raw)) == [
        error("bom", path, "starts with a UTF-8 byte-order mark", row=1)
    ]
    second = raw.index(b"\n", raw.index(b"\n") + 1)  # the end of the CSV's row 2, the first after the header
    assert _run(integrity.csv_dialect, _with_bytes(clean, path, raw[:second] + b"\r" + raw[second:])) == [
        error("line-endings", path, "has CR or CRLF line endings: expected LF only", row=2)
    ]
    assert _run(integrity.csv_dialect, _with_bytes(clean, path, raw[:-1])) == [
        error("final-newline", path, "does not end with a newline: the file may be truncated", row=raw.count(b"\n"))
    ]
    swapped = raw.replace(b"country_code,alpha_3,", b"alpha_3,country_code,", 1)
    rest = "'name', 'official_name', 'iso_numeric', 'gw_code', 'cow_code']"
    assert _run(integrity.csv_dialect, _with_bytes(clean, path, swapped)) == [
        error(
            "header",
            path,
            f"header is ['alpha_3', 'country_code', {rest}, "
            f"expected the schema's fields in order: ['country_code', 'alpha_3', {rest}",
            row=1,
        )
    ]
    assert _run(integrity.csv_dialect, _with_bytes(clean, path, raw.replace(b"alpha_3", b"alpha\xff3", 1))) == [
        error("encoding", path, "not UTF-8: byte 0xff cannot be decoded", row=1),
        error(
            "header",
            path,
            f"header is ['country_code', 'alpha\ufffd3', {rest}, "
            f"expected the schema's fields in order: ['country_code', 'alpha_3', {rest}",
            row=1,
        ),
    ]
    assert (
        _run(integrity.csv_dialect, _with_bytes(clean, path, None)) == []
    )  # vanished since load: missing-file says so


def test_csv_dialect_reads_the_whole_file_of_a_table_it_could_not_parse(clean):
    path = "data/countries.csv"
    raw = _raw(clean, path)
    changed = _with_bytes(clean, path, raw + b"ZZ,\xff\n")
    changed.tables["countries"] = dataclasses.replace(changed.tables["countries"], cells=None)
    assert _run(integrity.csv_dialect, changed) == [
        error("encoding", path, "not UTF-8: byte 0xff cannot be decoded", row=raw.count(b"\n") + 1),
        error(
            "csv-parse", path, "cannot be parsed as CSV with the schema's columns (a row has too many or too few cells)"
        ),
    ]


# --- the descriptor and the files ----------------------------------------------------------


def test_files_accounted_for_names_each_undescribed_file_in_order(clean):
    changed = _changed(clean, data_files=clean.data_files | {"data/z.csv", "data/a.txt"})
    assert _run(integrity.files_accounted_for, changed) == [
        error(
            "undescribed-file", "data/a.txt", "is not described by any resource of the descriptor", value="data/a.txt"
        ),
        error(
            "undescribed-file", "data/z.csv", "is not described by any resource of the descriptor", value="data/z.csv"
        ),
    ]


def test_files_accounted_for_takes_a_suffix_every_table_has_as_downloads_and_refuses_one_table_s_stray_copy(clean):
    tables = {path.removesuffix(".csv") for path in clean.data_files if path.endswith(".csv")}
    downloads = {f"{table}.jsonl" for table in tables}
    stray = "data/signatories.bak"
    changed = _changed(clean, data_files=clean.data_files | downloads | {stray})
    assert _run(integrity.files_accounted_for, changed) == [
        error("undescribed-file", stray, "is not described by any resource of the descriptor", value=stray)
    ]
    one_short = downloads - {"data/clauses.jsonl"}
    changed = _changed(clean, data_files=clean.data_files | one_short)
    assert len(_run(integrity.files_accounted_for, changed)) == len(one_short)


def _resource(package: LoadedPackage, name: str) -> dict:
    return next(resource for resource in package.descriptor["resources"] if resource["name"] == name)


def test_declared_integrity_compares_every_files_hash_and_bytes_or_the_parquet_files_alone(clean):
    changed = _changed(clean)
    csv, parquet = _resource(changed, "clauses"), _resource(changed, "clauses-parquet")
    csv_hash, parquet_hash = csv["hash"], parquet["hash"]
    csv.update(bytes=7, hash="sha256:" + "0" * 64)
    parquet.update(bytes=8, hash="sha256:" + "1" * 64)
    size = len(_raw(clean, "data/clauses.csv"))
    assert _run(integrity.declared_integrity, changed) == [
        error(
            "bytes",
            "data/clauses.csv",
            f"the descriptor declares 7 bytes, the file has {size}",
            field="bytes",
            value="7",
        ),
        error(
            "hash",
            "data/clauses.csv",
            f"the descriptor declares sha256:{'0' * 64}, the file's is {csv_hash}",
            field="hash",
            value="sha256:" + "0" * 64,
        ),
        error(
            "bytes",
            "data/clauses.parquet",
            f"the descriptor declares 8 bytes, the file has {len(_raw(clean, 'data/clauses.parquet'))}",
            field="bytes",
            value="8",
        ),
        error(
            "hash",
            "data/clauses.parquet",
            f"the descriptor declares sha256:{'1' * 64}, the file's is {parquet_hash}",
            field="hash",
            value="sha256:" + "1" * 64,
        ),
    ]
    # Where frictionless proves the CSV files (validate), this check proves the Parquet files alone.
    assert [
        p.file
        for p in _run(integrity.declared_integrity, dataclasses.replace(changed, frictionless_checks_integrity=True))
    ] == ["data/clauses.parquet"] * 2
    unsafe = _changed(clean)
    _resource(unsafe, "clauses-parquet").update(path="../clauses.parquet", hash="sha256:" + "1" * 64)
    assert _run(integrity.declared_integrity, unsafe) == []  # an unsafe path is refused by load, never read
    gone = _with_bytes(changed, "data/clauses.csv", None)
    assert [p.file for p in _run(integrity.declared_integrity, gone)] == [
        "data/clauses.parquet"
    ] * 2  # the files after an unreadable one are checked


def test_declared_integrity_reads_a_resource_without_a_hash_or_bytes_as_declaring_nothing(clean):
    changed = _changed(clean)
    resource = _resource(changed, "clauses")
    del resource["hash"], resource["bytes"]
    assert _run(integrity.declared_integrity, changed) == []
    assert hashlib.sha256(_raw(clean, "data/clauses.csv")).hexdigest() in _resource(clean, "clauses")["hash"]


def test_data_package_v2_reports_at_most_ten_profile_errors(clean):
    changed = _changed(clean)
    changed.descriptor["keywords"] = "one keyword"
    assert _run(integrity.data_package_v2, changed) == [
        error(
            "profile",
            "datapackage.json",
            "does not meet the Data Package v2 profile at keywords: 'one keyword' is not of type 'array'",
        )
    ]
    for resource in changed.descriptor["resources"]:
        resource["type"] = "text"
    found = _run(integrity.data_package_v2, changed)
    assert len(found) == integrity.MAX_REPORTED == 10 and all(p.rule == "profile" for p in found)


def test_version_matches_changelog_names_both_versions(clean, tmp_path):
    changed = _changed(clean)
    changed.descriptor["version"] = "9.9.9"
    current = clean.descriptor["version"]
    assert _run(integrity.version_matches_changelog, changed) == [
        error(
            "version",
            "datapackage.json",
            f"version '9.9.9' differs from the newest release heading of CHANGELOG.md, '{current}'",
            field="version",
            value="9.9.9",
        )
    ]
    assert (
        _run(integrity.version_matches_changelog, dataclasses.replace(changed, root=tmp_path)) == []
    )  # a copy without the changelog


# --- keys ----------------------------------------------------------------------------------


def test_unique_keys_reports_each_shared_key_once_with_how_many_rows_share_it(clean):
    numbers = [str(n) for n in range(1, 11)]
    shared = _with_column(clean, "clauses", "clause_number", ["1", "1", "2", "3", "3", "3", *numbers[6:]])
    assert _run(integrity.unique_keys, shared) == [
        error(
            "unique-key",
            "data/clauses.csv",
            "2-field key ['agreement_id', 'clause_number'] is not unique: 2 rows share it",
            field="agreement_id,clause_number",
            value=f"('{AGREEMENT_ID}', '1')",
        ),
        error(
            "unique-key",
            "data/clauses.csv",
            "2-field key ['agreement_id', 'clause_number'] is not unique: 3 rows share it",
            field="agreement_id,clause_number",
            value=f"('{AGREEMENT_ID}', '3')",
        ),
    ]
    # Many keys, each shared: the first ten, in the order they first appear.
    many = _changed(clean)
    cells = pa.table({"agreement_id": [f"a{n // 2:02d}" for n in range(30)], "clause_number": ["1"] * 30})
    many.tables["clauses"] = dataclasses.replace(many.tables["clauses"], cells=cells)
    found = _run(integrity.unique_keys, many)
    assert [p.value for p in found] == [f"('a{n:02d}', '1')" for n in range(10)]


def test_foreign_keys_report_each_dangling_key_at_its_row_then_how_many_more(clean):
    dangling = _with_cell(clean, "signatories", "country_code", 0, "ZZ")
    assert _run(integrity.foreign_keys, dangling) == [
        error(
            "foreign-key",
            "data/signatories.csv",
            'for "country_code": values "ZZ" not found in the lookup table "countries" as "country_code"',
            row=2,
            field="country_code",
            value="ZZ",
        )
    ]
    assert (
        _run(integrity.foreign_keys, _with_cell(clean, "signatories", "country_code", 0, "")) == []
    )  # an empty key references nothing
    assert (
        _run(integrity.foreign_keys, dataclasses.replace(dangling, frictionless_checks_integrity=True)) == []
    )  # validate leaves them to frictionless
    twelve = _with_column(clean, "signatories", "country_code", ["ZZ"] * 12 + [""] * 11)
    found = _run(integrity.foreign_keys, twelve)
    assert [p.row for p in found[:10]] == list(range(2, 12)) and found[10:] == [
        error("foreign-key", "data/signatories.csv", "... and 2 more of the same")
    ]


def test_a_foreign_key_to_a_table_the_package_lacks_is_reported_once(clean):
    changed = _changed(clean)
    del changed.tables["countries"]
    found = [p for p in _run(integrity.foreign_keys, changed) if p.file == "data/signatories.csv"]
    assert found == [
        error(
            "foreign-key",
            "data/signatories.csv",
            "its foreign key ['country_code'] references the table 'countries', which the package does not have",
            field="country_code",
        )
    ]


def test_a_foreign_key_to_a_missing_table_does_not_stop_the_tables_other_foreign_keys(clean):
    changed = _with_cell(
        clean, "signatories", "organization_id", 0, "nobody"
    )  # its third key, after the one to countries
    del changed.tables["countries"]
    found = [
        (p.field, p.row, p.value) for p in _run(integrity.foreign_keys, changed) if p.file == "data/signatories.csv"
    ]
    assert found == [("country_code", None, None), ("organization_id", 2, "nobody")]


def test_a_composite_foreign_key_compares_every_field(clean):
    events = _with_cell(clean, "events", "clause_id", 0, f"{AGREEMENT_ID}-c99")
    found = _run(integrity.foreign_keys, events)
    assert [(p.file, p.row, p.field, p.value) for p in found] == [
        ("data/events.csv", 2, "clause_id", f"{AGREEMENT_ID}-c99")
    ]


# --- cells ---------------------------------------------------------------------------------


def test_categories_report_a_value_outside_them_at_its_cell(clean):
    changed = _with_cell(clean, "annotations", "kind", 1, "contxt")
    allowed = next(f for f in clean.tables["annotations"].schema["fields"] if f["name"] == "kind")["categories"]
    assert _run(integrity.categories, changed) == [
        error(
            "category",
            "data/annotations.csv",
            f"not one of the categories {allowed}",
            row=3,
            field="kind",
            value="contxt",
        )
    ]
    assert (
        _run(integrity.categories, _with_cell(clean, "annotations", "kind", 1, "")) == []
    )  # empty is for required to judge


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_spreadsheet_safe_reports_a_text_cell_a_spreadsheet_would_run(clean, start):
    changed = _with_cell(clean, "signatories", "name", 1, f"{start}HYPERLINK(1)")
    assert _run(integrity.spreadsheet_safe, changed) == [
        error(
            "formula-cell",
            "data/signatories.csv",
            "starts with =, +, - or @, which a spreadsheet would run as a formula",
            row=3,
            field="name",
            value=f"{start}HYPERLINK(1)",
        )
    ]
    assert _run(integrity.spreadsheet_safe, _with_cell(clean, "signatories", "name", 1, f"a{start}b")) == []


def test_cell_rules_report_ten_cells_then_how_many_more(clean):
    changed = _with_column(clean, "signatories", "acronym", ["NA"] * 13 + [""] * 10)
    found = _run(integrity.pandas_safe, changed)
    assert [p.row for p in found[:10]] == list(range(2, 12))
    assert found[0] == error(
        "pandas-missing",
        "data/signatories.csv",
        "pandas' default read_csv would read this value as missing",
        row=2,
        field="acronym",
        value="NA",
    )
    assert found[10:] == [error("pandas-missing", "data/signatories.csv", "... and 3 more of the same")]
    for value in ("null", "N/A", "nan", "#N/A", "<NA>"):
        assert [
            p.value for p in _run(integrity.pandas_safe, _with_cell(clean, "signatories", "acronym", 0, value))
        ] == [value]
    assert _run(integrity.pandas_safe, _with_cell(clean, "signatories", "acronym", 0, "NAM")) == []


# --- the sources and the spans -------------------------------------------------------------


def test_sources_and_spans_name_a_missing_changed_or_undecodable_source(clean):
    recorded = clean.tables["agreements"].cells["source_sha256"][0].as_py()
    assert _run(integrity.sources_and_spans, _with_bytes(clean, DOCUMENT, None)) == [
        error(
            "source", "data/agreements.csv", "the source document does not exist", field="source_path", value=DOCUMENT
        )
    ]
    changed = _raw(clean, DOCUMENT).replace(b"Istanbul", b"Ankara", 1)
    assert _run(integrity.sources_and_spans, _with_bytes(clean, DOCUMENT, changed)) == [
        error(
            "source-hash",
            DOCUMENT,
            f"the source's sha256 is {hashlib.sha256(changed).hexdigest()}, "
            f"but agreements records {recorded}: the source was changed",
            field="source_sha256",
            value=recorded,
        )
    ]
    broken = _raw(clean, DOCUMENT).replace(b"Istanbul", b"Istanbul\xff", 1)
    recorded_broken = _with_cell(
        _with_bytes(clean, DOCUMENT, broken), "agreements", "source_sha256", 0, hashlib.sha256(broken).hexdigest()
    )
    at = broken.index(b"\xff")
    assert _run(integrity.sources_and_spans, recorded_broken) == [
        error(
            "source-encoding",
            DOCUMENT,
            f"not UTF-8 (byte {at}), so no span can be read from it",
            field="source_path",
            value=DOCUMENT,
        )
    ]


def test_a_span_that_does_not_give_its_text_is_reported_with_what_it_gives(clean):
    text = clean.tables["clauses"].cells["text"][0].as_py()
    start, end = (int(clean.tables["clauses"].cells[c][0].as_py()) for c in ("char_start", "char_end"))
    wrong = _with_cell(clean, "clauses", "text", 0, text + "s")
    assert _run(integrity.sources_and_spans, wrong) == [
        error(
            "span",
            "data/clauses.csv",
            f"source[{start}:{end}] normalizes to {text[:60]!r}, not to this text",
            row=2,
            field="text",
            value=(text + "s")[:60],
        )
    ]
    outside = _with_cell(clean, "clauses", "char_end", 0, "99999")
    assert _run(integrity.sources_and_spans, outside) == [
        error(
            "span",
            "data/clauses.csv",
            f"source[{start}:99999] lies outside the source, not to this text",
            row=2,
            field="text",
            value=text[:60],
        )
    ]
    backwards = _with_cell(clean, "clauses", "char_end", 0, str(start - 1))
    assert [p.message for p in _run(integrity.sources_and_spans, backwards)] == [
        f"source[{start}:{start - 1}] lies outside the source, not to this text"
    ]
    assert (
        _run(integrity.sources_and_spans, _with_cell(clean, "clauses", "char_end", 0, "x")) == []
    )  # not an integer: frictionless reports its type


def test_spans_report_ten_then_how_many_more(clean):
    texts = clean.tables["signatories"].cells["entry_text"].to_pylist()
    changed = _with_column(clean, "signatories", "entry_text", [text + "!" for text in texts])
    found = _run(integrity.sources_and_spans, changed)
    assert [p.row for p in found[:10]] == list(range(2, 12)) and found[10:] == [
        error("span", "data/signatories.csv", f"... and {len(texts) - 10} more of the same")
    ]


# --- counts and reconciliation -------------------------------------------------------------


def test_counts_compare_each_stated_count_with_the_rows(clean):
    assert _run(integrity.counts, _with_cell(clean, "agreements", "signatory_count", 0, "24")) == [
        error(
            "count",
            "data/agreements.csv",
            f"signatory_count is 24, but signatories has 23 rows for {AGREEMENT_ID}",
            row=2,
            field="signatory_count",
            value="24",
        )
    ]
    assert _run(integrity.counts, _with_cell(clean, "agreements", "clause_count", 0, "9")) == [
        error(
            "count",
            "data/agreements.csv",
            f"clause_count is 9, but clauses has 10 rows for {AGREEMENT_ID}",
            row=2,
            field="clause_count",
            value="9",
        )
    ]
    assert _run(integrity.counts, _with_cell(clean, "agreements", "is_coded", 0, "false")) == [
        error(
            "coded",
            "data/agreements.csv",
            f"is_coded is false, but acts has 13 rows for {AGREEMENT_ID}",
            row=2,
            field="is_coded",
            value="false",
        )
    ]
    assert _run(integrity.counts, _with_cell(clean, "agreement_countries", "listed_signatory_count", 0, "1")) == [
        error(
            "count",
            "data/agreement_countries.csv",
            f"listed_signatory_count is 1, but signatories has 0 rows for {AGREEMENT_ID} DE",
            row=2,
            field="listed_signatory_count",
            value="1",
        )
    ]
    assert (
        _run(integrity.counts, _with_cell(clean, "agreements", "signatory_count", 0, "many")) == []
    )  # frictionless reports its type


def test_an_agreement_not_coded_with_a_single_act_is_reported(clean):
    changed = _with_cell(clean, "agreements", "is_coded", 0, "false")
    acts = changed.tables["acts"]
    changed.tables["acts"] = dataclasses.replace(acts, cells=acts.cells.slice(0, 1))
    assert _run(integrity.counts, changed) == [
        error(
            "coded",
            "data/agreements.csv",
            f"is_coded is false, but acts has 1 rows for {AGREEMENT_ID}",
            row=2,
            field="is_coded",
            value="false",
        )
    ]


def test_reconciliation_passes_a_documented_discrepancy_and_refuses_an_undocumented_or_stale_one(clean):
    stated = "data/agreement_countries.csv"
    listed_only = "the attestation of"
    documented = next(p for p in _run(integrity.reconciliation, clean))
    assert documented.severity == "warning" and documented.message.startswith(
        f"DE is stated in {listed_only} {AGREEMENT_ID} but no entry of its list names it. Documented: "
    )
    kinds = clean.tables["annotations"].cells["kind"].to_pylist()
    undocumented = _with_column(
        clean, "annotations", "kind", ["context" if kind == "discrepancy" else kind for kind in kinds]
    )
    assert _run(integrity.reconciliation, undocumented) == [
        error(
            "discrepancy",
            stated,
            f"DE is stated in the attestation of {AGREEMENT_ID} but no entry of its list names it, "
            "and no annotation documents it",
            field="country_code",
            value="DE",
        )
    ]
    subjects = clean.tables["annotations"].cells["subject_id"].to_pylist()
    stale = _with_column(
        clean,
        "annotations",
        "subject_id",
        ["GB" if kind == "discrepancy" else subject for kind, subject in zip(kinds, subjects)],
    )
    assert _run(integrity.reconciliation, stale) == [
        error(
            "discrepancy",
            stated,
            f"DE is stated in the attestation of {AGREEMENT_ID} but no entry of its list names it, "
            "and no annotation documents it",
            field="country_code",
            value="DE",
        ),
        error(
            "stale-discrepancy",
            "data/annotations.csv",
            f"an annotation documents a discrepancy for GB in {AGREEMENT_ID}, but stated and listed countries agree",
            field="subject_id",
            value="GB",
        ),
    ]
    listed = _with_cell(clean, "signatories", "country_code", 0, "FR")
    assert error(
        "discrepancy",
        stated,
        f"FR is named by the list of {AGREEMENT_ID} but not stated in its attestation, and no annotation documents it",
        field="country_code",
        value="FR",
    ) in _run(integrity.reconciliation, listed)
    assert warning("known-discrepancy", stated, documented.message, field="country_code", value="DE") == documented


def test_reconciliation_reads_back_a_pair_whose_agreement_id_holds_a_space(clean):
    """A downloaded package may hold any text there (frictionless reports the pattern): the pair is
    still named, not split apart."""
    spaced = _with_cell(clean, "agreement_countries", "agreement_id", 0, "an agreement")
    assert error(
        "discrepancy",
        "data/agreement_countries.csv",
        "DE is stated in the attestation of an agreement but no entry of its list names it, "
        "and no annotation documents it",
        field="country_code",
        value="DE",
    ) in _run(integrity.reconciliation, spaced)


def test_a_table_with_spans_but_no_agreement_id_column_is_passed_over(clean):
    changed = _changed(clean)
    clauses = changed.tables["clauses"]
    changed.tables["clauses"] = dataclasses.replace(clauses, cells=clauses.cells.drop_columns(["agreement_id"]))
    assert _run(integrity.sources_and_spans, changed) == []


def test_annotation_subjects_name_a_subject_that_does_not_exist(clean):
    changed = _with_cell(clean, "annotations", "subject_id", 0, "nothing")
    assert _run(integrity.annotation_subjects, changed) == [
        error(
            "annotation-subject",
            "data/annotations.csv",
            "subject 'nothing' is not a agreement_id of agreements",
            row=2,
            field="subject_id",
            value="nothing",
        )
    ]


# --- Parquet -------------------------------------------------------------------------------


def test_parquet_matches_csv_names_the_first_column_whose_values_columns_or_types_differ(clean, tmp_path):
    moved = _with_parquet_copies(clean, tmp_path)
    assert _run(integrity.parquet_matches_csv, moved) == []
    path = tmp_path / "data" / "signatories.parquet"
    table = pq.read_table(path)
    names = table["name"].to_pylist()
    pq.write_table(
        table.set_column(table.column_names.index("name"), "name", pa.array(["Someone Else", *names[1:]])), path
    )
    assert _run(integrity.parquet_matches_csv, moved) == [
        error("parquet", "data/signatories.parquet", "its values differ from data/signatories.csv", field="name")
    ]
    numbers = table["list_number"].to_pylist()
    pq.write_table(
        table.set_column(table.column_names.index("list_number"), "list_number", pa.array([str(n) for n in numbers])),
        path,
    )
    assert _run(integrity.parquet_matches_csv, moved) == [
        error(
            "parquet",
            "data/signatories.parquet",
            "column list_number is string, but the schema's type is int64",
            field="list_number",
        )
    ]
    pq.write_table(table.drop_columns(["acronym"]), path)
    expected = [f["name"] for f in clean.tables["signatories-parquet"].schema["fields"]]
    assert _run(integrity.parquet_matches_csv, moved) == [
        error(
            "parquet",
            "data/signatories.parquet",
            f"its columns are {[n for n in expected if n != 'acronym']}, "
            f"expected the schema's fields in order: {expected}",
        )
    ]
    path.write_bytes(b"not parquet")
    (found,) = _run(integrity.parquet_matches_csv, moved)
    assert (found.rule, found.file) == ("parquet", "data/signatories.parquet") and found.message.startswith(
        "cannot be read as Parquet: "
    )


# --- keys of other shapes than the release's: composite, typed, named by a string, to the same table ---


def _two_tables(
    tmp_path,
    parent: dict[str, list[str]],
    child: dict[str, list[str]],
    foreign_key: dict,
    types: dict[str, str] | None = None,
) -> LoadedPackage:
    """A package of two tables held in memory: child, whose foreign key is given, and parent."""
    from scripts.checks.package import TableFile

    types = types or {}

    def table(name: str, columns: dict[str, list[str]], keys: list) -> TableFile:
        schema = {
            "fields": [{"name": column, "type": types.get(column, "string")} for column in columns],
            "foreignKeys": keys,
        }
        return TableFile(
            {"name": name, "path": f"data/{name}.csv"},
            schema,
            pa.table({column: pa.array(values, pa.string()) for column, values in columns.items()}),
        )

    tables = {"child": table("child", child, [foreign_key]), "parent": table("parent", parent, [])}
    descriptor = {"resources": [table.resource for table in tables.values()]}
    return LoadedPackage(
        tmp_path, tmp_path / "datapackage.json", descriptor, tables, frictionless_checks_integrity=False
    )


def test_a_composite_foreign_key_skips_a_row_only_when_every_field_is_empty(tmp_path):
    package = _two_tables(
        tmp_path,
        {"a": ["x", "y"], "n": ["1", "2"]},
        {"a": ["x", "x", "", "", "y"], "n": ["1", "2", "2", "", ""]},
        {"fields": ["a", "n"], "reference": {"resource": "parent", "fields": ["a", "n"]}},
    )
    assert _run(integrity.foreign_keys, package) == [
        error(
            "foreign-key",
            "data/child.csv",
            'for "a, n": values "x, 2" not found in the lookup table "parent" as "a, n"',
            row=3,
            field="a,n",
            value="x, 2",
        ),
        error(
            "foreign-key",
            "data/child.csv",
            'for "a, n": values ", 2" not found in the lookup table "parent" as "a, n"',
            row=4,
            field="a,n",
            value=", 2",
        ),
        error(
            "foreign-key",
            "data/child.csv",
            'for "a, n": values "y, " not found in the lookup table "parent" as "a, n"',
            row=6,
            field="a,n",
            value="y, ",
        ),
    ]


def test_a_typed_foreign_key_compares_values_not_spellings(tmp_path):
    key = {"fields": ["n"], "reference": {"resource": "parent", "fields": ["n"]}}
    package = _two_tables(tmp_path, {"n": ["1", "2"]}, {"n": ["01", "2", "", "3"]}, key, {"n": "integer"})
    assert [(p.row, p.value) for p in _run(integrity.foreign_keys, package)] == [
        (5, "3")
    ]  # "01" is 1, as frictionless reads it
    # A column with a cell not of its type stays as written (frictionless reports that cell): "01" is then not "1".
    untyped = _two_tables(tmp_path, {"n": ["1", "2"]}, {"n": ["01", "2", "x1"]}, key, {"n": "integer"})
    assert [(p.row, p.value) for p in _run(integrity.foreign_keys, untyped)] == [(2, "01"), (4, "x1")]


def test_a_foreign_key_named_by_strings_and_one_to_its_own_table(tmp_path):
    package = _two_tables(
        tmp_path,
        {"code": ["x"]},
        {"code": ["x", "z"]},
        {"fields": "code", "reference": {"resource": "parent", "fields": "code"}},
    )
    assert [(p.row, p.field, p.value) for p in _run(integrity.foreign_keys, package)] == [
        (3, "code", "z")
    ]  # a name, never its letters
    itself = _two_tables(
        tmp_path,
        {"a": ["x"]},
        {"id": ["p", "q"], "a": ["q", "r"]},
        {"fields": ["a"], "reference": {"resource": "", "fields": ["id"]}},
    )
    assert [(p.file, p.row, p.value) for p in _run(integrity.foreign_keys, itself)] == [("data/child.csv", 3, "r")]


def test_unique_keys_of_many_columns_never_confuse_two_keys(tmp_path):
    from scripts.checks.package import TableFile

    # Codes of 3 columns of 40 distinct values each: a product past 40**3, renumbered column by column.
    values = [f"v{n}" for n in range(40)]
    cells = pa.table({"a": values * 2, "b": values[::-1] * 2, "c": values + values[1:] + values[:1]})
    schema = {"fields": [{"name": name, "type": "string"} for name in "abc"], "uniqueKeys": [["a", "b", "c"]]}
    package = LoadedPackage(
        tmp_path,
        tmp_path / "datapackage.json",
        {"resources": []},
        {"t": TableFile({"name": "t", "path": "data/t.csv"}, schema, cells)},
    )
    assert _run(integrity.unique_keys, package) == []
    shared = cells.set_column(2, "c", pa.array(values * 2))
    package.tables["t"] = dataclasses.replace(package.tables["t"], cells=shared)
    found = _run(integrity.unique_keys, package)
    assert len(found) == 10 and found[0].value == "('v0', 'v39', 'v0')" and found[0].message.endswith("2 rows share it")


def test_a_span_whose_text_has_the_same_length_but_other_letters_is_reported(clean):
    text = clean.tables["clauses"].cells["text"][3].as_py()
    swapped = text[:-2] + text[-1] + text[-2]  # the same characters, the last two swapped: the same bytes long
    found = _run(integrity.sources_and_spans, _with_cell(clean, "clauses", "text", 3, swapped))
    assert [(p.rule, p.row, p.field, p.value) for p in found] == [("span", 5, "text", swapped[:60])]


def test_annotation_subjects_check_every_annotation_past_one_of_a_table_the_package_lacks(clean):
    tables = clean.tables["annotations"].cells["subject_table"].to_pylist()
    changed = _with_column(clean, "annotations", "subject_table", ["nothing", *tables[1:]])
    changed = _with_cell(changed, "annotations", "subject_id", len(tables) - 1, "missing")
    found = _run(integrity.annotation_subjects, changed)
    assert [(p.rule, p.row, p.value) for p in found] == [("annotation-subject", len(tables) + 1, "missing")]


def test_a_stated_count_with_no_rows_at_all_is_reported_as_zero(clean):
    for name in ("acts", "clauses"):
        emptied = _changed(clean)
        emptied.tables[name] = dataclasses.replace(emptied.tables[name], cells=emptied.tables[name].cells.slice(0, 0))
        found = _run(integrity.counts, emptied)
        if name == "acts":
            assert found == [
                error(
                    "coded",
                    "data/agreements.csv",
                    f"is_coded is true, but acts has 0 rows for {AGREEMENT_ID}",
                    row=2,
                    field="is_coded",
                    value="true",
                )
            ]
        else:
            assert found == [
                error(
                    "count",
                    "data/agreements.csv",
                    f"clause_count is 10, but clauses has 0 rows for {AGREEMENT_ID}",
                    row=2,
                    field="clause_count",
                    value="10",
                )
            ]
    uncoded = _changed(clean)
    cells = uncoded.tables["agreements"].cells
    uncoded.tables["agreements"] = dataclasses.replace(
        uncoded.tables["agreements"], cells=cells.drop_columns(["is_coded"])
    )
    assert _run(integrity.counts, uncoded) == []  # agreements from before is_coded: nothing to compare


def test_exactly_ten_problems_have_no_line_of_how_many_more(clean):
    ten = _with_column(clean, "signatories", "country_code", ["ZZ"] * 10 + [""] * 13)
    assert [p.row for p in _run(integrity.foreign_keys, ten)] == list(range(2, 12))


def test_each_check_goes_on_past_a_table_it_cannot_read(clean):
    tables = list(clean.csv_tables)
    first = tables[0]
    vanished = _with_bytes(
        _with_bytes(clean, f"data/{first}.csv", None),
        "data/countries.csv",
        b"\xef\xbb\xbf" + _raw(clean, "data/countries.csv"),
    )
    assert [(p.rule, p.file) for p in _run(integrity.csv_dialect, vanished)] == [("bom", "data/countries.csv")]
    unreadable = _with_cell(clean, "signatories", "country_code", 0, "ZZ")
    unreadable.tables["agreements"] = dataclasses.replace(unreadable.tables["agreements"], cells=None)
    assert [(p.file, p.value) for p in _run(integrity.foreign_keys, unreadable)] == [("data/signatories.csv", "ZZ")]


def test_spans_of_every_table_are_checked_past_tables_without_spans(clean):
    text = clean.tables["act_actors"].cells["mention_text"][0].as_py()
    found = _run(integrity.sources_and_spans, _with_cell(clean, "act_actors", "mention_text", 0, text + "x"))
    assert [(p.rule, p.file, p.row, p.field) for p in found] == [("span", "data/act_actors.csv", 2, "mention_text")]


def test_a_path_that_leaves_the_package_is_never_read(clean, tmp_path):
    import shutil

    root = tmp_path / "package"
    shutil.copytree(clean.root, root)
    (tmp_path / "outside.txt").write_bytes(b"outside the package")
    moved = _changed(clean, root=root, descriptor_path=root / "datapackage.json")
    _resource(moved, f"source-{AGREEMENT_ID}").update(path="../outside.txt", hash="sha256:" + "0" * 64, bytes=1)
    assert _run(integrity.declared_integrity, moved) == []
    outside = _with_cell(moved, "agreements", "source_path", 0, "../outside.txt")
    assert [(p.rule, p.value) for p in _run(integrity.sources_and_spans, outside)] == [("source", "../outside.txt")]


def test_a_foreign_key_of_two_fields_to_a_missing_table_names_both(tmp_path):
    package = _two_tables(
        tmp_path,
        {"a": ["x"]},
        {"a": ["x"], "n": ["1"]},
        {"fields": ["a", "n"], "reference": {"resource": "nothing", "fields": ["a", "n"]}},
    )
    assert [(p.field, p.message) for p in _run(integrity.foreign_keys, package)] == [
        ("a,n", "its foreign key ['a', 'n'] references the table 'nothing', which the package does not have")
    ]


def test_parquet_checks_go_on_past_a_table_whose_columns_or_types_differ(clean, tmp_path):
    moved = _with_parquet_copies(clean, tmp_path)
    order = [name.removesuffix("-parquet") for name, table in clean.tables.items() if not table.is_csv]
    first, last = order[0], order[-1]
    table = pq.read_table(tmp_path / "data" / f"{first}.parquet")
    pq.write_table(table.drop_columns([table.column_names[-1]]), tmp_path / "data" / f"{first}.parquet")
    other = pq.read_table(tmp_path / "data" / f"{last}.parquet")
    column = next(f["name"] for f in clean.tables[f"{last}-parquet"].schema["fields"] if f["type"] == "string")
    index = other.column_names.index(column)
    pq.write_table(
        other.set_column(index, column, pa.array(["changed", *other[column].to_pylist()[1:]], pa.string())),
        tmp_path / "data" / f"{last}.parquet",
    )
    assert [(p.file, p.field) for p in _run(integrity.parquet_matches_csv, moved)] == [
        (f"data/{first}.parquet", None),
        (f"data/{last}.parquet", column),
    ]
    typed = pq.read_table(clean.root / "data" / f"{first}.parquet")
    integer = next(f["name"] for f in clean.tables[f"{first}-parquet"].schema["fields"] if f["type"] == "integer")
    pq.write_table(
        typed.set_column(
            typed.column_names.index(integer), integer, pa.array([str(v) for v in typed[integer].to_pylist()])
        ),
        tmp_path / "data" / f"{first}.parquet",
    )
    assert [(p.file, p.field) for p in _run(integrity.parquet_matches_csv, moved)] == [
        (f"data/{first}.parquet", integer),
        (f"data/{last}.parquet", column),
    ]


def test_sources_are_checked_agreement_by_agreement_past_a_missing_or_changed_one(clean):
    """A corpus of three agreements in memory: the real one, and two more rows of agreements
    naming sources of their own."""
    document = _raw(clean, DOCUMENT)
    cells = clean.tables["agreements"].cells
    rows = cells.to_pylist()
    more = [
        {
            **rows[0],
            "agreement_id": f"second-{n}",
            "source_path": f"data/source/second-{n}/document.txt",
            "source_sha256": hashlib.sha256(document + b"%d" % n).hexdigest(),
        }
        for n in (1, 2)
    ]  # the document again: its spans hold
    corpus = _changed(clean)
    corpus.tables["agreements"] = dataclasses.replace(
        corpus.tables["agreements"], cells=pa.Table.from_pylist(rows + more, schema=cells.schema)
    )
    corpus.replaced.update(
        {"data/source/second-1/document.txt": document + b"1", "data/source/second-2/document.txt": document + b"2"}
    )
    assert _run(integrity.sources_and_spans, corpus) == []
    missing_first = _with_bytes(corpus, DOCUMENT, None)
    missing_first.replaced["data/source/second-2/document.txt"] = b"changed"
    assert [(p.rule, p.file) for p in _run(integrity.sources_and_spans, missing_first)] == [
        ("source", "data/agreements.csv"),
        ("source-hash", "data/source/second-2/document.txt"),
    ]
    changed_first = _with_bytes(corpus, DOCUMENT, document.replace(b"Istanbul", b"Ankara", 1))
    changed_first.replaced["data/source/second-2/document.txt"] = None
    assert [(p.rule, p.file) for p in _run(integrity.sources_and_spans, changed_first)] == [
        ("source-hash", DOCUMENT),
        ("source", "data/agreements.csv"),
    ]


def test_a_composite_typed_key_with_an_empty_field_matches_only_its_own_values(tmp_path):
    key = {"fields": ["a", "n"], "reference": {"resource": "parent", "fields": ["a", "n"]}}
    package = _two_tables(
        tmp_path, {"a": ["y", "x"], "n": ["", "1"]}, {"a": ["y", "z", "x"], "n": ["", "", "01"]}, key, {"n": "integer"}
    )
    assert [(p.row, p.value) for p in _run(integrity.foreign_keys, package)] == [
        (3, "z, ")
    ]  # ("z", empty) is no ("y", empty)


def test_a_span_is_reported_when_its_text_sits_at_its_start_but_its_end_is_wrong(clean):
    source = _raw(clean, DOCUMENT).decode("utf-8")
    text = source[
        4:40
    ]  # 36 ASCII characters of the source, from character 4 on, recorded as the span 4..32: 4 + 32 is 36
    assert text.isascii()
    changed = _with_cell(
        _with_cell(_with_cell(clean, "agreements", "heading", 0, text), "agreements", "heading_char_start", 0, "4"),
        "agreements",
        "heading_char_end",
        0,
        "32",
    )
    assert [(p.rule, p.field, p.message.split(" ", 1)[0]) for p in _run(integrity.sources_and_spans, changed)] == [
        ("span", "heading", "source[4:32]")
    ]


def test_parquet_checks_go_on_past_a_table_whose_csv_twin_cannot_be_read(clean, tmp_path):
    moved = _with_parquet_copies(clean, tmp_path)
    order = [name.removesuffix("-parquet") for name, table in clean.tables.items() if not table.is_csv]
    moved.tables[order[0]] = dataclasses.replace(
        moved.tables[order[0]], cells=None
    )  # its CSV could not be read: csv_dialect says why
    last = order[-1]
    other = pq.read_table(tmp_path / "data" / f"{last}.parquet")
    column = next(f["name"] for f in clean.tables[f"{last}-parquet"].schema["fields"] if f["type"] == "string")
    index = other.column_names.index(column)
    pq.write_table(
        other.set_column(index, column, pa.array(["changed", *other[column].to_pylist()[1:]], pa.string())),
        tmp_path / "data" / f"{last}.parquet",
    )
    assert [(p.file, p.field) for p in _run(integrity.parquet_matches_csv, moved)] == [(f"data/{last}.parquet", column)]
