"""White-space normalization, the only change made to the source's text."""

from __future__ import annotations

import re
import unicodedata

# Any run of white space, including no-break spaces (U+00A0) and line breaks inside a paragraph.
_WHITE_SPACE_RUN = re.compile(r"\s+")


def normalize(text: str) -> str:
    """No-break spaces become spaces, runs of white space collapse to one space, NFC, trimmed."""
    return unicodedata.normalize("NFC", _WHITE_SPACE_RUN.sub(" ", text)).strip()

