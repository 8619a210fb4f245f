"""frictionless, as the project runs it: on a whole package, or on its CSV tables alone."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import Problem, error

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
        return {r["name"]: r.get("x-schema-path", r["schema"]) for r in resources
                if isinstance(r.get("x-schema-path", r.get("schema")), str)}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def gate_descriptor(folder: Path, descriptor: dict) -> Path:
    """The descriptor with the CSV tables alone, written in the package's folder: every path stays safe and relative.

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
            schema = json.loads((folder / resource["schema"]).read_bytes())
            schema.pop("foreignKeys", None)
            gated.update(schema=schema, **{"x-schema-path": resource["schema"]})
        except (OSError, ValueError, TypeError, AttributeError):
            pass  # the project's checks report the schema; frictionless is then not asked at all
        tables.append(gated)
    gate = folder / f".gate-{os.getpid()}.json"
    gate.write_bytes(json.dumps({**descriptor, "resources": tables}).encode())  # ASCII: json escapes the rest
    return gate


def table_problems(descriptor_path: Path) -> list[Problem]:
    """frictionless on the CSV tables alone, through a gate descriptor removed once it has run."""
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    gate = gate_descriptor(descriptor_path.parent, descriptor)
    try:
        return frictionless_problems(gate, shown_as=descriptor_path.name)
    finally:
        gate.unlink(missing_ok=True)
