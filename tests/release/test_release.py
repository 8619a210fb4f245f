"""The release: CSV and Parquet that round-trip, deterministic, atomic under kill -9."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from frictionless import Package

from scripts.formats import registry
from conftest import RELEASE_SUMMARY, ROOT, frictionless_validate, run, snapshot
from scripts.inputs.project import Project

CURRENT = Project().changelog_version()
NAME = f"global-muslim-coalition-for-uyghurs-{CURRENT}"
NEXT = "{}.{}.{}".format(
    *Project().releases[0].numbers[:2], Project().releases[0].numbers[2] + 1
)  # the next patch version
TODAY = dt.date.today().isoformat()
TABLES = Project().table_names


@pytest.fixture
def released(released_folder) -> Path:
    """The root of the session's one release (conftest.released_folder), for read-only tests."""
    return released_folder.parent.parent


def test_release_layout_and_summary(released):
    """What the session's one release printed, and the files it made (conftest.released_folder)."""
    package = released
    out = (package.parent / RELEASE_SUMMARY).read_text(encoding="utf-8")
    rows = sum(
        len(pd.read_csv(package / "data" / f"{table}.csv", dtype=str, keep_default_na=False)) for table in TABLES
    )
    assert (
        rows == 285
    )  # the tables of 2.3.0 and Saudi Arabia in countries: a new row changes the summary, and this number with it
    per_table = (
        len(registry.PER_TABLE) - 2
    )  # the CSV and Parquet files of each table and of the changes were 69 files with the rest
    # and beside the zip, the validator's wheel and requirements.lock: 2 more
    assert f"released {NAME}: {len(TABLES)} tables, {rows} rows, {69 + 2 + per_table * (len(TABLES) + 1)} files," in out
    zip_line = out.strip().splitlines()[-1]
    assert zip_line.startswith(f"  dist/{NAME}.zip sha256 ")
    archive = (package / "dist" / f"{NAME}.zip").read_bytes()
    assert zip_line.endswith(hashlib.sha256(archive).hexdigest())
    folder = package / "dist" / NAME
    for table in TABLES:
        assert (folder / "data" / f"{table}.csv").is_file() and (folder / "data" / f"{table}.parquet").is_file()
        assert (folder / "schemas" / f"{table}.json").is_file()
    for document in (
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "datapackage.json",
        "croissant.json",
        "datasette.json",
        "global-muslim-coalition-for-uyghurs.xlsx",
        "global-muslim-coalition-for-uyghurs.sqlite",
    ):
        assert (folder / document).is_file()


@pytest.mark.slow
def test_a_source_gone_before_it_is_copied_stops_the_release_and_leaves_dist_as_it_was(package, capsys, monkeypatch):
    from scripts.release import publish as release

    assert run(package, "release", capsys=capsys)[0] == 0
    before, real_build = snapshot(package / "dist"), release.build_in_memory
    document = package / "data" / "source" / "global-muslim-coalition-for-uyghurs-2022" / "document.txt"

    def building(project):
        built = real_build(project)
        document.unlink()  # after the build read it, before the release copies it
        return built

    monkeypatch.setattr(release, "build_in_memory", building)
    code, _, err = run(package, "release", capsys=capsys)
    assert code == 1
    assert (
        "\nerror: data/source/global-muslim-coalition-for-uyghurs-2022/document.txt: "
        "could not be copied into the release (No such file or directory)\n  fix: restore it" in err
    ), err
    assert "unexpected" not in err
    assert snapshot(package / "dist") == before
    assert not (package / ".dist-next").exists()


def test_a_release_refused_before_it_builds_writes_nothing(package, capsys):
    data = snapshot(package / "data")
    changelog = package / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(f"## [{CURRENT}] - ", f"## [{CURRENT}] "),
        encoding="utf-8",
        newline="\n",
    )
    code, _, err = run(package, "release", capsys=capsys)
    assert code == 1 and "CHANGELOG.md" in err and "unexpected" not in err
    assert (
        snapshot(package / "data") == data and not (package / "dist").exists() and not (package / ".dist-next").exists()
    )


def test_a_release_folder_copies_files_with_their_bytes_and_lists_them(tmp_path):
    from scripts.release.publish import ReleaseFolder

    files = {
        f"data/source/agreement-{number}/{name}": f"{number} {name}".encode()
        for number in range(3)
        for name in ("document.txt", "agreement.yaml")
    }
    for relative, content in files.items():
        (tmp_path / "checkout" / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "checkout" / relative).write_bytes(content)
    folder = ReleaseFolder(tmp_path / "release")
    folder.write("datapackage.json", b"{}")
    for relative in files:
        folder.copy_in(tmp_path / "checkout", relative)
    assert folder.paths == ["datapackage.json", *files]
    assert {path: (tmp_path / "release" / path).read_bytes() for path in files} == files


