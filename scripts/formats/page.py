"""Write docs/index.html: the agreement as read, its source with every span marked, and schema.org metadata."""

from __future__ import annotations

from markupsafe import Markup

from .address import PublicAddress
from .chart import chart_size_px
from .notices import limits_of_the_data, report_an_error
from .render import icon_uri, render
from .sqlite import METADATA_PATH as DATASETTE_METADATA_PATH, PATH as DATABASE_PATH
from ..inputs.wording import clauses_in_words

PATH = "docs/index.html"
TEMPLATE = "page.html.j2"
# A corpus has thousands of agreements: the page shows this many in full, and lists the rest.
SHOWN_IN_FULL = 5
# The column that says what kind of page a quote comes from (official, reference, news, …), where a table has it.
SOURCE_KIND = "source_kind"


def page_html(*, sizes_and_sha256: dict[str, tuple[int, str]] | None = None, **page) -> str:
    """The whole page, from page_template's arguments. `sizes_and_sha256` gives the size and sha256 of each linked file
    whose bytes are known."""
    ld = dataset_json_ld(page["metadata"], page["version"], page["released"], json_ld_facts(page["tables"]),
                         page["schemas"], page["citation"], page["downloads"], sizes_and_sha256 or {},
                         page.get("address"))
    return with_json_ld(page_template(**page), ld)


# Where the schema.org metadata goes: the release writes the page before the files it sizes (the workbook, the
# database) exist, then fills it in. No value can write this comment, since every value's "<" is escaped.
JSON_LD_SLOT = "<!--json-ld-->"


def with_json_ld(template: str, ld: dict) -> str:
    """The page, its schema.org metadata in place: written through the templates' json_ld filter."""
    return template.replace(JSON_LD_SLOT, render("json-ld.j2", ld=ld).strip("\n"), 1)


def page_template(*, metadata: dict, version: str, released: str, tables: dict[str, list[dict]],
                  sources: dict[str, str], schemas: dict[str, dict], chart_svg_path: str, citation: str,
                  downloads: list[tuple[str, str, str]], chart_alt: str, address: PublicAddress | None = None) -> str:
    """The whole page, with JSON_LD_SLOT where its schema.org metadata goes. `sources` is each agreement's document
    text; `downloads` is (label, path, media type) of every file it links to; `address` is the package's public
    address, if it has one."""
    agreements = tables["agreements"]
    database = DATABASE_PATH.format(name=metadata["name"])
    datasette_lite = address.datasette_lite(database, DATASETTE_METADATA_PATH) if address else None
    return render(
        TEMPLATE, metadata=metadata, version=version, released=released, icon=icon_uri(), json_ld=Markup(JSON_LD_SLOT),
        shown_in_full=SHOWN_IN_FULL, more=agreements[SHOWN_IN_FULL:], organizations=_organizations(tables),
        agreements=[_agreement(agreement, tables, sources[agreement["agreement_id"]], schemas)
                    for agreement in agreements[:SHOWN_IN_FULL]],
        country_names={row["country_code"]: row["name"] for row in tables["countries"]}, tables=tables,
        chart_path=chart_svg_path, chart_alt=chart_alt, chart_size=chart_size_px(tables), downloads=downloads,
        datasette_lite=datasette_lite, citation=citation, source_kinds=_source_kinds(schemas),
        limits=limits_of_the_data(tables), report=report_an_error(address))


def _source_kinds(schemas: dict[str, dict]) -> list[str]:
    """The kinds of page a quote may come from, strongest first, as the schemas declare them."""
    return next((field["constraints"]["enum"] for schema in schemas.values() for field in schema["fields"]
                 if field["name"] == SOURCE_KIND), [])


def json_ld_facts(tables: dict[str, list[dict]]) -> dict:
    """What the schema.org metadata says of the tables: a few values per agreement, so that the page can be filled in
    once the tables are let go."""
    agreements = tables["agreements"]
    names = {row["country_code"]: row["name"] for row in tables["countries"]}
    stated = sorted({row["country_code"] for row in tables["agreement_countries"]}
                    | {row["place_country_code"] for row in agreements})
    return {"dates": sorted(row["date_signed"].isoformat() for row in agreements),
            "places": [(names[code], code) for code in stated],
            "sources": [row["source_url"] for row in agreements],
            "languages": sorted({row["language"] for row in agreements})}


def dataset_json_ld(metadata, version, released, facts, schemas, citation, downloads, sizes_and_sha256,
                    address) -> dict:
    """schema.org Dataset, with what Google Dataset Search requires and recommends. A relative contentUrl resolves
    against the page's own address, as JSON-LD resolves relative IRIs. Every distribution has its size and sha256: a
    file the page cannot hash (the checksums, which list the page; the zip, which holds it) is not listed here."""
    dates = facts["dates"]
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": metadata["title"],
        "description": metadata["description"],
        **({"url": address.repository} if address else {}),
        "identifier": address.release_page(version) if address else f"{metadata['name']}@{version}",
        "version": version,
        "datePublished": released,
        "license": metadata["licenses"][0]["path"],
        "isAccessibleForFree": True,
        "creator": [{"@type": "Organization", "name": c["title"]}
                    for c in metadata["contributors"] if "creator" in c["roles"]],
        "keywords": metadata["keywords"],
        "temporalCoverage": dates[0] if dates[0] == dates[-1] else f"{dates[0]}/{dates[-1]}",
        "spatialCoverage": [{"@type": "Place", "name": name, "identifier": code} for name, code in facts["places"]],
        "isBasedOn": facts["sources"],
        "citation": citation,
        "inLanguage": facts["languages"],
        "variableMeasured": [{"@type": "PropertyValue", "name": f"{name}.{field['name']}",
                              "description": field["description"]}
                             for name, schema in schemas.items() for field in schema["fields"]],
        "distribution": [{"@type": "DataDownload", "name": label, "contentUrl": path, "encodingFormat": media,
                          "contentSize": f"{sizes_and_sha256[path][0]} B", "sha256": sizes_and_sha256[path][1]}
                         for label, path, media in downloads if path in sizes_and_sha256],
    }


