"""Resolve each signatory entry to an organization of organizations.yaml, each name and fact checked by its quote."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pycountry

from ..cells import field_names
from ..errors import PipelineError
from .quotes import AGREEMENT_PAGE_KIND, QuotedPages, gives_value, holds, real_date

PATH = "data/source/organizations.yaml"
NOT_LOOKED_UP = f"not looked up yet: {PATH} does not list this entry"


@dataclass(frozen=True)
class Resolution:
    organization_id: str | None
    resolution: str  # resolved or unresolved
    note: str | None


class Organizations(QuotedPages):
    """Who each entry is, and the rows of the three organization tables."""

    def __init__(self, root: Path, schemas: dict[str, dict]):
        super().__init__(root, PATH, "organizations", schemas, {"pages": {}, "organizations": [], "signatories": []})
        self.organizations = self.data["organizations"]
        self.by_entry = {(entry["agreement_id"], entry["list_number"]): (index, entry)
                         for index, entry in enumerate(self.data["signatories"])}
        self.seen: set[tuple[str, int]] = set()
        # A fact whose property is a column fills it; founded gives founded_year and founded_date.
        self.columns = field_names(schemas["organizations"])

    def resolve(self, agreement_id: str, list_number: int) -> Resolution:
        """Who an entry is; an entry the file does not list is unresolved, and says so."""
        self.seen.add((agreement_id, list_number))
        _, entry = self.by_entry.get((agreement_id, list_number), (None, None))
        if entry is None:
            return Resolution(None, "unresolved", NOT_LOOKED_UP)
        if "organization_id" in entry:
            return Resolution(entry["organization_id"], "resolved", None)
        return Resolution(None, "unresolved", " ".join(entry["unresolved"].split()))

    def tables(self, signatories, agreements, actors) -> dict[str, list[dict]]:
        """The organizations, their names and their facts, once every agreement's entries and parties are resolved;
        refuses what its evidence does not hold."""
        agreements_by_id = {row["agreement_id"]: row for row in agreements}
        agreement_pages = {row["source_url"] for row in agreements_by_id.values()}
        countries_as_listed: dict[str, set[str]] = {}
        shown: dict[str, list[dict]] = {}
        for row in signatories:
            if row["country_code"]:
                countries_as_listed.setdefault(row["country_code"], set()).add(row["country_as_listed"])
            if row["organization_id"] is not None:
                shown.setdefault(row["organization_id"], []).append(row)
        for key, page in self.pages.items():
            if page["url"] in agreement_pages:
                self.fail(("pages", key, "url"), "is an agreement's own source page: it cannot stand in for a fact the "
                          "agreement does not state", "cite the page that states the fact")
            self.check_read_on(key)
        for (agreement_id, list_number), (index, _) in self.by_entry.items():
            if (agreement_id, list_number) not in self.seen:
                self.fail(("signatories", index, "list_number"), f"entry {list_number} of {agreement_id} is not in "
                          "that agreement's list", "correct the agreement_id or the list_number")
        known = {organization["organization_id"] for organization in self.organizations}
        named_by_parties = set()
        for actor in actors:
            if actor["organization_id"] is None:
                continue
            if actor["organization_id"] not in known:
                raise PipelineError(f"data/source/{actor['agreement_id']}/coding.yaml", f"actor {actor['name']!r} is "
                                    f"organization {actor['organization_id']!r}, which {PATH} does not define",
                                    "define it under organizations there, with its names and facts quoted, or correct "
                                    "the id")
            named_by_parties.add(actor["organization_id"])
        for index, entry in self.by_entry.values():
            if entry.get("organization_id") and entry["organization_id"] not in known:
                self.fail(("signatories", index, "organization_id"), f"names organization "
                          f"{entry['organization_id']!r}, which organizations does not define",
                          "define it under organizations, with its names and facts, or correct the id")
        for organization_id, rows in shown.items():
            self._check_shared(organization_id, rows)
        organizations, names, facts = [], [], []
        for index, organization in enumerate(self.organizations):
            organization_id = organization["organization_id"]
            if organization_id not in shown and organization_id not in named_by_parties:
                self.fail(("organizations", index, "organization_id"), f"{organization_id} is shown by no entry and no "
                          "party of any agreement", "resolve an entry to it under signatories, or a party to it in a "
                          "coding (organization:), or remove it")
            own_names = self._names(index, organization)
            names += own_names + [_as_listed(organization_id, row, agreements_by_id[row["agreement_id"]])
                                  for row in shown.get(organization_id, [])]
            values = {}
            for fact_index, fact in enumerate(organization["facts"]):
                where = ("organizations", index, "facts", fact_index)
                self.page(fact["page"], (*where, "page"))
                problem = _quote_problem(fact["property"], fact["value"], fact["quote"],
                                         self.pages[fact["page"]]["url"], [row["name"] for row in own_names],
                                         countries_as_listed)
                if problem:
                    self.fail((*where, "quote" if problem[1] else "value"), problem[0], problem[2])
                values[fact["property"]] = fact["value"]
                facts.append({"organization_id": organization_id, "property": fact["property"], "value": fact["value"],
                              **self.cited(fact["page"]), "quote": fact["quote"]})
            founded = values.get("founded")
            derived = {"organization_id": organization_id, "fact_count": len(organization["facts"]),
                       "name": next(row["name"] for row in own_names if row["kind"] == "official"),
                       "acronym": next((row["name"] for row in own_names if row["kind"] == "acronym"), None),
                       "founded_year": int(founded[:4]) if founded else None,
                       "founded_date": real_date(founded) if founded else None}
            organizations.append({column: derived[column] if column in derived else values.get(column)
                                  for column in self.columns})
        unique = {}  # an organization listed alike by two agreements is one name as listed
        for row in names:
            unique.setdefault((row["organization_id"], row["kind"], row["name"]), row)
        return {"organizations": organizations, "organization_names": list(unique.values()),
                "organization_facts": facts}

    def _check_shared(self, organization_id: str, rows: list[dict]) -> None:
        """Two entries of one list are one organization only with a quoted fact that says so: all but one of them carry
        it, naming the entry."""
        by_agreement: dict[str, list[dict]] = {}
        for row in rows:
            by_agreement.setdefault(row["agreement_id"], []).append(row)
        for agreement_id, entries in by_agreement.items():
            without = []
            for row in entries:
                index, entry = self.by_entry[(agreement_id, row["list_number"])]
                evidence = entry.get("same_as")
                if evidence is None:
                    without.append((index, row))
                    continue
                self.page(evidence["page"], ("signatories", index, "same_as", "page"))
                if not holds(evidence["quote"], row["name"]):
                    self.fail(("signatories", index, "same_as", "quote"), f"does not contain the entry's name "
                              f"{row['name']!r}", "quote the sentence of the page that names this entry as the "
                              "organization")
            if len(without) > 1:
                (_, first), (index, second) = without[:2]
                self.fail(("signatories", index, "organization_id"), f"entries {first['list_number']} and "
                          f"{second['list_number']} of {agreement_id} both resolve to {organization_id}, with no "
                          "quoted fact that they are one organization", "add same_as: {page, quote} with a quote that "
                          "names the entry as listed as this organization, or resolve one of them elsewhere")

    def _names(self, index: int, organization: dict) -> list[dict]:
        rows = []
        for name_index, entry in enumerate(organization["names"]):
            page = self.page(entry["page"], ("organizations", index, "names", name_index, "page"))
            if not holds(entry["quote"], entry["name"]):
                self.fail(("organizations", index, "names", name_index, "quote"), f"does not contain the name "
                          f"{entry['name']!r}", "quote the words of the page that give the name, verbatim")
            rows.append({"organization_id": organization["organization_id"], "kind": entry["kind"],
                         "name": entry["name"], "language": entry["language"], "source_url": page["url"],
                         "source_kind": page["kind"], "quote": entry["quote"]})
        officials = [row for row in rows if row["kind"] == "official"]
        if len(officials) != 1:
            self.fail(("organizations", index, "names"), f"has {len(officials)} names of kind official: exactly one is "
                      "the name it uses for itself", "give one name kind: official, and the others acronym, local or "
                      "former")
        return rows


def _as_listed(organization_id: str, row: dict, agreement: dict) -> dict:
    """The entry's own spelling, quoted from the agreement that lists it."""
    return {"organization_id": organization_id, "kind": "as-listed", "name": row["name"], "quote": row["entry_text"],
            "language": agreement["language"], "source_url": agreement["source_url"],
            "source_kind": AGREEMENT_PAGE_KIND}


