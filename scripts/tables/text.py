"""White-space normalization, the only change made to the source's text, and span helpers."""

from __future__ import annotations

import re
import unicodedata

# Any run of white space, including no-break spaces (U+00A0) and line breaks inside a paragraph.
_WHITE_SPACE_RUN = re.compile(r"\s+")


def normalize(text: str) -> str:
    """No-break spaces become spaces, runs of white space collapse to one space, NFC, trimmed."""
    return unicodedata.normalize("NFC", _WHITE_SPACE_RUN.sub(" ", text)).strip()


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) of text so that it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
