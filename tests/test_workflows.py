"""The GitHub workflows: actionlint passes on each, and the reusable one's run: steps validate a release served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
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
    assert ci["jobs"]["linux"]["strategy"]["matrix"]["python"] == ci["jobs"]["macos"]["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    reusable = yaml.safe_load((ROOT / ".github" / "workflows" / "validate-release.yml").read_text(encoding="utf-8"))
    inputs = reusable[True]["workflow_call"]["inputs"]  # YAML reads the key `on` as True
    assert set(inputs) == {"version", "base-url"}
    # In a called workflow github.repository is the caller's: a default built from it would download from the wrong place.
    assert inputs["base-url"]["required"] is True and "default" not in inputs["base-url"]
    steps = "\n".join(str(step) for step in reusable["jobs"]["validate"]["steps"]) + str(reusable["jobs"]["validate"]["env"])
    assert "github.repository" not in steps


def _serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *arguments):
        pass


def _run_steps(workdir: Path, base_url: str, version: str) -> list[tuple[str, int, str]]:
    """Each run: step of validate-release.yml in turn, as GitHub runs it (bash -e -o pipefail), until one fails.

    The step that pip-installs the pinned frictionless is left out: the test gives the validate
    step this project's own pinned frictionless at the path that step would have made.
    """
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "validate-release.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["validate"]
    runner_temp = workdir / "runner-temp"
    (runner_temp / "frictionless" / "bin").mkdir(parents=True)
    os.symlink(Path(sys.executable).parent / "frictionless", runner_temp / "frictionless" / "bin" / "frictionless")
    env = {**os.environ, "VERSION": version, "BASE_URL": base_url, "RUNNER_TEMP": str(runner_temp)}
    assert set(job["env"]) == {"VERSION", "BASE_URL"}
    results = []
    for step in job["steps"]:
        if step["name"] == "Install frictionless, pinned":
            assert '"frictionless[parquet,pandas]==' in step["run"]
            continue
        done = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]], cwd=workdir, env=env, capture_output=True, text=True)
        results.append((step["name"], done.returncode, done.stdout + done.stderr))
        if done.returncode:
            break
    return results


@pytest.mark.slow
@pytest.mark.posix("curl, sha256sum and bash, which the workflow's run: steps use")
def test_the_reusable_workflow_validates_a_good_release_and_refuses_a_corrupted_one(released_folder, tmp_path):
    if shutil.which("curl") is None or shutil.which("sha256sum") is None:
        pytest.fail("curl and sha256sum are needed") if os.environ.get("CI") else pytest.skip("no curl or sha256sum here")
    dist = released_folder.parent
    version = released_folder.name.rsplit("-", 1)[1]
    zip_name = f"{released_folder.name}.zip"

    server = _serve(dist)
    try:
        good = tmp_path / "good"
        good.mkdir()
        results = _run_steps(good, f"http://127.0.0.1:{server.server_address[1]}", f"v{version}")
        assert [(name, code) for name, code, _ in results] == [
            ("Download SHA256SUMS and the zip it names", 0), ("Check the zip's sha256", 0), ("Validate the zip with frictionless", 0)], results
        assert f"{zip_name}: OK" in results[1][2]
    finally:
        server.shutdown()

    corrupted_dist = tmp_path / "corrupted-dist"
    corrupted_dist.mkdir()
    shutil.copyfile(dist / "SHA256SUMS", corrupted_dist / "SHA256SUMS")
    content = bytearray((dist / zip_name).read_bytes())
    content[len(content) // 2] ^= 0xFF
    (corrupted_dist / zip_name).write_bytes(bytes(content))
    server = _serve(corrupted_dist)
    try:
        bad = tmp_path / "bad"
        bad.mkdir()
        results = _run_steps(bad, f"http://127.0.0.1:{server.server_address[1]}", version)
    finally:
        server.shutdown()
    assert [(name, code) for name, code, _ in results] == [("Download SHA256SUMS and the zip it names", 0), ("Check the zip's sha256", 1)], results
    assert f"{zip_name}: FAILED" in results[1][2]


@pytest.mark.slow
@pytest.mark.posix("curl, sha256sum and bash, which the README's plain-shell steps use")
def test_the_readme_shell_steps_validate_a_served_release(released_folder, tmp_path):
    """The README's steps in plain shell, with this project's pinned frictionless in place of the one they pip-install."""
    import re

    if shutil.which("curl") is None or shutil.which("sha256sum") is None:
        pytest.fail("curl and sha256sum are needed") if os.environ.get("CI") else pytest.skip("no curl or sha256sum here")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (steps,) = [text for text in re.findall(r"^```sh\n(.*?)^```", readme, re.DOTALL | re.MULTILINE) if "sha256sum --check" in text]
    install = 'python3 -m venv fl && fl/bin/pip install "frictionless[parquet,pandas]==5.21.0"'
    assert install in steps
    (tmp_path / "fl" / "bin").mkdir(parents=True)
    os.symlink(Path(sys.executable).parent / "frictionless", tmp_path / "fl" / "bin" / "frictionless")
    server = _serve(released_folder.parent)
    try:
        env = {**os.environ, "BASE": f"http://127.0.0.1:{server.server_address[1]}"}
        done = subprocess.run(["bash", "-e", "-c", steps.replace(install, "true")], cwd=tmp_path, env=env, capture_output=True, text=True)
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{released_folder.name}.zip: OK" in done.stdout


@pytest.mark.posix("bash, which runs the release workflow's step that assembles the Pages site")
def test_the_release_deploys_its_folder_to_pages_with_the_database_where_the_page_links_it(released_folder, tmp_path):
    from scripts.formats.sqlite import METADATA_PATH, PATH

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    steps = {step.get("name"): step for step in workflow["jobs"]["release"]["steps"]}
    assemble = steps["Assemble the Pages site, the release folder as it is"]["run"]
    assert steps["Upload the Pages site"]["uses"].startswith("actions/upload-pages-artifact@") and steps["Upload the Pages site"]["with"]["path"] == "site"
    pages = workflow["jobs"]["pages"]
    assert pages["needs"] == "release" and pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert [step["uses"].split("@")[0] for step in pages["steps"]] == ["actions/deploy-pages"]
    shutil.copytree(released_folder, tmp_path / "dist" / released_folder.name)
    done = subprocess.run(["bash", "-e", "-c", assemble], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    name = PATH.format(name=released_folder.name.rsplit("-", 1)[0])
    assert (site / name).read_bytes() == (released_folder / name).read_bytes() and (site / METADATA_PATH).is_file()
    assert (site / "docs" / "index.html").is_file() and 'url=docs/index.html' in (site / "index.html").read_text(encoding="utf-8")