def _sums(path: Path) -> dict[str, str]:
    return {
        name: digest for digest, name in (line.split("  ", 1) for line in path.read_text(encoding="utf-8").splitlines())
    }


def test_each_checksum_file_names_the_files_beside_it_and_the_zip_holds_the_folder(released):
    dist = released / "dist"
    # Beside the zip, the validator of this version and the lock it installs with
    # (validate-release.yml): all three named.
    beside = [f"{NAME}.zip", f"global_muslim_coalition_for_uyghurs-{CURRENT}-py3-none-any.whl", "requirements.lock"]
    assert _sums(dist / "SHA256SUMS") == {
        name: hashlib.sha256((dist / name).read_bytes()).hexdigest() for name in beside
    }
    assert (dist / "requirements.lock").read_bytes() == (ROOT / "requirements.lock").read_bytes()
    folder = dist / NAME
    listed = _sums(folder / "files.sha256")
    assert set(listed) == {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {
        "files.sha256"
    }
    assert all(hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest for path, digest in listed.items())
    with zipfile.ZipFile(dist / f"{NAME}.zip") as archive:
        # The release folder's files, at the zip's root: datapackage.json first among equals.
        assert (
            sorted(archive.namelist()) == sorted([*listed, "files.sha256"]) and "SHA256SUMS" not in archive.namelist()
        )
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.posix("GNU sha256sum")
def test_sha256sum_checks_a_download_in_an_empty_folder_as_a_user_does(released, tmp_path):
    """The zip and SHA256SUMS downloaded side by side, then the zip unzipped where they lie, as `unzip`
    does: `sha256sum -c` passes on both, the unzipped files never replace the SHA256SUMS that names the
    zip, and a changed byte fails."""
    sha256sum = shutil.which("sha256sum")
    if sha256sum is None:
        pytest.fail("sha256sum (GNU coreutils) is missing") if os.environ.get("CI") else pytest.skip(
            "no sha256sum here"
        )
    download = tmp_path / "download"
    download.mkdir()
    beside = ["SHA256SUMS", *_sums(released / "dist" / "SHA256SUMS")]
    for name in beside:
        shutil.copyfile(released / "dist" / name, download / name)
    named = "".join(f"{name}: OK\n" for name in beside[1:])
    check = subprocess.run([sha256sum, "-c", "SHA256SUMS"], cwd=download, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout == named and beside[1] == f"{NAME}.zip", check.stdout + check.stderr
    with zipfile.ZipFile(download / f"{NAME}.zip") as archive:
        archive.extractall(download)
    check = subprocess.run([sha256sum, "-c", "SHA256SUMS"], cwd=download, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout == named, (
        check.stdout + check.stderr
    )  # still the one that names the zip
    check = subprocess.run([sha256sum, "-c", "files.sha256"], cwd=download, capture_output=True, text=True)
    assert (
        check.returncode == 0
        and "FAILED" not in check.stdout
        and check.stdout.count(": OK\n") == len(_sums(download / "files.sha256"))
    ), check.stdout + check.stderr
    (download / "data" / "signatories.csv").write_text("changed\n", encoding="utf-8", newline="\n")
    check = subprocess.run([sha256sum, "-c", "files.sha256"], cwd=download, capture_output=True, text=True)
    assert check.returncode == 1 and "data/signatories.csv: FAILED" in check.stdout


@pytest.mark.slow
def test_the_zip_is_a_package_for_frictionless(released):
    archive = released / "dist" / f"{NAME}.zip"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", archive.name, "--json"],
        cwd=archive.parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    import json

    report = json.loads(result.stdout)
    assert report["valid"] is True
    sources = [path for path in (released / "dist" / NAME / "data" / "source").rglob("*") if path.is_file()]
    assert len(report["tasks"]) == 2 * len(Project().table_names) + 2 + len(
        sources
    )  # each table as CSV and Parquet, the changes as both, every source file
    package = Package(str(archive))
    assert package.name == "global-muslim-coalition-for-uyghurs"
    names = [row["name"] for row in package.get_resource("signatories").read_rows()]
    assert len(names) == 23 and names[15] == "Women\u2019s Alliance for Family Institution and Quality Education"


def test_released_descriptor_lists_every_file_with_its_integrity(released):
    import json

    folder = released / "dist" / NAME
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"]: r for r in descriptor["resources"]}
    data_files = {p.relative_to(folder).as_posix() for p in (folder / "data").rglob("*") if p.is_file()}
    # Stata and SPSS files are downloads beside each table, not resources: frictionless cannot read them.
    downloads = {
        fmt.path_of(table=table) for table in [*TABLES, "changes"] for fmt in registry.PER_TABLE if not fmt.resource
    }
    assert set(described) == data_files - downloads and downloads <= data_files
    for path, resource in described.items():
        raw = (folder / path).read_bytes()
        assert resource["hash"] == f"sha256:{hashlib.sha256(raw).hexdigest()}"
        if not path.endswith(".parquet"):  # frictionless 5.21 fails any declared bytes of a Parquet file
            assert resource["bytes"] == len(raw)


@pytest.mark.slow
def test_frictionless_cli_validates_released_csv_and_parquet(released):
    result = frictionless_validate(released / "dist" / NAME / "datapackage.json")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "signatories-parquet" in result.stdout


def test_parquet_types_come_from_the_schemas(released):
    import pyarrow.parquet as pq

    schema = pq.read_schema(released / "dist" / NAME / "data" / "agreements.parquet")
    assert str(schema.field("date_signed").type) == "date32[day]"
    assert str(schema.field("signatory_count").type) == "int64"
    assert str(schema.field("title").type) == "string"
    assert not schema.field("agreement_id").nullable
    signatories = pq.read_schema(released / "dist" / NAME / "data" / "signatories.parquet")
    assert signatories.field("acronym").nullable and str(signatories.field("acronym").type) == "string"
    clauses = pq.read_schema(released / "dist" / NAME / "data" / "clauses.parquet")
    assert str(clauses.field("is_attestation").type) == "bool"


def _canonical(value):
    """Dates as ISO strings, every kind of missing as None, numpy scalars as Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _canonical(v) for k, v in row.items()} for row in frame.to_dict("records")]


@pytest.fixture(scope="module")
def released_package(released_folder) -> Package:
    """The release as frictionless opens it, once for the tables' tests: opening it is most of reading a table."""
    return Package(str(released_folder / "datapackage.json"))


@pytest.mark.parametrize("table", TABLES)
def test_csv_parquet_and_frictionless_give_the_same_values(released, released_package, table):
    folder = released / "dist" / NAME
    from_csv = _records(pd.read_csv(folder / "data" / f"{table}.csv"))
    from_parquet = _records(pd.read_parquet(folder / "data" / f"{table}.parquet"))
    rows = released_package.get_resource(table).read_rows()
    from_frictionless = [{k: _canonical(v) for k, v in row.items()} for row in rows]
    assert from_csv == from_parquet == from_frictionless
    assert (
        len(from_csv)
        == {
            "agreements": 1,
            "clauses": 10,
            "signatories": 23,
            "countries": 14,
            "agreement_countries": 6,
            "annotations": 5,
            "acts": 13,
            "actors": 15,
            "act_actors": 35,
            "events": 3,
            "organizations": 24,
            "organization_names": 67,
            "organization_facts": 60,
            "recognitions": 9,
        }[table]
    )


@pytest.mark.slow
def test_releasing_twice_gives_identical_bytes(package, capsys):
    assert run(package, "release", capsys=capsys)[0] == 0
    first = snapshot(package / "dist")
    assert run(package, "release", capsys=capsys)[0] == 0
    assert snapshot(package / "dist") == first


def test_release_refuses_a_descriptor_version_unknown_to_the_changelog(package, capsys):
    descriptor = package / "datapackage.json"
    descriptor.write_text(
        descriptor.read_text(encoding="utf-8").replace(f'"version": "{CURRENT}"', '"version": "9.9.9"'),
        encoding="utf-8",
        newline="\n",
    )
    code, _, err = run(package, "release", capsys=capsys)
    assert code != 0
    assert "datapackage.json: version '9.9.9' is not a release heading of CHANGELOG.md" in err
    assert not (package / "dist").exists()


def test_a_new_changelog_heading_releases_the_new_version(package, capsys):
    changelog = package / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n", f"## [Unreleased]\n\n## [{NEXT}] - {TODAY}\n\n### Fixed\n- Nothing, in a test.\n"
        ),
        encoding="utf-8",
        newline="\n",
    )
    code, out, _ = run(package, "release", capsys=capsys)
    assert code == 0
    assert f"released global-muslim-coalition-for-uyghurs-{NEXT}:" in out
    assert f"The tables of {NEXT} are the same as those of {CURRENT}." in out
    assert f'"version": "{NEXT}"' in (package / "datapackage.json").read_text(encoding="utf-8")


# A release process that is killed with SIGKILL at a chosen call: no finally block runs.
_KILLER = textwrap.dedent("""
    import os, signal, sys, zipfile
    import scripts.release.publish as release
    from scripts.__main__ import main

    def kill_at(module, name, count):
        original, calls = getattr(module, name), []
        def killing(*args, **kwargs):
            if module is zipfile.ZipFile and not str(getattr(args[0], "filename", "")).endswith(".zip"):
                return original(*args, **kwargs)  # the release zip's entries only, not the validator's wheel
            calls.append(1)
            if len(calls) == count:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(*args, **kwargs)
        setattr(module, name, killing)

    if __name__ == "__main__":  # not in the workbook's process, which imports this module again
        target, count = sys.argv[1], int(sys.argv[2])
        kill_at(*{"rename": (release.os, "rename"), "zip entry": (zipfile.ZipFile, "open"),
                     "folder write": (release.ReleaseFolder, "write")}.get(target, (release, target)), count)
        sys.exit(main(["--root", sys.argv[3], "release"]))
""")


def _complete_release(dist: Path) -> bool:
    """The zip and the folder each verify against their own checksum file, and the folder holds exactly
    what its files.sha256 lists."""
    folders = [path for path in dist.iterdir() if path.is_dir()] if dist.is_dir() else []
    if not (dist / "SHA256SUMS").is_file() or len(folders) != 1 or not (folders[0] / "files.sha256").is_file():
        return False
    folder, beside = folders[0], _sums(dist / "SHA256SUMS")
    inside = _sums(folder / "files.sha256")
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"files.sha256"}
    return (
        set(beside) == {p.name for p in dist.iterdir() if p.is_file()} - {"SHA256SUMS"}
        and set(inside) == on_disk
        and all(hashlib.sha256((dist / p).read_bytes()).hexdigest() == d for p, d in beside.items())
        and all(hashlib.sha256((folder / p).read_bytes()).hexdigest() == d for p, d in inside.items())
    )


