"""make mutate: run mutmut on the checking, escaping and versions modules, and record the score and every survivor."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "mutation.json"
GOAL = 0.90  # of the mutants that are not equivalent, the share the tests must kill
# mutmut's words for a mutant the tests stopped, and for one they did not.
KILLED = {"killed", "timeout"}
SURVIVED = {"survived", "no tests", "suspicious", "skipped", "segfault"}


def main(argv: list[str]) -> int:
    """`python -m benchmarks.mutation [module ...]`: every module of [tool.mutmut] only_mutate, or those named."""
    venv = Path(os.environ.get("MUTATE_VENV", ROOT / ".venv-mutate"))
    mutmut = venv / "bin" / "mutmut"
    # A module is named by its file's stem (escape, gate, ...); mutmut names it by its dotted path under scripts.
    paths = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["only_mutate"]
    configured = {Path(path).stem: Path(path).with_suffix("").as_posix().replace("/", ".") for path in paths}
    record_only = "--record-only" in argv  # the results of a run that was stopped, as mutants/ holds them
    modules = [arg for arg in argv if arg != "--record-only"] or configured
    unknown = sorted(set(modules) - set(configured))
    if unknown:
        print(f"error: {unknown[0]} is not among the modules make mutate tests ({', '.join(configured)})",
              file=sys.stderr)
        return 2
    if not mutmut.is_file():
        print(f"error: {mutmut} is missing: run make mutate, which installs it, or name its venv in MUTATE_VENV",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    if record_only:
        return _write(mutmut, modules, configured, None)
    with tempfile.TemporaryDirectory() as folder:
        released = _release_once(venv, Path(folder))
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)  # mutants of older code would be reused by name
        command = [str(mutmut), "run", "--max-children", str(os.cpu_count() or 1),
                   *(f"{configured[module]}.*" for module in modules)]
        run = subprocess.run(command, cwd=ROOT, env={**os.environ, "RELEASED_FOLDER": str(released)},
                             stdout=subprocess.DEVNULL)
    if run.returncode != 0:
        print(f"mutmut run failed (exit {run.returncode}); run it again by hand to see why: {mutmut} run",
              file=sys.stderr)
        return 1
    return _write(mutmut, modules, configured, time.perf_counter() - started)


def _write(mutmut: Path, modules: list[str], configured: dict[str, str], seconds: float | None) -> int:
    run = {configured[module] for module in modules}
    statuses = {name: status for name, status in _statuses(mutmut).items() if _module(name) in run}
    diffs = {name: _diff(mutmut, name) for name, status in statuses.items() if status in SURVIVED}
    current = record(statuses, diffs, seconds)
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else None
    recorded = merge(previous, current, run)
    recorded["modules_not_run"] = [f"{dotted.replace('.', '/')}.py" for dotted in configured.values()
                                   if dotted not in recorded["modules"]]
    recorded["met"] = recorded["met"] and not recorded["modules_not_run"]  # a module never run has met nothing
    RESULTS.write_bytes((json.dumps(recorded, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    print(summary(recorded))
    return 0


def merge(previous: dict | None, current: dict, run: set[str]) -> dict:
    """The record of this run, with what the previous record says of the modules this run left alone: a run of one
    module keeps the others' scores."""
    kept = {} if previous is None else {name: counts for name, counts in previous["modules"].items() if name not in run}
    for counts in kept.values():
        counts.setdefault("seconds", previous.get("seconds"))  # a record from before modules kept their own run's time
    def seconds(name: str):  # a record-only run measured no time: the module keeps the time of the run that tested it
        if current["seconds"] is not None:
            return current["seconds"]
        return (previous or {}).get("modules", {}).get(name, {}).get("seconds")
    modules = {**kept, **{name: {**counts, "seconds": seconds(name)} for name, counts in current["modules"].items()}}
    survivors = sorted([s for s in (previous or {}).get("survivors", []) if _module(s["mutant"]) in kept]
                       + current["survivors"], key=lambda s: s["mutant"])
    total = sum(counts["mutants"] - counts["not_checked"] for counts in modules.values())
    killed = sum(counts["killed"] for counts in modules.values())
    equivalent = sum(bool(s["equivalent_because"]) for s in survivors)
    score = killed / (total - equivalent) if total > equivalent else 1.0
    # Each module keeps the time of the run that measured it.
    current = {key: value for key, value in current.items() if key != "seconds"}
    return {**current, "not_checked": sum(counts["not_checked"] for counts in modules.values()), "mutants": total,
            "killed": killed, "equivalent": equivalent, "score": round(score, 4), "met": _met(modules, survivors),
            "modules": dict(sorted(modules.items())), "survivors": survivors}


