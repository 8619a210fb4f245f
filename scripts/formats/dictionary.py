"""Write docs/data-dictionary.md from the schemas, the curated table descriptions and the data."""

from __future__ import annotations

from ..cells import label_of, to_cell
from .escape import markdown_code, markdown_text

PATH = "docs/data-dictionary.md"
_EXAMPLE_WIDTH = 60
_SHOWN_IDS = 5  # a corpus has thousands: name a few, count the rest
_INTRODUCTION = """# Data dictionary

Generated from `schemas/` and the data by `make build`; do not edit it by hand (a test fails
when it is out of date). Each example is the first non-empty value of the column.

Text columns are the published text, white-space normalized. `char_start`/`char_end` columns
are code-point offsets into the source document, end exclusive; the column each span
reconstructs is given as *span of*. The tables `acts`, `actors`, `act_actors` and `events`
are a coding of what each clause does: an **interpretation** made by the rules of the
[codebook](codebook.md), in which **the text is the source**.
"""


def coding_status(agreements: list[dict]) -> str:
    """Which agreements are coded, in a sentence: the is_coded column says it for each."""
    coded = [row["agreement_id"] for row in agreements if row["is_coded"]]
    not_coded = [row["agreement_id"] for row in agreements if not row["is_coded"]]

    def named(ids: list[str]) -> str:
        shown = ", ".join(markdown_code(i) for i in ids[:_SHOWN_IDS])
        return shown + (f" and {len(ids) - _SHOWN_IDS:,} more" if len(ids) > _SHOWN_IDS else "")
    text = f"Coded: {len(coded):,} of {len(agreements):,} agreement(s)" + (f" ({named(coded)})" if coded else "") + "."
    if not_coded:
        text += f" Not coded yet: {len(not_coded):,} ({named(not_coded)})."
    return text + (" The `is_coded` column of `agreements` says it for each agreement; one not coded yet has no rows"
                   " in `acts`, `actors`, `act_actors` and `events`.")


def dictionary_markdown(package_metadata: dict, schemas: dict[str, dict], tables: dict[str, list[dict]]) -> str:
    lines = [_INTRODUCTION, coding_status(tables["agreements"]), ""]
    for resource in package_metadata["resources"]:
        name, schema = resource["name"], schemas[resource["name"]]
        rows = tables[name]
        lines += [f"## {markdown_code(name)}", "", f"{markdown_text(resource['description'])} Rows in "
                  f"{markdown_code(f'data/{name}.csv')}: {len(rows)}{_breakdown(name, rows)}.", "",
                  f"- Primary key: {_columns(schema['primaryKey'])}"]
        lines += [f"- Unique together: {_columns(key)}" for key in schema.get("uniqueKeys", [])]
        lines += [f"- {_columns(foreign['fields'])} references {markdown_code(foreign['reference']['resource'])}."
                  f"{_columns(foreign['reference']['fields'])}" for foreign in schema.get("foreignKeys", [])]
        lines += ["", "| field | title | type | constraints | description | example |", "|---|---|---|---|---|---|"]
        lines += [f"| {_cell(markdown_code(field['name']))} | {_cell(markdown_text(label_of(field)))} | "
                  f"{_cell(field['type'])} | {_constraints(field)} | {_cell(markdown_text(field['description']))} | "
                  f"{_example(rows, field)} |" for field in schema["fields"]]
        lines.append("")
    return "\n".join(lines)


def _breakdown(name: str, rows: list[dict]) -> str:
    """What a count holds where it is easy to misquote: the clauses include each agreement's attestation."""
    if name != "clauses":
        return ""
    attestations = sum(1 for row in rows if row["is_attestation"])
    return (f" ({len(rows) - attestations} paragraphs plus {attestations} attestation"
            f"{'s' if attestations != 1 else ''}, one per agreement)")


def _columns(names: list[str]) -> str:
    return ", ".join(markdown_code(name) for name in names)


def _constraints(field: dict) -> str:
    constraints = dict(field.get("constraints", {}))
    parts = ["required" if constraints.pop("required", False) else "optional"]
    if constraints.pop("unique", False):
        parts.append("unique")
    labels = {str(c["value"]): c["label"] for c in field.get("categories", [])}
    for name, value in constraints.items():
        if name == "enum" and labels:  # each code with its label, as the schema's categories give them
            shown = ", ".join(f"{markdown_code(v)} ({labels[str(v)]})" for v in value)
        else:
            shown = ", ".join(markdown_code(v) for v in value) if isinstance(value, list) else markdown_code(value)
        parts.append(f"{name} {shown}")
    if "spanOf" in field:
        parts.append(f"span of {markdown_code(field['spanOf'])}")
    return _cell("; ".join(parts))


def _example(rows: list[dict], field: dict) -> str:
    value = next((row[field["name"]] for row in rows if row[field["name"]] not in (None, "")), None)
    if value is None:
        return ""
    text = to_cell(value, field)
    if len(text) > _EXAMPLE_WIDTH:
        text = text[: _EXAMPLE_WIDTH - 1] + "…"
    return _cell(markdown_code(text))


def _cell(text: str) -> str:
    """Text in a cell of a GFM table: a pipe, even inside a code span, would end the cell."""
    return text.replace("|", "\\|").replace("\n", " ")
