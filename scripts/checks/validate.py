"""Validate a package on disk: frictionless, then the checks it does not make, in one report."""

from __future__ import annotations

from pathlib import Path

from .integrity import ALL_CHECKS
from ..errors import Problem, Report
from .gate import frictionless_problems, table_problems
from .package import load

# Problems that make frictionless itself fail or mislead: run it only without them.
_BLOCKS_FRICTIONLESS = {"descriptor", "unsafe-path", "missing-file", "schema"}


def validate_package(descriptor_path: Path, run_frictionless: bool = True, frictionless_scope: str = "all") -> Report:
    """Every problem of the package at descriptor_path.

    frictionless_scope "all" runs frictionless on every resource, as users do. "tables", the
    release gate, gives frictionless only what it alone checks (the CSV tables' types,
    constraints and keys), and has the project's checks prove every file's hash and bytes, the
    foreign keys, and each Parquet file equal to its CSV with the schema's types: the same
    guarantee, for a fraction of the time (tests/checks/test_gate.py compares the two on every corruption).
    """
    report = Report(project_problems(descriptor_path, run_frictionless and frictionless_scope == "all"))
    if run_frictionless and not any(p.rule in _BLOCKS_FRICTIONLESS for p in report.problems):
        gate = table_problems if frictionless_scope == "tables" else frictionless_problems
        report.problems += gate(descriptor_path)
    return report


def project_problems(descriptor_path: Path, frictionless_checks_integrity: bool) -> list[Problem]:
    """What the project's own checks find, without frictionless; with frictionless_checks_integrity False they also
    prove every file's hash and bytes and the foreign keys, as the release gate has them do."""
    package = load(descriptor_path)
    package.frictionless_checks_integrity = frictionless_checks_integrity
    if package.descriptor is None:
        return list(package.problems)
    return list(package.problems) + [problem for check in ALL_CHECKS for problem in check(package)]
