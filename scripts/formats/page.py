"""Write docs/index.html: the agreement as read, its source with every span marked, and schema.org metadata."""

from __future__ import annotations

from markupsafe import Markup

from .address import PublicAddress
from .chart import chart_size_px
from .notices import limits_of_the_data, report_an_error
from .render import icon_uri, render
from .sqlite import METADATA_PATH as DATASETTE_METADATA_PATH, PATH as DATABASE_PATH
from ..cells import rows_where
from ..inputs.wording import clauses_in_words

PATH = "docs/index.html"
TEMPLATE = "page.html.j2"
# A corpus has thousands of agreements: the page shows this many in full, and lists the rest.
SHOWN_IN_FULL = 5
# The column that says what kind of page a quote comes from (official, reference, news, …), where a table has it.
SOURCE_KIND = "source_kind"


def page_html(*, metadata: dict, version: str, released: str, tables: dict[str, list[dict]], sources: dict[str, str],
              schemas: dict[str, dict], chart_svg_path: str, citation: str, downloads: list[tuple[str, str, str]],
              chart_alt: str, sizes_and_sha256: dict[str, tuple[int, str]] | None = None,
              address: PublicAddress | None = None) -> str:
    """The whole page. `sources` is each agreement's document text; `downloads` is (label, path, media type) of every
    file it links to, and `sizes_and_sha256` the size and sha256 of those whose bytes are known; `address` is the
    package's public address, if it has one."""
    template = page_template(metadata=metadata, version=version, released=released, tables=tables, sources=sources,
                             schemas=schemas, chart_svg_path=chart_svg_path, citation=citation, downloads=downloads,
                             chart_alt=chart_alt, address=address)
    ld = dataset_json_ld(metadata, version, released, json_ld_facts(tables), schemas, citation, downloads,
                         sizes_and_sha256 or {}, address)
    return with_json_ld(template, ld)


# Where the schema.org metadata goes: the release writes the page before the files it sizes (the workbook, the
# database) exist, then fills it in. No value can write this comment, since every value's "<" is escaped.
JSON_LD_SLOT = "<!--json-ld-->"


def with_json_ld(template: str, ld: dict) -> str:
    """The page, its schema.org metadata in place: written through the templates' json_ld filter."""
    return template.replace(JSON_LD_SLOT, render("json-ld.j2", ld=ld).strip("\n"), 1)


def page_template(*, metadata: dict, version: str, released: str, tables: dict[str, list[dict]],
                  sources: dict[str, str], schemas: dict[str, dict], chart_svg_path: str, citation: str,
                  downloads: list[tuple[str, str, str]], chart_alt: str, address: PublicAddress | None = None) -> str:
    """The whole page, with JSON_LD_SLOT where its schema.org metadata goes."""
    agreements = tables["agreements"]
    organizations = _organizations(tables)
    width, height = chart_size_px(tables)
    return render(
        TEMPLATE, title=metadata["title"], description=metadata["description"], version=version, released=released,
        icon=icon_uri(), json_ld=Markup(JSON_LD_SLOT), shown_in_full=SHOWN_IN_FULL,
        agreements=[_agreement(agreement, tables, sources[agreement["agreement_id"]], schemas, organizations)
                    for agreement in agreements[:SHOWN_IN_FULL]],
        more=[{"id": a["agreement_id"], "title": a["title"], "date": a["date_signed"].isoformat()}
              for a in agreements[SHOWN_IN_FULL:]],
        chart={"path": chart_svg_path, "alt": chart_alt, "width": width, "height": height},
        tables=[{"name": r["name"], "rows": len(tables[r["name"]]), "description": r["description"]}
                for r in metadata["resources"]],
        downloads=downloads, datasette_lite=_datasette_lite(metadata, address), citation=citation,
        license=metadata["licenses"][0], source_kinds=_source_kinds(schemas), limits=limits_of_the_data(tables),
        report=report_an_error(address))


