"""Release a validated build as CSV, Parquet, a workbook and a database in dist/, all at once or not at all."""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import multiprocessing
import multiprocessing.pool
import os
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from . import versions
from .build import DESCRIPTOR, BuiltPackage, build_in_memory, check_output_folders, guard_outputs, write_outputs
from ..cells import column_values
from ..inputs.changelog import as_released
from ..formats.citation import citation_text
from ..tables.csvfile import Content, csv_bytes, write_content
from ..formats.descriptor import (CHANGES_DESCRIPTION, changes_resource, descriptor_bytes, package_descriptor,
                                  release_downloads, source_resources, table_resource)
from ..errors import PipelineError, ValidationFailed
from .fingerprint import fingerprint, is_native
from ..formats import archive, diff, page, registry, wheel
from ..inputs.files import check_folder, read_input
from ..progress import step
from ..inputs.project import Project
from ..checks.validate import validate_package

# Copied into the release beside the data, so that it stands on its own; the build's own
# documents (data dictionary, CITATION.cff, figures) come from the build.
RELEASE_DOCUMENTS = ("LICENSE", "CHANGELOG.md", "docs/codebook.md")
# The repository README's parts that hold in a release, between these markers; the rest speaks
# of building and releasing, which a release does not hold.
_IN_A_RELEASE, _END_OF_IN_A_RELEASE = "<!-- in a release -->\n", "<!-- end of in a release -->\n"
_NEXT, _PREVIOUS = ".dist-next", ".dist-previous"
# The markers of a block make build writes: a release's reader has no make build.
_GENERATED_MARKER = re.compile(r"<!-- (?:end of [^>]*|[^>]*: written by make build) -->\n")
LOCK = "requirements.lock"  # attached beside the zip as it is: the pins the users' workflow installs the validator with


def make_release(project: Project) -> str:
    """Build, write the release aside, check it, write the other formats, zip it, then swap it into dist/; returns what
    was released, as lines to print."""
    for written in (_NEXT, _PREVIOUS, "dist", versions.RECORDS):
        check_folder(project.root / written, project.root, written)
    _recover_interrupted_swap(project)
    release = project.releases[0]
    name = f"{project.package_metadata['name']}-{release.version}"
    staging = project.root / _NEXT
    shutil.rmtree(staging, ignore_errors=True)
    folder = ReleaseFolder(staging / name)
    from_tables = [fmt for fmt in registry.WHOLE_RELEASE if fmt.from_tables]
    last = [fmt.path_of(name=project.package_metadata["name"]) for fmt in from_tables]  # in the zip
    try:
        with step("building the tables from the sources"):
            built = build_in_memory(project)
        guard_outputs(project, built, force=False)
        with step(f"comparing {release.version} with the previous release ({versions.RECORDS}/)"):
            plan = versions.plan(project, built.files, release)
        change_rows = diff.numbered(plan.history)
        with step("writing the tables as CSV and Parquet, the sources and the documents"):
            write_release_folder(project, built, plan, change_rows, folder)
        rows = {table: len(table_rows) for table, table_rows in built.tables.items()}
        files, release_page = built.files, built.release_page
        facts = release_facts(project, built.tables, len(change_rows), folder)
        del built  # its rows, a corpus's largest part: from here on, every step reads the release's files
        with second_process() as worker:
            # The workbook, the longest format to write, is written from the CSV files beside the checks.
            writing = [worker.apply_async(_writer(fmt, folder, facts)) for fmt in from_tables if fmt.apart]
            with step("validating the release (frictionless on the tables, the project's checks on every file)"):
                report = validate_package(folder.path / DESCRIPTOR, frictionless_scope="tables")
            if not report.ok:
                raise ValidationFailed(report, "the release is invalid, so data/ and dist/ were left as they were")
            with step("writing the database, and the workbook in a second process"):
                write_formats([fmt for fmt in from_tables if not fmt.apart], folder, facts)
                for written in writing:
                    written.get()
        # Last but the checksums: the page gives the size and sha256 of every other file.
        folder.write(page.PATH, release_page(_sizes_and_sha256(folder)))
        with step("packing the zip, listing every file's sha256, and flushing them to the disk"):
            attached = attach_validator(project, staging, release.version)
            digests = pack(staging, folder, name, last=last, attached=attached)
        contents = fingerprints(staging, digests, plan.workbook_fingerprint)
        versions.check_same_bytes(project, release, digests, contents)
        # What could stop data/ from being written stops the release before dist/ changes.
        check_output_folders(project, files)
        _swap_into_place(project, staging)  # first: data/ is never newer than dist/
        write_outputs(project, files)
        versions.write_record(project, files, release, digests, contents, plan.workbook_fingerprint)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    released = [path for path in project.dist_dir.rglob("*") if path.is_file()]
    changes = diff.summary(release.version, plan.previous_version, plan.changes)
    return "\n".join([*(f"warning: {problem}" for problem in report.warnings), *([changes] if changes else []),
                      f"released {name}: {len(rows)} tables, {sum(rows.values())} rows, {len(released)} files,"
                      f" {sum(path.stat().st_size for path in released):,} bytes",
                      f"  dist/{name}.zip sha256 {digests[f'{name}.zip']}"])


