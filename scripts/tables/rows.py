"""Turn parsed agreements and their curated facts into the rows of every table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pathlib import Path

from ..inputs.changelog import Release
from .coding import coding_rows
from .csvfile import check_columns_and_types
from .countries import CountryResolver, country_rows
from ..errors import PipelineError
from .ids import annotation_id, clause_id, signatory_id
from .organizations import Organizations
from .parse import ParsedDocument, parse_document
from .quotes import AGREEMENT_PAGE_KIND
from .recognitions import PATH as RECOGNITIONS, Recognitions
from .spool import TableFolder, TableRows
from ..inputs.project import Project
from ..inputs.schema import COUNTRIES, arrow_schema
from ..inputs.source import SourceDocument, read_source

Rows = list[dict]


_SUBJECT_IDS = {"clauses": clause_id, "signatories": signatory_id}


@dataclass(frozen=True)
class Agreement:
    """One source document with its parse: everything the tables are built from."""

    source: SourceDocument
    parsed: ParsedDocument
    resolver: CountryResolver

    @property
    def agreement_id(self) -> str:
        return self.source.agreement_id

    def curated(self, key: str):
        return self.source.metadata[key]["value"]


def parse_agreement(source: SourceDocument, release: Release) -> Agreement:
    artifacts = [(artifact["text"], source.curated.where("capture_artifacts", index, "text"))
                 for index, artifact in enumerate(source.metadata.get("capture_artifacts") or [])]
    parsed = parse_document(source.text, source.relative_path, artifacts)
    signed = parsed.date_signed
    if signed > release.date:
        line = source.text[: parsed.date_line.start].count("\n") + 1
        raise PipelineError(
            f"{source.relative_path}, line {line}",
            f"the agreement was signed on {signed.isoformat()}, after the date of the release being made ({release.version}, {release.date.isoformat()}, CHANGELOG.md line {release.line})",
            "a document cannot be signed after it is published: check the document, or date the release in CHANGELOG.md",
        )
    return Agreement(source, parsed, CountryResolver(source.curated))


def build_tables(folders: list[Path], project: Project, release: Release) -> tuple[dict[str, TableRows], list[SourceDocument], tuple[tuple[str, str, int], ...]]:
    """Every table's rows, in a fixed order, from every agreement's folder, the documents they were read
    from, and the corpus's curated files (path, sha256, size); `release` is the version being built.

    Each agreement's rows go to their tables' files as soon as they are made: the build holds one
    agreement at a time, and the shared tables (organizations, recognitions, countries) at the end.
    """
    folder = TableFolder()
    types = {name: arrow_schema(schema) for name, schema in project.schemas.items()}
    tables: dict[str, TableRows] = {}
    last_keys: dict[str, tuple] = {}
    out_of_order = set()
    organizations = Organizations(project.root, project.schemas)
    sources = []
    for agreement_folder in folders:
        source, rows = read_agreement(agreement_folder, project, release, organizations)
        sources.append(source)
        for name, table_rows in rows.items():
            if name not in tables:
                if name not in types:
                    project.package_file.fail(("resources",), f"lists the tables {sorted(project.table_names)}, but the build makes {name} too",
                                              "list exactly the tables the build makes, each with its schema in schemas/")
                tables[name] = folder.table(types[name])
            if not table_rows:
                continue
            check_columns_and_types(name, table_rows, project.schemas[name]["fields"])
            table_rows = _in_order(name, table_rows, rows.get("acts", []))
            if name in _ORDER:
                first, last = _sort_key(name, table_rows[0]), _sort_key(name, table_rows[-1])
                if name in last_keys and first < last_keys[name]:
                    out_of_order.add(name)  # an agreement_id that is a prefix of another's can sort its ids before the other's
                last_keys[name] = last
            tables[name].append(table_rows)
    for name in ("signatories", "agreements", "actors", "events"):
        if name not in tables:
            tables[name] = folder.table(types[name])
    for name in sorted(out_of_order):
        tables[name] = tables[name].sorted(key=lambda row, name=name: _sort_key(name, row))
    if "acts" in out_of_order:
        tables["act_actors"] = folder.table(types["act_actors"], _after_their_acts(tables["act_actors"], tables["acts"].column("act_id")))
    for name, rows in organizations.tables(tables["signatories"], tables["agreements"], tables["actors"]).items():
        tables[name] = folder.table(types[name], _sorted(name, rows))
    recognitions = Recognitions(project.root, project.schemas)
    tables["recognitions"] = folder.table(types["recognitions"], _sorted("recognitions", recognitions.rows(tables["agreements"], tables["actors"], tables["events"])))
    tables["actors"] = folder.table(types["actors"], _resolved_actors(tables["actors"], set(tables["recognitions"].column("actor_id"))))
    tables[COUNTRIES] = folder.table(types[COUNTRIES], country_rows(codes_held_by_keys_to(COUNTRIES, tables, project.schemas)))
    return tables, sources, organizations.files + recognitions.files


def codes_held_by_keys_to(parent: str, tables: dict[str, TableRows], schemas: dict[str, dict]) -> set[str]:
    """Every value of every column that a foreign key ties to `parent`: the rows `parent` must have, read from the schemas."""
    codes = set()
    for name, schema in schemas.items():
        for foreign in schema.get("foreignKeys", []):
            if foreign["reference"]["resource"] == parent and name != parent:
                (column,) = foreign["fields"]  # the schema check allows a key to countries of one column only
                codes.update(code for code in tables[name].column(column) if code)
    return codes


# The tables made once for the corpus, after every agreement's rows.
_SHARED = {"organizations", "organization_names", "organization_facts", "recognitions", "countries"}


def _sort_key(name: str, row: dict) -> tuple:
    return tuple(row[column] for column in _ORDER[name])


def _sorted(name: str, rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: _sort_key(name, row)) if name in _ORDER else rows


def _in_order(name: str, rows: list[dict], acts: list[dict]) -> list[dict]:
    """One agreement's rows of a table in the table's order; the parties of an act follow their act, then the coding's reading order."""
    if name == "act_actors":
        return _after_their_acts(rows, [act["act_id"] for act in _sorted("acts", acts)])
    return _sorted(name, rows)


