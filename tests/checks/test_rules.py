"""Every rule the release gate and `validate` refuse by, proven by name: each corruption of a copy of a release makes
its rule fire at the place it names, and the clean release fires none of them.

The gate is `validate_package(frictionless_scope="tables")`, which `make release` runs; `validate` is
`validate_package()`, which users run. Both run the project's checks; they differ in who proves the CSV files'
hash and bytes and the foreign keys (the project's checks in the gate, frictionless in `validate`). A project rule
is tried with the project's checks alone, in both settings; a frictionless rule through the entry point itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts.errors import Problem
from scripts.inputs.project import Project
from scripts.checks.validate import project_problems, validate_package
from conftest import AGREEMENT_ID, ROOT, SOURCE_DIR, edit_schema, schema_field
from test_corruption_matrix import _edit_bytes as _bytes, _edit_descriptor as _descriptor, _edit_text as _text

DOCUMENT = f"{SOURCE_DIR.as_posix()}/document.txt"
GATE, VALIDATE = "gate", "validate"


@dataclass(frozen=True)
class Rule:
    """A corruption, and where the rule it breaks must be reported."""

    corrupt: object  # (folder) -> None
    rule: str
    file: str
    row: int | None = None
    field: str | None = None
    value: str | None = None
    scopes: tuple[str, ...] = (GATE, VALIDATE)

    def found_in(self, problems: list[Problem]) -> list[Problem]:
        return [
            p
            for p in problems
            if p.rule == self.rule
            and p.severity == "error"
            and p.file == self.file
            and (self.row is None or p.row == self.row)
            and (self.field is None or p.field == self.field)
            and (self.value is None or p.value == self.value)
        ]


def _resource(name: str, **values):
    return _descriptor(lambda d: next(r for r in d["resources"] if r["name"] == name).update(values))


def _remove(relative: str):
    return lambda folder: (folder / relative).unlink()


def _parquet(table: str, change):
    def corrupt(folder: Path) -> None:
        path = folder / "data" / f"{table}.parquet"
        pq.write_table(change(pq.read_table(path)), path)

    return corrupt


def _column(name: str, values):
    def change(table: pa.Table) -> pa.Table:
        array = pa.array(values(table[name].to_pylist()))
        return table.set_column(table.column_names.index(name), pa.field(name, array.type), array)

    return change


def _both(*corruptions):
    def corrupt(folder: Path) -> None:
        for corruption in corruptions:
            corruption(folder)

    return corrupt


def _recorded_sha256(folder: Path) -> None:
    """agreements records the document's current sha256, as a curator who changed it on purpose would."""
    path = folder / "data" / "agreements.csv"
    recorded = re.search(rb"\b[0-9a-f]{64}\b", path.read_bytes().split(b"\n")[1]).group()
    path.write_bytes(
        path.read_bytes().replace(recorded, hashlib.sha256((folder / DOCUMENT).read_bytes()).hexdigest().encode(), 1)
    )


