"""A bad source stops the build with a message naming the line, and leaves data/ untouched."""

from __future__ import annotations

import pytest

from conftest import SOURCE_DIR, replace_document, run, snapshot, source_text


def entry_line(number: int) -> int:
    """The 1-based line of list entry N in the real document."""
    lines = source_text().split("\n")
    return next(i for i, line in enumerate(lines, start=1) if line.lstrip().startswith(f"{number}. "))


ATTESTATION_LINE = next(i for i, line in enumerate(source_text().split("\n"), start=1) if line.startswith("Agreed "))


def _lines(edit):
    lines = source_text().split("\n")
    edit(lines)
    return "\n".join(lines)


def _set(number, text):
    def edit(lines):
        lines[entry_line(number) - 1] = text
    return edit


CASES = {
    "repeated entry": (
        _lines(_set(6, "  5. Pamong Asthabrata Foundation (PAMASTHA) \u2013 Indonesia")),
        f"line {entry_line(6)}",
        "list entry 5 is repeated (first at line",
    ),
    "skipped entry": (
        _lines(_set(6, "  7. Pamong Asthabrata Foundation (PAMASTHA) \u2013 Indonesia")),
        f"line {entry_line(6)}",
        "expected list entry 6, found entry 7: entries are skipped",
    ),
    "non-numbered entry": (
        _lines(_set(6, "  Pamong Asthabrata Foundation (PAMASTHA) \u2013 Indonesia")),
        f"line {entry_line(6)}",
        "expected numbered list entry 6",
    ),
    "entry with no name": (
        _lines(_set(6, "  6. \u2013 Indonesia")),
        f"line {entry_line(6)}",
        "list entry 6 has no name",
    ),
    "unknown country spelling": (
        _lines(_set(6, "  6. Pamong Asthabrata Foundation (PAMASTHA) \u2013 Atlantis")),
        f"line {entry_line(6)}",
        "unknown country spelling 'Atlantis'",
    ),
    "missing date line": (
        source_text().replace("January 30, 2022\n", ""),
        "line 7",
        "expected the date line, like 'January 30, 2022'",
    ),
    "unparseable date line": (
        source_text().replace("January 30, 2022", "Janvier 30, 2022"),
        "line 7",
        "found 'Janvier 30, 2022'",
    ),
    "missing attestation": (
        source_text().replace("Agreed 30 January 2022 by", "Signed 30 January 2022 by"),
        f"line {ATTESTATION_LINE}",
        "expected the attestation sentence",
    ),
    "attestation date differs": (
        source_text().replace("Agreed 30 January 2022", "Agreed 31 January 2022"),
        f"line {ATTESTATION_LINE}",
        "the attestation's date 2022-01-31 differs from the date line's 2022-01-30",
    ),
    "not UTF-8": (
        source_text().encode("utf-8").replace("Global Peace Mission".encode(), b"Global Peace Missi\xf3n"),
        f"line {entry_line(2)}",
        "not UTF-8: byte 0xf3",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_source_stops_the_build_and_writes_nothing(package, capsys, case):
    document, where, expected = CASES[case]
    replace_document(package, document)
    before = snapshot(package / "data")
    code, out, err = run(package, "build", capsys=capsys)
    assert code != 0
    assert f"document.txt, {where}: " in err
    assert expected in err
    assert "Traceback" not in err
    message = [line for line in err.splitlines() if not line.startswith("… ")]
    assert 1 <= len(message) <= 2, message  # what is wrong and where, then how to fix it
    assert snapshot(package / "data") == {**before}


def test_tampered_source_is_refused(package, capsys):
    document = package / SOURCE_DIR / "document.txt"
    document.write_bytes(document.read_bytes().replace(b"Istanbul", b"Ankara"))
    before = snapshot(package / "data")
    code, _, err = run(package, "build", capsys=capsys)
    assert code != 0
    assert "document.txt: its bytes changed: sha256 is" in err
    assert "records 9dfa11ac8508481f90f9e8c25ed85bd585d4a3900586a00591f7309284ce8705" in err
    assert snapshot(package / "data") == before


def test_hand_edited_table_is_not_overwritten(package, capsys):
    table = package / "data" / "signatories.csv"
    table.write_bytes(table.read_bytes().replace(b"Global Peace Mission", b"Global Peace Mission!"))
    before = snapshot(package / "data")
    code, _, err = run(package, "build", capsys=capsys)
    assert code != 0
    assert "data/signatories.csv: was changed since the last build: its bytes or sha256 differ" in err
    assert "git checkout -- data/signatories.csv" in err
    assert snapshot(package / "data") == before
    code, _, _ = run(package, "build", "--force", capsys=capsys)
    assert code == 0
    assert b"Global Peace Mission!" not in table.read_bytes()


def test_new_document_version_rebuilds_the_tables(package, capsys):
    """The happy path of the same machinery: a curated new version really changes data/."""
    replace_document(package, source_text().replace("Bait Al Amanah", "Bait Al-Amanah"))
    code, out, _ = run(package, "build", capsys=capsys)
    assert code == 0, out
    assert "Bait Al-Amanah \u2013 Malaysia" in (package / "data" / "signatories.csv").read_text(encoding="utf-8")


def test_an_unexpected_failure_is_one_line_unless_debugging(package, capsys, monkeypatch):
    import scripts.release.build

    def broken(project):
        raise KeyError("surprise")

    monkeypatch.setattr(scripts.release.build, "build_in_memory", broken)
    code, _, err = run(package, "build", capsys=capsys)
    message = [line for line in err.splitlines() if not line.startswith("… ")]
    assert code == 1
    assert message == [
        "error: unexpected KeyError: 'surprise'",
        "  rerun with --debug or VERBOSE=1 for the traceback, and report it",
    ]
    code, _, err = run(package, "--debug", "build", capsys=capsys)
    assert "Traceback (most recent call last)" in err
    monkeypatch.setenv("VERBOSE", "1")
    code, _, err = run(package, "build", capsys=capsys)
    assert "Traceback (most recent call last)" in err
