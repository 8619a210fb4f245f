"""Hostile inputs a pull request could carry: each is refused by name, in one or two lines, and nothing is written."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import SOURCE_DIR, bumped, line_of, replace_document, run, snapshot, source_text
from scripts.inputs.project import Project

AGREEMENT = SOURCE_DIR / "agreement.yaml"
CODING = SOURCE_DIR / "coding.yaml"
DOCUMENT = SOURCE_DIR / "document.txt"
_WRITTEN = ("data", "docs", "dist", "releases")


def _append(relative: Path, text: str):
    def edit(root: Path) -> None:
        path = root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8", newline="\n")
    return edit


def _replace(relative: Path, old: str, new: str):
    def edit(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="\n")
    return edit


def _symlink(relative: Path, target: str):
    def edit(root: Path) -> None:
        (root / relative).unlink()
        os.symlink(target, root / relative)
    return edit


def _fifo(relative: Path):
    def edit(root: Path) -> None:
        (root / relative).unlink()
        os.mkfifo(root / relative)
    return edit


def _document(change):
    def edit(root: Path) -> None:
        replace_document(root, change(source_text(root)))
    return edit


def _nested(depth: int) -> str:
    return "\ndeep: " + "[" * depth + "1" + "]" * depth + "\n"


def _laughs() -> str:
    lines = ['\nlol0: &l0 "lol"']
    lines += [f"lol{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    return "\n".join(lines) + "\n"


def _link_folder(relative: str):
    def edit(root: Path) -> None:
        outside = root.parent / f"outside-{relative.replace('/', '-')}"
        shutil.rmtree(outside, ignore_errors=True)  # left by the same case run by another command in this reused copy
        if (root / relative).exists():
            (root / relative).rename(outside)
        else:
            outside.mkdir()
        os.symlink(outside, root / relative)
    return edit


def _release_folder(name: str):
    def edit(root: Path) -> None:
        (root / "releases" / name).mkdir()
    return edit


def _record_table(name: str):
    def edit(root: Path) -> None:
        record = root / "releases" / "1.1.1" / "release.json"
        record.write_text(
            record.read_text(encoding="utf-8").replace('"agreements": {', f'"{name}": {{', 1),
            encoding="utf-8",
            newline="\n",
        )

    return edit


BOTH, RELEASE = ("build", "release"), ("release",)

# name: (edit, where the message points, words it holds[, the commands that must refuse it])
CASES = {
    "agreement.yaml linked to a file outside": (
        _symlink(AGREEMENT, "/etc/passwd"),
        f"{AGREEMENT.as_posix()}",
        "is a symbolic link",
    ),
    "coding.yaml linked to a file outside": (
        _symlink(CODING, "/etc/hostname"),
        f"{CODING.as_posix()}",
        "is a symbolic link",
    ),
    "document linked to /dev/zero": (_symlink(DOCUMENT, "/dev/zero"), f"{DOCUMENT.as_posix()}", "is a symbolic link"),
    "document as a named pipe": (
        _fifo(DOCUMENT),
        f"{DOCUMENT.as_posix()}",
        "is not a regular file (it is a named pipe)",
    ),
    "CHANGELOG.md linked outside": (
        _symlink(Path("CHANGELOG.md"), "/etc/passwd"),
        "CHANGELOG.md",
        "is a symbolic link",
    ),
    "a schema linked outside": (
        _symlink(Path("schemas/countries.json"), "/etc/passwd"),
        "schemas/countries.json",
        "is a symbolic link",
    ),
    "agreement.yaml of a million lines": (
        _append(AGREEMENT, "# padding\n" * 120_000),
        f"{AGREEMENT.as_posix()}",
        "over the 1,000,000 its contract allows",
    ),
    "a YAML alias": (
        _append(AGREEMENT, '\nx-anchor: &anchor "a"\nx-alias: *anchor\n'),
        rf"{AGREEMENT.as_posix()}, line \d+",
        "uses the YAML alias *anchor",
    ),
    "a YAML billion laughs": (
        _append(AGREEMENT, _laughs()),
        rf"{AGREEMENT.as_posix()}, line \d+",
        "uses the YAML alias *l0",
    ),
    "300 nested lists": (
        _append(AGREEMENT, _nested(300)),
        rf"{AGREEMENT.as_posix()}, line \d+",
        "more than 20 levels deep",
    ),
    "a right-to-left override in a curated value": (
        _replace(AGREEMENT, "Uyghur Human Rights Project", "Uyghur Human \u202eRights Project"),
        rf"{AGREEMENT.as_posix()}, line \d+ \(",
        "U+202E RIGHT-TO-LEFT OVERRIDE",
    ),
    "a zero-width space in a coding note": (
        _replace(CODING, "text: ", "text: \u200b"),
        rf"{CODING.as_posix()}, line \d+ \(",
        "U+200B ZERO WIDTH SPACE",
    ),
    "a zero-width space in a curated key": (
        _replace(AGREEMENT, "\nlanguage:\n", "\nlan\u200bguage:\n"),
        rf"{AGREEMENT.as_posix()}, line {line_of(AGREEMENT, 'language:')}:",
        "has a key that holds U+200B ZERO WIDTH SPACE",
    ),
    "a key that holds a terminal escape, nested": (
        _replace(AGREEMENT, "\ndocument:\n  file:", '\ndocument:\n  "fi\\e]0;pwned\\ale":'),
        rf"{AGREEMENT.as_posix()}, line {line_of(AGREEMENT, 'file: document.txt')} \(document\):",
        "has a key that holds U+001B (a control character)",
    ),
    "a terminal escape in a curated value": (
        _replace(AGREEMENT, "value: Uyghur Human Rights Project", 'value: "Uyghur \\e[31mHuman Rights Project"'),
        rf"{AGREEMENT.as_posix()}, line \d+ \(",
        "U+001B (a control character)",
    ),
    "a zero-width joiner in the document": (
        _document(lambda text: text.replace("Global Peace Mission", "Global Peace\u200d Mission")),
        rf"{DOCUMENT.as_posix()}, line \d+",
        "U+200D ZERO WIDTH JOINER",
    ),
    "a NUL in the document": (
        _document(lambda text: text.replace("Global Peace Mission", "Global Peace\x00 Mission")),
        rf"{DOCUMENT.as_posix()}, line \d+",
        "U+0000",
    ),
    "a bell in the document": (
        _document(lambda text: text.replace("Global Peace Mission", "Global Peace\x07 Mission")),
        rf"{DOCUMENT.as_posix()}, line \d+",
        "U+0007 (a control character)",
    ),
    "LICENSE linked to a file outside": (
        _symlink(Path("LICENSE"), "/etc/passwd"),
        "LICENSE",
        "is a symbolic link",
        RELEASE,
    ),
    "docs/codebook.md linked to a file outside": (
        _symlink(Path("docs/codebook.md"), "/etc/passwd"),
        "docs/codebook.md",
        "is a symbolic link",
        RELEASE,
    ),
    "README.md linked to a file outside": (
        _symlink(Path("README.md"), "/etc/passwd"),
        "README.md",
        "is a symbolic link",
    ),
    "metadata/package.yaml linked outside": (
        _symlink(Path("metadata/package.yaml"), "/etc/passwd"),
        "metadata/package.yaml",
        "is a symbolic link",
    ),
    "docs/figures linked outside": (_link_folder("docs/figures"), "docs/figures", "is a symbolic link"),
    "datapackage.json as a named pipe": (
        _fifo(Path("datapackage.json")),
        "datapackage.json",
        "is not a regular file (it is a named pipe)",
    ),
    "a table linked to a folder": (
        _symlink(Path("data/signatories.csv"), "/etc"),
        "data/signatories.csv",
        "is a symbolic link",
    ),
    "releases linked outside": (_link_folder("releases"), "releases", "is a symbolic link", RELEASE),
    ".dist-next linked outside": (_link_folder(".dist-next"), ".dist-next", "is a symbolic link", RELEASE),
    "dist linked outside": (_link_folder("dist"), "dist", "is a symbolic link", RELEASE),
    "a folder releases/evil": (_release_folder("evil"), "releases/evil", "is not a release record", RELEASE),
    "a recorded table named as a path": (
        _record_table("../../../outside/loot"),
        "releases/1.1.1/release.json",
        "which is no table name",
        RELEASE,
    ),
}


def _runs():
    """Each case under each command that must refuse it. `release` builds first: where `build` refuses the same case
    too, its release repeats that refusal, and make check runs it; the quick suite runs each release-only case."""
    for case in sorted(CASES):
        commands = CASES[case][3] if len(CASES[case]) > 3 else BOTH
        posix = "named pipe" in case or "linked" in case
        marks = [pytest.mark.posix("named pipes and symbolic links")] if posix else []
        for command in commands:
            slow = [pytest.mark.slow] if commands == BOTH and command == "release" else []
            yield pytest.param(case, command, marks=marks + slow, id=f"{case}-{command}")


@pytest.mark.timeout(120)  # two cases are named pipes: a regression would wait on them for ever
@pytest.mark.parametrize(("case", "command"), list(_runs()))
def test_a_hostile_input_is_refused_by_name_and_nothing_is_written(reused_package, capsys, case, command):
    edit, where, says, *_ = CASES[case]
    package = reused_package.fresh()
    edit(package)
    before = {name: snapshot(package / name) for name in _WRITTEN}
    outside = {path.name: snapshot(path) for path in package.parent.glob("outside-*")}
    code, out, err = run(package, command, capsys=capsys)
    message = [
        line for line in err.splitlines() if not line.startswith("… ") and not re.match(r"^  .*: \d+\.\d s$", line)
    ]
    assert code == 1, (command, out, err)
    assert 1 <= len(message) <= 2, message
    assert re.match(rf"error: {where}", message[0]), message[0]
    assert says in " ".join(message), message
    assert "unexpected" not in err and "Traceback" not in err and "root:" not in err  # /etc/passwd is never quoted
    assert {name: snapshot(package / name) for name in _WRITTEN} == before
    # nothing written outside the checkout
    assert {path.name: snapshot(path) for path in package.parent.glob("outside-*")} == outside
    assert not (package / ".dist-next").exists() or (package / ".dist-next").is_symlink()


def test_a_declared_format_character_in_the_document_is_accepted(package, capsys):
    replace_document(package, source_text(package).replace("Global Peace Mission", "Global Peace\u200d Mission"))
    metadata = package / AGREEMENT
    text = metadata.read_text(encoding="utf-8")
    received = "  received_as: 000_f3779355871cbff0.txt\n"
    metadata.write_text(
        text.replace(
            received,
            received + "  format_characters:\n    - code_point: U+200D\n      reason: In the document as received.\n",
            1,
        ),
        encoding="utf-8",
        newline="\n",
    )
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 0, err


def test_a_coded_span_that_starts_on_white_space_is_refused_with_the_exact_span(package, capsys):
    coding = package / CODING
    text = coding.read_text(encoding="utf-8")
    start, end = re.search(r"span: \[(\d+), (\d+)\]", text).groups()
    coding.write_text(
        text.replace(f"span: [{start}, {end}]", f"span: [{int(start) - 1}, {end}]", 1), encoding="utf-8", newline="\n"
    )
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 1
    assert "starts on white space" in err and f"fix: make the span exact: [{start}, {end}]" in err, err


@pytest.mark.slow
def test_a_clause_of_a_million_characters_is_built_and_read_back(package, capsys):
    """Python's csv reads 131,072 characters a field by default, and a workbook cell holds 32,767: the clause
    reaches every format whole."""
    from benchmarks.synthetic import random_agreement

    agreement = random_agreement(1)
    long_paragraph = "The coalition " + "will act together " * 58_000  # one clause of about a million characters
    agreement.paragraphs = [*agreement.paragraphs[:1], long_paragraph.rstrip() + ".", *agreement.paragraphs[1:]]
    agreement.write(package / "data" / "source")
    changelog = package / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n",
            f"## [Unreleased]\n\n## [{bumped(Project().changelog_version(), 'minor')}] - {dt.date.today().isoformat()}"
            "\n\n### Added\n- A test.\n",
            1,
        ),
        encoding="utf-8",
        newline="\n",
    )
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 0, err
    assert (
        max(len(line) for line in (package / "data" / "clauses.csv").read_text(encoding="utf-8").splitlines())
        > 1_000_000
    )
    assert run(package, "validate", capsys=capsys)[0] == 0
    code, out, err = run(
        package, "release", capsys=capsys
    )  # the diff reads the clauses back, and the workbook writes the text across cells
    assert code == 0, err
    import sqlite3

    import openpyxl
    import pyarrow.parquet as pq

    folder = next((package / "dist").glob("global-muslim-coalition-for-uyghurs-*/"))
    clause = long_paragraph.rstrip() + "."
    assert clause in pq.read_table(folder / "data" / "clauses.parquet", columns=["text"]).column("text").to_pylist()
    with sqlite3.connect(next(folder.glob("*.sqlite"))) as database:
        assert database.execute("select count(*) from clauses where text = ?", (clause,)).fetchone() == (1,)
    sheet = openpyxl.load_workbook(next(folder.glob("*.xlsx")), read_only=True)["clauses"]
    header, *rows = sheet.iter_rows(values_only=True)
    text, continued = (
        header.index("text"),
        [index for index, name in enumerate(header) if str(name).startswith("text (continued")],
    )
    assert len(continued) == 31 and clause in [
        "".join(row[index] or "" for index in [text, *continued]) for row in rows
    ]


@pytest.mark.slow
@pytest.mark.posix("named pipes")
@pytest.mark.timeout(60)  # a regression would wait on the pipe for ever: fail instead
@pytest.mark.parametrize("relative", ["datapackage.json", "data/signatories.csv", "schemas/countries.json"])
def test_validate_reports_a_named_pipe_rather_than_waiting_on_it(package, capsys, relative):
    (package / relative).unlink()
    os.mkfifo(package / relative)
    code, _, err = run(package, "validate", capsys=capsys)
    assert code == 1 and "unexpected" not in err, err
    assert relative in err


@pytest.mark.posix("symbolic links, which Windows makes only with a privilege")
@pytest.mark.parametrize("relative", ["data/countries.csv", "schemas/countries.json", "data/source", "data"])
def test_validate_refuses_a_package_file_or_folder_linked_outside_it(package, capsys, tmp_path, relative):
    """A downloaded package is validated as it is: a link in it may lead anywhere, so it is named, and what
    it points at is never read."""
    outside = tmp_path / "outside"
    (package / relative).rename(outside)
    os.symlink(outside, package / relative)
    code, _, err = run(package, "validate", capsys=capsys)
    assert code == 1 and "unexpected" not in err, err
    assert "is a symbolic link, which may lead outside the package" in err and "[unsafe-path]" in err, err
