"""A table's rows, written to a temporary Arrow file as they are made, and read back a batch at a time."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

# Rows held in memory before they go to the file as one Arrow batch: a corpus's memory stays
# that of one batch per table, whatever its size.
BATCH_ROWS = 16_384


class TableFolder:
    """The temporary folder of a build's tables, removed once no table of it is left."""

    def __init__(self):
        self._folder = tempfile.TemporaryDirectory(prefix="tables-", ignore_cleanup_errors=True)
        self._count = 0

    def path(self, name: str) -> Path:
        """Where a file the build writes beside its tables goes, such as a table's CSV."""
        return Path(self._folder.name) / name

    def table(self, schema: pa.Schema, rows: Iterable[dict] = ()) -> TableRows:
        """A new table of the folder, with these rows to begin with."""
        self._count += 1
        table = TableRows(schema, self.path(f"{self._count}.arrow"), self)
        table.append(rows)
        return table


class TableRows(Sequence):
    """A table's rows, written to its file as they are appended and given out as dicts once appending has ended: the
    build keeps only the batch being filled."""

    def __init__(self, schema: pa.Schema, path: Path, folder: TableFolder):
        # Every column may be missing here: a required value found missing is reported by the schema's own check.
        self.schema = pa.schema([field.with_nullable(True) for field in schema])
        self._path, self.folder = path, folder  # the folder lives as long as its tables
        self._pending: list[dict] = []
        self._writer = pa.ipc.new_file(str(path), self.schema)
        self._length = 0
        self._finished = False

    def append(self, rows: Iterable[dict]) -> None:
        """Rows with the table's columns (the build checks them first), after the rows appended before."""
        if self._finished:
            raise RuntimeError(f"rows appended to {self._path.name} after it was read")
        for row in rows:
            self._pending.append(row)
            if len(self._pending) >= BATCH_ROWS:
                self._write_pending()

    def _write_pending(self) -> None:
        self._writer.write_batch(pa.RecordBatch.from_pylist(self._pending, schema=self.schema))
        self._length += len(self._pending)
        self._pending = []

    def _finish(self) -> None:
        if not self._finished:
            self._write_pending()
            self._writer.close()
            self._finished = True

    def _batches(self) -> Iterator[pa.RecordBatch]:
        self._finish()
        with pa.OSFile(str(self._path)) as stream:
            reader = pa.ipc.open_file(stream)
            for index in range(reader.num_record_batches):
                yield reader.get_batch(index)

    def __len__(self) -> int:
        self._finish()
        return self._length

    def __iter__(self) -> Iterator[dict]:
        for batch in self._batches():
            yield from batch.to_pylist()

    def __getitem__(self, index: int | slice) -> dict | list[dict]:
        if isinstance(index, slice):
            return list(self)[index]
        length = len(self)
        position = index + length if index < 0 else index
        if not 0 <= position < length:
            raise IndexError(f"row {index} of a table of {length} rows")
        for batch in self._batches():  # a batch at a time: the build asks only for the first row
            if position < batch.num_rows:
                return batch.slice(position, 1).to_pylist()[0]
            position -= batch.num_rows

    def column(self, name: str) -> list:
        return [value for batch in self._batches() for value in batch.column(name).to_pylist()]

    def where(self, name: str, value) -> list[dict]:
        """The rows whose column holds this value, found by Arrow a batch at a time."""
        return [row for batch in self._batches()
                for row in batch.filter(pc.equal(batch.column(name), value)).to_pylist()]

    def first_filled(self, name: str):
        """A column's first value that is neither missing nor empty text, or None."""
        for batch in self._batches():
            column = batch.column(name)
            filled = pc.is_valid(column)
            if pa.types.is_string(column.type):
                filled = pc.and_(filled, pc.not_equal(column, ""))
            found = pc.indices_nonzero(pc.fill_null(filled, False))
            if len(found):
                return column[found[0].as_py()].as_py()
        return None

    def arrow(self) -> pa.Table:
        """The whole table in one chunk, as Arrow holds it."""
        return pa.Table.from_batches(list(self._batches()), schema=self.schema).combine_chunks()

    def sorted(self, key: Callable[[dict], object]) -> TableRows:
        """The same rows in a new file, sorted by key (stable); it reads the whole table into memory."""
        return self.folder.table(self.schema, sorted(self, key=key))

