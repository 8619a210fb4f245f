"""Every table typed and labelled as its schema says, in every tool a researcher opens: the README's pandas reader,
pd.read_parquet, polars, DuckDB, read_stata, pyreadstat, and R's haven and readr."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pandas as pd
import pytest

from conftest import ROOT, require_system
from scripts.formats import registry
from scripts.formats.labelled import BOOLEAN_LABELS, codes
from scripts.inputs.project import Project

PROJECT = Project()
SCHEMAS = {**PROJECT.schemas, "changes": PROJECT.changes_schema}
TABLES = list(SCHEMAS)


def _title(field: dict) -> str:
    return field.get("title", field["name"])  # countries' titles come with the countries branch


def _value_labels(field: dict) -> dict[int, str] | None:
    if "categories" in field:
        return codes(field)
    return dict(BOOLEAN_LABELS) if field["type"] == "boolean" else None


def _readme_reader():
    """The README's read_table, defined from its first Python block (everything above its first call)."""
    code = re.search(
        r"```python\n(import json.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL
    ).group(1)
    namespace: dict = {}
    exec(code.split("\nsignatories = ")[0], namespace)
    return namespace["read_table"]


@pytest.mark.parametrize("table", TABLES)
def test_the_readme_pandas_reader_types_every_column_as_its_schema(released_folder, table, monkeypatch):
    monkeypatch.chdir(released_folder)
    frame = _readme_reader()(table)
    for field in SCHEMAS[table]["fields"]:
        dtype = frame.dtypes[field["name"]]
        if "categories" in field:
            assert isinstance(dtype, pd.CategoricalDtype), field["name"]
            assert list(dtype.categories) == [c["value"] for c in field["categories"]]
            assert dtype.ordered == bool(field.get("categoriesOrdered"))
        else:
            expected = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}.get(
                field["type"]
            )
            assert str(dtype).startswith("datetime64") if field["type"] == "date" else str(dtype) == expected, (
                field["name"],
                dtype,
            )


@pytest.mark.parametrize("table", TABLES)
def test_parquet_reads_typed_in_pandas_polars_and_duckdb_with_no_argument(released_folder, table):
    import duckdb
    import polars as pl

    path = released_folder / registry.PARQUET.path_of(table=table)
    frame, polars_schema = pd.read_parquet(path), pl.read_parquet(path).schema
    duck = dict(duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()[i][:2] for i in range(len(frame.columns)))
    for field in SCHEMAS[table]["fields"]:
        name, kind = field["name"], field["type"]
        dtype = frame.dtypes[name]
        if "categories" in field:
            assert isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == [
                c["value"] for c in field["categories"]
            ]
            assert dtype.ordered == bool(field.get("categoriesOrdered")) and polars_schema[name] == pl.Categorical
            assert duck[name] == "VARCHAR"
            continue
        expected = {
            "string": (pd.StringDtype, pl.String, "VARCHAR"),
            "integer": (pd.Int64Dtype, pl.Int64, "BIGINT"),
            "boolean": (pd.BooleanDtype, pl.Boolean, "BOOLEAN"),
            "date": (None, pl.Date, "DATE"),
        }[kind]
        if kind == "date":  # as the README says: datetime.date objects
            assert pd.api.types.is_object_dtype(dtype) and all(isinstance(v, dt.date) for v in frame[name].dropna())
        else:
            assert isinstance(dtype, expected[0]), (name, dtype)
        assert polars_schema[name] == expected[1] and duck[name] == expected[2], name


@pytest.mark.parametrize("table", TABLES)
def test_stata_holds_every_column_with_its_title_and_codes(released_folder, table):
    path = released_folder / registry.STATA.path_of(table=table)
    with pd.io.stata.StataReader(path) as reader:
        frame = reader.read()
        labels, value_labels, data_label = reader.variable_labels(), reader.value_labels(), reader.data_label
    assert data_label == (
        registry.CHANGES_LABEL
        if table == "changes"
        else next(r["title"] for r in PROJECT.package_metadata["resources"] if r["name"] == table)
    )
    for field in SCHEMAS[table]["fields"]:
        name = field["name"]
        assert labels[name] == _title(field)
        assert {int(k): v for k, v in value_labels.get(name, {}).items()} == (_value_labels(field) or {}), name
        if field["type"] == "date":
            assert str(frame.dtypes[name]).startswith("datetime64")
        elif _value_labels(field):
            assert isinstance(frame.dtypes[name], pd.CategoricalDtype)
        elif field["type"] == "integer":
            assert frame[name].dropna().map(float.is_integer if frame[name].dtype == float else lambda v: True).all()
    assert path.read_bytes()[:11] == b"<stata_dta>" and b"<release>118</release>" in path.read_bytes()[:60]


@pytest.mark.parametrize("table", TABLES)
def test_spss_holds_every_column_with_its_title_and_codes(released_folder, table):
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(released_folder / registry.SPSS.path_of(table=table)))
    fields = SCHEMAS[table]["fields"]
    assert meta.column_names == [f["name"] for f in fields] and meta.column_labels == [_title(f) for f in fields]
    assert {name: {int(k): v for k, v in labels.items()} for name, labels in meta.variable_value_labels.items()} == {
        f["name"]: _value_labels(f) for f in fields if _value_labels(f)
    }
    for field in fields:
        if field["type"] == "date":
            assert all(isinstance(v, dt.date) for v in frame[field["name"]].dropna())
    assert len(frame) == len(
        pd.read_csv(released_folder / registry.CSV.path_of(table=table), dtype=str, keep_default_na=False)
    )


