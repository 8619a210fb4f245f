"""frictionless, as the project runs it: on a whole package, or on its CSV tables alone in a process of its own."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from .child import Child
from .errors import Problem, error

# Errors of a row against a rule its Table Schema declares: a schema edit can cause them as well as the data.
_DECLARED_RULES = {"constraint-error", "type-error", "unique-error", "primary-key", "foreign-key"}


def frictionless_problems(descriptor_path: Path, shown_as: str | None = None) -> list[Problem]:
    """What frictionless finds: types, constraints, primary and foreign keys, hashes and bytes."""
    shown_as = shown_as or descriptor_path.name
    from frictionless import Package  # about half a second to import: only when it is needed

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


def _schema_files(descriptor_path: Path) -> dict[str, str]:
    """Each resource's schema path, as the descriptor names it (a gate's inlined schema keeps it in x-schema-path)."""
    try:
        resources = json.loads(descriptor_path.read_text(encoding="utf-8"))["resources"]
        return {r["name"]: r.get("x-schema-path", r["schema"]) for r in resources if isinstance(r.get("x-schema-path", r.get("schema")), str)}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def gate_descriptor(folder: Path, descriptor: dict) -> Path:
    """The descriptor with the CSV tables alone, written in the package's folder, so that every path stays safe and relative.

    It declares no hash or bytes (the project's checks prove every file's) and no foreign keys
    (checks.foreign_keys proves them from the cells it has already read, where frictionless
    would read each referenced table again).
    """
    tables = []
    for resource in descriptor["resources"]:
        if resource.get("type") != "table" or resource.get("format") != "csv":
            continue
        gated = {k: v for k, v in resource.items() if k not in ("hash", "bytes")}
        try:
            schema = json.loads((folder / resource["schema"]).read_text(encoding="utf-8"))
            schema.pop("foreignKeys", None)
            gated.update(schema=schema, **{"x-schema-path": resource["schema"]})
        except (OSError, ValueError, TypeError, AttributeError):
            pass  # the project's checks report the schema; frictionless is then not asked at all
        tables.append(gated)
    gate = folder / f".gate-{os.getpid()}.json"
    gate.write_text(json.dumps({**descriptor, "resources": tables}), encoding="utf-8")
    return gate


def gated_table_problems(gate: str, shown_as: str) -> list[dict]:
    """frictionless on a gate descriptor, its problems as plain values (TablesGate runs it in its own process)."""
    return [dataclasses.asdict(problem) for problem in frictionless_problems(Path(gate), shown_as=shown_as)]


_GATED_TABLE_PROBLEMS = gated_table_problems.__name__


class TablesGate:
    """frictionless on the CSV tables, in a process of its own; problems() waits for it.

    The process starts at once and imports frictionless (about half a second) while the caller
    builds; check() gives it the release. It runs on the second core while this process writes
    the other formats and makes the project's checks. A process forked from the caller may give
    it the tables instead (check_descriptor, then handed_over), and the caller then takes it
    back with checking().
    """

    def __init__(self):
        self.gate: Path | None = None
        self.child = Child(__name__, preload=("frictionless",))

    def check(self, descriptor_path: Path) -> TablesGate:
        return self.check_descriptor(descriptor_path.parent, json.loads(descriptor_path.read_text(encoding="utf-8")), descriptor_path.name)

    def check_descriptor(self, folder: Path, descriptor: dict, shown_as: str) -> TablesGate:
        """Check the CSV tables `descriptor` describes in `folder`: they and their schemas must be written already, the rest need not be."""
        self.gate = gate_descriptor(folder, descriptor)
        self.child.call(_GATED_TABLE_PROBLEMS, {"gate": str(self.gate), "shown_as": shown_as})
        return self

    def handed_over(self) -> Path:
        """In the forked process that called check_descriptor: wait until frictionless has the call, before this process ends; its gate descriptor."""
        self.child.sent()
        return self.gate

    def checking(self, gate: Path) -> TablesGate:
        """This process's side of a check that a process forked from it asked for (the call went through the pipe they share)."""
        self.gate = gate
        self.child.called(_GATED_TABLE_PROBLEMS)
        return self

    def problems(self) -> list[Problem]:
        try:
            return [Problem(**fields) for fields in self.child.result()]
        finally:
            self._remove_gate()

    def stop(self) -> None:
        """End it if it still runs (the release stopped early), and remove its descriptor."""
        self.child.stop()
        self._remove_gate()

    def _remove_gate(self) -> None:
        if self.gate is not None:
            self.gate.unlink(missing_ok=True)
