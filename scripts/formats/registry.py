"""The only list of the kinds of file a release holds: each format's path, media type, label and writer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import croissant, diff, parquet, spss, sqlite, stata, workbook


@dataclass(frozen=True)
class Format:
    """A kind of release file. The descriptor's downloads, the release README, the page's JSON-LD, croissant.json,
    the checksums and the zip all read these entries: a new format is one entry here, and its writer."""

    name: str
    path: str  # "data/{table}.dta": a file per table; "{name}.xlsx": one file, {name} being the package's name
    media_type: str
    label: str  # "{table} (Stata .dta)": {table} is the table's name, or what the table of changes is
    # A per-table writer is (rows, schema, title, released) -> bytes. One of the whole release is (path, ...) -> None,
    # given those of the release's facts (publish.release_facts) its parameters name. None: the build or the release
    # writes it itself (the CSV, the notes).
    write: Callable | None = None
    per_table: bool = False
    resource: bool = False  # a table resource of datapackage.json, which frictionless reads and validates
    # Of the whole release: written from the checked CSV files once the checks begin, and zipped last (as every
    # release since 1.0.0); else right after the descriptor. `apart`: in a second process, beside the checks.
    from_tables: bool = False
    apart: bool = False

    def path_of(self, table: str = "", name: str = "") -> str:
        return self.path.format(table=table, name=name)

    def label_of(self, table: str = "") -> str:
        return self.label.format(table=table)


CSV = Format("csv", "data/{table}.csv", "text/csv", "{table} (CSV)", per_table=True, resource=True)
PARQUET = Format("parquet", "data/{table}.parquet", "application/vnd.apache.parquet", "{table} (Parquet)",
                 parquet.parquet_bytes, per_table=True, resource=True)
STATA = Format("stata", "data/{table}.dta", "application/x-stata-dta", "{table} (Stata 14+ .dta, labelled)",
               stata.stata_bytes, per_table=True)
SPSS = Format("spss", "data/{table}.sav", "application/x-spss-sav", "{table} (SPSS .sav, labelled)", spss.sav_bytes,
              per_table=True)
NOTES = Format("notes", diff.NOTES_PATH, "text/markdown", "Release notes")
WORKBOOK = Format("workbook", workbook.PATH, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "Every table in one workbook", workbook.write_workbook, from_tables=True, apart=True)
DATABASE = Format("sqlite", sqlite.PATH, "application/vnd.sqlite3", "Every table in one SQLite database",
                  sqlite.write_database, from_tables=True)
DATASETTE = Format("datasette", sqlite.METADATA_PATH, "application/json", "Datasette metadata for the database",
                   sqlite.write_datasette_metadata)
CROISSANT = Format("croissant", croissant.PATH, "application/ld+json", "The tables described as MLCommons Croissant,"
                   " as dataset search engines and ML tools read them", croissant.write_croissant)

# In the order a release lists them: each table's files, then the files of the whole release.
FORMATS = (CSV, PARQUET, STATA, SPSS, NOTES, WORKBOOK, DATABASE, DATASETTE, CROISSANT)
PER_TABLE = tuple(fmt for fmt in FORMATS if fmt.per_table)
WRITTEN_PER_TABLE = tuple(fmt for fmt in PER_TABLE if fmt.write)  # the CSV is the build's
WHOLE_RELEASE = tuple(fmt for fmt in FORMATS if not fmt.per_table)
CHANGES = "changes"  # the release's own table, after the build's
CHANGES_LABEL = "Changes in every release"


def table_files(tables: list[str]) -> list[tuple[str, str, str]]:
    """(label, path, media type) of each table's file in each format, the table of changes last."""
    return [(fmt.label_of(CHANGES_LABEL if table == CHANGES else table), fmt.path_of(table=table), fmt.media_type)
            for table in [*tables, CHANGES] for fmt in PER_TABLE]


def release_files(package_name: str) -> list[tuple[str, str, str]]:
    """(label, path, media type) of each file of the whole release."""
    return [(fmt.label_of(), fmt.path_of(name=package_name), fmt.media_type) for fmt in WHOLE_RELEASE]
