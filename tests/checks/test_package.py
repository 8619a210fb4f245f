"""The package as users meet it: frictionless validates it, and it equals a fresh build."""

from __future__ import annotations

import json
import re

import pytest

from conftest import AGREEMENT_ID, ROOT, frictionless_validate, run, snapshot
from scripts.release.build import build_in_memory
from scripts.inputs.project import Project
from scripts.inputs.schema import profile_errors
from scripts.tables.csvfile import bytes_of


def test_frictionless_validates_the_committed_package():
    result = frictionless_validate(ROOT / "datapackage.json")
    assert result.returncode == 0, result.stdout[-2000:]


def test_descriptor_has_the_metadata_people_expect():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["name"] == "global-muslim-coalition-for-uyghurs"
    assert (
        descriptor["version"]
        == Project().changelog_version()
        == json.loads((ROOT / "releases" / descriptor["version"] / "release.json").read_text(encoding="utf-8"))[
            "version"
        ]
    )
    assert descriptor["sources"] == [
        {
            "title": "Uyghur Human Rights Project: Agreement of cooperation for a global Muslim coalition for Uyghurs",
            "path": "https://uhrp.org/statement/the-global-muslim-response-to-the-uyghur-crisis/",
        }
    ]
    assert [license["name"] for license in descriptor["licenses"]] == ["CC-BY-4.0"]
    assert descriptor["contributors"] and descriptor["keywords"]
    tables = [r["name"] for r in descriptor["resources"] if r.get("type") == "table"]
    assert tables == Project().table_names
    assert (
        len(descriptor["resources"]) == len(tables) + 5
    )  # the tables, the source, its metadata and coding, organizations.yaml, recognitions.yaml
    for resource in descriptor["resources"]:
        assert resource["hash"].startswith("sha256:") and resource["bytes"] > 0


def test_every_table_has_keys_and_every_field_is_described():
    references = set()
    for name, schema in Project().schemas.items():
        assert schema["primaryKey"], name
        for field in schema["fields"]:
            assert field.get("description") and field.get("type"), (name, field["name"])
            if field["name"].endswith("_id") or field["name"].endswith("country_code"):
                assert field["type"] == "string", (name, field["name"])
        references |= {(name, tuple(fk["fields"]), fk["reference"]["resource"]) for fk in schema.get("foreignKeys", [])}
    assert references == {
        ("agreements", ("place_country_code",), "countries"),
        ("organizations", ("headquarters_country_code",), "countries"),
        ("clauses", ("agreement_id",), "agreements"),
        ("signatories", ("agreement_id",), "agreements"),
        ("signatories", ("country_code",), "countries"),
        ("signatories", ("organization_id",), "organizations"),
        ("actors", ("organization_id",), "organizations"),
        ("organization_names", ("organization_id",), "organizations"),
        ("organization_facts", ("organization_id",), "organizations"),
        ("agreement_countries", ("agreement_id",), "agreements"),
        ("agreement_countries", ("country_code",), "countries"),
        ("annotations", ("agreement_id",), "agreements"),
        ("acts", ("clause_id",), "clauses"),
        ("acts", ("agreement_id",), "agreements"),
        ("actors", ("agreement_id",), "agreements"),
        ("act_actors", ("act_id",), "acts"),
        ("act_actors", ("actor_id",), "actors"),
        ("act_actors", ("agreement_id",), "agreements"),
        ("events", ("clause_id",), "clauses"),
        ("events", ("actor_id",), "actors"),
        ("events", ("agreement_id",), "agreements"),
        ("actors", ("country_code",), "countries"),
        ("recognitions", ("agreement_id",), "agreements"),
        ("recognitions", ("actor_id",), "actors"),
        ("recognitions", ("event_id",), "events"),
        ("recognitions", ("country_code",), "countries"),
    }


def test_committed_data_equals_a_fresh_build():
    built = build_in_memory(Project())
    # Every table of schemas/, the descriptor, the documents: the loop below cannot run on nothing.
    assert {f"data/{schema.stem}.csv" for schema in (ROOT / "schemas").glob("*.json")} | {
        "datapackage.json",
        "docs/index.html",
        "docs/data-dictionary.md",
    } <= set(built.files)
    for relative, content in built.files.items():
        assert (ROOT / relative).read_bytes() == bytes_of(content), f"{relative} is stale: run make build and commit"


def test_what_the_build_wrote_is_read_back_under_its_own_cap_not_that_of_other_inputs(package, capsys, monkeypatch):
    """At 10,000 agreements the descriptor is 11 MB and one table 41 MB, over the 10 MB cap of other inputs:
    a build after the first reads them back, to tell a hand edit, under the cap of what the build writes."""
    from scripts.inputs.files import CAPS
    from scripts.release.build import guard_outputs

    assert run(package, "build", capsys=capsys)[0] == 0
    project = Project(package)
    built = build_in_memory(project)  # every input read under its own cap, CHANGELOG.md's versions among them
    monkeypatch.setitem(CAPS["other"], "max_bytes", 1_000)  # below datapackage.json and every table of data/
    guard_outputs(project, built, force=False)
    assert (package / "datapackage.json").stat().st_size > 1_000


def test_building_an_unchanged_copy_changes_no_byte_of_it(package, capsys):
    """The committed files were built in another process at another time: a build that changed none of them gives
    identical bytes, which building twice here would only show again."""
    before = snapshot(package)
    assert run(package, "build", capsys=capsys)[0] == 0
    assert snapshot(package) == before


