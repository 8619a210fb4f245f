"""Draw "signatories by country" as SVG and PNG from the tables, byte-identical on every run."""

from __future__ import annotations

import functools
import io
import textwrap
from collections import Counter
from urllib.parse import urlsplit

from ..cells import column_values
from .render import render

SVG_PATH = "docs/figures/signatories-by-country.svg"
PNG_PATH = "docs/figures/signatories-by-country.png"
NO_COUNTRY = "No country listed"
# Drawn narrow, with large type, so that the picture shrinks little on a phone: at 340 CSS px wide (a 390 px screen)
# its smallest text is 10.5 × 340 / 288 = 12.4 px, and at its own width (384 px, on a wide screen) 14 px.
WIDTH_INCHES = 4.0
FONT_POINTS = 10.5
# One inch of a figure is 72 units of the SVG, and 96 CSS px where a browser shows it at its own size.
CSS_PX_PER_INCH = 96
# Where DejaVu Sans is not installed, a font of the same widths (Verdana is Vera's model), else any sans-serif.
_DRAWN_FONT = "font-family: 'DejaVu Sans'"
_FONT_WITH_FALLBACKS = "font-family: 'DejaVu Sans', Verdana, sans-serif"


def _height_inches(bar_count: int) -> float:
    return 0.45 * bar_count + 3.0


def chart_size_px(tables: dict[str, list[dict]]) -> tuple[int, int]:
    """The chart's own width and height in CSS px: the page states them, so that nothing moves once it loads."""
    return round(WIDTH_INCHES * CSS_PX_PER_INCH), round(_height_inches(len(chart_bars(tables))) * CSS_PX_PER_INCH)


def chart_title(tables: dict[str, list[dict]]) -> str:
    agreements, total = tables["agreements"], len(tables["signatories"])
    if len(agreements) == 1:
        agreement, signed = agreements[0], agreements[0]["date_signed"]
        return (f"{agreement['title']} ({agreement['place']}, {signed.day} {signed:%B %Y}): "
                f"its {total} signatory entries by country, as listed")
    return f"{total:,} signatory entries of {len(agreements):,} agreements, by country as listed"


def chart_description(tables: dict[str, list[dict]]) -> str:
    """The chart in words: its alternative text, and the SVG's <desc>."""
    parts = [f"{label} {count}" + (f" ({note})" if note else "") for label, count, note in chart_bars(tables)]
    return f"{chart_title(tables)}: " + ", ".join(parts) + f". Source: {_source_line(tables)}."


def _source_line(tables: dict[str, list[dict]]) -> str:
    publishers = sorted({f"{row['publisher']}, {row['source_url']}" for row in tables["agreements"]})
    return publishers[0] if len(publishers) == 1 else f"{len(publishers)} publishers (see the agreements table)"


def chart_files(tables: dict[str, list[dict]]) -> dict[str, bytes]:
    """The chart's SVG and PNG, by path."""
    return dict(draw_chart(tuple(chart_bars(tables)), chart_title(tables), chart_description(tables),
                           _drawn_source_line(tables)))


def _drawn_source_line(tables: dict[str, list[dict]]) -> str:
    """The source as the picture says it: the publisher and the site; the whole address is in the caption and <desc>."""
    publishers = sorted({(row["publisher"], urlsplit(row["source_url"]).hostname or "")
                         for row in tables["agreements"]})
    if len(publishers) == 1:
        publisher, host = publishers[0]
        return f"{publisher} ({host.removeprefix('www.')})"
    return _source_line(tables)


@functools.lru_cache(maxsize=4)
def draw_chart(bars: tuple[tuple[str, int, str], ...], title: str, description: str,
               source_line: str) -> tuple[tuple[str, bytes], ...]:
    """The SVG and PNG, by path. The same figures give the same bytes: a process that builds again (as the tests
    do) does not draw them again."""
    import matplotlib

    matplotlib.use("Agg")  # no screen: draw to files only
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    # Text stays text (svg.fonttype none): a reader can select it, and a browser test can measure it.
    matplotlib.rcParams.update({"svg.hashsalt": "signatories-by-country", "svg.fonttype": "none",
                                "font.family": "DejaVu Sans", "font.size": FONT_POINTS})
    figure, axes = plt.subplots(figsize=(WIDTH_INCHES, _height_inches(len(bars))), dpi=100)
    try:
        labels = [label for label, _, _ in bars]
        counts = [count for _, count, _ in bars]
        colors = ["#9e9e9e" if label == NO_COUNTRY else "#c75b12" if note else "#2b6cb0" for label, _, note in bars]
        axes.barh(labels, counts, color=colors)
        axes.invert_yaxis()
        for index, (_, count, note) in enumerate(bars):
            axes.text(count + 0.15, index, f"{count}" + (f" {textwrap.fill(note, 20)}" if note else ""), va="center")
        axes.set_xlim(0, max(counts) + 1)  # the notes may run past the last tick; the axis fits the bars
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel("Entries of the signatory list")
        # The title spans the figure, not only the axes beside the labels: it starts at the left edge, as the source.
        wrapped = textwrap.fill(title, 44)
        figure.text(0.01, 0.99, wrapped, ha="left", va="top", fontsize=FONT_POINTS)
        title_height = (wrapped.count("\n") + 1) * FONT_POINTS * 1.3 / 72 + 0.15
        axes.spines[["top", "right"]].set_visible(False)
        figure.text(0.01, 0.01, textwrap.fill(f"Source: {source_line}", 48), fontsize=FONT_POINTS, color="#404040")
        figure.tight_layout(rect=(0, 0.07, 1, 1 - title_height / _height_inches(len(bars))))
        svg, png = io.BytesIO(), io.BytesIO()
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        figure.savefig(png, format="png", metadata={"Software": None})
    finally:
        plt.close(figure)
    return ((SVG_PATH, _titled_svg(svg.getvalue(), title, description)), (PNG_PATH, png.getvalue()))


def _titled_svg(svg: bytes, title: str, description: str) -> bytes:
    """The SVG with <title> and <desc> first inside its root, which screen readers and search engines read."""
    text = svg.decode("utf-8").replace(_DRAWN_FONT, _FONT_WITH_FALLBACKS)
    root_end = text.index(">", text.index("<svg")) + 1
    named = render("svg-title.j2", title=title, description=description).rstrip("\n")
    return (text[:root_end].replace("<svg ", '<svg role="img" ', 1) + named + text[root_end:]).encode("utf-8")


def chart_bars(tables: dict[str, list[dict]]) -> list[tuple[str, int, str]]:
    """(label, entries, note): listed countries by count, stated-but-unlisted ones, then no country."""
    names = {row["country_code"]: row["name"] for row in tables["countries"]}
    listed = Counter(column_values(tables["signatories"], "country_code"))
    unlisted = listed.pop(None, 0)
    bars = [(f"{names[code]} ({code})", count, "")
            for code, count in sorted(listed.items(), key=lambda item: (-item[1], item[0]))]
    stated = tables["agreement_countries"]
    counts = zip(column_values(stated, "country_code"), column_values(stated, "listed_signatory_count"))
    stated_only = sorted({code for code, count in counts if count == 0})
    bars += [(f"{names[code]} ({code})", 0, "stated in the attestation, not listed") for code in stated_only]
    if unlisted:
        bars.append((NO_COUNTRY, unlisted, ""))
    return bars
