"""Find each agreement's folder, check its curated metadata and read its document's exact bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import PipelineError
from .project import Project, read_yaml

METADATA_FILE = "agreement.yaml"
# Curated files that may stand beside a document, and the resource name prefix of each.
CURATED_FILES = {METADATA_FILE: "metadata", "coding.yaml": "coding"}
_REQUIRED = {
    "agreement_id": ("value", "source"),
    "document": ("file", "sha256", "source"),
    "language": ("value", "source"),
    "publisher": ("value", "source"),
    "source_url": ("value", "source"),
}


@dataclass(frozen=True)
class SourceDocument:
    """One agreement as received: its decoded text and the curated facts beside it."""

    folder: Path
    metadata: dict
    text: str
    sha256: str
    relative_path: str  # of the document, from the project root, with forward slashes

    @property
    def agreement_id(self) -> str:
        return self.metadata["agreement_id"]["value"]

    @property
    def metadata_path(self) -> Path:
        return self.folder / METADATA_FILE

    def curated_files(self) -> list[tuple[str, Path]]:
        """(resource prefix, path) of each curated file present beside the document."""
        return [(prefix, self.folder / name) for name, prefix in CURATED_FILES.items() if (self.folder / name).is_file()]


def discover(project: Project) -> list[SourceDocument]:
    """Every agreement under data/source/, in folder-name order so that builds are reproducible."""
    folders = sorted(path.parent for path in project.source_dir.glob(f"*/{METADATA_FILE}"))
    if not folders:
        raise PipelineError(
            str(project.source_dir),
            f"no agreement found: expected folders holding {METADATA_FILE} and a document",
        )
    return [read_source(folder, project.root) for folder in folders]


def read_source(folder: Path, root: Path) -> SourceDocument:
    metadata_path = folder / METADATA_FILE
    metadata = read_yaml(metadata_path)
    _check_metadata(metadata, metadata_path, folder)
    document_path = folder / metadata["document"]["file"]
    try:
        raw = document_path.read_bytes()
    except FileNotFoundError:
        raise PipelineError(str(document_path), "document not found", f"check 'document.file' in {metadata_path}") from None
    text = decode_utf8(raw, document_path)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != metadata["document"]["sha256"]:
        raise PipelineError(
            str(document_path),
            f"its bytes changed: sha256 is {digest}, but {metadata_path} records "
            f"{metadata['document']['sha256']}",
            "restore the document exactly as received (it is never edited by hand); if a new "
            "version was really received, record its sha256 and say so in CHANGELOG.md",
        )
    return SourceDocument(folder, metadata, text, digest, document_path.relative_to(root).as_posix())


def decode_utf8(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PipelineError(
            f"{path}, line {line}",
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be decoded",
            "save the document as UTF-8",
        ) from None
    if text.startswith("\ufeff"):
        raise PipelineError(f"{path}, line 1", "starts with a byte-order mark (BOM)", "save it as UTF-8 without a BOM")
    return text


def _check_metadata(metadata: dict, path: Path, folder: Path) -> None:
    for key, subkeys in _REQUIRED.items():
        entry = metadata.get(key)
        if not isinstance(entry, dict):
            raise PipelineError(str(path), f"'{key}' is missing", f"add '{key}' with {', '.join(subkeys)}")
        for subkey in subkeys:
            if entry.get(subkey) in (None, ""):
                raise PipelineError(str(path), f"'{key}.{subkey}' is missing or empty", "every curated value says what it is and where it comes from")
    agreement_id = metadata["agreement_id"]["value"]
    if agreement_id != folder.name:
        raise PipelineError(
            str(path),
            f"agreement_id '{agreement_id}' differs from its folder name '{folder.name}'",
            "name the folder data/source/<agreement_id>/",
        )
