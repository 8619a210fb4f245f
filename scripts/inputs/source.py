"""Find each agreement's folder, check its curated files against their contracts and read its document's exact bytes."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError
from .curated import CuratedFile, file_entry, load_curated
from .files import CAPS, control_characters, describe_character, read_input
from .project import Project

METADATA_FILE = "agreement.yaml"
CODING_FILE = "coding.yaml"
# Curated files that may stand beside a document, and the resource name prefix of each.
CURATED_FILES = {METADATA_FILE: "metadata", CODING_FILE: "coding"}
CODED, NOT_CODED = "coded", "not coded yet"


@dataclass(frozen=True)
class SourceDocument:
    """One agreement as received: its decoded text and the curated facts beside it."""

    folder: Path
    agreement_id: str
    curated: CuratedFile | None  # agreement.yaml, checked against its contract; None once its rows are made
    text: str | None  # None once its rows are made: document_text reads it again
    sha256: str
    relative_path: str  # of the document, from the project root, with forward slashes
    # (path from the root, sha256, size in bytes) of the document and each curated file beside it, as read
    files: tuple[tuple[str, str, int], ...] = ()

    @property
    def file_paths(self) -> list[str]:
        return [path for path, _, _ in self.files]

    @property
    def metadata(self) -> dict:
        if self.curated is None:
            raise ValueError(f"the curated values of {self.agreement_id} were let go once its rows were made")
        return self.curated.data

    def without_contents(self, coding: CuratedFile | None) -> SourceDocument:
        """The document without its text or curated values, once its rows are made, with the sha256 and size of its
        files as they were read (its coding.yaml, if it has one, read by the caller): a corpus's texts and curated
        values would otherwise stay in memory to the end."""
        files = ((self.relative_path, self.sha256, len(self.text.encode("utf-8"))),)
        for curated in (self.curated, coding):
            files += file_entry(curated, curated.relative) if curated else ()
        return dataclasses.replace(self, curated=None, text=None, files=files)

    def document_text(self, root: Path) -> str:
        """The document's text, read again from its file if it was let go, and refused if its bytes changed since."""
        if self.text is not None:
            return self.text
        raw = read_input(root / self.relative_path, root, self.relative_path, CAPS["document"]["max_bytes"])
        if hashlib.sha256(raw).hexdigest() != self.sha256:
            raise PipelineError(self.relative_path, "changed while the build read the corpus",
                                "build again once it is as received")
        return decode_document(raw, self.relative_path)

    @property
    def is_coded(self) -> bool:
        return self.metadata["coding"]["value"] == CODED


class DocumentTexts(Mapping):
    """Each agreement's document text by agreement_id, read from its file when asked: a corpus's texts are not kept."""

    def __init__(self, sources: list[SourceDocument], root: Path):
        self._sources, self._root = {source.agreement_id: source for source in sources}, root

    def __getitem__(self, agreement_id: str) -> str:
        return self._sources[agreement_id].document_text(self._root)

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


def agreement_folders(project: Project) -> list[Path]:
    """Every agreement's folder under data/source/, in name order so that builds are reproducible."""
    source = project.source_dir
    folders = sorted(path for path in source.iterdir() if path.is_dir()) if source.is_dir() else []
    if not folders:
        raise PipelineError("data/source", f"no agreement found: expected folders holding {METADATA_FILE} and a "
                            "document", "add data/source/<agreement_id>/ with document.txt and agreement.yaml (see "
                            "README, 'Adding an agreement')")
    return folders


def read_source(folder: Path, project: Project) -> SourceDocument:
    root = project.root
    metadata_path = folder / METADATA_FILE
    if not metadata_path.is_file():
        raise PipelineError(metadata_path.relative_to(root).as_posix(), "file not found: every folder under "
                            "data/source/ is an agreement and needs one",
                            "add it (copy another agreement's as a model), or remove the folder")
    curated = load_curated(metadata_path, root, "agreement", project.schemas)
    agreement_id = curated.data["agreement_id"]["value"]
    if agreement_id != folder.name:
        curated.fail(("agreement_id", "value"), f"agreement_id {agreement_id!r} differs from its folder's name "
                     f"{folder.name!r}", "name the folder data/source/<agreement_id>/")
    _check_coding_is_there(curated, folder)
    document_path = folder / curated.data["document"]["file"]
    relative = document_path.relative_to(root).as_posix()
    if not os.path.lexists(document_path):
        curated.fail(("document", "file"), f"the document {relative} does not exist",
                     "put the document beside agreement.yaml, or correct document.file")
    raw = read_input(document_path, root, relative, CAPS["document"]["max_bytes"])
    text = decode_document(raw, relative)
    digest = hashlib.sha256(raw).hexdigest()
    recorded = curated.data["document"]["sha256"]
    if digest != recorded:
        raise PipelineError(relative, f"its bytes changed: sha256 is {digest}, but "
                            f"{curated.where('document', 'sha256')} records {recorded}",
                            "restore the document exactly as received (it is never edited by hand); if a new "
                            "version was really received, record its sha256 and say so in CHANGELOG.md")
    _refuse_undeclared_control_characters(text, relative, curated)
    return SourceDocument(folder, agreement_id, curated, text, digest, relative)


def _refuse_undeclared_control_characters(text: str, relative: str, curated: CuratedFile) -> None:
    """A document's control and format characters, but its line ends, are refused unless agreement.yaml declares each
    with a reason."""
    declared = [chr(int(item["code_point"][2:], 16)) for item in curated.data["document"].get("format_characters", [])]
    found = control_characters(text, allowed="\n" + "".join(declared))
    if found:
        offset, char = found[0]
        more = f" ({len(found) - 1:,} more such character(s) after it)" if len(found) > 1 else ""
        raise PipelineError(f"{relative}, line {text[:offset].count(chr(10)) + 1}",
                            f"holds {describe_character(char)} at character {offset:,}, a control or format character "
                            f"that makes text read other than it shows{more}", "if the document was received so, "
                            f"declare it in {curated.relative} under document.format_characters, with code_point: "
                            f"U+{ord(char):04X} and the reason; else restore the document as received")


def _check_coding_is_there(curated: CuratedFile, folder: Path) -> None:
    """Coding is complete or explicitly absent: agreement.yaml says which, and coding.yaml agrees."""
    status = curated.data["coding"]["value"]
    present = (folder / CODING_FILE).is_file()
    if status == CODED and not present:
        curated.fail(("coding", "value"), f"says the agreement is {CODED!r}, but {CODING_FILE} is missing beside it",
                     f"restore {CODING_FILE} (git checkout), or write value: {NOT_CODED} if it has not been coded yet")
    if status == NOT_CODED and present:
        curated.fail(("coding", "value"), f"says {NOT_CODED!r}, but {CODING_FILE} stands beside it",
                     f"write value: {CODED}, or remove {CODING_FILE}")


def decode_document(raw: bytes, relative: str) -> str:
    """The document's text: UTF-8 without a byte-order mark, with LF line endings, as the layout is read."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PipelineError(f"{relative}, line {line}",
                            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be decoded",
                            "save the document as UTF-8") from None
    if text.startswith("\ufeff"):
        raise PipelineError(f"{relative}, line 1", "starts with a byte-order mark (BOM)",
                            "save it as UTF-8 without a BOM")
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        kind = "CRLF (Windows)" if "\r\n" in text else "CR"
        raise PipelineError(f"{relative}, line {line}",
                            f"has {kind} line endings: the layout is read from LF line endings only",
                            "restore the document as received (it has LF line endings); spans count code points of "
                            "those bytes")
    return text
