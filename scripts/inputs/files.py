"""Read an input of the checkout: a regular file inside it, no larger than its contract allows, never through a link."""

from __future__ import annotations

import json
import os
import stat
import unicodedata
from pathlib import Path

from ..errors import PipelineError

# The caps each kind of input is held to, declared in contracts/inputs.json.
CAPS = json.loads((Path(__file__).resolve().parents[2] / "contracts" / "inputs.json").read_text(encoding="utf-8"))
_OUTSIDE = "lies outside the checkout, through a linked folder"


def read_input(path: Path, root: Path, relative: str, max_bytes: int | None = None) -> bytes:
    """The file's bytes, refused by name (its content is never quoted) unless it is a regular file inside `root` of at
    most `max_bytes` (by default, the cap of "other" inputs).

    A symlink is refused, whatever it points to: git stores links, and a reader that follows one would publish a file
    from outside the checkout. So are FIFOs and devices, which would block or never end.
    """
    max_bytes = CAPS["other"]["max_bytes"] if max_bytes is None else max_bytes
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        raise PipelineError(relative, "file not found") from None
    except OSError as exc:
        raise PipelineError(relative, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISLNK(status.st_mode):
        raise PipelineError(relative, "is a symbolic link: inputs are regular files of the checkout, and a link is "
                            "never followed", "replace the link by the file itself")
    if not stat.S_ISREG(status.st_mode):
        raise PipelineError(relative, f"is not a regular file (it is {_kind(status.st_mode)})",
                            "replace it by a regular file")
    if not inside(path, root):
        raise PipelineError(relative, _OUTSIDE, "replace the linked folder by a real one")
    if status.st_size > max_bytes:
        raise PipelineError(relative, f"is {status.st_size:,} bytes long, over the {max_bytes:,} its contract allows",
                            "check that it is the right file; the caps are declared in contracts/")
    with open(path, "rb") as stream:
        # Read what the file holds, never a buffer the size of the cap: a cap of 2 GB would be allocated whole.
        content = stream.read(min(max_bytes, os.fstat(stream.fileno()).st_size) + 1)
        while len(content) <= max_bytes and (more := stream.read(min(1 << 20, max_bytes + 1 - len(content)))):
            content += more  # it grew after it was measured
    if len(content) > max_bytes:
        raise PipelineError(relative, f"is over the {max_bytes:,} bytes its contract allows",
                            "check that it is the right file")
    return content


def read_input_text(path: Path, root: Path, relative: str, max_bytes: int | None = None) -> str:
    """read_input's bytes as UTF-8 text, refused by name where they are not."""
    try:
        return read_input(path, root, relative, max_bytes).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(relative, f"not UTF-8 (byte {exc.start})", "save it as UTF-8") from None


def inside(path: Path, root: Path) -> bool:
    """Whether the path, its links resolved, stays inside root."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def check_folder(path: Path, root: Path, relative: str) -> None:
    """A folder the pipeline writes into: not a link, and inside the checkout."""
    if path.is_symlink():
        raise PipelineError(relative, "is a symbolic link: the pipeline writes only inside the checkout, and never "
                            "through a link", "remove the link (git rm), and run the command again")
    if path.exists() and not inside(path, root):
        raise PipelineError(relative, _OUTSIDE, "replace the linked folder by a real one")


def _kind(mode: int) -> str:
    kinds = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
             stat.S_IFSOCK: "a socket"}
    return kinds.get(stat.S_IFMT(mode), "not a file")


def control_characters(text: str, allowed: str = "") -> list[tuple[int, str]]:
    """(offset, character) of each control or format character (Unicode categories Cc and Cf) in the text, but those
    `allowed`. They are invisible, or change how text around them shows (U+202E turns it right to left; U+200B hides
    between letters; ESC drives a terminal), so text holding them reads other than it is."""
    bad = {char for char in set(text) if char not in allowed and unicodedata.category(char) in ("Cc", "Cf")}
    return [(offset, char) for offset, char in enumerate(text) if char in bad] if bad else []


def describe_character(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE', as a message names a character."""
    name = unicodedata.name(char, "")  # control characters have no name in Unicode's database
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X} (a control character)"
