"""Check a release's version against what changed since the previous release, from the records in releases/."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..cells import field_names
from ..errors import PipelineError
from ..formats import diff
from ..inputs.changelog import GRAMMAR, SEMVER, Release, version_numbers
from ..inputs.files import check_folder, read_input
from ..inputs.project import Project, read_json
from ..tables.csvfile import Content, bytes_of, dict_rows, size_and_sha256, write_content
from .fingerprint import WORKBOOK_BY_CELLS, WORKBOOK_BY_PARTS, WORKBOOK_FINGERPRINTS

RECORDS = "releases"
_TABLE_NAME = re.compile(r"[a-z][a-z0-9_]*")  # as schemas/ names them: never a path
RECORD_FILE = "release.json"
YANKED = GRAMMAR["yanked_marker"]
# The smallest bump each kind of change needs (SemVer for data, as CHANGELOG.md states).
_NEEDS = {
    "table-removed": ("major", "a removed table"), "column-removed": ("major", "a removed or renamed column"),
    "row-removed": ("major", "a removed identifier"), "table-added": ("minor", "a new table"),
    "column-added": ("minor", "a new column"), "row-added": ("minor", "a new row"),
    "cell-changed": ("patch", "a corrected value"),
}
_NEVER_EDITED = "release records are written by make release and never edited: restore it with git"


@dataclass(frozen=True)
class Record:
    """What a released version's tables were: enough to diff against and to prove its bytes never change."""

    version: str
    date: str
    folder: Path
    tables: dict[str, dict]  # name -> {"sha256", "columns", "primary_key"}
    files: dict[str, str] | None = None  # every released file's sha256 by its path in dist/ (records from 1.1.1 on)
    changelog_sha256: str | None = None  # of the version's CHANGELOG.md section, as released
    # What each file a native library writes holds (fingerprint.py), by its path in dist/ (records from 1.4.1 on).
    content: dict[str, str] | None = None
    workbook_fingerprint: str = WORKBOOK_BY_CELLS  # how `content` pins the workbook: its cells (to 2.1.1) or its parts

    def holds_the_same(self, path: str, digests: dict[str, str], contents: dict[str, str]) -> bool:
        """Whether a released file is as recorded: by what it holds where the record pins that, else by its bytes."""
        if self.content is not None and path in self.content:
            return contents.get(path) == self.content[path]
        return self.files.get(path) == digests.get(path)

    def table(self, name: str) -> diff.Table:
        relative = f"{RECORDS}/{self.version}/{name}.csv"
        content = read_input(self.folder / f"{name}.csv", self.folder.parent.parent, relative)
        return diff.Table.of(self.tables[name]["columns"], self.tables[name]["primary_key"], _rows(content))


@dataclass(frozen=True)
class Plan:
    """The release's place among the recorded ones: what it is compared with, and what changed."""

    previous_version: str | None
    changes: list[dict]
    recorded: bool  # this very version is already recorded, with these tables
    # (version, its changes from the release before it), every step since the first, this one last
    history: list[tuple[str, list[dict]]]
    workbook_fingerprint: str  # how to pin the workbook: as this version's record does, or by its parts for a new one


def _rows(content: bytes):
    return dict_rows(io.StringIO(content.decode("utf-8"), newline=""))


def load_records(project: Project) -> dict[str, Record]:
    records = {}
    folder = project.root / RECORDS
    check_folder(folder, project.root, RECORDS)
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        relative = entry.relative_to(project.root).as_posix()
        if entry.name == "README.md" and entry.is_file() and not entry.is_symlink():
            continue  # says what the records are
        if entry.is_symlink() or not entry.is_dir() or not SEMVER.fullmatch(entry.name):
            raise PipelineError(relative, "is not a release record: releases/ holds one folder per released version, "
                                "named X.Y.Z", "remove it; records are written by make release and never edited")
        where = f"{relative}/{RECORD_FILE}"
        meta = read_json(entry / RECORD_FILE, where, project.root)
        if meta.get("version") != entry.name or not isinstance(meta.get("tables"), dict):
            raise PipelineError(where, f"records version {meta.get('version')!r} in the folder of {entry.name}, or no "
                                "tables", _NEVER_EDITED)
        unknown = [name for name in meta["tables"] if not _TABLE_NAME.fullmatch(str(name))]
        if unknown:
            raise PipelineError(where, f"names a table {unknown[0][:80]!r}, which is no table name (lower-case "
                                "letters, digits and _)", _NEVER_EDITED)
        # A record that does not say is one of those that pin cells.
        workbook = meta.get("workbook_fingerprint", Record.workbook_fingerprint)
        if workbook not in WORKBOOK_FINGERPRINTS:
            raise PipelineError(where, f"pins its workbook by {str(workbook)[:80]!r}, which is none of "
                                f"{', '.join(WORKBOOK_FINGERPRINTS)}", _NEVER_EDITED)
        records[entry.name] = Record(entry.name, meta.get("date", ""), entry, meta["tables"], meta.get("files"),
                                     meta.get("changelog_sha256"), meta.get("content"), workbook)
    return records


