"""Load a package from disk, as a user would receive it, for validation."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..cells import field_names
from ..errors import Problem, error

# Windows opens a file descriptor in text mode unless told otherwise: it would stop at byte 0x1A and turn CRLF
# into LF.
_BINARY = getattr(os, "O_BINARY", 0)


@dataclass
class TableFile:
    """One table resource: its descriptor entry, schema and cells read as text (its bytes are read again when a check
    needs them)."""

    resource: dict
    schema: dict
    cells: pa.Table | None = None  # every column as text; None when unreadable, and for Parquet (its check reads it)
    header_ok: bool = True  # the CSV's header is the schema's field names in order

    @property
    def readable(self) -> bool:
        """Its cells can be trusted to sit under the right column names."""
        return self.cells is not None and self.header_ok

    @property
    def name(self) -> str:
        return self.resource["name"]

    @property
    def path(self) -> str:
        return self.resource["path"]

    @property
    def is_csv(self) -> bool:
        return self.resource.get("format", "csv") == "csv"


@dataclass
class LoadedPackage:
    root: Path
    descriptor_path: Path
    descriptor: dict | None = None
    tables: dict[str, TableFile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # False: the project's checks prove every file's hash and bytes, and the foreign keys.
    frictionless_checks_integrity: bool = True
    # Bytes read in place of a file's (None: as if it were gone), to check a change without writing it.
    replaced: dict[str, bytes | None] = field(default_factory=dict)
    inventory: Inventory | None = None  # what the walk of data/ saw: its files, and which paths under it are links
    _links: dict[str, bool] = field(default_factory=dict)
    _reasons: dict[str, str | None] = field(default_factory=dict)

    @property
    def data_files(self) -> frozenset[str]:
        """Every file under data/, as a path relative to root."""
        return self.inventory.files if self.inventory is not None else frozenset()

    def unsafe_reason(self, path: str) -> str | None:
        """unsafe_path_reason at this package's root, found once per path: three checks ask it of each file."""
        if not isinstance(path, str):
            return unsafe_path_reason(path)
        if path not in self._reasons:
            self._reasons[path] = unsafe_path_reason(path, self.root, self._is_link)
        return self._reasons[path]

    def _is_link(self, relative: str) -> bool:
        """Asked of the system once per path, and not at all for a path in a folder the walk of data/ listed."""
        if relative not in self._links:
            folder = relative.rpartition("/")[0]
            if self.inventory is not None and folder in self.inventory.folders:
                self._links[relative] = relative in self.inventory.links
            else:
                self._links[relative] = os.path.islink(os.path.join(self.root, relative))
        return self._links[relative]

    def read(self, relative: str) -> bytes | None:
        """A file's bytes; None when it does not exist. Read again each time they are asked for:
        a corpus's files, all kept, would add their size to the peak."""
        if relative in self.replaced:
            return self.replaced[relative]
        return read_file(os.path.join(self.root, relative))

    def facts(self, relative: str) -> FileFacts | None:
        """What the checks ask of a file's bytes, read a piece at a time: a corpus's largest table,
        read whole, added its size to the peak."""
        return self._in_pieces(relative, file_facts)

    def size_and_sha256(self, relative: str) -> tuple[int, str] | None:
        """A file's size and hex sha256, without the line facts: a corpus has tens of thousands of files."""
        return self._in_pieces(relative, pieces_size_and_sha256)

    def _in_pieces(self, relative: str, consume: Callable[[Iterable[bytes]], _T]) -> _T | None:
        if relative in self.replaced:
            content = self.replaced[relative]
            return None if content is None else consume([content])
        return in_pieces(os.path.join(self.root, relative), consume)

    def exists(self, relative: str) -> bool:
        # The inventory answers for the many files under data/ without a system call each.
        return relative in self.data_files or os.path.isfile(os.path.join(self.root, relative))

    @property
    def csv_tables(self) -> dict[str, TableFile]:
        return {name: table for name, table in self.tables.items() if table.is_csv}

    def column(self, table: str, name: str) -> list[str]:
        return self.tables[table].cells.column(name).to_pylist()


def _regular_file(path: str) -> os.stat_result | None:
    """The status of a regular file, or None when there is none (a named pipe or a device counts as
    none: reading it would block, or never end)."""
    try:
        status = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return status if stat.S_ISREG(status.st_mode) else None


def read_file(path: str) -> bytes | None:
    """A regular file's bytes, or None when there is none (see _regular_file). A corpus has tens of
    thousands of small files: plain os.read spares a reader object for each."""
    # The whole file in one read of its size: 64 KiB pieces joined left the memory of a large table scattered, and kept.
    return in_pieces(path, _joined, whole=True)


