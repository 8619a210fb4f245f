"""Replace a generated block between two markers of a hand-written document, such as the README."""

from __future__ import annotations

from ..errors import PipelineError


def replace_block(text: str, name: str, writer: str, content: str, where: str = "README.md") -> str:
    """`text` with the block '<!-- {name}: written by {writer} -->' … '<!-- end of {name} -->' holding `content`."""
    start, end = f"<!-- {name}: written by {writer} -->", f"<!-- end of {name} -->"
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise PipelineError(where, f"needs the markers {start!r} and {end!r}, once each and in that order", "restore them from git")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{content}\n{end}{after}"
