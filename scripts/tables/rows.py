"""Turn parsed agreements and their curated facts into the rows of every table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from ..cells import has_type
from ..errors import PipelineError
from ..inputs.changelog import Release
from ..inputs.project import Project
from ..inputs.schema import COUNTRIES
from ..inputs.source import SourceDocument, read_source
from .coding import coding_rows, read_coding
from .countries import CountryResolver, country_rows
from .ids import annotation_id, clause_id, signatory_id
from .organizations import Organizations
from .parse import ParsedDocument, parse_document
from .quotes import AGREEMENT_PAGE_KIND
from .recognitions import PATH as RECOGNITIONS, Recognitions

Rows = list[dict]

# A table's rows are in the order of its primaryKey, except these, whose keys sorted as text would reorder the
# released rows: a number inside an id ("…-a10" before "…-a2"), an agreement whose id is a prefix of the next one's
# ("<id>-a-c01" before "<id>-c01"), and recognitions, which go by date. The parties of an act follow their act, in
# the coding's reading order.
_ORDER_NOT_BY_KEY = {
    "clauses": ("agreement_id", "clause_number"),
    "signatories": ("agreement_id", "list_number"),
    "acts": ("clause_id", "act_number"),
    "recognitions": ("agreement_id", "date", "recognition_id"),
    "act_actors": None,
}
_SUBJECT_IDS = {"clauses": clause_id, "signatories": signatory_id}
# A country on one side only of the attestation and the list: where it is, and what it is.
_DISCREPANCIES = {"stated-not-listed": ("attestation", "stated in the attestation but named by no entry of the list"),
                  "listed-not-stated": ("signatory list", "named by the list but not stated in the attestation")}


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
        made = f"{release.version}, {release.date.isoformat()}, CHANGELOG.md line {release.line}"
        raise PipelineError(f"{source.relative_path}, line {line}",
                            f"the agreement was signed on {signed.isoformat()}, after the date of the release being "
                            f"made ({made})", "a document cannot be signed after it is published: check the document, "
                            "or date the release in CHANGELOG.md")
    return Agreement(source, parsed, CountryResolver(source.curated))


def build_tables(folders: list[Path], project: Project, release: Release
                 ) -> tuple[dict[str, Rows], list[SourceDocument], tuple[tuple[str, str, int], ...]]:
    """Every table's rows in order, the documents they were read from, and the corpus's curated files (path, sha256,
    size); `release` is the version being built."""
    order = {name: _ORDER_NOT_BY_KEY.get(name, schema["primaryKey"]) for name, schema in project.schemas.items()}
    keys = {name: itemgetter(*columns) for name, columns in order.items() if columns}
    tables: dict[str, Rows] = {}
    organizations = Organizations(project.root, project.schemas)
    sources = []
    for agreement_folder in folders:
        source, rows = read_agreement(agreement_folder, project, release, organizations)
        sources.append(source)
        for name, table_rows in rows.items():
            if name not in project.schemas:
                project.package_file.fail(("resources",), f"lists the tables {sorted(project.table_names)}, but "
                                          f"the build makes {name} too", "list exactly the tables the build "
                                          "makes, each with its schema in schemas/")
            if table_rows:
                check_columns_and_types(name, table_rows, project.schemas[name]["fields"])
            tables.setdefault(name, []).extend(table_rows)
    for name, key in keys.items():
        if name in tables:
            tables[name].sort(key=key)
    if "act_actors" in tables:
        tables["act_actors"] = _after_their_acts(tables["act_actors"], [act["act_id"] for act in tables["acts"]])
    for name, rows in organizations.tables(tables["signatories"], tables["agreements"], tables["actors"]).items():
        tables[name] = sorted(rows, key=keys[name])
    recognitions = Recognitions(project.root, project.schemas)
    rows = recognitions.rows(tables["agreements"], tables["actors"], tables["events"])
    tables["recognitions"] = sorted(rows, key=keys["recognitions"])
    recognized = {row["actor_id"] for row in tables["recognitions"]}
    tables["actors"] = list(_resolved_actors(tables["actors"], recognized))
    codes = codes_held_by_keys_to(COUNTRIES, tables, project.schemas)
    tables[COUNTRIES] = country_rows(codes)
    return tables, sources, organizations.files + recognitions.files


def check_columns_and_types(name: str, rows: list[dict], fields: list[dict]) -> None:
    """The build's columns are the schema's, and each column's first value is of the declared type: a schema edited to
    another type is named here, not in a failed Parquet write."""
    schema_file = f"schemas/{name}.json"
    declared, built = {field["name"] for field in fields}, set(rows[0])
    if declared != built:
        missing, extra = sorted(declared - built), sorted(built - declared)
        problem = (f"declares {missing} that the build does not make" if missing
                   else f"lacks {extra} that the build makes")
        raise PipelineError(f"{schema_file} (fields)", problem, f"the build makes the columns {sorted(built)}: declare "
                            "exactly those (a renamed column is a major version)")
    for index, column in enumerate(fields):
        value = next((row[column["name"]] for row in rows if row[column["name"]] is not None), None)
        if value is not None and not has_type(value, column["type"]):
            raise PipelineError(f"{schema_file} (fields[{index}].type)", f"declares {column['name']} as "
                                f"{column['type']}, but the build makes {type(value).__name__} values such as "
                                f"{value!r}", "restore the field's type: a changed type is a major version, and the "
                                "build decides what it makes")


def codes_held_by_keys_to(parent: str, tables: dict[str, Rows], schemas: dict[str, dict]) -> set[str]:
    """Every value of every column that a foreign key ties to `parent`: the rows `parent` must have."""
    codes = set()
    for name, schema in schemas.items():
        for foreign in schema.get("foreignKeys", []):
            if foreign["reference"]["resource"] == parent and name != parent:
                (column,) = foreign["fields"]  # the schema check allows a key to countries of one column only
                codes.update(row[column] for row in tables[name] if row[column])
    return codes


def _after_their_acts(act_actors: Iterable[dict], act_ids: list[str]) -> list[dict]:
    """The parties of acts in the order of their acts, then the coding's reading order (a stable sort)."""
    position = {act_id: index for index, act_id in enumerate(act_ids)}
    return sorted(act_actors, key=lambda row: position[row["act_id"]])