def test_csv_files_are_utf8_lf_with_a_final_newline():
    assert sorted(Project().table_names) == sorted(schema.stem for schema in (ROOT / "schemas").glob("*.json"))
    for name in Project().table_names:
        raw = (ROOT / "data" / f"{name}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
        raw.decode("utf-8")


@pytest.mark.slow
def test_duplicated_key_makes_frictionless_fail(package):
    table = package / "data" / "countries.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    table.write_text("".join(lines + [lines[1]]), encoding="utf-8", newline="\n")
    result = frictionless_validate(package / "datapackage.json")
    assert result.returncode == 1
    assert "primary-key" in result.stdout


@pytest.mark.slow
def test_dangling_reference_makes_frictionless_fail(package):
    table = package / "data" / "signatories.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",MY,", ",ZZ,", 1), encoding="utf-8", newline="\n")
    result = frictionless_validate(package / "datapackage.json")
    assert result.returncode == 1
    assert "foreign-key" in result.stdout


def test_readme_row_counts_match_the_data():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    counted = dict(re.findall(r"^\| \[`(\w+)`\]\(data/\w+\.csv\) \| (\d+) \|", readme, flags=re.MULTILINE))
    actual = {
        name: str(len((ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8").splitlines()) - 1)
        for name in Project().table_names
    }
    assert counted == actual


def test_readme_resolution_counts_match_the_signatories():
    import pandas as pd

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"\(`resolution`: (\d+) resolved, (\d+) unresolved with the reason\)", readme)
    signatories = pd.read_csv(ROOT / "data" / "signatories.csv", dtype=str, keep_default_na=False)["resolution"]
    assert stated and (int(stated[1]), int(stated[2])) == (
        (signatories == "resolved").sum(),
        (signatories == "unresolved").sum(),
    )


def test_an_integer_field_is_never_empty_unless_it_says_how_pandas_keeps_it_whole():
    """An empty integer cell turns the column into floats in pd.read_csv (2004.0): a field that may be empty says
    in its description how to read it whole, and read so, it gives whole numbers and missing values."""
    import pandas as pd

    integers = [
        (name, field)
        for name, schema in Project().schemas.items()
        for field in schema["fields"]
        if field["type"] == "integer"
    ]
    assert ("signatories", "list_number") in [(name, field["name"]) for name, field in integers]
    optional = [
        (name, field["name"]) for name, field in integers if field.get("constraints", {}).get("required") is not True
    ]
    assert optional == [("organizations", "founded_year"), ("countries", "gw_code"), ("countries", "cow_code")]
    for name, column in optional:
        field = next(f for f in Project().schemas[name]["fields"] if f["name"] == column)
        assert f'dtype={{"{column}": "Int64"}}' in field["description"], column
        read = pd.read_csv(ROOT / "data" / f"{name}.csv", dtype={column: "Int64"})[column]
        assert str(read.dtype) == "Int64" and read.notna().any() and all(value == int(value) for value in read.dropna())
    founded = pd.read_csv(ROOT / "data" / "organizations.csv", dtype={"founded_year": "Int64"})["founded_year"]
    assert founded.isna().any() and 1971 in founded.dropna().tolist()


def test_the_profile_names_the_resource_that_breaks_it():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert profile_errors("datapackage", descriptor) == []
    descriptor["resources"][7]["path"] = 5
    broken = profile_errors("datapackage", descriptor)
    assert broken == ["resources.7.path: 5 is not valid under any of the given schemas"]
    assert profile_errors("datapackage", {**descriptor, "resources": []}) != []


@pytest.mark.parametrize(
    "raw", [b"", b"a,b\n", b"a,b\r\nc\n", b"\xef\xbb\xbfa,b\nc,d\r\ne", b"no newline at all", b"x\n\n\r\n\r"]
)
def test_a_file_is_read_whole_or_to_its_first_line_end_and_a_missing_file_or_a_folder_as_none(raw, tmp_path):
    from scripts.checks.package import read_file, read_header

    (tmp_path / "f.csv").write_bytes(raw)
    assert read_file(str(tmp_path / "f.csv")) == raw
    assert read_header(str(tmp_path / "f.csv")) == raw.split(b"\n", 1)[0].rstrip(b"\r")
    for nothing in (tmp_path / "missing.csv", tmp_path, tmp_path / "f.csv" / "under-a-file"):
        assert read_file(str(nothing)) is None and read_header(str(nothing)) is None


@pytest.mark.posix("symbolic links, which Windows makes only with a privilege")
@pytest.mark.parametrize(
    "linked", [f"data/source/{AGREEMENT_ID}/document.txt", f"data/source/{AGREEMENT_ID}", "data/source", "data"]
)
def test_a_received_package_whose_file_or_folder_is_a_link_is_refused_by_name(linked, package, tmp_path):
    """The walk of data/ answers which paths under it are links; a link it did not enter, or data/
    itself, is asked of the system."""
    import os
    import shutil

    from scripts.checks.validate import project_problems

    outside = tmp_path / "outside"
    (shutil.copytree if (package / linked).is_dir() else shutil.copy2)(package / linked, outside)
    (shutil.rmtree if (package / linked).is_dir() else os.remove)(package / linked)
    os.symlink(outside, package / linked)
    for frictionless_checks_integrity in (True, False):
        problems = project_problems(package / "datapackage.json", frictionless_checks_integrity)
        refused = [p for p in problems if p.rule == "unsafe-path"]
        assert refused and all(f"{linked} is a symbolic link" in p.message for p in refused), [str(p) for p in problems]
        named = f"data/source/{AGREEMENT_ID}/document.txt" if linked != "data" else "data/agreements.csv"
        assert any(named == p.value for p in refused)