def _after_their_acts(act_actors: Iterable[dict], act_ids: list[str]) -> list[dict]:
    """The parties of acts in the order of their acts, then the coding's reading order (a stable sort)."""
    position = {act_id: index for index, act_id in enumerate(act_ids)}
    return sorted(act_actors, key=lambda row: position[row["act_id"]])


def _resolved_actors(actors, resolved_by_recognitions: set[str]) -> Iterator[dict]:
    """Every party of every coding with what it is: a party no coding resolves must be one that recognitions.yaml resolves."""
    for row in actors:
        by_recognitions = row["actor_id"] in resolved_by_recognitions
        if by_recognitions == (row["resolution"] is not None):
            coding = f"data/source/{row['agreement_id']}/coding.yaml"
            if by_recognitions:
                raise PipelineError(coding, f"actor {row['name']!r} is {row['resolution']} there, and {RECOGNITIONS} resolves it to the states it lists",
                                    "give it neither a country nor an unresolved reason in the coding, or remove it from recognitions.yaml")
            raise PipelineError(coding, f"actor {row['name']!r} says neither what it is nor why it is no one entity",
                                "give it a country (a state), or unresolved: and the reason (a class of parties, or not looked up yet)")
        yield {**row, "resolution": "recognitions"} if by_recognitions else row


def read_agreement(folder: Path, project: Project, release: Release, organizations: Organizations) -> tuple[SourceDocument, dict[str, Rows]]:
    """One agreement's document, its curated values let go, and its rows of every table but the shared ones."""
    source = read_source(folder, project)
    rows = agreement_tables(source, (project.schemas, project.root, release, organizations))
    return source.without_contents(project.root), rows


