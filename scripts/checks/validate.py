"""Validate a package on disk: frictionless, then the checks it does not make, in one report."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .integrity import ALL_CHECKS, LONGEST_CHECKS
from ..errors import Problem, Report
from .gate import frictionless_problems, table_problems
from .package import load

# Problems that make frictionless itself fail or mislead: run it only without them.
_BLOCKS_FRICTIONLESS = {"descriptor", "unsafe-path", "missing-file", "schema"}


def validate_package(descriptor_path: Path, run_frictionless: bool = True, timings: dict[str, float] | None = None,
                     frictionless_scope: str = "all") -> Report:
    """Every problem of the package at descriptor_path; `timings`, if given, gets seconds per step.

    frictionless_scope "all" runs frictionless on every resource, as users do. "tables", the
    release gate, gives frictionless only what it alone checks (the CSV tables' types,
    constraints and keys), and has the project's checks prove every file's hash and bytes, the
    foreign keys, and each Parquet file equal to its CSV with the schema's types: the same
    guarantee, for a fraction of the time (tests/checks/test_gate.py compares the two on every corruption).
    """
    timings = {} if timings is None else timings
    report = Report(project_problems(descriptor_path, run_frictionless and frictionless_scope == "all", timings))
    if run_frictionless and not any(p.rule in _BLOCKS_FRICTIONLESS for p in report.problems):
        started = time.perf_counter()
        report.problems += table_problems(descriptor_path) if frictionless_scope == "tables" else frictionless_problems(descriptor_path)
        timings["frictionless"] = time.perf_counter() - started
    return report


def project_problems(descriptor_path: Path, frictionless_checks_integrity: bool, timings: dict[str, float] | None = None) -> list[Problem]:
    """What the project's own checks find, without frictionless; with frictionless_checks_integrity False they also
    prove every file's hash and bytes and the foreign keys, as the release gate has them do."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    package = load(descriptor_path)
    package.frictionless_checks_integrity = frictionless_checks_integrity
    timings["load"] = time.perf_counter() - started
    if package.descriptor is None:
        return list(package.problems)
    return list(package.problems) + _project_checks(package, timings)  # the package's cells go with it: frictionless reads the files again


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