@pytest.mark.slow
@pytest.mark.posix("SIGKILL")
@pytest.mark.parametrize(
    "target, count, dist_after_kill",
    [
        ("folder write", 5, "previous"),  # while writing the new release aside
        ("zip entry", 25, "previous"),  # mid-zip: 24 of the zip's 51 entries written
        ("rename", 1, "previous"),  # just before the old dist/ is moved aside
        ("rename", 2, "absent"),  # between the two renames: nothing, then recovered
    ],
)
def test_kill_9_leaves_the_previous_release_or_nothing(package, capsys, target, count, dist_after_kill):
    assert run(package, "release", capsys=capsys)[0] == 0
    changelog = package / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n", f"## [Unreleased]\n\n## [{NEXT}] - {TODAY}\n\n### Fixed\n- A test.\n"
        ),
        encoding="utf-8",
        newline="\n",
    )
    previous = snapshot(package / "dist")
    killer = package.parent / "killer.py"
    killer.write_text(_KILLER, encoding="utf-8", newline="\n")
    # A process killed with SIGKILL cannot remove its scratch folder: it goes to the test's folder, not the system's.
    scratch = package.parent / "scratch"
    scratch.mkdir()
    result = subprocess.run(
        [sys.executable, str(killer), target, str(count), str(package)],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch)},
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    if target == "zip entry":  # killed mid-zip: the zip aside is there, cut short
        partial = package / ".dist-next" / f"global-muslim-coalition-for-uyghurs-{NEXT}.zip"
        assert partial.is_file() and not zipfile.is_zipfile(partial)
    if dist_after_kill == "previous":
        assert snapshot(package / "dist") == previous
    else:
        assert not (package / "dist").exists()
    code, out, _ = run(package, "release", capsys=capsys)
    assert code == 0, out
    assert _complete_release(package / "dist")
    assert [p.name for p in (package / "dist").iterdir() if p.is_dir()] == [
        f"global-muslim-coalition-for-uyghurs-{NEXT}"
    ]


