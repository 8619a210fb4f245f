"""docs/index.html: the agreement, its provenance made visible, and metadata search engines read."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from html.parser import HTMLParser

import pytest

from conftest import ROOT
from scripts.inputs.project import Project
from test_formats import chromium_launch_options

PAGE = ROOT / "docs" / "index.html"
WAFIQ_ENTRY = "Women\u2019s Alliance for Family Institution and Quality Education (WAFIQ) \u2013 Malaysia"


def page_text() -> str:
    return PAGE.read_text(encoding="utf-8")


def json_ld() -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page_text(), re.DOTALL)
    return json.loads(block.replace("<\\/", "</"))


def test_json_ld_has_googles_required_and_recommended_dataset_properties():
    data = json_ld()
    assert (data["@context"], data["@type"]) == ("https://schema.org/", "Dataset")
    # Required by Google Dataset Search: name, and a description of 50 to 5,000 characters.
    assert data["name"] == Project().package_metadata["title"]
    assert 50 <= len(data["description"]) <= 5000
    # Recommended, and what the issue names.
    assert data["version"] == Project().changelog_version()
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["creator"] and all(c["@type"] == "Organization" and c["name"] for c in data["creator"])
    assert "Uyghurs" in data["keywords"]
    assert data["temporalCoverage"] == "2022-01-30"
    assert sorted(place["identifier"] for place in data["spatialCoverage"]) == ["DE", "GB", "ID", "MY", "TR", "US"]
    assert data["isBasedOn"] == ["https://uhrp.org/statement/the-global-muslim-response-to-the-uyghur-crisis/"]
    assert "[Data set]" in data["citation"] and data["isAccessibleForFree"] is True
    assert any(v["name"] == "signatories.country_code" for v in data["variableMeasured"])
    assert (
        data["identifier"] == f"{Project().package_metadata['name']}@{Project().changelog_version()}"
    )  # no public address is set
    assert "url" not in data
    assert len(data["variableMeasured"]) == sum(len(schema["fields"]) for schema in Project().schemas.values())
    downloads = {d["contentUrl"]: d for d in data["distribution"]}
    assert all(d["@type"] == "DataDownload" for d in data["distribution"])
    for table in Project().table_names:  # the committed page lists committed files only, each with its size and sha256
        entry = downloads.pop(f"../data/{table}.csv")
        content = (ROOT / "data" / f"{table}.csv").read_bytes()
        assert (entry["encodingFormat"], entry["contentSize"], entry["sha256"]) == (
            "text/csv",
            f"{len(content)} B",
            hashlib.sha256(content).hexdigest(),
        )
    assert (
        downloads.pop("../datapackage.json")["sha256"]
        == hashlib.sha256((ROOT / "datapackage.json").read_bytes()).hexdigest()
    )
    assert [path.removeprefix("../data/source/") for path in downloads] == [
        "global-muslim-coalition-for-uyghurs-2022/document.txt"
    ]


def test_every_link_of_the_committed_page_resolves_to_a_committed_file():
    links = re.findall(r'(?:href|src)="([^"]+)"', page_text())
    relative = [link for link in links if not link.startswith(("https://", "#", "data:"))]  # data: the inline icon
    assert relative and not [link for link in links if link.startswith("http://")]
    committed = (
        set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.splitlines())
        if (ROOT / ".git").exists()
        else None
    )
    for link in relative:
        target = (PAGE.parent / link).resolve()
        assert target.is_file(), link
        if committed is not None:
            assert target.relative_to(ROOT).as_posix() in committed, f"{link} is not a committed file"


class _Reader(HTMLParser):
    """The page as a reader without JavaScript meets it: text outside scripts, styles and hidden elements."""

    def __init__(self):
        super().__init__()
        self.text, self.hidden_depth, self.skip, self.stack, self.resources = [], 0, 0, [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("img", "script", "link") and (attributes.get("src") or attributes.get("href") or "").startswith(
            ("http:", "https:", "//")
        ):
            self.resources.append(attributes)
        if tag in ("script", "style"):
            self.skip += 1
        if tag not in ("img", "meta", "link", "br", "input"):
            hidden = "hidden" in attributes
            self.stack.append(hidden)
            self.hidden_depth += hidden

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag not in ("img", "meta", "link", "br", "input") and self.stack:
            self.hidden_depth -= self.stack.pop()

    def handle_data(self, data):
        if not self.skip and not self.hidden_depth:
            self.text.append(data)


def test_the_page_reads_top_to_bottom_without_javascript_and_loads_nothing_from_the_network():
    reader = _Reader()
    reader.feed(page_text())
    text = " ".join("".join(reader.text).split())
    assert reader.resources == []
    assert (
        text.count("show in source") == 1
    )  # the sentence that explains them: the buttons appear only when the script runs
    order = [
        "Agreement of cooperation for a global Muslim coalition for Uyghurs",
        "The text: nine paragraphs and an attestation",
        "We the undersigned organizations commit",
        "Agreed 30 January 2022 by civil society organizations",
        "The signatories: 23 numbered entries",
        WAFIQ_ENTRY,
        "Countries the attestation states",
        "Notes and the known discrepancy",
        "The attestation names Germany",
        "The source, as published",
        "The data",
        "How to cite",
    ]
    positions = [text.index(needle) for needle in order]
    assert positions == sorted(positions)
    assert 'lang="en"' in page_text() and "<main" in page_text() and 'class="skip"' in page_text()
    # The legend: the codebook's vocabularies, with how often the agreement uses each.
    assert "Act types: commitment (5), observation (1), appeal (4), gratitude (1), demand (1), attestation (1)." in text
    assert "Roles: speaker (13), addressee (10), target (2), forum (1), beneficiary (8), subject (1)." in text


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _hex(value: str) -> str:
    value = value.strip().lower()
    assert re.fullmatch(r"#[0-9a-f]{3}|#[0-9a-f]{6}", value), (
        f"the page's CSS has a colour {value!r} this test cannot read: write it as #rgb or #rrggbb"
    )
    return "#" + "".join(c * 2 for c in value[1:]) if len(value) == 4 else value


def colour_pairs(style: str) -> set[tuple[str, str, str]]:
    """Every (text colour, background, rule) that the page's own CSS can put together.

    A rule that sets both is one pair. A rule that sets only a text colour (body's and a link's
    among them) may stand on any background a rule sets on its own, or on body's; a rule that
    sets only a background holds text of any of those colours.
    """
    rules = []
    for selector, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", style):
        found = dict(re.findall(r"(?:^|;)\s*(color|background(?:-color)?)\s*:\s*([^;]+)", declarations))
        colour, background = found.get("color"), found.get("background", found.get("background-color"))
        rules.append((selector.strip(), colour and _hex(colour), background and _hex(background)))
    body = next((colour, background) for selector, colour, background in rules if selector == "body")
    pairs = {(colour, background, selector) for selector, colour, background in rules if colour and background}
    texts = {colour for _, colour, background in rules if colour and not background} | {body[0]}
    grounds = {background for _, colour, background in rules if background and not colour} | {body[1]}
    pairs |= {(colour, background, "inherited") for colour in texts for background in grounds}
    return pairs


def test_the_pages_colours_meet_wcag_aa_contrast():
    style = page_text().split("<style>", 1)[1].split("</style>", 1)[0].lower()
    pairs = colour_pairs(style)
    assert len(pairs) >= 6, pairs  # body, links, the pressed button, the highlight, the selection box
    low = []
    for foreground, background, rule in sorted(pairs):
        lighter, darker = sorted([_luminance(foreground), _luminance(background)], reverse=True)
        if (lighter + 0.05) / (darker + 0.05) < 4.5:
            low.append(f"{foreground} on {background} ({rule}): {(lighter + 0.05) / (darker + 0.05):.2f}")
    assert low == []


def test_the_contrast_test_reads_a_low_contrast_rule_from_the_css():
    pairs = colour_pairs("body { color: #1a1a1a; background: #fff; } .faint { color: #aaa; }")
    assert ("#aaaaaa", "#ffffff", "inherited") in pairs
    assert ("#1a1a1a", "#ffffff", "body") in pairs


@pytest.mark.slow
def test_in_a_real_browser_a_selection_marks_exactly_its_characters(tmp_path):
    from playwright.sync_api import sync_playwright

    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(headless=True, **chromium_launch_options())
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(PAGE.resolve().as_uri(), wait_until="load")
            assert page.locator("button[data-start]").first.is_visible()
            page.keyboard.press("Tab")  # the skip link comes first
            assert page.evaluate("document.activeElement.className") == "skip"
            page.locator('button[data-signatory="16"]').click()
            assert "".join(page.locator("pre.source .hl").all_text_contents()) == WAFIQ_ENTRY
            assert page.locator('button[data-signatory="16"]').get_attribute("aria-pressed") == "true"
            page.screenshot(path=str(tmp_path / "signatory-16.png"))
            page.locator('button[data-act-id$="-c09-a1"]').click()
            assert "".join(page.locator("pre.source .hl").all_text_contents()) == "must hold"
            assert (
                page.locator("p.selection").text_content()
                == "The demand of clause 9: characters 1633 to 1642 of the source read \u201cmust hold\u201d"
            )
            assert page.locator("pre.source .verb").first.get_attribute("title") == "commitment (c01.1)"
        finally:
            browser.close()
    assert problems == []
    assert (tmp_path / "signatory-16.png").stat().st_size > 20_000


def test_every_span_on_the_page_reads_as_its_table_value():
    """What the browser test checks for two values, for every value: each button's span is its text, normalized."""
    from scripts.tables.text import normalize

    source = (ROOT / "data" / "source" / "global-muslim-coalition-for-uyghurs-2022" / "document.txt").read_text(
        encoding="utf-8"
    )
    buttons = re.findall(r'data-start="(\d+)" data-end="(\d+)" data-what="([^"]*)"', page_text())
    assert len(buttons) >= 23 + 10 + 6 + 13
    spans = {(int(a), int(b)) for a, b, _ in buttons}
    for table in ("signatories", "clauses", "acts"):
        import csv

        with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                assert (int(row["char_start"]), int(row["char_end"])) in spans
                text = row.get("entry_text") or row.get("text") or row.get("verb_text")
                assert normalize(source[int(row["char_start"]) : int(row["char_end"])]) == text


