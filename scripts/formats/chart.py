"""Draw "signatories by country" as SVG and PNG from the tables, byte-identical on every run."""

from __future__ import annotations

import functools
import io
import textwrap
from collections import Counter

from ..cells import column_values
from .escape import html_text

SVG_PATH = "docs/figures/signatories-by-country.svg"
PNG_PATH = "docs/figures/signatories-by-country.png"
NO_COUNTRY = "No country listed"


def chart_title(tables: dict[str, list[dict]]) -> str:
    agreements, total = tables["agreements"], len(tables["signatories"])
    if len(agreements) == 1:
        agreement = agreements[0]
        return f"{agreement['title']} ({agreement['place']}, {agreement['date_signed'].day} {agreement['date_signed']:%B %Y}): its {total} signatory entries by country, as listed"
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
    return dict(draw_chart(tuple(chart_bars(tables)), chart_title(tables), chart_description(tables), _source_line(tables)))


@functools.lru_cache(maxsize=4)
def draw_chart(bars: tuple[tuple[str, int, str], ...], title: str, description: str, source_line: str) -> tuple[tuple[str, bytes], ...]:
    """The SVG and PNG, by path. The same figures give the same bytes: a process that builds again (the tests do, hundreds of times) does not draw them again."""
    import matplotlib

    matplotlib.use("Agg")  # no screen: draw to files only
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    matplotlib.rcParams.update({"svg.hashsalt": "signatories-by-country", "font.family": "DejaVu Sans", "font.size": 10})
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(bars) + 2.0), dpi=100)
    try:
        labels = [label for label, _, _ in bars]
        counts = [count for _, count, _ in bars]
        colors = ["#9e9e9e" if label == NO_COUNTRY else "#c75b12" if note else "#2b6cb0" for label, _, note in bars]
        axes.barh(labels, counts, color=colors)
        axes.invert_yaxis()
        for index, (_, count, note) in enumerate(bars):
            axes.text(count + 0.15, index, f"{count}" + (f"  {note}" if note else ""), va="center")
        axes.set_xlim(0, max(counts) + 1)  # the notes may run past the last tick; the axis fits the bars
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel("Entries of the signatory list")
        axes.set_title(textwrap.fill(title, 70), loc="left", fontsize=10)
        axes.spines[["top", "right"]].set_visible(False)
        figure.text(0.01, 0.01, f"Source: {source_line}", fontsize=8, color="#404040")
        figure.tight_layout(rect=(0, 0.04, 1, 1))
        svg, png = io.BytesIO(), io.BytesIO()
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        figure.savefig(png, format="png", metadata={"Software": None})
    finally:
        plt.close(figure)
    return ((SVG_PATH, _titled_svg(svg.getvalue(), title, description)), (PNG_PATH, png.getvalue()))


def _titled_svg(svg: bytes, title: str, description: str) -> bytes:
    """The SVG with <title> and <desc> first inside its root, which screen readers and search engines read."""
    text = svg.decode("utf-8")
    root_end = text.index(">", text.index("<svg")) + 1
    named = f"\n <title>{html_text(title)}</title>\n <desc>{html_text(description)}</desc>"
    return (text[:root_end].replace("<svg ", '<svg role="img" ', 1) + named + text[root_end:]).encode("utf-8")


def chart_bars(tables: dict[str, list[dict]]) -> list[tuple[str, int, str]]:
    """(label, entries, note): listed countries by count, stated-but-unlisted ones, then no country."""
    names = {row["country_code"]: row["name"] for row in tables["countries"]}
    listed = Counter(column_values(tables["signatories"], "country_code"))
    unlisted = listed.pop(None, 0)
    bars = [(f"{names[code]} ({code})", count, "") for code, count in sorted(listed.items(), key=lambda item: (-item[1], item[0]))]
    stated = tables["agreement_countries"]
    stated_only = sorted({code for code, count in zip(column_values(stated, "country_code"), column_values(stated, "listed_signatory_count")) if count == 0})
    bars += [(f"{names[code]} ({code})", 0, "stated in the attestation, not listed") for code in stated_only]
    if unlisted:
        bars.append((NO_COUNTRY, unlisted, ""))
    return bars
