"""Write a value into each output context so that no value can end its context: Markdown, HTML, JSON inside HTML."""

from __future__ import annotations

import html
import re

# Characters that start inline Markdown (code, emphasis, links, images, raw HTML, entities, GFM tables and
# strikethrough) wherever they stand, and an underscore at the edge of a word (inside one, as in act_actors, it is a
# letter to CommonMark); a backslash makes each a literal character.
_MARKDOWN_INLINE = re.compile(r"([\\`*\[\]<>&~|!]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
# In JSON inside <script>, "<" could open "</script>" or "<!--", which ends or changes the script's parsing, and
# U+2028/U+2029 end a line in old JavaScript: each is written as \uXXXX, which JSON reads back as the same character.
_JSON_IN_SCRIPT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def markdown_code(text: object) -> str:
    """A Markdown code span that holds the text exactly, on one line (lines are joined with a space)."""
    text = " ".join(str(text).splitlines())
    if not text:
        return ""  # no code span can be empty: two backticks are text
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    # A backtick at an end would join the fence; and CommonMark takes one space off each end of a span that
    # starts and ends with one, unless it is nothing but spaces. Then, and only then, a space pads each end.
    spaced = text.startswith(" ") and text.endswith(" ") and text.strip(" ")
    pad = " " if text.startswith("`") or text.endswith("`") or spaced else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_text(text: str) -> str:
    """Text that Markdown shows as it is, on one line: every character that starts markup is escaped."""
    return _MARKDOWN_INLINE.sub(lambda match: "\\" + match.group(), " ".join(text.splitlines()))


def json_in_script(json_text: str) -> str:
    """JSON text that can stand inside an HTML <script> element and parse back to the same value."""
    return re.sub("[<>&\u2028\u2029]", lambda match: _JSON_IN_SCRIPT[match.group()], json_text)


def html_text(text: object) -> str:
    """Text that HTML shows as it is, in an element or a quoted attribute (quotes are escaped too). A carriage
    return is written as a character reference: HTML parsers turn a raw one into a line feed."""
    return html.escape(str(text)).replace("\r", "&#13;")
