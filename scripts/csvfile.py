"""Write and read table CSVs: UTF-8 without BOM, LF line endings, a header, RFC 4180 quoting."""

from __future__ import annotations

import csv
import io

from .errors import PipelineError
from .schema import field_names, to_cell


def csv_bytes(name: str, rows: list[dict], schema: dict) -> bytes:
    """The exact bytes of a table's CSV, its columns in the schema's order."""
    columns = field_names(schema)
    fields = schema["fields"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for number, row in enumerate(rows, start=2):
        if row.keys() != set(columns):
            missing, extra = set(columns) - set(row), set(row) - set(columns)
            raise PipelineError(
                f"table {name}, row {number}",
                f"the built row does not match schemas/{name}.json: missing {sorted(missing)}, extra {sorted(extra)}",
            )
        writer.writerow([to_cell(row[column], field) for column, field in zip(columns, fields)])
    return buffer.getvalue().encode("utf-8")