def _append_cells(raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    lines[2] += b",one too many"
    return b"\n".join(lines)


# Each rule of the project's checks (scripts/checks/integrity.py, scripts/checks/package.py): the
# corruption, the rule, and where.
PROJECT_RULES = {
    "descriptor is not JSON": Rule(_bytes("datapackage.json", lambda raw: raw[:-40]), "descriptor", "datapackage.json"),
    "descriptor has no resources list": Rule(
        _descriptor(lambda d: d.update(resources={})), "descriptor", "datapackage.json"
    ),
    "resource path leaves the package": Rule(
        _resource("clauses", path="../clauses.csv"), "unsafe-path", "datapackage.json", value="../clauses.csv"
    ),
    "schema path is absolute": Rule(
        _resource("clauses", schema="/etc/passwd"), "unsafe-path", "datapackage.json", value="/etc/passwd"
    ),
    "described file is missing": Rule(_remove("data/clauses.csv"), "missing-file", "data/clauses.csv"),
    "schema is missing": Rule(_remove("schemas/countries.json"), "schema", "schemas/countries.json"),
    "schema is not JSON": Rule(
        _bytes("schemas/countries.json", lambda raw: raw[:-5]), "schema", "schemas/countries.json"
    ),
    "descriptor breaks the v2 profile": Rule(
        _descriptor(lambda d: d.update(keywords="one keyword")), "profile", "datapackage.json"
    ),
    "empty CSV": Rule(_bytes("data/countries.csv", lambda raw: b""), "empty-file", "data/countries.csv"),
    "byte-order mark": Rule(
        _bytes("data/clauses.csv", lambda raw: b"\xef\xbb\xbf" + raw), "bom", "data/clauses.csv", row=1
    ),
    "not UTF-8": Rule(
        _bytes("data/signatories.csv", lambda raw: raw.replace("Women\u2019s".encode(), b"Women\x92s", 1)),
        "encoding",
        "data/signatories.csv",
        row=17,
    ),
    "not UTF-8 in the header": Rule(
        _bytes("data/countries.csv", lambda raw: raw.replace(b"alpha_3", b"alpha\xff3", 1)),
        "encoding",
        "data/countries.csv",
        row=1,
    ),
    "CR line endings": Rule(
        _bytes("data/countries.csv", lambda raw: raw.replace(b"\nGB,", b"\r\nGB,")),
        "line-endings",
        "data/countries.csv",
        row=7,
    ),
    "no final newline": Rule(
        _bytes("data/countries.csv", lambda raw: raw[:-1]), "final-newline", "data/countries.csv", row=15
    ),
    "header differs from the schema": Rule(
        _text("data/countries.csv", "country_code,alpha_3", "alpha_3,country_code"),
        "header",
        "data/countries.csv",
        row=1,
    ),
    "a row with too many cells": Rule(_bytes("data/countries.csv", _append_cells), "csv-parse", "data/countries.csv"),
    "undescribed data file": Rule(
        lambda folder: (folder / "data" / "extra.csv").write_bytes(b"a\n1\n"),
        "undescribed-file",
        "data/extra.csv",
        value="data/extra.csv",
    ),
    "CSV bytes differ from the descriptor": Rule(
        _resource("clauses", bytes=7), "bytes", "data/clauses.csv", field="bytes", value="7", scopes=(GATE,)
    ),
    "CSV hash differs from the descriptor": Rule(
        _resource("clauses", hash="sha256:" + "0" * 64), "hash", "data/clauses.csv", field="hash", scopes=(GATE,)
    ),
    "Parquet hash differs from the descriptor": Rule(
        _resource("signatories-parquet", hash="sha256:" + "0" * 64), "hash", "data/signatories.parquet", field="hash"
    ),
    "Parquet bytes differ from the descriptor": Rule(
        _resource("signatories-parquet", bytes=1), "bytes", "data/signatories.parquet", field="bytes", value="1"
    ),
    "source bytes differ from the descriptor": Rule(
        _resource(f"source-{AGREEMENT_ID}", bytes=2), "bytes", DOCUMENT, field="bytes", value="2", scopes=(GATE,)
    ),
    "version differs from the changelog": Rule(
        _descriptor(lambda d: d.update(version="9.9.9")), "version", "datapackage.json", field="version", value="9.9.9"
    ),
    "two rows share a unique key": Rule(
        _text("data/clauses.csv", f"-c02,{AGREEMENT_ID},2,", f"-c02,{AGREEMENT_ID},1,"),
        "unique-key",
        "data/clauses.csv",
        field="agreement_id,clause_number",
    ),
    "foreign key not in its table": Rule(
        _text("data/signatories.csv", ",Malaysia,MY,", ",Malaysia,ZZ,"),
        "foreign-key",
        "data/signatories.csv",
        row=2,
        field="country_code",
        value="ZZ",
        scopes=(GATE,),
    ),
    "foreign key to a table the package lacks": Rule(
        _descriptor(lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "countries"])),
        "foreign-key",
        "data/signatories.csv",
        field="country_code",
        scopes=(GATE,),
    ),
    "value outside its categories": Rule(
        edit_schema("annotations", lambda s: schema_field(s, "kind").update(categories=["discrepancy", "context"])),
        "category",
        "data/annotations.csv",
        row=2,
        field="kind",
        value="capture-artifact",
    ),
    "formula cell": Rule(
        _text(
            "data/signatories.csv",
            ",Global Peace Mission,Global Peace Mission,",
            ',Global Peace Mission,=HYPERLINK("x"),',
        ),
        "formula-cell",
        "data/signatories.csv",
        row=3,
        field="name",
        value='=HYPERLINK("x")',
    ),
    "cell pandas reads as missing": Rule(
        _text("data/signatories.csv", ",ABIM,", ",NA,"),
        "pandas-missing",
        "data/signatories.csv",
        row=2,
        field="acronym",
        value="NA",
    ),
    "source document missing": Rule(
        _remove(DOCUMENT), "source", "data/agreements.csv", field="source_path", value=DOCUMENT
    ),
    "source document changed": Rule(
        _text(DOCUMENT, "Istanbul", "Ankara"), "source-hash", DOCUMENT, field="source_sha256"
    ),
    "source document not UTF-8": Rule(
        _both(_bytes(DOCUMENT, lambda raw: raw.replace(b"Istanbul", b"Istanbul\xff", 1)), _recorded_sha256),
        "source-encoding",
        DOCUMENT,
        field="source_path",
    ),
    "span does not give its text": Rule(
        _text("data/clauses.csv", "the ongoing genocide", "the ongoing genocides"),
        "span",
        "data/clauses.csv",
        row=2,
        field="text",
    ),
    "span outside the source": Rule(
        _text("data/clauses.csv", ",false,165,313", ",false,165,99999"), "span", "data/clauses.csv", row=2, field="text"
    ),
    "stated count differs from the rows": Rule(
        _text("data/agreements.csv", ",10,23,", ",10,24,"),
        "count",
        "data/agreements.csv",
        row=2,
        field="signatory_count",
        value="24",
    ),
    "coded agreement without acts": Rule(
        _text("data/agreements.csv", ",true\n", ",false\n"),
        "coded",
        "data/agreements.csv",
        row=2,
        field="is_coded",
        value="false",
    ),
    "undocumented country discrepancy": Rule(
        _bytes(
            "data/annotations.csv",
            lambda raw: b"".join(
                line for line in raw.splitlines(keepends=True) if b",discrepancy,countries,DE," not in line
            ),
        ),
        "discrepancy",
        "data/agreement_countries.csv",
        field="country_code",
        value="DE",
    ),
    "documented discrepancy that is none": Rule(
        _text("data/annotations.csv", ",discrepancy,countries,DE,", ",discrepancy,countries,GB,"),
        "stale-discrepancy",
        "data/annotations.csv",
        field="subject_id",
        value="GB",
    ),
    "annotation of nothing": Rule(
        _text(
            "data/annotations.csv",
            f",capture-artifact,agreements,{AGREEMENT_ID},",
            ",capture-artifact,agreements,nothing,",
        ),
        "annotation-subject",
        "data/annotations.csv",
        row=2,
        field="subject_id",
        value="nothing",
    ),
    "Parquet columns differ": Rule(
        _parquet("countries", lambda t: t.drop_columns(["name"])), "parquet", "data/countries.parquet"
    ),
    "Parquet type differs": Rule(
        _parquet("signatories", _column("list_number", lambda v: [str(x) for x in v])),
        "parquet",
        "data/signatories.parquet",
        field="list_number",
    ),
    "Parquet values differ": Rule(
        _parquet("signatories", _column("name", lambda v: ["Someone Else", *v[1:]])),
        "parquet",
        "data/signatories.parquet",
        field="name",
    ),
    "not Parquet": Rule(_bytes("data/clauses.parquet", lambda raw: b"not parquet"), "parquet", "data/clauses.parquet"),
}

