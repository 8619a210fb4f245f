"""Check an agreement's curated coding (acts, actors, events) against its text and the codebook, and make its rows."""

from __future__ import annotations

from pathlib import Path

from ..errors import PipelineError
from ..inputs.curated import CuratedFile, load_curated
from ..inputs.source import CODING_FILE, SourceDocument
from .countries import CountryResolver
from .ids import act_id, actor_id, event_id
from .quotes import dates_in
from .text import normalize


class _Checker:
    """Checks one coding file against its document; every failure names the file, its line and the item."""

    def __init__(self, coding: CuratedFile, source: str, clauses: list[dict]):
        self.fail, self.source = coding.fail, source
        self.clauses = {row["clause_number"]: row for row in clauses}

    def clause(self, keys: tuple, number: int) -> dict:
        if number not in self.clauses:
            self.fail(keys, f"clause {number} does not exist: the agreement has clauses 1 to {len(self.clauses)}")
        return self.clauses[number]

    def span(self, keys: tuple, clause: dict, entry: dict, what: str) -> tuple[int, int, str]:
        """The entry's [start, end) must lie in the clause and read, normalized, as its text."""
        text, (start, end) = entry["text"], entry["span"]
        if not (clause["char_start"] <= start < end <= clause["char_end"]):
            self.fail((*keys, "span"), f"the {what} {text!r} at [{start}, {end}] is not in clause "
                      f"{clause['clause_number']}, which spans [{clause['char_start']}, {clause['char_end']}]",
                      "spans are [char_start, char_end) code-point offsets into document.txt, inside the clause")
        found = normalize(self.source[start:end])
        if found != text:
            self.fail((*keys, "span"), f"the {what} {text!r} is not found at its span [{start}, {end}], which reads "
                      f"{found!r}", "correct the span or the text; spans are code-point offsets into document.txt")
        raw = self.source[start:end]
        if raw != raw.strip():
            edge = "starts" if raw[:1].isspace() else "ends"
            self.fail((*keys, "span"), f"the {what} {text!r} at [{start}, {end}] {edge} on white space, so its "
                      "char_start or char_end would point at a space",
                      f"make the span exact: [{start + len(raw) - len(raw.lstrip())}, "
                      f"{end - len(raw) + len(raw.rstrip())}]")
        source = self.source
        inside = [at for at in (start, end) if 0 < at < len(source) and (source[at - 1] + source[at]).isalnum()]
        if inside:
            word = self.source[max(0, inside[0] - 20) : inside[0] + 20].replace("\n", " ")
            self.fail((*keys, "span"), f"the {what} {text!r} at [{start}, {end}] starts or ends inside a word, at "
                      f"{inside[0]} in {word!r}", "point the span at the whole word: the same letters inside a longer "
                      "word are not the text")
        return start, end, text


def read_coding(source: SourceDocument, root: Path, schemas: dict[str, dict]) -> CuratedFile | None:
    """An agreement's coding.yaml, checked against its contract; None when agreement.yaml says it is not coded yet."""
    return load_curated(source.folder / CODING_FILE, root, "coding", schemas) if source.is_coded else None


def coding_rows(source: SourceDocument, coding: CuratedFile | None, clauses: list[dict]) -> dict[str, list[dict]]:
    """The acts, actors, act_actors and events of one agreement; none when it is not coded yet."""
    if coding is None:
        return {"acts": [], "actors": [], "act_actors": [], "events": []}
    check = _Checker(coding, source.text, clauses)
    agreement_id = source.agreement_id
    actors = _actors(check, coding.data, agreement_id, CountryResolver(source.curated))
    acts, act_actors = _acts(check, coding.data, agreement_id, actors)
    events = _events(check, coding.data, agreement_id, actors)
    used = {row["actor_id"] for row in act_actors} | {row["actor_id"] for row in events}
    for index, (key, row) in enumerate(actors.items()):
        if row["actor_id"] not in used:
            check.fail(("actors", index, "key"), f"actor {key!r} is defined but no act or event names it",
                       "remove it, or code the mention that names it")
    return {"acts": acts, "actors": list(actors.values()), "act_actors": act_actors, "events": events}


