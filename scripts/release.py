"""Release a validated build as CSV and Parquet in dist/, all at once or not at all."""

from __future__ import annotations

import ctypes
import io
import json
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .build import DESCRIPTOR, BuiltPackage, FilesOnDisk, build_in_memory, guard_outputs, write_outputs
from .source import SourceDocument
from .descriptor import changes_resource, descriptor_bytes, package_descriptor, release_downloads, source_resources, table_resource
from .cells import column_values
from .citation import citation_text
from .errors import PipelineError, Problem, ValidationFailed
from . import versions
from .csvfile import csv_bytes
from .formats import archive, diff, sqlite, workbook
from .progress import step
from .project import Project
from .schema import arrow_schema
from .child import Child
from .gate import TablesGate
from .pool import in_forked_process
from .validate import validate_package

# Copied into the release beside the data, so that it stands on its own; the build's own
# documents (data dictionary, CITATION.cff, figures) come from the build.
RELEASE_DOCUMENTS = ("LICENSE", "CHANGELOG.md", "docs/codebook.md")
# The repository README's parts that hold in a release, between these markers; the rest speaks
# of building and releasing, which a release does not hold.
_IN_A_RELEASE, _END_OF_IN_A_RELEASE = "<!-- in a release -->\n", "<!-- end of in a release -->\n"
_NEXT, _PREVIOUS = ".dist-next", ".dist-previous"
_FILE_THREADS = 4  # threads that copy the sources into the release while the build runs
# CSV bytes of all tables up to which the database starts with the workbook, beside the rest of
# the build and the project's checks, rather than after the checks. Measured with make bench's
# corpora: the checks' process holds about 5 MiB for each MB of CSV (275-300 MiB for the 45 MB
# of 10,000 agreements), the release's own process and frictionless's about 145 MiB, the
# workbook's 26 MiB and the database's 43 MiB (they read the CSV files a row at a time): beside
# checks of 16 MB or less the sum stays well under 512 MiB, beside those of 45 MB it would not.
DATABASE_BESIDE_CHECKS_UP_TO = 16_000_000
_DATA_OUTPUTS = ".data"  # in .dist-next, beside the release: the build's files of data/, until the release is valid


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


def make_release(project: Project, gate: TablesGate | None = None) -> ReleaseSummary:
    """Rebuild, write the release beside dist/ while validating it, then swap it in.

    frictionless runs once, on the release, which holds the very CSV bytes data/ will hold, in
    `gate`, a process of its own on the second core. It starts first, to import frictionless
    (about half a second) while the rest is imported and the tables are built: the command line
    starts it before it imports the pipeline. It is stopped however the release ends.
    """
    gate = TablesGate() if gate is None else gate
    try:
        return _release_with(project, gate)
    finally:
        gate.stop()


