"""The same results on Windows and macOS as on Linux: byte-exact checkouts, no OS-specific formatting or modes, output
any console can print, swaps that survive a held file, and records that pin what a release holds rather than how a
native library wrote it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, copy_package, run, snapshot
from scripts.release.fingerprint import WORKBOOK_FINGERPRINTS, fingerprint, is_native
from scripts.formats import archive
from scripts.inputs.project import Project

CURRENT = Project().changelog_version()
NAME = f"global-muslim-coalition-for-uyghurs-{CURRENT}"


def test_every_file_is_checked_out_byte_for_byte():
    assert (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()[-1] == "* -text"


def test_scripts_use_no_os_specific_format_or_file_mode():
    sources = {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "scripts").rglob("*.py"))
    }
    assert len(sources) >= 30
    assert [
        path for path, text in sources.items() if re.search(r"%-[a-zA-Z]|%#[a-zA-Z]", text)
    ] == []  # glibc's and Windows' own strftime flags
    for path, text in sources.items():
        for call in re.findall(r"os\.open\(([^)]*)\)", text):
            assert "_BINARY" in call, f"{path}: os.open({call}) opens in text mode on Windows"
        assert not re.search(r"\bopen\([^)]*['\"]r['\"]\)", text), (
            f"{path} opens a file in text mode without an encoding"
        )


@pytest.mark.slow
def test_a_crlf_checkout_builds_the_same_tables(tmp_path):
    """Git for Windows checks text out with CRLF (core.autocrlf=true); .gitattributes keeps every file as committed."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("git and the checkout's history are needed") if os.environ.get("CI") else pytest.skip(
            "no git or no history here"
        )
    clone = tmp_path / "with crlf"
    subprocess.run(
        ["git", "-c", "core.autocrlf=true", "clone", "-q", "--no-local", str(ROOT), str(clone)],
        check=True,
        capture_output=True,
    )
    document = next((clone / "data" / "source").glob("*/document.txt"))
    assert b"\r" not in document.read_bytes() and b"\r" not in (clone / "data" / "clauses.csv").read_bytes()
    committed = {
        path: (clone / path).read_bytes() for path in ("datapackage.json", "data/clauses.csv", "docs/index.html")
    }
    result = subprocess.run(
        [sys.executable, "-m", "scripts", "--root", str(clone), "build"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert {path: (clone / path).read_bytes() for path in committed} == committed
    assert (
        subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True).stdout
        == ""
    )


@pytest.mark.slow
def test_a_release_in_a_path_with_a_space_prints_safely_on_a_cp1252_console(tmp_path):
    """Windows redirects stdout in its legacy code page: every line the release prints must be writable there."""
    root = copy_package(tmp_path / "a folder with spaces" / "package")
    environment = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    with open(tmp_path / "out.txt", "wb") as out, open(tmp_path / "err.txt", "wb") as err:
        code = subprocess.run(
            [sys.executable, "-m", "scripts", "--root", str(root), "release"],
            cwd=ROOT,
            stdout=out,
            stderr=err,
            env=environment,
        ).returncode
    printed = (tmp_path / "out.txt").read_bytes().decode("cp1252")
    assert code == 0, (tmp_path / "err.txt").read_bytes().decode("cp1252")
    assert f"released {NAME}:" in printed
    assert (root / "dist" / f"{NAME}.zip").is_file()


def test_an_error_with_characters_a_cp1252_console_lacks_is_printed_not_raised(package, tmp_path):
    path = package / "data" / "signatories.csv"
    path.write_bytes(path.read_bytes().replace(b",ABIM,", ",=\u7ef4\u543e\u5c14 \u2192,".encode(), 1))
    with open(tmp_path / "err.txt", "wb") as err:
        code = subprocess.run(
            [sys.executable, "-m", "scripts", "--root", str(package), "validate"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"},
        ).returncode
    printed = (tmp_path / "err.txt").read_bytes().decode("cp1252")
    assert code == 1 and "unexpected" not in printed and "Traceback" not in printed, printed
    assert "field acronym: [formula-cell]" in printed and "\\u7ef4\\u543e\\u5c14 \\u2192" in printed


# What the record of a version pins: the bytes of what the package writes, what the others hold.
def _copy_release(released_folder: Path, tmp_path: Path) -> Path:
    folder = tmp_path / released_folder.name
    shutil.copytree(released_folder, folder)
    return folder


def _sqlite_from_another_version(path: Path) -> None:
    """The same database as another SQLite writes it: the header's version-valid-for and library version differ."""
    raw = bytearray(path.read_bytes())
    raw[92:100] = (7).to_bytes(4, "big") + (3051001).to_bytes(4, "big")
    path.write_bytes(bytes(raw))


def _recompressed(path: Path, level: int) -> None:
    """The same zip as another zlib (zlib-ng) deflates it: every entry again, at another compression level."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, content in entries:
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=level)


@pytest.mark.parametrize("kind", WORKBOOK_FINGERPRINTS)
def test_what_a_native_library_writes_is_fingerprinted_by_what_it_holds(released_folder, tmp_path, kind):
    folder = _copy_release(released_folder, tmp_path)
    database, workbook = (
        folder / "global-muslim-coalition-for-uyghurs.sqlite",
        folder / "global-muslim-coalition-for-uyghurs.xlsx",
    )
    before = {path: fingerprint(path, workbook=kind) for path in (database, workbook)}
    raw = {path: path.read_bytes() for path in (database, workbook)}
    _sqlite_from_another_version(database)
    _recompressed(workbook, 1)
    assert {path: path.read_bytes() for path in (database, workbook)} != raw  # other bytes
    assert {path: fingerprint(path, workbook=kind) for path in (database, workbook)} == before  # the same content
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE signatories SET name = 'Someone Else' WHERE list_number = 5")
    connection.close()
    assert fingerprint(database) != before[database]


@pytest.mark.parametrize("kind", WORKBOOK_FINGERPRINTS)
def test_a_zip_takes_the_fingerprints_of_the_database_and_workbook_it_holds_from_those_beside_it(released_folder, kind):
    """The release reads the database and the workbook back once: the zip that holds them takes their
    fingerprints, by their sha256."""
    zip_path = next(released_folder.parent.glob("*.zip"))
    native = [
        released_folder / "global-muslim-coalition-for-uyghurs.sqlite",
        released_folder / "global-muslim-coalition-for-uyghurs.xlsx",
    ]
    known = {hashlib.sha256(path.read_bytes()).hexdigest(): fingerprint(path, workbook=kind) for path in native}
    assert fingerprint(zip_path, known, kind) == fingerprint(zip_path, workbook=kind)
    assert fingerprint(zip_path, dict.fromkeys(known, "0" * 64), kind) != fingerprint(
        zip_path, workbook=kind
    )  # the fingerprints given are the ones used


def test_a_workbook_pinned_by_its_parts_is_pinned_by_each_part_unpacked(released_folder, tmp_path):
    """Its cells and its parts are two fingerprints: a record pins one of them, and says which."""
    workbook = released_folder / "global-muslim-coalition-for-uyghurs.xlsx"
    with zipfile.ZipFile(workbook) as parts:
        lines = [f"{info.filename}\t{hashlib.sha256(parts.read(info)).hexdigest()}\n" for info in parts.infolist()]
    assert any(line.startswith("xl/worksheets/sheet") for line in lines)
    assert (
        fingerprint(workbook)
        == fingerprint(workbook, workbook="parts")
        == hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
    )
    assert fingerprint(workbook, workbook="cells") != fingerprint(workbook)
    with pytest.raises(ValueError, match="'bytes' is not a way to fingerprint a workbook"):
        fingerprint(workbook, workbook="bytes")
    # One cell's text changed in its part, and nothing else: both fingerprints change.
    edited = tmp_path / workbook.name
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(edited, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if b"<t>signatory_id</t>" in content:
                assert content.count(b"<t>signatory_id</t>") == 1
                content = content.replace(b"<t>signatory_id</t>", b"<t>signatory_ID</t>")
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    assert fingerprint(edited) != fingerprint(workbook)
    assert fingerprint(edited, workbook="cells") != fingerprint(workbook, workbook="cells")


@pytest.mark.parametrize("kind", WORKBOOK_FINGERPRINTS)
def test_a_workbook_cell_changes_its_fingerprint(released_folder, tmp_path, kind):
    from openpyxl import load_workbook

    folder = _copy_release(released_folder, tmp_path)
    workbook_path = folder / "global-muslim-coalition-for-uyghurs.xlsx"
    before = fingerprint(workbook_path, workbook=kind)
    workbook = load_workbook(workbook_path)
    sheet = next(sheet for sheet in workbook.worksheets if sheet.title == "signatories")
    sheet["E3"] = "Someone Else"
    workbook.save(workbook_path)
    assert fingerprint(workbook_path, workbook=kind) != before


def test_which_files_are_pinned_by_what_they_hold():
    record = json.loads((ROOT / "releases" / CURRENT / "release.json").read_text(encoding="utf-8"))
    # Each table's SPSS file, whose bytes another ReadStat may write otherwise, and the changes'.
    spss = [f"{NAME}/data/{table}.sav" for table in [*Project().table_names, "changes"]]
    assert (
        sorted(record["content"])
        == sorted(path for path in record["files"] if is_native(path))
        == sorted(
            [
                f"{NAME}.zip",
                f"{NAME}/files.sha256",
                f"{NAME}/global-muslim-coalition-for-uyghurs.sqlite",
                f"{NAME}/global-muslim-coalition-for-uyghurs.xlsx",
                *spss,
            ]
        )
    )
    assert not is_native(f"{NAME}/data/signatories.parquet") and not is_native(f"{NAME}/data/signatories.csv")


def _as_another_sqlite_and_zlib_write_it(monkeypatch) -> None:
    """make release, as on a machine whose SQLite and zlib write other bytes for the same content."""
    import scripts.release.publish

    real_pack, real_write_zip = scripts.release.publish.pack, archive.write_zip

    def pack(staging, folder, name, last, **kwargs):
        _sqlite_from_another_version(folder.path / "global-muslim-coalition-for-uyghurs.sqlite")
        _recompressed(folder.path / "global-muslim-coalition-for-uyghurs.xlsx", 9)
        return real_pack(staging, folder, name, last, **kwargs)

    def write_zip(folder, paths, target):
        real_write_zip(folder, paths, target)
        _recompressed(Path(target), 1)

    monkeypatch.setattr(scripts.release.publish, "pack", pack)
    monkeypatch.setattr(archive, "write_zip", write_zip)


def _accepted_again_from_another_sqlite_and_zlib(package: Path, version: str, capsys, monkeypatch) -> None:
    """`version`, released again where SQLite and zlib write other bytes: only those files' bytes differ, and
    its record stays as it was."""
    recorded = json.loads((package / "releases" / version / "release.json").read_text(encoding="utf-8"))
    _as_another_sqlite_and_zlib_write_it(monkeypatch)
    code, _, err = run(package, "release", capsys=capsys)
    assert code == 0, err
    released = {path: archive.sha256_of(package / "dist" / path) for path in recorded["files"]}
    # other bytes, only where SQLite and zlib write (the SPSS files, pinned by what they hold too, are written alike)
    assert [path for path in released if released[path] != recorded["files"][path]] == sorted(
        path for path in recorded["content"] if not path.endswith(".sav")
    )
    assert json.loads((package / "releases" / version / "release.json").read_text(encoding="utf-8")) == recorded


@pytest.mark.slow
def test_the_recorded_version_is_accepted_from_a_native_library_that_writes_other_bytes(package, capsys, monkeypatch):
    _accepted_again_from_another_sqlite_and_zlib(package, CURRENT, capsys, monkeypatch)


@pytest.mark.slow
def test_a_new_version_pins_its_workbook_by_its_parts_and_is_accepted_again_from_another_zlib(
    package, capsys, monkeypatch
):
    from conftest import bumped

    new = bumped(CURRENT, "patch")
    changelog = package / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n",
            f"## [Unreleased]\n\n## [{new}] - {Project().releases[0].date.isoformat()}\n\n"
            "### Fixed\n- Nothing, in a test.\n",
            1,
        ),
        encoding="utf-8",
        newline="\n",
    )
    code, _, err = run(package, "release", capsys=capsys)
    assert code == 0, err
    recorded = json.loads((package / "releases" / new / "release.json").read_text(encoding="utf-8"))
    workbook = f"global-muslim-coalition-for-uyghurs-{new}/global-muslim-coalition-for-uyghurs.xlsx"
    assert recorded["workbook_fingerprint"] == "parts"
    assert (
        recorded["content"][workbook]
        == fingerprint(package / "dist" / workbook)
        != fingerprint(package / "dist" / workbook, workbook="cells")
    )
    _accepted_again_from_another_sqlite_and_zlib(package, new, capsys, monkeypatch)


@pytest.mark.slow
def test_a_changed_database_cell_under_the_recorded_version_is_refused(package, capsys, monkeypatch):
    import scripts.release.publish

    real_pack = scripts.release.publish.pack

    def pack(staging, folder, name, last, **kwargs):
        with sqlite3.connect(folder.path / "global-muslim-coalition-for-uyghurs.sqlite") as connection:
            connection.execute("UPDATE signatories SET name = 'Someone Else' WHERE list_number = 5")
        connection.close()
        return real_pack(staging, folder, name, last, **kwargs)

    monkeypatch.setattr(scripts.release.publish, "pack", pack)
    before = {name: snapshot(package / name) for name in ("data", "dist", "releases")}
    code, _, err = run(package, "release", capsys=capsys)
    assert code == 1
    assert f"{CURRENT} was released on" in err and f"with other bytes ({NAME}.zip differs, 2 file(s) in all)" in err, (
        err
    )
    assert {name: snapshot(package / name) for name in ("data", "dist", "releases")} == before


@pytest.mark.slow
def test_a_held_file_stops_the_swap_by_name_and_the_next_release_recovers(package, capsys, monkeypatch):
    import scripts.release.publish

    assert run(package, "release", capsys=capsys)[0] == 0
    before = {name: snapshot(package / name) for name in ("data", "dist")}
    real_rename = os.rename

    def rename(source, target):
        if Path(source).name == ".dist-next":
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real_rename(source, target)

    monkeypatch.setattr(scripts.release.publish.os, "rename", rename)
    code, _, err = run(package, "release", capsys=capsys)
    assert code == 1 and "unexpected" not in err
    assert (
        "error: .dist-next: could not be renamed to dist" in err
        and "fix: close what holds it (Datasette, a spreadsheet" in err
    ), err
    assert {
        name: snapshot(package / name) for name in ("data", "dist")
    } == before  # dist/ is the previous one, data/ untouched
    monkeypatch.undo()
    assert run(package, "release", capsys=capsys)[0] == 0
    assert not (package / ".dist-previous").exists() and not (package / ".dist-next").exists()


@pytest.mark.slow
def test_a_leftover_previous_release_that_cannot_be_removed_is_named(package, capsys, monkeypatch):
    import scripts.release.publish

    held = package / ".dist-previous" / NAME / "global-muslim-coalition-for-uyghurs.xlsx"
    held.parent.mkdir(parents=True)
    held.write_bytes(b"held by a spreadsheet")
    (package / "dist").mkdir()
    monkeypatch.setattr(
        scripts.release.publish.shutil, "rmtree", lambda path, ignore_errors=False: None
    )  # Windows: a held file stays
    code, _, err = run(package, "release", capsys=capsys)
    assert code == 1 and "unexpected" not in err
    assert (
        f"error: .dist-previous/{NAME}/global-muslim-coalition-for-uyghurs.xlsx: "
        "could not be removed: a program may hold it open" in err
    ), err


def test_contributing_gives_the_windows_commands_that_ci_runs_on_windows():
    import yaml

    readme = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```bat\n(.*?)```", readme, flags=re.DOTALL)
    job = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))["jobs"]["windows"]
    assert job["runs-on"] == "windows-latest" and job["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    assert job["defaults"]["run"]["shell"] == "cmd"
    assert [step["run"] for step in job["steps"] if "run" in step] == block.strip().splitlines()
    assert not [step for step in job["steps"] if "make" in step.get("run", "")]


def test_no_test_writes_text_in_the_platforms_line_endings():
    """Path.write_text writes CRLF on Windows unless told newline="\\n": a test's edit of a CSV or a
    changelog would differ there."""
    import ast

    unsafe = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "write_text":
                if "newline" not in {keyword.arg for keyword in node.keywords}:
                    unsafe.append(f"{path.name}:{node.lineno}")
    assert unsafe == []
    assert not [path for path in (ROOT / "scripts").rglob("*.py") if ".write_text(" in path.read_text(encoding="utf-8")]
