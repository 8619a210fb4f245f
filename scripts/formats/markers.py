"""Replace a generated block between two markers of a hand-written document, such as the README."""

from __future__ import annotations

from ..errors import PipelineError


def _markers(name: str, writer: str) -> tuple[str, str]:
    return f"<!-- {name}: written by {writer} -->", f"<!-- end of {name} -->"


def block(text: str, name: str, writer: str = "make build") -> str:
    """What the block of that name holds now, without its markers; empty where the text has none."""
    start, end = _markers(name, writer)
    return text.split(start, 1)[-1].split(end, 1)[0].strip("\n") if start in text and end in text else ""


def replace_block(text: str, name: str, writer: str, content: str, where: str = "README.md") -> str:
    """`text` with the block '<!-- {name}: written by {writer} -->' … '<!-- end of {name} -->' holding `content`."""
    start, end = _markers(name, writer)
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise PipelineError(where, f"needs the markers {start!r} and {end!r}, once each and in that order",
                            "restore them from git")
    before, rest = text.split(start, 1)
    return f"{before}{start}\n{content}\n{end}{rest.split(end, 1)[1]}"