# Rules that frictionless itself reports, as the project relays them: the gate gives it the CSV tables.
FRICTIONLESS_RULES = {
    "cell of the wrong type": Rule(
        _text("data/clauses.csv", f"{AGREEMENT_ID},3,", f"{AGREEMENT_ID},three,"),
        "frictionless:type-error",
        "data/clauses.csv",
        row=4,
        field="clause_number",
        value="three",
    ),
    "enum violation": Rule(
        _text("data/annotations.csv", ",context,", ",contxt,"),
        "frictionless:constraint-error",
        "data/annotations.csv",
        row=4,
        field="kind",
        value="contxt",
    ),
    "pattern violation": Rule(
        _text("data/countries.csv", "DE,DEU,", "DE,DEUX,"),
        "frictionless:constraint-error",
        "data/countries.csv",
        row=6,
        field="alpha_3",
        value="DEUX",
    ),
    "required cell empty": Rule(
        _text("data/countries.csv", "DE,DEU,Germany,", "DE,DEU,,"),
        "frictionless:constraint-error",
        "data/countries.csv",
        row=6,
        field="name",
    ),
    "unique cell repeated": Rule(
        _text("data/countries.csv", "GB,GBR,", "GB,DEU,"),
        "frictionless:unique-error",
        "data/countries.csv",
        row=8,
        field="alpha_3",
        value="DEU",
    ),
    "primary key repeated": Rule(
        _bytes("data/countries.csv", lambda raw: raw + raw.splitlines(keepends=True)[-1]),
        "frictionless:primary-key",
        "data/countries.csv",
        row=16,
    ),
    "descriptor frictionless cannot read": Rule(
        _resource("agreements", dialect={"delimiter": 5}), "frictionless", "datapackage.json"
    ),
}

