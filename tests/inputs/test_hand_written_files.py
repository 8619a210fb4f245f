"""The hand-written files the build rewrites a line of (pyproject.toml, README.md), and the schema of the table of
changes that the release reads, are refused by name when they cannot be read, and nothing is written."""

from __future__ import annotations

import pytest

from conftest import run, snapshot

BROKEN = {
    "pyproject.toml not UTF-8": ("pyproject.toml", b"[project]\nname = \"\xff\"\n", "error: pyproject.toml: not UTF-8"),
    "pyproject.toml not TOML": ("pyproject.toml", b"[project\n", "error: pyproject.toml: not TOML"),
    "README.md not UTF-8": ("README.md", b"# \xff\n", "error: README.md: not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_an_unreadable_hand_written_file_is_refused_by_name_and_nothing_is_written(reused_package, capsys, case):
    relative, content, first = BROKEN[case]
    package = reused_package.fresh()
    (package / relative).write_bytes(content)
    before = {name: snapshot(package / name) for name in ("data", "docs")}
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 1 and "unexpected" not in err and "Traceback" not in err, err
    assert next(line for line in err.splitlines() if line.startswith("error: ")).startswith(first) and "fix: " in err, (
        err
    )
    assert {name: snapshot(package / name) for name in ("data", "docs")} == before


def test_an_unreadable_schema_of_the_table_of_changes_stops_the_release_by_name_and_nothing_is_written(
    reused_package, capsys
):
    """The release alone reads schemas/release/changes.json, after the build: its refusal still leaves every folder."""
    package = reused_package.fresh()
    (package / "schemas" / "release" / "changes.json").write_text('{"fields": [}\n', encoding="utf-8", newline="\n")
    folders = ("data", "docs", "dist", "releases")
    before = {name: snapshot(package / name) for name in folders}
    code, _, err = run(package, "release", capsys=capsys)
    assert code == 1 and "unexpected" not in err and "Traceback" not in err, err
    first = next(line for line in err.splitlines() if line.startswith("error: "))
    assert first.startswith("error: schemas/release/changes.json, line 1, column 13: not valid JSON"), err
    assert "fix: " in err
    assert {name: snapshot(package / name) for name in folders} == before
    assert not list(package.glob(".dist-*")) and not list(package.glob(".staging*"))
