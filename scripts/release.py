"""Release a validated build as CSV and Parquet in dist/, all at once or not at all."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .build import DESCRIPTOR, BuiltPackage, ValidationFailed, prepare, write_outputs
from .descriptor import changes_resource, descriptor_bytes, package_descriptor, release_downloads, source_resources, table_resource
from .citation import citation_text
from .errors import PipelineError, Problem
from . import versions
from .csvfile import csv_bytes
from .formats import diff, sqlite, workbook
from .progress import step
from .project import Project
from .schema import arrow_schema
from .validate import return_freed_memory, validate_package

# Copied into the release beside the data, so that it stands on its own; the build's own
# documents (data dictionary, CITATION.cff, figures) come from the build.
RELEASE_DOCUMENTS = ("LICENSE", "CHANGELOG.md", "docs/codebook.md")
# The repository README's parts that hold in a release, between these markers; the rest speaks
# of building and releasing, which a release does not hold.
_IN_A_RELEASE, _END_OF_IN_A_RELEASE = "<!-- in a release -->\n", "<!-- end of in a release -->\n"
_ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: no build time in the file
_NEXT, _PREVIOUS = ".dist-next", ".dist-previous"


@dataclass(frozen=True)
class ReleaseSummary:
    name: str
    tables: int
    rows: int
    files: int
    bytes: int
    zip_sha256: str
    warnings: tuple[Problem, ...] = ()
    changes: str = ""

    def __str__(self) -> str:
        lines = [f"warning: {problem}" for problem in self.warnings]
        lines += [self.changes] if self.changes else []
        lines.append(f"released {self.name}: {self.tables} tables, {self.rows} rows, {self.files} files, {self.bytes:,} bytes")
        lines.append(f"  dist/{self.name}.zip sha256 {self.zip_sha256}")
        return "\n".join(lines)


def make_release(project: Project) -> ReleaseSummary:
    """Rebuild and validate, write the release beside dist/, validate it, then swap it in."""
    _recover_interrupted_swap(project)
    # frictionless runs once, on the release, which holds the very CSV bytes data/ will hold.
    built = prepare(project, force=False)
    release = project.releases[0]
    version = release.version
    with step(f"comparing {version} with the previous release ({versions.RECORDS}/)"):
        plan = versions.plan(project, built.files, release)
    name = f"{project.package_metadata['name']}-{version}"
    next_dist = project.root / _NEXT
    shutil.rmtree(next_dist, ignore_errors=True)
    try:
        folder = next_dist / name
        with step("writing the release: CSV, Parquet, schemas and documents"):
            files = release_files(project, built, version, plan)
            for relative, content in files.items():
                (folder / relative).parent.mkdir(parents=True, exist_ok=True)
                (folder / relative).write_bytes(content)
        table_count, row_count = len(built.tables), sum(len(rows) for rows in built.tables.values())
        # Everything is on disk now: let frictionless use the memory of the rows and released bytes.
        released_paths = sorted(files)
        built, files = built.outputs_only(), None
        return_freed_memory()
        with step("validating the release (frictionless on the tables, the project's checks on every file)"):
            report = validate_package(folder / DESCRIPTOR, frictionless_scope="tables")
        if not report.ok:
            raise ValidationFailed(report, "the release is invalid, so data/ and dist/ were left as they were")
        archive = zip_bytes(folder, released_paths)
        (next_dist / f"{name}.zip").write_bytes(archive)
        (next_dist / "SHA256SUMS").write_bytes(sha256sums(next_dist, [f"{name}/{path}" for path in released_paths] + [f"{name}.zip"]))
        _fsync_tree(next_dist)
        write_outputs(project, built)
        _swap_into_place(project, next_dist)
        versions.write_record(project, built.files, release)
    finally:
        shutil.rmtree(next_dist, ignore_errors=True)
    released = [path for path in project.dist_dir.rglob("*") if path.is_file()]
    return ReleaseSummary(name, table_count, row_count, len(released), sum(p.stat().st_size for p in released),
                          hashlib.sha256(archive).hexdigest(), tuple(report.warnings), diff.summary(version, plan.previous_version, plan.changes))


def release_files(project: Project, built: BuiltPackage, version: str, plan: versions.Plan) -> dict[str, bytes]:
    """Every file of the release by its path inside the release folder."""
    files: dict[str, bytes] = {}
    resources = []
    for name in project.table_names:
        csv_path, parquet_path = project.table_path(name), project.parquet_path(name)
        files[csv_path] = built.files[csv_path]
        files[parquet_path] = parquet_bytes(built.tables[name], project.schemas[name])
        resources.append(table_resource(project, name, csv_path, files[csv_path]))
    for name in project.table_names:
        parquet_path = project.parquet_path(name)
        resources.append(table_resource(project, name, parquet_path, files[parquet_path], fmt="parquet"))
    changes_schema = json.loads((project.schema_dir / "release" / "changes.json").read_text(encoding="utf-8"))
    files[diff.CSV_PATH] = csv_bytes("changes", diff.numbered(plan.changes), changes_schema)
    files[diff.SCHEMA_PATH] = (project.schema_dir / "release" / "changes.json").read_bytes()
    resources.append(changes_resource(diff.CSV_PATH, files[diff.CSV_PATH], diff.SCHEMA_PATH, plan.previous_version))
    resources += source_resources(built.sources, built.inputs)
    files.update(built.inputs)
    for name in project.table_names:
        files[f"schemas/{name}.json"] = (project.schema_dir / f"{name}.json").read_bytes()
    for document in RELEASE_DOCUMENTS:
        files[document] = (project.root / document).read_bytes()
    files.update({path: content for path, content in built.files.items() if path.startswith("docs/") or path == "CITATION.cff"})
    files["README.md"] = release_readme(project, built, version).encode("utf-8")
    descriptor = package_descriptor(project, version, built.tables["agreements"], resources)
    files[DESCRIPTOR] = descriptor_bytes(descriptor)
    files.update(derived_formats(project, built, descriptor))
    files[diff.NOTES_PATH] = release_notes(project, version, plan).encode("utf-8")
    return dict(sorted(files.items()))


def release_readme(project: Project, built: BuiltPackage, version: str) -> str:
    """The release's own README: what this folder holds and how to use it, and nothing of the repository's tooling."""
    metadata, release = project.package_metadata, project.releases[0]
    readme = built.files["README.md"].decode("utf-8")
    usage = [part.split(_END_OF_IN_A_RELEASE, 1)[0] for part in readme.split(_IN_A_RELEASE)[1:]]
    rows = [f"| `{path}` | {label} |" for label, path, _ in release_downloads(project, version, built.sources) if not path.startswith("../")]
    rows += ["| `schemas/` | the Table Schema of each table: columns, types, constraints, keys |",
             "| `docs/index.html` | a page with the agreement, its source with every value's characters marked, and how to cite |",
             "| `docs/data-dictionary.md`, `docs/codebook.md` | every column described; the rules of the coding |",
             "| `RELEASE-NOTES.md`, `CHANGELOG.md` | what changed in this version, and in every version |",
             "| `CITATION.cff`, `LICENSE` | how to cite; what covers the text, the data and the code |"]
    citation = citation_text(metadata, version, release.date.isoformat(), built.tables["agreements"])
    return "\n".join([
        f"# {metadata['title']}, version {version}", "",
        f"Released {release.date.isoformat()}. {metadata['description']}", "",
        "This folder is one release of the data package: a Frictionless Data Package (v2) whose",
        "`datapackage.json` describes every table, with its hash. `docs/index.html` shows the agreement",
        "beside its source, with the characters each value was read from.", "",
        "## What is here", "", "| file | what |", "|---|---|", *rows, "",
        "## Use it", "", "\n".join(usage).strip(), "",
        "## Cite", "", "```text", citation, "```", "",
        "The agreement's text is the signatories' own, reproduced unchanged to document it. The",
        "tables, schemas and documentation are under CC BY 4.0: see `LICENSE`.", "",
    ])


def release_notes(project: Project, version: str, plan: versions.Plan) -> str:
    """This version's CHANGELOG section, then what changed in the tables, counted."""
    release = project.releases[0]
    return "\n".join([
        f"# {project.package_metadata['title']}, version {version}", "", f"Released {release.date.isoformat()}.", "",
        "## What changed, as CHANGELOG.md says", "", release.text, "",
        "## What changed in the tables", "", diff.summary(version, plan.previous_version, plan.changes), "",
    ])


