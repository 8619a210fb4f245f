"""Read the published layout of an agreement into spans of its source text."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from ..errors import PipelineError
from .text import normalize

EN_DASH = "\u2013"
_DATE_LINE_FORMAT = "%B %d, %Y"  # "January 30, 2022"
_ATTESTATION_DATE_FORMAT = "%d %B %Y"  # "30 January 2022"
_LIST_ENTRY = re.compile(r"^[ \u00a0\t]*(?P<number>\d+)\.(?=\s|$)[ \u00a0\t]*")
# Matched against the raw paragraph, so that group offsets are offsets into the source.
_ATTESTATION = re.compile(
    r"Agreed\s+(?P<date>\d{1,2}\s+\w+\s+\d{4})\s+by\s.+?\sfrom\s+(?P<countries>.+?)\s*\.\s*$", re.DOTALL
)
_COUNTRY_SEPARATOR = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_TRAILING_ACRONYM = re.compile(r"^(?P<name>.*\S)\s*\((?P<acronym>[^()]+)\)$")
_LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
# A dash other than the en dash, with white space on either side: a separator typed by hand
# ("Name - Country"). Inside a word, as in "Al-Amanah", a hyphen is part of the name.
_OTHER_DASH_SEPARATOR = re.compile(r"\s[-\u2010-\u2012\u2014\u2015\u2212]|[-\u2010-\u2012\u2014\u2015\u2212]\s")


@dataclass(frozen=True)
class Span:
    """A stretch of the source: [start, end) in code points, and its normalized text."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, source: str, start: int, end: int) -> Span:
        """[start, end) of source narrowed so that it neither starts nor ends with white space."""
        raw = source[start:end].lstrip()
        start = end - len(raw)
        raw = raw.rstrip()
        return cls(start, start + len(raw), normalize(raw))


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, for error messages
    start: int
    end: int  # exclusive, before the line break
    raw: str


@dataclass(frozen=True)
class Entry:
    """One numbered entry of the signatory list."""

    number: int
    line: int
    text: Span  # the whole entry after its number
    name_as_listed: Span
    name: str
    acronym: str | None
    country_as_listed: Span | None


@dataclass(frozen=True)
class StatedCountry:
    """A country named by the attestation, as stated ("the United Kingdom") and for lookup."""

    as_stated: Span
    lookup_name: str  # without a leading article


@dataclass(frozen=True)
class ParsedDocument:
    heading: Span
    dropped_artifacts: tuple[Span, ...]
    title: Span
    date_line: Span
    date_signed: dt.date
    place_line: Span
    place: Span
    place_country: Span
    clauses: tuple[Span, ...]  # the last one is the attestation
    stated_countries: tuple[StatedCountry, ...]
    entries: tuple[Entry, ...]


def parse_document(source: str, where: str, capture_artifacts: list[tuple[str, str]]) -> ParsedDocument:
    """Parse the layout: heading, capture artifacts (the lines to drop after it, with where each is curated), title,
    date and place, paragraphs, numbered list."""
    cursor = _Cursor(_blocks(source), source, where)
    heading = cursor.single_line_block("the page heading")
    dropped = tuple(cursor.artifact(artifact, curated_at) for artifact, curated_at in capture_artifacts)
    title = cursor.single_line_block("the title")
    date_line, date_signed, place_line, place, place_country = cursor.date_and_place()
    clauses, list_blocks = cursor.paragraphs_until_list()
    stated_countries = _attestation(source, clauses, date_signed, where, list_blocks)
    entries = _entries(source, list_blocks, where)
    return ParsedDocument(heading, dropped, title, date_line, date_signed, place_line, place, place_country,
                          tuple(clauses), stated_countries, entries)


def _lines(source: str) -> list[Line]:
    lines, start = [], 0
    for number, raw in enumerate(source.split("\n"), start=1):
        lines.append(Line(number, start, start + len(raw), raw))
        start += len(raw) + 1
    return lines


def _blocks(source: str) -> list[list[Line]]:
    """Groups of consecutive lines that hold text; lines of only white space separate them."""
    grouped = itertools.groupby(_lines(source), key=lambda line: bool(line.raw.strip()))
    return [list(lines) for holds_text, lines in grouped if holds_text]


