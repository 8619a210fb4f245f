"""Versions people can build on: each release is diffed with the one before, and its version must fit the diff."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import (
    AGREEMENT_ID,
    ROOT,
    SOURCE_DIR,
    bumped,
    frictionless_validate,
    replace_document,
    run,
    snapshot,
    source_text,
)
from scripts.inputs.changelog import version_numbers
from scripts.inputs.project import Project
from benchmarks.synthetic import SyntheticAgreement

CURRENT = Project().changelog_version()
TODAY = dt.date.today().isoformat()


def add_heading(root: Path, version: str) -> None:
    path = root / "CHANGELOG.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n",
            f"## [Unreleased]\n\n## [{version}] - {TODAY}\n\n### Changed\n- A change, in a test.\n",
            1,
        ),
        encoding="utf-8",
        newline="\n",
    )


def rename_heading(root: Path, old: str, new: str) -> None:
    path = root / "CHANGELOG.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(f"## [{old}] - ", f"## [{new}] - ", 1), encoding="utf-8", newline="\n"
    )


def released_changes(root: Path, version: str) -> list[dict]:
    """The rows of the release's table of changes that came in `version` (the table holds every step before it too)."""
    folder = root / "dist" / f"global-muslim-coalition-for-uyghurs-{version}"
    with (folder / "data" / "changes.csv").open(encoding="utf-8", newline="") as stream:
        return [row for row in csv.DictReader(stream) if row["version"] == version]


def release_ok(root: Path, version: str, capsys) -> str:
    code, out, err = run(root, "release", capsys=capsys)
    assert code == 0, err
    assert f"released global-muslim-coalition-for-uyghurs-{version}:" in out
    result = frictionless_validate(
        root / "dist" / f"global-muslim-coalition-for-uyghurs-{version}" / "datapackage.json"
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "data/changes.csv" in result.stdout
    assert (root / "releases" / version / "release.json").is_file()
    return out


def release_refused(root: Path, capsys) -> str:
    before = sorted(p.relative_to(root).as_posix() for p in (root / "dist").rglob("*"))
    code, _, err = run(root, "release", capsys=capsys)
    assert code == 1
    assert sorted(p.relative_to(root).as_posix() for p in (root / "dist").rglob("*")) == before
    return err


@pytest.mark.slow
def test_the_scenario_of_a_patch_a_minor_and_a_major_release(package, capsys):
    # 1. The current version releases as recorded: its tables are those of releases/<version>/.
    release_ok(package, CURRENT, capsys)

    # 2. A corrected value: the same version is refused; the next patch passes, and lists exactly that cell.
    metadata = package / SOURCE_DIR / "agreement.yaml"
    metadata.write_text(
        metadata.read_text(encoding="utf-8").replace(
            "value: Uyghur Human Rights Project", "value: Uyghur Human Rights Project (UHRP)"
        ),
        encoding="utf-8",
        newline="\n",
    )
    err = release_refused(package, capsys)
    assert (
        f"{CURRENT} was released on" in err
        and "with other tables (agreements differ): a version's bytes never change once released" in err
    )
    patch = bumped(CURRENT, "patch")
    add_heading(package, patch)
    out = release_ok(package, patch, capsys)
    assert [
        (c["previous_version"], c["table"], c["primary_key"], c["kind"], c["column"], c["old_value"], c["new_value"])
        for c in released_changes(package, patch)
    ] == [
        (
            CURRENT,
            "agreements",
            AGREEMENT_ID,
            "cell-changed",
            "publisher",
            "Uyghur Human Rights Project",
            "Uyghur Human Rights Project (UHRP)",
        )
    ]
    assert (
        f"- `agreements` `{AGREEMENT_ID}` `publisher`: "
        "'Uyghur Human Rights Project' → 'Uyghur Human Rights Project (UHRP)'" in out
    )

    # 3. A second agreement: a patch is refused; a minor version passes, and lists the added rows.
    second = SyntheticAgreement(
        "example-statement-2023",
        "Statement of solidarity",
        dt.date(2023, 3, 15),
        "Kuala Lumpur",
        "Malaysia",
        [("Stand4Uyghurs", "UK"), ("Justice Network of Senegal", "Senegal")],
    )
    second.write(package / "data" / "source")
    next_patch = bumped(patch, "patch")
    add_heading(package, next_patch)
    err = release_refused(package, capsys)
    minor = bumped(patch, "minor")
    assert f"agreements: row example-statement-2023 added: a new row needs {minor}, not {next_patch}" in err
    rename_heading(package, next_patch, minor)
    release_ok(package, minor, capsys)
    added = [(c["table"], c["primary_key"]) for c in released_changes(package, minor) if c["kind"] == "row-added"]
    assert ("agreements", "example-statement-2023") in added
    assert ("signatories", "example-statement-2023-s01") in added and (
        "signatories",
        "example-statement-2023-s02",
    ) in added
    assert ("countries", "SN") in added
    assert {c["kind"] for c in released_changes(package, minor)} == {"row-added"}

    # 4. A signatory entry removed: a minor version is refused; a major one passes, and lists the removed identifier.
    replace_document(package, source_text(package).replace("\n  23. Ili Meshrep Foundation", ""))
    metadata.write_text(
        metadata.read_text(encoding="utf-8").replace(
            "  - subject: {table: signatories, number: 23}\n"
            "    note: No source was found for where the Ili Meshrep Foundation is based.\n"
            '    is_inference: false\n    source_url: ""\n',
            "",
        ),
        encoding="utf-8",
        newline="\n",
    )
    organizations = package / "data" / "source" / "organizations.yaml"  # who signed no longer lists the entry either
    organizations.write_text(
        organizations.read_text(encoding="utf-8").replace(
            "  - {agreement_id: global-muslim-coalition-for-uyghurs-2022, list_number: 23, "
            "unresolved: no public page found}\n",
            "",
        ),
        encoding="utf-8",
        newline="\n",
    )
    next_minor = bumped(minor, "minor")
    add_heading(package, next_minor)
    err = release_refused(package, capsys)
    major = bumped(minor, "major")
    assert f"signatories: row {AGREEMENT_ID}-s23 removed: a removed identifier needs {major}, not {next_minor}" in err
    rename_heading(package, next_minor, major)
    release_ok(package, major, capsys)
    removed = [(c["table"], c["primary_key"]) for c in released_changes(package, major) if c["kind"] == "row-removed"]
    assert (("signatories", f"{AGREEMENT_ID}-s23")) in removed
    counts = [
        c
        for c in released_changes(package, major)
        if c["kind"] == "cell-changed" and c["column"] == "signatory_count" and c["primary_key"] == AGREEMENT_ID
    ]
    assert [(c["old_value"], c["new_value"]) for c in counts] == [("23", "22")]

    # 5. The removed identifier cannot come back, even in a major version.
    replace_document(package, source_text(package) + "\n  23. Ili Meshrep Foundation")
    add_heading(package, bumped(major, "major"))
    err = release_refused(package, capsys)
    assert (
        f"signatories: row {AGREEMENT_ID}-s23 was published in" in err
        and "removed since: an identifier is never reused" in err
    )


def test_a_version_below_a_recorded_one_is_refused(package, capsys):
    record = package / "releases" / "9.0.0"
    (package / "releases" / CURRENT).rename(record)
    meta = json.loads((record / "release.json").read_text(encoding="utf-8"))
    meta.pop("changelog_sha256")  # a record whose changelog section is not pinned: the version order alone refuses it
    (record / "release.json").write_text(json.dumps({**meta, "version": "9.0.0"}), encoding="utf-8", newline="\n")
    code, _, err = run(package, "release", capsys=capsys)
    assert code == 1
    lines = (package / "CHANGELOG.md").read_text(encoding="utf-8").split("\n")
    line = next(
        number for number, text in enumerate(lines, start=1) if text.startswith(f"## [{CURRENT}] - ")
    )  # the heading of the version released
    assert (
        f"error: CHANGELOG.md, line {line}: {CURRENT} is older than 9.0.0, which is already released (releases/9.0.0/)"
        in err
    )


@pytest.mark.slow
def test_the_first_release_says_so_and_is_not_refused(package, capsys):
    for folder in (package / "releases").iterdir():
        if folder.is_dir():
            for file in folder.iterdir():
                file.unlink()
            folder.rmdir()
    changelog = package / "CHANGELOG.md"  # a first release has no released version below it
    text = changelog.read_text(encoding="utf-8")
    second = [match.start() for match in re.finditer(r"^## \[\d", text, flags=re.M)][1]
    changelog.write_text(text[:second], encoding="utf-8", newline="\n")
    out = release_ok(package, CURRENT, capsys)
    assert f"{CURRENT} is the first release: there is no previous version to compare with." in out
    assert [(c["change_number"], c["previous_version"], c["kind"]) for c in released_changes(package, CURRENT)] == [
        ("1", "", "first-release")
    ]
    notes = (package / "dist" / f"global-muslim-coalition-for-uyghurs-{CURRENT}" / "RELEASE-NOTES.md").read_text(
        encoding="utf-8"
    )
    assert (
        "is the first release" in notes
        and "## Everything that changed, as CHANGELOG.md says" in notes
        and notes.index("## What changed in the data") < notes.index("## Everything")
    )


def test_the_committed_records_match_the_changelog_and_the_data(tmp_path):
    from conftest import ROOT

    versions = sorted((p.name for p in (ROOT / "releases").iterdir() if p.is_dir()), key=version_numbers)
    assert versions[-1] == CURRENT and "1.0.0" in versions
    assert set(versions) <= set(Project().changelog_versions())
    record = json.loads((ROOT / "releases" / CURRENT / "release.json").read_text(encoding="utf-8"))
    import hashlib

    for name, meta in record["tables"].items():
        assert meta["sha256"] == hashlib.sha256((ROOT / "data" / f"{name}.csv").read_bytes()).hexdigest(), name


@pytest.mark.slow
def test_releasing_a_recorded_version_with_other_bytes_is_refused_and_nothing_is_written(package, capsys):
    """The record pins every released file: a README edit inside the release is a new patch version, not 1.1.1 again."""
    readme = package / "README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8").replace(
            "<!-- in a release -->\n", "<!-- in a release -->\nA sentence added to a part that a release holds.\n\n", 1
        ),
        encoding="utf-8",
        newline="\n",
    )
    code, _, err = run(package, "release", capsys=capsys)
    assert code == 1
    assert (
        "error: CHANGELOG.md, line" in err
        and f"{CURRENT} was released on" in err
        and "with other bytes (global-muslim-coalition-for-uyghurs-" in err
    ), err
    assert "fix: add a heading for the next patch version to CHANGELOG.md" in err
    assert not (package / "dist").exists() and not (package / ".dist-next").exists()
    add_heading(package, bumped(CURRENT, "patch"))
    assert run(package, "release", capsys=capsys)[0] == 0


