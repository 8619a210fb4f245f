"""Write docs/index.html: the agreement as read, its source with every span marked, and schema.org metadata."""

from __future__ import annotations

import json

from .address import PublicAddress
from .sqlite import METADATA_PATH as DATASETTE_METADATA_PATH, PATH as DATABASE_PATH
from ..cells import rows_where
from .escape import html_text, json_in_script
from ..inputs.wording import clauses_in_words

PATH = "docs/index.html"
# A corpus has thousands of agreements: the page shows this many in full, and lists the rest.
SHOWN_IN_FULL = 5
# Plain JavaScript, no framework and no network: buttons appear only when it runs, and without
# it the page still reads top to bottom. It compares offsets that the build wrote, never counts.
_SCRIPT = """
document.addEventListener("DOMContentLoaded", function () {
  function show(button) {
    // Each agreement has its own source and status line: a button marks characters of its own source only.
    var source = document.getElementById(button.getAttribute("aria-controls"));
    var status = document.getElementById(source.dataset.status);
    var start = Number(button.dataset.start), end = Number(button.dataset.end), text = "", first = null;
    source.querySelectorAll("[data-o]").forEach(function (segment) {
      var offset = Number(segment.dataset.o), on = offset >= start && offset < end;
      segment.classList.toggle("hl", on);
      if (on) { text += segment.textContent; first = first || segment; }
    });
    document.querySelectorAll("button[aria-pressed=true][aria-controls='" + source.id + "']").forEach(function (other) { other.setAttribute("aria-pressed", "false"); });
    button.setAttribute("aria-pressed", "true");
    status.textContent = button.dataset.what + ": characters " + start + " to " + end + " of the source read \\u201c" + text + "\\u201d";
    if (first) { first.scrollIntoView({block: "center"}); }
  }
  document.querySelectorAll("button[data-start]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { show(button); });
  });
  var copy = document.getElementById("copy-citation");
  copy.hidden = false;
  copy.addEventListener("click", function () {
    var text = document.getElementById("citation").textContent;
    if (navigator.clipboard) { navigator.clipboard.writeText(text).then(function () { copy.textContent = "Copied"; }, function () {}); }
  });
});
"""
_STYLE = """
body { font: 17px/1.55 system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 72rem; padding: 0 1.25rem 4rem; }
a { color: #0b5394; } a:focus-visible, button:focus-visible, pre:focus-visible { outline: 3px solid #0b5394; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 2rem; align-items: start; }
@media (max-width: 900px) { .columns { grid-template-columns: minmax(0, 1fr); } }
.columns > div { min-width: 0; }
main { overflow-wrap: anywhere; }
pre, code, td { white-space: pre-wrap; overflow-wrap: anywhere; }
th, td.num { white-space: nowrap; overflow-wrap: normal; }
table { display: block; overflow-x: auto; max-width: 100%; }
img { max-width: 100%; height: auto; }
pre.source { white-space: pre-wrap; font: 15px/1.6 ui-monospace, monospace; border: 1px solid #595959; padding: 1rem; position: sticky; top: .5rem; max-height: 95vh; overflow: auto; }
pre.source .verb { font-weight: 700; text-decoration: underline; text-decoration-thickness: 2px; }
pre.source .mention { text-decoration: underline dotted; }
pre.source .hl { background: #ffe066; color: #000; outline: 1px solid #7a5c00; }
button { font: inherit; font-size: .85rem; color: #0b5394; background: #fff; border: 1px solid #0b5394; border-radius: 4px; padding: 0 .4rem; cursor: pointer; }
button[aria-pressed=true] { background: #0b5394; color: #fff; }
.selection { min-height: 3em; background: #f3f3f3; padding: .5rem; border-left: 4px solid #0b5394; }
table { border-collapse: collapse; } th, td { border: 1px solid #8c8c8c; padding: .2rem .5rem; text-align: left; vertical-align: top; }
.note { border-left: 4px solid #8a4b00; padding-left: .75rem; }
.legend span { margin-right: 1rem; }
.org { font-size: .9em; color: #333; overflow-wrap: anywhere; }
details.fact { display: inline-block; margin-right: .4em; } details.fact > summary { cursor: pointer; text-decoration: underline dotted; }
details.fact .quote { display: block; margin: .2rem 0 .4rem; padding-left: .5rem; border-left: 4px solid #0b5394; }
"""