def _agreement(agreement: dict, tables: dict[str, list[dict]], source: str, schemas: dict[str, dict]) -> dict:
    """What the page shows of one agreement beside its source: its row, its rows of every table (found by their
    agreement_id column, as a corpus's tables are long), and what the template cannot count or sort."""
    agreement_id = agreement["agreement_id"]
    mine = {name: [row for row in rows if row["agreement_id"] == agreement_id] if rows and "agreement_id" in rows[0]
            else [] for name, rows in tables.items()}
    actors = {row["actor_id"]: row for row in mine["actors"]}
    return {"row": agreement, "mine": mine, "actors": actors, "clauses_in_words": clauses_in_words(mine["clauses"]),
            "parties": _parties_by_clause(mine), "act_types": _vocabulary(schemas, mine, "acts", "act_type"),
            "roles": _vocabulary(schemas, mine, "act_actors", "role"),
            "pieces": _source_pieces(source, _spans(agreement, mine, actors))}


def _parties_by_clause(mine: dict) -> list[tuple[dict, list[str]]]:
    """Each party of the agreement, by the first clause that names it (an act's party or an event's), then by name,
    with every clause that names it."""
    clause_of_act = {act["act_id"]: act["clause_id"] for act in mine["acts"]}
    label = {clause["clause_id"]: "the attestation" if clause["is_attestation"] else f"clause {clause['clause_number']}"
             for clause in mine["clauses"]}
    order = {clause["clause_id"]: index for index, clause in enumerate(mine["clauses"])}
    clauses: dict[str, set[str]] = {}
    for row in mine["act_actors"]:
        clauses.setdefault(row["actor_id"], set()).add(clause_of_act[row["act_id"]])
    for row in mine["events"]:
        clauses.setdefault(row["actor_id"], set()).add(row["clause_id"])
    named = [(min(order[c] for c in clauses[actor["actor_id"]]) if clauses.get(actor["actor_id"]) else len(order),
              actor["name"], actor) for actor in mine["actors"]]
    return [(actor, [label[c] for c in sorted(clauses.get(actor["actor_id"], ()), key=order.get)])
            for _, _, actor in sorted(named, key=lambda item: item[:2])]


def _organizations(tables) -> dict[str, tuple[dict, dict[str, dict]]]:
    """Each organization's row and its facts by property."""
    facts: dict[str, dict[str, dict]] = {}
    for fact in tables.get("organization_facts", []):
        facts.setdefault(fact["organization_id"], {})[fact["property"]] = fact
    return {row["organization_id"]: (row, facts.get(row["organization_id"], {}))
            for row in tables.get("organizations", [])}


def _vocabulary(schemas: dict[str, dict], mine: dict, table: str, field: str) -> list[tuple[str, int]]:
    """A codebook vocabulary (an enum of the schemas), each value with how often this agreement uses it."""
    allowed = next(f for f in schemas[table]["fields"] if f["name"] == field)["constraints"]["enum"]
    used = [row[field] for row in mine[table]]
    return [(value, used.count(value)) for value in allowed]


def _spans(agreement: dict, mine: dict, actors: dict) -> list[tuple[int, int, str, str]]:
    """(start, end, css class, title) of every span on the page; classes only for coded verbs and mentions."""
    spans = [(agreement[f"{prefix}_char_start"], agreement[f"{prefix}_char_end"], "", "")
             for prefix in ("heading", "title", "date", "place")]
    spans += [(row["char_start"], row["char_end"], "", "")
              for name in ("clauses", "signatories", "agreement_countries") for row in mine[name]]
    spans += [(row["char_start"], row["char_end"], "verb",
               f"{row['act_type']} ({row['act_id'].rsplit('-', 2)[-2]}.{row['act_number']})") for row in mine["acts"]]
    spans += [(row["char_start"], row["char_end"], "mention", f"{row['role']}: {actors[row['actor_id']]['name']}")
              for row in mine["act_actors"] if row["char_end"] > row["char_start"]]
    spans += [(row["char_start"], row["char_end"], "mention", f"event: {row['description']}") for row in mine["events"]]
    return spans


def _source_pieces(source: str, spans: list[tuple[int, int, str, str]]) -> list[tuple[int, str, str, str]]:
    """The source split at every span boundary: (offset, classes, titles, text), with the verbs and mentions each
    piece lies in."""
    bounds = sorted({0, len(source), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    pieces = []
    for start, end in zip(bounds, bounds[1:]):
        inside = [(css, title) for s, e, css, title in spans if css and s <= start and end <= e]
        classes, titles = " ".join(sorted({css for css, _ in inside})), "; ".join(title for _, title in inside)
        pieces.append((start, classes, titles, source[start:end]))
    return pieces
