"""Where things live in a checkout, and how to read its curated metadata, schemas and changelog."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import PipelineError
from .changelog import Release, read_changelog
from .curated import CuratedFile, load_curated
from .files import read_input_text
from .schema import check_table_schemas
from .wording import describe

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_METADATA = "metadata/package.yaml"


def read_json(path: Path, where: str, root: Path) -> dict:
    text = read_input_text(path, root, where)
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PipelineError(f"{where}, line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}",
                            "check the commas, quotes and brackets there") from None
    if not isinstance(loaded, dict):
        raise PipelineError(where, "expected a JSON object at the top level")
    return loaded


@dataclass(frozen=True)
class Project:
    """A checkout of the package: the curated inputs and the place the tables are written."""

    root: Path = ROOT

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def source_dir(self) -> Path:
        return self.data_dir / "source"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schemas"

    @property
    def descriptor_path(self) -> Path:
        return self.root / "datapackage.json"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    @cached_property
    def package_file(self) -> CuratedFile:
        return load_curated(self.root / PACKAGE_METADATA, self.root, "package")

    @cached_property
    def changes_schema(self) -> dict:
        """The Table Schema of a release's table of changes: the release makes that table, not the build."""
        return read_json(self.root / "schemas/release/changes.json", "schemas/release/changes.json", self.root)

    @property
    def package_metadata(self) -> dict:
        return self.package_file.data

    def describe_the_text(self, clauses: list[dict]) -> None:
        """The description says what the clauses table holds, counted from it, and names every table: every surface
        then agrees with the data."""
        data = self.package_file.data
        data["description"] = describe(data["description"], clauses, self.table_names)

    @cached_property
    def table_names(self) -> list[str]:
        return [resource["name"] for resource in self.package_metadata["resources"]]

    @cached_property
    def schemas(self) -> dict[str, dict]:
        """Every table's schema, checked against the Table Schema profile and each other before use."""
        files = {name: f"schemas/{name}.json" for name in self.table_names}
        for index, name in enumerate(self.table_names):
            if not (self.root / files[name]).is_file():
                self.package_file.fail(("resources", index, "name"), f"table {name!r} has no schema: {files[name]} "
                                       "does not exist", f"add {files[name]}, or correct the table's name")
        listed = set(files.values())
        for path in sorted(self.schema_dir.glob("*.json")):
            relative = f"schemas/{path.name}"
            if relative not in listed:
                raise PipelineError(relative, f"is not the schema of any table of {PACKAGE_METADATA}",
                                    f"add a resource named {path.stem!r} to {PACKAGE_METADATA}, or remove the file")
        schemas = {name: read_json(self.root / files[name], files[name], self.root) for name in self.table_names}
        check_table_schemas(schemas, files)
        return schemas

    def table_path(self, name: str) -> str:
        """Path of a table's CSV, from the root, as the descriptor writes it."""
        return f"data/{name}.csv"

    @cached_property
    def releases(self) -> list[Release]:
        """The release sections of CHANGELOG.md, newest first."""
        return read_changelog(self.root / "CHANGELOG.md")

    def changelog_versions(self) -> list[str]:
        return [release.version for release in self.releases]

    def changelog_version(self) -> str:
        """The package's version: the newest release heading of CHANGELOG.md."""
        return self.releases[0].version

    @cached_property
    def pyproject_text(self) -> str:
        return read_input_text(self.root / "pyproject.toml", self.root, "pyproject.toml")

    @cached_property
    def pyproject(self) -> dict:
        try:
            return tomllib.loads(self.pyproject_text)
        except tomllib.TOMLDecodeError as exc:
            raise PipelineError("pyproject.toml", f"not TOML: {exc}", "fix its syntax") from None

    def validator_requirements(self) -> list[str]:
        """The validator wheel's requirements: the [project] dependencies that [tool.validator] names, at their pins."""
        pinned = {re.split(r"[\[=<>~! ]", requirement, maxsplit=1)[0].lower(): requirement
                  for requirement in self.pyproject["project"]["dependencies"]}
        wanted = self.pyproject["tool"]["validator"]["requires"]
        unknown = [name for name in wanted if name.lower() not in pinned]
        if unknown:
            raise PipelineError("pyproject.toml ([tool.validator] requires)", f"names {unknown}, which [project] "
                                "dependencies does not pin", "pin each in [project] dependencies (and "
                                "requirements.lock, with make lock), or remove it")
        return [pinned[name.lower()] for name in wanted]

    def check_inputs(self) -> None:
        """Every package-wide curated input, before anything is derived: metadata, schemas, changelog."""
        self.package_file
        self.schemas
        self.releases