class _Cursor:
    """Walks the blocks of the document's top in their published order."""

    def __init__(self, blocks: list[list[Line]], source: str, where: str):
        self.blocks, self.source, self.where, self.index = blocks, source, where, 0

    def _next(self, expected: str) -> list[Line]:
        if self.index >= len(self.blocks):
            raise PipelineError(self.where, f"the document ends early: expected {expected}")
        block = self.blocks[self.index]
        self.index += 1
        return block

    def _span(self, block: list[Line]) -> Span:
        return Span.of(self.source, block[0].start, block[-1].end)

    def single_line_block(self, expected: str) -> Span:
        block = self._next(expected)
        if len(block) != 1:
            raise PipelineError(f"{self.where}, line {block[0].number}", f"expected {expected} on a line of its own, "
                                f"found {len(block)} lines without a blank line between them")
        return self._span(block)

    def artifact(self, artifact: str, curated_at: str) -> Span:
        block = self._next(f"the capture artifact {artifact!r}")
        span = self._span(block)
        if span.text != artifact:
            raise PipelineError(f"{self.where}, line {block[0].number}", f"expected the capture artifact {artifact!r} "
                                f"that {curated_at} lists, found {span.text!r}", f"correct or remove the entry at "
                                f"{curated_at}: it must be the line exactly as the document has it")
        return span

    def date_and_place(self) -> tuple[Span, dt.date, Span, Span, Span]:
        block = self._next("the date line, like 'January 30, 2022'")
        first = block[0]
        date_line = Span.of(self.source, first.start, first.end)
        try:
            date_signed = dt.datetime.strptime(date_line.text, _DATE_LINE_FORMAT).date()
        except ValueError:
            raise PipelineError(f"{self.where}, line {first.number}", "expected the date line, like 'January 30, "
                                f"2022', after the title; found {date_line.text!r}") from None
        if len(block) != 2:
            raise PipelineError(f"{self.where}, line {first.number}",
                                "expected the place line, like 'Istanbul, Turkey', directly under the date line")
        second = block[1]
        place_line = Span.of(self.source, second.start, second.end)
        comma = second.raw.rfind(",")
        if comma <= 0 or not second.raw[comma + 1 :].strip():
            raise PipelineError(f"{self.where}, line {second.number}",
                                f"expected the place line as 'City, Country', found {place_line.text!r}")
        place = Span.of(self.source, second.start, second.start + comma)
        place_country = Span.of(self.source, second.start + comma + 1, second.end)
        return date_line, date_signed, place_line, place, place_country

    def paragraphs_until_list(self) -> tuple[list[Span], list[list[Line]]]:
        paragraphs = []
        while self.index < len(self.blocks):
            block = self.blocks[self.index]
            if _LIST_ENTRY.match(block[0].raw):
                break
            paragraphs.append(self._span(block))
            self.index += 1
        if not paragraphs:
            raise PipelineError(self.where, "expected the agreement's paragraphs after the place line, found none")
        return paragraphs, self.blocks[self.index :]


def _attestation(source: str, clauses: list[Span], date_signed: dt.date, where: str, list_blocks: list[list[Line]]
                 ) -> tuple[StatedCountry, ...]:
    last = clauses[-1]
    line = source.count("\n", 0, last.start) + 1
    match = _ATTESTATION.fullmatch(source, last.start, last.end)
    if not match:
        raise PipelineError(f"{where}, line {line}", "expected the attestation sentence 'Agreed <day month year> by "
                            "... from <countries>.' as the last paragraph before the signatory list, found "
                            f"{last.text[:80]!r}")
    if not list_blocks:
        raise PipelineError(f"{where}, line {line}", "expected the numbered list of signatories after the attestation, "
                            "found none", "restore the document as received: the list follows the attestation, as "
                            f"'  1. Name {EN_DASH} Country'")
    attested_text = normalize(match.group("date"))
    try:
        attested = dt.datetime.strptime(attested_text, _ATTESTATION_DATE_FORMAT).date()
    except ValueError:
        raise PipelineError(f"{where}, line {line}", f"cannot read the attestation's date {attested_text!r}") from None
    if attested != date_signed:
        raise PipelineError(f"{where}, line {line}", f"the attestation's date {attested.isoformat()} differs from the "
                            f"date line's {date_signed.isoformat()}")
    return _stated_countries(source, match.start("countries"), match.end("countries"), where, line)


