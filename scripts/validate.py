"""Validate a package on disk: frictionless, then the checks it does not make, in one report."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .checks import ALL_CHECKS, LONGEST_CHECKS
from .errors import Problem
from .gate import TablesGate, frictionless_problems
from .package import load
from .pool import in_forked_process

# Problems that make frictionless itself fail or mislead: run it only without them.
_BLOCKS_FRICTIONLESS = {"descriptor", "unsafe-path", "missing-file", "schema"}


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def render(self) -> str:
        lines = []
        if self.errors:
            lines.append(f"{len(self.errors)} error(s):")
            lines += [f"  ERROR {p}" for p in self.errors]
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s), which do not fail validation:")
            lines += [f"  WARNING {p}" for p in self.warnings]
        return "\n".join(lines)


def validate_package(descriptor_path: Path, run_frictionless: bool = True, timings: dict[str, float] | None = None,
                     frictionless_scope: str = "all", gate: TablesGate | None = None, after_own_checks: Callable[[], None] | None = None) -> Report:
    """Every problem of the package at descriptor_path; `timings`, if given, gets seconds per step.

    frictionless_scope "all" runs frictionless on every resource, as users do. "tables", the
    release gate, gives frictionless only what it alone checks (the CSV tables' types,
    constraints and keys), in a process of its own, and has the project's checks prove every file's hash and bytes, the foreign keys, and each Parquet file
    equal to its CSV with the schema's types: the same guarantee, for a fraction of the time
    (tests/test_gate.py compares the two on every corruption). `gate`, if given, is that
    process, started earlier by the caller and given this descriptor's tables, so that it runs
    beside the project's checks; without it, frictionless runs after them. `after_own_checks`,
    if given, is called as soon as the project's checks end, whatever they found.
    """
    timings = {} if timings is None else timings
    try:
        # Loading and checking hold the whole package, read back (hundreds of MiB for a corpus):
        # they run in a forked copy of this process, whose memory goes back to the system when
        # they end, before frictionless runs or the release goes on.
        problems, own_timings, described = in_forked_process(_own_problems, descriptor_path, run_frictionless and frictionless_scope == "all")
        timings.update(own_timings)
        if after_own_checks is not None:
            after_own_checks()
        report = Report(problems)
        if run_frictionless and described and not any(p.rule in _BLOCKS_FRICTIONLESS for p in report.problems):
            started = time.perf_counter()
            if frictionless_scope == "tables":
                if gate is None:
                    gate = TablesGate()  # assigned first, so that it is stopped below even if check() fails
                    gate.check(descriptor_path)
                report.problems += gate.problems()
            else:
                report.problems += frictionless_problems(descriptor_path)
            timings["frictionless"] = time.perf_counter() - started
    finally:
        if gate is not None:
            gate.stop()
    return report


def _own_problems(descriptor_path: Path, frictionless_checks_integrity: bool) -> tuple[list[Problem], dict[str, float], bool]:
    """The problems load finds and those of the project's checks, the seconds of each, and whether there was a descriptor to check."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    package = load(descriptor_path)
    package.frictionless_checks_integrity = frictionless_checks_integrity
    timings["load"] = time.perf_counter() - started
    if package.descriptor is None:
        return list(package.problems), timings, False
    return list(package.problems) + _project_checks(package, timings), timings, True


def _project_checks(package, timings: dict[str, float]) -> list[Problem]:
    """Every check of checks.py, on two threads, its problems in the order of ALL_CHECKS."""
    # Two threads: most checks wait on the disk, Arrow or NumPy, which release the GIL.
    # They share only the sources one check keeps for another, where a race costs one extra read.
    # The longest checks start first, so that neither thread is left with a long one at the end.
    problems = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        running = {check: pool.submit(_timed, check, package) for check in sorted(ALL_CHECKS, key=lambda c: c not in LONGEST_CHECKS)}
        for check in ALL_CHECKS:
            name, found, seconds = running[check].result()
            problems += found
            timings[name] = seconds
    return problems


def _timed(check, package) -> tuple[str, list[Problem], float]:
    started = time.perf_counter()
    problems = list(check(package))
    return check.__name__, problems, time.perf_counter() - started
