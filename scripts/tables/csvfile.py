"""Write and read table CSVs: UTF-8 without BOM, LF line endings, a header, RFC 4180 quoting."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..errors import PipelineError
from ..cells import FROM_TEXT, field_names, has_type, row_tuples, to_cell

# Python's csv reads a field of at most 131,072 characters by default: the tables this pipeline
# writes hold longer texts (a clause is any length a document gives it), and it reads them back.
# 2**31 - 1 is the largest the C long of every platform holds.
csv.field_size_limit(2**31 - 1)


def csv_bytes(name: str, rows: list[dict], schema: dict) -> bytes:
    """The exact bytes of a table's CSV, its columns in the schema's order."""
    columns = field_names(schema)
    fields = schema["fields"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for values in row_tuples(rows, columns):
        writer.writerow([to_cell(value, field) for value, field in zip(values, fields)])
    return buffer.getvalue().encode("utf-8")


def dict_rows(stream) -> csv.DictReader:
    """A table CSV's rows, each a dict of its cells as text, however long a cell is."""
    return csv.DictReader(stream)


def csv_rows(path: str, fields: list[dict]) -> Iterator[list]:
    """A table CSV's rows after its header, each a list of values of the fields' types (None for an empty cell), read as the file is."""
    typed = [(index, FROM_TEXT[field["type"]]) for index, field in enumerate(fields) if field["type"] in FROM_TEXT]
    text = [index for index, field in enumerate(fields) if field["type"] not in FROM_TEXT]
    with open(path, encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        next(reader, None)
        for cells in reader:
            for index, value_of in typed:
                cells[index] = value_of(cells[index]) if cells[index] else None
            for index in text:
                cells[index] = cells[index] or None
            yield cells


def check_columns_and_types(name: str, rows: list[dict], fields: list[dict]) -> None:
    """The build's columns are the schema's, and each column's values are of the declared type.

    The build makes every row of a table the same way, so the first row with a value tells the
    column's type; a schema edited to another type is named here, not in a failed Parquet write.
    """
    schema_file = f"schemas/{name}.json"
    declared, built = [field["name"] for field in fields], set(rows[0])
    if set(declared) != built:
        missing, extra = sorted(set(declared) - built), sorted(built - set(declared))
        raise PipelineError(
            f"{schema_file} (fields)",
            f"declares {missing} that the build does not make" if missing else f"lacks {extra} that the build makes",
            f"the build makes the columns {sorted(built)}: declare exactly those (a renamed column is a major version)",
        )
    for index, field in enumerate(fields):
        value = next((row[field["name"]] for row in rows if row[field["name"]] is not None), None)
        if value is not None and not has_type(value, field["type"]):
            raise PipelineError(
                f"{schema_file} (fields[{index}].type)",
                f"declares {field['name']} as {field['type']}, but the build makes {type(value).__name__} values such as {value!r}",
                "restore the field's type: a changed type is a major version, and the build decides what it makes",
            )