def release_facts(project: Project, tables: Mapping[str, Sequence[dict]], change_count: int,
                  folder: ReleaseFolder) -> dict:
    """What the writers of formats/registry.py's files of the whole release may read, as plain values (one may run in
    another process): each is given those its parameters name."""
    release, metadata = project.releases[0], project.package_metadata
    # Each table's CSV file in the release, by table name, the table of changes last.
    csv_files = {table: str(folder.path / registry.CSV.path_of(table=table))
                 for table in [*project.table_names, registry.CHANGES]}
    return {**workbook_arguments(project, tables, change_count), "csv_files": csv_files,
            "folder": str(folder.path), "name": metadata["name"],
            "table_files": registry.table_files(project.table_names),
            "cite_as": citation_text(metadata, release.version, release.date.isoformat(), tables["agreements"])}


def _writer(fmt: registry.Format, folder: ReleaseFolder, facts: dict) -> Callable[[], None]:
    """A format's writer, given the path of its file in the release and the facts its parameters name."""
    wanted = inspect.signature(fmt.write).parameters
    path = folder.path_of(fmt.path_of(name=facts["name"]))
    return functools.partial(fmt.write, str(path), **{key: value for key, value in facts.items() if key in wanted})


def write_formats(formats: list[registry.Format], folder: ReleaseFolder, facts: dict) -> None:
    for fmt in formats:
        _writer(fmt, folder, facts)()


class ReleaseFolder:
    """The release being written: each file goes to disk as soon as it is made, and is listed."""

    def __init__(self, path: Path):
        self.path = path
        self.paths: list[str] = []

    def write(self, relative: str, content: Content) -> Content:
        write_content(self.path_of(relative), content)
        return content

    def copy_in(self, root: Path, relative: str) -> None:
        """A file of the checkout, such as a source document, at the same path in the release."""
        try:
            shutil.copyfile(root / relative, self.path_of(relative))
        except OSError as exc:
            raise PipelineError(relative, f"could not be copied into the release ({exc.strerror})",
                                "restore it (git checkout), and release again") from None

    def path_of(self, relative: str) -> Path:
        """Where a file of the release goes, for a writer that writes it itself."""
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        self.paths.append(relative)
        return target


def write_release_folder(project: Project, built: BuiltPackage, plan: versions.Plan, change_rows: list[dict],
                         folder: ReleaseFolder) -> None:
    """Every file of the release but those written from the checked tables (the workbook, the database) and the page:
    the tables, the sources, the documents, the descriptor, then the files written from it."""
    resources = write_tables(project, built, folder) + write_changes(project, change_rows, folder)
    for relative in built.inputs:
        folder.copy_in(project.root, relative)
    descriptor = write_documents(project, built, plan, folder, resources)
    facts = {**release_facts(project, built.tables, len(change_rows), folder), "descriptor": descriptor}
    write_formats([fmt for fmt in registry.WHOLE_RELEASE if fmt.write and not fmt.from_tables], folder, facts)


def _sizes_and_sha256(folder: ReleaseFolder) -> dict[str, tuple[int, str]]:
    """Each file of the release so far, by its path from the page in docs/."""
    return {f"../{path}": ((folder.path / path).stat().st_size, archive.sha256_of(folder.path / path))
            for path in folder.paths}