# What `validate` leaves to frictionless alone, where the gate has the project's checks prove
# it: one copy broken three ways.
VALIDATE_ONLY = {
    "foreign key not in its table": Rule(None, "frictionless:foreign-key", "data/signatories.csv", row=2),
    "CSV hash differs from the descriptor": Rule(None, "frictionless:hash-count", "data/signatories.csv"),
    "CSV bytes differ from the descriptor": Rule(None, "frictionless:byte-count", "data/clauses.csv"),
}


def _copy(released_folder: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "release"
    shutil.copytree(released_folder, folder)
    return folder


@pytest.fixture(scope="session")
def clean_problems(released_folder, tmp_path_factory) -> dict[str, list[Problem]]:
    """What each scope finds in the clean release: the project's checks in both settings, and
    the gate with frictionless (in a copy: the gate writes its descriptor beside the one it is given, and other
    workers copy the shared release)."""
    descriptor = _copy(released_folder, tmp_path_factory.mktemp("clean")) / "datapackage.json"
    return {
        GATE: project_problems(descriptor, frictionless_checks_integrity=False),
        VALIDATE: project_problems(descriptor, frictionless_checks_integrity=True),
        "frictionless": validate_package(descriptor, frictionless_scope="tables").problems,
    }


@pytest.mark.parametrize("case", sorted(PROJECT_RULES))
def test_a_project_rule_fires_by_name_where_it_is_broken(released_folder, tmp_path, clean_problems, case):
    expected = PROJECT_RULES[case]
    folder = _copy(released_folder, tmp_path)
    expected.corrupt(folder)
    # Only these rules read the setting (checks.declared_integrity and checks.foreign_keys): the
    # others are the same code in both.
    for scope in (GATE, VALIDATE) if expected.rule in ("hash", "bytes", "foreign-key") else expected.scopes[:1]:
        found = project_problems(folder / "datapackage.json", frictionless_checks_integrity=scope == VALIDATE)
        shown = "\n".join(map(str, found))
        if scope in expected.scopes:
            assert expected.found_in(found), (
                f"{scope}: no [{expected.rule}] at {expected.file} row {expected.row} field {expected.field}; "
                f"found:\n{shown}"
            )
        else:
            assert not expected.found_in(found), (
                f"{scope} should leave [{expected.rule}] to frictionless; found:\n{shown}"
            )
        assert not [p for p in clean_problems[scope] if p.rule == expected.rule and p.severity == "error"], (
            f"the clean release fires [{expected.rule}]"
        )


@pytest.mark.parametrize("case", sorted(FRICTIONLESS_RULES))
def test_a_frictionless_rule_of_the_gate_fires_by_name_where_it_is_broken(
    released_folder, tmp_path, clean_problems, case
):
    expected = FRICTIONLESS_RULES[case]
    folder = _copy(released_folder, tmp_path)
    expected.corrupt(folder)
    report = validate_package(folder / "datapackage.json", frictionless_scope="tables")
    assert not report.ok
    found = expected.found_in(report.problems)
    assert found, "\n".join(map(str, report.problems))
    if expected.rule != "frictionless":  # a row's error names the schema that declares the rule it breaks
        assert found[0].message.endswith(f"(the rule is declared in schemas/{Path(expected.file).stem}.json)"), found[
            0
        ].message
    assert not [p for p in clean_problems["frictionless"] if p.rule == expected.rule]
    assert not list(folder.glob(".gate-*.json")), "the gate's descriptor is left behind"


def test_validate_has_frictionless_prove_what_the_gate_has_the_project_prove(released_folder, tmp_path):
    folder = _copy(released_folder, tmp_path)
    PROJECT_RULES["foreign key not in its table"].corrupt(folder)
    PROJECT_RULES["CSV bytes differ from the descriptor"].corrupt(folder)
    report = validate_package(folder / "datapackage.json")
    shown = "\n".join(map(str, report.problems))
    for case, expected in VALIDATE_ONLY.items():
        assert expected.found_in(report.problems), f"{case}: no [{expected.rule}] at {expected.file}:\n{shown}"
    (byte_count,) = [p for p in report.problems if p.rule == "frictionless:byte-count"]
    assert byte_count.message == 'expected is "7" and actual is "2814"'  # not a rule of a schema: no schema named
    # The project's own proof of the same is left out of validate, so each problem is reported once.
    assert not [p for p in report.problems if p.rule in ("foreign-key", "hash", "bytes")], shown


def test_the_clean_release_has_no_error_and_only_the_documented_discrepancy_as_a_warning(clean_problems):
    for scope, problems in clean_problems.items():
        assert [(p.severity, p.rule, p.file, p.value) for p in problems] == [
            ("warning", "known-discrepancy", "data/agreement_countries.csv", "DE")
        ], scope


def test_a_file_that_differs_from_a_fresh_build_is_stale_at_its_first_differing_line(package):
    from scripts.release.build import stale_files

    assert stale_files(Project(package)) == []
    path = package / "data" / "annotations.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"The", b"the", 1)
    path.write_bytes(b"\n".join(lines))
    assert [(p.rule, p.file, p.row) for p in stale_files(Project(package))] == [("stale", "data/annotations.csv", 4)]


def test_every_rule_the_checks_can_report_has_a_case_here():
    """A rule added to the checks without a case here fails this test, naming it."""
    sources = "".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "scripts").rglob("*.py")))
    reported = set(re.findall(r'\berror\("([a-z0-9-]+)"', sources)) | set(
        re.findall(r'_cell_rule\(package, "([a-z0-9-]+)"', sources)
    )
    covered = {case.rule for case in [*PROJECT_RULES.values(), *FRICTIONLESS_RULES.values()]} | {"stale"}
    assert reported - covered == set()
    assert len(reported) >= 30


