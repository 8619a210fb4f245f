"""The release gate gives frictionless only the tables; a differential test proves it still refuses
all that frictionless refuses.

Every corruption of the corruption matrix, and the Parquet-specific ones, is applied to a copy of
a release, twice: as it is (the descriptor's hashes then betray it), and with the descriptor's
hash and bytes recorded anew, so that only the content can tell. For each, the gate (`make
release`'s validation) and what a full frictionless run of the whole descriptor finds are compared.

A full run validates every resource, and most of the 35 cannot have changed: a resource whose
entry in the descriptor, file and schema are the release's, and whose foreign keys reach no
changed table, validates as in the clean release, where frictionless finds nothing (the last
test). So frictionless is run on the resources a corruption reached and the tables their keys
look up, under the same package properties; a corruption of those, or of the list of resources,
is run in full. That takes a third off the test's time, and
`test_a_run_on_what_a_corruption_reached_finds_what_a_full_run_finds` shows the two agree.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts.checks.gate import frictionless_problems
from scripts.checks.validate import validate_package
from test_corruption_matrix import CASES

pytestmark = pytest.mark.slow  # make check: the differential test, a frictionless run per corruption

# What a full frictionless run accepts and only the gate refuses: measured, and the reason the gate exists.
# frictionless 5.21 ignores a Parquet file's hash, reads Parquet through pandas (which turns
# "1" and 1.0 into the integer 1), cannot compare a Parquet file with its CSV, and does not look
# for undescribed files or at the changelog.
# (A column of text where the Parquet file's pandas metadata says Int64 it refuses: pandas cannot convert it.)
MISSED_BY_FRICTIONLESS = {
    "parquet: a float where an integer belongs",
    "parquet: a value differs",
    "undescribed data file",
    "version differs from CHANGELOG",
}
# With the hashes recorded anew, it also misses everything only the project's checks look at.
MISSED_BY_FRICTIONLESS_WHEN_COVERED = MISSED_BY_FRICTIONLESS | {
    "BOM",
    "CRLF line endings",
    "NA cell",
    "formula cell",
    "coded agreement with no acts",
    "count differs from rows",
    "duplicated unique key",
    "span does not reconstruct its text",
    "span outside the source",
    "tampered source",
    "undocumented discrepancy",
}
_DESCRIPTOR_CASES = {
    "hash mismatch in the descriptor",
    "bytes mismatch in the descriptor",
    "unsafe path",
    "descriptor is not JSON",
    "version differs from CHANGELOG",
}


def _parquet(table: str, change):
    def corrupt(root: Path) -> None:
        path = root / "data" / f"{table}.parquet"
        pq.write_table(change(pq.read_table(path)), path)

    return corrupt


def _set_column(table: pa.Table, name: str, array: pa.Array) -> pa.Table:
    return table.set_column(table.column_names.index(name), pa.field(name, array.type), array)


PARQUET_CASES = {
    "parquet: a value differs": _parquet(
        "signatories", lambda t: _set_column(t, "name", pa.array(["Someone Else", *t["name"].to_pylist()[1:]]))
    ),
    "parquet: a wrong type": _parquet(
        "signatories", lambda t: _set_column(t, "list_number", pa.array([str(v) for v in t["list_number"].to_pylist()]))
    ),
    "parquet: a float where an integer belongs": _parquet(
        "signatories",
        lambda t: _set_column(t, "list_number", pa.array([float(v) for v in t["list_number"].to_pylist()])),
    ),
    "parquet: a null in a required field": _parquet(
        "countries", lambda t: _set_column(t, "alpha_3", pa.array([None, *t["alpha_3"].to_pylist()[1:]], pa.string()))
    ),
    "parquet: a column missing": _parquet("countries", lambda t: t.drop_columns(["name"])),
}
ALL = {**{name: case[0] for name, case in CASES.items()}, **PARQUET_CASES}
GATE_RULES = {**{name: case[2] for name, case in CASES.items()}, **{name: "parquet" for name in PARQUET_CASES}}


def frictionless_on_what_changed(folder: Path, clean: Path) -> list:
    """What a full frictionless run of folder's descriptor finds, run on the resources that differ from
    clean's or reach one that does."""
    descriptor_path = folder / "datapackage.json"
    clean_descriptor = json.loads((clean / "datapackage.json").read_bytes())
    try:
        descriptor = json.loads(descriptor_path.read_bytes())
        names = [resource["name"] for resource in descriptor["resources"]]
    except (ValueError, KeyError, TypeError):
        return frictionless_problems(descriptor_path)
    if {**descriptor, "resources": None} != {**clean_descriptor, "resources": None} or names != [
        resource["name"] for resource in clean_descriptor["resources"]
    ]:
        return frictionless_problems(descriptor_path)  # the package itself changed
    resources = dict(zip(names, descriptor["resources"]))
    looked_up = {name: _referenced(folder, resource) for name, resource in resources.items()}
    reached = {
        name
        for (name, resource), before in zip(resources.items(), clean_descriptor["resources"])
        if resource != before or any(_differs(folder, clean, resource.get(key)) for key in ("path", "schema"))
    }
    while children := {name for name in resources if looked_up[name] & reached} - reached:
        reached |= children  # a table whose keys look up a changed table may now dangle
    needed, pending = set(reached), list(reached)
    while pending:  # and frictionless reads every table the kept ones look up
        for parent in looked_up[pending.pop()] - needed:
            needed.add(parent)
            pending.append(parent)
    if not needed:
        return []  # as in the clean release
    reduced = folder / "reached.json"
    reduced.write_bytes(
        json.dumps({**descriptor, "resources": [r for r in descriptor["resources"] if r["name"] in needed]}).encode()
    )
    try:
        return frictionless_problems(reduced, shown_as="datapackage.json")
    finally:
        reduced.unlink()