def derived_formats(project: Project, built: BuiltPackage, descriptor: dict) -> dict[str, bytes]:
    """The workbook, the SQLite database and its Datasette metadata: views of the described tables, at the release's top."""
    name, release = project.package_metadata["name"], project.releases[0]
    tables = {table: built.tables[table] for table in project.table_names}
    license_ = descriptor["licenses"][0]
    about = [
        ("Title", descriptor["title"]),
        ("Version", f"{release.version}, released {release.date.isoformat()}"),
        ("What this is", descriptor["description"]),
        ("License", f"{license_['title']}: {license_['path']}. The agreement's text is the signatories' own, reproduced unchanged (see LICENSE)."),
        ("How to cite", citation_text(project.package_metadata, release.version, release.date.isoformat(), built.tables["agreements"])),
        ("Source", "; ".join(f"{source['title']}: {source['path']}" for source in descriptor["sources"])),
        ("Text", "Every cell holds the text exactly as in the CSV files of this release; dates are dates, whole numbers are numbers."),
    ]
    descriptions = {resource["name"]: resource["description"] for resource in project.package_metadata["resources"]}
    return {
        workbook.PATH.format(name=name): workbook.workbook_bytes(about, tables, project.schemas, descriptions, release.date),
        sqlite.PATH.format(name=name): sqlite.sqlite_bytes(tables, project.schemas),
        sqlite.METADATA_PATH: (json.dumps(sqlite.datasette_metadata(descriptor, project.schemas, name), indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }


def parquet_bytes(rows: list[dict], schema: dict) -> bytes:
    """A table as Parquet, its types from the Table Schema; the same rows give the same bytes."""
    types = arrow_schema(schema)
    table = pa.table({field.name: pa.array([row[field.name] for row in rows], field.type) for field in types}, schema=types)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def zip_bytes(folder: Path, paths: list[str]) -> bytes:
    """A zip whose bytes depend only on the files: sorted entries, fixed time and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for relative in sorted(paths):
            # datapackage.json at the zip's root: frictionless opens the zip as the package itself.
            info = zipfile.ZipInfo(relative, date_time=_ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever system builds it
            archive.writestr(info, (folder / relative).read_bytes())
    return buffer.getvalue()


def sha256sums(folder: Path, paths: list[str]) -> bytes:
    """The format of sha256sum, so that 'sha256sum -c SHA256SUMS' checks a download."""
    return "".join(f"{hashlib.sha256((folder / path).read_bytes()).hexdigest()}  {path}\n" for path in sorted(paths)).encode()


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as stream:
                os.fsync(stream.fileno())


def _swap_into_place(project: Project, next_dist: Path) -> None:
    """Two renames: a kill between them leaves no dist/, which the next release restores or replaces."""
    previous = project.root / _PREVIOUS
    shutil.rmtree(previous, ignore_errors=True)
    if project.dist_dir.exists():
        os.rename(project.dist_dir, previous)
    os.rename(next_dist, project.dist_dir)
    shutil.rmtree(previous, ignore_errors=True)


def _recover_interrupted_swap(project: Project) -> None:
    """A release killed between the two renames left the previous dist/ aside: put it back."""
    previous = project.root / _PREVIOUS
    if previous.exists() and not project.dist_dir.exists():
        os.rename(previous, project.dist_dir)
    elif previous.exists():
        shutil.rmtree(previous)
    if project.dist_dir.exists() and not project.dist_dir.is_dir():
        raise PipelineError("dist", "is a file, not a folder", "remove it")
