"""The validator as a wheel a release attaches: this version's own checks, for pip to install with the lock's pins."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

from .archive import zip_entry

# The code and what it reads at import (contracts/: the v2 profiles, the input caps, the changelog's grammar), laid out
# as in a checkout, so that the installed validator runs the very modules `make validate` runs.
PACKAGED_FOLDERS = ("scripts", "contracts")
# The code that runs, which a test's copy of the package does not change.
CODE_ROOT = Path(__file__).resolve().parents[2]


def wheel_name(distribution: str, version: str) -> str:
    """The wheel's file name, as pip expects it (PEP 427: the name's dashes become underscores)."""
    return f"{distribution.replace('-', '_')}-{version}-py3-none-any.whl"


def wheel_files(root: Path) -> list[str]:
    """The files the wheel carries, relative to root, sorted: no cache, nothing but source and data."""
    return sorted(path.relative_to(root).as_posix()
                  for folder in PACKAGED_FOLDERS for path in (root / folder).rglob("*") if path.is_file()
                  and "__pycache__" not in path.parts and (folder != "scripts" or path.suffix == ".py"))


def write_wheel(root: Path, target: Path, distribution: str, version: str, summary: str, requires: list[str]) -> None:
    """A wheel whose bytes depend only on the files it holds: entries sorted, fixed time and modes, RECORD last."""
    info = f"{distribution.replace('-', '_')}-{version}.dist-info"
    entries = [(relative, (root / relative).read_bytes()) for relative in wheel_files(root)]
    metadata = (f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\nSummary: {summary}\n"
                "Requires-Python: >=3.11\n" + "".join(f"Requires-Dist: {requirement}\n" for requirement in requires))
    entries += [(f"{info}/METADATA", metadata.encode("utf-8")),
                (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: scripts.formats.wheel\nRoot-Is-Purelib: true\n"
                                  b"Tag: py3-none-any\n")]
    record = "".join(f"{relative},sha256={_urlsafe_sha256(content)},{len(content)}\n" for relative, content in entries)
    entries.append((f"{info}/RECORD", (record + f"{info}/RECORD,,\n").encode("utf-8")))
    with zipfile.ZipFile(target, "w") as archive:
        for relative, content in entries:
            archive.writestr(zip_entry(relative), content)


def _urlsafe_sha256(content: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode("ascii")