_HAVEN = """
library(haven); library(jsonlite)
one <- function(d) lapply(d, function(x) list(class = class(x)[[length(class(x))]], label = attr(x, "label"),
                                              labels = as.list(attr(x, "labels"))))
cat(toJSON(list(dta = one(read_dta(file.path("data", paste0(TABLE, ".dta")))),
                sav = one(read_sav(file.path("data", paste0(TABLE, ".sav"))))), auto_unbox = TRUE))
"""


@pytest.mark.slow
@pytest.mark.parametrize("table", TABLES)
def test_haven_reads_stata_and_spss_back_with_their_labels(released_folder, table):
    rscript = require_system("Rscript", "r-base-core, r-cran-haven and r-cran-jsonlite")
    done = subprocess.run(
        [rscript, "--vanilla", "-e", f"TABLE <- {json.dumps(table)}\n{_HAVEN}"],
        cwd=released_folder,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    for file in ("dta", "sav"):
        for field in SCHEMAS[table]["fields"]:
            column = read[file][field["name"]]
            assert column["label"] == _title(field), (file, field["name"])
            expected = {"string": "character", "integer": "numeric", "number": "numeric", "date": "Date"}.get(
                field["type"]
            )
            assert column["class"] == ("double" if _value_labels(field) else expected), (file, field["name"], column)
            assert {label: int(code) for label, code in (column["labels"] or {}).items()} == {
                label: code for code, label in (_value_labels(field) or {}).items()
            }, (file, field["name"])


@pytest.mark.slow
@pytest.mark.parametrize("table", TABLES)
def test_the_readme_r_reader_types_every_column_and_labels_every_coded_one(released_folder, table):
    rscript = require_system("Rscript", "r-base-core, r-cran-readr and r-cran-jsonlite")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"<!-- R example -->\n```r\n(.*?)```", readme, re.DOTALL).group(1).split("\nsignatories <- ")[0]
    show = (
        f"\nd <- read_table({json.dumps(table)})\n"
        "cat(toJSON(lapply(d, function(x) list(class = class(x)[[1]], levels = levels(x))), auto_unbox = TRUE))"
    )
    done = subprocess.run(
        [rscript, "--vanilla", "-e", code + show], cwd=released_folder, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    for field in SCHEMAS[table]["fields"]:
        column = read[field["name"]]
        if "categories" in field:
            assert column["class"] == ("ordered" if field.get("categoriesOrdered") else "factor")
            assert column["levels"] == [c["label"] for c in field["categories"]]
        else:
            assert (
                column["class"]
                == {
                    "string": "character",
                    "integer": "integer",
                    "number": "numeric",
                    "boolean": "logical",
                    "date": "Date",
                }[field["type"]]
            )


@pytest.mark.parametrize(
    "edit, where, says, fix",
    [
        (
            lambda f: f.pop("title"),
            "fields[0].title, field 'signatory_id'",
            "has no title",
            'give the field a "title" of at most 80 characters',
        ),
        (
            lambda f: f.update(title="x" * 81),
            "fields[0].title, field 'signatory_id'",
            "title is 81 characters long",
            "at most 80 characters",
        ),
        (
            lambda f: f.update(categories=["resolved"]),
            "fields[0].categories[0], field 'signatory_id'",
            'categories[0] is "resolved", not an object',
            'write each category as {"value"',
        ),
        (
            lambda f: f.update(categories=[{"value": "resolved"}]),
            "fields[0].categories[0].label, field 'signatory_id'",
            "has no label",
            'write each category as {"value"',
        ),
    ],
)
def test_make_build_refuses_a_missing_or_long_title_and_a_category_without_a_label(
    package, capsys, edit, where, says, fix
):
    from conftest import run

    path = package / "schemas" / "signatories.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    edit(schema["fields"][0])
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8", newline="\n")
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 1
    first, second = [line for line in err.strip().splitlines() if line.startswith(("error:", "  fix:"))][:2]
    assert first.startswith(f"error: schemas/signatories.json ({where}): {says}"), first
    assert second.startswith("  fix: ") and fix in second, second


_TABLES_WITH_DATES = sorted(name for name, schema in Project(ROOT).schemas.items()
                            if any(field["type"] == "date" for field in schema["fields"]))


@pytest.mark.parametrize("table", _TABLES_WITH_DATES)
def test_an_empty_tables_date_columns_stay_numbers_in_spss(table, tmp_path):
    """A table with no rows (a corpus without recognitions, say) keeps its date columns numeric in the .sav file: an
    empty column of date objects would otherwise be written as text."""
    import pyreadstat

    from scripts.formats.spss import sav_bytes

    schema = Project(ROOT).schemas[table]
    path = tmp_path / f"{table}.sav"
    path.write_bytes(sav_bytes([], schema, table, "2026-12-07"))
    types = pyreadstat.read_sav(str(path), metadataonly=True)[1].original_variable_types
    dates = [field["name"] for field in schema["fields"] if field["type"] == "date"]
    assert dates and {name: types[name].startswith("A") for name in dates} == dict.fromkeys(dates, False)