def _source_kinds(schemas: dict[str, dict]) -> list[str]:
    """The kinds of page a quote may come from, strongest first, as the schemas declare them."""
    for schema in schemas.values():
        for field in schema["fields"]:
            if field["name"] == SOURCE_KIND:
                return field["constraints"]["enum"]
    return []


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
    """schema.org Dataset, with what Google Dataset Search requires and recommends.

    A relative contentUrl resolves against the page's own address wherever it is served, as
    JSON-LD resolves relative IRIs; the url and the release page need the public address.
    Every distribution has its size and sha256: a file the page cannot hash (the checksums,
    which list the page; the zip, which holds it) is linked on the page, not listed here.
    """
    license_ = metadata["licenses"][0]
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
        "license": license_["path"],
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


def _rows_of(rows, agreement_id: str) -> list[dict]:
    """One agreement's rows of a table: found by its agreement_id column, as a corpus's tables are long."""
    if not rows or "agreement_id" not in rows[0]:
        return []
    return rows_where(rows, "agreement_id", agreement_id)


def _agreement(agreement: dict, tables: dict[str, list[dict]], source: str, schemas: dict[str, dict],
               organizations: dict) -> dict:
    """What the page shows of one agreement, beside its source."""
    agreement_id = agreement["agreement_id"]
    mine = {name: _rows_of(rows, agreement_id) for name, rows in tables.items()}
    actors = {row["actor_id"]: row for row in mine["actors"]}
    ids = _ids(agreement_id)

    def button(start: int, end: int, what: str, **data) -> dict:
        return {"source": ids["source"], "start": start, "end": end, "what": what,
                "data": [(key.replace("_", "-"), value) for key, value in data.items()]}

    acts_by_clause: dict[str, list[dict]] = {}
    for act in mine["acts"]:
        acts_by_clause.setdefault(act["clause_id"], []).append(act)

    def act_view(act: dict, clause: dict) -> dict:
        parties = [row for row in mine["act_actors"] if row["act_id"] == act["act_id"] and not row["is_implicit"]]
        return {"act_type": act["act_type"], "verb_text": act["verb_text"],
                "button": button(act["char_start"], act["char_end"],
                                 f"The {act['act_type']} of clause {clause['clause_number']}", act_id=act["act_id"]),
                "parties": [{"role": p["role"], "party": _party(actors[p["actor_id"]]),
                             "button": button(p["char_start"], p["char_end"], "The " + p["role"])} for p in parties]}

    names = {row["country_code"]: row["name"] for row in tables["countries"]}
    recognitions = mine.get("recognitions") or []
    return {
        "id": agreement_id, "title": agreement["title"], "publisher": agreement["publisher"], "ids": ids,
        "heading": agreement["heading"], "date": agreement["date_as_published"],
        "place": agreement["place_as_published"],
        "heading_button": button(agreement["heading_char_start"], agreement["heading_char_end"], "The heading"),
        "date_button": button(agreement["date_char_start"], agreement["date_char_end"], "The date"),
        "place_button": button(agreement["place_char_start"], agreement["place_char_end"], "The place"),
        "source_url": agreement["source_url"], "clauses_in_words": clauses_in_words(mine["clauses"]),
        "clauses": [{"text": clause["text"],
                     "button": button(clause["char_start"], clause["char_end"], "The attestation"
                                      if clause["is_attestation"] else f"Clause {clause['clause_number']}"),
                     "acts": [act_view(act, clause) for act in acts_by_clause.get(clause["clause_id"], [])]}
                    for clause in mine["clauses"]],
        "parties": [_named_party(actor, clauses, organizations) for actor, clauses in _parties_by_clause(mine)],
        "signatories": [{"number": row["list_number"], "entry_text": row["entry_text"],
                         "country_code": row["country_code"],
                         "button": button(row["char_start"], row["char_end"], f"Entry {row['list_number']}",
                                          signatory=row["list_number"]),
                         "organization": _organization(row, organizations)} for row in mine["signatories"]],
        "countries": [{"name_as_stated": row["name_as_stated"], "name": names[row["country_code"]],
                       "count": row["listed_signatory_count"],
                       "button": button(row["char_start"], row["char_end"], row["name_as_stated"])}
                      for row in mine["agreement_countries"]],
        "thanked": actors[recognitions[0]["actor_id"]]["name"] if recognitions else None,
        "recognitions": [{"name": names[row["country_code"]], "code": row["country_code"],
                          "body": row["body"].replace("-", " "),
                          "date": row["date"].isoformat(), "quote": row["quote"], "url": row["source_url"],
                          "publisher": row["source_publisher"], "kind": row.get(SOURCE_KIND)} for row in recognitions],
        "notes": [{"kind": note["kind"], "table": note["subject_table"], "subject": note["subject_id"],
                   "note": note["note"], "inference": note["is_inference"], "url": note["source_url"]}
                  for note in mine["annotations"]],
        "act_types": _vocabulary(schemas, mine, "acts", "act_type"),
        "roles": _vocabulary(schemas, mine, "act_actors", "role"),
        "pieces": _source_pieces(source, _spans(agreement, mine, actors)),
    }