def _joined(pieces: Iterable[bytes]) -> bytes:
    """The pieces end to end; the first alone when it is all (a file that grew since its size was read has more)."""
    first, *rest = [*pieces] or [b""]
    return first + b"".join(rest) if rest else first


_PIECE = 1 << 20
_T = TypeVar("_T")


@dataclass(frozen=True)
class FileFacts:
    """What the checks ask of a file's bytes, found in one pass over its pieces."""

    size: int
    sha256: str  # hex
    first_line: bytes  # without its line ending
    newlines: int
    lines_before_cr: int | None  # how many lines end before its first CR; None when it has none
    ends_with_newline: bool


def file_facts(pieces: Iterable[bytes]) -> FileFacts:
    """The facts of the bytes of `pieces`, end to end."""
    digest, size, newlines, before_cr, last = hashlib.sha256(), 0, 0, None, b""
    first: list[bytes] | None = []  # the first line's pieces, until its newline
    for piece in pieces:
        digest.update(piece)
        if before_cr is None and (cr := piece.find(b"\r")) >= 0:
            before_cr = newlines + piece.count(b"\n", 0, cr)
        if first is not None:
            end = piece.find(b"\n")
            first.append(piece if end < 0 else piece[:end])
            if end >= 0:
                first_line, first = b"".join(first), None
        newlines += piece.count(b"\n")
        size += len(piece)
        last = piece[-1:] or last
    if first is not None:
        first_line = b"".join(first)
    return FileFacts(size, digest.hexdigest(), first_line.rstrip(b"\r"), newlines, before_cr, last == b"\n")


def pieces_size_and_sha256(pieces: Iterable[bytes]) -> tuple[int, str]:
    """The size and hex sha256 of the bytes of `pieces`, end to end."""
    digest, size = hashlib.sha256(), 0
    for piece in pieces:
        digest.update(piece)
        size += len(piece)
    return size, digest.hexdigest()


def in_pieces(path: str, consume: Callable[[Iterable[bytes]], _T], whole: bool = False) -> _T | None:
    """What `consume` makes of a regular file's bytes, read with os.read a piece at a time (a small
    file in one read; with whole, any file in one read of its size), or None when there is none
    (see _regular_file)."""
    status = _regular_file(path)
    if status is None:
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | _BINARY)
    except (FileNotFoundError, NotADirectoryError):
        return None
    first = max(status.st_size, 1 << 16) if whole else min(max(status.st_size, 1 << 16), _PIECE)

    def pieces() -> Iterator[bytes]:
        size = first
        while piece := os.read(descriptor, size):
            yield piece
            size = min(size, _PIECE)  # the rest, if the file grew since: never a second buffer of its whole size

    try:
        return consume(pieces())
    except IsADirectoryError:
        return None
    finally:
        os.close(descriptor)


def unsafe_path_reason(path: str, root: Path | None = None, is_link: Callable[[str], bool] | None = None) -> str | None:
    """Why frictionless would refuse a resource path, or why it may lead outside the package at root (a link on the
    way), or None when it is safe."""
    if not isinstance(path, str) or not path:
        return "a path must be a non-empty string"
    if path.startswith(("/", "~", "\\")) or "://" in path or (len(path) > 1 and path[1] == ":"):
        return "absolute paths, home paths and URLs are not allowed in this package"
    if ".." in path.replace("\\", "/").split("/"):
        return "'..' would leave the package folder"
    if root is not None:
        # A path relative to root, with forward slashes.
        is_link = is_link or (lambda relative: os.path.islink(os.path.join(root, relative)))
        parts = path.replace("\\", "/").split("/")
        for depth in range(1, len(parts) + 1):
            on_the_way = "/".join(parts[:depth])
            if is_link(on_the_way):
                return (f"{on_the_way} is a symbolic link, which may lead outside the package: "
                        "its files are regular files inside its folder")
    return None


