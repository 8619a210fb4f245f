"""Check an agreement's curated coding (acts, actors, events) against its text and the codebook, and make its rows."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .errors import PipelineError
from .ids import act_id, actor_id, event_id
from .project import read_yaml
from .schema import enum_values
from .text import normalize

CODING_FILE = "coding.yaml"
_DATE_IN_TEXT = re.compile(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b")  # "9 December 2021"


class _Checker:
    """Reads one coding file; every failure names the file, the item and what is wrong."""

    def __init__(self, path: Path, source: str, clauses: list[dict], schemas: dict[str, dict]):
        self.path, self.source, self.schemas = path, source, schemas
        self.clauses = {row["clause_number"]: row for row in clauses}

    def fail(self, item: str, problem: str, fix: str | None = None):
        raise PipelineError(f"{self.path}, {item}", problem, fix)

    def in_codebook(self, item: str, table: str, field: str, value) -> str:
        allowed = enum_values(self.schemas[table], field)
        if value not in allowed:
            self.fail(item, f"{field} {value!r} is not in the codebook: expected one of {allowed}", "see docs/codebook.md")
        return value

    def clause(self, item: str, number) -> dict:
        if number not in self.clauses:
            self.fail(item, f"clause {number!r} does not exist: the agreement has clauses 1 to {len(self.clauses)}")
        return self.clauses[number]

    def span(self, item: str, clause: dict, entry: dict, what: str) -> tuple[int, int, str]:
        """The entry's [start, end) must lie in the clause and read, normalized, as its text."""
        text, span = entry.get("text"), entry.get("span")
        if not text or not isinstance(span, list) or len(span) != 2 or not all(isinstance(n, int) for n in span):
            self.fail(item, f"the {what} needs 'text' and 'span: [char_start, char_end]'")
        start, end = span
        if not (clause["char_start"] <= start < end <= clause["char_end"]):
            self.fail(item, f"the {what} {text!r} at [{start}, {end}] is not in clause {clause['clause_number']}, "
                            f"which spans [{clause['char_start']}, {clause['char_end']}]")
        found = normalize(self.source[start:end])
        if found != text:
            self.fail(item, f"the {what} {text!r} is not found at its span [{start}, {end}], which reads {found!r}",
                      "correct the span or the text; spans are code-point offsets into document.txt")
        return start, end, text


def coding_rows(folder: Path, agreement_id: str, source: str, clauses: list[dict], schemas: dict[str, dict]) -> dict[str, list[dict]]:
    """The acts, actors, act_actors and events of one agreement; empty tables when it is not coded."""
    path = folder / CODING_FILE
    if not path.is_file():
        return {"acts": [], "actors": [], "act_actors": [], "events": []}
    coding = read_yaml(path)
    check = _Checker(path, source, clauses, schemas)
    actors = _actors(check, coding, agreement_id)
    acts, act_actors = _acts(check, coding, agreement_id, actors)
    events = _events(check, coding, agreement_id, actors)
    used = {row["actor_id"] for row in act_actors} | {row["actor_id"] for row in events}
    for key, row in actors.items():
        if row["actor_id"] not in used:
            check.fail(f"actor {key!r}", "is defined but no act or event names it", "remove it, or code the mention that names it")
    return {"acts": acts, "actors": list(actors.values()), "act_actors": act_actors, "events": events}


def _actors(check: _Checker, coding: dict, agreement_id: str) -> dict[str, dict]:
    actors: dict[str, dict] = {}
    for entry in coding.get("actors") or []:
        key = entry.get("key")
        item = f"actor {key!r}"
        if not key or not entry.get("name"):
            check.fail(item, "an actor needs a 'key' and a 'name'")
        if key in actors:
            check.fail(item, "is defined twice")
        actors[key] = {
            "actor_id": actor_id(agreement_id, key),
            "agreement_id": agreement_id,
            "name": entry["name"],
            "actor_type": check.in_codebook(item, "actors", "actor_type", entry.get("actor_type")),
        }
    return actors


def _acts(check: _Checker, coding: dict, agreement_id: str, actors: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    acts, act_actors = [], []
    numbers: dict[int, int] = {}
    for entry in coding.get("acts") or []:
        clause = check.clause("an act", entry.get("clause"))
        number = numbers[clause["clause_number"]] = numbers.get(clause["clause_number"], 0) + 1
        item = f"act {clause['clause_number']}.{number}"
        start, end, verb = check.span(item, clause, entry.get("verb") or {}, "verb")
        this_act = act_id(clause["clause_id"], number)
        acts.append({
            "act_id": this_act, "clause_id": clause["clause_id"], "agreement_id": agreement_id, "act_number": number,
            "act_type": check.in_codebook(item, "acts", "act_type", entry.get("act_type")),
            "verb_text": verb, "char_start": start, "char_end": end,
        })
        speakers = []
        for mention in entry.get("actors") or []:
            key = mention.get("actor")
            if key not in actors:
                check.fail(item, f"names actor {key!r}, which the actors list does not define")
            role = check.in_codebook(item, "act_actors", "role", mention.get("role"))
            if mention.get("implicit"):
                # An empty span at the clause's start: integer columns stay whole for pandas and Parquet.
                span = (clause["char_start"], clause["char_start"], None)
            else:
                span = check.span(item, clause, mention, f"mention of {key!r}")
            if role == "speaker":
                speakers.append(actors[key])
            act_actors.append({
                "act_id": this_act, "actor_id": actors[key]["actor_id"], "role": role, "agreement_id": agreement_id,
                "is_implicit": bool(mention.get("implicit")), "mention_text": span[2], "char_start": span[0], "char_end": span[1],
            })
        if len(speakers) != 1 or speakers[0]["actor_type"] != "signatories":
            check.fail(item, "every act has exactly one speaker, and it is the signatories (codebook rule 1)")
    for clause in check.clauses.values():
        if clause["clause_number"] not in numbers:
            check.fail(f"clause {clause['clause_number']}", "has no act: every clause is coded with at least one act (codebook rule 2)")
    return acts, act_actors


def _events(check: _Checker, coding: dict, agreement_id: str, actors: dict[str, dict]) -> list[dict]:
    events = []
    for number, entry in enumerate(coding.get("events") or [], start=1):
        item = f"event {number}"
        clause = check.clause(item, entry.get("clause"))
        start, end, text = check.span(item, clause, entry, "event mention")
        if entry.get("actor") not in actors:
            check.fail(item, f"names actor {entry.get('actor')!r}, which the actors list does not define")
        if not entry.get("description"):
            check.fail(item, "an event needs a 'description'")
        dates = _DATE_IN_TEXT.findall(text)
        events.append({
            "event_id": event_id(agreement_id, number), "agreement_id": agreement_id, "clause_id": clause["clause_id"],
            "event_type": check.in_codebook(item, "events", "event_type", entry.get("event_type")),
            "actor_id": actors[entry["actor"]]["actor_id"], "mention_text": text,
            "date": dt.datetime.strptime(dates[0], "%d %B %Y").date() if dates else None,
            "description": entry["description"].strip(), "char_start": start, "char_end": end,
        })
    return events