def second_process() -> multiprocessing.pool.Pool:
    """One worker process, ended (terminated, if it still works) when its `with` block ends.

    It starts as the platform starts processes (spawn on macOS and Windows, forkserver on Linux
    from Python 3.14), but is spawned where the platform would fork: this process holds Arrow's
    threads, and a fork with threads alive may deadlock (Python 3.12 and later warn of it).
    What it is given travels pickled, and it imports what it needs itself.
    """
    method = multiprocessing.get_start_method()
    return multiprocessing.get_context("spawn" if method == "fork" else method).Pool(1)


def attach_validator(project: Project, staging: Path, version: str) -> list[str]:
    """This version's validator as a wheel, and requirements.lock, beside the zip: the users' workflow installs the one
    with the other as its constraints, so that every package it installs has the pin this version was checked with.

    They are listed in SHA256SUMS, but not in releases/: the wheel holds the code, and code may change under a version
    whose data never does (a test releases the current version again from each commit).
    """
    distribution = project.pyproject["project"]
    target = wheel.wheel_name(distribution["name"], version)
    wheel.write_wheel(wheel.CODE_ROOT, staging / target, distribution["name"], version, distribution["description"],
                      project.validator_requirements())
    (staging / LOCK).write_bytes(read_input(project.root / LOCK, project.root, LOCK))
    return [target, LOCK]


def pack(staging: Path, folder: ReleaseFolder, name: str, last: list[str], attached: Sequence[str] = ()
         ) -> dict[str, str]:
    """The folder's files.sha256, the zip beside the folder and SHA256SUMS naming it, every file flushed to the disk;
    returns each file's sha256, by its path in dist/.

    Each checksum file names files as they lie beside it, so that `sha256sum -c` passes
    where a user downloads it: the folder's names its files (and, unzipped, the zip's); the one
    beside the zip names the zip. The zip lists the files by name, then `last` (the database and
    the workbook) by name, as every release since 1.0.0 has: the same files give the same bytes.
    """
    in_folder = {path: archive.sha256_of(folder.path / path) for path in folder.paths}
    folder.write(archive.FOLDER_SUMS, archive.sha256sums(in_folder))
    zip_path = staging / f"{name}.zip"
    archive.write_zip(str(folder.path), sorted(folder.paths, key=lambda path: (path in last, path)), str(zip_path))
    beside_zip = {zip_path.name: archive.sha256_of(zip_path)}
    attached_sums = {path: archive.sha256_of(staging / path) for path in attached}
    (staging / archive.SUMS).write_bytes(archive.sha256sums({**beside_zip, **attached_sums}))
    archive.flush_to_disk(staging)
    in_folder[archive.FOLDER_SUMS] = archive.sha256_of(folder.path / archive.FOLDER_SUMS)
    return {**{f"{name}/{path}": digest for path, digest in in_folder.items()}, **beside_zip}


def fingerprints(staging: Path, digests: dict[str, str], workbook: str) -> dict[str, str]:
    """What each file whose bytes a native library writes holds, by its path in dist/: the zip last, which reuses those
    of the files it holds."""
    contents = {}
    for path in sorted((path for path in digests if is_native(path)), key=lambda path: path.endswith(".zip")):
        known = {digests[done]: content for done, content in contents.items()}
        contents[path] = fingerprint(staging / path, known, workbook)
    return contents


def write_tables(project: Project, built: BuiltPackage, folder: ReleaseFolder) -> list[dict]:
    """Each table as CSV and in every other format of formats/registry.py, and its schema; returns the resources of its
    CSV files, then those of its other formats' files."""
    resources, twins = [], []
    titles = {resource["name"]: resource["title"] for resource in project.package_metadata["resources"]}
    for name in project.table_names:
        csv_path = project.table_path(name)
        resources.append(table_resource(project, name, csv_path, folder.write(csv_path, built.files[csv_path])))
        twins += _other_formats(project, folder, name, built.tables[name], project.schemas[name], titles[name],
                                lambda path, content, fmt: table_resource(project, name, path, content, fmt))
        schema = f"schemas/{name}.json"
        folder.write(schema, read_input(project.schema_dir / f"{name}.json", project.root, schema))
    return resources + twins