def agreement_tables(source: SourceDocument, context: tuple[dict[str, dict], Path, Release, Organizations]) -> dict[str, Rows]:
    """One agreement's rows of every table but countries and organizations, which are shared."""
    schemas, root, release, organizations = context
    agreement = parse_agreement(source, release)
    signatories = signatory_rows(agreement, organizations)
    stated = agreement_country_rows(agreement, signatories)
    clauses = clause_rows(agreement)
    _check_discrepancies_are_documented(agreement, signatories, stated)
    return {
        "agreements": [agreement_row(agreement, len(signatories))],
        "clauses": clauses,
        **coding_rows(agreement.source, root, clauses, schemas),
        "signatories": signatories,
        "agreement_countries": stated,
        "annotations": annotation_rows(agreement, len(clauses), len(signatories)),
    }


# Each table's rows are sorted by these columns.
_ORDER = {
    "agreements": ("agreement_id",),
    "clauses": ("agreement_id", "clause_number"),
    "signatories": ("agreement_id", "list_number"),
    "agreement_countries": ("agreement_id", "position"),
    "annotations": ("annotation_id",),
    "acts": ("clause_id", "act_number"),
    "actors": ("actor_id",),
    "events": ("event_id",),
    "organizations": ("organization_id",),
    "organization_names": ("organization_id", "kind", "name"),
    "organization_facts": ("organization_id", "property"),
    "recognitions": ("agreement_id", "date", "recognition_id"),
}


def agreement_row(agreement: Agreement, signatory_count: int) -> dict:
    parsed, source = agreement.parsed, agreement.source
    where = f"{source.relative_path} (place line)"
    return {
        "agreement_id": agreement.agreement_id,
        "title": parsed.title.text,
        "heading": parsed.heading.text,
        "date_signed": parsed.date_signed,
        "date_as_published": parsed.date_line.text,
        "place": parsed.place.text,
        "place_country_code": agreement.resolver.resolve(parsed.place_country.text, where),
        "place_as_published": parsed.place_line.text,
        "language": agreement.curated("language"),
        "publisher": agreement.curated("publisher"),
        "source_url": agreement.curated("source_url"),
        "source_path": source.relative_path,
        "source_sha256": source.sha256,
        "clause_count": len(parsed.clauses),
        "signatory_count": signatory_count,
        **_span_fields("heading", parsed.heading),
        **_span_fields("title", parsed.title),
        **_span_fields("date", parsed.date_line),
        **_span_fields("place", parsed.place_line),
        "is_coded": source.is_coded,
    }


def _span_fields(prefix: str, span) -> dict:
    return {f"{prefix}_char_start": span.start, f"{prefix}_char_end": span.end}


def clause_rows(agreement: Agreement) -> Rows:
    clauses = agreement.parsed.clauses
    return [
        {
            "clause_id": clause_id(agreement.agreement_id, number),
            "agreement_id": agreement.agreement_id,
            "clause_number": number,
            "text": span.text,
            "is_attestation": number == len(clauses),
            "char_start": span.start,
            "char_end": span.end,
        }
        for number, span in enumerate(clauses, start=1)
    ]


def signatory_rows(agreement: Agreement, organizations: Organizations) -> Rows:
    rows = []
    for entry in agreement.parsed.entries:
        country = entry.country_as_listed
        where = f"{agreement.source.relative_path}, line {entry.line}"
        resolved = organizations.resolve(agreement.agreement_id, entry.number)
        rows.append({
            "signatory_id": signatory_id(agreement.agreement_id, entry.number),
            "agreement_id": agreement.agreement_id,
            "list_number": entry.number,
            "name_as_listed": entry.name_as_listed.text,
            "name": entry.name,
            "acronym": entry.acronym,
            "country_as_listed": country.text if country else None,
            "country_code": agreement.resolver.resolve(country.text, where) if country else None,
            "organization_id": resolved.organization_id,
            "resolution": resolved.resolution,
            "resolution_note": resolved.note,
            "entry_text": entry.text.text,
            "char_start": entry.text.start,
            "char_end": entry.text.end,
        })
    return rows


def agreement_country_rows(agreement: Agreement, signatories: Rows) -> Rows:
    where = f"{agreement.source.relative_path} (attestation)"
    rows = []
    for position, stated in enumerate(agreement.parsed.stated_countries, start=1):
        code = agreement.resolver.resolve(stated.lookup_name, where)
        rows.append({
            "agreement_id": agreement.agreement_id,
            "position": position,
            "country_code": code,
            "name_as_stated": stated.as_stated.text,
            "listed_signatory_count": sum(1 for row in signatories if row["country_code"] == code),
            "char_start": stated.as_stated.start,
            "char_end": stated.as_stated.end,
        })
    return rows


