"""The contracts themselves: the vendored official profiles are intact, and every schema meets its profile."""

from __future__ import annotations

import hashlib
import json
import re

import jsonschema
import pytest

from conftest import ROOT
from scripts.project import Project
from scripts.schema import profile_validator

PROFILES = ROOT / "contracts" / "profiles"


def test_vendored_profiles_are_byte_for_byte_the_recorded_ones():
    recorded = dict(re.findall(r"\| `2\.0/(\w+\.json)` \| `([0-9a-f]{64})` \|", (PROFILES / "README.md").read_text(encoding="utf-8")))
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
