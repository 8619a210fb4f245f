"""Benchmark how validation and release grow with the corpus (make bench); prints a table, writes benchmarks/results.json."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .markers import replace_block
from .project import ROOT, Project
from .synthetic import random_agreement

SIZES = (1, 1_000, 10_000)
# The checks take about a second, so they run three times and the fastest counts, as timeit does:
# this machine drops idle files from its cache within a minute, and the first run after
# frictionless pays for reading them from disk again. Every run is recorded.
CHECK_RUNS = 3
CORPORA = ROOT / "benchmarks" / "corpora"
RESULTS = ROOT / "benchmarks" / "results.json"
# What a corpus needs besides its sources to build and release.
_SKELETON = ("schemas", "metadata", "CHANGELOG.md", "README.md", "LICENSE", "docs/codebook.md")
# Issue 14's goals: the release beats the frictionless run users would otherwise make, while checking more.
_TARGETS = {"checks_rows_per_second": 500_000, "release_over_frictionless": 0.35, "peak_rss_mib": 512, "growth_10x": 11.0}

# Runs inside a child process, so that its peak memory is its own: load and check, no frictionless.
_OWN_CHECKS = """
import json, sys, time
from pathlib import Path
from scripts.allocator import give_large_blocks_back
from scripts.validate import validate_package
give_large_blocks_back()  # as python -m scripts does
timings = {}
started = time.perf_counter()
report = validate_package(Path(sys.argv[1]), run_frictionless=False, timings=timings, frictionless_scope="tables")
print(json.dumps({"seconds": time.perf_counter() - started, "errors": len(report.errors), "timings": timings}))
"""

# The least any checks can take that prove every file's hash and bytes: list data/, then read and
# hash each file in it, on every core, and do nothing else. It shows how much of the time that
# 500,000 rows/s allows is gone before a single row is checked.
_FILES_ALONE = """
import hashlib, json, os, sys, time
from concurrent.futures import ThreadPoolExecutor
from scripts.package import files_under, read_file
root = sys.argv[1]
def read_and_hash(paths):
    for path in paths:
        hashlib.sha256(read_file(os.path.join(root, path)))  # as the checks read a file
started = time.perf_counter()
files = files_under(root, "data")
cores = os.cpu_count()
with ThreadPoolExecutor(cores) as pool:
    list(pool.map(read_and_hash, [files[i::cores] for i in range(cores)]))
print(json.dumps({"seconds": time.perf_counter() - started, "files": len(files), "threads": cores}))
"""


def make_corpus(folder: Path, size: int) -> Path:
    """A checkout whose data/source holds `size` synthetic agreements, and nothing else."""
    shutil.rmtree(folder, ignore_errors=True)
    for relative in _SKELETON:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (ROOT / relative).is_dir() else shutil.copy2)(ROOT / relative, target)
    for number in range(1, size + 1):
        random_agreement(number).write(folder / "data" / "source")
    return folder


def measure(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak memory in MiB and what it printed, of a command and every process it starts.

    The release runs several processes at once, so the peak is their sum: the proportional
    set size (PSS, which shares a page between the processes that map it) of the whole tree,
    sampled, or the largest single process's peak RSS if that is larger.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, text=True)
        sampler = _TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)  # the rusage of this child and the children it waited for
        seconds = time.perf_counter() - started
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"benchmark step failed: {' '.join(command)}\n{err.read()[-2000:]}")
        return seconds, max(usage.ru_maxrss / 1024, sampler.peak_mib), out.read()


class _TreeMemory:
    """Samples the summed PSS of a process and its descendants, on a thread, until stop().

    The kernel walks every page of a process to tell its PSS: 25 ms for a process of 900 MiB on
    the benchmark machine. Sampling every 20 ms took most of a core from the release it
    measured, so the sampler waits ten times as long as a sample took (at least 0.2 s): it
    takes at most a tenth of one core. Memory plateaus last seconds, so no peak is missed.
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


