"""A table as the statistics packages hold it: coded fields as integer codes with value labels, booleans as 0 and 1."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..cells import label_of
from .parquet import typed_table

# A boolean as Stata and SPSS hold one: they have no boolean type, so 0 and 1, labelled.
BOOLEAN_LABELS = {0: "false", 1: "true"}


@dataclass(frozen=True)
class LabelledTable:
    # A pandas DataFrame: strings as object ("" where missing: neither package has a missing string), integers and
    # codes as Int64.
    frame: object
    column_labels: dict[str, str]  # each column's title
    value_labels: dict[str, dict[int, str]]  # each coded column's codes (1 for the first category), booleans' 0 and 1
    dates: list[str]  # the date columns, as datetime64


def codes(field: dict) -> dict[int, str]:
    """A coded field's integer codes and labels: its integer values themselves, or 1, 2, … in the categories' order."""
    if field["type"] == "integer":
        return {int(category["value"]): category["label"] for category in field["categories"]}
    return {number: category["label"] for number, category in enumerate(field["categories"], start=1)}


def labelled_table(rows, schema: dict) -> LabelledTable:
    """The table's columns, typed for a statistics package, with its labels."""
    import pandas as pd  # here: only a release writes these files, and the build need not import pandas

    table = typed_table(rows, schema)
    frame, value_labels, dates = {}, {}, []
    for field in schema["fields"]:
        name, values = field["name"], table[field["name"]].to_pylist()
        if "categories" in field:
            numbers = dict(zip((c["value"] for c in field["categories"]), codes(field)))
            frame[name] = pd.array([numbers[value] if value is not None else None for value in values], dtype="Int64")
            value_labels[name] = codes(field)
        elif field["type"] == "boolean":
            frame[name] = pd.array([None if value is None else int(value) for value in values], dtype="Int64")
            value_labels[name] = dict(BOOLEAN_LABELS)
        elif field["type"] in ("integer", "number"):
            frame[name] = pd.array(values, dtype="Int64" if field["type"] == "integer" else "float64")
        elif field["type"] == "date":
            midnights = [dt.datetime.combine(value, dt.time()) if value else None for value in values]
            frame[name] = pd.to_datetime(pd.Series(midnights, dtype=object))
            dates.append(name)
        else:
            frame[name] = pd.Series(["" if value is None else value for value in values], dtype=object)
    column_labels = {field["name"]: label_of(field) for field in schema["fields"]}
    return LabelledTable(pd.DataFrame(frame), column_labels, value_labels, dates)
