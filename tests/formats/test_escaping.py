"""Hostile strings through every writer, parsed back by a real parser: each reads back as itself, and adds no
element, attribute or script."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from scripts.release.build import build_in_memory
from scripts.formats.dictionary import dictionary_markdown
from scripts.formats.escape import html_text, json_in_script, markdown_code, markdown_text
from scripts.formats import diff, page
from scripts.formats.render import environment
from scripts.inputs.project import Project

HOSTILE = [
    "<!--<script>",
    "</script><script>alert(1)</script>",
    "https://example.org/<!--<script>",
    "<img src=x onerror=alert(1)>",
    "a & b &amp; &lt;",
    "` one backtick",
    "ends with a backtick `",
    "``` a fence",
    "`` two `` and ``` three",
    "*emphasis* _under_ [a link](https://example.org) ![image](x.png)",
    "a | pipe",
    "line\u2028separator\u2029paragraph",
    "back\\slash \\` \\*",
    "# not a heading",
    "> not a quote",
    "~~struck~~",
    "</script x>",
    "</SCRIPT/>",
    "<!--<script x>",
    "",
    "   ",
    " X ",
    " \u00a0 ",
    "\u00a0",
    " a",
    "a ",
    "`",
]
_MARKDOWN = MarkdownIt("commonmark").enable("table")


def _inline_tokens(text: str, links: int = 0) -> list:
    """The inline tokens of Markdown text, once it is shown to hold no HTML, no image, and
    only the links its writer made."""
    found = []
    for token in _MARKDOWN.parse(text):
        assert token.type != "html_block", token
        found += token.children or []
    assert not [t for t in found if t.type in ("html_inline", "image")], [
        t for t in found if t.type in ("html_inline", "image")
    ]
    assert sum(t.type == "link_open" for t in found) == links
    return found


@pytest.mark.parametrize("value", HOSTILE)
def test_a_markdown_code_span_reads_back_as_the_value(value):
    code = [t.content for t in _inline_tokens(f"- before {markdown_code(value)} after") if t.type == "code_inline"]
    assert code == ([" ".join(value.splitlines())] if value else [])  # an empty text is written as nothing


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_reads_back_as_the_value(value):
    text = "".join(t.content for t in _inline_tokens(f"Changed: {markdown_text(value)} (end)") if t.type == "text")
    assert text == "Changed: " + " ".join(value.splitlines()) + " (end)"


@pytest.mark.parametrize("value", HOSTILE)
def test_json_inside_a_script_element_parses_back_as_the_value(value):
    document = html5lib.parse(
        f'<html><head><script type="application/ld+json">{json_in_script(json.dumps({"name": value}))}</script></head>'
        '<body><p id="after">after</p></body></html>',
        namespaceHTMLElements=False,
    )
    scripts = document.findall(".//script")
    assert len(scripts) == 1 and json.loads(scripts[0].text) == {"name": value}
    assert document.find(".//p").get("id") == "after"  # the page goes on after the script


@pytest.fixture(scope="module")
def hostile_build():
    """The real build, its package metadata and schemas given hostile text where curated free text may stand."""
    project = Project()
    built = build_in_memory(project)
    metadata = {
        **project.package_metadata,
        "title": HOSTILE[0],
        "description": HOSTILE[1],
        "resources": [
            {**resource, "description": HOSTILE[index % len(HOSTILE)]}
            for index, resource in enumerate(project.package_metadata["resources"])
        ],
    }
    return project, built, metadata


def test_the_page_keeps_hostile_metadata_inert(hostile_build):
    project, built, metadata = hostile_build
    release = project.releases[0]
    html = page.page_html(
        metadata=metadata,
        version=release.version,
        released=release.date.isoformat(),
        tables=built.tables,
        sources={source.agreement_id: source.document_text(project.root) for source in built.sources},
        schemas=project.schemas,
        chart_svg_path="figures/chart.svg",
        chart_alt=HOSTILE[3],
        citation=HOSTILE[2],
        downloads=[(HOSTILE[4], "x.csv", "text/csv")],
    )
    document = html5lib.parse(html, namespaceHTMLElements=False)
    scripts = document.findall(".//script")
    assert len(scripts) == 3  # the JSON-LD, the switch that says JavaScript runs, and the page's own
    json_ld_text = next(s for s in scripts if s.get("type") == "application/ld+json").text
    assert not set(json_ld_text) & {"<", ">", "&"}  # every one written as \u003c, \u003e, \u0026
    json_ld = json.loads(json_ld_text)
    assert (json_ld["name"], json_ld["description"]) == (HOSTILE[0], HOSTILE[1])
    assert document.find(".//h1").text == HOSTILE[0]
    assert document.find(".//pre[@id='citation']").text == HOSTILE[2]
    assert not document.findall(".//img[@onerror]")


def test_the_data_dictionary_keeps_hostile_descriptions_inert(hostile_build):
    project, built, metadata = hostile_build
    own_links = sum(
        t.type == "link_open"
        for t in _MARKDOWN.parseInline(dictionary_markdown(project.package_metadata, project.schemas, built.tables))[
            0
        ].children
    )
    _inline_tokens(dictionary_markdown(metadata, project.schemas, built.tables), links=own_links)


def test_the_release_notes_keep_hostile_values_inert():
    changes = [
        {
            "table": "signatories",
            "primary_key": "x-s01",
            "kind": "cell-changed",
            "column": "name",
            "old_value": old,
            "new_value": new,
        }
        for old, new in zip(HOSTILE, reversed(HOSTILE))
    ]
    notes = diff.summary("1.2.0", "1.1.1", changes[:10])
    texts = [t.content for t in _inline_tokens(notes) if t.type == "text"]
    for change in changes[:10]:
        assert any(repr(change["old_value"]) in text and repr(change["new_value"]) in text for text in texts), change


# Breakouts of a JSON-LD script that escaping ">" alone does not stop: only an escaped "<" does.
SCRIPT_BREAKOUTS = ["</script x>", "</SCRIPT/>", "<!--<script x>", "</script\t>", "<!--<SCRIPT>-->", "</sCrIpT\n>"]
# Strings built from the pieces each context treats as markup, and from any other characters (NUL and lone
# surrogates aside: no HTML or Markdown text can hold them).
_PIECES = st.sampled_from(
    [
        "<",
        ">",
        "&",
        '"',
        "'",
        "`",
        "*",
        "_",
        "[",
        "]",
        "(",
        ")",
        "!",
        "#",
        "|",
        "~",
        "\\",
        "\u2028",
        "\u2029",
        "\n",
        "\r",
        " ",
        "=",
        "/",
        "-",
        "</script",
        "<!--",
        "-->",
        "&amp;",
        "&#60;",
        "```",
        "<script>",
        "https://x.org",
    ]
)
_ANY = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6)
hostile_strings = st.lists(st.one_of(_PIECES, _ANY), max_size=24).map("".join)


def _script_then_page(json_text: str):
    return html5lib.parse(
        f'<html><head><script type="application/ld+json">{json_text}</script></head>'
        '<body><p id="after">after</p></body></html>',
        namespaceHTMLElements=False,
    )


def _page_json_ld(value: str):
    """A value written as the page writes its JSON-LD: into the template's slot, through
    the templates' json_ld filter."""
    html = page.with_json_ld(
        f'<html><head><script type="application/ld+json">\n{page.JSON_LD_SLOT}\n</script></head>'
        '<body><p id="after">after</p></body></html>',
        {"name": value},
    )
    return html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0], html5lib.parse(
        html, namespaceHTMLElements=False
    )


