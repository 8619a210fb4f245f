"""Counts of the tables in words, so that every description of the package says what the data holds."""

from __future__ import annotations

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
PLACEHOLDER = "{clauses}"  # where metadata/package.yaml's description names what the clauses table holds
TABLES = "{tables}"  # where it names the tables the package holds: a new table is named with no edit of the text


def in_words(count: int) -> str:
    return _WORDS[count] if count < len(_WORDS) else f"{count:,}"


def clauses_in_words(clauses: list[dict]) -> str:
    """'nine paragraphs and an attestation' for one agreement; for a corpus, the totals of both."""
    attestations = sum(1 for clause in clauses if clause["is_attestation"])
    paragraphs = len(clauses) - attestations
    noun = "paragraph" if paragraphs == 1 else "paragraphs"
    if attestations == 1:
        return f"{in_words(paragraphs)} {noun} and an attestation"
    return f"{in_words(paragraphs)} {noun} and {in_words(attestations)} attestations"


def tables_in_words(names: list[str]) -> str:
    """'14 tables: agreements, clauses, … and recognitions', from the tables' names."""
    spoken = [name.replace("_", " ") for name in names]
    listed = spoken[0] if len(spoken) == 1 else f"{', '.join(spoken[:-1])} and {spoken[-1]}"
    return f"{in_words(len(names))} {'table' if len(names) == 1 else 'tables'}: {listed}"


def describe(template: str, clauses: list[dict], tables: list[str]) -> str:
    return template.replace(PLACEHOLDER, clauses_in_words(clauses)).replace(TABLES, tables_in_words(tables))