@pytest.mark.parametrize("version", ["1.0.0", CURRENT])
def test_removing_or_changing_a_released_versions_changelog_section_is_refused(package, capsys, version):
    changelog = package / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith(f"## [{version}] - "))
    before = {name: snapshot(package / name) for name in ("data", "docs")}
    for edited, says in (
        (text.replace(heading + "\n", ""), f"has no section for {version}"),
        (
            text.replace(heading + "\n", heading + "\n\n- A line added to a released section.\n"),
            f"the section of {version}, released on",
        ),
    ):
        changelog.write_text(edited, encoding="utf-8", newline="\n")
        for command in ("build", "release"):
            code, _, err = run(package, command, capsys=capsys)
            assert code == 1 and says in err and "unexpected" not in err, (command, err)
        assert {name: snapshot(package / name) for name in ("data", "docs")} == before and not (
            package / "dist"
        ).exists()


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, encoding="utf-8", check=True
    ).stdout  # what git shows is the files' UTF-8, whatever the console


def test_every_recorded_version_is_as_first_committed():
    """releases/ against its own history: no record removed, and no value any commit recorded ever changed;
    a record may only gain pins."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        if os.environ.get("CI"):
            pytest.fail("the checkout has no git history to compare releases/ with")
        pytest.skip("no git history here to compare releases/ with")
    # One walk of the history for every commit that touched releases/ (-m: a merge against each parent), and one
    # git cat-file for what each commit held: a git process per path and commit is thousands of processes.
    touched: dict[str, list[str]] = {}
    commit = ""
    for line in _git(
        "log", "--full-history", "-m", "--format=commit %H", "--name-only", "--", "releases/"
    ).splitlines():
        if line.startswith("commit "):
            commit = line.removeprefix("commit ")
        elif line and commit not in touched.setdefault(line, []):
            touched[line].append(commit)
    ever = sorted(
        {
            path
            for path in _git("log", "--format=", "--name-only", "--diff-filter=A", "--", "releases/").splitlines()
            if re.fullmatch(r"releases/\d+\.\d+\.\d+/[^/]+", path)
        }
    )
    assert any(path.endswith("/release.json") for path in ever)
    yanked = {release.version for release in Project().releases if release.yanked}
    held = dict(
        zip(
            [(commit, path) for path in ever for commit in touched[path]],
            _committed([f"{commit}:{path}" for path in ever for commit in touched[path]]),
        )
    )
    for path in ever:
        now = ROOT / path
        commits = touched[path]
        if not now.is_file() and path.split("/")[1] in yanked:
            continue  # withdrawn, by its [YANKED] heading in the changelog
        assert now.is_file(), (
            f"{path} was committed in {commits[-1][:10]} and is gone: a released version's record is never removed"
        )
        for commit in commits:
            committed = held[commit, path]
            if committed is None:
                continue  # the commit that removed it, which the line above has refused
            if path.endswith(".json"):
                current, then = json.loads(now.read_text(encoding="utf-8")), json.loads(committed)
                assert {key: current.get(key) for key in then} == then, (
                    f"{path} differs from what {commit[:10]} recorded"
                )
            else:
                assert now.read_text(encoding="utf-8") == committed, f"{path} differs from what {commit[:10]} recorded"


def _committed(objects: list[str]) -> list[str | None]:
    """The text of each `commit:path`, or None where that commit holds no such file (git
    cat-file --batch, one process)."""
    out = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=ROOT,
        input="".join(f"{name}\n" for name in objects).encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout
    texts, at = [], 0
    for _ in objects:
        header_end = out.index(b"\n", at)
        header = out[at:header_end].split()
        if header[-1] == b"missing":
            texts.append(None)
            at = header_end + 1
            continue
        size = int(header[2])
        texts.append(out[header_end + 1 : header_end + 1 + size].decode("utf-8"))
        at = header_end + 1 + size + 1  # the content, then a newline
    return texts


def test_removing_a_released_versions_record_is_refused_unless_the_changelog_yanks_it(package, capsys):
    """Withdrawing a version is one deliberate, reviewed line: its heading ends with [YANKED]; deleting
    its record alone is refused."""
    shutil.rmtree(package / "releases" / "1.1.0")
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 1 and "unexpected" not in err, err
    assert (
        "error: releases/1.1.0: is missing, though CHANGELOG.md line" in err
        and "a released version's record is never removed" in err
    ), err
    assert (
        "fix: restore it (git checkout releases/1.1.0); to withdraw the version, end its heading with ' [YANKED]'"
        in err
    ), err
    changelog = package / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("## [1.1.0] - "))
    changelog.write_text(text.replace(heading, heading + " [YANKED]", 1), encoding="utf-8", newline="\n")
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 0, err
    assert next(r for r in Project(package).releases if r.version == "1.1.0").yanked


def test_the_version_being_released_cannot_be_yanked(package, capsys):
    changelog = package / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith(f"## [{CURRENT}] - "))
    changelog.write_text(text.replace(heading, heading + " [YANKED]", 1), encoding="utf-8", newline="\n")
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 1 and f"{CURRENT} is marked [YANKED], so it cannot be the version released" in err, err


# Each kind of change, the smallest version after 2.3.4 that may carry it, and the largest
# that may not (SemVer for data).
_BUMPS = {
    "table-removed": ("3.0.0", "2.99.0"),
    "column-removed": ("3.0.0", "2.4.0"),
    "row-removed": ("3.0.0", "2.4.0"),
    "table-added": ("2.4.0", "2.3.99"),
    "column-added": ("2.4.0", "2.3.5"),
    "row-added": ("2.4.0", "2.3.5"),
    "cell-changed": ("2.3.5", "2.3.4"),
}


@pytest.mark.parametrize("kind", sorted(_BUMPS))
def test_each_kind_of_change_needs_its_semver_bump_and_no_less(kind):
    from scripts.errors import PipelineError
    from scripts.release.versions import _check_bump

    change = {
        "table": "signatories",
        "primary_key": "x-s01",
        "kind": kind,
        "column": "name",
        "old_value": "a",
        "new_value": "b",
    }
    enough, too_small = _BUMPS[kind]
    _check_bump(enough, "2.3.4", [change], "CHANGELOG.md, line 9")
    with pytest.raises(PipelineError) as refused:
        _check_bump(too_small, "2.3.4", [change, change], "CHANGELOG.md, line 9")
    assert refused.value.where == "CHANGELOG.md, line 9"
    assert refused.value.problem.endswith(f"needs {enough}, not {too_small} (and 1 more such change(s))"), (
        refused.value.problem
    )
    assert refused.value.fix == f"release it as {enough} or above; the table of changes lists every change since 2.3.4"


def test_the_largest_change_decides_the_bump():
    from scripts.errors import PipelineError
    from scripts.release.versions import _check_bump

    changes = [
        {"table": "t", "primary_key": "k", "kind": kind, "column": "c", "old_value": "", "new_value": ""}
        for kind in ("cell-changed", "row-added", "column-removed")
    ]
    with pytest.raises(
        PipelineError, match=r"^h: t: column c removed: a removed or renamed column needs 3\.0\.0, not 2\.4\.0\n"
    ):
        _check_bump("2.4.0", "2.3.4", changes, "h")
    _check_bump("3.0.0", "2.3.4", changes, "h")


def test_notes_not_yet_released_stay_out_of_a_releases_changelog():
    from scripts.inputs.changelog import as_released

    released = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-01\n\n### Added\n- A table.\n"
    with_notes = released.replace("## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n- Something, not released yet.\n")
    assert as_released(with_notes) == as_released(released) == released
    assert as_released("# Changelog\n\n## [1.0.0] - 2026-01-01\n\n### Added\n- A table.\n").endswith(
        "- A table.\n"
    )  # no Unreleased heading: as it is
    # The checkout's own: the version last released is released with the very changelog it was released with.
    checkout = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert as_released(checkout).split("\n## [Unreleased]\n\n", 1)[1].startswith(f"## [{CURRENT}] - ")


# The versions module's own functions on the committed records, without a release: fast, so
# that make mutate can use them.
@pytest.fixture(scope="module")
def built_files() -> dict[str, bytes]:
    """Every built file as bytes, which the tests below edit (the build itself gives each
    table as the file it wrote)."""
    from scripts.release.build import build_in_memory
    from scripts.tables.csvfile import bytes_of

    return {path: bytes_of(content) for path, content in build_in_memory(Project()).files.items()}


def _release(version: str, line: int = 11):
    from scripts.inputs.changelog import Release

    return Release(version, dt.date(2026, 12, 4), line, ("A change.",), "### Fixed\n- A change.")


def _with_cell(files: dict[str, bytes], old: bytes, new: bytes, table: str = "signatories") -> dict[str, bytes]:
    path = f"data/{table}.csv"
    assert files[path].count(old) == 1, old
    return {**files, path: files[path].replace(old, new)}


def test_planning_the_recorded_version_with_its_own_tables_finds_what_it_changed(built_files):
    from scripts.release.build import build_in_memory
    from scripts.release.versions import load_records, plan

    found = plan(Project(), built_files, _release(CURRENT))
    assert (
        plan(Project(), build_in_memory(Project()).files, _release(CURRENT)) == found
    )  # the tables as the files the build wrote, or as bytes
    recorded = sorted(load_records(Project()), key=version_numbers)
    assert (found.previous_version, found.recorded) == (recorded[-2], True)
    assert found.changes == found.history[-1][1]  # what this version changed, as the record of every step has it
    steps = dict(found.history)
    assert sorted({(c["table"], c["kind"]) for c in steps["1.5.0"]}) == [
        ("actors", "column-added"),
        ("countries", "row-added"),
        ("recognitions", "table-added"),
    ]
    assert steps["1.4.2"] == steps["1.5.1"] == []  # releases of the same tables
    assert [version for version, _ in found.history] == recorded  # every step since the first, this one last
    assert found.history[0][1] == [
        {
            "previous_version": None,
            "table": None,
            "primary_key": None,
            "kind": "first-release",
            "column": None,
            "old_value": None,
            "new_value": None,
        }
    ]
    assert ("1.1.0", "agreements", "column-added", "is_coded") in [
        (v, c["table"], c["kind"], c["column"]) for v, changes in found.history for c in changes
    ]


def test_a_corrected_value_plans_a_patch_with_its_change(built_files):
    from scripts.release.versions import plan

    files = _with_cell(
        built_files,
        b",Global Peace Mission,Global Peace Mission,",
        b",Global Peace Mission,Global Peace Mission (GPM),",
    )
    found = plan(Project(), files, _release(bumped(CURRENT, "patch")))
    assert (found.previous_version, found.recorded) == (CURRENT, False)
    assert found.changes == [
        {
            "previous_version": CURRENT,
            "table": "signatories",
            "primary_key": f"{AGREEMENT_ID}-s02",
            "kind": "cell-changed",
            "column": "name",
            "old_value": "Global Peace Mission",
            "new_value": "Global Peace Mission (GPM)",
        }
    ]
    assert found.history[-1] == (bumped(CURRENT, "patch"), found.changes)


def test_the_recorded_version_with_other_tables_is_refused_by_name(built_files):
    from scripts.errors import PipelineError
    from scripts.release.versions import load_records, plan

    files = _with_cell(built_files, b",Global Peace Mission,Global Peace Mission,", b",Global Peace Mission,GPM,")
    with pytest.raises(PipelineError) as refused:
        plan(Project(), files, _release(CURRENT, line=28))
    assert refused.value.where == "CHANGELOG.md, line 28"
    assert refused.value.problem == (
        f"{CURRENT} was released on {load_records(Project())[CURRENT].date} with other tables (signatories differ): "
        "a version's bytes never change once released"
    )


def test_a_removed_row_needs_a_major_version_and_names_the_row(built_files):
    from scripts.errors import PipelineError
    from scripts.release.versions import plan

    path = "data/countries.csv"
    files = {
        **built_files,
        path: b"".join(line for line in built_files[path].splitlines(keepends=True) if not line.startswith(b"US,")),
    }
    with pytest.raises(
        PipelineError,
        match=(
            rf"countries: row US removed: a removed identifier needs {re.escape(bumped(CURRENT, 'major'))}, "
            rf"not {re.escape(bumped(CURRENT, 'minor'))}\n"
        ),
    ):
        plan(Project(), files, _release(bumped(CURRENT, "minor")))


def test_an_identifier_removed_once_is_never_reused():
    from scripts.errors import PipelineError
    from scripts.release.versions import Record, _check_no_reuse

    tables = json.loads((ROOT / "releases" / "1.0.0" / "release.json").read_text(encoding="utf-8"))["tables"]
    older = Record("1.0.0", "2026-11-20", ROOT / "releases" / "1.0.0", tables)
    newer = Record("1.1.0", "2026-11-21", ROOT / "releases" / "1.0.0", tables)  # the same rows, published again later
    without = Record(
        "1.2.0",
        "2026-11-22",
        ROOT / "releases" / "1.0.0",
        {name: meta for name, meta in tables.items() if name != "countries"},
    )
    found = [
        {"table": "countries", "primary_key": "DE", "kind": "row-added", "column": "", "old_value": "", "new_value": ""}
    ]
    with pytest.raises(PipelineError) as refused:
        _check_no_reuse(
            [older, without, newer], found, "h"
        )  # the newest record that published it is named; one without the table is passed over
    assert (refused.value.where, refused.value.problem, refused.value.fix) == (
        "h",
        "countries: row DE was published in 1.1.0 and removed since: an identifier is never reused",
        "give the new row a new identifier (for a document, a new agreement_id)",
    )
    with pytest.raises(PipelineError, match=r"published in 1\.0\.0 and removed since"):
        _check_no_reuse([without, older], found, "h")
    recognized = [
        {**found[0], "table": "recognitions", "primary_key": "x"},
        *found,
    ]  # a table 1.0.0 lacks, then one it has
    with pytest.raises(PipelineError, match=r"countries: row DE was published in 1\.0\.0"):
        _check_no_reuse([older], recognized, "h")
    _check_no_reuse([older, newer], [{**found[0], "primary_key": "ZZ"}], "h")  # a new identifier is fine
    _check_no_reuse([], found, "h")


def test_a_released_file_is_compared_by_what_it_holds_where_the_record_pins_that():
    from scripts.release.versions import Record

    record = Record("1.0.0", "d", ROOT, {}, files={"a.csv": "1", "b.sqlite": "2"}, content={"b.sqlite": "held"})
    assert record.holds_the_same("a.csv", {"a.csv": "1"}, {})
    assert not record.holds_the_same("a.csv", {"a.csv": "9"}, {})
    assert record.holds_the_same("b.sqlite", {"b.sqlite": "other bytes"}, {"b.sqlite": "held"})
    assert not record.holds_the_same("b.sqlite", {"b.sqlite": "2"}, {"b.sqlite": "other content"})
    older = Record("1.0.0", "d", ROOT, {}, files={"b.sqlite": "2"})  # a record from before 1.4.1 pins bytes alone
    assert older.holds_the_same("b.sqlite", {"b.sqlite": "2"}, {"b.sqlite": "anything"})
    assert not older.holds_the_same("b.sqlite", {"b.sqlite": "3"}, {"b.sqlite": "held"})


def test_a_record_is_written_once_with_every_pin_and_lf_line_endings(package, built_files):
    from scripts.release.versions import write_record

    project = Project(package)
    release = _release("9.9.9")
    write_record(project, built_files, release, {"x.zip": "ab"}, {"x.zip": "cd"}, "parts")
    raw = (package / "releases" / "9.9.9" / "release.json").read_bytes()
    written = json.loads(raw)
    assert b"\r" not in raw and raw.endswith(b"}\n")
    assert (written["version"], written["date"], written["files"], written["content"]) == (
        "9.9.9",
        "2026-12-04",
        {"x.zip": "ab"},
        {"x.zip": "cd"},
    )
    assert written["workbook_fingerprint"] == "parts"
    assert sorted(written["tables"]) == sorted(project.table_names)
    assert (package / "releases" / "9.9.9" / "countries.csv").read_bytes() == built_files["data/countries.csv"]
    assert (
        written["tables"]["countries"]["primary_key"] == ["country_code"]
        and written["tables"]["countries"]["columns"][0] == "country_code"
    )
    write_record(project, {}, release, {"x.zip": "other"}, {}, "cells")  # never rewritten
    assert (package / "releases" / "9.9.9" / "release.json").read_bytes() == raw
    assert not list((package / "releases").glob(".9.9.9.tmp-*"))


def test_releasing_the_recorded_version_again_compares_every_file_by_bytes_or_by_what_it_holds():
    from scripts.errors import PipelineError
    from scripts.release.versions import check_same_bytes, load_records

    record = load_records(Project())[CURRENT]
    digests, contents = dict(record.files), dict(record.content)
    check_same_bytes(Project(), _release(CURRENT), digests, contents)  # the very files: accepted
    native = next(path for path in contents if path.endswith(".sqlite"))
    check_same_bytes(
        Project(), _release(CURRENT), {**digests, native: "0" * 64}, contents
    )  # other bytes, the same content: accepted
    table = next(path for path in digests if path.endswith("/data/signatories.csv"))
    for changed_digests, changed_contents, first, count in (
        ({**digests, table: "0" * 64}, contents, table, 1),
        (digests, {**contents, native: "0" * 64}, native, 1),
        ({**digests, table: "0" * 64, "extra/file.txt": "1" * 64}, contents, "extra/file.txt", 2),
        ({path: digest for path, digest in digests.items() if path != table}, contents, table, 1),
    ):
        with pytest.raises(PipelineError) as refused:
            check_same_bytes(Project(), _release(CURRENT, line=17), changed_digests, changed_contents)
        assert refused.value.where == "CHANGELOG.md, line 17"
        assert refused.value.problem == (
            f"{CURRENT} was released on {record.date} with other bytes ({first} differs, {count} file(s) in all): "
            "a version's bytes never change once released"
        )
        assert (
            refused.value.fix == "add a heading for the next patch version to CHANGELOG.md, and say what changed there"
        )
    check_same_bytes(
        Project(), _release(bumped(CURRENT, "minor")), {}, {}
    )  # a version not recorded yet: nothing to compare


def _records_root(tmp_path: Path, entries: dict[str, object]) -> Project:
    """A checkout holding only releases/, with the given entries: a dict is a record's
    release.json, a str a file's text."""
    for relative, content in entries.items():
        path = tmp_path / "releases" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content) if isinstance(content, dict) else content, encoding="utf-8", newline="\n")
    return Project(root=tmp_path)