def page_html(*, metadata: dict, version: str, released: str, tables: dict[str, list[dict]], sources: dict[str, str],
              schemas: dict[str, dict], chart_svg_path: str, citation: str, downloads: list[tuple[str, str, str]], chart_alt: str,
              sizes_and_sha256: dict[str, tuple[int, str]] | None = None, address: PublicAddress | None = None) -> str:
    """The whole page. `sources` is each agreement's document text; `downloads` is (label, path, media type) of every file it links to,
    and `sizes_and_sha256` the size and sha256 of those whose bytes are known; `address` is the package's public address, if it has one."""
    template = page_template(metadata=metadata, version=version, released=released, tables=tables, sources=sources, schemas=schemas,
                             chart_svg_path=chart_svg_path, citation=citation, downloads=downloads, chart_alt=chart_alt, address=address)
    return with_json_ld(template, dataset_json_ld(metadata, version, released, json_ld_facts(tables), schemas, citation, downloads, sizes_and_sha256 or {}, address))


# Where the schema.org metadata goes: the release writes the page before the files it sizes (the workbook, the database)
# exist, then fills it in. No value can write this comment, since every value's "<" is escaped.
JSON_LD_SLOT = "<!--json-ld-->"


def with_json_ld(template: str, ld: dict) -> str:
    """The page, its schema.org metadata in place."""
    return template.replace(JSON_LD_SLOT, json_in_script(json.dumps(ld, indent=1, ensure_ascii=False)), 1)


def page_template(*, metadata: dict, version: str, released: str, tables: dict[str, list[dict]], sources: dict[str, str],
                  schemas: dict[str, dict], chart_svg_path: str, citation: str, downloads: list[tuple[str, str, str]], chart_alt: str,
                  address: PublicAddress | None = None) -> str:
    """The whole page, with JSON_LD_SLOT where its schema.org metadata goes."""
    agreements = tables["agreements"]
    parts = [_head(metadata)]
    parts.append('<body><a class="skip" href="#main">Skip to the agreement</a><main id="main">')
    parts.append(f"<h1>{html_text(metadata['title'])}</h1>")
    parts.append(f"<p>Version {html_text(version)}, released {html_text(released)}. {html_text(metadata['description'])}</p>")
    parts.append('<p>Every value below was read from the source document shown beside it. With JavaScript on, the '
                 '<strong>show in source</strong> buttons mark exactly the characters each value was read from.</p>')
    for agreement in agreements[:SHOWN_IN_FULL]:
        parts.append(_agreement_section(agreement, tables, sources[agreement["agreement_id"]], schemas))
    if len(agreements) > SHOWN_IN_FULL:
        listed = "".join(f"<li><code>{html_text(a['agreement_id'])}</code>: {html_text(a['title'])}, {html_text(a['date_signed'].isoformat())}</li>" for a in agreements[SHOWN_IN_FULL:])
        parts.append(f'<section aria-labelledby="more"><h2 id="more">{len(agreements) - SHOWN_IN_FULL:,} more agreements</h2>'
                     f"<p>Their rows are in the same tables; the first {SHOWN_IN_FULL} are shown above with their sources.</p><ul>{listed}</ul></section>")
    parts.append(_tables_section(tables, metadata, chart_svg_path, chart_alt, downloads, address))
    parts.append(f'<section aria-labelledby="cite"><h2 id="cite">How to cite</h2><pre id="citation">{html_text(citation)}</pre>'
                 '<button id="copy-citation" type="button" hidden>Copy the citation</button>'
                 f"<p>License: {_license(metadata)}. The agreement's text is the signatories' own, reproduced unchanged to document it.</p></section>")
    parts.append(f"</main><script>{_SCRIPT}</script></body></html>\n")
    return "\n".join(parts)


def _head(metadata) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html_text(metadata['title'])}</title>"
            f'<meta name="description" content="{html_text(metadata["description"][:300])}">'
            f"<style>{_STYLE}</style>"
            f'<script type="application/ld+json">\n{JSON_LD_SLOT}\n</script></head>')


