"""What a verbatim quote holds (whole words, case and accents aside, a date as pages write it), and the quoted pages."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from ..inputs.curated import file_entry, load_optional

# A page that lost the space between two elements runs words together ("HijrahYayasan"): a capital after a
# small letter starts a word, in the quote and the value alike.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# The kind of source of what is quoted from an agreement's own published text (a name as listed, a dropped artifact):
# the document is the official record of itself.
AGREEMENT_PAGE_KIND = "official"
# What the build requires a quote to hold, by kind of fact, in the words the README and the page print: the checks
# of tables/organizations.py and tables/recognitions.py apply exactly these, and a test ties each to a refusal.
WHAT_A_QUOTE_HOLDS = {
    "name": "the name, as whole words (case and accents aside)",
    "founded": "the year, as a word of its own; a founding written as a date, its day, month and year, each as a word "
               "of its own (6 August 1971, August 6, 1971, 1971-08-06 or 06.08.1971)",
    "website": "the site's domain (such as uhrp.org), or, on a page of that site, one of the organization's names",
    "headquarters_city": "the city, as whole words",
    "headquarters_country_code": "the country's name (its ISO 3166-1 short, common or official name, or a spelling a "
                                 "signatory list uses), or the name of one of its states, provinces or regions",
    "wikipedia_url": "the article's title",
    "recognition": "the word genocide, and the date of the body the row names, whole (day, month and year), in the "
                   "quote or in date_quote, a second quote of the same page such as its date line; a report dated the "
                   "next day may say \"yesterday\"",
}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = r"(?P<m>" + "|".join(rf"{month}|{month[:3]}\.?" for month in _MONTHS) + ")"
_DAY = r"(?P<d>0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>[0-9]{4})"
# The forms a page writes a whole date in, on folded text: "6 August 1971", "August 6, 1971", "1971-08-06" and
# "06.08.1971" (day first, as European pages write it). Each part is a word of its own.
_DATE_FORMS = [re.compile(rf"(?<![\w.-]){pattern}(?![\w-]|\.[0-9])") for pattern in (
    _DAY + r"\.?\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR,
    _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR,
    _YEAR + r"-(?P<n>[0-9]{2})-(?P<d>[0-9]{2})",
    r"(?P<d>[0-9]{1,2})\.(?P<n>[0-9]{1,2})\.(?P<y>[0-9]{4})",
)]


def fold(text: str) -> str:
    """Case and accents aside, so that İstanbul holds Istanbul and Türkiye holds Turkiye."""
    decomposed = unicodedata.normalize("NFKD", _CAMEL.sub(" ", text))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def holds(quote: str, value: str) -> bool:
    """Whether the quote holds the value as whole words: 2019 is not in "120190", nor the city Bath in "Bathurst"."""
    return re.search(rf"(?<!\w){re.escape(fold(value))}(?!\w)", fold(quote)) is not None


def _month_number(found: re.Match) -> int:
    named = found.groupdict().get("m")
    if named is not None:
        return next(number for number, month in enumerate(_MONTHS, 1) if month.startswith(named.rstrip(".")[:3]))
    return int(found["n"])


def dates_in(text: str) -> list[dt.date]:
    """Every whole date the text writes, day, month and year, in the order written; a date not real is left out."""
    found_dates = []
    folded = fold(text)
    for form in _DATE_FORMS:
        for found in form.finditer(folded):
            try:
                date = dt.date(int(found["y"]), _month_number(found), int(found["d"]))
            except ValueError:
                continue
            found_dates.append((found.start(), date))
    return [date for _, date in sorted(found_dates, key=lambda pair: pair[0])]


def real_date(value: str) -> dt.date | None:
    """The date a YYYY-MM-DD value names, or None where it names none (2021-02-30, or another form)."""
    try:
        return dt.date.fromisoformat(value) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) else None
    except ValueError:
        return None


def gives_date(quote: str, date: dt.date) -> bool:
    """Whether the quote writes the date whole: its day, its month and its year, each as a word of its own."""
    return date in dates_in(quote)


def gives_value(quote: str, value: str) -> bool:
    """Whether the quote gives a value written as a year (YYYY) or a date (YYYY-MM-DD), at the value's own precision:
    a date needs its day, month and year, a year the year."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return gives_date(quote, dt.date.fromisoformat(value))
    return holds(quote, value)


class QuotedPages:
    """A curated file of facts quoted from public pages, read once for the corpus; empty where the checkout has none."""

    def __init__(self, root: Path, path: str, contract: str, schemas: dict[str, dict], empty: dict):
        self.path, self.curated = path, load_optional(root, path, contract, schemas)
        self.data = self.curated.data if self.curated else empty
        self.pages = self.data["pages"]

    @property
    def files(self) -> tuple[tuple[str, str, int], ...]:
        """(path, sha256, size) of the file as read, for the descriptor and the release."""
        return file_entry(self.curated, self.path)

    def check_read_on(self, key: str) -> None:
        if real_date(self.pages[key]["read_on"]) is None:
            self.fail(("pages", key, "read_on"), f"{self.pages[key]['read_on']!r} is not a real date",
                      "write the date the page was read, YYYY-MM-DD")

    def page(self, key: str, keys: tuple) -> dict:
        if key not in self.pages:
            self.fail(keys, f"names the page {key!r}, which pages does not define",
                      "add the page under pages, with its url, title, publisher and read_on")
        return self.pages[key]

    def cited(self, key: str) -> dict:
        """The columns of a row that cite the page."""
        page = self.pages[key]
        return {"source_url": page["url"], "source_title": page["title"], "source_publisher": page["publisher"],
                "source_kind": page["kind"], "read_on": dt.date.fromisoformat(page["read_on"])}

    def fail(self, keys: tuple, problem: str, fix: str):
        self.curated.fail(keys, problem, fix)
