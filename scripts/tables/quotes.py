"""What a verbatim quote holds: a value as whole words, case and accents aside, and a date as a page writes it."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# A page that lost the space between two elements runs words together ("HijrahYayasan"): a capital after a
# small letter starts a word, in the quote and the value alike.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")


def fold(text: str) -> str:
    """Case and accents aside, so that İstanbul holds Istanbul and Türkiye holds Turkiye."""
    decomposed = unicodedata.normalize("NFKD", _CAMEL.sub(" ", text))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def holds(quote: str, value: str) -> bool:
    """Whether the quote holds the value as whole words: the year 2019 is not in "120190", nor the city Bath in "Bathurst"."""
    return re.search(rf"(?<!\w){re.escape(fold(value))}(?!\w)", fold(quote)) is not None


def holds_date(quote: str, date: dt.date) -> bool:
    """Whether the quote gives the date as a page writes it: its month by name (or the first three letters) and its day,
    such as "May 20th, 2021", "10 June 2021" or "Feb 25, 2021"; a year it gives must be the date's."""
    month = _MONTHS[date.month - 1]
    names = rf"(?:{month}|{month[:3]}\.?)"
    day = rf"0?{date.day}(?:st|nd|rd|th)?"
    pattern = rf"(?<!\w)(?:{names}\s+{day}|{day}\.?\s+(?:of\s+)?{names})(?!\w)(?:,?\s+([0-9]{{4}}))?"
    return any(found.group(1) is None or int(found.group(1)) == date.year for found in re.finditer(pattern, fold(quote)))
