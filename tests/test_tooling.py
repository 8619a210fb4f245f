"""The two commands' plumbing: pinned dependencies, the version, and CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT
from scripts.formats.markers import block
from scripts.inputs.project import Project


def test_direct_dependencies_are_pinned_and_locked_at_the_same_versions():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    locked = dict(
        re.findall(
            r"^([A-Za-z0-9_.\-]+)==(\S+)$", (ROOT / "requirements.lock").read_text(encoding="utf-8"), flags=re.MULTILINE
        )
    )
    locked = {name.lower().replace("_", "-"): version for name, version in locked.items()}
    for requirement in project["dependencies"]:
        name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", requirement).groups()
        assert locked[name.lower()] == version, requirement
    assert project["version"] == Project().changelog_version()


def test_the_setup_is_two_make_targets_and_ci_runs_make_check():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in run
    assert "make check" in [line.strip() for line in run.splitlines()]
    for document in ("README.md", "CONTRIBUTING.md"):
        text = (ROOT / document).read_text(encoding="utf-8")
        commands = re.search(r"## Set-up.*?```sh\n(.*?)```", text, flags=re.DOTALL).group(1)
        assert [line.split("#")[0].strip() for line in commands.strip().splitlines()] == [
            "make release",
            "make test",
        ], document


def _make(target: str, root=ROOT, limit: str = "", **environment) -> subprocess.CompletedProcess:
    """`make target` as a user runs it (not as a sub-make of make test), with ROOT's venv, under `ulimit -v limit`."""
    sub_make = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")
    env = {key: value for key, value in os.environ.items() if key not in sub_make}
    command = f"{f'ulimit -v {limit}; ' if limit else ''}exec make --no-print-directory {target} VENV={ROOT / '.venv'}"
    return subprocess.run(["bash", "-c", command], cwd=root, capture_output=True, text=True, env={**env, **environment})