def test_a_record_is_loaded_with_every_value_it_pins(tmp_path):
    from scripts.release.versions import load_records

    meta = {
        "version": "1.2.3",
        "date": "2026-12-01",
        "tables": {"clauses": {"sha256": "a" * 64, "columns": ["x"], "primary_key": ["x"]}},
        "files": {"p-1.2.3.zip": "b" * 64},
        "changelog_sha256": "c" * 64,
        "content": {"p-1.2.3.zip": "d" * 64},
    }
    project = _records_root(tmp_path, {"README.md": "What the records are.\n", "1.2.3/release.json": meta})
    (record,) = load_records(project).values()
    assert (
        record.version,
        record.date,
        record.folder,
        record.tables,
        record.files,
        record.changelog_sha256,
        record.content,
    ) == (
        "1.2.3",
        "2026-12-01",
        tmp_path / "releases" / "1.2.3",
        meta["tables"],
        meta["files"],
        meta["changelog_sha256"],
        meta["content"],
    )
    assert (
        record.workbook_fingerprint == "cells"
    )  # a record that does not say: those of 1.4.1 to 2.1.1, which pin cells
    assert load_records(Project(root=tmp_path / "none")) == {}  # no releases/ yet: no record


def test_a_record_says_how_it_pins_the_workbook_and_the_release_pins_it_so(tmp_path):
    from scripts.release.versions import load_records

    meta = {
        "version": "1.2.3",
        "date": "2026-12-01",
        "tables": {},
        "files": {},
        "content": {},
        "workbook_fingerprint": "parts",
    }
    (record,) = load_records(_records_root(tmp_path, {"1.2.3/release.json": meta})).values()
    assert record.workbook_fingerprint == "parts"
    records = load_records(Project())
    pinned = {version: records[version].workbook_fingerprint for version in records if records[version].content}
    assert {pinned[version] for version in pinned if version_numbers(version) <= (2, 1, 1)} == {
        "cells"
    }  # 1.4.1 to 2.1.1, as recorded
    assert {pinned[version] for version in pinned if version_numbers(version) > (2, 1, 1)} == {"parts"}  # 2.2.0 on
    assert "1.4.1" in pinned and "2.2.0" in pinned


