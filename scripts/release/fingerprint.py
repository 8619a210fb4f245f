"""What a released file holds, read back, for the files whose bytes a native library writes (SQLite, zlib, ReadStat)."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from ..formats import archive

# SQLite writes the database and zlib deflates the zip and the workbook: another version of either (the one a
# Windows or macOS Python bundles, zlib-ng in Python 3.14 on Windows) writes other bytes for the same content.
# The folder's checksum file lists those files' bytes, so it differs with them.
# ReadStat stamps the time of writing into an SPSS file: a .sav is pinned by its labels and values, read back.
NATIVE_SUFFIXES = (".zip", ".sqlite", ".xlsx", ".sav")
# How a record pins a workbook: records of 1.4.1 to 2.1.1 pin its cells, as openpyxl reads them back (slowly, for a
# corpus); later ones pin its XML parts, unpacked, as a zip's other entries: xlsxwriter, pure Python and pinned,
# writes the same parts on every system, and only their compression differs. A record says which it pins.
WORKBOOK_BY_CELLS, WORKBOOK_BY_PARTS = "cells", "parts"
WORKBOOK_FINGERPRINTS = (WORKBOOK_BY_CELLS, WORKBOOK_BY_PARTS)


def is_native(path: str) -> bool:
    """Whether a release file's bytes depend on a native library, so that a record pins what it holds instead."""
    # SHA256SUMS was the folder's checksum file before 1.8.0.
    return path.endswith(NATIVE_SUFFIXES) or path.endswith((f"/{archive.FOLDER_SUMS}", f"/{archive.SUMS}"))


def fingerprint(path: Path, known: dict[str, str] | None = None, workbook: str = WORKBOOK_BY_PARTS) -> str:
    """sha256 of what the file holds: a zip's entries, a database's schema and rows, a workbook's parts (or cells),
    or the sums of byte-stable files. `known` gives the fingerprint of a file by the sha256 of its bytes: a zip's
    database and workbook are the files beside it, whose fingerprints are then not read again."""
    if workbook not in WORKBOOK_FINGERPRINTS:
        raise ValueError(f"{workbook!r} is not a way to fingerprint a workbook ({', '.join(WORKBOOK_FINGERPRINTS)})")
    digest = hashlib.sha256()
    for line in _lines(path, known or {}, workbook):
        digest.update(line.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


def _lines(path: Path, known: dict[str, str], workbook: str):
    name = path.name
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive_file, tempfile.TemporaryDirectory() as unpacked:
            for index, info in enumerate(archive_file.infolist()):
                # The database and workbook in it are pinned by what they hold, too.
                if is_native("/" + info.filename):  # "/": a checksum file at the zip's root, too
                    entry_path = Path(archive_file.extract(info, Path(unpacked) / str(index)))
                    entry = known.get(archive.sha256_of(entry_path)) or fingerprint(entry_path, workbook=workbook)
                    yield f"{info.filename}\t{entry}"
                    continue
                yield _entry_line(archive_file, info)
    elif name.endswith(".sqlite"):
        yield from _database_lines(path)
    elif name.endswith(".xlsx") and workbook == WORKBOOK_BY_PARTS:
        with zipfile.ZipFile(path) as parts:
            yield from (_entry_line(parts, info) for info in parts.infolist())
    elif name.endswith(".xlsx"):
        yield from _workbook_cells(path)
    elif name.endswith(".sav"):
        yield from _sav_lines(path)
    elif name in (archive.FOLDER_SUMS, archive.SUMS):
        # The lines of byte-stable files; those of native files name bytes that their own fingerprints stand for.
        yield from (line for line in path.read_text(encoding="utf-8").splitlines()
                    if not is_native("/" + line.split("  ", 1)[-1]))
    else:
        raise ValueError(f"{path} is not a file whose bytes a native library writes")


def _entry_line(archive_file: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """An entry's name and the sha256 of its bytes, unpacked: what it holds, however it was compressed."""
    with archive_file.open(info) as entry:
        return f"{info.filename}\t{hashlib.file_digest(entry, 'sha256').hexdigest()}"


def _database_lines(path: Path):
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        query = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        objects = connection.execute(query).fetchall()
        shadow = _shadow_tables(connection, objects)
        for kind, name, table, sql in objects:
            if name in shadow or name.startswith("sqlite_"):
                continue  # an index's own pages: SQLite's internal format, which its versions may write differently
            yield f"{kind}\t{name}\t{table}\t{sql}"
            if kind == "table":
                for row in connection.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):
                    yield repr(row)
    finally:
        connection.close()


def _shadow_tables(connection: sqlite3.Connection, objects: list[tuple]) -> set[str]:
    """The tables a virtual table (full-text search) keeps its index in."""
    try:
        return {name for _, name, kind, *_ in connection.execute("PRAGMA table_list") if kind == "shadow"}
    except sqlite3.OperationalError:  # SQLite before 3.37: the tables that FTS5 names after its virtual table
        virtual = [name for kind, name, _, sql in objects
                   if kind == "table" and (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
        return {name for _, name, _, _ in objects if any(name.startswith(f"{table}_") for table in virtual)}


def _sav_lines(path: Path):
    """An SPSS file's label, columns, their labels, formats and value labels, then its rows."""
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(path))
    yield repr((meta.file_label, meta.column_names, meta.column_labels, meta.original_variable_types,
                sorted(meta.variable_value_labels.items())))
    for row in frame.itertuples(index=False, name=None):
        yield repr(row)


def _workbook_cells(path: Path):
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        for sheet in workbook.worksheets:
            yield f"sheet\t{sheet.title}"
            for row in sheet.iter_rows(values_only=True):
                yield repr(row)
    finally:
        workbook.close()