def _party(actor: dict) -> str:
    """A party's name, and the state it is, where it is one."""
    return f"{actor['name']} ({actor['country_code']})" if actor.get("country_code") else actor["name"]


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


def _named_party(actor: dict, clauses: list[str], organizations: dict) -> dict:
    """A party, the clauses that name it, and what it is: an organization with its quoted facts, a state, the
    signatories, the recognizing states, or why it is no one entity."""
    what = {"state": f"the state {actor['country_code']}", "signatories": "the signatories, listed below",
            "recognitions": "the states listed under “Whom the text thanks”"}.get(actor["resolution"],
                                                                              f"unresolved: {actor['resolution_note']}")
    return {"name": actor["name"], "where": f" ({', '.join(clauses)})" if clauses else "",
            "organization": _organization(actor, organizations) if actor["resolution"] == "organization" else None,
            "what": what}


def _organizations(tables) -> dict[str, tuple[dict, dict[str, dict]]]:
    """Each organization's row and its facts by property."""
    facts: dict[str, dict[str, dict]] = {}
    for fact in tables.get("organization_facts", []):
        facts.setdefault(fact["organization_id"], {})[fact["property"]] = fact
    return {row["organization_id"]: (row, facts.get(row["organization_id"], {}))
            for row in tables.get("organizations", [])}


def _organization(row: dict, organizations: dict) -> dict:
    """The organization an entry or a party resolves to, each fact opening to its quote on a tap, a click or the
    keyboard (a title shows on hover alone); or why it is unresolved."""
    if row["organization_id"] is None:
        return {"unresolved": row["resolution_note"]}
    organization, facts = organizations[row["organization_id"]]
    shown = []
    if "website" in facts:
        shown.append(_fact(facts["website"], organization["website"], link=organization["website"]))
    if "founded" in facts:
        shown.append(_fact(facts["founded"], f"founded {organization['founded_year']}"))
    place = ", ".join(value for value in (organization["headquarters_city"], organization["headquarters_country_code"])
                      if value)
    if place:
        shown.append(_fact(facts.get("headquarters_city") or facts["headquarters_country_code"], f"based in {place}"))
    if "wikipedia_url" in facts:
        shown.append(_fact(facts["wikipedia_url"], "Wikipedia", link=organization["wikipedia_url"]))
    return {"unresolved": None, "name": organization["name"], "facts": shown}


def _fact(fact: dict, shown: str, link: str | None = None) -> dict:
    return {"shown": shown, "link": link, "quote": fact["quote"], "publisher": fact["source_publisher"],
            "url": fact["source_url"], "read_on": fact["read_on"].isoformat(), "kind": fact.get(SOURCE_KIND)}


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


def _datasette_lite(metadata: dict, address: PublicAddress | None) -> str | None:
    """A link that opens the database in the browser with nothing installed; none until the package has a public
    address."""
    if address is None:
        return None
    return address.datasette_lite(DATABASE_PATH.format(name=metadata["name"]), DATASETTE_METADATA_PATH)


def _ids(agreement_id: str) -> dict[str, str]:
    """The ids of one agreement's source panel: unique on a page of many agreements (an agreement_id is a slug)."""
    return {"source": f"source-{agreement_id}", "selection": f"selection-{agreement_id}",
            "heading": f"source-heading-{agreement_id}"}
