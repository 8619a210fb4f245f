"""Each case corrupts a copy of the package: validate names the problem, release writes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scripts.inputs.project import Project
from conftest import ROOT, SOURCE_DIR, run, snapshot

pytestmark = pytest.mark.slow  # make check: every corruption, each on its own copy of a release


def _edit_text(relative: str, old: str, new: str, count: int = 1):
    def corrupt(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, count), encoding="utf-8", newline="\n")
    return corrupt


def _edit_bytes(relative: str, change):
    def corrupt(root: Path) -> None:
        path = root / relative
        path.write_bytes(change(path.read_bytes()))
    return corrupt


def _edit_descriptor(change):
    def corrupt(root: Path) -> None:
        path = root / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        change(descriptor)
        path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8", newline="\n")
    return corrupt


def _resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def _duplicate_last_line(raw: bytes) -> bytes:
    lines = raw.splitlines(keepends=True)
    return b"".join(lines + [lines[-1]])


def _swap_first_two_columns(raw: bytes) -> bytes:
    out = []
    for line in raw.decode().splitlines():
        cells = line.split(",")
        out.append(",".join([cells[1], cells[0], *cells[2:]]))
    return ("\n".join(out) + "\n").encode()


def _add_column(raw: bytes) -> bytes:
    lines = raw.decode().splitlines()
    return ("\n".join([lines[0] + ",extra"] + [line + ",x" for line in lines[1:]]) + "\n").encode()


def _add_file(relative: str, content: bytes):
    def corrupt(root: Path) -> None:
        (root / relative).write_bytes(content)
    return corrupt


def _remove(relative: str):
    def corrupt(root: Path) -> None:
        (root / relative).unlink()
    return corrupt


def _drop_discrepancy_note(raw: bytes) -> bytes:
    return b"".join(line for line in raw.splitlines(keepends=True) if b",discrepancy,countries,DE," not in line)


# case: (corruption, text that the validation report must hold)
CASES = {
    "coded agreement with no acts": (
        _edit_text("data/agreements.csv", ",163,true\n", ",163,false\n"),
        "[coded] is_coded is false, but acts has 13 rows for global-muslim-coalition-for-uyghurs-2022",
        "coded",
    ),
    "duplicated primary key": (
        _edit_bytes("data/countries.csv", _duplicate_last_line),
        "[frictionless:primary-key]",
        "frictionless:primary-key",
    ),
    "duplicated unique key": (
        _edit_text(
            "data/clauses.csv",
            "-c02,global-muslim-coalition-for-uyghurs-2022,2,",
            "-c02,global-muslim-coalition-for-uyghurs-2022,1,",
        ),
        "[unique-key] 2-field key ['agreement_id', 'clause_number'] is not unique",
        "unique-key",
    ),
    "dangling foreign key": (
        _edit_text("data/signatories.csv", ",Malaysia,MY,", ",Malaysia,ZZ,"),
        "[frictionless:foreign-key]",
        "foreign-key",
    ),
    "wrong type": (
        _edit_text("data/clauses.csv", '-2022,3,"We agree', '-2022,three,"We agree'),
        "[frictionless:type-error]",
        "frictionless:type-error",
    ),
    "enum violation": (
        _edit_text("data/annotations.csv", ",context,", ",contxt,"),
        'constraint "enum"',
        "frictionless:constraint-error",
    ),
    "pattern violation": (
        _edit_text("data/countries.csv", "DE,DEU,", "DE,DEUX,"),
        'constraint "pattern"',
        "frictionless:constraint-error",
    ),
    "missing data file": (_remove("data/clauses.csv"), "data/clauses.csv: [missing-file]", "missing-file"),
    "undescribed data file": (
        _add_file("data/extra.csv", b"a,b\n1,2\n"),
        "data/extra.csv: [undescribed-file]",
        "undescribed-file",
    ),
    "extra column": (_edit_bytes("data/countries.csv", _add_column), "data/countries.csv, row 1: [header]", "header"),
    "reordered columns": (
        _edit_bytes("data/countries.csv", _swap_first_two_columns),
        "data/countries.csv, row 1: [header]",
        "header",
    ),
    "BOM": (
        _edit_bytes("data/clauses.csv", lambda raw: b"\xef\xbb\xbf" + raw),
        "data/clauses.csv, row 1: [bom]",
        "bom",
    ),
    "CRLF line endings": (
        _edit_bytes("data/clauses.csv", lambda raw: raw.replace(b"\n", b"\r\n")),
        "data/clauses.csv, row 1: [line-endings]",
        "line-endings",
    ),
    "formula cell": (
        _edit_text(
            "data/signatories.csv",
            ",Global Peace Mission,Global Peace Mission,",
            ',Global Peace Mission,=HYPERLINK("x"),',
        ),
        "field name: [formula-cell]",
        "formula-cell",
    ),
    "NA cell": (
        _edit_text("data/signatories.csv", ",ABIM,", ",NA,"),
        "field acronym: [pandas-missing]",
        "pandas-missing",
    ),
    "hash mismatch in the descriptor": (
        _edit_descriptor(lambda d: _resource(d, "clauses").update(hash="sha256:" + "0" * 64)),
        "data/clauses.csv: [frictionless:hash-count]",
        "hash",
    ),
    "bytes mismatch in the descriptor": (
        _edit_descriptor(lambda d: _resource(d, "clauses").update(bytes=7)),
        "data/clauses.csv: [frictionless:byte-count]",
        "bytes",
    ),
    "unsafe path": (
        _edit_descriptor(lambda d: _resource(d, "clauses").update(path="../clauses.csv")),
        "[unsafe-path] resource 'clauses' has an unsafe path",
        "unsafe-path",
    ),
    "version differs from CHANGELOG": (
        _edit_descriptor(lambda d: d.update(version="9.9.9")),
        "[version] version '9.9.9' differs from the newest release heading of CHANGELOG.md, "
        f"'{Project().changelog_version()}'",
        "version",
    ),
    "truncated file": (
        _edit_bytes("data/signatories.csv", lambda raw: raw[: len(raw) // 2]),
        "data/signatories.csv, row 12: [final-newline] does not end with a newline: the file may be truncated",
        "final-newline",
    ),
    "non-UTF-8 bytes": (
        _edit_bytes("data/signatories.csv", lambda raw: raw.replace("Women\u2019s".encode(), b"Women\x92s")),
        "[encoding] not UTF-8: byte 0x92",
        "encoding",
    ),
    "empty file": (
        _edit_bytes("data/countries.csv", lambda raw: b""),
        "data/countries.csv: [empty-file]",
        "empty-file",
    ),
    "descriptor is not JSON": (
        _edit_bytes("datapackage.json", lambda raw: raw[:-40]),
        "datapackage.json: [descriptor] not valid JSON",
        "descriptor",
    ),
    "tampered source": (
        _edit_bytes(f"{SOURCE_DIR}/document.txt", lambda raw: raw.replace(b"Istanbul", b"Ankara")),
        "[source-hash]",
        "source-hash",
    ),
    "span does not reconstruct its text": (
        _edit_text("data/clauses.csv", "the ongoing genocide", "the ongoing genocides"),
        "[span] source[165:313] normalizes to",
        "span",
    ),
    "span outside the source": (
        _edit_text("data/clauses.csv", ",false,165,313", ",false,165,99999"),
        "[span] source[165:99999] lies outside the source, not to this text",
        "span",
    ),
    "count differs from rows": (
        _edit_text("data/agreements.csv", ",10,23,", ",10,24,"),
        "[count] signatory_count is 24, but signatories has 23 rows",
        "count",
    ),
    "undocumented discrepancy": (
        _edit_bytes("data/annotations.csv", _drop_discrepancy_note),
        "[discrepancy] DE is stated in the attestation",
        "discrepancy",
    ),
}


def test_the_matrix_has_at_least_twenty_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", sorted(CASES))
def test_corruption_fails_validation_by_name(reused_package, capsys, case):
    package = reused_package.fresh()
    corrupt, expected, _ = CASES[case]
    corrupt(package)
    code, out, err = run(package, "validate", capsys=capsys)
    assert code != 0
    assert expected in err, err[-3000:]
    assert "Traceback" not in err


# Through a whole release, one case of each family: the project's table checks, frictionless, the sources and spans, the
# descriptor (which keeps frictionless from running), the changelog. Every case's rule is proven at the gate itself
# (tests/checks/test_gate.py) and rule by rule (tests/checks/test_rules.py); these prove that the release
# runs the gate and writes nothing.
THROUGH_A_RELEASE = [
    "BOM",
    "dangling foreign key",
    "wrong type",
    "tampered source",
    "span does not reconstruct its text",
    "descriptor is not JSON",
    "undescribed data file",
    "version differs from CHANGELOG",
]


@pytest.mark.parametrize("case", THROUGH_A_RELEASE)
def test_the_release_gate_refuses_a_corrupted_release_by_name_and_writes_nothing(
    reused_package, capsys, monkeypatch, case
):
    """The corruption is made in the release being written, after its files and before its
    check: only the gate can stop it."""
    package = reused_package.fresh()
    corrupt, _, rule = CASES[case]
    import scripts.release.publish

    write_release_folder = scripts.release.publish.write_release_folder

    def write_then_corrupt(project, built, plan, change_rows, folder):
        write_release_folder(project, built, plan, change_rows, folder)
        corrupt(folder.path)

    monkeypatch.setattr(scripts.release.publish, "write_release_folder", write_then_corrupt)
    before = {name: snapshot(package / name) for name in ("data", "dist", "releases")}
    code, out, err = run(package, "release", capsys=capsys)
    assert code != 0, out
    assert f"[{rule}]" in err and "the release is invalid, so data/ and dist/ were left as they were" in err, err[
        -3000:
    ]
    assert "released" not in out
    assert {name: snapshot(package / name) for name in ("data", "dist", "releases")} == before
    assert snapshot(package / "dist") == {}


def test_release_refusal_keeps_the_previous_release(package, released_folder, capsys):
    # The previous release is the shared one, a release of the same unchanged package: copied, not made again.
    shutil.copytree(released_folder.parent, package / "dist", symlinks=True)
    previous = snapshot(package / "dist")
    assert previous
    CASES["tampered source"][0](package)
    code, _, err = run(package, "release", capsys=capsys)
    assert code != 0
    assert "document.txt: its bytes changed" in err
    assert snapshot(package / "dist") == previous


def _copy_of_the_release(released_folder: Path, tmp_path: Path) -> Path:
    """A copy of the shared release to corrupt (its descriptor), rather than a release made again for each test."""
    return shutil.copytree(released_folder, tmp_path / released_folder.name) / "datapackage.json"


def test_a_corrupted_released_descriptor_fails_validation(released_folder, tmp_path, capsys):
    released = _copy_of_the_release(released_folder, tmp_path)
    descriptor = json.loads(released.read_text(encoding="utf-8"))
    _resource(descriptor, "signatories-parquet")["hash"] = "sha256:" + "0" * 64
    _resource(descriptor, "clauses")["bytes"] = 1
    released.write_text(json.dumps(descriptor), encoding="utf-8", newline="\n")
    code, _, err = run(ROOT, "validate", str(released), capsys=capsys)
    assert code != 0
    assert (
        "data/signatories.parquet, field hash: [hash] the descriptor declares sha256:000" in err
    )  # frictionless ignores it
    assert 'data/clauses.csv: [frictionless:byte-count] expected is "1"' in err


def _rename_one_signatory(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    names = table["name"].to_pylist()
    names[4] = "Someone Else"
    pq.write_table(table.set_column(table.column_names.index("name"), "name", pa.array(names)), path)


def _drop_name_column(path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(pq.read_table(path).drop_columns(["name"]), path)


# A released Parquet file changed, with its new hash recorded: only the comparison with its CSV can tell.
PARQUET_CASES = {
    "values differ": (
        "signatories",
        _rename_one_signatory,
        "data/signatories.parquet, field name: [parquet] its values differ from data/signatories.csv",
    ),
    "not Parquet": (
        "clauses",
        lambda path: path.write_bytes(b"not parquet"),
        "data/clauses.parquet: [parquet] cannot be read as Parquet",
    ),
    "a column missing": (
        "countries",
        _drop_name_column,
        "data/countries.parquet: [parquet] its columns are ['country_code', 'alpha_3'",
    ),
}


@pytest.mark.parametrize("case", sorted(PARQUET_CASES))
def test_released_parquet_that_differs_from_its_csv_fails_validation(released_folder, tmp_path, capsys, case):
    import hashlib

    table, change, expected = PARQUET_CASES[case]
    released = _copy_of_the_release(released_folder, tmp_path)
    path = released.parent / "data" / f"{table}.parquet"
    change(path)
    descriptor = json.loads(released.read_text(encoding="utf-8"))
    _resource(descriptor, f"{table}-parquet")["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    released.write_text(json.dumps(descriptor), encoding="utf-8", newline="\n")

    code, _, err = run(ROOT, "validate", str(released), capsys=capsys)
    assert code != 0
    assert expected in err, err[-2000:]