def _resolved_actors(actors, resolved_by_recognitions: set[str]) -> Iterator[dict]:
    """Every party of every coding with what it is: one no coding resolves must be one recognitions.yaml resolves."""
    for row in actors:
        by_recognitions = row["actor_id"] in resolved_by_recognitions
        if by_recognitions == (row["resolution"] is not None):
            coding = f"data/source/{row['agreement_id']}/coding.yaml"
            if by_recognitions:
                raise PipelineError(coding, f"actor {row['name']!r} is {row['resolution']} there, and {RECOGNITIONS} "
                                    "resolves it to the states it lists", "give it neither a country nor an unresolved "
                                    "reason in the coding, or remove it from recognitions.yaml")
            raise PipelineError(coding, f"actor {row['name']!r} says neither what it is nor why it is no one entity",
                                "give it a country (a state), or unresolved: and the reason (a class of parties, "
                                "or not looked up yet)")
        yield {**row, "resolution": "recognitions"} if by_recognitions else row


def read_agreement(folder: Path, project: Project, release: Release, organizations: Organizations
                   ) -> tuple[SourceDocument, dict[str, Rows]]:
    """One agreement's document, its curated values let go, and its rows of every table but the corpus's."""
    source = read_source(folder, project)
    agreement = parse_agreement(source, release)
    signatories = signatory_rows(agreement, organizations)
    stated = agreement_country_rows(agreement, signatories)
    clauses = clause_rows(agreement)
    _check_discrepancies_are_documented(agreement, signatories, stated)
    agreements = [agreement_row(agreement, len(signatories))]
    coding = read_coding(source, project.root, project.schemas)
    return source.without_contents(coding), {
        "agreements": agreements,
        "clauses": clauses,
        **coding_rows(source, coding, clauses),
        "signatories": signatories,
        "agreement_countries": stated,
        "annotations": annotation_rows(agreement, len(clauses), len(signatories)),
    }


def agreement_row(agreement: Agreement, signatory_count: int) -> dict:
    parsed, source = agreement.parsed, agreement.source
    place_country = agreement.resolver.resolve(parsed.place_country.text, f"{source.relative_path} (place line)")
    spans = {"heading": parsed.heading, "title": parsed.title, "date": parsed.date_line, "place": parsed.place_line}
    edges = {f"{name}_char_{edge}": getattr(span, edge) for name, span in spans.items() for edge in ("start", "end")}
    return {"agreement_id": agreement.agreement_id, "title": parsed.title.text, "heading": parsed.heading.text,
            "date_signed": parsed.date_signed, "date_as_published": parsed.date_line.text, "place": parsed.place.text,
            "place_country_code": place_country, "place_as_published": parsed.place_line.text,
            **{key: agreement.curated(key) for key in ("language", "publisher", "source_url")},
            "source_path": source.relative_path, "source_sha256": source.sha256, "clause_count": len(parsed.clauses),
            "signatory_count": signatory_count, "is_coded": source.is_coded, **edges}


def clause_rows(agreement: Agreement) -> Rows:
    clauses = agreement.parsed.clauses
    return [{"clause_id": clause_id(agreement.agreement_id, number), "agreement_id": agreement.agreement_id,
             "clause_number": number, "text": span.text, "is_attestation": number == len(clauses),
             "char_start": span.start, "char_end": span.end} for number, span in enumerate(clauses, start=1)]


