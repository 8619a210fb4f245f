"""Shared fixtures: a throw-away copy of the package, and the command line run in-process."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from scripts.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
AGREEMENT_ID = "global-muslim-coalition-for-uyghurs-2022"
SOURCE_DIR = Path("data/source") / AGREEMENT_ID
# The pipeline runs from this checkout's code and contracts, with --root naming the copy:
# a copy needs the package alone.
# mutants/ is make mutate's copy of the checkout: 400 files that would be copied for every test.
# node_modules/ holds the npm tools the browser tests run (make check), 185 MB.
_NOT_COPIED = {
    ".git",
    ".venv",
    "dist",
    ".pytest_cache",
    "__pycache__",
    "benchmarks",
    "scripts",
    "tests",
    ".hypothesis",
    ".github",
    ".ci",
    "contracts",
    "mutants",
    "node_modules",
}


def _memory_file_system() -> str | None:
    """Linux's /dev/shm, where it has room for a run: a container's is often 64 MiB."""
    try:
        room = os.statvfs("/dev/shm")
    except (OSError, AttributeError):  # none, or Windows
        return None
    enough = room.f_bavail * room.f_frsize >= 2 * 1024**3 and os.access("/dev/shm", os.W_OK)
    return "/dev/shm" if enough else None


# The suite's scratch files go to a file system in memory where the system has one, unless TMPDIR names a place: a run
# creates and deletes about 100,000 files, and ext4 then spends its time looking for free inodes among those just
# deleted (docs/benchmarks.md, "Devices"). The processes the tests start inherit it.
if "TMPDIR" not in os.environ and (_MEMORY := _memory_file_system()):
    os.environ["TMPDIR"] = _MEMORY
    tempfile.tempdir = None  # found again, from TMPDIR


def bumped(version: str, level: str) -> str:
    """The next major, minor or patch version after `version`, for tests that add a
    changelog heading above the newest."""
    major, minor, patch = (int(part) for part in version.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[
        level
    ]


def copy_package(destination: Path) -> Path:
    shutil.copytree(
        ROOT,
        destination,
        ignore=lambda folder, names: [n for n in names if n in _NOT_COPIED or n.startswith((".staging", ".venv"))],
    )
    return destination


class ReusedCopy:
    """One copy of a package that many tests edit in turn: `fresh()` gives it back as the template is,
    copying again only what the last test changed, added or removed (a whole copy costs a tenth of a second)."""

    def __init__(self, template: Path, root: Path):
        self.template, self.root = template, root
        shutil.copytree(template, root)
        self.expected = _entries(root)

    def fresh(self) -> Path:
        found = _entries(self.root)
        for relative in sorted(set(found) - set(self.expected)) + sorted(
            r for r in set(found) & set(self.expected) if found[r] != self.expected[r]
        ):
            path = self.root / relative
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif os.path.lexists(path):
                path.unlink()
        found = _entries(self.root)  # a folder removed took what it held with it
        for relative in sorted(self.expected):  # a folder before what it holds
            if relative not in found or found[relative] != self.expected[relative]:
                path = self.root / relative
                if stat.S_ISDIR(self.expected[relative][0]):
                    path.mkdir(exist_ok=True)
                else:
                    shutil.copy2(self.template / relative, path)  # the template's time too, so that it matches again
        assert _entries(self.root) == self.expected, "the reused copy could not be restored"
        return self.root


def _entries(folder: Path) -> dict[str, tuple]:
    """Every path below a folder, with what tells a changed file: its kind, size and time of change (symbolic
    links not followed). A folder that cannot be read is passed over, as os.walk passes it; relative paths are
    joined as text (relpath is slow)."""
    entries = {}

    def walk(directory: str, prefix: str) -> None:
        try:
            listing = list(os.scandir(directory))
        except OSError:
            return
        for entry in listing:
            relative, info = prefix + entry.name, entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                entries[relative] = (info.st_mode,)
                walk(entry.path, relative + "/")
            else:
                entries[relative] = (info.st_mode, info.st_size, info.st_mtime_ns)

    walk(os.fspath(folder), "")
    return entries


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the checkout that a test may corrupt."""
    return copy_package(tmp_path / "package")