def _actors(check: _Checker, coding: dict, agreement_id: str, countries: CountryResolver) -> dict[str, dict]:
    """Each party and what it is: a state, the signatories, an organization, or unresolved with its reason; resolution
    stays None for a party that recognitions.yaml resolves, and the build refuses one that nothing resolves."""
    actors = {}
    for index, entry in enumerate(coding["actors"]):
        said = [key for key in ("country", "organization", "unresolved") if key in entry]
        signatories = entry["actor_type"] == "signatories"
        if len(said) > 1 or (said and signatories):
            check.fail(("actors", index, said[-1]), f"actor {entry['key']!r} says {' and '.join(said)}"
                       f"{' but is the signatories' if signatories else ''}: a party is one of a state, the "
                       "signatories, an organization, or unresolved", "keep the one that holds")
        country = None
        if "country" in entry:
            try:
                country = countries.resolve(entry["country"], "")
            except PipelineError as exc:
                check.fail(("actors", index, "country"), exc.problem, exc.fix)
        organization = entry.get("organization")
        resolution = ("state" if country else "signatories" if signatories else "organization" if organization
                      else "unresolved" if "unresolved" in entry else None)
        actors[entry["key"]] = {"actor_id": actor_id(agreement_id, entry["key"]), "agreement_id": agreement_id,
                                "name": entry["name"], "actor_type": entry["actor_type"], "resolution": resolution,
                                "country_code": country, "organization_id": organization,
                                "resolution_note": normalize(entry["unresolved"]) if "unresolved" in entry else None}
    return actors


def _acts(check: _Checker, coding: dict, agreement_id: str, actors: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    acts, act_actors = [], []
    numbers: dict[int, int] = {}
    for index, entry in enumerate(coding["acts"]):
        keys = ("acts", index)
        clause = check.clause((*keys, "clause"), entry["clause"])
        number = numbers[clause["clause_number"]] = numbers.get(clause["clause_number"], 0) + 1
        start, end, verb = check.span((*keys, "verb"), clause, entry["verb"], "verb")
        this_act = act_id(clause["clause_id"], number)
        acts.append({"act_id": this_act, "clause_id": clause["clause_id"], "agreement_id": agreement_id,
                     "act_number": number, "act_type": entry["act_type"], "verb_text": verb, "char_start": start,
                     "char_end": end})
        speakers = []
        for position, mention in enumerate(entry["actors"]):
            mention_keys = (*keys, "actors", position)
            key = mention["actor"]
            if key not in actors:
                check.fail((*mention_keys, "actor"), f"names actor {key!r}, which the actors list does not define",
                           f"define it under actors, or use one of {', '.join(actors)}")
            if mention.get("implicit"):
                # An empty span at the clause's start: integer columns stay whole for pandas and Parquet.
                span = (clause["char_start"], clause["char_start"], None)
            else:
                span = check.span(mention_keys, clause, mention, f"mention of {key!r}")
            if mention["role"] == "speaker":
                speakers.append(actors[key])
            act_actors.append({"act_id": this_act, "actor_id": actors[key]["actor_id"], "role": mention["role"],
                               "agreement_id": agreement_id, "is_implicit": bool(mention.get("implicit")),
                               "mention_text": span[2], "char_start": span[0], "char_end": span[1]})
        if len(speakers) != 1 or speakers[0]["actor_type"] != "signatories":
            check.fail((*keys, "actors"), f"act {clause['clause_number']}.{number} has {len(speakers)} speaker(s): "
                       "every act has exactly one, and it is the signatories (codebook rule 1)")
    for clause in check.clauses.values():
        if clause["clause_number"] not in numbers:
            check.fail(("acts",), f"clause {clause['clause_number']} has no act: every clause is coded with at least "
                       "one act (codebook rule 2)")
    return acts, act_actors


def _events(check: _Checker, coding: dict, agreement_id: str, actors: dict[str, dict]) -> list[dict]:
    events = []
    for index, entry in enumerate(coding["events"]):
        keys = ("events", index)
        clause = check.clause((*keys, "clause"), entry["clause"])
        start, end, text = check.span(keys, clause, entry, "event mention")
        if entry["actor"] not in actors:
            check.fail((*keys, "actor"), f"names actor {entry['actor']!r}, which the actors list does not define",
                       f"define it under actors, or use one of {', '.join(actors)}")
        dates = dates_in(text)
        events.append({"event_id": event_id(agreement_id, index + 1), "agreement_id": agreement_id,
                       "clause_id": clause["clause_id"], "event_type": entry["event_type"],
                       "actor_id": actors[entry["actor"]]["actor_id"], "mention_text": text,
                       "date": dates[0] if dates else None, "description": entry["description"].strip(),
                       "char_start": start, "char_end": end})
    return events
