"""The users' workflow, validate-release.yml, run step by step against releases served on 127.0.0.1: it installs this
version's validator pinned by its lock, passes the clean release, and refuses by name each corruption that
frictionless alone accepts; a bad input or address gets one line, and leaves nothing in the workspace."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, bumped, copy_package
from scripts.__main__ import main
from scripts.formats import archive
from scripts.inputs.project import Project
from test_gate import PARQUET_CASES, frictionless_on_what_changed, rehash
from test_rules import PROJECT_RULES
from test_workflows import serve

WORKFLOW = ROOT / ".github" / "workflows" / "validate-release.yml"
DOWNLOAD, INSTALL, VALIDATE = "download", "install", "validate"

# Each rule frictionless 5.21 alone misses, once the corruption has recorded the descriptor's hashes anew: the case of
# tests/checks/test_rules.py (or test_gate.py for Parquet) that makes it fire.
CORRUPTIONS = {
    "unique-key": PROJECT_RULES["two rows share a unique key"].corrupt,
    "parquet": PARQUET_CASES["parquet: a value differs"],
    "span": PROJECT_RULES["span does not give its text"].corrupt,
    "count": PROJECT_RULES["stated count differs from the rows"].corrupt,
    "formula-cell": PROJECT_RULES["formula cell"].corrupt,
    "category": PROJECT_RULES["value outside its categories"].corrupt,
    "source-hash": PROJECT_RULES["source document changed"].corrupt,
}


def workflow_steps() -> list[tuple[str, str]]:
    """(kind, script) of each run: step, in order: the download, the install, the validation."""
    job = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["validate"]
    assert set(job["env"]) == {"VERSION", "BASE_URL"}
    runs = [step for step in job["steps"] if "run" in step]
    assert [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step] == ["actions/setup-python"]
    assert len(runs) == 3 and "pip install" in runs[1]["run"] and "-m scripts validate" in runs[2]["run"]
    return list(zip((DOWNLOAD, INSTALL, VALIDATE), (step["run"] for step in runs)))


def run_steps(
    workspace: Path, runner_temp: Path, base_url: str, version: str, kinds=(DOWNLOAD, INSTALL, VALIDATE)
) -> list[tuple[str, int, str, str]]:
    """Each run: step of those `kinds` in turn, as GitHub runs it (bash -e -o pipefail), until one fails:
    (kind, code, stdout, stderr)."""
    python_bin = (
        workspace.parent / "python-bin"
    )  # python3 is this Python itself, as actions/setup-python puts it first on PATH
    if not python_bin.exists():
        python_bin.mkdir()
        os.symlink(getattr(sys, "_base_executable", sys.executable), python_bin / "python3")
    environment = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    environment.update(
        VERSION=version,
        BASE_URL=base_url,
        RUNNER_TEMP=str(runner_temp),
        PATH=f"{python_bin}{os.pathsep}{os.environ['PATH']}",
    )
    results = []
    for kind, script in workflow_steps():
        if kind not in kinds:
            continue
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script],
            cwd=workspace,
            env=environment,
            capture_output=True,
            text=True,
        )
        results.append((kind, done.returncode, done.stdout, done.stderr))
        if done.returncode:
            break
    return results


def _needs_curl() -> None:
    if shutil.which("curl") is None or shutil.which("sha256sum") is None:
        pytest.fail("curl and sha256sum are needed") if os.environ.get("CI") else pytest.skip(
            "no curl or sha256sum here"
        )


# --- Bad inputs and addresses: the download step alone, against a served folder of stand-in files -------------------


def _stand_in_release(folder: Path, version: str, files: dict[str, bytes] | None = None) -> Path:
    """A folder served as a release's download address: the three files SHA256SUMS names, with stand-in contents."""
    folder.mkdir(parents=True)
    files = files or {
        f"package-{version}.zip": b"zip",
        f"package-{version}-py3-none-any.whl": b"wheel",
        "requirements.lock": b"a==1\n",
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    (folder / "SHA256SUMS").write_bytes(
        archive.sha256sums({name: hashlib.sha256(content).hexdigest() for name, content in files.items()})
    )
    return folder


@pytest.fixture(scope="module")
def stand_ins(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    _stand_in_release(root / "good", "2.4.0")
    corrupted = _stand_in_release(root / "corrupted", "2.4.0")
    (corrupted / "requirements.lock").write_bytes(b"a==2\n")
    (root / "not-a-release").mkdir()
    (root / "not-a-release" / "SHA256SUMS").write_text(
        "<!DOCTYPE html><title>Not found</title>\n", encoding="utf-8", newline="\n"
    )
    _stand_in_release(root / "no-wheel", "2.4.0", {"package-2.4.0.zip": b"zip"})
    server = serve(root)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


BAD_INPUTS = {
    "missing version": ("", "good", "error: the input version is empty: give the version to validate, such as 2.4.0"),
    "malformed version": ("2.4", "good", "error: the input version '2.4' is not a version X.Y.Z, such as 2.4.0"),
    "version with a suffix": (
        "2.4.0; rm -rf /",
        "good",
        "error: the input version '2.4.0; rm -rf /' is not a version X.Y.Z, such as 2.4.0",
    ),
    "mismatched version": (
        "v2.3.9",
        "good",
        "error: {base}/good holds the release package-2.4.0.zip, not 2.3.9: "
        "the inputs version and base-url must name the same release",
    ),
    "address that serves nothing": (
        "2.4.0",
        "nothing-here",
        "error: {base}/nothing-here serves no release of 2.4.0: {base}/nothing-here/SHA256SUMS could not be downloaded "
        "(curl: (22) The requested URL returned error: 404)",
    ),
    "address that serves a page": (
        "2.4.0",
        "not-a-release",
        "error: {base}/not-a-release serves no release: its SHA256SUMS is not a list of sha256 sums and file names",
    ),
    "release with no validator": (
        "2.4.0",
        "no-wheel",
        "error: {base}/no-wheel/SHA256SUMS names no validator wheel of 2.4.0 beside the zip (releases before 2.4.0 "
        "published none): validate such a release with the workflow of its own tag",
    ),
}


@pytest.mark.posix("curl, sha256sum and bash, which the workflow's run: steps use")
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_a_bad_input_or_address_gets_one_line_and_leaves_the_workspace_empty(stand_ins, tmp_path, case):
    _needs_curl()
    version, folder, expected = BAD_INPUTS[case]
    (tmp_path / "workspace").mkdir()
    (tmp_path / "temp").mkdir()
    [(kind, code, _, err)] = run_steps(
        tmp_path / "workspace", tmp_path / "temp", f"{stand_ins}/{folder}", version, kinds=(DOWNLOAD,)
    )
    assert (kind, code) == (DOWNLOAD, 1)
    assert err.splitlines() == [expected.format(base=stand_ins)]
    assert list((tmp_path / "workspace").iterdir()) == []


@pytest.mark.posix("curl, sha256sum and bash, which the workflow's run: steps use")
def test_a_file_that_differs_from_its_sha256_is_named_and_nothing_is_moved_into_the_workspace(stand_ins, tmp_path):
    _needs_curl()
    (tmp_path / "workspace").mkdir()
    (tmp_path / "temp").mkdir()
    [(_, code, out, err)] = run_steps(
        tmp_path / "workspace", tmp_path / "temp", f"{stand_ins}/corrupted", "2.4.0", kinds=(DOWNLOAD,)
    )
    assert code == 1
    assert "requirements.lock: FAILED" in out + err
    assert (
        err.splitlines()[-1]
        == f"error: a file downloaded from {stand_ins}/corrupted differs from its sha256 in SHA256SUMS (named above): "
        "nothing was moved into the workspace"
    )
    assert list((tmp_path / "workspace").iterdir()) == []


@pytest.mark.posix("curl, sha256sum and bash, which the workflow's run: steps use")
def test_a_good_download_is_moved_into_the_workspace_whole(stand_ins, tmp_path):
    _needs_curl()
    (tmp_path / "workspace").mkdir()
    (tmp_path / "temp").mkdir()
    [(_, code, out, err)] = run_steps(
        tmp_path / "workspace", tmp_path / "temp", f"{stand_ins}/good/", "v2.4.0", kinds=(DOWNLOAD,)
    )
    assert code == 0, err
    folder = tmp_path / "workspace" / "release-2.4.0"
    assert sorted(path.name for path in folder.iterdir()) == [
        "SHA256SUMS",
        "package-2.4.0-py3-none-any.whl",
        "package-2.4.0.zip",
        "requirements.lock",
    ]
    assert [path.name for path in (tmp_path / "workspace").iterdir()] == ["release-2.4.0"] and list(
        (tmp_path / "temp").iterdir()
    ) == []


# --- A real release, clean and corrupted: the whole workflow, the validator installed once --------------------------


@pytest.fixture(scope="module")
def served_releases(tmp_path_factory):
    """A release of a copy of the package, at a new patch version (the current one may be recorded with
    other bytes), served clean under /clean and corrupted under /<rule>: each corruption's descriptor
    hashes, zip and SHA256SUMS made anew."""
    root = copy_package(tmp_path_factory.mktemp("release") / "package")
    version = bumped(Project().changelog_version(), "patch")
    changelog = root / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n",
            f"## [Unreleased]\n\n## [{version}] - {datetime.date.today().isoformat()}\n\n"
            "### Fixed\n- The release a test serves.\n",
            1,
        ),
        encoding="utf-8",
        newline="\n",
    )
    with contextlib.redirect_stdout(io.StringIO()):  # in-process: the release is served here, not what is tested
        assert main(["--root", str(root), "release"]) == 0, "the release of a copy at a new patch version failed"
    dist = root / "dist"
    served = tmp_path_factory.mktemp("served")
    shutil.copytree(
        dist, served / "clean", ignore=lambda folder, names: [n for n in names if (Path(folder) / n).is_dir()]
    )
    folder = next(path for path in dist.iterdir() if path.is_dir())
    for rule, corrupt in CORRUPTIONS.items():
        corrupted = served / rule
        shutil.copytree(folder, corrupted / folder.name)
        corrupt(corrupted / folder.name)
        rehash(corrupted / folder.name)
        _pack_again(corrupted, folder.name, dist)
    server = serve(served)
    yield f"http://127.0.0.1:{server.server_address[1]}", version, served, folder
    server.shutdown()