@pytest.mark.slow
@pytest.mark.posix("make, bash and ulimit")
def test_make_test_runs_the_quick_tests_and_make_check_runs_them_all():
    collected = {}
    for target in ("test", "check"):
        collect_only = "--collect-only -q -p no:cacheprovider"
        # One xdist worker: collecting the same tests in a second one would show nothing more.
        done = _make(
            target, PYTEST_ADDOPTS=collect_only, PYTEST_XDIST_AUTO_NUM_WORKERS="1", TOOLS_VENV=str(ROOT / ".venv-tools")
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr
        collected[target] = set(re.findall(r"^(tests/\S+::\S+)$", done.stdout, flags=re.MULTILINE))
    slow = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-m",
            "slow",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    slow_tests = set(re.findall(r"^(tests/\S+::\S+)$", slow.stdout, flags=re.MULTILINE))
    assert slow_tests and collected["test"] and not collected["test"] & slow_tests
    assert collected["check"] == collected["test"] | slow_tests


@pytest.mark.slow
@pytest.mark.posix("make, bash and ulimit")
def test_make_release_and_make_validate_work_within_4_gib_of_address_space(tmp_path):
    """Shared servers and clusters often cap a process's address space: no read is sized by a cap, only by a file."""
    import shutil

    from conftest import copy_package

    root = copy_package(tmp_path / "package")
    for folder in ("scripts", "contracts"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for target in ("release", "validate"):
        done = _make(target, root, limit="4194304")
        assert done.returncode == 0, f"make {target}: {done.stderr}"
    assert "valid: " in done.stdout
    assert list((root / "dist").glob("*.zip"))


def test_a_missing_system_package_skips_with_its_reason_but_fails_under_ci(monkeypatch):
    import pytest

    from conftest import require_system

    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(
        pytest.skip.Exception,
        match=r"chromium is not installed \(Debian package chromium; \.ci/run installs it with apt-get\)",
    ):
        require_system("chromium", "chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="under CI a skipped test is a failure"):
        require_system("chromium", "chromium")


def test_ci_installs_the_system_packages_the_tests_name():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in ("chromium", "r-base-core", "r-cran-readr", "r-cran-jsonlite"):
        assert package in run
    assert "apt-get install" in run and "playwright install" not in run


@pytest.mark.posix("make and /bin/sh")
def test_make_stops_at_once_with_one_line_on_an_older_python(tmp_path):
    import subprocess

    old = tmp_path / "python3.10"
    old.write_text(
        "#!/bin/sh\ncase \"$1\" in --version) echo 'Python 3.10.12';; *) echo False;; esac\n",
        encoding="utf-8",
        newline="\n",
    )
    old.chmod(0o755)
    import os

    # As a user runs it: not as a sub-make of `make test`, which would announce its directory.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")
    }
    result = subprocess.run(
        ["make", "-n", "test", f"PYTHON={old}"], cwd=ROOT, capture_output=True, text=True, env=environment
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert (
        result.stderr.strip() == f"Makefile:7: *** {old} is not Python 3.11 or later (Python 3.10.12): "
        "install Python 3.11+, or run make PYTHON=python3.11.  Stop."
    )


def test_the_mutation_record_counts_each_verdict_and_keeps_the_reasons_given_for_equivalent_survivors(
    tmp_path, monkeypatch
):
    import json

    from benchmarks import mutation

    monkeypatch.setattr(mutation, "RESULTS", tmp_path / "mutation.json")
    statuses = {
        "scripts.formats.escape.x_a__mutmut_1": "killed",
        "scripts.formats.escape.x_a__mutmut_2": "survived",
        "scripts.formats.escape.x_a__mutmut_3": "timeout",
        "scripts.checks.integrity.x_b__mutmut_1": "no tests",
        "scripts.checks.integrity.x_b__mutmut_2": "not checked",
    }
    diffs = {
        "scripts.formats.escape.x_a__mutmut_2": "-    x = 1\n+    x = 2",
        "scripts.checks.integrity.x_b__mutmut_1": "-    y\n+    z",
    }
    first = mutation.record(statuses, diffs, 12.4)
    assert (
        first["mutants"],
        first["killed"],
        first["not_checked"],
        first["equivalent"],
        first["score"],
        first["met"],
    ) == (4, 2, 1, 0, 0.5, False)
    assert first["modules"] == {
        "scripts.checks.integrity": {"mutants": 2, "killed": 0, "survived": 1, "not_checked": 1},
        "scripts.formats.escape": {"mutants": 3, "killed": 2, "survived": 1, "not_checked": 0},
    }
    first["survivors"][1]["equivalent_because"] = "x is never read"
    mutation.RESULTS.write_text(json.dumps(first), encoding="utf-8", newline="\n")
    renumbered = {
        "scripts.formats.escape.x_a__mutmut_7": "survived",
        "scripts.formats.escape.x_a__mutmut_1": "killed",
        "scripts.checks.integrity.x_b__mutmut_1": "killed",
    }
    second = mutation.record(renumbered, {"scripts.formats.escape.x_a__mutmut_7": "-    x = 1\n+    x = 2"}, 1.0)
    assert [(s["mutant"], s["equivalent_because"]) for s in second["survivors"]] == [
        ("scripts.formats.escape.x_a__mutmut_7", "x is never read")
    ]
    assert (second["mutants"], second["killed"], second["equivalent"], second["score"], second["met"]) == (
        3,
        2,
        1,
        1.0,
        True,
    )


def test_contributing_states_the_recorded_mutation_run():
    import json

    from benchmarks.mutation import GOAL, _module

    recorded = json.loads((ROOT / "benchmarks" / "mutation.json").read_text(encoding="utf-8"))
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("<!-- mutation runs: checked by tests/test_tooling.py -->\n", 1)[1].split("\n\n", 1)[0]
    shown = {row.split(" | ")[0].strip("| `"): row.split(" | ")[1:] for row in table.splitlines()[2:]}
    for name, counts in recorded["modules"].items():
        equivalent = sum(1 for s in recorded["survivors"] if s["equivalent_because"] and _module(s["mutant"]) == name)
        left = sum(1 for s in recorded["survivors"] if not s["equivalent_because"] and _module(s["mutant"]) == name)
        share = counts["killed"] / (counts["mutants"] - counts["not_checked"] - equivalent)
        path = name.removeprefix("scripts.").replace(".", "/") + ".py"
        row = shown[path]
        assert [int(cell) for cell in row[:4]] == [counts["mutants"], counts["killed"], equivalent, left], path
        assert row[4] == (f"{share:.0%}".replace("%", " %") if share == 1 else f"{share * 100:.1f} %"), path
        assert row[5].startswith(f"{round(counts['seconds'] / 60)} min"), path
    for path in recorded["modules_not_run"]:
        assert shown[path.removeprefix("scripts/")][1] == "not run"
    # met says what the record holds: every module run, each at GOAL or more, and every survivor explained.
    assert recorded["met"] == (
        not recorded["modules_not_run"]
        and all(s["equivalent_because"] for s in recorded["survivors"])
        and recorded["score"] >= GOAL
    )


def test_a_mutation_run_of_some_modules_keeps_the_recorded_scores_of_the_others():
    from benchmarks import mutation

    previous = mutation.record(
        {
            "scripts.formats.escape.x_a__mutmut_1": "killed",
            "scripts.formats.escape.x_a__mutmut_2": "survived",
            "scripts.checks.gate.x_b__mutmut_1": "killed",
        },
        {"scripts.formats.escape.x_a__mutmut_2": "-    x = 1\n+    x = 2"},
        100.0,
    )
    previous["survivors"][0]["equivalent_because"] = "x is never read"
    previous = mutation.merge(None, previous, {"scripts.formats.escape", "scripts.checks.gate"})
    assert previous["modules"]["scripts.formats.escape"]["seconds"] == 100 and "seconds" not in previous
    current = mutation.record(
        {
            "scripts.checks.integrity.x_c__mutmut_1": "killed",
            "scripts.checks.integrity.x_c__mutmut_2": "survived",
            "scripts.checks.integrity.x_c__mutmut_3": "not checked",
        },
        {"scripts.checks.integrity.x_c__mutmut_2": "-    y\n+    z"},
        7.0,
    )
    merged = mutation.merge(previous, current, {"scripts.checks.integrity"})
    assert sorted(merged["modules"]) == ["scripts.checks.gate", "scripts.checks.integrity", "scripts.formats.escape"]
    assert {name: counts["seconds"] for name, counts in merged["modules"].items()} == {
        "scripts.checks.gate": 100,
        "scripts.checks.integrity": 7,
        "scripts.formats.escape": 100,
    }
    assert (merged["mutants"], merged["killed"], merged["not_checked"], merged["equivalent"]) == (5, 3, 1, 1)
    assert merged["score"] == 0.75 and not merged["met"]
    assert [s["mutant"] for s in merged["survivors"]] == [
        "scripts.checks.integrity.x_c__mutmut_2",
        "scripts.formats.escape.x_a__mutmut_2",
    ]
    rerun = mutation.merge(
        merged, mutation.record({"scripts.formats.escape.x_a__mutmut_1": "killed"}, {}, 3.0), {"scripts.formats.escape"}
    )
    assert rerun["modules"]["scripts.formats.escape"] == {
        "mutants": 1,
        "killed": 1,
        "survived": 0,
        "not_checked": 0,
        "seconds": 3,
    }
    assert [s["mutant"] for s in rerun["survivors"]] == ["scripts.checks.integrity.x_c__mutmut_2"]


def test_every_file_that_states_the_version_states_the_changelogs():
    """The changelog's newest heading is the one place a maintainer writes the version; the build writes it in these."""
    import json

    import yaml

    version = Project().changelog_version()
    assert tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"] == version
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = block(readme, "workflow example")
    assert set(re.findall(r"\d+\.\d+\.\d+", example)) == {version} and f"validate-release.yml@v{version}" in example
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["version"] == version
    assert json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))["version"] == version
    assert f"version = {{{version}}}" in (ROOT / "CITATION.bib").read_text(encoding="utf-8")
    assert json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"] == version


def test_the_build_writes_a_new_heading_s_version_into_pyproject_and_the_readme(reused_package):
    """Add a heading, build in memory: pyproject.toml and the README's example state the new version,
    the rest of them as written."""
    import datetime

    from conftest import bumped
    from scripts.release.build import build_in_memory

    root = reused_package.fresh()
    version = bumped(Project().changelog_version(), "patch")
    changelog = root / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n",
            f"## [Unreleased]\n\n## [{version}] - {datetime.date.today().isoformat()}\n\n### Fixed\n- A fix.\n",
            1,
        ),
        encoding="utf-8",
        newline="\n",
    )
    files = build_in_memory(Project(root)).files
    pyproject, readme = files["pyproject.toml"].decode("utf-8"), files["README.md"].decode("utf-8")
    old_pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert pyproject == re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', old_pyproject)
    assert (
        f"validate-release.yml@v{version}" in readme
        and f'with: {{version: {version}, base-url: "https://github.com/OWNER/REPO/releases/download/v{version}"}}'
        in readme
    )
    assert readme.count(version) == 3  # the tag, the version and the address of the workflow example, and nowhere else


