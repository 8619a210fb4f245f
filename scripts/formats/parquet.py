"""Write a table as Parquet, typed by its schema, with pandas metadata that gives pd.read_parquet the README dtypes."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..cells import column_values
from ..inputs.schema import arrow_schema, parquet_schema

# Table Schema type -> (pandas_type, numpy_type) in pandas' Parquet metadata; pyarrow makes the pandas extension
# dtype a numpy_type names (Int64, boolean) on reading, where it would give float64 for an integer column with a
# missing value and object for a boolean one. A date stays date32 (DuckDB and polars read it as a date), which
# pandas reads as datetime.date objects.
_PANDAS = {"string": ("unicode", "object"), "integer": ("int64", "Int64"), "number": ("float64", "float64"),
           "boolean": ("bool", "boolean"), "date": ("date", "object")}


def typed_table(rows, schema: dict) -> pa.Table:
    """A table's rows as Arrow, typed by its schema."""
    types = arrow_schema(schema)
    return pa.table([pa.array(column_values(rows, field.name), field.type) for field in types], schema=types)


def parquet_bytes(rows, schema: dict, title: str = "", released: str = "") -> bytes:
    """A table as Parquet, its types from the Table Schema; the same rows give the same bytes."""
    table, target = typed_table(rows, schema), parquet_schema(schema)
    columns = [_categorical(table[f["name"]], f, target.field(f["name"]).type) if "categories" in f
               else table[f["name"]] for f in schema["fields"]]
    table = pa.table(columns, schema=target.with_metadata({b"pandas": pandas_metadata(schema).encode("utf-8")}))
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def _categorical(column: pa.ChunkedArray, field: dict, kind: pa.DictionaryType) -> pa.Array:
    categories = pa.array([str(category["value"]) for category in field["categories"]], pa.string())
    indices = pc.index_in(pc.cast(column, pa.string()), value_set=categories).cast(pa.int32())
    return pa.DictionaryArray.from_arrays(indices.combine_chunks(), categories, ordered=kind.ordered)


def pandas_metadata(schema: dict) -> str:
    """The "pandas" key of a Parquet file's metadata, as pyarrow writes it for a frame of the README reader's dtypes."""
    columns = []
    for field in schema["fields"]:
        pandas_type, numpy_type = _PANDAS[field["type"]]
        metadata = None
        if "categories" in field:
            pandas_type, numpy_type = "categorical", "int32"
            metadata = {"num_categories": len(field["categories"]), "ordered": bool(field.get("categoriesOrdered"))}
        columns.append({"name": field["name"], "field_name": field["name"], "pandas_type": pandas_type,
                        "numpy_type": numpy_type, "metadata": metadata})
    return json.dumps({"index_columns": [], "column_indexes": [], "columns": columns,
                       "creator": {"library": "pyarrow", "version": pa.__version__}}, separators=(",", ":"))