@pytest.fixture(scope="module")
def reused_package(tmp_path_factory) -> ReusedCopy:
    """A copy of the checkout for a matrix of refusals, each test's edit undone before the
    next: `reused_package.fresh()`."""
    template = copy_package(tmp_path_factory.mktemp("template") / "package")
    return ReusedCopy(template, tmp_path_factory.mktemp("reused") / "package")


@pytest.fixture(scope="session")
def released_folder(tmp_path_factory) -> Path:
    """The release folder of one `release` of a copy of the package, for read-only tests: made once per run, the
    pytest-xdist workers sharing it.

    make mutate names one it made before the mutants in RELEASED_FOLDER, so that each
    mutant's run does not release again.
    """
    if os.environ.get("RELEASED_FOLDER"):
        return Path(os.environ["RELEASED_FOLDER"])

    def release(folder: Path) -> Path:
        root = copy_package(folder / "package")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            assert main(["--root", str(root), "release"]) == 0, "the release of an unchanged copy failed"
        (folder / RELEASE_SUMMARY).write_text(printed.getvalue(), encoding="utf-8", newline="\n")
        return next(path for path in (root / "dist").iterdir() if path.is_dir())

    return once_per_run(tmp_path_factory, "released", release)


# What the release of released_folder printed, beside its copy of the package (package/dist/<name>/ is the folder).
RELEASE_SUMMARY = "release-summary.txt"


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], Path]) -> Path:
    """What `make` returns for a new folder, made once for all the pytest-xdist workers of this run: the first worker to
    claim `name` makes it, the others wait for the path it writes. Without xdist, it is made in this process."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, above each worker's own (which ends with it)
    ready = shared / f"{name}.ready"
    try:
        (shared / f"{name}.claimed").mkdir()  # atomic on every platform: one worker wins
    except FileExistsError:
        deadline = time.monotonic() + 600
        while not ready.exists():
            if time.monotonic() > deadline:
                pytest.fail(f"another worker claimed {name} but wrote no {ready} in 600 s")
            time.sleep(0.1)
        made = ready.read_text(encoding="utf-8")
        if made.startswith("failed: "):
            pytest.fail(f"the worker that made {name} {made}")
        return Path(made)
    try:
        made = str(make(shared / name))
    except BaseException as exc:
        _write_then_rename(ready, f"failed: {type(exc).__name__}: {exc}")
        raise
    _write_then_rename(ready, made)
    return Path(made)


def _write_then_rename(path: Path, text: str) -> None:
    """Whoever waits for `path` reads it whole or not at all."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8", newline="\n")
    os.replace(partial, path)


def run(root: Path, *args: str, capsys) -> tuple[int, str, str]:
    """The command line, in-process: exit code, standard output and standard error."""
    capsys.readouterr()
    options = [arg for arg in args if arg == "--debug"]
    code = main(["--root", str(root), *options, *[arg for arg in args if arg != "--debug"]])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file below a folder, to show that nothing was written."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_refused(package: Path, relative: str | Path, old: str, new: str, capsys) -> tuple[str, str]:
    """Edit one curated file (its `old` text, found once, becomes `new`), then build: the build must refuse in
    one or two lines, never as "unexpected", and write nothing to data/ or docs/. Returns (the first error
    line, everything it printed)."""
    path = package / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8", newline="\n")
    before = {name: snapshot(package / name) for name in ("data", "docs")}
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 1 and "unexpected" not in err and "Traceback" not in err, err
    assert {name: snapshot(package / name) for name in ("data", "docs")} == before
    return next(line for line in err.splitlines() if line.startswith("error: ")), err


def replace_document(root: Path, text: str | bytes) -> None:
    """Write a new source document and record its sha256, as a curator would for a new version."""
    document = root / SOURCE_DIR / "document.txt"
    raw = text.encode("utf-8") if isinstance(text, str) else text
    document.write_bytes(raw)
    metadata = root / SOURCE_DIR / "agreement.yaml"
    metadata.write_text(
        re.sub(
            r"sha256: [0-9a-f]{64}",
            f"sha256: {hashlib.sha256(raw).hexdigest()}",
            metadata.read_text(encoding="utf-8"),
            count=1,
        ),
        encoding="utf-8",
        newline="\n",
    )


