"""Where things live in a checkout, and how to read its curated metadata, schemas and changelog."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from .errors import PipelineError

ROOT = Path(__file__).resolve().parent.parent
# libyaml's loader when PyYAML has it: about ten times faster on a corpus of many small files.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# "## [1.2.3] - 2026-11-26": the newest such heading is the package's version.
_RELEASE_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


def read_yaml(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as stream:
            loaded = yaml.load(stream, Loader=_YAML_LOADER)
    except FileNotFoundError:
        raise PipelineError(str(path), "file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark else str(path)
        raise PipelineError(where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(loaded, dict):
        raise PipelineError(str(path), "expected a mapping of keys to values at the top level")
    return loaded


def read_json(path: Path) -> dict:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PipelineError(str(path), "file not found") from None
    except UnicodeDecodeError as exc:
        raise PipelineError(str(path), f"not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise PipelineError(
            f"{path}, line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}"
        ) from None
    if not isinstance(loaded, dict):
        raise PipelineError(str(path), "expected a JSON object at the top level")
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
    def package_metadata(self) -> dict:
        return read_yaml(self.root / "metadata" / "package.yaml")

    @cached_property
    def table_names(self) -> list[str]:
        return [resource["name"] for resource in self.package_metadata["resources"]]

    @cached_property
    def schemas(self) -> dict[str, dict]:
        return {name: read_json(self.schema_dir / f"{name}.json") for name in self.table_names}

    def table_path(self, name: str) -> str:
        """Path of a table's CSV, relative to the root, as the descriptor writes it."""
        return f"data/{name}.csv"

    def parquet_path(self, name: str) -> str:
        """Path of a table's Parquet twin in a release, relative to the release folder."""
        return f"data/{name}.parquet"

    def changelog_releases(self) -> list[tuple[str, str]]:
        """(version, date) of every release heading of CHANGELOG.md, newest first."""
        path = self.root / "CHANGELOG.md"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PipelineError(str(path), "file not found") from None
        releases = [(match.group(1), match.group(2)) for match in _RELEASE_HEADING.finditer(text)]
        if not releases:
            raise PipelineError(
                str(path),
                "no release heading like '## [1.0.0] - 2026-11-26'",
                "add a heading for the version being released (Keep a Changelog format)",
            )
        return releases

    def changelog_versions(self) -> list[str]:
        return [version for version, _ in self.changelog_releases()]

    def changelog_version(self) -> str:
        """The package's version: the newest release heading of CHANGELOG.md."""
        return self.changelog_versions()[0]