@pytest.mark.slow
def test_in_a_real_browser_each_button_marks_its_own_agreements_source_only(package, capsys, tmp_path):
    """Two agreements on one page: ids are unique, and a button of the second marks characters
    of the second source alone."""
    from playwright.sync_api import sync_playwright

    from conftest import run
    from benchmarks.synthetic import random_agreement

    random_agreement(1).write(package / "data" / "source")
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 0, err
    html = (package / "docs" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r' id="([^"]+)"', html)
    assert (
        len(ids) == len(set(ids))
        and "source-synthetic-000001" in ids
        and "source-global-muslim-coalition-for-uyghurs-2022" in ids
    )
    import csv

    with (package / "data" / "signatories.csv").open(encoding="utf-8", newline="") as stream:
        entry_two = next(
            row["entry_text"] for row in csv.DictReader(stream) if row["signatory_id"] == "synthetic-000001-s02"
        )
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(headless=True, **chromium_launch_options())
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto((package / "docs" / "index.html").resolve().as_uri(), wait_until="load")
            second, first = (
                page.locator("#source-synthetic-000001"),
                page.locator("#source-global-muslim-coalition-for-uyghurs-2022"),
            )
            page.locator('button[aria-controls="source-synthetic-000001"][data-signatory="2"]').click()
            marked = "".join(second.locator(".hl").all_text_contents())
            assert marked == entry_two and first.locator(".hl").count() == 0
            assert page.locator("#selection-synthetic-000001").text_content().startswith("Entry 2: characters ")
            assert (
                page.locator("#selection-global-muslim-coalition-for-uyghurs-2022").text_content()
                == "Select a value to see the characters it was read from."
            )
            page.locator(
                'button[aria-controls="source-global-muslim-coalition-for-uyghurs-2022"][data-signatory="16"]'
            ).click()
            assert "".join(first.locator(".hl").all_text_contents()) == WAFIQ_ENTRY
            assert "".join(second.locator(".hl").all_text_contents()) == marked  # the second source keeps its own mark
        finally:
            browser.close()
    assert problems == []