_TEXT_AND_ATTRIBUTE = '<p title="{{ value }}" id="p">{{ value }}</p><p id="after">after</p>'


@pytest.mark.parametrize("value", SCRIPT_BREAKOUTS)
def test_a_script_breakout_stays_inside_the_json(value):
    for document in (_script_then_page(json_in_script(json.dumps({"name": value}))), _page_json_ld(value)[1]):
        assert [json.loads(s.text) for s in document.findall(".//script")] == [{"name": value}]
        assert document.find(".//p").get("id") == "after"


@settings(max_examples=300, deadline=None)
@given(hostile_strings)
def test_no_raw_less_than_survives_in_json_inside_a_script_and_it_reads_back(value):
    text, document = _page_json_ld(value)  # the page's own path: the slot, the template, the json_ld filter
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    scripts = document.findall(".//script")
    assert len(scripts) == 1 and json.loads(scripts[0].text) == {"name": value}
    assert document.find(".//p").get("id") == "after"


@settings(max_examples=300, deadline=None)
@given(hostile_strings)
def test_markdown_text_reads_back_as_the_same_text(value):
    text = "".join(
        t.content for t in _inline_tokens(f"Changed: {markdown_text(value)} (end)") if t.type in ("text", "softbreak")
    )
    assert text == f"Changed: {' '.join(value.splitlines())} (end)"