def test_every_link_of_the_released_page_resolves_inside_the_release_folder(released):
    import re

    folder = released / "dist" / NAME
    page = (folder / "docs" / "index.html").read_text(encoding="utf-8")
    links = [
        link for link in re.findall(r'(?:href|src)="([^"]+)"', page) if not link.startswith(("https://", "#", "data:"))
    ]
    for link in links:
        target = (folder / "docs" / link).resolve()
        assert target.is_file() and target.is_relative_to(folder.resolve()), link
    name = Project().package_metadata["name"]
    for expected in (
        "../data/signatories.parquet",
        f"../{name}.xlsx",
        f"../{name}.sqlite",
        "../data/changes.csv",
        "../files.sha256",
    ):
        assert expected in links, expected
    assert not any(
        link.endswith(".zip") for link in links
    )  # the zip lies beside the folder: linked only by its public address


def test_the_released_pages_json_ld_gives_each_files_size_and_sha256(released):
    """Every distribution of the page's schema.org metadata carries its size and sha256, the workbook and the database
    among them; the checksums, which list the page, are linked on the page but are no distribution."""
    import re

    folder = released / "dist" / NAME
    page = (folder / "docs" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1))
    name = Project().package_metadata["name"]
    listed = [entry["contentUrl"] for entry in data["distribution"]]
    assert {f"../{name}.xlsx", f"../{name}.sqlite", "../data/signatories.csv", "../datapackage.json"} <= set(listed)
    assert "../files.sha256" not in listed and '<a href="../files.sha256">' in page
    for entry in data["distribution"]:
        content = (folder / "docs" / entry["contentUrl"]).read_bytes()
        assert (entry["contentSize"], entry["sha256"]) == (f"{len(content)} B", hashlib.sha256(content).hexdigest()), (
            entry["contentUrl"]
        )
    assert {"../data/changes.parquet", "../data/signatories.parquet"} <= set(listed)


