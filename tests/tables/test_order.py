"""Each table's rows are in the order of its schema's primaryKey, or of the one exception rows.py declares for it."""

from __future__ import annotations

from conftest import ROOT
from scripts.inputs.project import Project
from scripts.tables.csvfile import csv_rows
from scripts.tables.rows import _ORDER_NOT_BY_KEY


def _rows(project: Project, name: str) -> list[dict]:
    fields = project.schemas[name]["fields"]
    return [dict(zip((field["name"] for field in fields), cells))
            for cells in csv_rows(str(ROOT / project.table_path(name)), fields)]


def test_every_table_is_in_the_order_of_its_primary_key_or_of_its_declared_exception():
    project = Project()
    assert set(_ORDER_NOT_BY_KEY) <= set(project.schemas)
    for name, schema in project.schemas.items():
        columns = _ORDER_NOT_BY_KEY.get(name, schema["primaryKey"])
        if columns is None:
            continue
        assert set(columns) <= {field["name"] for field in schema["fields"]}, name
        keys = [tuple(row[column] for column in columns) for row in _rows(project, name)]
        assert keys == sorted(keys) and len(keys) > 0, name


def test_the_parties_of_each_act_follow_their_act():
    project = Project()
    acts = [row["act_id"] for row in _rows(project, "acts")]
    positions = [acts.index(row["act_id"]) for row in _rows(project, "act_actors")]
    assert positions == sorted(positions) and len(set(positions)) == len(acts)