def test_the_gate_reports_a_dangling_foreign_key_once_by_the_projects_rule(released_folder, tmp_path):
    """The gate gives frictionless each table's schema without its foreign keys, which the project's checks prove."""
    folder = _copy(released_folder, tmp_path)
    PROJECT_RULES["foreign key not in its table"].corrupt(folder)
    report = validate_package(folder / "datapackage.json", frictionless_scope="tables")
    assert [(p.rule, p.file, p.row) for p in report.errors if "foreign-key" in p.rule] == [
        ("foreign-key", "data/signatories.csv", 2)
    ]


def test_a_report_renders_its_errors_then_its_warnings_one_a_line():
    from scripts.errors import error, warning
    from scripts.errors import Report

    report = Report(
        [
            warning("known-discrepancy", "a.csv", "documented", field="x"),
            error("header", "b.csv", "wrong", row=1),
            error("bom", "b.csv", "a mark", row=1),
        ]
    )
    assert report.render() == (
        "2 error(s):\n  ERROR b.csv, row 1: [header] wrong\n  ERROR b.csv, row 1: [bom] a mark\n"
        "1 warning(s), which do not fail validation:\n  WARNING a.csv, field x: [known-discrepancy] documented"
    )
    assert Report([]).render() == "" and Report([]).ok and not report.ok