def _pack_again(corrupted: Path, name: str, dist: Path) -> None:
    """The corrupted folder zipped, with the clean release's wheel and lock, and a SHA256SUMS that names all three."""
    folder = corrupted / name
    paths = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    archive.write_zip(str(folder), paths, str(corrupted / f"{name}.zip"))
    shutil.rmtree(folder)
    attached = [path.name for path in dist.iterdir() if path.suffix in (".whl", ".lock")]
    for attachment in attached:
        shutil.copyfile(dist / attachment, corrupted / attachment)
    (corrupted / "SHA256SUMS").write_bytes(
        archive.sha256sums({path: archive.sha256_of(corrupted / path) for path in [f"{name}.zip", *attached]})
    )


@pytest.fixture(scope="module")
def runner_temp(served_releases, tmp_path_factory):
    """RUNNER_TEMP with the validator installed once by the workflow's own steps, from the clean
    release: every case shares it."""
    base, version, _, _ = served_releases
    temp = tmp_path_factory.mktemp("runner-temp")
    workspace = tmp_path_factory.mktemp("install") / "workspace"
    workspace.mkdir()
    results = run_steps(workspace, temp, f"{base}/clean", version, kinds=(DOWNLOAD, INSTALL))
    assert [(kind, code) for kind, code, _, _ in results] == [(DOWNLOAD, 0), (INSTALL, 0)], results
    return temp