def test_the_recorded_version_is_pinned_as_its_record_says_and_a_new_one_by_its_parts(package, built_files):
    from scripts.release.versions import plan

    assert plan(Project(root=package), built_files, _release(CURRENT)).workbook_fingerprint == "parts"
    assert plan(Project(root=package), built_files, _release(bumped(CURRENT, "patch"))).workbook_fingerprint == "parts"
    record = package / "releases" / CURRENT / "release.json"
    meta = json.loads(record.read_text(encoding="utf-8"))
    del meta["workbook_fingerprint"]  # as the records of 1.4.1 to 2.1.1 were written
    record.write_text(json.dumps(meta), encoding="utf-8", newline="\n")
    assert plan(Project(root=package), built_files, _release(CURRENT)).workbook_fingerprint == "cells"


_EDITED = "release records are written by make release and never edited: restore it with git"
# name: (entries of releases/, where, problem, fix)
_BAD_RECORDS = {
    "a file that is no record": (
        {"notes.txt": "x\n"},
        "releases/notes.txt",
        "is not a release record: releases/ holds one folder per released version, named X.Y.Z",
        "remove it; records are written by make release and never edited",
    ),
    "a folder that is no version": (
        {"latest/release.json": {"version": "latest", "tables": {}}},
        "releases/latest",
        "is not a release record: releases/ holds one folder per released version, named X.Y.Z",
        "remove it; records are written by make release and never edited",
    ),
    "a record of another version": (
        {"1.0.0/release.json": {"version": "1.0.1", "tables": {}}},
        "releases/1.0.0/release.json",
        "records version '1.0.1' in the folder of 1.0.0, or no tables",
        _EDITED,
    ),
    "a record without tables": (
        {"1.0.0/release.json": {"version": "1.0.0"}},
        "releases/1.0.0/release.json",
        "records version '1.0.0' in the folder of 1.0.0, or no tables",
        _EDITED,
    ),
    "a table named by a path": (
        {"1.0.0/release.json": {"version": "1.0.0", "tables": {"../x": {}}}},
        "releases/1.0.0/release.json",
        "names a table '../x', which is no table name (lower-case letters, digits and _)",
        _EDITED,
    ),
    "a workbook pinned by no known way": (
        {"1.0.0/release.json": {"version": "1.0.0", "tables": {}, "workbook_fingerprint": "bytes"}},
        "releases/1.0.0/release.json",
        "pins its workbook by 'bytes', which is none of cells, parts",
        _EDITED,
    ),
    "a long unknown way, cut in the message": (
        {"1.0.0/release.json": {"version": "1.0.0", "tables": {}, "workbook_fingerprint": "x" * 100}},
        "releases/1.0.0/release.json",
        f"pins its workbook by {'x' * 80!r}, which is none of cells, parts",
        _EDITED,
    ),
}