def _check_discrepancies_are_documented(agreement: Agreement, signatories: Rows, stated: Rows) -> None:
    """Stated and listed countries differ only where known_discrepancies says so, in the direction it says."""
    curated = agreement.source.curated
    listed_codes = {row["country_code"] for row in signatories if row["country_code"]}
    stated_codes = {row["country_code"] for row in stated}
    actual = {code: "stated-not-listed" for code in stated_codes - listed_codes} | {code: "listed-not-stated" for code in listed_codes - stated_codes}
    documented = {}
    for index, entry in enumerate(curated.data.get("known_discrepancies") or []):
        code = entry["country_code"]
        documented[code] = entry["kind"]
        if code not in actual:
            curated.fail(("known_discrepancies", index, "country_code"), f"documents a discrepancy for {code}, but the attestation and the list agree on it",
                         "remove the entry, or correct its country_code")
        if actual[code] != entry["kind"]:
            curated.fail(("known_discrepancies", index, "kind"), f"says {code} is {entry['kind']}, but it is {actual[code]}", f"write kind: {actual[code]}")
    for code, kind in sorted(actual.items()):
        if code not in documented:
            where = f"{agreement.source.relative_path} (attestation)" if kind == "stated-not-listed" else f"{agreement.source.relative_path} (signatory list)"
            raise PipelineError(where, f"{code} is {'stated in the attestation but named by no entry of the list' if kind == 'stated-not-listed' else 'named by the list but not stated in the attestation'}, and no known_discrepancies entry of {curated.relative} documents it",
                                f"add it to known_discrepancies in {curated.relative} with kind {kind}, an explanation and its source")


def annotation_rows(agreement: Agreement, clause_count: int, signatory_count: int) -> Rows:
    """Curated notes, in a fixed order: dropped artifacts, known discrepancies, then context."""
    metadata, agreement_id = agreement.source.metadata, agreement.agreement_id
    source_url = agreement.curated("source_url")
    notes = []
    artifacts = metadata.get("capture_artifacts") or []
    for artifact, span in zip(artifacts, agreement.parsed.dropped_artifacts):
        notes.append(("capture-artifact", "agreements", agreement_id,
                      f"The line {span.text!r} (source characters {span.start}-{span.end}) is not part of "
                      f"the agreement and is dropped from the tables. {artifact['reason'].strip()}",
                      False, source_url, AGREEMENT_PAGE_KIND))
    for discrepancy in metadata.get("known_discrepancies") or []:
        notes.append(("discrepancy", "countries", discrepancy["country_code"],
                      discrepancy["explanation"].strip(), bool(discrepancy["is_inference"]),
                      discrepancy.get("source_url") or None, discrepancy.get("source_kind")))
    counts = {"clauses": clause_count, "signatories": signatory_count}
    for index, context in enumerate(metadata.get("context_notes") or []):
        subject = context["subject"]
        make_id = _SUBJECT_IDS[subject["table"]]  # the contract allows only these tables
        if subject["number"] > counts[subject["table"]]:
            agreement.source.curated.fail(("context_notes", index, "subject", "number"), f"{subject['table']} {subject['number']} does not exist: the agreement has {counts[subject['table']]} {subject['table']}",
                                          "correct the number")
        notes.append(("context", subject["table"], make_id(agreement_id, int(subject["number"])),
                      context["note"].strip(), bool(context["is_inference"]), context.get("source_url") or None,
                      context.get("source_kind")))
    return [
        {
            "annotation_id": annotation_id(agreement_id, number),
            "agreement_id": agreement_id,
            "kind": kind,
            "subject_table": table,
            "subject_id": subject_id,
            "note": note,
            "is_inference": is_inference,
            "source_url": url,
            "source_kind": source_kind,
        }
        for number, (kind, table, subject_id, note, is_inference, url, source_kind) in enumerate(notes, start=1)
    ]