@pytest.mark.slow
@pytest.mark.posix("curl, sha256sum and bash, which the workflow's run: steps use")
def test_the_validator_is_installed_with_the_lock_pins_alone(runner_temp):
    _needs_curl()
    python = runner_temp / "validator" / "bin" / "python"
    frozen = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--all", "--exclude", "pip", "--exclude", "setuptools"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    locked = set((ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines())
    ours = [line for line in frozen if line.startswith("global-muslim-coalition-for-uyghurs")]
    assert len(ours) == 1 and [line for line in frozen if line not in locked and line not in ours] == []
    assert {"frictionless==5.21.0", "pandas==3.1.1", "pyarrow==26.0.1"} <= set(frozen)


@pytest.mark.slow
@pytest.mark.posix("curl, sha256sum and bash, which the workflow's run: steps use")
def test_the_workflow_passes_the_clean_release(served_releases, runner_temp, tmp_path):
    _needs_curl()
    base, version, _, _ = served_releases
    (tmp_path / "workspace").mkdir()
    results = run_steps(tmp_path / "workspace", runner_temp, f"{base}/clean", version, kinds=(DOWNLOAD, VALIDATE))
    assert [(kind, code) for kind, code, _, _ in results] == [(DOWNLOAD, 0), (VALIDATE, 0)], results
    assert results[1][2].splitlines()[-1].startswith("valid: ") and "ERROR" not in results[1][3]