def _referenced(folder: Path, resource: dict) -> set[str]:
    """The resources a table's foreign keys look up (itself, for a key with no resource)."""
    try:
        schema = json.loads((folder / resource["schema"]).read_bytes())
    except (KeyError, OSError, ValueError):
        return set()
    return {key["reference"].get("resource") or resource["name"] for key in schema.get("foreignKeys", [])}


def _differs(folder: Path, clean: Path, relative) -> bool:
    if not isinstance(relative, str):
        return False
    mine, theirs = folder / relative, clean / relative
    return not (mine.is_file() and theirs.is_file()) or mine.read_bytes() != theirs.read_bytes()


def rehash(folder: Path) -> None:
    """Record every described file's current hash and bytes, as a corruption that covers its tracks would."""
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        file = folder / resource["path"]
        if file.is_file():
            raw = file.read_bytes()
            resource["hash"] = f"sha256:{hashlib.sha256(raw).hexdigest()}"
            if "bytes" in resource:
                resource["bytes"] = len(raw)
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8", newline="\n")


# A corruption of the descriptor itself is tried only as it is: recording hashes anew would undo or change it.
VARIANTS = [
    pytest.param(case, covered, id=f"{case} / {'hashes recorded anew' if covered else 'as corrupted'}")
    for case in sorted(ALL)
    for covered in (False, True)
    if not (covered and case in _DESCRIPTOR_CASES)
]


@pytest.mark.parametrize("case, covered", VARIANTS)
def test_the_gate_refuses_every_corruption_that_frictionless_refuses(released_folder, tmp_path, case, covered):
    folder = tmp_path / "release"
    shutil.copytree(released_folder, folder)
    ALL[case](folder)
    if covered:
        rehash(folder)
    gate = validate_package(folder / "datapackage.json", frictionless_scope="tables")
    full = frictionless_on_what_changed(
        folder, released_folder
    )  # a descriptor it cannot read is one problem, "frictionless"
    # The guarantee: the gate refuses every corruption, by the rule that names it, so whatever
    # frictionless refuses, it refuses.
    assert GATE_RULES[case] in {problem.rule for problem in gate.errors}, (
        f"the gate did not refuse {case} by [{GATE_RULES[case]}]: {gate.render()}"
    )
    missed = MISSED_BY_FRICTIONLESS_WHEN_COVERED if covered else MISSED_BY_FRICTIONLESS
    assert (not full) == (case in missed), f"frictionless {'accepted' if not full else 'refused'} {case}"


def _rename_a_country(root: Path) -> None:
    """A key other tables look up, changed: only the tables that look it up can tell (their keys dangle)."""
    path = root / "data" / "countries.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\nMY,MYS,", "\nMX,MYS,"), encoding="utf-8", newline="\n")
    rehash(root)


# A changed key that tables looking it up dangle from, a table no key looks up, and a file that is not a table.
_AGREEING = {
    "a country's code changed, hashes recorded anew": _rename_a_country,
    "formula cell": ALL["formula cell"],
    "tampered source": ALL["tampered source"],
}


@pytest.mark.parametrize("case", sorted(_AGREEING))
def test_a_run_on_what_a_corruption_reached_finds_what_a_full_run_finds(released_folder, tmp_path, case):
    folder = tmp_path / "release"
    shutil.copytree(released_folder, folder)
    _AGREEING[case](folder)
    reduced = frictionless_on_what_changed(folder, released_folder)
    assert reduced, f"frictionless found nothing in {case}: the comparison would prove nothing"
    assert sorted(map(str, reduced)) == sorted(map(str, frictionless_problems(folder / "datapackage.json")))


def test_the_gate_and_frictionless_accept_the_same_clean_release(released_folder, tmp_path):
    folder = shutil.copytree(released_folder, tmp_path / "release")  # the gate writes beside the descriptor
    assert validate_package(folder / "datapackage.json", frictionless_scope="tables").ok
    assert frictionless_problems(folder / "datapackage.json") == []
    assert not list(folder.glob(".gate-*.json"))
