"""Build every table from the sources, validate the result in a staging folder, then replace data/."""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..formats import citation, dictionary, notices
from . import versions
from ..formats.address import public_address
from ..formats.chart import SVG_PATH, chart_description, chart_files
from ..tables.csvfile import Content, bytes_of, size_and_sha256, write_content, write_csv
from ..formats.descriptor import (descriptor_bytes, file_integrity, package_descriptor, release_downloads,
                                  source_resources, table_resource)
from ..formats import page, versioned
from ..formats.archive import sha256_of
from ..inputs.files import CAPS, check_folder, read_input, read_input_text
from ..errors import PipelineError, Problem, Report, ValidationFailed, error
from ..checks.package import files_under, unsafe_path_reason
from ..formats.markers import replace_block
from ..progress import step
from ..inputs.project import Project
from ..inputs.schema import first_broken_constraint, first_broken_key
from ..inputs.source import DocumentTexts, SourceDocument, agreement_folders
from ..tables.rows import build_tables
from ..checks.validate import validate_package

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class BuiltPackage:
    """Everything a build writes, as exact bytes by path relative to the root, and its tables."""

    tables: dict[str, list[dict]]
    files: dict[str, Content]  # what the build writes: bytes, or for a table the file it wrote
    sources: list[SourceDocument]
    # (path, sha256, size) of curated files of the whole corpus: organizations.yaml, recognitions.yaml
    corpus_files: tuple[tuple[str, str, int], ...]
    # The page as a release holds it, given the size and sha256 of each file it lists: its links reach the release's
    # files, where the committed one's reach committed files.
    release_page: Callable[[dict[str, tuple[int, str]]], bytes]

    @property
    def inputs(self) -> list[str]:
        """The source documents and their curated files, as paths relative to the root."""
        return [path for source in self.sources for path in source.file_paths] + [file[0] for file in self.corpus_files]


def build_in_memory(project: Project) -> BuiltPackage:
    """source → parse → tables → CSV bytes and descriptor, without touching the disk."""
    project.check_inputs()
    versions.check_released_sections(project)
    release = project.releases[0]
    tables, sources, corpus_files = build_tables(agreement_folders(project), project, release)
    if set(tables) != set(project.table_names):
        unknown = sorted(set(project.table_names) - set(tables))
        project.package_file.fail(("resources",), f"lists the tables {unknown or sorted(project.table_names)}, but the"
                                  f" build makes {sorted(tables)}",
                                  "list exactly the tables the build makes, each with its schema in schemas/")
    _check_rows_meet_schemas(project, tables, sources)
    project.describe_the_text(tables["clauses"])
    # Each table's CSV goes to a temporary file, not to memory: a corpus's tables are the largest files a build makes.
    scratch = tempfile.TemporaryDirectory(prefix="tables-", ignore_cleanup_errors=True)
    files: dict[str, Content] = {project.table_path(name): write_csv(Path(scratch.name) / f"{name}.csv", tables[name],
                                                                     project.schemas[name], scratch)
                                 for name in project.table_names}
    resources = [table_resource(project, name, project.table_path(name), files[project.table_path(name)])
                 for name in project.table_names]
    resources += source_resources(sources, corpus_files)
    version, released, metadata = release.version, release.date.isoformat(), project.package_metadata

    descriptor = package_descriptor(project, version, tables["agreements"], resources)
    files[DESCRIPTOR] = descriptor_bytes(descriptor)
    del descriptor, resources  # two resources an agreement in a corpus: let go before the page is made
    files[dictionary.PATH] = dictionary.dictionary_markdown(metadata, project.schemas, tables).encode("utf-8")
    readme = read_input_text(project.root / "README.md", project.root, "README.md")
    readme = replace_block(readme, "coded agreements", "make build", dictionary.coding_status(tables["agreements"]))
    for block, content in notices.readme_blocks(tables, public_address(metadata)).items():
        readme = replace_block(readme, block, "make build", content)
    files["README.md"] = versioned.readme_with_version(readme, version).encode("utf-8")
    # The changelog's newest heading is the one place a maintainer writes the version: every other file that states it
    # is written from it.
    project.pyproject  # refused by name unless it is UTF-8 TOML, before its version line is rewritten
    files[versioned.PYPROJECT] = versioned.pyproject_with_version(project.pyproject_text, version).encode("utf-8")
    cff = citation.citation(metadata, version, released, tables["agreements"], tables["signatories"])
    files[citation.PATH] = citation.citation_cff(cff).encode("utf-8")
    files[citation.ZENODO_PATH] = citation.zenodo_json(cff).encode("utf-8")
    files[citation.BIBTEX_PATH] = citation.citation_bib(cff, metadata["name"]).encode("utf-8")
    del cff
    downloads = [(label, path if "://" in path else f"../{path}", media)
                 for label, path, media in release_downloads(project, version, sources)]
    # The size and sha256 of each listed file that a checkout holds (the tables, the descriptor, the sources); the
    # release makes the others, after the page.
    listed = {path for _, path, _ in downloads}
    known = {f"../{path}": size_and_sha256(content) for path, content in files.items() if f"../{path}" in listed}
    known.update({f"../{path}": (size, sha256) for source in sources for path, sha256, size in source.files
                  if f"../{path}" in listed})
    in_a_checkout = [(label, path, media) for label, path, media in downloads if "://" in path or path in known]

    texts = DocumentTexts(sources, project.root)  # the page shows a few agreements' documents: each is read when shown
    cite, address = citation.citation_text(metadata, version, released, tables["agreements"]), public_address(metadata)
    about_the_page = dict(metadata=metadata, version=version, released=released, tables=tables, sources=texts,
                          schemas=project.schemas, chart_svg_path=SVG_PATH.removeprefix("docs/"),
                          chart_alt=chart_description(tables), citation=cite, address=address)
    files[page.PATH] = page.page_html(**about_the_page, downloads=in_a_checkout, sizes_and_sha256=known).encode("utf-8")
    # The release's page waits for the files it sizes; it keeps the page, in a file, and a few facts, never the tables.
    template = page.page_template(**about_the_page, downloads=downloads)
    facts = page.json_ld_facts(tables)

    def release_page(sizes_and_sha256: dict[str, tuple[int, str]]) -> bytes:
        ld = page.dataset_json_ld(metadata, version, released, facts, project.schemas, cite, downloads,
                                  sizes_and_sha256, address)
        return page.with_json_ld(template, ld).encode("utf-8")

    files.update(chart_files(tables))
    return BuiltPackage(tables, files, sources, corpus_files, release_page)


