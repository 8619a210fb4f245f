"""Errors and problems that tell a person where, what is wrong, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial


class PipelineError(Exception):
    """A bad input or state that stops the pipeline before anything is written."""

    def __init__(self, where: str, problem: str, fix: str | None = None):
        self.where, self.problem, self.fix = where, problem, fix
        super().__init__(where, problem, fix)  # the arguments again: raised in another process, it arrives whole

    def __str__(self) -> str:
        text = f"{self.where}: {self.problem}"
        return f"{text}\n  fix: {self.fix}" if self.fix else text


class ValidationFailed(Exception):
    """A built package failed validation; nothing was written."""

    def __init__(self, report: Report, what: str):
        self.report, self.what = report, what
        super().__init__(f"{what}: {len(report.errors)} error(s)")


@dataclass(frozen=True)
class Problem:
    """One finding of validation: an error stops a build or release, a warning does not."""

    severity: str  # "error" or "warning"
    rule: str
    file: str
    message: str
    row: int | None = None  # as frictionless counts: the header is row 1
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field is not None:
            where += f", field {self.field}"
        value = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: [{self.rule}] {self.message}{value}"


error = partial(Problem, "error")  # error(rule, file, message, row=…, field=…, value=…)
warning = partial(Problem, "warning")


@dataclass
class Report:
    """Every problem validation found, errors and warnings, in the order found."""

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
