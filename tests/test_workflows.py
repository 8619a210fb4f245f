"""The GitHub workflows: actionlint passes on each, and the release publishes only after make check.

tests/checks/test_users_workflow.py runs the reusable one's run: steps against releases served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, tool

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
@pytest.mark.slow
@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actionlint_passes(workflow):
    result = subprocess.run([str(tool("actionlint")), str(workflow)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflows_are_the_three_the_readme_names():
    assert [path.name for path in WORKFLOWS] == ["ci.yml", "release.yml", "validate-release.yml"]
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    assert (
        ci["jobs"]["linux"]["strategy"]["matrix"]["python"]
        == ci["jobs"]["macos"]["strategy"]["matrix"]["python"]
        == ["3.11", "3.13"]
    )
    reusable = yaml.safe_load((ROOT / ".github" / "workflows" / "validate-release.yml").read_text(encoding="utf-8"))
    inputs = reusable[True]["workflow_call"]["inputs"]  # YAML reads the key `on` as True
    assert set(inputs) == {"version", "base-url"}
    # In a called workflow github.repository is the caller's: a default built from it would
    # download from the wrong place.
    assert inputs["base-url"]["required"] is True and "default" not in inputs["base-url"]
    steps = "\n".join(str(step) for step in reusable["jobs"]["validate"]["steps"]) + str(
        reusable["jobs"]["validate"]["env"]
    )
    assert "github.repository" not in steps


def serve(folder: Path):
    """A static server of `folder` on 127.0.0.1, on a free port, until its shutdown()."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *arguments):
        pass


@pytest.mark.posix("bash, which runs the release workflow's step that assembles the Pages site")
def test_the_release_deploys_its_folder_to_pages_with_the_database_where_the_page_links_it(released_folder, tmp_path):
    from scripts.formats.sqlite import METADATA_PATH, PATH

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    steps = {step.get("name"): step for step in workflow["jobs"]["release"]["steps"]}
    assemble = steps["Assemble the Pages site, the release folder as it is"]["run"]
    assert (
        steps["Upload the Pages site"]["uses"].startswith("actions/upload-pages-artifact@")
        and steps["Upload the Pages site"]["with"]["path"] == "site"
    )
    pages = workflow["jobs"]["pages"]
    assert pages["needs"] == "release" and pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert [step["uses"].split("@")[0] for step in pages["steps"]] == ["actions/deploy-pages"]
    shutil.copytree(released_folder, tmp_path / "dist" / released_folder.name)
    done = subprocess.run(["bash", "-e", "-c", assemble], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    name = PATH.format(name=released_folder.name.rsplit("-", 1)[0])
    assert (site / name).read_bytes() == (released_folder / name).read_bytes() and (site / METADATA_PATH).is_file()
    assert (site / "docs" / "index.html").is_file() and "url=docs/index.html" in (site / "index.html").read_text(
        encoding="utf-8"
    )


def test_a_tag_publishes_nothing_unless_make_check_passes_first():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["release"]["steps"]
    names = [step.get("name", step.get("uses")) for step in steps]
    check = next(index for index, step in enumerate(steps) if "bash .ci/run" in step.get("run", ""))
    assert (
        steps[check]["env"] == {"CI": "true"}
        and "make check" in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    )
    assert names.index("make release") > check
    publishing = [
        index
        for index, step in enumerate(steps)
        if step.get("uses", "").startswith(("softprops/", "actions/upload-pages-artifact"))
    ]
    assert publishing and min(publishing) > check, names
    # The other jobs publish or verify only what this job made: each needs it.
    assert all(job.get("needs") == "release" for name, job in workflow["jobs"].items() if name != "release")
    attached = next(step for step in steps if step.get("uses", "").startswith("softprops/"))["with"]["files"].split()
    assert attached == ["dist/*.zip", "dist/SHA256SUMS", "dist/*.whl", "dist/requirements.lock"]
