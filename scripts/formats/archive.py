"""Pack the release into one zip, byte-identical on every run, and list every file's sha256 as sha256sum does."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

SUMS = "SHA256SUMS"  # beside the zip, naming it
# In the release folder, naming its files: another name than the one beside the zip, so that unzipping the release
# where it was downloaded never writes over the SHA256SUMS that names the zip (releases before 1.8.0 named both
# SHA256SUMS).
FOLDER_SUMS = "files.sha256"
_COMPRESSED_ALREADY = (".parquet", ".xlsx", ".png", ".zip")


def zip_entry(relative: str, compress_type: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A zip entry that says nothing of the machine or the hour: the earliest time a zip holds, mode 644, Unix."""
    entry = zipfile.ZipInfo(relative, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = compress_type
    entry.external_attr = 0o644 << 16
    entry.create_system = 3
    return entry


def write_zip(folder: str, paths: list[str], target: str) -> None:
    """A zip whose bytes depend only on the files, entries in the order given. Files that are compressed already
    (Parquet, the workbook, PNG) are stored as they are: deflating them again would cost time and save nothing."""
    with zipfile.ZipFile(target, "w") as archive:
        for relative in paths:
            # datapackage.json at the zip's root: frictionless opens the zip as the package itself.
            entry = zip_entry(relative, zipfile.ZIP_STORED if relative.endswith(_COMPRESSED_ALREADY) else
                              zipfile.ZIP_DEFLATED)
            with open(os.path.join(folder, relative), "rb") as source, archive.open(entry, "w") as stream:
                shutil.copyfileobj(source, stream, 1 << 20)


def sha256sums(digests: dict[str, str]) -> bytes:
    """sha256 by path relative to the file's own folder, in the format of sha256sum, so that 'sha256sum -c SHA256SUMS'
    checks a download there."""
    return "".join(f"{digests[path]}  {path}\n" for path in sorted(digests)).encode()


def sha256_of(path: Path) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def flush_to_disk(folder: Path) -> None:
    """Every file below the folder is on the disk, before the folder is renamed into place: os.sync flushes them all
    in one call where the platform has it (Linux, macOS), far faster than an fsync a file, the way elsewhere."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in folder.rglob("*"):
        if path.is_file():
            # Windows flushes only a file opened for writing; appending nothing changes nothing.
            with path.open("ab") as stream:
                os.fsync(stream.fileno())
