"""The contracts themselves: the vendored official profiles are intact, and every schema meets its profile."""

from __future__ import annotations

import hashlib
import json
import re

import jsonschema
import pytest

from conftest import ROOT
from scripts.inputs.project import Project
from scripts.inputs.schema import profile_validator

PROFILES = ROOT / "contracts" / "profiles"


def test_vendored_profiles_are_byte_for_byte_the_recorded_ones():
    recorded = dict(
        re.findall(
            r"\| `2\.0/(\w+\.json)` \| `([0-9a-f]{64})` \|", (PROFILES / "README.md").read_text(encoding="utf-8")
        )
    )
    assert sorted(recorded) == ["datapackage.json", "dataresource.json", "tabledialect.json", "tableschema.json"]
    for name, digest in recorded.items():
        assert hashlib.sha256((PROFILES / "2.0" / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize("name", Project().table_names)
def test_each_table_schema_meets_the_official_profile(name):
    schema = json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    assert [e.message for e in profile_validator("tableschema").iter_errors(schema)] == []


@pytest.mark.parametrize("contract", ["agreement", "coding", "package"])
def test_each_contract_is_valid_json_schema(contract):
    schema = json.loads((ROOT / "contracts" / f"{contract}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False


def _v2_problems(descriptor_path) -> list[str]:
    """Every error of the descriptor against the official v2 profiles, read with plain jsonschema."""
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    problems = [f"package: {e.message}" for e in profile_validator("datapackage").iter_errors(descriptor)]
    for resource in descriptor["resources"]:
        problems += [
            f"{resource['name']}: {e.message}" for e in profile_validator("dataresource").iter_errors(resource)
        ]
        if isinstance(resource.get("schema"), str):
            schema = json.loads((descriptor_path.parent / resource["schema"]).read_text(encoding="utf-8"))
            problems += [
                f"{resource['schema']}: {e.message}" for e in profile_validator("tableschema").iter_errors(schema)
            ]
        if isinstance(resource.get("dialect"), dict):
            problems += [
                f"{resource['name']} dialect: {e.message}"
                for e in profile_validator("tabledialect").iter_errors(resource["dialect"])
            ]
    return problems


def test_the_repository_descriptor_is_valid_data_package_v2():
    assert _v2_problems(ROOT / "datapackage.json") == []
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert {r.get("type") for r in descriptor["resources"]} == {"table", None}


def test_the_released_descriptor_is_valid_data_package_v2(released_folder):
    assert _v2_problems(released_folder / "datapackage.json") == []
    descriptor = json.loads((released_folder / "datapackage.json").read_text(encoding="utf-8"))
    untyped = [r for r in descriptor["resources"] if "type" not in r]
    assert [r["path"].rsplit("/", 1)[-1] for r in untyped] == [
        "document.txt",
        "agreement.yaml",
        "coding.yaml",
        "organizations.yaml",
        "recognitions.yaml",
    ]
    assert all(r["hash"].startswith("sha256:") and r["bytes"] > 0 for r in untyped)


def test_a_descriptor_that_breaks_the_profile_fails_validation(package, capsys):
    from conftest import run

    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"][-1]["type"] = "file"  # what version 1.0.0 shipped
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8", newline="\n")
    code, _, err = run(package, "validate", capsys=capsys)
    assert code == 1
    last = len(descriptor["resources"]) - 1
    assert (
        f"datapackage.json: [profile] does not meet the Data Package v2 profile at resources.{last}.type: "
        "'file' is not one of ['table']" in err
    )