@pytest.mark.parametrize("case", sorted(_BAD_RECORDS))
def test_a_record_that_is_no_record_is_refused_by_name(tmp_path, case):
    from scripts.errors import PipelineError
    from scripts.release.versions import load_records

    entries, where, problem, fix = _BAD_RECORDS[case]
    with pytest.raises(PipelineError) as refused:
        load_records(_records_root(tmp_path, entries))
    assert (refused.value.where, refused.value.problem, refused.value.fix) == (where, problem, fix)


@pytest.mark.posix("a symbolic link, which Windows makes only with privileges")
def test_a_record_folder_that_is_a_link_is_refused(tmp_path):
    from scripts.errors import PipelineError
    from scripts.release.versions import load_records

    project = _records_root(tmp_path, {"1.0.0/release.json": {"version": "1.0.0", "tables": {}}})
    os.symlink(tmp_path / "releases" / "1.0.0", tmp_path / "releases" / "1.0.1")
    with pytest.raises(PipelineError) as refused:
        load_records(project)
    assert refused.value.where == "releases/1.0.1" and refused.value.problem.startswith("is not a release record")


def _changelog_edit(root: Path, old: str, new: str) -> None:
    path = root / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8", newline="\n")


def test_every_released_section_and_record_stays_as_released_and_each_refusal_says_where_and_how_to_fix(package):
    from scripts.errors import PipelineError
    from scripts.release.versions import check_released_sections, load_records

    check_released_sections(Project(root=package))  # as committed: accepted
    records = load_records(Project(root=package))
    previous = sorted(records, key=version_numbers)[-2]
    refusals = []
    for edit in (
        lambda root: _changelog_edit(
            root, f"## [{CURRENT}] - {records[CURRENT].date}\n", f"## [{CURRENT}] - {records[CURRENT].date} [YANKED]\n"
        ),
        lambda root: shutil.rmtree(root / "releases" / previous),
        lambda root: (
            _changelog_edit(root, f"## [{previous}] - ", f"## [{previous}] - ")
            or (root / "CHANGELOG.md").write_text(
                re.sub(
                    rf"\n## \[{re.escape(previous)}\] - .*?(?=\n## \[)",
                    "",
                    (root / "CHANGELOG.md").read_text(encoding="utf-8"),
                    count=1,
                    flags=re.DOTALL,
                ),
                encoding="utf-8",
                newline="\n",
            )
        ),
        lambda root: _changelog_edit(
            root,
            f"## [{previous}] - {records[previous].date}\n\n",
            f"## [{previous}] - {records[previous].date}\n\nA sentence added later.\n\n",
        ),
    ):
        shutil.rmtree(package.with_name("edited"), ignore_errors=True)
        root = shutil.copytree(package, package.with_name("edited"))
        edit(root)
        with pytest.raises(PipelineError) as refused:
            check_released_sections(Project(root=root))
        refusals.append((refused.value.where, refused.value.problem, refused.value.fix))
    line = next(
        number
        for number, text in enumerate((package / "CHANGELOG.md").read_text(encoding="utf-8").splitlines(), start=1)
        if text.startswith(f"## [{CURRENT}] - ")
    )
    previous_line = next(
        number
        for number, text in enumerate((package / "CHANGELOG.md").read_text(encoding="utf-8").splitlines(), start=1)
        if text.startswith(f"## [{previous}] - ")
    )
    date = records[previous].date
    assert refusals[0] == (
        f"CHANGELOG.md, line {line}",
        f"{CURRENT} is marked [YANKED], so it cannot be the version released",
        "add a heading for the next version above it; [YANKED] only withdraws a version already released",
    )
    assert refusals[1] == (
        f"releases/{previous}",
        f"is missing, though CHANGELOG.md line {previous_line} says {previous} was released: "
        "a released version's record is never removed",
        f"restore it (git checkout releases/{previous}); to withdraw the version, "
        "end its heading with ' [YANKED]' and say why in the next version's section",
    )
    assert refusals[2] == (
        "CHANGELOG.md",
        f"has no section for {previous}, which was released on {date} (releases/{previous}/): "
        "a released version stays in the changelog",
        "restore its section (git checkout CHANGELOG.md); "
        "to withdraw a version, add an entry that says so under a new version",
    )
    assert refusals[3] == (
        f"CHANGELOG.md, line {previous_line}",
        f"the section of {previous}, released on {date}, differs from the section released: "
        "it never changes once released",
        "restore it (git checkout CHANGELOG.md), and say what changed under the next version's heading",
    )