def _quote_problem(kind: str, value: str, quote: str, page_url: str, names: list[str],
                   countries_as_listed: dict[str, set[str]]) -> tuple[str, bool, str] | None:
    """(problem, whether the quote is at fault, fix) where the quote does not hold the value, or the value is
    malformed; else None."""
    if kind == "founded":
        if not (re.fullmatch(r"[0-9]{4}", value) or real_date(value)):
            return (f"{value!r} is not a year (YYYY) or a date (YYYY-MM-DD)", False,
                    "write the founding at the precision the page gives: 2004 or 2004-04-16")
        if gives_value(quote, value):
            return None
        if len(value) == 4:
            return (f"does not contain the year {value} as a word of its own", True,
                    "quote the words of the page that give the founding")
        return (f"does not give the date {value} whole: its day, month and year, each as a word of its own "
                "(6 August 1971, August 6, 1971, 1971-08-06 or 06.08.1971)", True,
                "correct the date to the one the quote gives, or quote the words of the page that give it")
    if kind in ("website", "wikipedia_url"):
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc:
            return (f"{value!r} is not an https address", False,
                    "write the site's https address, such as https://uhrp.org/")
        if kind == "wikipedia_url":
            title = unquote(parts.path.removeprefix("/wiki/")).replace("_", " ")
            title = title.split(" (")[0]  # a disambiguation in parentheses is not the article's name in its text
            return None if holds(quote, title) else (f"does not contain the article's title {title!r}", True,
                                                     "quote the article's first sentence, which names it")
        domain = parts.netloc.lower().removeprefix("www.")
        if re.search(rf"(?<![\w-]){re.escape(domain)}(?![\w-]|\.\w)", quote.lower()):
            return None
        on_the_site = urlsplit(page_url).netloc.lower().removeprefix("www.") == domain
        if on_the_site and any(holds(quote, name) for name in names):
            return None  # the site's own page, naming the organization
        return (f"contains neither the domain {domain} nor, on a page of that site, one of the organization's names",
                True, "quote the page where it names its website, or a page of the site that names the organization")
    if kind == "headquarters_city":
        return None if holds(quote, value) else (f"does not contain the city {value!r}", True,
                                                 "quote the words of the page that name the city")
    if kind == "headquarters_country_code":
        country = pycountry.countries.get(alpha_2=value)
        if country is None:
            return (f"{value!r} is not an ISO 3166-1 alpha-2 code", False,
                    "write the country's two-letter code, such as DE")
        spellings = ({country.name, getattr(country, "common_name", country.name),
                      getattr(country, "official_name", country.name)} | countries_as_listed.get(value, set()))
        if any(holds(quote, spelling) for spelling in spellings):
            return None
        # A state, province or region of the country (pycountry's first-level subdivisions), as Illinois is of the
        # United States, says where the organization is as well as the country's name does.
        regions = {region.name for region in pycountry.subdivisions.get(country_code=value) or ()
                   if region.parent_code is None}
        return None if any(holds(quote, region) for region in regions) else (
            f"does not contain the country's name ({', '.join(sorted(spellings))}) or one of its first-level "
            "subdivisions", True, "quote the words of the page that name the country, or its state, province or region")
    return None