def write_changes(project: Project, rows: list[dict], folder: ReleaseFolder) -> list[dict]:
    """The table of what changed in every release since the first, as CSV and every other format, and its schema;
    returns the resources."""
    changes = folder.write(diff.CSV_PATH, csv_bytes(rows, project.changes_schema))
    resources = [changes_resource(diff.CSV_PATH, changes, diff.SCHEMA_PATH)]
    resources += _other_formats(project, folder, registry.CHANGES, rows, project.changes_schema, registry.CHANGES_LABEL,
                                lambda path, content, fmt: changes_resource(path, content, diff.SCHEMA_PATH, fmt))
    folder.write(diff.SCHEMA_PATH, read_input(project.schema_dir / "release" / "changes.json", project.root,
                                              "schemas/release/changes.json"))
    return resources


def _other_formats(project: Project, folder: ReleaseFolder, table: str, rows, schema: dict, title: str,
                   resource: Callable[[str, Content, registry.Format], dict]) -> list[dict]:
    """A table in each per-table format the release writes from its rows; returns the resources of those that are."""
    released, resources = project.releases[0].date.isoformat(), []
    for fmt in registry.WRITTEN_PER_TABLE:
        path = fmt.path_of(table=table)
        content = folder.write(path, fmt.write(rows, schema, title, released))
        if fmt.resource:
            resources.append(resource(path, content, fmt))
    return resources


def write_documents(project: Project, built: BuiltPackage, plan: versions.Plan, folder: ReleaseFolder,
                    resources: list[dict]) -> dict:
    """The release's documents, then its descriptor; returns the descriptor."""
    for document in RELEASE_DOCUMENTS:
        content = read_input(project.root / document, project.root, document)
        if document == "CHANGELOG.md":
            content = as_released(content.decode("utf-8")).encode("utf-8")
        folder.write(document, content)
    for path, content in built.files.items():
        if (path.startswith("docs/") or path in ("CITATION.cff", "CITATION.bib")) and path != page.PATH:
            folder.write(path, content)
    folder.write("README.md", release_readme(project, built).encode("utf-8"))
    folder.write(registry.NOTES.path, release_notes(project, plan).encode("utf-8"))
    resources = [*resources, *source_resources(built.sources, built.corpus_files)]
    descriptor = package_descriptor(project, project.releases[0].version, built.tables["agreements"], resources)
    folder.write(DESCRIPTOR, descriptor_bytes(descriptor))
    return descriptor


