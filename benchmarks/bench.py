"""Benchmark the release against frictionless as corpora grow (make bench): prints a table, writes results.json."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from scripts.formats.markers import replace_block
from scripts.inputs.project import ROOT, Project
from benchmarks.synthetic import random_agreement

SIZES = (1, 1_000, 10_000)
# Short steps run three times and the fastest counts, as timeit does: this machine drops idle
# files from its page cache within a minute, so a first run may read the corpus from disk again.
RUNS = 3
CORPORA = ROOT / "benchmarks" / "corpora"
RESULTS = ROOT / "benchmarks" / "results.json"
FIGURES = ROOT / "docs" / "benchmarks.md"  # where the figures of the newest run are written
# What a corpus needs besides its sources to build and release.
_SKELETON = ("schemas", "metadata", "CHANGELOG.md", "README.md", "LICENSE", "docs/codebook.md", "pyproject.toml",
             "requirements.lock")
# The capacity bound of issue 46: at 1,000 and 10,000 agreements the release takes at most half the time
# frictionless takes to validate it, and at 10,000 its peak stays within 1 GiB. The growth of the peak and
# the checks' rows per second are measured, no longer targets.
TARGETS = {"release_over_frictionless": 0.5, "peak_rss_mib": 1024, "hashing_over_sha256sum": 1.5}

# Runs in a process of its own, as the release runs them: load the tables, then every check
# but the one that hashes each file, which is timed on its own.
_CHECKS = """
import json, sys, time
from pathlib import Path
from scripts.checks.integrity import ALL_CHECKS, declared_integrity
from scripts.checks.package import load
started = time.perf_counter()
package = load(Path(sys.argv[1]))
package.frictionless_checks_integrity = False
found = list(package.problems)
for check in ALL_CHECKS:
    if check is not declared_integrity:
        found += check(package)
tables = time.perf_counter() - started
started = time.perf_counter()
found += declared_integrity(package)
errors = sum(problem.severity == "error" for problem in found)
print(json.dumps({"table_checks_seconds": tables, "hashing_seconds": time.perf_counter() - started, "errors": errors,
                  "files": len(package.descriptor["resources"])}))
"""


def make_corpus(folder: Path, size: int) -> Path:
    """A checkout whose data/source holds `size` synthetic agreements, and nothing else."""
    shutil.rmtree(folder, ignore_errors=True)
    for relative in _SKELETON:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (ROOT / relative).is_dir() else shutil.copy2)(ROOT / relative, target)
    # A corpus is a first release: no version below its newest heading was released from it, so none needs a record.
    changelog = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    second = [match.start() for match in re.finditer(r"^## \[\d", changelog, flags=re.M)][1]
    (folder / "CHANGELOG.md").write_text(changelog[:second], encoding="utf-8")
    for number in range(1, size + 1):
        random_agreement(number).write(folder / "data" / "source")
    return folder


def measure(command: list[str], cwd: Path = ROOT) -> tuple[float, float, str, float]:
    """Wall seconds, peak memory in MiB, what it printed and CPU seconds, of a command and every process it starts.

    The release runs a second process beside its own, so its peak is their sum: the summed
    proportional set size (PSS, which shares a page between the processes that map it) of the
    whole tree, sampled, or the largest single process's peak RSS if that is larger.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, text=True)
        sampler = _TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"benchmark step failed: {' '.join(command)}\n{err.read()[-2000:]}")
        return seconds, max(usage.ru_maxrss / 1024, sampler.peak_mib), out.read(), usage.ru_utime + usage.ru_stime


class _TreeMemory:
    """Samples the summed PSS of a process and its descendants, on a thread, until stop().

    The kernel walks every page of a process to tell its PSS, so sampling without pause would take
    a core from the release it measures: the sampler waits ten times as long as a sample took (at
    least 0.2 s), a tenth of one core at most. Memory plateaus last seconds, so no peak is missed.
    """

    def __init__(self, pid: int):
        self.pid, self.peak_mib = pid, 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        pause = 0.0
        while not self._done.wait(pause):
            started = time.perf_counter()
            self.peak_mib = max(self.peak_mib, sum(_pss_kib(pid) for pid in _tree(self.pid)) / 1024)
            pause = max(0.2, 10 * (time.perf_counter() - started))

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")  # a child may be started by any thread
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as stream:
                    pending += [int(child) for child in stream.read().split()]
            except OSError:
                continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            return next((int(line.split()[1]) for line in stream if line.startswith("Pss:")), 0)
    except (OSError, ValueError):
        return 0  # it ended between the listing and the reading


