"""Write datapackage.json from the curated package metadata, the schemas and the built files."""

from __future__ import annotations

import json

from . import archive, registry
from .address import public_address
from ..inputs.project import Project
from ..inputs.source import CURATED_FILES, SourceDocument
from ..tables.csvfile import Content, size_and_sha256

DESCRIPTOR_PATH = "datapackage.json"

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
CHANGES_DESCRIPTION = ("One row per change to the tables in every release since the first, each naming the version"
                       " it came in and the one before: a row, column or table added or removed, or a cell changed,"
                       " with its old and new value.")


def file_integrity(content: Content) -> dict:
    size, sha256 = size_and_sha256(content)
    return _integrity(sha256, size)


def _integrity(sha256: str, size: int) -> dict:
    return {"bytes": size, "hash": f"sha256:{sha256}"}


def descriptor_bytes(descriptor: dict) -> bytes:
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def table_resource(project: Project, name: str, path: str, content: Content,
                   fmt: registry.Format = registry.CSV) -> dict:
    curated = next(resource for resource in project.package_metadata["resources"] if resource["name"] == name)
    return _resource(name, path, content, fmt, curated["title"], curated["description"], f"schemas/{name}.json")


def changes_resource(path: str, content: bytes, schema: str, fmt: registry.Format = registry.CSV) -> dict:
    """The release's table of changes in every release since the first, described and validated like every table."""
    return _resource(registry.CHANGES, path, content, fmt, registry.CHANGES_LABEL, CHANGES_DESCRIPTION, schema)


def _resource(name: str, path: str, content: Content, fmt: registry.Format, title: str, description: str,
              schema: str) -> dict:
    csv = fmt is registry.CSV
    resource = {
        "name": name if csv else f"{name}-{fmt.name}", "type": "table", "path": path, "scheme": "file",
        "format": fmt.name, "mediatype": fmt.media_type, **({"encoding": "utf-8"} if csv else {}),
        "title": title if csv else fmt.label_of(title), "description": description, "schema": schema,
        **file_integrity(content),
    }
    if fmt is registry.PARQUET:
        # frictionless 5.21 cannot count a Parquet file's bytes and fails any declared "bytes";
        # it ignores "hash", which scripts/checks/integrity.py verifies instead.
        del resource["bytes"]
    return resource


def release_downloads(project: Project, version: str, sources: list[SourceDocument]) -> list[tuple[str, str, str]]:
    """(label, path from the release folder, media type) of every file a user downloads from a release."""
    name = project.package_metadata["name"]
    files = [("The Data Package descriptor", DESCRIPTOR_PATH, "application/json")]
    files += registry.table_files(project.table_names) + registry.release_files(name)
    files += [(f"The source document of {source.agreement_id}", source.relative_path, "text/plain")
              for source in sources]
    files += [("Checksums of these files, for sha256sum -c", archive.FOLDER_SUMS, "text/plain")]
    # The zip lies beside the folder, not in it: only its public address reaches it.
    if (address := public_address(project.package_metadata)):
        files += [("The whole release (zip)", address.download(version, f"{name}-{version}.zip"), "application/zip")]
    return files


def source_resources(sources: list[SourceDocument], corpus_files: tuple[tuple[str, str, int], ...]) -> list[dict]:
    """The source documents and the curated files beside them, so that every file under data/ is described.

    They have no "type": Data Package v2 allows only "table" there. frictionless still checks
    their hash and bytes, which are those of the files as the build read them.
    """
    resources = []
    for source in sources:
        (document, sha256, size), *curated = source.files
        resources.append({
            "name": f"source-{source.agreement_id}", "path": document, "format": "txt", "mediatype": "text/plain",
            "encoding": "utf-8", "title": f"Source document of {source.agreement_id}, byte for byte as received",
            "description": "Never edited. Text fields of the tables are white-space normalized copies of spans of it.",
            **_integrity(sha256, size),
        })
        for relative, sha256, size in curated:
            prefix = CURATED_FILES[relative.rsplit("/", 1)[-1]]
            resources.append(_yaml(f"{prefix}-{source.agreement_id}", relative, f"{_CURATED_TITLES[prefix]} of "
                                   f"{source.agreement_id}", _CURATED_DESCRIPTIONS[prefix], sha256, size))
    for relative, sha256, size in corpus_files:
        name, title, description = _CORPUS_FILES[relative.rsplit("/", 1)[-1]]
        resources.append(_yaml(name, relative, title, description, sha256, size))
    return resources


def _yaml(name: str, path: str, title: str, description: str, sha256: str, size: int) -> dict:
    return {"name": name, "path": path, "format": "yaml", "mediatype": "application/yaml", "title": title,
            "description": description, **_integrity(sha256, size)}


# Each curated file of the whole corpus: its resource's name, title and description.
_CORPUS_FILES = {
    "organizations.yaml": ("organizations-curated", "Curated organizations of the corpus",
                           "Who each signatory entry is: each organization's names and facts, every one a verbatim"
                           " quote from a cited public page, and each entry resolved to one or left unresolved with"
                           " the reason."),
    "recognitions.yaml": ("recognitions-curated", "Curated recognitions of the corpus",
                          "The states each agreement thanks for having recognized the genocide of the Uyghurs: each"
                          " recognition a verbatim quote from a cited public page, dated before the signing; an"
                          " inference, since the text names no nation."),
}


_CURATED_TITLES = {"metadata": "Curated metadata", "coding": "Curated coding"}
_CURATED_DESCRIPTIONS = {
    "metadata": "The facts that cannot be derived from the document, each with where it comes from.",
    "coding": "The acts, actors and events of each clause, with their spans: an interpretation by the rules of"
              " docs/codebook.md.",
}


def package_descriptor(project: Project, version: str, agreements: list[dict], resources: list[dict]) -> dict:
    metadata = project.package_metadata
    return {
        "$schema": PROFILE, "name": metadata["name"], "title": metadata["title"],
        "description": metadata["description"].strip(), "version": version,
        **({"homepage": address.repository} if (address := public_address(metadata)) else {}),
        "keywords": metadata["keywords"], "licenses": metadata["licenses"], "contributors": metadata["contributors"],
        "sources": [{"title": f"{agreement['publisher']}: {agreement['title']}", "path": agreement["source_url"]}
                    for agreement in agreements],
        "resources": resources,
    }
