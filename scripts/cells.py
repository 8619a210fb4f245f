"""A table's values by Table Schema type: the Python types the build makes, and their CSV text both ways.

It imports neither Arrow nor a JSON Schema validator: the processes that write the workbook and database stay small."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

# Table Schema type -> the Python types the build makes for it (the first is the one to declare).
PYTHON_TYPES = {"string": (str,), "integer": (int,), "number": (float, int), "boolean": (bool,), "date": (dt.date,)}
# Table Schema type -> the value of a cell's CSV text, the inverse of to_cell (text is read as it is).
FROM_TEXT = {"integer": int, "number": float, "boolean": "true".__eq__, "date": dt.date.fromisoformat}


def has_type(value, kind: str) -> bool:
    """Whether a value is one the build makes for a Table Schema type (a boolean is no integer)."""
    expected = PYTHON_TYPES[kind]
    return isinstance(value, expected) and not (isinstance(value, bool) and bool not in expected)


def field_names(schema: dict) -> list[str]:
    return [field["name"] for field in schema["fields"]]


def label_of(field: dict) -> str:
    """A column's label: its title (every field has one, contracts/table-schema.schema.json)."""
    return field.get("title", field["name"])  # the name only for a schema whose titles are pending (inputs/schema.py)


def is_required(field: dict) -> bool:
    return bool(field.get("constraints", {}).get("required"))


def to_cell(value, field: dict) -> str:
    """The CSV text of a value: empty for missing, ISO dates, lower-case booleans."""
    if value is None:
        return ""
    if field["type"] == "boolean":
        return "true" if value else "false"
    if field["type"] == "date":
        if not isinstance(value, dt.date):
            raise TypeError(f"{field['name']}: expected a date, got {value!r}")
        return value.isoformat()
    return str(value)


def column_values(rows, name: str) -> list:
    """One column's values, in the rows' order."""
    return [row[name] for row in rows]


def row_tuples(rows, names: list[str]) -> Iterator[tuple]:
    """Each row's values of these columns, in their order."""
    return zip(*(column_values(rows, name) for name in names))