def _stated_countries(source: str, start: int, end: int, where: str, line: int) -> tuple[StatedCountry, ...]:
    """Split 'A, B, C and D' (with or without a serial comma) into spans of the source."""
    countries, cursor = [], start
    for separator in [*_COUNTRY_SEPARATOR.finditer(source, start, end), None]:
        item_end = separator.start() if separator else end
        span = Span.of(source, cursor, item_end)
        if not span.text:
            raise PipelineError(f"{where}, line {line}", "the attestation's list of countries has an empty item")
        countries.append(StatedCountry(span, _LEADING_ARTICLE.sub("", span.text)))
        cursor = separator.end() if separator else item_end
    return tuple(countries)


def _entries(source: str, list_blocks: list[list[Line]], where: str) -> tuple[Entry, ...]:
    entries: list[Entry] = []
    for line in (line for block in list_blocks for line in block):
        match = _LIST_ENTRY.match(line.raw)
        location = f"{where}, line {line.number}"
        expected_number = len(entries) + 1
        if not match:
            raise PipelineError(location, f"expected numbered list entry {expected_number}, like '  {expected_number}. "
                                f"Name {EN_DASH} Country', found {normalize(line.raw)[:80]!r}")
        number = int(match.group("number"))
        if 0 < number < expected_number:  # the entries so far are numbered 1 to expected_number - 1
            raise PipelineError(location, f"list entry {number} is repeated (first at line "
                                f"{entries[number - 1].line}); expected entry {expected_number}")
        if number != expected_number:
            raise PipelineError(location, f"expected list entry {expected_number}, found entry {number}: "
                                + ("entries are skipped" if number > expected_number else "entries are out of order"))
        entries.append(_entry(source, line, match.end(), number, location))
    return tuple(entries)


def _entry(source: str, line: Line, content_offset: int, number: int, location: str) -> Entry:
    text = Span.of(source, line.start + content_offset, line.end)
    raw = source[text.start : text.end]
    dashes = [index for index, character in enumerate(raw) if character == EN_DASH]
    other = _OTHER_DASH_SEPARATOR.search(raw)
    if other:
        found = other.group().strip()
        raise PipelineError(location, f"list entry {number} separates its parts with {found!r} (U+{ord(found):04X}), "
                            f"not with the en dash {EN_DASH!r} (U+2013) of the list's layout: where the name ends and "
                            "the country begins would be a guess",
                            "restore the document as received; the layout of a list entry is "
                            f"'N. Name {EN_DASH} Country'")
    if len(dashes) > 1:
        raise PipelineError(location, f"list entry {number} has {len(dashes)} en dashes: which one separates the name "
                            "from the country is ambiguous", "restore the document as received; the layout of a list "
                            f"entry is 'N. Name {EN_DASH} Country', with one dash")
    if not dashes:
        name_as_listed, country = text, None
    else:
        dash = dashes[0]
        name_as_listed = Span.of(source, text.start, text.start + dash)
        country = Span.of(source, text.start + dash + 1, text.end)
        if not country.text:
            raise PipelineError(location, f"list entry {number} has a dash but no country after it",
                                f"expected '{number}. Name {EN_DASH} Country'")
    if not name_as_listed.text:
        raise PipelineError(location, f"list entry {number} has no name",
                            f"expected '{number}. Name {EN_DASH} Country'")
    acronym_match = _TRAILING_ACRONYM.match(name_as_listed.text)
    if acronym_match:
        name, acronym = acronym_match.group("name"), acronym_match.group("acronym").strip()
    else:
        name, acronym = name_as_listed.text, None
    return Entry(number, line.number, text, name_as_listed, name, acronym, country)