def _with_records_named(package: Path, versions: list[str]) -> Project:
    """The copy, with the current version's record copied under each of these versions (the same tables)."""
    for version in versions:
        target = package / "releases" / version
        shutil.copytree(package / "releases" / CURRENT, target)
        meta = json.loads((target / "release.json").read_text(encoding="utf-8"))
        (target / "release.json").write_text(json.dumps({**meta, "version": version}), encoding="utf-8", newline="\n")
    return Project(root=package)


def test_a_version_below_a_recorded_one_is_refused_naming_the_highest_by_its_numbers(package, built_files):
    from scripts.errors import PipelineError
    from scripts.release.versions import plan

    project = _with_records_named(
        package, ["9.9.0", "9.10.0"]
    )  # 9.10.0 is the higher, though "9.9.0" sorts after it as text
    with pytest.raises(PipelineError) as refused:
        plan(project, built_files, _release("9.8.0", line=13))
    assert (refused.value.where, refused.value.problem, refused.value.fix) == (
        "CHANGELOG.md, line 13",
        "9.8.0 is older than 9.10.0, which is already released (releases/9.10.0/)",
        "versions only grow: give this release a version above it",
    )


def test_a_version_is_compared_with_the_highest_recorded_below_it_by_its_numbers(package, built_files):
    from scripts.release.versions import plan

    found = plan(_with_records_named(package, ["9.9.0", "9.10.0"]), built_files, _release("9.11.0"))
    assert (found.previous_version, found.changes, found.recorded) == ("9.10.0", [], False)
    assert [version for version, _ in found.history][-3:] == ["9.9.0", "9.10.0", "9.11.0"]


