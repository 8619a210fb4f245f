"""CONTRIBUTING.md's "Adding a format", followed in a copy with a throwaway format, then released."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT
from scripts.inputs.project import Project

# A throwaway format: each table as JSON Lines, one object a row.
WRITER = '''\
"""Write a table as JSON Lines: one object a row, its values as the schema types them."""

import json


def jsonl_bytes(rows, schema: dict, title: str, released: str) -> bytes:
    names = [field["name"] for field in schema["fields"]]
    return "".join(json.dumps({name: row[name] for name in names}, ensure_ascii=False, default=str) + "\\n"
                   for row in rows).encode("utf-8")
'''
ENTRY = ('Format("jsonl", "data/{table}.jsonl", "application/jsonl", "{table} (JSON Lines)", jsonl.jsonl_bytes,'
         ' per_table=True)')


def _as_csv_cell(value) -> str:
    """A JSON value as the CSV writes it (scripts/cells.to_cell)."""
    return "" if value is None else ("true" if value else "false") if isinstance(value, bool) else str(value)


@pytest.mark.slow
@pytest.mark.posix("a copy of the code run as python -m scripts")
def test_a_format_added_by_contributings_recipe_is_released_and_listed_everywhere(tmp_path):
    from conftest import copy_package

    root = copy_package(tmp_path / "package")
    for folder in ("scripts", "contracts"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    # 1. Its writer.
    (root / "scripts" / "formats" / "jsonl.py").write_text(WRITER, encoding="utf-8", newline="\n")
    # 2. Its entry in the registry.
    registry = root / "scripts" / "formats" / "registry.py"
    code = registry.read_text(encoding="utf-8")
    imports, formats = "\nfrom . import croissant, ", "\nFORMATS = (CSV, PARQUET, STATA, SPSS, "
    assert imports in code and formats in code
    code = code.replace(imports, "\nfrom . import jsonl, croissant, ", 1).replace(formats, f"{formats}{ENTRY},\n", 1)
    registry.write_text(code, encoding="utf-8", newline="\n")
    # 3. A minor version, as new files are.
    changelog = root / "CHANGELOG.md"
    version = Project().changelog_version().split(".")
    new = f"{version[0]}.{int(version[1]) + 1}.0"
    heading = f"## [{new}] - {dt.date.today().isoformat()}\n\n### Added\n- Each table as JSON Lines.\n\n"
    text = changelog.read_text(encoding="utf-8").replace("## [Unreleased]\n\n", "## [Unreleased]\n\n" + heading, 1)
    changelog.write_text(text, encoding="utf-8", newline="\n")
    for command in ("build", "release"):
        done = subprocess.run([sys.executable, "-m", "scripts", command], cwd=root, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}: {done.stderr}"

    name = f"{Project().package_metadata['name']}-{new}"
    folder = root / "dist" / name
    schemas = {table: json.loads((folder / "schemas" / f"{table}.json").read_text(encoding="utf-8"))
               for table in [*Project().table_names, "changes"]}
    paths = [f"data/{table}.jsonl" for table in schemas]
    contents = {path: (folder / path).read_bytes() for path in paths}
    for table, path in zip(schemas, paths):  # every row of the table's CSV, each value as the schema types it
        with open(folder / "data" / f"{table}.csv", encoding="utf-8", newline="") as stream:
            expected = list(csv.DictReader(stream))
        lines = [json.loads(line) for line in contents[path].decode("utf-8").splitlines()]
        names = [field["name"] for field in schemas[table]["fields"]]
        assert [list(line) for line in lines] == [names] * len(expected), path
        assert [{key: _as_csv_cell(value) for key, value in line.items()} for line in lines] == expected, path
    sha256 = {path: hashlib.sha256(content).hexdigest() for path, content in contents.items()}

    with zipfile.ZipFile(root / "dist" / f"{name}.zip") as archive:
        assert {path: archive.read(path) for path in paths} == contents
    zip_sha256 = hashlib.sha256((root / "dist" / f"{name}.zip").read_bytes()).hexdigest()
    assert f"{zip_sha256}  {name}.zip\n" in (root / "dist" / "SHA256SUMS").read_text(encoding="utf-8")
    sums = (folder / "files.sha256").read_text(encoding="utf-8")
    assert all(f"{sha256[path]}  {path}\n" in sums for path in paths)

    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert all(f"| `{path}` | {table if table != 'changes' else 'Changes in every release'} (JSON Lines) |" in readme
               for table, path in zip(schemas, paths))
    page = (folder / "docs" / "index.html").read_text(encoding="utf-8")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1))
    listed = {entry["contentUrl"]: entry for entry in ld["distribution"]}
    for path in paths:
        entry = listed[f"../{path}"]
        assert (entry["encodingFormat"], entry["sha256"], entry["contentSize"]) == (
            "application/jsonl", sha256[path], f"{len(contents[path])} B")
    croissant = json.loads((folder / "croissant.json").read_text(encoding="utf-8"))
    objects = {entry["contentUrl"]: entry for entry in croissant["distribution"]}
    assert all((objects[path]["encodingFormat"], objects[path]["sha256"]) == ("application/jsonl", sha256[path])
               for path in paths)
    # Downloads, not resources: frictionless cannot read them, and the release's checks accepted them beside each CSV.
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert not any(resource["path"].endswith(".jsonl") for resource in descriptor["resources"])