@pytest.mark.slow
@pytest.mark.posix("a copy of the code run as python -m scripts")
def test_a_table_added_by_contributings_recipe_is_built_and_released(tmp_path):
    """CONTRIBUTING.md's "Adding a table", followed in a copy with a throwaway table, then released."""
    from conftest import AGREEMENT_ID, copy_package

    root = copy_package(tmp_path / "package")
    for folder in ("scripts", "contracts"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    # 1. Its schema.
    (root / "schemas" / "notes.json").write_text(
        json.dumps(
            {
                "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
                "fields": [
                    {
                        "name": "agreement_id",
                        "type": "string",
                        "title": "Agreement",
                        "description": "The agreement noted.",
                        "constraints": {"required": True},
                    },
                    {
                        "name": "note_number",
                        "type": "integer",
                        "title": "Note number",
                        "description": "The note's number.",
                        "constraints": {"required": True},
                    },
                    {
                        "name": "note",
                        "type": "string",
                        "title": "Note",
                        "description": "The note.",
                        "constraints": {"required": True},
                    },
                ],
                "primaryKey": ["agreement_id", "note_number"],
                "foreignKeys": [
                    {"fields": ["agreement_id"], "reference": {"resource": "agreements", "fields": ["agreement_id"]}}
                ],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
        newline="\n",
    )
    # 2. Its resource in metadata/package.yaml.
    package_yaml = root / "metadata" / "package.yaml"
    package_yaml.write_text(
        package_yaml.read_text(encoding="utf-8") + "  - name: notes\n    title: Notes\n"
        "    description: A throwaway table.\n",
        encoding="utf-8",
        newline="\n",
    )
    # 3. Its rows (sorted by its primaryKey).
    rows = root / "scripts" / "tables" / "rows.py"
    code = rows.read_text(encoding="utf-8")
    code = code.replace(
        '        "annotations": annotation_rows(',
        '        "notes": [{"agreement_id": agreement.agreement_id, "note_number": 1, '
        '"note": "Noted."}],\n        "annotations": annotation_rows(',
        1,
    )
    assert '"notes": [' in code, "the recipe's step 3 no longer finds where an agreement's rows are made"
    rows.write_text(code, encoding="utf-8", newline="\n")
    # 4. A minor version, as a new table is.
    changelog = root / "CHANGELOG.md"
    version = Project().changelog_version().split(".")
    heading = (
        f"## [{version[0]}.{int(version[1]) + 1}.0] - {dt.date.today().isoformat()}\n\n"
        "### Added\n- A table of notes.\n\n"
    )
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace("## [Unreleased]\n\n", "## [Unreleased]\n\n" + heading, 1),
        encoding="utf-8",
        newline="\n",
    )
    for command in ("build", "release"):
        done = subprocess.run([sys.executable, "-m", "scripts", command], cwd=root, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}: {done.stderr}"
    assert (root / "data" / "notes.csv").read_text(encoding="utf-8").splitlines()[1] == f"{AGREEMENT_ID},1,Noted."
    released = next(path for path in (root / "dist").iterdir() if path.is_dir())
    assert all((released / "data" / f"notes.{suffix}").is_file() for suffix in ("csv", "parquet", "dta", "sav"))
    assert "notes" in [
        resource["name"]
        for resource in json.loads((released / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    ]