def test_the_first_release_is_compared_with_nothing(package, built_files):
    from scripts.release.versions import plan

    for record in (package / "releases").iterdir():
        if record.is_dir():
            shutil.rmtree(record)
    found = plan(Project(root=package), built_files, _release("1.0.0"))
    first = [
        {
            "previous_version": None,
            "table": None,
            "primary_key": None,
            "kind": "first-release",
            "column": None,
            "old_value": None,
            "new_value": None,
        }
    ]
    assert (found.previous_version, found.changes, found.recorded, found.history) == (
        None,
        first,
        False,
        [("1.0.0", first)],
    )


def test_the_recorded_version_with_other_tables_is_refused_with_the_tables_that_differ(built_files):
    from scripts.errors import PipelineError
    from scripts.release.versions import load_records, plan

    files = _with_cell(
        built_files,
        b",Global Peace Mission,Global Peace Mission,",
        b",Global Peace Mission,Global Peace Mission (GPM),",
    )
    with pytest.raises(PipelineError) as refused:
        plan(Project(), files, _release(CURRENT, line=15))
    date = load_records(Project())[CURRENT].date
    assert (refused.value.where, refused.value.problem, refused.value.fix) == (
        "CHANGELOG.md, line 15",
        f"{CURRENT} was released on {date} with other tables (signatories differ): "
        "a version's bytes never change once released",
        "add a heading for the next version to CHANGELOG.md, as the change needs (see CHANGELOG.md's first lines)",
    )


def _record_copied_as(package: Path, version: str, edit=None) -> None:
    """releases/<version>/, a copy of the current version's record; `edit(folder, meta)` may change its files
    and pins before it is written."""
    target = package / "releases" / version
    shutil.copytree(package / "releases" / CURRENT, target)
    meta = {**json.loads((target / "release.json").read_text(encoding="utf-8")), "version": version}
    if edit:
        edit(target, meta)
    (target / "release.json").write_text(json.dumps(meta), encoding="utf-8", newline="\n")


def _without_row(folder: Path, meta: dict, table: str, starting: bytes) -> None:
    path = folder / f"{table}.csv"
    content = b"".join(line for line in path.read_bytes().splitlines(keepends=True) if not line.startswith(starting))
    path.write_bytes(content)
    meta["tables"][table]["sha256"] = hashlib.sha256(content).hexdigest()


def test_an_identifier_published_removed_and_added_again_is_refused_naming_the_last_record_that_published_it(
    package, built_files
):
    from scripts.errors import PipelineError
    from scripts.release.versions import plan

    _record_copied_as(package, "8.0.0")
    _record_copied_as(package, "9.0.0", lambda folder, meta: _without_row(folder, meta, "countries", b"US,"))
    with pytest.raises(PipelineError) as refused:
        plan(Project(root=package), built_files, _release("9.1.0", line=21))
    assert (refused.value.where, refused.value.problem) == (
        "CHANGELOG.md, line 21",
        "countries: row US was published in 8.0.0 and removed since: an identifier is never reused",
    )


def test_a_bump_too_small_is_refused_at_the_changelog_heading(package, built_files):
    from scripts.errors import PipelineError
    from scripts.release.versions import plan

    _record_copied_as(package, "9.0.0", lambda folder, meta: _without_row(folder, meta, "countries", b"US,"))
    with pytest.raises(PipelineError) as refused:
        plan(Project(root=package), built_files, _release("9.0.1", line=23))
    assert (refused.value.where, refused.value.problem) == (
        "CHANGELOG.md, line 23",
        "countries: row US added: a new row needs 9.1.0, not 9.0.1",
    )


def test_a_table_the_previous_record_lacks_is_a_new_table(package, built_files):
    from scripts.release.versions import plan

    def without_recognitions(folder: Path, meta: dict) -> None:
        del meta["tables"]["recognitions"]
        (folder / "recognitions.csv").unlink()

    _record_copied_as(package, "9.0.0", without_recognitions)
    found = plan(Project(root=package), built_files, _release("9.1.0"))
    assert [(c["previous_version"], c["table"], c["kind"]) for c in found.changes] == [
        ("9.0.0", "recognitions", "table-added")
    ]


