"""What a reader must know before trusting a row: what each quote holds, the data's limits, where to report an error."""

from __future__ import annotations

from ..tables.quotes import WHAT_A_QUOTE_HOLDS
from .address import PublicAddress
from .escape import markdown_text

_FACT_KINDS = {
    "name": "A name (`organization_names`)",
    "founded": "A founding (`organization_facts`, `founded`)",
    "website": "A website (`website`)",
    "headquarters_city": "A city (`headquarters_city`)",
    "headquarters_country_code": "A country (`headquarters_country_code`)",
    "wikipedia_url": "A Wikipedia article (`wikipedia_url`)",
    "recognition": "A recognition (`recognitions`)",
}


def limits_of_the_data(tables: dict) -> list[str]:
    """The limits a reader should weigh, each with its count or dates taken from the tables."""
    signatories = list(tables["signatories"])
    unresolved = [row for row in signatories if row["resolution"] == "unresolved"]
    recognitions = list(tables["recognitions"])
    countries = {row["country_code"]: row["name"] for row in tables["countries"]}
    read_on = sorted({str(row["read_on"]) for name in ("organization_facts", "recognitions") for row in tables[name]})
    limits = []
    if recognitions:
        limits.append(
            f"**The recognitions are an inference.** The text thanks \"the nations which have already recognized\" the "
            f"genocide but names none; `recognitions` lists the {len(recognitions)} recognitions, by "
            f"{len({row['country_code'] for row in recognitions})} states, that were made before the signing, as the "
            "publisher listed them (`is_inference`).")
    if unresolved:
        numbers = ", ".join(str(row["list_number"]) for row in unresolved)
        limits.append(f"**{len(unresolved)} of {len(signatories)} entries are unresolved** (entries {numbers}): no "
                      "public page was found that says who they are, and `resolution_note` says why for each.")
    for row in tables["annotations"]:
        if row["kind"] == "discrepancy":
            country = markdown_text(countries.get(row["subject_id"], row["subject_id"]))
            limits.append(f"**{country} is stated but not listed.** The attestation names it, but no entry of the "
                          "signatory list does; why is an inference (`annotations`).")
    limits.append("**The coding is one coder's reading** of the text by the rules of the codebook: what each clause "
                  "does and who it names. It does not measure how binding a commitment is, nor whether it was kept.")
    if read_on:
        limits.append(f"**Facts were read from stored copies of public pages** between {read_on[0]} and {read_on[-1]} "
                      "(`read_on`); a page may have changed since.")
    return limits


def report_an_error(address: PublicAddress | None) -> tuple[str, list[str]]:
    """(where to write, what to include): the issue tracker once the package has a public address."""
    where = (f"Open an issue at <{address.issues}>." if address else
             "Open an issue on the repository this copy comes from (its public address is not set yet), "
             "or write to whoever gave you this copy.")
    return where, ["the table and the row's identifier (its primary key, such as `signatory_id`);",
                   "what is wrong, and what it should say;", "the page that shows it: its address and the words on it."]


def readme_blocks(tables: dict, address: PublicAddress | None) -> dict[str, str]:
    """The README's generated blocks, by marker name, in Markdown."""
    where, include = report_an_error(address)
    return {
        "what a quote holds": "\n".join(f"- {_FACT_KINDS[kind]}: {rule}." for kind, rule in WHAT_A_QUOTE_HOLDS.items()),
        "limits of the data": "\n".join(f"- {limit}" for limit in limits_of_the_data(tables)),
        "report an error": where + " Say:\n\n" + "\n".join(f"- {item}" for item in include),
    }
