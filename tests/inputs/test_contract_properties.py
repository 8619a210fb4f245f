"""Random damage to the curated files: a build never fails unexpectedly, and stops with a located error."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SOURCE_DIR, copy_package
from scripts.release.build import build_in_memory
from scripts.inputs.curated import _validator, _freeze
from scripts.errors import PipelineError
from scripts.inputs.project import Project

FILES = {
    "agreement": SOURCE_DIR / "agreement.yaml",
    "coding": SOURCE_DIR / "coding.yaml",
    "package": "metadata/package.yaml",
}
SCHEMAS = Project().schemas
ORIGINALS = {name: yaml.safe_load((ROOT / path).read_text(encoding="utf-8")) for name, path in FILES.items()}
# Reproducible in CI: the same examples on every run.
PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " x",
            "=1+1",
            "-",
            "yes",
            "no",
            "NA",
            "https://uhrp.org/x",
            "en",
            "DE",
            "de",
            "UK",
            "Türkiye",
            "coded",
            "speaker",
            "court",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


@st.composite
def damaged(draw, name: str):
    """The file's values with one random change: a value replaced, a key removed or added, an item repeated."""
    data = copy.deepcopy(ORIGINALS[name])
    paths = [path for path in _paths(data) if path]
    path = draw(st.sampled_from(paths))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    kind = draw(st.sampled_from(["replace", "remove", "add key", "repeat item"]))
    if kind == "replace":
        parent[path[-1]] = draw(values)
    elif kind == "remove":
        del parent[path[-1]]
    elif kind == "add key" and isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=8))] = draw(values)
    elif kind == "repeat item" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[path[-1]]))
    return data


@pytest.mark.parametrize("name", list(FILES))
def test_the_real_files_meet_their_contracts(name):
    assert not list(_validator(name, _freeze(SCHEMAS)).iter_errors(ORIGINALS[name]))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return copy_package(tmp_path_factory.mktemp("properties") / "package")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["agreement", "coding"])
@settings(PROPERTY, max_examples=40)
@given(data=st.data())
def test_a_damaged_file_builds_or_stops_with_a_located_error(scratch, name, data):
    damaged_data = data.draw(damaged(name))
    path = scratch / FILES[name]
    original = (ROOT / FILES[name]).read_text(encoding="utf-8")
    try:
        path.write_text(
            yaml.safe_dump(damaged_data, allow_unicode=True, sort_keys=False), encoding="utf-8", newline="\n"
        )
        try:
            build_in_memory(Project(scratch))
        except PipelineError as exc:
            assert re.match(r"\S+\.(yaml|txt|json|md)(, line \d+| \()?", exc.where), exc.where
            assert "unexpected" not in str(exc)
    finally:
        path.write_text(original, encoding="utf-8", newline="\n")
