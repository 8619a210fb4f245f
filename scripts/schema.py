"""Read Table Schemas, the single source of truth for columns, types and keys."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from .errors import PipelineError

# Table Schema type -> Arrow type. The one place where Parquet types are decided.
_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}


def field_names(schema: dict) -> list[str]:
    return [field["name"] for field in schema["fields"]]


def enum_values(schema: dict, name: str) -> list:
    """The closed vocabulary a field's enum constraint allows."""
    field = next(f for f in schema["fields"] if f["name"] == name)
    return field["constraints"]["enum"]


def is_required(field: dict) -> bool:
    return bool(field.get("constraints", {}).get("required"))


def arrow_schema(schema: dict) -> pa.Schema:
    """Arrow types from a Table Schema: nullable unless the field is required."""
    try:
        return pa.schema(
            [pa.field(f["name"], _ARROW_TYPES[f["type"]], nullable=not is_required(f)) for f in schema["fields"]]
        )
    except KeyError as exc:
        raise PipelineError("schemas", f"no Parquet type for Table Schema type {exc.args[0]!r}") from None


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


def from_cell(text: str, field: dict):
    """The value of a CSV cell, the inverse of to_cell."""
    if text == "":
        return None
    kind = field["type"]
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return text == "true"
    if kind == "date":
        return dt.date.fromisoformat(text)
    return text
