"""Counts of the tables in words, so that every description of the package says what the data holds."""

from __future__ import annotations

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
PLACEHOLDER = "{clauses}"  # where metadata/package.yaml's description names what the clauses table holds


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


def describe(template: str, clauses: list[dict]) -> str:
    return template.replace(PLACEHOLDER, clauses_in_words(clauses))