def release_readme(project: Project, built: BuiltPackage) -> str:
    """The release's own README: what this folder holds and how to use it, and nothing of the repository's tooling."""
    metadata, release = project.package_metadata, project.releases[0]
    version = release.version
    readme = built.files["README.md"].decode("utf-8")
    usage = [_GENERATED_MARKER.sub("", part.split(_END_OF_IN_A_RELEASE, 1)[0])
             for part in readme.split(_IN_A_RELEASE)[1:]]
    rows = [f"| `{path}` | {label} |" for label, path, _ in release_downloads(project, version, built.sources)
            if "://" not in path]
    rows += ["| `schemas/` | the Table Schema of each table: columns, types, constraints, keys |",
             "| `docs/index.html` | a page with the agreement, its source with every value's characters marked, and how"
             " to cite |",
             "| `docs/data-dictionary.md`, `docs/codebook.md` | every column described; the rules of the coding |",
             "| `CHANGELOG.md` | what changed in every version |",
             "| `CITATION.cff`, `CITATION.bib`, `LICENSE` | how to cite (also for BibTeX); what covers the text, the"
             " data and the code |"]
    citation = citation_text(metadata, version, release.date.isoformat(), built.tables["agreements"])
    return "\n".join([
        *dataset_card_header(project, built), "",
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


def dataset_card_header(project: Project, built: BuiltPackage) -> list[str]:
    """The Hugging Face dataset card's YAML header: each table a config of its Parquet file, so that
    datasets.load_dataset(<release folder>, "<table>", split="train") loads it. JSON strings are YAML strings."""
    metadata = project.package_metadata
    lines = ["---", f"pretty_name: {json.dumps(metadata['title'], ensure_ascii=False)}",
             f"license: {json.dumps(metadata['licenses'][0]['name'].lower())}", "language:"]
    languages = sorted(set(column_values(built.tables["agreements"], "language")))
    lines += [f"- {json.dumps(language)}" for language in languages]
    lines.append("configs:")
    for name in [*project.table_names, registry.CHANGES]:
        lines += [f"- config_name: {name}", f"  data_files: {json.dumps(registry.PARQUET.path_of(table=name))}"]
    return [*lines, "---"]


def release_notes(project: Project, plan: versions.Plan) -> str:
    """What changed in the tables, counted and in words, then this version's CHANGELOG section, where the details of
    the build are too."""
    release = project.releases[0]
    return "\n".join([
        f"# {project.package_metadata['title']}, version {release.version}", "",
        f"Released {release.date.isoformat()}.", "",
        "## What changed in the data", "", diff.summary(release.version, plan.previous_version, plan.changes), "",
        "## Everything that changed, as CHANGELOG.md says", "", release.text, "",
    ])


def workbook_arguments(project: Project, tables: Mapping[str, Sequence[dict]], change_count: int) -> dict:
    """What workbook.write_workbook needs besides its path and the CSV files, as plain values: another process writes
    it."""
    release, released = project.releases[0], project.releases[0].date.isoformat()
    descriptor = package_descriptor(project, release.version, tables["agreements"], [])
    license_ = descriptor["licenses"][0]
    about = [
        ("Title", descriptor["title"]),
        ("Version", f"{release.version}, released {released}"),
        ("What this is", descriptor["description"]),
        ("License", f"{license_['title']}: {license_['path']}. The agreement's text is the signatories' own, reproduced"
                    " unchanged (see LICENSE)."),
        ("How to cite", citation_text(project.package_metadata, release.version, released, tables["agreements"])),
        # A row a source, labelled once: a corpus's sources joined in one cell outgrow what a cell holds.
        *(("Source" if number == 0 else "", f"{source['title']}: {source['path']}")
          for number, source in enumerate(descriptor["sources"])),
        ("Text", "Every cell holds the text exactly as in the CSV files of this release; dates are dates, whole numbers"
                 " are numbers."),
    ]
    descriptions = {resource["name"]: resource["description"] for resource in project.package_metadata["resources"]}
    descriptions[registry.CHANGES] = CHANGES_DESCRIPTION
    rows = {**{name: len(tables[name]) for name in project.table_names}, registry.CHANGES: change_count}
    schemas = {**project.schemas, registry.CHANGES: project.changes_schema}
    return {"about": about, "rows": rows, "schemas": schemas, "descriptions": descriptions, "released": released}


def _swap_into_place(project: Project, next_dist: Path) -> None:
    """Two renames: a kill between them leaves no dist/, which the next release restores or replaces. A rename that
    fails (Windows refuses to rename a folder while a program holds one of its files) puts the previous dist/ back."""
    previous = project.root / _PREVIOUS
    _remove(previous)
    if project.dist_dir.exists():
        _rename(project.dist_dir, previous)
    try:
        _rename(next_dist, project.dist_dir)
    except PipelineError:
        if previous.exists() and not project.dist_dir.exists():
            with contextlib.suppress(OSError):  # else the next release puts it back (_recover_interrupted_swap)
                os.rename(previous, project.dist_dir)
        raise
    shutil.rmtree(previous, ignore_errors=True)  # a file still held there is removed by the next release


_HELD = ("close what holds it (Datasette, a spreadsheet, a file explorer window, a virus scanner), then run make"
         " release again")


def _rename(source: Path, target: Path) -> None:
    try:
        os.rename(source, target)
    except OSError as exc:
        raise PipelineError(source.name, f"could not be renamed to {target.name} ({exc.strerror}): a program may hold"
                            " one of its files open; nothing else was changed", _HELD) from None


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if os.path.lexists(folder):
        left = next((path for path in sorted(folder.rglob("*")) if path.is_file()), folder)
        raise PipelineError(left.relative_to(folder.parent).as_posix(), "could not be removed: a program may hold it"
                            " open", _HELD)


def _recover_interrupted_swap(project: Project) -> None:
    """A release killed between the two renames left the previous dist/ aside: put it back."""
    previous = project.root / _PREVIOUS
    if previous.exists() and not project.dist_dir.exists():
        _rename(previous, project.dist_dir)
    else:
        _remove(previous)
    if project.dist_dir.exists() and not project.dist_dir.is_dir():
        raise PipelineError("dist", "is a file, not a folder", "remove it")
