"""Resolve country spellings to ISO 3166-1 through the curated spellings and pycountry."""

from __future__ import annotations

import functools

import pycountry

from ..inputs.curated import CuratedFile
from ..errors import PipelineError


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
                curated.fail(("country_spellings", index, "country_code"), f"says {spelling!r} is {code}, but pycountry reads it as {by_pycountry}",
                             f"write {by_pycountry}, or remove the entry and let pycountry read it")
            self.curated[spelling] = code

    def resolve(self, spelling: str, where: str) -> str:
        code = self.curated.get(spelling) or _pycountry_code(spelling)
        if code is None:
            raise PipelineError(
                where,
                f"unknown country spelling {spelling!r}: neither the curated country_spellings nor pycountry know it",
                f"add it to country_spellings in {self.metadata_path} with its ISO 3166-1 alpha-2 code and a source",
            )
        return code


@functools.lru_cache(maxsize=None)
def _pycountry_code(spelling: str) -> str | None:
    try:
        return pycountry.countries.lookup(spelling).alpha_2
    except LookupError:
        return None


@functools.lru_cache(maxsize=None)
def _country_row(code: str) -> tuple:
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_2, country.alpha_3, country.name, getattr(country, "official_name", None)


def country_row(code: str) -> dict:
    """The countries table's row for an alpha-2 code, every value taken from pycountry."""
    alpha_2, alpha_3, name, official_name = _country_row(code)
    return {"country_code": alpha_2, "alpha_3": alpha_3, "name": name, "official_name": official_name}