@settings(max_examples=300, deadline=None)
@given(hostile_strings)
def test_a_markdown_code_span_reads_back_as_the_same_text(value):
    code = [t.content for t in _inline_tokens(f"- before {markdown_code(value)} after") if t.type == "code_inline"]
    one_line = " ".join(value.splitlines())
    assert code == ([one_line] if one_line else [])  # an empty text is written as nothing


@settings(max_examples=300, deadline=None)
@given(hostile_strings)
def test_an_html_attribute_and_text_read_back_as_the_same_text(value):
    """Through the environment the page's templates are rendered in: autoescape, and a carriage return as &#13;."""
    rendered = environment().from_string(_TEXT_AND_ATTRIBUTE).render(value=value)
    assert rendered == f'<p title="{html_text(value)}" id="p">{html_text(value)}</p><p id="after">after</p>'
    document = html5lib.parse(rendered, namespaceHTMLElements=False)
    paragraph = document.find(".//p")
    assert paragraph.get("title") == value
    assert (paragraph.text or "") + "".join(
        ElementTree.tostring(child, encoding="unicode") for child in paragraph
    ) == value
    assert [p.get("id") for p in document.findall(".//p")] == ["p", "after"]


def test_an_empty_text_is_no_code_span_at_all():
    assert markdown_code("") == "" == markdown_code("\n")  # one empty line, joined: nothing to show


@settings(max_examples=25, deadline=None)
@given(st.lists(hostile_strings, min_size=5, max_size=5))
def test_the_whole_page_reads_back_every_hostile_value(hostile_build, values):
    """The property, run on the real template's output: each value reads back as itself where the page shows it."""
    project, built, metadata = hostile_build
    title, description, citation, alt, label = values
    release = project.releases[0]
    html = page.page_html(
        metadata={**metadata, "title": title, "description": description},
        version=release.version,
        released=release.date.isoformat(),
        tables=built.tables,
        sources={source.agreement_id: source.document_text(project.root) for source in built.sources},
        schemas=project.schemas,
        chart_svg_path="figures/chart.svg",
        chart_alt=alt,
        citation=citation,
        downloads=[(label, "x.csv", "text/csv")],
        sizes_and_sha256={"x.csv": (1, "0" * 64)},
    )
    document = html5lib.parse(html, namespaceHTMLElements=False)
    (ld_script,) = [s for s in document.findall(".//script") if s.get("type") == "application/ld+json"]
    ld = json.loads(ld_script.text)
    assert (ld["name"], ld["description"], ld["citation"], ld["distribution"][0]["name"]) == (
        title,
        description,
        citation,
        label,
    )
    assert (document.find(".//title").text or "") == title
    assert "".join(document.find(".//h1").itertext()) == title
    assert document.find(".//meta[@name='description']").get("content") == description[:300]
    assert (document.find(".//pre[@id='citation']").text or "") == citation.removeprefix(
        "\n"
    )  # HTML drops a <pre>'s first line feed
    image = document.find(".//figure/img")
    assert image.get("alt") == alt and "".join(document.find(".//figure/figcaption").itertext()) == alt
    assert ([a for a in document.iter("a") if a.get("href") == "x.csv"][0].text or "") == label
    assert len(document.findall(".//script")) == 3 and document.find(".//main") is not None