@pytest.mark.slow
@pytest.mark.posix("curl, sha256sum and bash, which the workflow's run: steps use")
@pytest.mark.parametrize("rule", sorted(CORRUPTIONS))
def test_the_workflow_refuses_by_name_what_frictionless_alone_accepts(served_releases, runner_temp, tmp_path, rule):
    _needs_curl()
    base, version, _, clean = served_releases
    (tmp_path / "workspace").mkdir()
    results = run_steps(tmp_path / "workspace", runner_temp, f"{base}/{rule}", version, kinds=(DOWNLOAD, VALIDATE))
    assert [(kind, code) for kind, code, _, _ in results] == [(DOWNLOAD, 0), (VALIDATE, 1)], results
    fired = {
        found
        for line in results[1][3].splitlines()
        if line.startswith("  ERROR ")
        for found in re.findall(r": \[([\w:-]+)\] ", line)[:1]
    }
    # A CSV changed alone also differs from its Parquet twin, which the release left as it was.
    assert rule in fired and fired <= {rule, "parquet"}, results[1][3]
    # frictionless alone, as the workflow ran it before, finds nothing wrong with the same download: run on what the
    # corruption reached, which finds what a full run finds (tests/checks/test_gate.py proves it).
    unpacked = tmp_path / "unpacked"
    shutil.unpack_archive(tmp_path / "workspace" / f"release-{version}" / f"{clean.name}.zip", unpacked)
    assert frictionless_on_what_changed(unpacked, clean) == []


@pytest.mark.slow
@pytest.mark.posix("curl, sha256sum and bash, which the README's plain-shell steps use")
def test_the_readme_shell_steps_validate_a_served_release(served_releases, runner_temp, tmp_path):
    """The README's steps in plain shell, with the validator the workflow installed in place
    of the one they pip-install."""
    _needs_curl()
    base, _, _, clean = served_releases
    name = clean.name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (steps,) = [
        text
        for text in re.findall(r"^```sh\n(.*?)^```", readme, re.DOTALL | re.MULTILINE)
        if "sha256sum --check" in text
    ]
    install = "python3 -m venv validator && validator/bin/pip install --constraint requirements.lock ./*.whl"
    assert install in steps
    os.symlink(runner_temp / "validator", tmp_path / "validator")
    environment = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    done = subprocess.run(
        ["bash", "-e", "-c", steps.replace(install, "true")],
        cwd=tmp_path,
        env={**environment, "BASE": f"{base}/clean"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        f"{name}.zip: OK" in done.stdout
        and done.stdout.splitlines()[-1] == f"valid: {tmp_path / 'release' / 'datapackage.json'}"
    )
