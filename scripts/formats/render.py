"""Render HTML from the Jinja2 templates in templates/: the markup lives there, every value escaped for its context."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .escape import html_text, json_in_script

TEMPLATES = Path(__file__).with_name("templates")


def _escaped(value: object) -> object:
    """Every value a template writes, escaped as html_text escapes it: autoescape alone would leave a carriage return
    raw, which an HTML parser reads as a line feed. Markup (a filter's own output) is written as it is."""
    return value if isinstance(value, Markup) else Markup(html_text(value))


def json_ld(value: object) -> Markup:
    """JSON for a <script type="application/ld+json">: every <, >, &, U+2028 and U+2029 written as \\uXXXX, so that
    no value can end the script or change how it is parsed."""
    return Markup(json_in_script(json.dumps(value, indent=1, ensure_ascii=False)))


def words_of_identifiers(value: object) -> Markup:
    """Text that may wrap after an underscore or a slash, between two words of an identifier or a path such as
    organization_names or docs/codebook.md, as well as at its spaces: never inside a word, as "signatorie" above "s"."""
    return Markup(re.sub("([_/])", r"\1<wbr>", html_text(value)))


@functools.cache
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def inline_markdown(value: object) -> Markup:
    """Markdown the build writes for the README too (bold, code, an autolink) as HTML: any HTML in it is escaped, so
    the page and the README say the same from one source (formats/notices.py)."""
    return Markup(_markdown().renderInline(str(value)))


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, finalize=_escaped,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters.update(json_ld=json_ld, words_of_identifiers=words_of_identifiers, inline_markdown=inline_markdown)
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


def icon_uri() -> str:
    """The page's icon as a data: URI, so that a browser asks for no /favicon.ico the release does not ship."""
    svg = (TEMPLATES / "icon.svg").read_text(encoding="utf-8").strip()
    return "data:image/svg+xml," + quote(svg, safe="=:/")