def sha256sum_seconds(folder: Path) -> float:
    """sha256sum over every file the descriptor names, one process, as the checks hash them on one thread."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    paths = "\0".join(resource["path"] for resource in descriptor["resources"]) + "\0"
    started = time.perf_counter()
    subprocess.run(["xargs", "-0", "sha256sum"], input=paths.encode(), cwd=folder, stdout=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - started


def bench_size(size: int) -> dict:
    corpus = make_corpus(CORPORA / f"{size}", size)
    python = sys.executable
    release_seconds, release_rss, *_ = measure([python, "-m", "scripts", "--root", str(corpus), "release"])
    project = Project(corpus)
    rows = sum(len((corpus / project.table_path(name)).read_text(encoding="utf-8").splitlines()) - 1
               for name in project.table_names)
    descriptor = next((corpus / "dist").glob("*/datapackage.json"))
    frictionless = [str(Path(python).parent / "frictionless"), "validate", descriptor.name]
    frictionless_seconds, frictionless_rss, *_ = measure(frictionless, cwd=descriptor.parent)
    checks = [json.loads(measure([python, "-c", _CHECKS, str(descriptor)])[2]) for _ in range(RUNS)]
    if any(run["errors"] for run in checks):
        raise SystemExit(f"the synthetic corpus of {size} is invalid: {checks[0]['errors']} errors")
    table_checks = min(run["table_checks_seconds"] for run in checks)
    hashing = min(run["hashing_seconds"] for run in checks)
    sha256sum = min(sha256sum_seconds(descriptor.parent) for _ in range(RUNS))
    return {
        "agreements": size,
        "rows": rows,
        "files": checks[0]["files"],
        "release": {"seconds": release_seconds, "peak_rss_mib": release_rss},
        "frictionless_validate": {"seconds": frictionless_seconds, "peak_rss_mib": frictionless_rss},
        "table_checks": {"seconds": table_checks, "rows_per_second": rows / table_checks,
                         "seconds_of_each_run": [run["table_checks_seconds"] for run in checks]},
        "hashing": {"seconds": hashing, "sha256sum_seconds": sha256sum,
                    "seconds_of_each_run": [run["hashing_seconds"] for run in checks]},
    }


def verdicts(results: list[dict]) -> tuple[dict, dict]:
    """The five figures, and whether each meets its target."""
    _, middle, large = results
    summary = {
        # The larger of the two ratios, at 1,000 and at 10,000 agreements.
        "release_over_frictionless": max(r["release"]["seconds"] / r["frictionless_validate"]["seconds"]
                                         for r in (middle, large)),
        "peak_rss_mib": large["release"]["peak_rss_mib"],
        # The peak at 10,000 agreements over the peak at 1,000.
        "peak_growth": large["release"]["peak_rss_mib"] / middle["release"]["peak_rss_mib"],
        "table_checks_rows_per_second": large["table_checks"]["rows_per_second"],
        "hashing_over_sha256sum": large["hashing"]["seconds"] / large["hashing"]["sha256sum_seconds"],
    }
    met = {key: summary[key] <= target for key, target in TARGETS.items()}
    return summary, met


def recorded_runs() -> list[dict]:
    """Every run of make bench so far, the oldest first."""
    if not RESULTS.is_file():
        return []
    recorded = json.loads(RESULTS.read_text(encoding="utf-8"))
    return recorded["runs"] if "runs" in recorded else [recorded]


def figures_markdown(recorded: dict) -> str:
    """The figures of docs/benchmarks.md, from one run of benchmarks/results.json."""
    machine, summary, met, targets = recorded["machine"], recorded["summary"], recorded["met"], recorded["targets"]
    lines = [
        f"Measured by `make bench` on {machine['cpus']} cores, Python {machine['python']}, in one run.",
        "",
        "| agreements | rows | files | make release: s | peak MiB | frictionless validate: s | peak MiB | "
        f"table checks: s (fastest of {RUNS}) | rows/s | hashing every file: s | sha256sum: s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in recorded["sizes"]:
        release, frictionless, checks, hashing = (r["release"], r["frictionless_validate"], r["table_checks"],
                                                  r["hashing"])
        lines.append(f"| {r['agreements']:,} | {r['rows']:,} | {r['files']:,} | {release['seconds']:.1f} | "
                     f"{release['peak_rss_mib']:.0f} | {frictionless['seconds']:.1f} | "
                     f"{frictionless['peak_rss_mib']:.0f} | {checks['seconds']:.2f} | "
                     f"{checks['rows_per_second']:,.0f} | {hashing['seconds']:.2f} | "
                     f"{hashing['sha256sum_seconds']:.2f} |")
    yes = lambda key: "yes" if met[key] else "**no**"  # noqa: E731
    lines += [
        "",
        "| target | measured | met |",
        "|---|---:|---|",
        f"| make release ≤ {targets['release_over_frictionless']} × frictionless validate of the same release "
        f"(1,000 and 10,000 agreements) | {summary['release_over_frictionless']:.3f} × | "
        f"{yes('release_over_frictionless')} |",
        f"| peak memory of make release ≤ {targets['peak_rss_mib']:,} MiB (10,000 agreements) | "
        f"{summary['peak_rss_mib']:,.0f} MiB | {yes('peak_rss_mib')} |",
        f"| hashing every file ≤ {targets['hashing_over_sha256sum']} × sha256sum over the same files "
        f"(10,000 agreements) | {summary['hashing_over_sha256sum']:.2f} × | {yes('hashing_over_sha256sum')} |",
    ]
    growth, rows_per_second = summary["peak_growth"], summary["table_checks_rows_per_second"]
    lines += ["", f"Measured, no longer targets: the peak at 10,000 agreements is {growth:.2f} × the peak at 1,000, "
              f"and the table checks run at {rows_per_second:,.0f} rows/s at 10,000."]
    return "\n".join(lines)


def capacity(sizes: list[int], runs: int) -> list[dict]:
    """The capacity bound alone: at each size, the release then frictionless on it, back to back, `runs` times.

    A shared machine's load changes by the minute: each pair's ratio is measured under about the same load, and the
    load average is recorded with it, and the ratio of their CPU seconds, which the load changes less.
    """
    python, found = sys.executable, []
    for size in sizes:
        corpus = make_corpus(CORPORA / f"{size}", size)
        for run in range(runs):
            load = os.getloadavg()[0]
            release_seconds, release_peak, _, release_cpu = measure([python, "-m", "scripts", "--root", str(corpus),
                                                                     "release"])
            descriptor = next((corpus / "dist").glob("*/datapackage.json"))
            frictionless = [str(Path(python).parent / "frictionless"), "validate", descriptor.name]
            frictionless_seconds, _, _, frictionless_cpu = measure(frictionless, cwd=descriptor.parent)
            found.append({"agreements": size, "run": run + 1, "release_seconds": release_seconds,
                          "release_peak_mib": release_peak, "frictionless_seconds": frictionless_seconds,
                          "ratio": release_seconds / frictionless_seconds, "cpu_ratio": release_cpu / frictionless_cpu,
                          "load": [load, os.getloadavg()[0]]})
            print(f"{size:,} agreements, run {run + 1}: release {release_seconds:.1f} s ({release_cpu:.1f} s CPU), "
                  f"peak {release_peak:.0f} MiB; "
                  f"frictionless {frictionless_seconds:.1f} s ({frictionless_cpu:.1f} s CPU); "
                  f"ratio {found[-1]['ratio']:.3f}, of CPU {found[-1]['cpu_ratio']:.3f} "
                  f"(load {load:.1f} to {os.getloadavg()[0]:.1f})", flush=True)
    return found


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__)
    parser.add_argument("--capacity", nargs="*", type=int, metavar="AGREEMENTS",
                        help="the capacity bound alone, at these sizes (1000 10000 if none); records nothing")
    parser.add_argument("--runs", type=int, default=RUNS, help="pairs of runs at each size, with --capacity")
    options = parser.parse_args(arguments)
    if options.capacity is not None:
        found = capacity(options.capacity or [1_000, 10_000], options.runs)
        large = [run for run in found if run["agreements"] == 10_000]
        met = all(run["ratio"] <= TARGETS["release_over_frictionless"] for run in found)
        return 0 if met and all(run["release_peak_mib"] <= TARGETS["peak_rss_mib"] for run in large) else 1
    results = []
    for size in SIZES:
        print(f"… {size:,} agreement(s): generating, releasing, validating", file=sys.stderr, flush=True)
        results.append(bench_size(size))
    summary, met = verdicts(results)
    recorded = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
                "sizes": results, "summary": summary, "targets": TARGETS, "met": met}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": [*recorded_runs(), recorded]}, indent=2) + "\n", encoding="utf-8")
    figures = figures_markdown(recorded)
    FIGURES.write_text(replace_block(FIGURES.read_text(encoding="utf-8"), "benchmark figures", "make bench", figures,
                                     "docs/benchmarks.md"), encoding="utf-8", newline="\n")
    print(figures)
    print(f"figures written to {RESULTS.relative_to(ROOT)} and {FIGURES.relative_to(ROOT).as_posix()}")
    return 0 if all(met.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