def current_tables(project: Project, files: dict[str, Content], unchanged: set[str]) -> dict[str, diff.Table]:
    """Each table as diff compares it; one whose bytes are unchanged has no changes, so its rows are not read."""
    tables = {}
    for name in project.table_names:
        rows = [] if name in unchanged else _rows(bytes_of(files[project.table_path(name)]))
        tables[name] = diff.Table.of(field_names(project.schemas[name]), project.schemas[name]["primaryKey"], rows)
    return tables


def plan(project: Project, files: dict[str, Content], release: Release) -> Plan:
    """Refuse a version too small for what changed, a released version with other bytes, and a reused identifier."""
    records = load_records(project)
    heading = f"CHANGELOG.md, line {release.line}"
    version = release.version

    def table_sha256(name: str) -> str:
        return size_and_sha256(files[project.table_path(name)])[1]
    newer = sorted((v for v in records if version_numbers(v) > release.numbers), key=version_numbers)
    if newer:
        raise PipelineError(heading, f"{version} is older than {newer[-1]}, which is already released "
                            f"({RECORDS}/{newer[-1]}/)", "versions only grow: give this release a version above it")
    if version in records:
        record = records[version]
        differing = [name for name in project.table_names
                     if record.tables.get(name, {}).get("sha256") != table_sha256(name)]
        differing += [name for name in record.tables if name not in project.table_names]
        if differing:
            raise PipelineError(heading, f"{version} was released on {record.date} with other tables "
                                f"({', '.join(differing)} differ): a version's bytes never change once released",
                                "add a heading for the next version to CHANGELOG.md, as the change needs (see "
                                "CHANGELOG.md's first lines)")
    older = sorted((v for v in records if version_numbers(v) < release.numbers), key=version_numbers)
    previous = records[older[-1]] if older else None
    history, previous_tables = _history([records[v] for v in older])
    if previous is None:
        found = diff.first_release()
    else:
        # A table with the same bytes as in the previous release has no changes: it is not parsed again.
        unchanged = {name for name in project.table_names
                     if previous.tables.get(name, {}).get("sha256") == table_sha256(name)}
        current = current_tables(project, files, unchanged)
        before = {name: current[name] if name in unchanged else previous_tables[name] for name in previous.tables}
        found = diff.changes(previous.version, before, current)
    if previous and version not in records:
        _check_bump(version, previous.version, found, heading)
        _check_no_reuse([records[v] for v in older[:-1]], found, heading)
    workbook = records[version].workbook_fingerprint if version in records else WORKBOOK_BY_PARTS
    return Plan(previous.version if previous else None, found, version in records, [*history, (version, found)],
                workbook)


def _history(records: list[Record]) -> tuple[list[tuple[str, list[dict]]], dict[str, diff.Table]]:
    """Each recorded version's changes from the one before it, oldest first (the oldest is the first release), and
    the newest one's tables."""
    steps, previous_version, previous_tables = [], None, {}
    for record in records:
        tables = {name: record.table(name) for name in record.tables}
        steps.append((record.version, diff.changes(previous_version, previous_tables, tables)))
        previous_version, previous_tables = record.version, tables
    return steps, previous_tables


def _check_bump(version: str, previous: str, found: list[dict], heading: str) -> None:
    major, minor, patch = version_numbers(previous)
    needed = {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}
    for level in ("major", "minor", "patch"):
        forcing = [change for change in found if _NEEDS[change["kind"]][0] == level]
        if forcing and version_numbers(version) < version_numbers(needed[level]):
            first = forcing[0]
            more = f" (and {len(forcing) - 1:,} more such change(s))" if len(forcing) > 1 else ""
            raise PipelineError(heading, f"{_describe(first)}: {_NEEDS[first['kind']][1]} needs {needed[level]}, not "
                                f"{version}{more}", f"release it as {needed[level]} or above; the table of changes "
                                f"lists every change since {previous}")


def _check_no_reuse(earlier: list[Record], found: list[dict], heading: str) -> None:
    """An identifier published once and removed later never comes back, with this meaning or another."""
    added: dict[str, list[str]] = {}
    for change in found:
        if change["kind"] == "row-added":
            added.setdefault(change["table"], []).append(change["primary_key"])
    for record in sorted(earlier, key=lambda r: version_numbers(r.version), reverse=True):
        for name, keys in added.items():
            if name not in record.tables:
                continue
            published = record.table(name).rows  # read once per record and table, not once per row
            for key in keys:
                if key in published:  # added now, so not in the previous release: it was removed in between
                    raise PipelineError(heading, f"{name}: row {key} was published in {record.version} and removed "
                                        "since: an identifier is never reused",
                                        "give the new row a new identifier (for a document, a new agreement_id)")