def signatory_rows(agreement: Agreement, organizations: Organizations) -> Rows:
    rows = []
    for entry in agreement.parsed.entries:
        country = entry.country_as_listed
        where = f"{agreement.source.relative_path}, line {entry.line}"
        resolved = organizations.resolve(agreement.agreement_id, entry.number)
        rows.append({"signatory_id": signatory_id(agreement.agreement_id, entry.number),
                     "agreement_id": agreement.agreement_id, "list_number": entry.number,
                     "name_as_listed": entry.name_as_listed.text, "name": entry.name, "acronym": entry.acronym,
                     "country_as_listed": country.text if country else None,
                     "country_code": agreement.resolver.resolve(country.text, where) if country else None,
                     "organization_id": resolved.organization_id, "resolution": resolved.resolution,
                     "resolution_note": resolved.note, "entry_text": entry.text.text, "char_start": entry.text.start,
                     "char_end": entry.text.end})
    return rows


def agreement_country_rows(agreement: Agreement, signatories: Rows) -> Rows:
    where = f"{agreement.source.relative_path} (attestation)"
    rows = []
    for position, stated in enumerate(agreement.parsed.stated_countries, start=1):
        code = agreement.resolver.resolve(stated.lookup_name, where)
        rows.append({"agreement_id": agreement.agreement_id, "position": position, "country_code": code,
                     "name_as_stated": stated.as_stated.text,
                     "listed_signatory_count": sum(1 for row in signatories if row["country_code"] == code),
                     "char_start": stated.as_stated.start, "char_end": stated.as_stated.end})
    return rows


def _check_discrepancies_are_documented(agreement: Agreement, signatories: Rows, stated: Rows) -> None:
    """Stated and listed countries differ only where known_discrepancies says so, in the direction it says."""
    curated = agreement.source.curated
    listed_codes = {row["country_code"] for row in signatories if row["country_code"]}
    stated_codes = {row["country_code"] for row in stated}
    actual = ({code: "stated-not-listed" for code in stated_codes - listed_codes}
              | {code: "listed-not-stated" for code in listed_codes - stated_codes})
    documented = {}
    for index, entry in enumerate(curated.data.get("known_discrepancies") or []):
        code = entry["country_code"]
        documented[code] = entry["kind"]
        if code not in actual:
            curated.fail(("known_discrepancies", index, "country_code"), f"documents a discrepancy for {code}, but the "
                         "attestation and the list agree on it", "remove the entry, or correct its country_code")
        if actual[code] != entry["kind"]:
            curated.fail(("known_discrepancies", index, "kind"), f"says {code} is {entry['kind']}, but it is "
                         f"{actual[code]}", f"write kind: {actual[code]}")
    for code, kind in sorted(actual.items()):
        if code not in documented:
            where, what = _DISCREPANCIES[kind]
            raise PipelineError(f"{agreement.source.relative_path} ({where})", f"{code} is {what}, and no "
                                f"known_discrepancies entry of {curated.relative} documents it",
                                f"add it to known_discrepancies in {curated.relative} with kind {kind}, an explanation "
                                "and its source")


def annotation_rows(agreement: Agreement, clause_count: int, signatory_count: int) -> Rows:
    """Curated notes, in a fixed order: dropped artifacts, known discrepancies, then context."""
    metadata, agreement_id = agreement.source.metadata, agreement.agreement_id
    notes = [("capture-artifact", "agreements", agreement_id, f"The line {span.text!r} (source characters {span.start}-"
              f"{span.end}) is not part of the agreement and is dropped from the tables. {artifact['reason'].strip()}",
              False, agreement.curated("source_url"), AGREEMENT_PAGE_KIND)
             for artifact, span in zip(metadata.get("capture_artifacts") or [], agreement.parsed.dropped_artifacts)]
    for discrepancy in metadata.get("known_discrepancies") or []:
        notes.append(("discrepancy", "countries", discrepancy["country_code"], discrepancy["explanation"].strip(),
                      bool(discrepancy["is_inference"]), discrepancy.get("source_url") or None,
                      discrepancy.get("source_kind")))
    counts = {"clauses": clause_count, "signatories": signatory_count}
    for index, context in enumerate(metadata.get("context_notes") or []):
        table, number = context["subject"]["table"], context["subject"]["number"]  # the contract allows only these
        if number > counts[table]:
            agreement.source.curated.fail(("context_notes", index, "subject", "number"), f"{table} {number} does not "
                                          f"exist: the agreement has {counts[table]} {table}", "correct the number")
        notes.append(("context", table, _SUBJECT_IDS[table](agreement_id, int(number)), context["note"].strip(),
                      bool(context["is_inference"]), context.get("source_url") or None, context.get("source_kind")))
    columns = ("kind", "subject_table", "subject_id", "note", "is_inference", "source_url", "source_kind")
    return [{"annotation_id": annotation_id(agreement_id, number), "agreement_id": agreement_id,
             **dict(zip(columns, note))} for number, note in enumerate(notes, start=1)]