def test_the_gate_gives_frictionless_the_csv_tables_alone_without_integrity_or_foreign_keys(released_folder, tmp_path):
    from scripts.checks.gate import gate_descriptor

    folder = _copy(released_folder, tmp_path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    path = gate_descriptor(folder, descriptor)
    assert path.parent == folder and path.name.startswith(".gate-")
    gated = json.loads(path.read_bytes())
    csv_tables = [r["name"] for r in descriptor["resources"] if r.get("type") == "table" and r.get("format") == "csv"]
    assert [r["name"] for r in gated["resources"]] == csv_tables and len(csv_tables) == len(
        Project().table_names
    ) + 1  # and the changes
    for resource in gated["resources"]:
        assert not {"hash", "bytes"} & set(resource), resource["name"]
        assert (
            resource["x-schema-path"]
            == next(r["schema"] for r in descriptor["resources"] if r["name"] == resource["name"])
            == f"schemas/{resource['name']}.json"
        )
        assert (
            isinstance(resource["schema"], dict)
            and "foreignKeys" not in resource["schema"]
            and resource["schema"]["fields"]
        )
    assert {key: value for key, value in gated.items() if key != "resources"} == {
        key: value for key, value in descriptor.items() if key != "resources"
    }


def test_a_rule_both_formats_of_a_table_break_is_reported_once_and_the_parquets_own_errors_too(
    released_folder, tmp_path
):
    """frictionless reads a Parquet twin with its CSV's schema: what both break is one error, at the CSV; what only
    the Parquet breaks is kept."""
    folder = _copy(released_folder, tmp_path)
    edit_schema("countries", lambda s: schema_field(s, "name")["constraints"].update(maxLength=7))(folder)
    _parquet(
        "countries", _column("name", lambda names: [name + "ee" if name == "T\u00fcrkiye" else name for name in names])
    )(folder)
    report = validate_package(folder / "datapackage.json")
    found = sorted((p.file, p.row, p.message) for p in report.errors if p.rule == "frictionless:constraint-error")
    declared = 'constraint "maxLength" is "7" (the rule is declared in schemas/countries.json)'
    # Seven of the names are over 7 characters in both formats; only the Parquet file's
    # T\u00fcrkiyeee breaks it, in row 14.
    assert found == [("data/countries.csv", row, declared) for row in (8, 9, 10, 11, 12, 13, 15)] + [
        ("data/countries.parquet", 14, declared)
    ]


def test_validate_without_frictionless_gives_the_project_checks_alone(released_folder):
    descriptor = released_folder / "datapackage.json"
    assert validate_package(descriptor, run_frictionless=False).problems == project_problems(descriptor, False)