def line_of(relative: str | Path, needle: str) -> int:
    """The line of the checkout's file where `needle` first stands."""
    return next(
        number
        for number, line in enumerate((ROOT / relative).read_text(encoding="utf-8").splitlines(), start=1)
        if needle in line
    )


def source_text(root: Path = ROOT) -> str:
    return (root / SOURCE_DIR / "document.txt").read_text(encoding="utf-8")


def frictionless_validate(descriptor: Path) -> subprocess.CompletedProcess:
    """The frictionless command line, exactly as users run it in their CI."""
    executable = Path(sys.executable).parent / "frictionless"
    return subprocess.run(
        [str(executable), "validate", descriptor.name], cwd=descriptor.parent, capture_output=True, text=True
    )


def edit_schema(name: str, change: Callable[[dict], None]):
    """An edit of a copy: change schemas/<name>.json as `change` does to its JSON."""

    def edit(root: Path) -> None:
        path = root / "schemas" / f"{name}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        change(schema)
        path.write_text(json.dumps(schema, indent=2), encoding="utf-8", newline="\n")

    return edit


def schema_field(schema: dict, name: str) -> dict:
    return next(field for field in schema["fields"] if field["name"] == name)


TOOLS = Path(os.environ.get("TOOLS_VENV", ROOT / ".venv-tools"))
if not TOOLS.is_absolute():
    TOOLS = ROOT / TOOLS


def tool(name: str) -> Path:
    """A tool of requirements-tools.lock (cffconvert, actionlint); missing, the test skips and
    says why, or fails under CI."""
    path = TOOLS / "bin" / name
    if not path.exists():
        message = f"{name} is not installed in {TOOLS} (make check installs requirements-tools.lock there)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    return path


def require_system(executable: str, debian_package: str) -> str:
    """The path of a system program a test needs. Missing: the test skips and says why, or fails under CI,
    where .ci/run has installed it (nothing may download a browser or other binary at run time)."""
    found = shutil.which(executable)
    if found:
        return found
    reason = f"{executable} is not installed (Debian package {debian_package}; .ci/run installs it with apt-get)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: under CI a skipped test is a failure")
    pytest.skip(reason)


def node_module(relative: str) -> Path:
    """A file of the npm packages package-lock.json pins (axe-core, Lighthouse). Missing, the test skips and says why,
    or fails under CI, where .ci/run has run `npm ci`."""
    path = ROOT / "node_modules" / relative
    if not path.exists():
        reason = f"node_modules/{relative} is not installed (run `npm ci --ignore-scripts`, as .ci/run does)"
        pytest.fail(f"{reason}: under CI a skipped test is a failure") if os.environ.get("CI") else pytest.skip(reason)
    return path


# The key under which a test records a figure for make check's output (record_property), such as Lighthouse's scores.
FIGURE = "figure"


def pytest_collection_modifyitems(items):
    """On Windows, a test marked posix skips and says what it needs (the Windows job in
    ci.yml runs every other test)."""
    if sys.platform != "win32":
        return
    for item in items:
        marker = item.get_closest_marker("posix")
        if marker:
            item.add_marker(
                pytest.mark.skip(
                    reason=(
                        "needs POSIX: "
                        f"{marker.args[0] if marker.args else 'named pipes, symbolic links, signals or POSIX tools'}"
                    )
                )
            )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A skip is reported at the test that skipped, not at the helper that raised it, so the summary
    (-ra) says which test and why."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and isinstance(report.longrepr, tuple) and not hasattr(report, "wasxfail"):
        _, _, reason = report.longrepr
        report.longrepr = (item.location[0], item.location[1] + 1, f"{item.name}: {reason.removeprefix('Skipped: ')}")


def pytest_terminal_summary(terminalreporter):
    """The count of skips, always, in words a reader of make check looks for."""
    figures = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", "") == "call"
        for key, value in getattr(report, "user_properties", ())
        if key == FIGURE
    ]
    for figure in sorted(figures):  # from every worker: xdist sends each test's properties back with its report
        terminalreporter.write_line(f"measured: {figure}")
    skipped = terminalreporter.stats.get("skipped", [])
    terminalreporter.write_line(
        f"skipped tests: {len(skipped)}" + (" (each with its reason in the short test summary)" if skipped else "")
    )