def json_ld_facts(tables: dict[str, list[dict]]) -> dict:
    """What the schema.org metadata says of the tables: a few values per agreement, so that the page can be filled in once the tables are let go."""
    agreements = tables["agreements"]
    names = {row["country_code"]: row["name"] for row in tables["countries"]}
    stated = sorted({row["country_code"] for row in tables["agreement_countries"]} | {row["place_country_code"] for row in agreements})
    return {"dates": sorted(row["date_signed"].isoformat() for row in agreements), "places": [(names[code], code) for code in stated],
            "sources": [row["source_url"] for row in agreements], "languages": sorted({row["language"] for row in agreements})}


def dataset_json_ld(metadata, version, released, facts, schemas, citation, downloads, sizes_and_sha256, address) -> dict:
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
        "creator": [{"@type": "Organization", "name": c["title"]} for c in metadata["contributors"] if "creator" in c["roles"]],
        "keywords": metadata["keywords"],
        "temporalCoverage": dates[0] if dates[0] == dates[-1] else f"{dates[0]}/{dates[-1]}",
        "spatialCoverage": [{"@type": "Place", "name": name, "identifier": code} for name, code in facts["places"]],
        "isBasedOn": facts["sources"],
        "citation": citation,
        "inLanguage": facts["languages"],
        "variableMeasured": [{"@type": "PropertyValue", "name": f"{name}.{field['name']}", "description": field["description"]}
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


def _agreement_section(agreement: dict, tables: dict[str, list[dict]], source: str, schemas: dict[str, dict]) -> str:
    agreement_id = agreement["agreement_id"]
    mine = {name: _rows_of(rows, agreement_id) for name, rows in tables.items()}
    actors = {row["actor_id"]: row for row in mine["actors"]}
    spans = _spans(agreement, mine, actors)
    source_id = _ids(agreement_id)["source"]
    out = [f'<section aria-labelledby="{agreement_id}"><h2 id="{agreement_id}">{html_text(agreement["title"])}</h2><div class="columns"><div>']
    out.append(f"<p>Published by {html_text(agreement['publisher'])} under the heading “{html_text(agreement['heading'])}” "
               f"{_button(source_id, agreement['heading_char_start'], agreement['heading_char_end'], 'The heading')}; "
               f"signed {html_text(agreement['date_as_published'])} {_button(source_id, agreement['date_char_start'], agreement['date_char_end'], 'The date')} "
               f"in {html_text(agreement['place_as_published'])} {_button(source_id, agreement['place_char_start'], agreement['place_char_end'], 'The place')}. "
               f'Source: <a href="{html_text(agreement["source_url"])}">{html_text(agreement["source_url"])}</a>.</p>')
    out.append(f"<h3>The text: {clauses_in_words(mine['clauses'])}</h3><ol>")
    acts_by_clause: dict[str, list[dict]] = {}
    for act in mine["acts"]:
        acts_by_clause.setdefault(act["clause_id"], []).append(act)
    for clause in mine["clauses"]:
        label = "The attestation" if clause["is_attestation"] else f"Clause {clause['clause_number']}"
        out.append(f"<li><p>{html_text(clause['text'])} {_button(source_id, clause['char_start'], clause['char_end'], label)}</p>")
        acts = acts_by_clause.get(clause["clause_id"], [])
        if acts:
            out.append("<ul>")
            for act in acts:
                parties = [row for row in mine["act_actors"] if row["act_id"] == act["act_id"] and not row["is_implicit"]]
                what = f"The {act['act_type']} of clause {clause['clause_number']}"
                named = "".join(f"; {html_text(p['role'])}: {html_text(_party(actors[p['actor_id']]))} " + _button(source_id, p["char_start"], p["char_end"], "The " + p["role"]) for p in parties)
                out.append(f"<li>{html_text(act['act_type'])}: “{html_text(act['verb_text'])}” {_button(source_id, act['char_start'], act['char_end'], what, act_id=act['act_id'])}{named}</li>")
            out.append("</ul>")
        out.append("</li>")
    organizations = _organizations(tables)
    out.append(f"</ol><h3>The parties the text names: {len(mine['actors'])}</h3><ul>")
    out += [f"<li>{_named_party(actor, clauses, organizations)}</li>" for actor, clauses in _parties_by_clause(mine)]
    out.append(f"</ul><h3>The signatories: {len(mine['signatories'])} numbered entries</h3><ol>")
    for row in mine["signatories"]:
        country = f" ({html_text(row['country_code'])})" if row["country_code"] else " — no country listed"
        button = _button(source_id, row["char_start"], row["char_end"], f"Entry {row['list_number']}", signatory=row["list_number"])
        out.append(f'<li value="{row["list_number"]}">{html_text(row["entry_text"])}{country} {button}{_organization(row, organizations)}</li>')
    out.append("</ol><h3>Countries the attestation states</h3><ul>")
    names = {row["country_code"]: row["name"] for row in tables["countries"]}
    for row in mine["agreement_countries"]:
        out.append(f"<li>{html_text(row['name_as_stated'])} ({html_text(names[row['country_code']])}, {row['listed_signatory_count']} entries of the list) "
                   f"{_button(source_id, row['char_start'], row['char_end'], row['name_as_stated'])}</li>")
    out.append("</ul>")
    if mine.get("recognitions"):
        thanked = actors[mine["recognitions"][0]["actor_id"]]["name"]
        out.append(f"<h3>Whom the text thanks: {html_text(thanked)}</h3><p>The text names no nation. <strong>An inference</strong>: the states whose "
                   "government or parliament had recognized the genocide before the signing, each with a quote from the page cited.</p><ul>")
        for row in mine["recognitions"]:
            out.append(f"<li>{html_text(names[row['country_code']])} ({html_text(row['country_code'])}), {html_text(row['body'].replace('-', ' '))}, "
                       f"{html_text(row['date'].isoformat())}: “{html_text(row['quote'])}” "
                       f'(<a href="{html_text(row["source_url"])}">{html_text(row["source_publisher"])}</a>)</li>')
        out.append("</ul>")
    out.append("<h3>Notes and the known discrepancy</h3>")
    for note in mine["annotations"]:
        cited = f' Source: <a href="{html_text(note["source_url"])}">{html_text(note["source_url"])}</a>.' if note["source_url"] else " No source was found."
        inference = " <strong>An inference</strong>, not something the document says." if note["is_inference"] else ""
        out.append(f'<p class="note"><strong>{html_text(note["kind"])}</strong> ({html_text(note["subject_table"])} {html_text(note["subject_id"])}): {html_text(note["note"])}{inference}{cited}</p>')
    out.append("</div><div>")
    ids = _ids(agreement_id)
    out.append(f'<h3 id="{ids["heading"]}">The source, as published</h3>')
    out.append('<p class="legend"><span><strong><u>bold underlined</u></strong>: the verb of a coded act</span> <span><u style="text-decoration-style: dotted">dotted</u>: '
               'a party it names</span> (hover for each one\'s act type or role)</p>')
    out.append(_legend(schemas, mine))
    out.append(f'<p id="{ids["selection"]}" class="selection" aria-live="polite">Select a value to see the characters it was read from.</p>')
    out.append(f'<pre id="{ids["source"]}" class="source" data-status="{ids["selection"]}" tabindex="0" aria-labelledby="{ids["heading"]}">{_source_view(source, spans)}</pre>')
    out.append("</div></div></section>")
    return "\n".join(out)


def _party(actor: dict) -> str:
    """A party's name, and the state it is, where it is one."""
    return f"{actor['name']} ({actor['country_code']})" if actor.get("country_code") else actor["name"]


def _parties_by_clause(mine: dict) -> list[tuple[dict, list[str]]]:
    """Each party of the agreement, by the first clause that names it (an act's party or an event's), then by name, with every clause that names it."""
    clause_of_act = {act["act_id"]: act["clause_id"] for act in mine["acts"]}
    label = {clause["clause_id"]: "the attestation" if clause["is_attestation"] else f"clause {clause['clause_number']}" for clause in mine["clauses"]}
    order = {clause["clause_id"]: index for index, clause in enumerate(mine["clauses"])}
    clauses: dict[str, set[str]] = {}
    for row in mine["act_actors"]:
        clauses.setdefault(row["actor_id"], set()).add(clause_of_act[row["act_id"]])
    for row in mine["events"]:
        clauses.setdefault(row["actor_id"], set()).add(row["clause_id"])
    named = [(min(order[c] for c in clauses.get(actor["actor_id"], ())) if clauses.get(actor["actor_id"]) else len(order), actor["name"], actor) for actor in mine["actors"]]
    return [(actor, [label[c] for c in sorted(clauses.get(actor["actor_id"], ()), key=order.get)]) for _, _, actor in sorted(named, key=lambda item: item[:2])]


def _named_party(actor: dict, clauses: list[str], organizations: dict) -> str:
    """A party, the clauses that name it, and what it is: an organization with its quoted facts, a state, the signatories, the recognizing states, or why it is no one entity."""
    where = f" ({', '.join(clauses)})" if clauses else ""
    head = f"<strong>{html_text(actor['name'])}</strong>{html_text(where)}"
    if actor["resolution"] == "organization":
        return head + _organization(actor, organizations)
    what = {"state": f"the state {actor['country_code']}", "signatories": "the signatories, listed below",
            "recognitions": "the states listed under “Whom the text thanks”"}.get(actor["resolution"], f"unresolved: {actor['resolution_note']}")
    return f'{head}<div class="org">{html_text(what)}</div>'


def _organizations(tables) -> dict[str, tuple[dict, dict[str, dict]]]:
    """Each organization's row and its facts by property."""
    facts: dict[str, dict[str, dict]] = {}
    for fact in tables.get("organization_facts", []):
        facts.setdefault(fact["organization_id"], {})[fact["property"]] = fact
    return {row["organization_id"]: (row, facts.get(row["organization_id"], {})) for row in tables.get("organizations", [])}


def _organization(row: dict, organizations: dict) -> str:
    """The organization an entry or a party resolves to, each fact's quote shown on a tap, a click or the keyboard; or why it is unresolved."""
    if row["organization_id"] is None:
        return f'<div class="org">unresolved: {html_text(row["resolution_note"])}</div>'
    organization, facts = organizations[row["organization_id"]]
    parts = [f"<strong>{html_text(organization['name'])}</strong>"]
    if "website" in facts:
        parts.append(_quoted(facts["website"], f'<a href="{html_text(organization["website"])}">{html_text(organization["website"])}</a>'))
    if "founded" in facts:
        parts.append(_quoted(facts["founded"], f"founded {organization['founded_year']}"))
    place = ", ".join(html_text(value) for value in (organization["headquarters_city"], organization["headquarters_country_code"]) if value)
    if place:
        fact = facts.get("headquarters_city") or facts["headquarters_country_code"]
        parts.append(_quoted(fact, f"based in {place}"))
    if "wikipedia_url" in facts:
        parts.append(_quoted(facts["wikipedia_url"], f'<a href="{html_text(organization["wikipedia_url"])}">Wikipedia</a>'))
    return f'<div class="org">{" ".join(parts)}</div>'


def _quoted(fact: dict, shown_html: str) -> str:
    """A fact that opens to its quote and page: a details element, which a tap, a click or the keyboard opens, where a title shows on hover alone."""
    source = f'{html_text(fact["source_publisher"])}, <a href="{html_text(fact["source_url"])}">{html_text(fact["source_url"])}</a>, read {fact["read_on"].isoformat()}'
    return f'<details class="fact"><summary>{shown_html}</summary><span class="quote">“{html_text(fact["quote"])}” ({source})</span></details>'


def _legend(schemas: dict[str, dict], mine: dict) -> str:
    """The codebook's vocabularies (the enums of the schemas), each with how often this agreement uses it."""
    def vocabulary(table: str, field: str) -> str:
        allowed = next(f for f in schemas[table]["fields"] if f["name"] == field)["constraints"]["enum"]
        used = [row[field] for row in mine[table]]
        return ", ".join(f"{html_text(value)} ({used.count(value)})" for value in allowed)
    return (f'<p class="legend">Act types: {vocabulary("acts", "act_type")}. Roles: {vocabulary("act_actors", "role")}. '
            'Defined in the <a href="codebook.md">codebook</a>.</p>')


def _spans(agreement: dict, mine: dict, actors: dict) -> list[tuple[int, int, str, str]]:
    """(start, end, css class, title) of every span on the page; classes only for coded verbs and mentions."""
    spans = [(agreement[f"{prefix}_char_start"], agreement[f"{prefix}_char_end"], "", "") for prefix in ("heading", "title", "date", "place")]
    spans += [(row["char_start"], row["char_end"], "", "") for name in ("clauses", "signatories", "agreement_countries") for row in mine[name]]
    spans += [(row["char_start"], row["char_end"], "verb", f"{row['act_type']} ({row['act_id'].rsplit('-', 2)[-2]}.{row['act_number']})") for row in mine["acts"]]
    spans += [(row["char_start"], row["char_end"], "mention", f"{row['role']}: {actors[row['actor_id']]['name']}") for row in mine["act_actors"] if row["char_end"] > row["char_start"]]
    spans += [(row["char_start"], row["char_end"], "mention", f"event: {row['description']}") for row in mine["events"]]
    return spans


def _source_view(source: str, spans: list[tuple[int, int, str, str]]) -> str:
    """The source split at every span boundary; each piece says its offset, and the verbs and mentions it lies in."""
    bounds = sorted({0, len(source), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    pieces = []
    for start, end in zip(bounds, bounds[1:]):
        inside = [(css, title) for s, e, css, title in spans if css and s <= start and end <= e]
        classes = " ".join(sorted({css for css, _ in inside}))
        titles = "; ".join(title for _, title in inside)
        attributes = (f' class="{classes}"' if classes else "") + (f' title="{html_text(titles)}"' if titles else "")
        pieces.append(f'<span data-o="{start}"{attributes}>{html_text(source[start:end])}</span>')
    return "".join(pieces)


def _tables_section(tables, metadata, chart_svg_path, chart_alt, downloads, address: PublicAddress | None = None) -> str:
    # A count stays whole (class num): only a long word may break, never "54" into "5" above "4".
    rows = "".join(f"<tr><td><code>{html_text(r['name'])}</code></td><td class=\"num\">{len(tables[r['name']]):,}</td><td>{html_text(r['description'])}</td></tr>" for r in metadata["resources"])
    files = "".join(f'<li><a href="{html_text(path)}">{html_text(label)}</a> ({html_text(media)})</li>' for label, path, media in downloads)
    return (f'<section aria-labelledby="data"><h2 id="data">The data</h2>'
            f'<figure><img src="{html_text(chart_svg_path)}" alt="{html_text(chart_alt)}" width="750"><figcaption>{html_text(chart_alt)}</figcaption></figure>'
            f"<table><caption>Tables, with their rows in this version</caption><thead><tr><th>table</th><th>rows</th><th>one row per</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<h3>Download</h3><p>The files beside this page, each linked relative to it:</p><ul>{files}</ul>{_in_the_browser(metadata, address)}</section>")


def _in_the_browser(metadata: dict, address: PublicAddress | None) -> str:
    """A link that opens the database in the browser with nothing installed; none until the package has a public address."""
    if address is None:
        return ""
    link = address.datasette_lite(DATABASE_PATH.format(name=metadata["name"]), DATASETTE_METADATA_PATH)
    return (f'<h3>In your browser</h3><p><a href="{html_text(link)}">Open the database in Datasette Lite</a>: browse, facet, search the clauses '
            "and query with SQL, with nothing to install.</p>")


def _ids(agreement_id: str) -> dict[str, str]:
    """The ids of one agreement's source panel: unique on a page of many agreements (an agreement_id is a slug)."""
    return {"source": f"source-{agreement_id}", "selection": f"selection-{agreement_id}", "heading": f"source-heading-{agreement_id}"}


def _button(source_id: str, start: int, end: int, what: str, **data) -> str:
    extra = "".join(f' data-{key.replace("_", "-")}="{html_text(str(value))}"' for key, value in data.items())
    return (f'<button type="button" hidden aria-pressed="false" aria-controls="{html_text(source_id)}" data-start="{start}" data-end="{end}" '
            f'data-what="{html_text(what)}"{extra}>show in source<span class="skip"> ({html_text(what)})</span></button>')


def _license(metadata: dict) -> str:
    license_ = metadata["licenses"][0]
    return f'<a href="{html_text(license_["path"])}">{html_text(license_["title"])}</a>'
