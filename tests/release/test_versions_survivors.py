"""Behaviours of the release's version check that make mutate found no test for (issue #46): each test names the one
it pins. They plan a release from the committed tables and records, or read a record made for the test."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from scripts.inputs.changelog import Release
from scripts.inputs.project import Project
from scripts.release.versions import load_records, plan

CURRENT = Project().changelog_version()


def test_a_records_table_with_rows_ending_in_a_bare_cr_reads_as_the_same_rows(tmp_path):
    """A record's CSV is read as csv reads a file opened with newline="": CR line endings give the rows LF ones do."""
    folder = tmp_path / "releases" / "1.0.0"
    folder.mkdir(parents=True)
    table = {"sha256": "0" * 64, "columns": ["id", "name"], "primary_key": ["id"]}
    record = {"version": "1.0.0", "tables": {"things": table}}
    (folder / "release.json").write_text(json.dumps(record), encoding="utf-8", newline="\n")
    rows = {}
    for ending in ("\n", "\r"):
        (folder / "things.csv").write_bytes(ending.join(["id,name", "1,one", '2,"two, too"', ""]).encode())
        rows[ending] = load_records(Project(root=tmp_path))["1.0.0"].table("things").rows
    assert rows["\r"] == rows["\n"] == {"1": {"id": "1", "name": "one"}, "2": {"id": "2", "name": "two, too"}}


def test_a_table_with_the_bytes_the_previous_record_pins_has_no_changes_whatever_its_records_copy_holds(package):
    """The previous release's sha256 pin decides that a table is unchanged: its CSV copy in the record, edited
    since, is not diffed again (the edit shows in that record's own step of the history)."""
    previous = package / "releases" / "9.0.0"
    shutil.copytree(package / "releases" / CURRENT, previous)
    meta = json.loads((previous / "release.json").read_text(encoding="utf-8"))
    (previous / "release.json").write_text(json.dumps({**meta, "version": "9.0.0"}), encoding="utf-8",
                                          newline="\n")
    copy = previous / "countries.csv"
    content = copy.read_bytes()
    assert content.count(b"\nBE,BEL,Belgium,") == 1
    copy.write_bytes(content.replace(b"\nBE,BEL,Belgium,", b"\nBE,BEL,Belgium (edited),"))
    project = Project(root=package)
    files = {project.table_path(name): (package / project.table_path(name)).read_bytes()
             for name in project.table_names}
    found = plan(project, files, Release("9.0.1", dt.date(2026, 12, 7), 11, ("A change.",), "### Fixed\n- A change."))
    assert (found.previous_version, found.changes) == ("9.0.0", [])
    assert [(c["table"], c["primary_key"], c["new_value"]) for c in dict(found.history)["9.0.0"]] == [
        ("countries", "BE", "Belgium (edited)")]