def _release_with(project: Project, gate: TablesGate) -> ReleaseSummary:
    _recover_interrupted_swap(project)
    release = project.releases[0]
    name = f"{project.package_metadata['name']}-{release.version}"
    next_dist = project.root / _NEXT
    writers: dict[str, Child] = {}  # the workbook's and the database's processes, once started
    folder = next_dist / name
    package_name = project.package_metadata["name"]
    workbook_path, database_path = workbook.PATH.format(name=package_name), sqlite.PATH.format(name=package_name)
    csv_files = {table: str(folder / project.table_path(table)) for table in project.table_names}

    def start_database() -> None:
        writers["database"] = Child(sqlite.__name__, "write_database", {"path": str(folder / database_path), "csv_files": csv_files, "schemas": project.schemas},
                                    # sqlite-utils imports pandas if it can, only to accept pandas values: this
                                    # process gives it Python values, and pandas would be half its memory.
                                    preload=("sqlite_utils",), without=("pandas",))

    def tables_written(tables: TablesWritten) -> None:
        """The workbook and the database are made from the CSV files while the release goes on (it may
        still stop before they are used). The workbook, the longest of all steps, starts at once; the
        database too when the tables are small, else once the project's checks have ended: the
        checks' process grows with the tables, and with the database beside them the release's
        processes together would pass its memory budget."""
        writers["workbook"] = Child(workbook.__name__, "write_workbook", {"path": str(folder / workbook_path), "csv_files": csv_files, **tables.workbook_arguments},
                                    preload=("xlsxwriter",))
        if tables.csv_bytes <= DATABASE_BESIDE_CHECKS_UP_TO:
            start_database()

    try:
        shutil.rmtree(next_dist, ignore_errors=True)
        # The build holds every row, source and file at once: it writes the release folder in a
        # forked copy of this process, whose memory goes back to the system before the checks
        # read the release again. It sets data/'s files aside on the disk too.
        written = in_forked_process(write_release_folder, project, folder, next_dist / _DATA_OUTPUTS, gate, on_message=tables_written)
        # The checks read the release back, as a user would; frictionless is checking its tables already.
        gate.checking(Path(written.gate_descriptor))
        with step("validating the release (frictionless on the tables, the project's checks on every file)"):
            report = validate_package(folder / DESCRIPTOR, frictionless_scope="tables", gate=gate,
                                      after_own_checks=None if "database" in writers else start_database)
        if not report.ok:
            raise ValidationFailed(report, "the release is invalid, so data/ and dist/ were left as they were")
        # The zip is packed while they are finished, not beside the checks, whose memory it would add to; they join it last.
        with step("packing the zip while the workbook and the database are finished"):
            zip_path = next_dist / f"{name}.zip"
            archive.write_zip(str(folder), written.paths, str(zip_path))
            last = [workbook_path, database_path]
            for running in writers.values():
                running.result()
            archive.write_zip(str(folder), last, str(zip_path), append=True)
        paths = written.paths + last
        with step("recording every file's sha256 and flushing the release to the disk"):
            zip_sha256 = archive.sha256_of(zip_path)
            (next_dist / "SHA256SUMS").write_bytes(archive.sha256sums(next_dist, [f"{name}/{path}" for path in paths] + [zip_path.name]))
            _fsync_tree(next_dist)
        write_outputs(project, FilesOnDisk(next_dist / _DATA_OUTPUTS, written.outputs))
        shutil.rmtree(next_dist / _DATA_OUTPUTS)
        _swap_into_place(project, next_dist)
        versions.write_record(project, FilesOnDisk(project.root, written.outputs), release)
    finally:
        for running in writers.values():
            running.stop()
        shutil.rmtree(next_dist, ignore_errors=True)
    released = [path for path in project.dist_dir.rglob("*") if path.is_file()]
    return ReleaseSummary(name, written.table_count, written.row_count, len(released), sum(p.stat().st_size for p in released),
                          zip_sha256, tuple(report.warnings), diff.summary(release.version, written.plan.previous_version, written.plan.changes))


@dataclass(frozen=True)
class WrittenRelease:
    """What the release needs of the build once the release folder is written; small, as it is copied from the build's process."""

    outputs: list[str]  # the files of data/ the build set aside, as paths relative to the root
    plan: versions.Plan
    paths: list[str]  # the files written, as paths in the folder
    table_count: int
    row_count: int
    gate_descriptor: str  # what frictionless, in the gate's process, checks


@dataclass(frozen=True)
class TablesWritten:
    """Told by the build's process as soon as the tables' CSV files are in the release folder."""

    csv_bytes: int  # of all tables
    workbook_arguments: dict