def _describe(change: dict) -> str:
    table, key, column = change["table"], change["primary_key"], change["column"]
    if change["kind"] == "cell-changed":
        return f"{table}: row {key}, {column} changed from {change['old_value']!r} to {change['new_value']!r}"
    noun, verb = change["kind"].split("-")  # "row-added": "<table>: row <key> added"
    subject = {"table": f"table {table}", "column": f"{table}: column {column}", "row": f"{table}: row {key}"}[noun]
    return f"{subject} {verb}"


def check_released_sections(project: Project) -> None:
    """The CHANGELOG.md section of every released version is there, as it was released, and so is its record unless
    the version is yanked."""
    sections = {release.version: release for release in project.releases}
    records = load_records(project)
    newest, *released = project.releases
    if newest.yanked:
        raise PipelineError(f"CHANGELOG.md, line {newest.line}", f"{newest.version} is marked {YANKED}, so it cannot "
                            "be the version released", f"add a heading for the next version above it; {YANKED} only "
                            "withdraws a version already released")
    for release in released:
        if release.version not in records and not release.yanked:
            raise PipelineError(f"{RECORDS}/{release.version}", f"is missing, though CHANGELOG.md line {release.line} "
                                f"says {release.version} was released: a released version's record is never removed",
                                f"restore it (git checkout {RECORDS}/{release.version}); to withdraw the version, end "
                                f"its heading with ' {YANKED}' and say why in the next version's section")
    for version, record in sorted(records.items(), key=lambda item: version_numbers(item[0])):
        if record.changelog_sha256 is None:
            continue
        section = sections.get(version)
        if section is None:
            raise PipelineError("CHANGELOG.md", f"has no section for {version}, which was released on {record.date} "
                                f"({RECORDS}/{version}/): a released version stays in the changelog",
                                "restore its section (git checkout CHANGELOG.md); to withdraw a version, add an entry "
                                "that says so under a new version")
        if hashlib.sha256(section_bytes(section)).hexdigest() != record.changelog_sha256:
            raise PipelineError(f"CHANGELOG.md, line {section.line}", f"the section of {version}, released on "
                                f"{record.date}, differs from the section released: it never changes once released",
                                "restore it (git checkout CHANGELOG.md), and say what changed under the next version's "
                                "heading")


def section_bytes(release: Release) -> bytes:
    """What a record pins of a version's changelog section: its heading's version and date, and its text."""
    return f"{release.version}\n{release.date.isoformat()}\n{release.text}".encode("utf-8")


def check_same_bytes(project: Project, release: Release, digests: dict[str, str], contents: dict[str, str]) -> None:
    """Releasing a recorded version again gives the very bytes it was released with, file by file, or is refused.
    A file that SQLite or zlib writes is compared by what it holds, where the record pins that."""
    record = load_records(project).get(release.version)
    if record is None or record.files is None:
        return
    differing = sorted(path for path in set(record.files) | set(digests)
                       if not record.holds_the_same(path, digests, contents))
    if differing:
        raise PipelineError(f"CHANGELOG.md, line {release.line}",
                            f"{release.version} was released on {record.date} with other bytes ({differing[0]} "
                            f"differs, {len(differing)} file(s) in all): a version's bytes never change once released",
                            "add a heading for the next patch version to CHANGELOG.md, and say what changed there")


def write_record(project: Project, files: dict[str, Content], release: Release, digests: dict[str, str],
                 contents: dict[str, str], workbook_fingerprint: str) -> None:
    """releases/<version>/: each table's CSV and release.json, which pins every released file (`contents`: what each
    file a native library writes holds) and the changelog section, written aside then renamed into place."""
    target = project.root / RECORDS / release.version
    if target.exists():
        return
    aside = target.with_name(f".{release.version}.tmp-{os.getpid()}")
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir(parents=True)
    tables = {}
    for name in project.table_names:
        content = files[project.table_path(name)]
        write_content(aside / f"{name}.csv", content)
        tables[name] = {"sha256": size_and_sha256(content)[1], "columns": field_names(project.schemas[name]),
                        "primary_key": project.schemas[name]["primaryKey"]}
    meta = {"version": release.version, "date": release.date.isoformat(), "tables": tables,
            "changelog_sha256": hashlib.sha256(section_bytes(release)).hexdigest(),
            "files": dict(sorted(digests.items())), "content": dict(sorted(contents.items())),
            "workbook_fingerprint": workbook_fingerprint}
    # LF on every OS, as committed.
    (aside / RECORD_FILE).write_bytes((json.dumps(meta, indent=2) + "\n").encode("utf-8"))
    os.rename(aside, target)
