"""CONTRIBUTING's patch procedure, followed word for word in a fresh clone: every step as
written, then everything green."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT, bumped
from scripts.inputs.project import Project

pytestmark = pytest.mark.slow  # a clone, a release and the quick suite in it


def procedure() -> list[str]:
    """The numbered steps of CONTRIBUTING's "A patch release, step by step", each as one line of text."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split(
        "<!-- patch procedure: followed word for word by tests/release/test_patch_procedure.py -->\n", 1
    )[1]
    block = block.split("<!-- end of patch procedure -->", 1)[0]
    return [" ".join(step.split()) for step in re.split(r"^\d+\. ", block, flags=re.MULTILINE) if step.strip()]


def test_the_procedure_is_the_steps_this_test_follows():
    steps = procedure()
    assert len(steps) == 5
    assert steps[0].startswith(
        "Correct the curated fact in its file under `data/source/`, "
        "for example a page's `title` in `data/source/organizations.yaml`"
    )
    assert (
        "add the heading `## [X.Y.Z] - YYYY-MM-DD` with the next patch version and today's date, "
        "then `### Fixed` and one line" in steps[1]
    )
    assert steps[2:4] == ["Run `make release`.", "Run `make test`."]
    assert steps[4].startswith("Commit what they changed")


@pytest.mark.posix("make, git and a POSIX shell")
def test_a_patch_release_by_the_procedure_leaves_everything_green(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, capture_output=True
    )
    _venv_from_this_one(clone)
    steps = procedure()

    # 1. Correct the curated fact: a page's title in data/source/organizations.yaml.
    organizations = clone / "data" / "source" / "organizations.yaml"
    text = organizations.read_text(encoding="utf-8")
    old_title = 'title: "50 Years of ABIM: Charting The Transition In Islamic Reformism"'
    assert old_title in text
    organizations.write_text(
        text.replace(old_title, 'title: "50 Years of ABIM: Charting the Transition in Islamic Reformism"', 1),
        encoding="utf-8",
        newline="\n",
    )

    # 2. The next patch version's heading below [Unreleased], today's date, ### Fixed and one line.
    version = bumped(Project(clone).changelog_version(), "patch")
    changelog = clone / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n",
            f"## [Unreleased]\n\n## [{version}] - {datetime.date.today().isoformat()}\n\n### Fixed\n"
            "- A page's title in `organization_facts` is as the page gives it.\n",
            1,
        ),
        encoding="utf-8",
        newline="\n",
    )

    # 3. and 4., as written: make release, then make test.
    commands = [re.fullmatch(r"Run `(.+)`\.", step).group(1) for step in steps[2:4]]
    assert commands == ["make release", "make test"]
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "MAKEFLAGS",
            "MAKELEVEL",
            "MFLAGS",
            "VIRTUAL_ENV",
            "PYTEST_XDIST_WORKER",
            "PYTEST_XDIST_TESTRUNUID",
            "PYTEST_CURRENT_TEST",
            "TOOLS_VENV",
        )
    }
    for command in commands:
        done = subprocess.run(command.split(), cwd=clone, env=environment, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"

    # Every file that states the version states the new one.
    assert f'version = "{version}"' in (clone / "pyproject.toml").read_text(encoding="utf-8")
    assert f"validate-release.yml@v{version}" in (clone / "README.md").read_text(encoding="utf-8")
    released_readme = clone / "dist" / f"global-muslim-coalition-for-uyghurs-{version}" / "README.md"
    assert f"validate-release.yml@v{version}" in released_readme.read_text(encoding="utf-8")
    assert (clone / "releases" / version / "release.json").is_file()
    # 5. What they changed is what the procedure says to commit.
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout
    paths = {line[3:].split("/")[0] for line in changed.splitlines()}
    assert paths <= {
        "CHANGELOG.md",
        "data",
        "datapackage.json",
        "docs",
        "releases",
        "pyproject.toml",
        "README.md",
        "CITATION.cff",
        "CITATION.bib",
        ".zenodo.json",
        ".venv",
    }, changed


def _venv_from_this_one(clone: Path) -> None:
    """The clone's .venv, made as make makes it, seeing this venv's installed packages (a .pth file) and commands, so
    that make's own `pip install -r requirements.lock` finds every pin satisfied instead of installing them again."""
    subprocess.run(
        [getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(clone / ".venv")],
        check=True,
        capture_output=True,
    )
    purelib = Path(sysconfig.get_paths()["purelib"])
    clone_purelib = next((clone / ".venv" / "lib").glob("python3*/site-packages"))
    (clone_purelib / "this-checkouts-venv.pth").write_text(f"{purelib}\n", encoding="utf-8", newline="\n")
    for command in (
        Path(sys.prefix) / "bin"
    ).iterdir():  # the console scripts (frictionless, datasette) that tests run by path
        if not (clone / ".venv" / "bin" / command.name).exists():
            os.symlink(command, clone / ".venv" / "bin" / command.name)