def _release_once(venv: Path, folder: Path) -> Path:
    """One release of a copy of the checkout, which every mutant's tests corrupt copies of."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import copy_package  # the tests' own copy, which leaves out what a release does not need

    root = copy_package(folder / "package")
    released = subprocess.run([str(venv / "bin" / "python"), "-m", "scripts", "--root", str(root), "release"],
                              cwd=ROOT, capture_output=True, text=True)
    if released.returncode != 0:
        raise SystemExit(f"the release that the mutants' tests corrupt could not be made:\n{released.stderr[-2000:]}")
    return next(path for path in (root / "dist").iterdir() if path.is_dir())


def _statuses(mutmut: Path) -> dict[str, str]:
    printed = subprocess.run([str(mutmut), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    return dict(re.findall(r"^\s+(\S+): (.+?)\s*$", printed, flags=re.MULTILINE))


def _diff(mutmut: Path, name: str) -> str:
    shown = subprocess.run([str(mutmut), "show", name], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return "\n".join(line for line in shown.splitlines()
                     if line.startswith(("-", "+")) and not line.startswith(("---", "+++")))


def _key(name: str, diff: str) -> str:
    """What identifies a survivor across runs: its function and its change, not its number, which shifts."""
    function = re.sub(r"__mutmut_\d+$", "", name)
    return f"{function}\n{diff}"


def record(statuses: dict[str, str], diffs: dict[str, str], seconds: float) -> dict:
    """The committed record: counts per module, and each survivor with the reason it is equivalent, if written."""
    explained = {}
    if RESULTS.is_file():
        for survivor in json.loads(RESULTS.read_text(encoding="utf-8")).get("survivors", []):
            if survivor.get("equivalent_because"):
                explained[_key(survivor["mutant"], survivor["diff"])] = survivor["equivalent_because"]
    modules: dict[str, dict[str, int]] = {}
    for name, status in statuses.items():
        counts = modules.setdefault(_module(name), {"mutants": 0, "killed": 0, "survived": 0, "not_checked": 0})
        counts["mutants"] += 1
        counts["killed" if status in KILLED else "survived" if status in SURVIVED else "not_checked"] += 1
    # A run stopped before it reached them: no verdict.
    not_checked = sum(counts["not_checked"] for counts in modules.values())
    survivors = [{"mutant": name, "status": statuses[name], "diff": diff,
                  "equivalent_because": explained.get(_key(name, diff), "")} for name, diff in sorted(diffs.items())]
    total, killed = len(statuses) - not_checked, sum(status in KILLED for status in statuses.values())
    equivalent = sum(bool(s["equivalent_because"]) for s in survivors)
    score = killed / (total - equivalent) if total > equivalent else 1.0
    return {
        "tool": "mutmut 3.8.1 (requirements-mutate.lock)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "seconds": None if seconds is None else round(seconds),
        "not_checked": not_checked,
        "goal": GOAL,
        "mutants": total,
        "killed": killed,
        "equivalent": equivalent,
        "score": round(score, 4),
        "met": _met(modules, survivors),
        "modules": dict(sorted(modules.items())),
        "survivors": survivors,
    }


def _met(modules: dict[str, dict], survivors: list[dict]) -> bool:
    """The goal, as the issue states it: in each module at least GOAL of the mutants that are not equivalent killed,
    and every survivor killed or explained."""
    explained: dict[str, int] = {}
    for survivor in survivors:
        if survivor["equivalent_because"]:
            explained[_module(survivor["mutant"])] = explained.get(_module(survivor["mutant"]), 0) + 1
    for name, counts in modules.items():
        judged = counts["mutants"] - counts["not_checked"] - explained.get(name, 0)
        if judged and counts["killed"] / judged < GOAL:
            return False
    return all(survivor["equivalent_because"] for survivor in survivors)


def _module(mutant: str) -> str:
    return mutant.split(".x_")[0].split(".xǁ")[0]


def summary(recorded: dict) -> str:
    unexplained = sum(not s["equivalent_because"] for s in recorded["survivors"])
    times = ", ".join(f"{name} {counts.get('seconds')} s" for name, counts in recorded["modules"].items())
    not_run = ", ".join(recorded.get("modules_not_run", [])) or "none"
    return (f"mutation score {recorded['score']:.1%} ({recorded['killed']} of {recorded['mutants']} mutants killed, "
            f"{recorded['equivalent']} explained as equivalent, {recorded['not_checked']} not reached; "
            f"goal {recorded['goal']:.0%}: {'met' if recorded['met'] else 'not met'}); "
            f"{unexplained} survivor(s) neither killed nor explained; "
            f"the runs took: {times}. Not run: {not_run}. Recorded in {RESULTS.relative_to(ROOT)}.")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