def test_the_suites_scratch_goes_to_dev_shm_only_where_it_has_room(monkeypatch):
    """A container's /dev/shm is often 64 MiB: the suite would fill it, so its scratch stays in the default place."""
    from conftest import _memory_file_system

    def room(size: int):
        return lambda path: os.statvfs_result((4096, 4096, size // 4096, size // 4096, size // 4096, 0, 0, 0, 0, 255))

    monkeypatch.setattr(os, "access", lambda path, mode: True)
    monkeypatch.setattr(os, "statvfs", room(64 * 1024**2))
    assert _memory_file_system() is None
    monkeypatch.setattr(os, "statvfs", room(24 * 1024**3))
    assert _memory_file_system() == "/dev/shm"

    def absent(path):
        raise FileNotFoundError(path)

    monkeypatch.setattr(os, "statvfs", absent)
    assert _memory_file_system() is None


def test_no_line_of_the_code_or_its_templates_is_over_120_characters():
    """ruff holds the Python to 120 characters; the templates are held to it too (icon.svg, one path of an image, is
    not written by hand)."""
    long = [
        f"{path.relative_to(ROOT).as_posix()}:{number}"
        for folder in ("scripts", "tests")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in (".py", ".j2", ".css", ".js") and "__pycache__" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > 120
    ]
    assert long == []
