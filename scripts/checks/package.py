"""Load a package from disk, as a user would receive it, for validation."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..cells import field_names
from ..errors import Problem, error


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
    data_files: frozenset[str] = frozenset()  # every file under data/, as a path relative to root

    def read(self, relative: str) -> bytes | None:
        """A file's bytes; None when it does not exist, or when its path is unsafe (load reports it). Read again each
        time they are asked for: a corpus's files, all kept, would add their size to the peak."""
        if unsafe_path_reason(relative, self.root):
            return None
        if relative in self.replaced:
            return self.replaced[relative]
        return read_file(os.path.join(self.root, relative))

    @property
    def csv_tables(self) -> dict[str, TableFile]:
        return {name: table for name, table in self.tables.items() if table.is_csv}


def _regular_file(path: str) -> bool:
    """Whether there is a regular file at path: reading a named pipe or a device would block, or never end."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False


def read_file(path: str) -> bytes | None:
    """A regular file's bytes, or None when there is none."""
    try:
        if _regular_file(path):
            with open(path, "rb") as stream:
                return stream.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        pass  # gone, or replaced by a folder, since it was found
    return None


def read_header(path: str) -> bytes | None:
    """A regular file's first line, without its line ending, or None when there is none."""
    try:
        if _regular_file(path):
            with open(path, "rb") as stream:
                return stream.readline().rstrip(b"\r\n")
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        pass
    return None


def unsafe_path_reason(path: str, root: Path | None = None) -> str | None:
    """Why frictionless would refuse a resource path, or why it may lead outside the package at root (a link on the
    way), or None when it is safe."""
    if not isinstance(path, str) or not path:
        return "a path must be a non-empty string"
    if path.startswith(("/", "~", "\\")) or "://" in path or (len(path) > 1 and path[1] == ":"):
        return "absolute paths, home paths and URLs are not allowed in this package"
    if ".." in path.replace("\\", "/").split("/"):
        return "'..' would leave the package folder"
    if root is not None:
        parts = path.replace("\\", "/").split("/")
        for depth in range(1, len(parts) + 1):
            on_the_way = "/".join(parts[:depth])
            if os.path.islink(os.path.join(root, on_the_way)):
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
    package.data_files = files_under(package.root, "data")
    missing, tables = set(), []
    for resource in resources:
        path, named = resource.get("path"), f"resource {resource.get('name')!r}"
        if reason := unsafe_path_reason(path, package.root):
            message = f"{named} has an unsafe path: {reason}"
            package.problems.append(error("unsafe-path", name, message, value=str(path)))
            continue
        if not os.path.isfile(os.path.join(package.root, path)):
            package.problems.append(error("missing-file", path, f"{named} names a file that does not exist"))
            missing.add(path)
        if resource.get("type") == "table":
            tables.append(resource)
    for resource in tables:
        table, problem = _load_table(package, resource)
        if problem:
            package.problems.append(problem)
        if table and table.path not in missing:
            package.tables[table.name] = table
    return package


def files_under(root: Path, folder: str) -> frozenset[str]:
    """Relative paths of the regular files under root/folder, those os.walk would list, in one pass: scandir says which
    entry is a link without a system call each."""
    found, pending = set(), [folder]
    while pending:
        relative = pending.pop()
        try:
            entries = list(os.scandir(os.path.join(root, relative)))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            path = f"{relative}/{entry.name}"
            if entry.is_dir():
                if not entry.is_symlink():  # as os.walk: a linked folder is listed, not entered
                    pending.append(path)
            elif entry.is_file():  # not a named pipe or a device, which reading would block on
                found.add(path)
    return frozenset(found)


def _load_table(package: LoadedPackage, resource: dict) -> tuple[TableFile | None, Problem | None]:
    """The table of one resource, or the problem that keeps it from being read."""
    schema_path = resource.get("schema")
    if isinstance(schema_path, str):
        reason = unsafe_path_reason(schema_path, package.root)
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
        return table, None  # load reports it as a missing file, and leaves it out
    table.header_ok = header.decode("utf-8", "replace") == ",".join(field_names(schema))
    table.cells = _csv_cells(path, schema)
    return table, None


def _csv_cells(path: str, schema: dict) -> pa.Table | None:
    """Every cell as text, exactly as in the file, or None when the CSV cannot be parsed; Arrow reads the file
    itself, a block at a time."""
    names = field_names(schema)
    as_text = pacsv.ConvertOptions(column_types={name: pa.string() for name in names}, strings_can_be_null=False,
                                   quoted_strings_can_be_null=False)
    try:
        return pacsv.read_csv(path, read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
                              parse_options=pacsv.ParseOptions(newlines_in_values=True), convert_options=as_text)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None


def parquet_cells(parquet: pq.ParquetFile, name: str) -> pa.ChunkedArray:
    """One Parquet column's cells as the CSV writes them (see cells.to_cell)."""
    # Arrow writes booleans as "true"/"false" and dates as ISO 8601, as to_cell does.
    return pc.fill_null(pc.cast(parquet.read(columns=[name])[name], pa.string()), "")