def bench_size(size: int) -> dict:
    corpus = make_corpus(CORPORA / f"{size}", size)
    python = sys.executable
    release_seconds, release_rss, _ = measure([python, "-m", "scripts", "--root", str(corpus), "release"])
    rows = sum(len((corpus / Project(corpus).table_path(name)).read_text(encoding="utf-8").splitlines()) - 1 for name in Project(corpus).table_names)
    descriptor = next((corpus / "dist").glob("*/datapackage.json"))
    frictionless = Path(python).parent / "frictionless"
    frictionless_seconds, frictionless_rss, _ = measure([str(frictionless), "validate", str(descriptor)])
    runs = []
    for _ in range(CHECK_RUNS):
        wall, rss, printed = measure([python, "-c", _OWN_CHECKS, str(descriptor)])
        runs.append({**json.loads(printed), "wall_seconds": wall, "peak_rss_mib": rss})
    if any(run["errors"] for run in runs):
        raise SystemExit(f"the synthetic corpus of {size} is invalid: {runs[0]['errors']} errors")
    checks = min(runs, key=lambda run: run["seconds"])
    files_alone = min((json.loads(measure([python, "-c", _FILES_ALONE, str(descriptor.parent)])[2]) for _ in range(CHECK_RUNS)), key=lambda run: run["seconds"])
    return {
        "agreements": size,
        "rows": rows,
        "own_checks": {"seconds": checks["seconds"], "wall_seconds": checks["wall_seconds"], "rows_per_second": rows / checks["seconds"],
                       "peak_rss_mib": max(run["peak_rss_mib"] for run in runs), "seconds_of_each_run": [run["seconds"] for run in runs],
                       "seconds_by_step": {name: round(seconds, 4) for name, seconds in checks["timings"].items()}},
        "files_alone": files_alone,
        "frictionless_validate": {"seconds": frictionless_seconds, "rows_per_second": 2 * rows / frictionless_seconds, "peak_rss_mib": frictionless_rss},
        "release": {"seconds": release_seconds, "rows_per_second": rows / release_seconds, "peak_rss_mib": release_rss},
    }


def verdicts(results: list[dict]) -> dict:
    small, middle, large = results
    def growth(key: str) -> float:
        """Time from the middle to the largest size, start-up (the smallest size) subtracted."""
        return (large[key]["seconds"] - small[key]["seconds"]) / max(middle[key]["seconds"] - small[key]["seconds"], 1e-9)
    return {
        "checks_rows_per_second": large["own_checks"]["rows_per_second"],
        # The larger of the two ratios, at 1,000 and at 10,000 agreements; the peak of make release at 10,000.
        "release_over_frictionless": max(r["release"]["seconds"] / r["frictionless_validate"]["seconds"] for r in (middle, large)),
        "peak_rss_mib": large["release"]["peak_rss_mib"],
        "growth_10x": max(growth(k) for k in ("own_checks", "frictionless_validate", "release")),
    }


README = ROOT / "README.md"


def recorded_runs() -> list[dict]:
    """Every run of make bench so far, the oldest first (the file once held only the latest run)."""
    if not RESULTS.is_file():
        return []
    recorded = json.loads(RESULTS.read_text(encoding="utf-8"))
    return recorded["runs"] if "runs" in recorded else [recorded]