def test_the_recorded_version_lacking_tables_is_refused_naming_each(package, built_files):
    from scripts.errors import PipelineError
    from scripts.release.versions import plan

    def without_two(folder: Path, meta: dict) -> None:
        for name in ("countries", "recognitions"):
            del meta["tables"][name]

    _record_copied_as(package, "9.0.0", without_two)
    with pytest.raises(PipelineError) as refused:
        plan(Project(root=package), built_files, _release("9.0.0"))
    names = [name for name in Project().table_names if name in ("countries", "recognitions")]
    assert f"with other tables ({names[0]}, {names[1]} differ)" in refused.value.problem


def test_a_table_with_the_bytes_of_the_previous_release_is_not_parsed_again(built_files):
    from scripts.release.versions import current_tables, plan

    found = plan(Project(), built_files, _release(bumped(CURRENT, "patch")))
    assert (found.previous_version, found.changes) == (CURRENT, [])
    tables = current_tables(Project(), built_files, {"countries"})
    assert tables["countries"].rows == {} and len(tables["signatories"].rows) == 23


def test_a_cell_holding_a_line_break_reads_back_as_written(package, built_files):
    from scripts.release.versions import Record, current_tables, load_records

    path = "data/countries.csv"
    files = _with_cell(built_files, b"\nBE,BEL,Belgium,", b'\nBE,BEL,"Belgium\r\nline two",', table="countries")
    assert current_tables(Project(), files, set())["countries"].rows["BE"]["name"] == "Belgium\r\nline two"
    record = load_records(Project())[CURRENT]
    (package / "releases" / CURRENT / "countries.csv").write_bytes(files[path])
    copied = Record(record.version, record.date, package / "releases" / CURRENT, record.tables)
    assert copied.table("countries").rows["BE"]["name"] == "Belgium\r\nline two"


def test_a_record_whose_table_file_is_missing_is_refused_by_its_path(package):
    from scripts.errors import PipelineError
    from scripts.release.versions import load_records

    (package / "releases" / "1.0.0" / "countries.csv").unlink()
    with pytest.raises(PipelineError) as refused:
        load_records(Project(root=package))["1.0.0"].table("countries")
    assert (refused.value.where, refused.value.problem) == ("releases/1.0.0/countries.csv", "file not found")


def test_a_record_without_a_date_has_an_empty_one(tmp_path):
    from scripts.release.versions import load_records

    project = _records_root(tmp_path, {"1.0.0/release.json": {"version": "1.0.0", "tables": {}}})
    assert load_records(project)["1.0.0"].date == ""


def test_an_entry_after_the_records_readme_is_checked_too(tmp_path):
    from scripts.errors import PipelineError
    from scripts.release.versions import load_records

    with pytest.raises(PipelineError) as refused:
        load_records(_records_root(tmp_path, {"README.md": "x\n", "zz.txt": "x\n"}))  # sorts after README.md
    assert refused.value.where == "releases/zz.txt"


def test_a_record_that_is_no_json_is_refused_by_its_path(tmp_path):
    from scripts.errors import PipelineError
    from scripts.release.versions import load_records

    with pytest.raises(PipelineError) as refused:
        load_records(_records_root(tmp_path, {"1.0.0/release.json": "{"}))
    assert refused.value.where.startswith("releases/1.0.0/release.json, line 1")


def test_a_long_table_name_is_shown_cut_at_80_characters(tmp_path):
    from scripts.errors import PipelineError
    from scripts.release.versions import load_records

    name = "X" + "y" * 99
    with pytest.raises(PipelineError) as refused:
        load_records(_records_root(tmp_path, {"1.0.0/release.json": {"version": "1.0.0", "tables": {name: {}}}}))
    assert (
        refused.value.problem
        == f"names a table {name[:80]!r}, which is no table name (lower-case letters, digits and _)"
    )


@pytest.mark.posix("a symbolic link, which Windows makes only with privileges")
def test_a_records_folder_that_is_a_link_is_refused_by_name(tmp_path):
    from scripts.errors import PipelineError
    from scripts.release.versions import load_records

    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "releases")
    with pytest.raises(PipelineError) as refused:
        load_records(Project(root=tmp_path))
    assert refused.value.where == "releases" and refused.value.problem.startswith("is a symbolic link")


def test_released_sections_are_checked_in_version_order_past_records_that_pin_none(package):
    from scripts.errors import PipelineError
    from scripts.release.versions import check_released_sections

    _record_copied_as(
        package, "0.8.0", lambda folder, meta: meta.pop("changelog_sha256")
    )  # a record from before sections were pinned
    _record_copied_as(package, "0.9.0")
    _record_copied_as(package, "0.10.0")  # "0.10.0" sorts before "0.9.0" as text
    with pytest.raises(PipelineError) as refused:
        check_released_sections(Project(root=package))
    assert refused.value.problem.startswith("has no section for 0.9.0, which was released on")


def test_a_record_is_written_with_its_pins_under_their_names_even_where_releases_is_not_yet_a_folder(
    package, built_files
):
    from scripts.release.versions import section_bytes, write_record

    shutil.rmtree(package / "releases")
    release = _release("9.9.9")
    stale = package / "releases" / f".9.9.9.tmp-{os.getpid()}"
    write_record(Project(root=package), built_files, release, {}, {}, "parts")
    raw = (package / "releases" / "9.9.9" / "release.json").read_bytes()
    written = json.loads(raw)
    assert raw == (json.dumps(written, indent=2) + "\n").encode("utf-8")
    assert written["changelog_sha256"] == hashlib.sha256(section_bytes(release)).hexdigest()
    assert written["tables"]["countries"]["sha256"] == hashlib.sha256(built_files["data/countries.csv"]).hexdigest()
    shutil.rmtree(package / "releases" / "9.9.9")
    stale.mkdir()
    (stale / "left.txt").write_text(
        "from a run that stopped", encoding="utf-8", newline="\n"
    )  # a run killed half way leaves its folder aside
    write_record(Project(root=package), built_files, release, {}, {}, "parts")
    assert sorted(p.name for p in (package / "releases" / "9.9.9").iterdir()) == sorted(
        [*(f"{n}.csv" for n in Project().table_names), "release.json"]
    )
