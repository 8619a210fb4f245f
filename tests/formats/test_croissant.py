"""Found where the wider data world looks: a release's croissant.json and its Hugging Face configs, read by mlcroissant
and datasets as ML tools read them."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, tool
from scripts.inputs.project import Project


def _rows(folder, table: str) -> int:
    with (folder / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return sum(1 for _ in csv.DictReader(stream))


def test_croissant_describes_every_csv_table_with_its_fields_types_key_references_and_sha256(released_folder):
    from scripts.formats.croissant import DATA_TYPES

    descriptor = json.loads((released_folder / "datapackage.json").read_text(encoding="utf-8"))
    croissant = json.loads((released_folder / "croissant.json").read_text(encoding="utf-8"))
    tables = {r["name"]: r for r in descriptor["resources"] if r.get("type") == "table" and r["format"] == "csv"}
    assert (
        [r["@id"] for r in croissant["recordSet"]] == list(tables) and "changes" in tables and "recognitions" in tables
    )
    csv_files = {f["@id"]: f["sha256"] for f in croissant["distribution"] if f["encodingFormat"] == "text/csv"}
    assert csv_files == {f"{name}.csv": r["hash"].removeprefix("sha256:") for name, r in tables.items()}
    others = [
        f for f in croissant["distribution"] if f["encodingFormat"] != "text/csv"
    ]  # Parquet, Stata, SPSS: each file's sha256
    assert {f["contentUrl"] for f in others} == {
        f"data/{name}{suffix}" for name in tables for suffix in (".parquet", ".dta", ".sav")
    }
    for f in others:
        assert f["sha256"] == hashlib.sha256((released_folder / f["contentUrl"]).read_bytes()).hexdigest()
    assert (croissant["version"], croissant["conformsTo"], croissant["license"]) == (
        descriptor["version"],
        "http://mlcommons.org/croissant/1.0",
        descriptor["licenses"][0]["path"],
    )
    for record_set in croissant["recordSet"]:
        schema = json.loads((released_folder / tables[record_set["@id"]]["schema"]).read_text(encoding="utf-8"))
        assert [(f["name"], f["dataType"]) for f in record_set["field"]] == [
            (f["name"], DATA_TYPES[f["type"]]) for f in schema["fields"]
        ]
        keys = record_set["key"] if isinstance(record_set["key"], list) else [record_set["key"]]
        assert [k["@id"] for k in keys] == [f"{record_set['@id']}/{name}" for name in schema["primaryKey"]]
        referenced = {
            f["name"]: (f["references"]["fileObject"]["@id"], f["references"]["extract"]["column"])
            for f in record_set["field"]
            if "references" in f
        }
        assert referenced == {
            own: (f"{fk['reference']['resource']}.csv", theirs)
            for fk in schema.get("foreignKeys", [])
            for own, theirs in zip(fk["fields"], fk["reference"]["fields"])
        }
    recognitions = next(r for r in croissant["recordSet"] if r["@id"] == "recognitions")
    assert next(f for f in recognitions["field"] if f["name"] == "country_code")["references"] == {
        "fileObject": {"@id": "countries.csv"},
        "extract": {"column": "country_code"},
    }


def test_the_release_readme_opens_with_a_dataset_card_that_makes_each_table_a_config(released_folder):
    import yaml

    readme = (released_folder / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(re.match(r"---\n(.*?)\n---\n", readme, flags=re.DOTALL).group(1))
    assert (
        header["pretty_name"] == Project().package_metadata["title"]
        and header["license"] == "cc-by-4.0"
        and header["language"] == ["en"]
    )
    configs = {c["config_name"]: c["data_files"] for c in header["configs"]}
    assert list(configs) == [*Project().table_names, "changes"]
    assert all((released_folder / path).is_file() and path == f"data/{name}.parquet" for name, path in configs.items())


def _tool_python(script: str, cwd, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(tool("python")), "-c", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", **env},
        timeout=600,
    )


_READ_EVERY_RECORD_SET = """
import json, mlcroissant as mlc
for record_set in json.load(open("croissant.json", encoding="utf-8"))["recordSet"]:
    print(record_set["@id"], sum(1 for _ in mlc.Dataset(jsonld="croissant.json").records(record_set=record_set["@id"])))
"""


@pytest.mark.slow
def test_mlcroissant_reads_every_record_set_with_the_csv_row_count(released_folder):
    done = _tool_python(_READ_EVERY_RECORD_SET, released_folder)
    assert done.returncode == 0, done.stderr[-3000:]
    counts = dict(line.split() for line in done.stdout.splitlines())
    assert len(counts) == len(Project().table_names) + 1
    assert {name: int(count) for name, count in counts.items()} == {
        name: _rows(released_folder, name) for name in counts
    }


@pytest.mark.slow
def test_mlcroissant_refuses_a_release_with_one_changed_byte(released_folder, tmp_path):
    folder = tmp_path / released_folder.name
    shutil.copytree(released_folder, folder)
    table = folder / "data" / "countries.csv"
    content = bytearray(table.read_bytes())
    content[-5] ^= 1
    table.write_bytes(bytes(content))
    done = _tool_python(_READ_EVERY_RECORD_SET, folder)
    assert done.returncode != 0
    assert (
        "Hash of downloaded file" in done.stderr
        and "countries.csv is not identical with the reference in the Croissant JSON-LD" in done.stderr
    )


@pytest.mark.slow
def test_datasets_loads_every_table_offline_with_its_row_count(released_folder, tmp_path):
    script = f"""
import datasets
for name in {[*Project().table_names, "changes"]!r}:
    print(name, datasets.load_dataset({str(released_folder)!r}, name, split="train").num_rows)
"""
    done = _tool_python(script, tmp_path, HF_HOME=str(tmp_path / "hf"))
    assert done.returncode == 0, done.stderr[-3000:]
    counts = {
        name: int(count)
        for name, count in (line.split() for line in done.stdout.splitlines() if line and not line.startswith(" "))
    }
    assert counts == {name: _rows(released_folder, name) for name in [*Project().table_names, "changes"]}


@pytest.mark.slow
def test_the_croissant_context_is_the_one_mlcroissant_writes():
    done = _tool_python(
        "import json; from mlcroissant._src.core.rdf import make_context; print(json.dumps(make_context()))", ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    recorded = json.loads((ROOT / "contracts" / "croissant" / "context-1.0.json").read_text(encoding="utf-8"))[
        "@context"
    ]
    assert json.loads(done.stdout) == recorded
