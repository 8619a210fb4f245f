"""Draw "signatories by country" as SVG and PNG from the tables, byte-identical on every run."""

from __future__ import annotations

import io
from collections import Counter

import matplotlib

matplotlib.use("Agg")  # no screen: draw to files only
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

SVG_PATH = "docs/figures/signatories-by-country.svg"
PNG_PATH = "docs/figures/signatories-by-country.png"
NO_COUNTRY = "No country listed"


def chart_files(tables: dict[str, list[dict]]) -> dict[str, bytes]:
    bars = chart_bars(tables)
    matplotlib.rcParams.update({"svg.hashsalt": "signatories-by-country", "font.family": "DejaVu Sans", "font.size": 10})
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(bars) + 1.4), dpi=100)
    try:
        labels = [label for label, _, _ in bars]
        counts = [count for _, count, _ in bars]
        colors = ["#9e9e9e" if label == NO_COUNTRY else "#c75b12" if note else "#2b6cb0" for label, _, note in bars]
        axes.barh(labels, counts, color=colors)
        axes.invert_yaxis()
        for index, (_, count, note) in enumerate(bars):
            axes.text(count + 0.15, index, f"{count}" + (f"  {note}" if note else ""), va="center")
        axes.set_xlim(0, max(counts) + 6)
        axes.set_xlabel("Entries of the signatory list")
        axes.set_title("Signatories by country, as listed")
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        svg, png = io.BytesIO(), io.BytesIO()
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        figure.savefig(png, format="png", metadata={"Software": None})
    finally:
        plt.close(figure)
    return {SVG_PATH: svg.getvalue(), PNG_PATH: png.getvalue()}


def chart_bars(tables: dict[str, list[dict]]) -> list[tuple[str, int, str]]:
    """(label, entries, note): listed countries by count, stated-but-unlisted ones, then no country."""
    names = {row["country_code"]: row["name"] for row in tables["countries"]}
    listed = Counter(row["country_code"] for row in tables["signatories"])
    unlisted = listed.pop(None, 0)
    bars = [(f"{names[code]} ({code})", count, "") for code, count in sorted(listed.items(), key=lambda item: (-item[1], item[0]))]
    stated_only = sorted({row["country_code"] for row in tables["agreement_countries"] if row["listed_signatory_count"] == 0})
    bars += [(f"{names[code]} ({code})", 0, "stated in the attestation, not listed") for code in stated_only]
    if unlisted:
        bars.append((NO_COUNTRY, unlisted, ""))
    return bars