@pytest.mark.slow
@pytest.mark.parametrize("width", [390, 1280])
def test_the_page_never_scrolls_sideways(width):
    """The citation, the source and the tables wrap or scroll inside themselves: the page is as wide as the window."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(headless=True, **chromium_launch_options())
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(PAGE.resolve().as_uri(), wait_until="load")
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            citation = page.evaluate(
                "document.getElementById('citation').scrollWidth <= document.getElementById('citation').clientWidth"
            )
            # Numbers and headings are never broken inside ("54" into "5" above "4", "rows" into
            # "ro/w/s"): each is one line box.
            broken = page.evaluate(
                "[...document.querySelectorAll('th, td.num')].filter(cell => {\n"
                "                const range = document.createRange(); range.selectNodeContents(cell); "
                "return range.getClientRects().length > 1;\n"
                "            }).map(cell => cell.textContent)"
            )
            counted = page.evaluate("document.querySelectorAll('td.num').length")
        finally:
            browser.close()
    assert scroll <= client, (scroll, client)
    assert citation
    assert broken == [] and counted == len(Project().table_names)


def test_the_page_shows_the_states_the_text_thanks_with_their_dates_and_quotes_in_the_text():
    """Quotes are read on the page itself, not in a title tooltip that a touch screen never shows."""
    import csv
    import html

    page = (ROOT / "docs" / "index.html").read_text(encoding="utf-8")
    section = page.split(
        "<h3>Whom the text thanks: Nations which have already recognized that Uyghurs are facing genocide</h3>", 1
    )[1].split("</ul>", 1)[0]
    with (ROOT / "data" / "recognitions.csv").open(encoding="utf-8", newline="") as stream:
        recognitions = list(csv.DictReader(stream))
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.DOTALL)
    assert len(items) == len(recognitions) == 9
    for item, row in zip(items, recognitions):
        text = html.unescape(item)
        assert f"({row['country_code']})" in text and row["date"] in text and f"“{row['quote']}”" in text
        assert f'href="{row["source_url"]}"' in text
    assert "target: Chinese government (CN)" in page


def test_the_page_names_every_party_beside_its_clauses_and_opens_each_fact_to_its_quote():
    """Every party the text names, with the clauses that name it and what it is; an organization's facts are
    details elements, which a tap, a click or the keyboard opens to the quote and the page it cites."""
    import csv

    import html5lib

    def rows(name: str) -> list[dict]:
        with (ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
            return list(csv.DictReader(stream))

    document = html5lib.parse(page_text(), namespaceHTMLElements=False)
    heading = next(h for h in document.iter("h3") if (h.text or "").startswith("The parties the text names"))
    actors, facts = rows("actors"), rows("organization_facts")
    assert heading.text == f"The parties the text names: {len(actors)}"
    items = {"".join(li.find("strong").itertext()): li for li in _following_list(document, heading)}
    assert sorted(items) == sorted(row["name"] for row in actors)
    assert "".join(items["International Court of Justice"].itertext()).startswith(
        "International Court of Justice (clause 9)"
    )
    organizations = {row["organization_id"]: row for row in rows("organizations")}
    for actor in (row for row in actors if row["resolution"] == "organization"):
        item = items[actor["name"]]
        assert organizations[actor["organization_id"]]["name"] in "".join(item.itertext())
        shown = [(d.find("summary"), "".join(d.find("span").itertext())) for d in item.iter("details")]
        theirs = {fact["property"]: fact for fact in facts if fact["organization_id"] == actor["organization_id"]}
        place = theirs.get("headquarters_city") or theirs.get(
            "headquarters_country_code"
        )  # the place is one fact: its city's, else its country's
        own = [theirs[name] for name in ("website", "founded", "wikipedia_url") if name in theirs] + (
            [place] if place else []
        )
        assert len(shown) == len(own) >= 1
        for fact in own:
            assert any(
                f"“{fact['quote']}” ({fact['source_publisher']}, {fact['source_url']}, "
                f"read {fact['read_on']})"
                == quote
                for _, quote in shown
            ), fact
    assert "".join(items["Chinese government"].itertext()).endswith("the state CN")
    assert "not one entity" in "".join(items["Governments"].itertext())
    # No fact is left to a tooltip: none of the organizations' blocks has a title.
    assert not [
        element
        for element in document.iter()
        if element.get("class") == "org" and any(e.get("title") for e in element.iter())
    ]


def _following_list(document, heading):
    """The list that follows a heading in the page's order."""
    elements = list(document.iter())
    return next(e for e in elements[elements.index(heading) :] if e.tag in ("ul", "ol")).findall("li")
