"""The two commands' plumbing: pinned dependencies, the version, and CI."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT
from scripts.project import Project


def test_direct_dependencies_are_pinned_and_locked_at_the_same_versions():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    locked = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)$", (ROOT / "requirements.lock").read_text(encoding="utf-8"), flags=re.MULTILINE))
    locked = {name.lower().replace("_", "-"): version for name, version in locked.items()}
    for requirement in project["dependencies"]:
        name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", requirement).groups()
        assert locked[name.lower()] == version, requirement
    assert project["version"] == Project().changelog_version()


def test_ci_runs_the_readme_test_command_and_fails_on_no_tests():
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in run
    assert [line for line in run.splitlines() if line and not line.startswith("#")][-1] == "make test"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.search(r"## Set-up: two commands.*?```sh\n(.*?)```", readme, flags=re.DOTALL).group(1)
    assert [line.split("#")[0].strip() for line in commands.strip().splitlines()] == ["make release", "make test"]
