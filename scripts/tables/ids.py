"""Identifiers: stable, never reused or renumbered, and prefixed by their agreement so they never collide.

Each is the agreement_id (a slug curated once) and a position in the published document, which
never changes: adding an agreement adds identifiers and changes none.
"""

from __future__ import annotations


def clause_id(agreement_id: str, number: int) -> str:
    return f"{agreement_id}-c{number:02d}"


def signatory_id(agreement_id: str, number: int) -> str:
    return f"{agreement_id}-s{number:02d}"


def annotation_id(agreement_id: str, number: int) -> str:
    return f"{agreement_id}-n{number:02d}"


def act_id(clause: str, number: int) -> str:
    return f"{clause}-a{number}"


def actor_id(agreement_id: str, key: str) -> str:
    return f"{agreement_id}-actor-{key}"


def event_id(agreement_id: str, number: int) -> str:
    return f"{agreement_id}-e{number:02d}"