def _check_rows_meet_schemas(project: Project, tables: dict[str, list[dict]], sources: list[SourceDocument]) -> None:
    """Every built value meets its column's declared constraints; the message names the schema and the source line."""
    documents = {source.agreement_id: source for source in sources}
    for name in project.table_names:
        # Each agreement's rows were checked for their columns and types as they were made.
        rows, schema = tables[name], project.schemas[name]
        broken = first_broken_constraint(rows, schema)
        if broken is None:
            continue
        row_index, field_index, rule, value = broken
        row, field = rows[row_index], schema["fields"][field_index]
        read_from = ""
        if row.get("agreement_id") in documents and isinstance(row.get("char_start"), int):
            document = documents[row["agreement_id"]]
            line = document.document_text(project.root)[: row["char_start"]].count("\n") + 1
            read_from = f", read from {document.relative_path}, line {line},"
        declared = field["constraints"][rule]
        what = f"{field['name']} is empty" if rule == "required" else f"the value {value!r} of {field['name']}"
        raise PipelineError(
            f"schemas/{name}.json (fields[{field_index}].constraints.{rule})",
            f"{what}{read_from} and breaks the constraint {rule}: {json.dumps(declared)} (row {row_index + 2} of"
            f" {project.table_path(name)})",
            "if the schema was edited, restore the constraint; if the value is wrong, correct the input it is read"
            " from",
        )
    broken_key = first_broken_key(tables, project.schemas)
    if broken_key:
        name, path, problem = broken_key
        raise PipelineError(f"schemas/{name}.json ({path})", problem,
                            "if the schema was edited, restore the key; the build makes the rows from the sources")


def build(project: Project, force: bool = False) -> tuple[BuiltPackage, Report]:
    """Build, validate in a staging folder, and only then replace the files of data/."""
    with step("building the tables from the sources"):
        built = build_in_memory(project)
    guard_outputs(project, built, force)
    with staged_checkout(project, built) as stage, step("validating the build (frictionless and the project's checks)"):
        report = validate_package(stage / DESCRIPTOR, frictionless_scope="tables")
    if not report.ok:
        raise ValidationFailed(report, "the build is invalid, so data/ was left as it was")
    write_outputs(project, built.files)
    return built, report


def guard_outputs(project: Project, built: BuiltPackage, force: bool) -> None:
    """Before data/ is replaced by `built`: nothing edited by hand would be lost, nothing half-written is left."""
    on_disk = []  # one listing of data/ for both: a corpus has tens of thousands of files
    for relative in files_under(project.root, project.data_dir.relative_to(project.root).as_posix()):
        if fnmatch.fnmatch(relative.rsplit("/", 1)[-1], ".*.tmp-*"):
            (project.root / relative).unlink()  # from a build killed while replacing a file; the file itself is whole
        else:
            on_disk.append(relative)
    if not force:
        _refuse_to_overwrite_hand_edits(project, built, sorted(on_disk))


def check_output_folders(project: Project, files: Mapping[str, Content]) -> None:
    """Every folder the outputs go to is a real folder of the checkout (a link would write outside it)."""
    for folder in sorted({Path(relative).parent.as_posix() for relative in files} - {"."}):
        for part in [*reversed(Path(folder).parents[:-1]), Path(folder)]:  # docs, then docs/figures
            check_folder(project.root / part, project.root, part.as_posix())