def write_release_folder(project: Project, path: Path, outputs: Path, gate: TablesGate, tell: Callable[[TablesWritten], None]) -> WrittenRelease:
    """Build, then write every file of the release into `path` but the workbook and the database, and data/'s files into `outputs`.

    Each agreement's source files are copied in as soon as the build has read it, on threads of
    their own: making thousands of small files and folders waits on the disk (up to a
    millisecond each on the benchmark machine), and the waits overlap the build's reading and
    computing rather than follow them. The tables are written as soon as the build has made
    them, before its documents and chart: their CSV files first, and `tell` says so, for the
    workbook to start; then Parquet, while the build holds less than it will once its
    documents are made (at 10,000 agreements this was the release's memory peak). As soon as
    the tables (the changes among them) and their schemas are written, `gate` is given them,
    described as the release's descriptor will describe them: frictionless checks them on the
    other core while the rest is written.
    """
    folder = ReleaseFolder(path)
    tables: list[dict] = []  # the tables' resources, once written
    copying, copied = ThreadPoolExecutor(_FILE_THREADS), []
    try:
        def source_read(source: SourceDocument) -> None:
            copied.append(copying.submit(folder.copy_in, FilesOnDisk(project.root, source.file_paths)))

        def tables_made(rows: Mapping[str, Sequence[dict]], csv_files: dict[str, bytes]) -> None:
            for relative, content in csv_files.items():
                folder.write(relative, content)
            tell(TablesWritten(sum(map(len, csv_files.values())), workbook_arguments(project, rows)))
            tables.extend(write_tables(project, rows, csv_files, folder))

        with step("building the tables from the sources, and writing them as CSV and Parquet"):
            built = build_in_memory(project, source_read, tables_made)
        release = project.releases[0]
        guard_outputs(project, built, force=False)
        with step(f"comparing {release.version} with the previous release ({versions.RECORDS}/)"):
            plan = versions.plan(project, built.files, release)
            tables.append(write_changes(project, plan, folder))
        gate.check_descriptor(folder.path, package_descriptor(project, release.version, built.tables["agreements"], tables), DESCRIPTOR)  # it keeps the CSV tables
        with step("writing the sources and documents"):
            for copy in copied:
                copy.result()  # every source, before the descriptor that lists them
            descriptor = write_documents(project, built, release.version, plan, folder, tables)
            folder.write(sqlite.METADATA_PATH, datasette_json(project, descriptor))
    finally:
        copying.shutdown(cancel_futures=True)  # a build that stopped early does not wait for every copy
    FilesOnDisk.set_aside(built.files, outputs)
    return WrittenRelease(list(built.files), plan, folder.paths, len(built.tables), sum(len(rows) for rows in built.tables.values()),
                          str(gate.handed_over()))


class ReleaseFolder:
    """The release being written: each file goes to disk as soon as it is made, and is listed."""

    def __init__(self, path: Path):
        self.path = path
        self.paths: list[str] = []
        self._folders: set[Path] = set()  # made already: each folder is made once, however many files it holds

    def write(self, relative: str, content: bytes) -> bytes:
        with open(self.path_of(relative), "wb") as stream:
            stream.write(content)
        return content

    def copy_in(self, files: Mapping[str, bytes]) -> None:
        """Files read when asked, such as one agreement's sources, each written as it is read.

        Several threads may copy at once: making thousands of small files and folders waits on
        the file system far more than on Python, and the waits overlap. The list of paths then
        follows no fixed order; the zip and SHA256SUMS sort it.
        """
        for relative in files:
            self.write(relative, files[relative])

    def path_of(self, relative: str) -> Path:
        """Where a file of the release goes, for a writer that writes it itself."""
        target = self.path / relative
        if target.parent not in self._folders:  # two threads may both make it: exist_ok
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        self.paths.append(relative)
        return target


def write_tables(project: Project, tables: Mapping[str, Sequence[dict]], csv_files: Mapping[str, bytes], folder: ReleaseFolder) -> list[dict]:
    """Each table as Parquet, and its schema; returns the resources of its CSV file, written already, and of its Parquet file."""
    resources, parquet_resources = [], []
    for name in project.table_names:
        csv_path, parquet_path = project.table_path(name), project.parquet_path(name)
        resources.append(table_resource(project, name, csv_path, csv_files[csv_path]))
        parquet = folder.write(parquet_path, parquet_bytes(tables[name], project.schemas[name]))
        parquet_resources.append(table_resource(project, name, parquet_path, parquet, fmt="parquet"))
        folder.write(f"schemas/{name}.json", (project.schema_dir / f"{name}.json").read_bytes())
    return resources + parquet_resources


