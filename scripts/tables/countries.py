"""Resolve country spellings to ISO 3166-1 by the curated spellings and pycountry, and give each country its codes."""

from __future__ import annotations

import functools

import pycountry

from ..errors import PipelineError
from ..inputs.curated import CuratedFile


class CountryResolver:
    """Curated spellings first, then pycountry's exact lookup; anything else stops the build."""

    def __init__(self, curated: CuratedFile):
        self.metadata_path = curated.relative
        self.curated: dict[str, str] = {}
        # The contract has checked each entry's keys and that its code is an ISO 3166-1 alpha-2 code.
        for index, entry in enumerate(curated.data.get("country_spellings") or []):
            spelling, code = entry["as_written"], entry["country_code"]
            by_pycountry = _pycountry_code(spelling)
            if by_pycountry not in (None, code):
                curated.fail(("country_spellings", index, "country_code"), f"says {spelling!r} is {code}, but "
                             f"pycountry reads it as {by_pycountry}",
                             f"write {by_pycountry}, or remove the entry and let pycountry read it")
            self.curated[spelling] = code

    def resolve(self, spelling: str, where: str) -> str:
        code = self.curated.get(spelling) or _pycountry_code(spelling)
        if code is None:
            raise PipelineError(where, f"unknown country spelling {spelling!r}: neither the curated "
                                "country_spellings nor pycountry know it", f"add it to country_spellings in "
                                f"{self.metadata_path} with its ISO 3166-1 alpha-2 code and a source")
        return code


@functools.lru_cache(maxsize=None)
def _pycountry_code(spelling: str) -> str | None:
    try:
        return pycountry.countries.lookup(spelling).alpha_2
    except LookupError:
        return None


def country_rows(codes: set[str]) -> list[dict]:
    """The countries table: a row for each alpha-2 code, in code order, with ISO 3166-1 names and codes from pycountry
    and the state-system codes of political science (Gleditsch-Ward, Correlates of War) from countrycode."""
    ordered = tuple(sorted(codes))
    return [{**_iso_row(code), **state_codes} for code, state_codes in zip(ordered, _state_system_codes(ordered))]


@functools.lru_cache(maxsize=None)
def _iso_row(code: str) -> dict:
    country = pycountry.countries.get(alpha_2=code)
    return {"country_code": country.alpha_2, "alpha_3": country.alpha_3, "iso_numeric": int(country.numeric),
            "name": country.name, "official_name": getattr(country, "official_name", None)}


@functools.lru_cache(maxsize=8)
def _state_system_codes(codes: tuple[str, ...]) -> list[dict]:
    """Each code's Gleditsch-Ward and Correlates of War numbers, where countrycode means the country pycountry does."""
    from countrycode import countrycode  # imports pandas: loaded when the countries table is made, not with the tables

    gleditsch_ward, correlates_of_war, iso_numeric = (countrycode(list(codes), origin="iso2c", destination=system)
                                                      for system in ("gwn", "cown", "iso3n"))
    rows = []
    for code, gw, cow, numeric in zip(codes, gleditsch_ward, correlates_of_war, iso_numeric):
        if numeric is not None and int(numeric) != _iso_row(code)["iso_numeric"]:
            raise PipelineError("countries", f"{code} is ISO numeric {_iso_row(code)['iso_numeric']} to pycountry but "
                                f"{numeric} to countrycode: the two libraries mean different countries by it, so its "
                                "state codes cannot be trusted", "pin versions of pycountry and countrycode that agree "
                                "(requirements.lock), and report it to the one that is wrong")
        rows.append({"gw_code": None if gw is None else int(gw), "cow_code": None if cow is None else int(cow)})
    return rows