def write_outputs(project: Project, files: Mapping[str, Content]) -> None:
    """Replace each output file atomically; the descriptor last, as it describes the others."""
    check_output_folders(project, files)
    for relative in sorted(files, key=lambda path: path == DESCRIPTOR):
        write_if_changed(project.root / relative, files[relative])


@contextlib.contextmanager
def staged_checkout(project: Project, built: BuiltPackage) -> Iterator[Path]:
    """A throw-away copy of the package with the built files, inside the root so paths stay safe."""
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=project.root))
    try:
        shutil.copytree(project.schema_dir, stage / "schemas")
        shutil.copy2(project.root / "CHANGELOG.md", stage / "CHANGELOG.md")
        for relative in built.inputs:
            (stage / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(project.root / relative, stage / relative)
        for relative, content in built.files.items():
            (stage / relative).parent.mkdir(parents=True, exist_ok=True)
            write_content(stage / relative, content)
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def write_if_changed(path: Path, content: Content) -> None:
    """Replace a file atomically: a reader sees the old bytes or the new ones, never a mix (a link is replaced, never
    written through)."""
    size, sha256 = size_and_sha256(content)
    if path.is_file() and not path.is_symlink() and path.stat().st_size == size and sha256_of(path) == sha256:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write_content(temporary, content)
    with temporary.open("rb+") as stream:
        os.fsync(stream.fileno())
    os.replace(temporary, path)


def _refuse_to_overwrite_hand_edits(project: Project, built: BuiltPackage, on_disk: list[str]) -> None:
    """data/ and datapackage.json are build outputs; a change made to them by hand is never lost silently."""
    path = project.descriptor_path
    if not os.path.lexists(path):
        return  # the first build: nothing recorded, nothing to protect
    restore = "restore it with 'git checkout -- {path}', or run 'make build FORCE=1' to overwrite it with a fresh build"
    try:
        descriptor = json.loads(read_input(path, project.root, DESCRIPTOR, CAPS["built"]["max_bytes"]).decode("utf-8"))
        resources = [(r["path"], r.get("type"), {k: r.get(k) for k in ("bytes", "hash")})
                     for r in descriptor["resources"]]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise PipelineError(DESCRIPTOR, f"cannot be read ({exc}), so the build cannot tell what was changed by hand",
                            restore.format(path=DESCRIPTOR)) from None
    version = descriptor.get("version")
    if version not in project.changelog_versions():
        raise PipelineError(
            DESCRIPTOR, f"version {version!r} is not a release heading of CHANGELOG.md: the version is taken from"
            " CHANGELOG.md and never edited here",
            restore.format(path=DESCRIPTOR) + "; to release a new version, add its heading to CHANGELOG.md",
        )
    for relative, kind, recorded in resources:
        reason = unsafe_path_reason(relative)
        if reason:
            raise PipelineError(DESCRIPTOR, f"resource path {relative!r} is unsafe: {reason}",
                                restore.format(path=DESCRIPTOR))
        file = project.root / relative
        if kind != "table":
            continue  # sources are inputs, checked against their own recorded sha256
        if not os.path.lexists(file):
            problem = "is missing, though datapackage.json describes it"
        elif recorded != file_integrity(read_input(file, project.root, relative, CAPS["built"]["max_bytes"])):
            problem = "was changed since the last build: its bytes or sha256 differ from what datapackage.json records"
        else:
            continue
        raise PipelineError(relative, f"{problem}. Tables are built from the source and never edited by hand",
                            restore.format(path=relative))
    known = set(built.files) | set(built.inputs)
    for relative in on_disk:
        if relative not in known:
            raise PipelineError(
                relative, "is not a table of schemas/ nor a source document, so the package would not describe it",
                "remove it, or add its table to metadata/package.yaml and schemas/",
            )


def stale_files(project: Project) -> list[Problem]:
    """Files on disk that differ from a fresh build: the committed data/ must always equal one."""
    built = build_in_memory(project)
    problems = []
    for relative, content in sorted(built.files.items()):
        file = project.root / relative
        if not os.path.lexists(file):
            continue  # reported as a missing file
        on_disk, expected = read_input(file, project.root, relative, CAPS["built"]["max_bytes"]), bytes_of(content)
        if on_disk != expected:
            line = _first_differing_line(on_disk, expected)
            problems.append(error("stale", relative, f"differs from a fresh build of the source from line {line} on;"
                                  " run 'make build'", row=line))
    return problems


def _first_differing_line(old: bytes, new: bytes) -> int:
    old_lines, new_lines = old.split(b"\n"), new.split(b"\n")
    same = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b),
                min(len(old_lines), len(new_lines)))
    return same + 1