def write_changes(project: Project, plan: versions.Plan, folder: ReleaseFolder) -> dict:
    """The table of what changed since the previous release, and its schema; returns its resource."""
    schema = project.schema_dir / "release" / "changes.json"
    changes = folder.write(diff.CSV_PATH, csv_bytes("changes", diff.numbered(plan.changes), json.loads(schema.read_text(encoding="utf-8"))))
    folder.write(diff.SCHEMA_PATH, schema.read_bytes())
    return changes_resource(diff.CSV_PATH, changes, diff.SCHEMA_PATH, plan.previous_version)


def write_documents(project: Project, built: BuiltPackage, version: str, plan: versions.Plan, folder: ReleaseFolder, resources: list[dict]) -> dict:
    """Every other file of the release but the sources (copied in already), the workbook and the database, the descriptor last; returns it."""
    resources = list(resources)
    resources += source_resources(built.sources)
    for document in RELEASE_DOCUMENTS:
        folder.write(document, (project.root / document).read_bytes())
    for path, content in built.files.items():
        if path.startswith("docs/") or path == "CITATION.cff":
            folder.write(path, content)
    folder.write("README.md", release_readme(project, built, version).encode("utf-8"))
    folder.write(diff.NOTES_PATH, release_notes(project, version, plan).encode("utf-8"))
    descriptor = package_descriptor(project, version, built.tables["agreements"], resources)
    folder.write(DESCRIPTOR, descriptor_bytes(descriptor))
    return descriptor


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


def workbook_arguments(project: Project, tables: Mapping[str, Sequence[dict]]) -> dict:
    """What workbook.write_workbook needs besides its path and the CSV files, as plain values: it runs in a process of its own."""
    release = project.releases[0]
    descriptor = package_descriptor(project, release.version, tables["agreements"], [])  # its title, description, license and source
    license_ = descriptor["licenses"][0]
    about = [
        ("Title", descriptor["title"]),
        ("Version", f"{release.version}, released {release.date.isoformat()}"),
        ("What this is", descriptor["description"]),
        ("License", f"{license_['title']}: {license_['path']}. The agreement's text is the signatories' own, reproduced unchanged (see LICENSE)."),
        ("How to cite", citation_text(project.package_metadata, release.version, release.date.isoformat(), tables["agreements"])),
        # A row a source, labelled once: a corpus's sources joined in one cell outgrow what a cell holds (32,767 characters).
        *(("Source" if number == 0 else "", f"{source['title']}: {source['path']}") for number, source in enumerate(descriptor["sources"])),
        ("Text", "Every cell holds the text exactly as in the CSV files of this release; dates are dates, whole numbers are numbers."),
    ]
    descriptions = {resource["name"]: resource["description"] for resource in project.package_metadata["resources"]}
    rows = {name: len(tables[name]) for name in project.table_names}
    return {"about": about, "rows": rows, "schemas": project.schemas, "descriptions": descriptions, "released": release.date.isoformat()}


def datasette_json(project: Project, descriptor: dict) -> bytes:
    """Datasette's metadata for the database: titles, descriptions, license and source, from the descriptor."""
    metadata = sqlite.datasette_metadata(descriptor, project.schemas, project.package_metadata["name"])
    return (json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def parquet_bytes(rows: list[dict], schema: dict) -> bytes:
    """A table as Parquet, its types from the Table Schema; the same rows give the same bytes."""
    types = arrow_schema(schema)
    table = pa.table({field.name: pa.array(column_values(rows, field.name), field.type) for field in types}, schema=types)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def _fsync_tree(folder: Path) -> None:
    """Every file of the folder is on the disk before dist/ is replaced by it.

    One syncfs(2) flushes the file system the folder is on; a corpus's tens of thousands of
    files took a second per thousand to fsync one by one, which stays the way where there is no syncfs.
    """
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        if ctypes.CDLL(None, use_errno=True).syncfs(descriptor) == 0:
            return
    except (OSError, AttributeError):
        pass
    finally:
        os.close(descriptor)
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
