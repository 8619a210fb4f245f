"""Write what changed since the previous release: a table of changes, cell by cell, and a short summary in words."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from .escape import markdown_code, markdown_text

CSV_PATH = "data/changes.csv"
SCHEMA_PATH = "schemas/changes.json"
NOTES_PATH = "RELEASE-NOTES.md"
KEY_SEPARATOR = "|"  # between the values of a composite primary key


@dataclass(frozen=True)
class Table:
    """One table as released: its columns, its primary key and its rows as CSV text, by key."""

    columns: list[str]
    primary_key: list[str]
    rows: dict[str, dict[str, str]]  # key (values joined by KEY_SEPARATOR) -> cell by column

    @classmethod
    def of(cls, columns: list[str], primary_key: list[str], rows: list[dict[str, str]]) -> Table:
        return cls(columns, primary_key, {KEY_SEPARATOR.join(row[k] for k in primary_key): row for row in rows})


def first_release() -> list[dict]:
    """The changes of the first release, which has nothing to compare with: one row of kind first-release."""
    return [_change(None, "first-release")]


def changes(previous_version: str | None, previous: dict[str, Table], current: dict[str, Table]) -> list[dict]:
    """Every change from `previous` to `current`, tables in the current order, then removed tables. A new or removed
    column is one change, not one per cell; a new or removed row likewise."""
    if previous_version is None:
        return first_release()
    change = functools.partial(_change, previous_version)
    found = []
    for name, table in current.items():
        if name not in previous:
            found.append(change("table-added", name))
            continue
        old = previous[name]
        found += [change("column-removed", name, None, c) for c in old.columns if c not in table.columns]
        found += [change("column-added", name, None, c) for c in table.columns if c not in old.columns]
        shared = [c for c in table.columns if c in old.columns]
        for key, row in table.rows.items():
            before = old.rows.get(key)
            if before is None:
                found.append(change("row-added", name, key))
            else:
                found += [change("cell-changed", name, key, c, before[c], row[c])
                          for c in shared if before[c] != row[c]]
        found += [change("row-removed", name, key) for key in old.rows if key not in table.rows]
    return found + [change("table-removed", name) for name in previous if name not in current]


def numbered(steps: list[tuple[str, list[dict]]]) -> list[dict]:
    """The changes of every step, (version, its changes) oldest first, as rows of the changes table: each names the
    version it came in."""
    rows = []
    for version, found in steps:
        rows += [{"change_number": len(rows) + number, **change, "version": version}
                 for number, change in enumerate(found, start=1)]
    return rows


def _change(previous_version, kind, table=None, key=None, column=None, old=None, new=None) -> dict:
    return {"previous_version": previous_version, "table": table, "primary_key": key, "kind": kind, "column": column,
            "old_value": old, "new_value": new}


def summary(version: str, previous_version: str | None, found: list[dict]) -> str:
    """The changes in a few lines of Markdown: counts per table and kind, and each changed cell while there are few."""
    if previous_version is None:
        return f"{version} is the first release: there is no previous version to compare with."
    if not found:
        return f"The tables of {version} are the same as those of {previous_version}."
    lines = [f"Changes in the tables since {previous_version} ({len(found):,} in all; every one is in "
             f"`{CSV_PATH}`):", ""]
    for (table, kind), count in Counter((change["table"], change["kind"]) for change in found).items():
        columns = sorted({c["column"] for c in found if c["table"] == table and c["kind"] == kind and c["column"]})
        shown = ", ".join(markdown_code(c) for c in columns[:6]) + (", …" if len(columns) > 6 else "")
        noun, verb = kind.split("-")  # "row-added": row(s) added
        lines.append(f"- {markdown_code(table)}: {count:,} {noun}(s) {verb}" + (f" ({shown})" if columns else ""))
    cells = [c for c in found if c["kind"] == "cell-changed"]
    if 0 < len(cells) <= 10:
        lines += ["", "Changed values:", ""]
        # Values as Python writes them (quoted, control characters escaped), then escaped for Markdown.
        lines += [f"- {markdown_code(c['table'])} {markdown_code(c['primary_key'])} {markdown_code(c['column'])}: "
                  f"{markdown_text(repr(c['old_value']))} → {markdown_text(repr(c['new_value']))}" for c in cells]
    return "\n".join(lines)
