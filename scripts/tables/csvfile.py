"""Write and read table CSVs: UTF-8 without BOM, LF line endings, a header, RFC 4180 quoting."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..cells import FROM_TEXT, field_names, to_cell

# Python's csv reads a field of at most 131,072 characters by default, and a clause is any length a document gives
# it; 2**31 - 1 is the largest the C long of every platform holds.
csv.field_size_limit(2**31 - 1)
# A table CSV's rows, each a dict of its cells as text, however long a cell is.
dict_rows = csv.DictReader


@dataclass(frozen=True, eq=False)
class WrittenFile:
    """A file the build wrote to its temporary folder: its size and sha256 known, its bytes read only where needed."""

    path: Path
    size: int
    sha256: str
    folder: object = field(default=None, repr=False)  # its temporary folder, kept as long as the file is used


# What the build makes of a file: its bytes, or, for a table, the file it wrote them to.
Content = bytes | WrittenFile


def size_and_sha256(content: Content) -> tuple[int, str]:
    if isinstance(content, WrittenFile):
        return content.size, content.sha256
    return len(content), hashlib.sha256(content).hexdigest()


def bytes_of(content: Content) -> bytes:
    return content.path.read_bytes() if isinstance(content, WrittenFile) else content


def write_content(target: Path, content: Content) -> None:
    """The content at target, copied from the build's file where it is one."""
    if isinstance(content, WrittenFile):
        shutil.copyfile(content.path, target)
    else:
        target.write_bytes(content)


def csv_bytes(rows: list[dict], schema: dict) -> bytes:
    """The exact bytes of a table's CSV, its columns in the schema's order."""
    text = io.StringIO(newline="")
    _write_rows(text, rows, schema)
    return text.getvalue().encode("utf-8")


def write_csv(target: Path, rows, schema: dict, folder: object = None) -> WrittenFile:
    """A table's CSV written to target, as csv_bytes gives it."""
    with target.open("w", encoding="utf-8", newline="") as stream:
        _write_rows(stream, rows, schema)
    with target.open("rb") as stream:
        sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
    return WrittenFile(target, target.stat().st_size, sha256, folder)


def _write_rows(stream, rows, schema: dict) -> None:
    columns, fields = field_names(schema), schema["fields"]
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([to_cell(row[column], field) for column, field in zip(columns, fields)])


def csv_rows(path: str, fields: list[dict]) -> Iterator[list]:
    """A table CSV's rows after its header, each a list of values of the fields' types (None for an empty cell)."""
    value_of = [FROM_TEXT.get(field["type"], str) for field in fields]
    with open(path, encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        next(reader, None)
        for cells in reader:
            yield [convert(cell) if cell else None for convert, cell in zip(value_of, cells)]