def record_run(run: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": [*recorded_runs(), run]}, indent=2) + "\n", encoding="utf-8")


def figures_markdown(recorded: dict) -> str:
    """The README's table of figures, from benchmarks/results.json."""
    lines = [
        f"Measured by `make bench` on {recorded['machine']['cpus']} cores, Python {recorded['machine']['python']}.",
        "",
        f"| agreements | rows | own checks: s (fastest of {CHECK_RUNS}) | rows/s | first run: s | peak MiB | frictionless validate: s | peak MiB | make release: s | peak MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in recorded["sizes"]:
        checks, frictionless, release = r["own_checks"], r["frictionless_validate"], r["release"]
        lines.append(f"| {r['agreements']:,} | {r['rows']:,} | {checks['seconds']:.2f} | {checks['rows_per_second']:,.0f} | {checks['seconds_of_each_run'][0]:.2f} | {checks['peak_rss_mib']:.0f} | "
                     f"{frictionless['seconds']:.1f} | {frictionless['peak_rss_mib']:.0f} | {release['seconds']:.1f} | {release['peak_rss_mib']:.0f} |")
    summary, met, targets = recorded["summary"], recorded["met"], recorded["targets"]
    lines += [
        "",
        "| target | measured | met |",
        "|---|---:|---|",
        f"| own checks ≥ {targets['checks_rows_per_second']:,} rows/s (10,000 agreements) | {summary['checks_rows_per_second']:,.0f} rows/s | {'yes' if met['checks_rows_per_second'] else '**no**'} |",
        f"| make release ≤ {targets['release_over_frictionless']} × frictionless validate of the same release (1,000 and 10,000 agreements) | {summary['release_over_frictionless']:.3f} × | {'yes' if met['release_over_frictionless'] else '**no**'} |",
        f"| peak memory of make release, all its processes together, ≤ {targets['peak_rss_mib']:,} MiB (10,000 agreements) | {summary['peak_rss_mib']:,.0f} MiB | {'yes' if met['peak_rss_mib'] else '**no**'} |",
        f"| 10 × the rows ≤ {targets['growth_10x']} × the time, start-up subtracted | {summary['growth_10x']:.1f} × | {'yes' if met['growth_10x'] else '**no**'} |",
    ]
    largest = recorded["sizes"][-1]
    if "files_alone" in largest:  # runs before 2026-11-27 did not measure it
        lines += ["", files_alone_sentence(largest, targets["checks_rows_per_second"])]
    return "\n".join(lines)


def files_alone_sentence(size: dict, rows_per_second: int) -> str:
    """How much of the checks' time budget listing and hashing the files takes, with nothing else done."""
    files, allowed = size["files_alone"], size["rows"] / rows_per_second
    return (f"Listing `data/` and reading and hashing its {files['files']:,} files, which the checks must do to prove each file's "
            f"hash and bytes, takes {files['seconds']:.2f} s alone at {size['agreements']:,} agreements (fastest of {CHECK_RUNS}, "
            f"on {files['threads']} threads): {files['seconds'] / allowed:.0%} of the {allowed:.2f} s that {rows_per_second:,} rows/s allows.")


def write_readme_figures(recorded: dict) -> None:
    text = README.read_text(encoding="utf-8")
    README.write_text(replace_block(text, "benchmark figures", "make bench", figures_markdown(recorded)), encoding="utf-8")


def main() -> int:
    results = []
    for size in SIZES:
        print(f"… {size:,} agreement(s): generating, releasing, validating", file=sys.stderr, flush=True)
        results.append(bench_size(size))
    summary = verdicts(results)
    print(f"{'agreements':>10} {'rows':>9} | {'own checks s':>12} {'rows/s':>10} {'MiB':>6} | {'frictionless s':>14} {'MiB':>6} | {'release s':>9} {'MiB':>6}")
    for r in results:
        print(f"{r['agreements']:>10,} {r['rows']:>9,} | {r['own_checks']['seconds']:>12.3f} {r['own_checks']['rows_per_second']:>10,.0f} {r['own_checks']['peak_rss_mib']:>6.0f} | "
              f"{r['frictionless_validate']['seconds']:>14.2f} {r['frictionless_validate']['peak_rss_mib']:>6.0f} | {r['release']['seconds']:>9.2f} {r['release']['peak_rss_mib']:>6.0f}")
    met = {
        "checks_rows_per_second": summary["checks_rows_per_second"] >= _TARGETS["checks_rows_per_second"],
        "release_over_frictionless": summary["release_over_frictionless"] <= _TARGETS["release_over_frictionless"],
        "peak_rss_mib": summary["peak_rss_mib"] <= _TARGETS["peak_rss_mib"],
        "growth_10x": summary["growth_10x"] <= _TARGETS["growth_10x"],
    }
    print(files_alone_sentence(results[-1], _TARGETS["checks_rows_per_second"]))
    for key, value in summary.items():
        print(f"{key}: {value:,.2f} (target {'≥' if key == 'checks_rows_per_second' else '≤'} {_TARGETS[key]:,}) {'met' if met[key] else 'NOT MET'}")
    recorded = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "sizes": results, "summary": summary, "targets": _TARGETS, "met": met,
    }
    record_run(recorded)
    write_readme_figures(recorded)
    print(f"figures written to {RESULTS.relative_to(ROOT)} and README.md")
    return 0 if all(met.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
