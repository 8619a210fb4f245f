"""The hand-written files the build rewrites a line of (pyproject.toml, README.md) are refused by name when they cannot
be read, and nothing is written."""

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
