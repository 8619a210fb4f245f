"""Write the release as one SQLite database, ready for Datasette: declared keys, indexes, full-text search and views."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..cells import PYTHON_TYPES, field_names, is_required, label_of
from ..tables.csvfile import csv_rows

PATH = "{name}.sqlite"
METADATA_PATH = "datasette.json"
# Joins people ask for first, each with what one of its rows is and the facets Datasette shows on it. Left joins: an
# entry that names no country is kept. A facet counts rows, so act_type is offered where a row is an act, never on the
# view whose rows are an act's parties. A line of SQL that ends in a backslash goes on at the start of the next: the
# database stores each view's SQL as written here, and its bytes are part of what a release's record pins.
VIEWS = {
    "signatories_with_countries": ("one row per entry of a signatory list", ["country_name"], """
        SELECT s.signatory_id, s.agreement_id, s.list_number, s.name, s.acronym, s.country_as_listed,
               s.country_code, c.name AS country_name, c.alpha_3
        FROM signatories s LEFT JOIN countries c ON c.country_code = s.country_code
        ORDER BY s.agreement_id, s.list_number"""),
    "clauses_with_acts_and_parties": ("one row per party of an act, and one per clause that performs no act",
                                      ["role", "actor_type"], """
        SELECT cl.clause_id, cl.agreement_id, cl.clause_number, cl.is_attestation, a.act_id, a.act_type, a.verb_text,
               aa.role, ac.name AS actor_name, ac.actor_type, aa.mention_text, aa.is_implicit
        FROM clauses cl
        LEFT JOIN acts a ON a.clause_id = cl.clause_id
        LEFT JOIN act_actors aa ON aa.act_id = a.act_id
        LEFT JOIN actors ac ON ac.actor_id = aa.actor_id
        ORDER BY cl.agreement_id, cl.clause_number, a.act_number"""),
    "signatories_with_organizations": ("one row per entry of a signatory list, with the organization it resolves to",
                                       ["resolution", "headquarters_country_code"], """
        SELECT s.signatory_id, s.agreement_id, s.list_number, s.name_as_listed, s.name, s.acronym, s.country_code, \
s.resolution, s.resolution_note,
               o.organization_id, o.name AS organization_name, o.acronym AS organization_acronym, o.website, \
o.founded_year, o.founded_date, o.headquarters_city,
               o.headquarters_country_code, o.wikipedia_url
        FROM signatories s LEFT JOIN organizations o ON o.organization_id = s.organization_id
        ORDER BY s.agreement_id, s.list_number"""),
    "actors_with_countries": ("one row per party of a text, with what it is and the state it is, if one",
                              ["actor_type", "resolution"], """
        SELECT ac.actor_id, ac.agreement_id, ac.name, ac.actor_type, ac.resolution, ac.country_code, \
c.name AS country_name, ac.resolution_note
        FROM actors ac LEFT JOIN countries c ON c.country_code = ac.country_code
        ORDER BY ac.agreement_id, ac.actor_id"""),
    "actors_with_organizations": ("one row per party of a text, with the organization it is, if one",
                                  ["actor_type", "resolution"], """
        SELECT ac.actor_id, ac.agreement_id, ac.name, ac.actor_type, ac.resolution, o.organization_id, \
o.name AS organization_name,
               o.acronym AS organization_acronym, o.founded_year, o.founded_date, o.headquarters_city, \
o.headquarters_country_code, o.website, o.fact_count
        FROM actors ac LEFT JOIN organizations o ON o.organization_id = ac.organization_id
        ORDER BY ac.agreement_id, ac.actor_id"""),
    "acts_with_clauses": ("one row per act", ["act_type"], """
        SELECT a.act_id, a.agreement_id, cl.clause_id, cl.clause_number, cl.is_attestation, a.act_number, \
a.act_type, a.verb_text
        FROM acts a JOIN clauses cl ON cl.clause_id = a.clause_id
        ORDER BY a.agreement_id, cl.clause_number, a.act_number"""),
}
FULL_TEXT = {"clauses": ["text"]}


def write_database(path: str, csv_files: dict[str, str], schemas: dict[str, dict]) -> None:
    """Every table with its schema's columns, primary key, NOT NULL and foreign keys; the same tables give the same
    bytes.

    The tables are read from the release's CSV files, a row at a time, as the schema's types: neither Arrow nor the
    Parquet files are needed, so that the process that writes the database stays small. sqlite-utils turns each
    column's Python type (the one the Table Schema's type is built as) into its SQL type; dates are ISO 8601 text and
    booleans 0 or 1, as SQLite stores them. Its arguments are plain values, so that the release can run it in a process
    of its own.
    """
    import sqlite_utils  # here, not above: it imports pandas, which the release's own process does without

    path = Path(path)
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    # A new file in a folder that is thrown away if the release fails: no journal, no waiting on the disk.
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    db = sqlite_utils.Database(connection)
    db.execute("PRAGMA foreign_keys = ON")
    for name in _parents_first(schemas):
        schema = schemas[name]
        fields = schema["fields"]
        db[name].create(
            {field["name"]: PYTHON_TYPES[field["type"]][0] for field in fields},
            pk=schema["primaryKey"][0] if len(schema["primaryKey"]) == 1 else tuple(schema["primaryKey"]),
            not_null={field["name"] for field in fields if is_required(field)},
            foreign_keys=[(fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
                          for fk in schema.get("foreignKeys", [])],
        )
        names = field_names(schema)
        db[name].insert_all((dict(zip(names, values)) for values in csv_rows(csv_files[name], fields)),
                            batch_size=5_000)
        for fk in schema.get("foreignKeys", []):
            db[name].create_index(fk["fields"], find_unique_name=True)
    for name, columns in FULL_TEXT.items():
        db[name].enable_fts(columns, tokenize="porter unicode61 remove_diacritics 2", create_triggers=False)
    for name, (_, _, sql) in VIEWS.items():
        db.create_view(name, sql.strip())
    connection.commit()
    connection.execute("VACUUM")
    connection.close()


def _parents_first(schemas: dict[str, dict]) -> list[str]:
    """Table names so that every table comes after the tables its foreign keys reference (a stable order)."""
    order: list[str] = []
    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in order or name in path:
            return
        for fk in schemas[name].get("foreignKeys", []):
            visit(fk["reference"]["resource"], (*path, name))
        order.append(name)
    for name in schemas:
        visit(name, ())
    return order


def write_datasette_metadata(path: str, descriptor: dict, schemas: dict[str, dict], name: str) -> None:
    """datasette.json, Datasette's metadata of the database `name`, from datapackage.json and the schemas: titles,
    descriptions, license, source, columns."""
    license_, source, tables = descriptor["licenses"][0], descriptor["sources"][0], {}
    for resource in descriptor["resources"]:
        if resource.get("type") == "table" and resource.get("format") == "csv" and resource["name"] in schemas:
            fields = schemas[resource["name"]]["fields"]
            tables[resource["name"]] = {"title": resource["title"], "description": resource["description"], "columns": {
                field["name"]: f"{label_of(field)}: {field['description']}" for field in fields}}
    for view, (rows, facets, sql) in VIEWS.items():
        tables[view] = {"title": view.replace("_", " ").capitalize(),
                        "description": f"A view, {rows}: " + " ".join(sql.split()), "facets": facets}
    metadata = {"title": descriptor["title"], "description": descriptor["description"], "license": license_["name"],
                "license_url": license_["path"], "source": source["title"], "source_url": source["path"],
                "databases": {name: {"tables": tables}}}
    Path(path).write_bytes((json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
