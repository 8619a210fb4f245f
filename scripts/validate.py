"""Validate a package on disk: frictionless, then the checks it does not make, in one report."""

from __future__ import annotations

import ctypes
import gc
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .checks import ALL_CHECKS, LONGEST_CHECKS
from .errors import Problem, error
from .package import load

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


def validate_package(descriptor_path: Path, run_frictionless: bool = True, timings: dict[str, float] | None = None, frictionless_scope: str = "all") -> Report:
    """Every problem of the package at descriptor_path; `timings`, if given, gets seconds per step.

    frictionless_scope "all" runs frictionless on every resource, as users do. "tables", the
    release gate, gives frictionless only what it alone checks (the CSV tables' types,
    constraints and keys) and has the project's checks prove every file's hash and bytes, and
    each Parquet file equal to its CSV with the schema's types: the same guarantee, for a
    fraction of the time (tests/test_gate.py compares the two on every corruption).
    """
    timings = {} if timings is None else timings
    started = time.perf_counter()
    package = load(descriptor_path)
    package.frictionless_checks_integrity = run_frictionless and frictionless_scope == "all"
    timings["load"] = time.perf_counter() - started
    report = Report(list(package.problems))
    if package.descriptor is None:
        return report
    # Two threads: most checks wait on the disk, Arrow or NumPy, which release the GIL.
    # They share only the package's read-once file cache, where a race costs one extra read.
    # The longest checks start first, so that neither thread is left with a long one at the end;
    # problems are still reported in the order of ALL_CHECKS.
    with ThreadPoolExecutor(max_workers=2) as pool:
        running = {check: pool.submit(_timed, check, package) for check in sorted(ALL_CHECKS, key=lambda c: c not in LONGEST_CHECKS)}
        for check in ALL_CHECKS:
            name, problems, seconds = running[check].result()
            report.problems += problems
            timings[name] = seconds
    del package
    if run_frictionless and not any(p.rule in _BLOCKS_FRICTIONLESS for p in report.problems):
        return_freed_memory()  # frictionless reads everything again, on top of what this process holds
        started = time.perf_counter()
        if frictionless_scope == "tables":
            report.problems += frictionless_table_problems(descriptor_path)
        else:
            report.problems += frictionless_problems(descriptor_path)
        timings["frictionless"] = time.perf_counter() - started
    return report


def frictionless_table_problems(descriptor_path: Path) -> list[Problem]:
    """frictionless on the CSV tables alone, without hash and bytes, from a descriptor written beside the real one."""
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    tables = [{k: v for k, v in r.items() if k not in ("hash", "bytes")} for r in descriptor["resources"] if r.get("type") == "table" and r.get("format") == "csv"]
    gate = descriptor_path.with_name(f".gate-{os.getpid()}.json")  # beside it, so that every path stays safe and relative
    gate.write_text(json.dumps({**descriptor, "resources": tables}), encoding="utf-8")
    try:
        return frictionless_problems(gate, shown_as=descriptor_path.name)
    finally:
        gate.unlink(missing_ok=True)


def return_freed_memory() -> None:
    """Give the memory of freed objects back to the system, so that it does not add to the peak."""
    gc.collect()
    try:  # glibc keeps freed memory for reuse unless asked; elsewhere there is nothing to do
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _timed(check, package) -> tuple[str, list[Problem], float]:
    started = time.perf_counter()
    problems = list(check(package))
    return check.__name__, problems, time.perf_counter() - started


def frictionless_problems(descriptor_path: Path, shown_as: str | None = None) -> list[Problem]:
    """What frictionless finds: types, constraints, primary and foreign keys, hashes and bytes."""
    shown_as = shown_as or descriptor_path.name
    from frictionless import Package  # about 0.3 s to import: only when it is needed

    try:
        report = Package(str(descriptor_path)).validate()
    except Exception as exc:  # frictionless raises its own errors for descriptors it cannot read
        return [error("frictionless", shown_as, f"frictionless cannot read the package: {exc}")]
    problems = [error(f"frictionless:{e.type}", shown_as, e.note or e.message) for e in report.errors]
    schema_files, seen = _schema_files(descriptor_path), set()
    for task in report.tasks:
        table = (task.name or "").removesuffix("-parquet")  # a Parquet twin repeats its CSV's errors: report each once
        schema_file = schema_files.get(task.name)
        for e in task.errors:
            row, field = getattr(e, "row_number", None), getattr(e, "field_name", None)
            if (table, e.type, row, field) in seen:
                continue
            seen.add((table, e.type, row, field))
            message = e.note or e.message
            if schema_file and e.type in _DECLARED_RULES:
                message += f" (the rule is declared in {schema_file})"
            problems.append(error(
                f"frictionless:{e.type}", task.place, message, row=row, field=field,
                value=None if getattr(e, "cell", None) is None else str(e.cell),
            ))
    return problems


# Errors of a row against a rule its Table Schema declares: a schema edit can cause them as well as the data.
_DECLARED_RULES = {"constraint-error", "type-error", "unique-error", "primary-key", "foreign-key"}


def _schema_files(descriptor_path: Path) -> dict[str, str]:
    """Each resource's schema path, as the descriptor names it."""
    try:
        resources = json.loads(descriptor_path.read_text(encoding="utf-8"))["resources"]
        return {r["name"]: r["schema"] for r in resources if isinstance(r.get("schema"), str)}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
