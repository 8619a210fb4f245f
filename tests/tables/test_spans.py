"""The span check: each span of a source, sliced in code points, is its text or normalizes to it."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pyarrow as pa

from scripts.checks import integrity as checks
from scripts.checks.integrity import sources_and_spans
from scripts.checks.package import LoadedPackage, TableFile
from scripts.tables.text import normalize

_SPAN_FIELDS = [
    {"name": "agreement_id"},
    {"name": "char_start", "spanOf": "text"},
    {"name": "char_end"},
    {"name": "text"},
]


def _package(root: Path, sources: dict[str, str | bytes], spans: list[tuple[str, int, int, str]]) -> LoadedPackage:
    """A package in memory: one agreement per source, and one table of spans over them."""
    package = LoadedPackage(root, root / "datapackage.json", descriptor={"resources": []})
    raws = {
        agreement_id: text.encode("utf-8") if isinstance(text, str) else text for agreement_id, text in sources.items()
    }
    for agreement_id, raw in raws.items():
        path = root / agreement_id / "document.txt"
        path.parent.mkdir(parents=True)
        path.write_bytes(raw)
    agreements = {
        "agreement_id": list(raws),
        "source_path": [f"{agreement_id}/document.txt" for agreement_id in raws],
        "source_sha256": [hashlib.sha256(raw).hexdigest() for raw in raws.values()],
    }
    package.tables["agreements"] = TableFile(
        {"name": "agreements", "path": "agreements.csv"},
        {"fields": [{"name": n} for n in agreements]},
        cells=pa.table(agreements),
    )
    cells = pa.table(
        {
            name: [str(row[i]) for row in spans]
            for i, name in enumerate(["agreement_id", "char_start", "char_end", "text"])
        }
    )
    package.tables["spans"] = TableFile({"name": "spans", "path": "spans.csv"}, {"fields": _SPAN_FIELDS}, cells=cells)
    return package


def test_spans_over_multibyte_characters(tmp_path):
    sources = {"first": "Agreed in İstanbul – 30 January", "second": "\U0001f600 emoji, then “quotes”"}
    spans = [
        ("first", 10, 18, "İstanbul"),  # after 1 two-byte character
        ("first", 21, 31, "30 January"),  # after a three-byte dash
        ("second", 0, 1, "\U0001f600"),  # a four-byte character alone
        ("second", 14, 22, "“quotes”"),
        ("second", 2, 7, "emoji"),
        ("first", 0, 0, ""),  # an empty span at the start
        ("second", 22, 22, ""),  # and at the very end
        ("first", 10, 18, "Istanbul"),  # one letter differs in its bytes
        ("second", 14, 22, '"quotes"'),  # same length in code points, not in bytes
        ("first", 25, 32, "January"),  # ends one past the source
        ("third", 0, 3, "abc"),  # an agreement without a source: not checked here
    ]
    problems = list(sources_and_spans(_package(tmp_path, sources, spans)))
    assert [(p.rule, p.row) for p in problems] == [("span", 9), ("span", 10), ("span", 11)]
    assert "source[10:18] normalizes to 'İstanbul'" in problems[0].message
    assert "source[25:32] lies outside the source" in problems[2].message


def test_spans_agree_with_python_slicing(tmp_path):
    """Random sources and spans, against str slicing."""
    rng = random.Random(20221130)
    alphabet = "abc xyz–é\U0001f600ü\u00a0"
    sources = {f"a{n}": "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for n in range(12)}
    spans, expected_bad = [], []
    for row in range(2, 1_500):
        agreement_id = rng.choice(list(sources))
        source = sources[agreement_id]
        start = rng.randint(0, len(source))
        end = rng.randint(start, min(len(source), start + 40))
        text = normalize(source[start:end])  # as the build writes it: often not the raw bytes
        if rng.random() < 0.004 and text:  # a few wrong texts, fewer than the report's limit
            text = text[:-1] + ("a" if text[-1] != "a" else "b")
        spans.append((agreement_id, start, end, text))
        if normalize(source[start:end]) != text:
            expected_bad.append(row)
    assert 0 < len(expected_bad) <= checks.MAX_REPORTED
    problems = list(sources_and_spans(_package(tmp_path, sources, spans)))
    assert [p.row for p in problems] == expected_bad


def test_a_source_that_is_not_utf8_is_named_and_its_spans_are_not_read(tmp_path):
    sources = {"good": "Agreed – in Istanbul", "bad": b"Agreed \x96 in Istanbul"}  # cp1252's dash
    spans = [("good", 12, 20, "Istanbul"), ("good", 11, 19, "Istanbul"), ("bad", 12, 20, "Istanbul")]
    problems = list(sources_and_spans(_package(tmp_path, sources, spans)))
    assert [(p.rule, p.file, p.row) for p in problems] == [
        ("source-encoding", "bad/document.txt", None),
        ("span", "spans.csv", 3),
    ]
    assert "not UTF-8 (byte 7)" in problems[0].message