def load(descriptor_path: Path) -> LoadedPackage:
    """Read the descriptor, its schemas and every table as text, noting what cannot be read."""
    package = LoadedPackage(descriptor_path.parent, descriptor_path)
    name = descriptor_path.name
    try:
        raw = read_file(str(descriptor_path))
        if raw is None:
            raise FileNotFoundError(descriptor_path)
        package.descriptor = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        package.problems.append(error("descriptor", name, "the descriptor does not exist, or is not a regular file"))
        return package
    except UnicodeDecodeError as exc:
        package.problems.append(error("descriptor", name, f"not UTF-8 (byte {exc.start})"))
        return package
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        package.problems.append(error("descriptor", name, message))
        return package
    if not isinstance(package.descriptor, dict) or not isinstance(package.descriptor.get("resources"), list):
        package.problems.append(error("descriptor", name, "expected a JSON object with a 'resources' list"))
        package.descriptor = None
        return package
    resources = package.descriptor["resources"]
    tables = [resource for resource in resources
              if resource.get("type") == "table" and not package.unsafe_reason(resource.get("path"))]
    # Arrow parses the tables outside the GIL, while this thread takes the inventory of data/.
    with ThreadPoolExecutor(max_workers=2) as pool:
        loading = [pool.submit(_load_table, package, resource) for resource in tables]
        package.inventory = inventory(package.root, "data")
        unsafe = [package.unsafe_reason(resource.get("path")) for resource in resources]
        missing = set()
        for resource, reason in zip(resources, unsafe):
            path, named = resource.get("path"), f"resource {resource.get('name')!r}"
            if reason:
                message = f"{named} has an unsafe path: {reason}"
                package.problems.append(error("unsafe-path", name, message, value=str(path)))
            elif not package.exists(path):
                package.problems.append(error("missing-file", path, f"{named} names a file that does not exist"))
                missing.add(path)
        for future in loading:
            table, problem = future.result()
            if problem:
                package.problems.append(problem)
            if table and table.path not in missing:
                package.tables[table.name] = table
    return package


@dataclass(frozen=True)
class Inventory:
    """What one walk of a folder saw, as paths relative to the root."""

    files: frozenset[str]  # the regular files os.walk would list (a linked file among them)
    links: frozenset[str]  # every symbolic link, to a file or a folder
    folders: frozenset[str]  # every folder listed, whose entries are all in files, links, or folders


def files_under(root: Path, folder: str) -> frozenset[str]:
    """Relative paths of the regular files under root/folder, those os.walk would list, in one pass."""
    return inventory(root, folder).files


def inventory(root: Path, folder: str) -> Inventory:
    """The files, links and folders under root/folder, in one pass: scandir says which entry is a link without a
    system call each."""
    found, links, listed, pending = set(), set(), set(), [folder]
    while pending:
        relative = pending.pop()
        try:
            entries = list(os.scandir(os.path.join(root, relative)))
        except (FileNotFoundError, NotADirectoryError):
            continue
        listed.add(relative)
        for entry in entries:
            path = f"{relative}/{entry.name}"
            if entry.is_symlink():
                links.add(path)
            if entry.is_dir():
                if not entry.is_symlink():  # as os.walk: a linked folder is listed, not entered
                    pending.append(path)
            elif entry.is_file():  # not a named pipe or a device, which reading would block on
                found.add(path)
    return Inventory(frozenset(found), frozenset(links), frozenset(listed))


def _load_table(package: LoadedPackage, resource: dict) -> tuple[TableFile | None, Problem | None]:
    """The table of one resource, or the problem that keeps it from being read."""
    schema_path = resource.get("schema")
    if isinstance(schema_path, str):
        reason = package.unsafe_reason(schema_path)
    else:
        reason = "the schema must be a path to schemas/<name>.json"
    if reason:
        return None, error("unsafe-path", package.descriptor_path.name,
                           f"resource {resource['name']!r} has an unsafe schema path: {reason}", value=str(schema_path))
    try:
        raw_schema = read_file(os.path.join(package.root, schema_path))
        if raw_schema is None:
            return None, error("schema", schema_path,
                               "cannot read the schema: it does not exist, or is not a regular file")
        schema = json.loads(raw_schema.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, error("schema", schema_path, f"cannot read the schema: {exc}")
    table = TableFile(resource, schema)
    if not table.is_csv:
        return table, None  # the check that compares it with its CSV reads it, a column at a time
    path = os.path.join(package.root, resource["path"])
    header = read_header(path)
    if header is None:
        return table, None  # the inventory reports it as a missing file, and load leaves it out
    table.header_ok = header.decode("utf-8", "replace") == ",".join(field_names(schema))
    table.cells = _csv_cells(path, schema)
    return table, None


def read_header(path: str) -> bytes | None:
    """A regular file's first line, without its line ending, or None when there is none (see _regular_file)."""
    if _regular_file(path) is None:
        return None
    try:
        with open(path, "rb") as stream:
            return stream.readline().rstrip(b"\r\n")
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def _csv_cells(path: str, schema: dict) -> pa.Table | None:
    """Every cell as text, exactly as in the file, or None when the CSV cannot be parsed; Arrow reads the file
    itself, a block at a time."""
    names = field_names(schema)
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None


def parquet_cells(parquet: pq.ParquetFile, name: str) -> pa.ChunkedArray:
    """One Parquet column's cells as the CSV writes them (see cells.to_cell)."""
    # Arrow writes booleans as "true"/"false" and dates as ISO 8601, as to_cell does.
    return pc.fill_null(pc.cast(parquet.read(columns=[name])[name], pa.string()), "")
