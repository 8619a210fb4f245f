"""Write synthetic agreements in the published layout, for the corpus test and the benchmark."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scripts.tables.parse import EN_DASH

# Spellings pycountry resolves by itself, and the curated ones the real agreement also uses.
_COUNTRIES = ["Malaysia", "Indonesia", "Germany", "France", "Canada", "Japan", "Pakistan", "Egypt", "Jordan",
              "Morocco", "Nigeria", "Senegal", "Kenya", "Bangladesh", "Tunisia", "Turkey", "UK", "USA"]
_CURATED_SPELLINGS = [
    {"as_written": "Turkey", "country_code": "TR", "source": "ISO 3166-1 renamed TR to Türkiye in 2022."},
    {"as_written": "UK", "country_code": "GB", "source": "Abbreviation of the United Kingdom (ISO code GB)."},
    {"as_written": "USA", "country_code": "US", "source": "Abbreviation of the United States of America."},
]
_WORDS = ["Islamic", "Justice", "Solidarity", "Human Rights", "Youth", "Women's", "Scholars", "Relief", "Peace",
          "Unity"]
_KINDS = ["Foundation", "Association", "Council", "Network", "Alliance", "Initiative", "Forum", "Society"]
_PARAGRAPHS = [
    "We the undersigned organizations commit to working together for the rights of Uyghurs.",
    "We note the findings of independent experts on the situation in East Turkistan.",
    "We agree to cooperate on the basis of shared values of peace and justice.",
    "We pledge solidarity and mutual support, and call upon others to do the same.",
    "We will work to provide protection for refugees at risk.",
    "We urge religious, civil society and political leaders to take a stand.",
    "We thank the nations that have spoken out, and urge others to follow.",
    "We further urge the United Nations to act without delay.",
    "Consequently, governments and international bodies must act.",
]


@dataclass
class SyntheticAgreement:
    agreement_id: str
    title: str
    date_signed: dt.date
    place: str
    place_country: str
    entries: list[tuple[str, str | None]]  # (name as listed, country as listed or None)
    paragraphs: list[str] = field(default_factory=lambda: list(_PARAGRAPHS))

    def stated_countries(self) -> list[str]:
        """The attestation states the listed countries, in the order they are first listed."""
        return list(dict.fromkeys(country for _, country in self.entries if country))

    def document(self) -> str:
        countries = self.stated_countries()
        stated = countries[0] if len(countries) == 1 else ", ".join(countries[:-1]) + " and " + countries[-1]
        signed = self.date_signed
        attestation = f"Agreed {signed.day} {signed:%B %Y} by civil society organizations from {stated}."
        entries = [f"  {n}. {name} {EN_DASH} {country}" if country else f"  {n}. {name}"
                   for n, (name, country) in enumerate(self.entries, start=1)]
        blocks = [f"Statement {self.agreement_id}", self.title,
                  f"{signed:%B} {signed.day}, {signed.year}\n{self.place}, {self.place_country}",
                  *self.paragraphs, attestation, "\n".join(entries)]
        return "\n\n".join(blocks)

    def metadata(self, document: bytes) -> dict:
        return {
            "agreement_id": {"value": self.agreement_id, "source": "Synthetic: written by benchmarks/synthetic.py."},
            "document": {"file": "document.txt", "sha256": hashlib.sha256(document).hexdigest(),
                         "source": "Synthetic."},
            "language": {"value": "en", "source": "Synthetic."},
            "publisher": {"value": "Synthetic Publisher", "source": "Synthetic."},
            "source_url": {"value": f"https://example.org/statements/{self.agreement_id}/", "source": "Synthetic."},
            "coding": {"value": "not coded yet", "source": "Synthetic: the generator writes no coding.yaml."},
            "capture_artifacts": [],
            "country_spellings": _CURATED_SPELLINGS,
            "known_discrepancies": [],
            "context_notes": [],
        }

    def write(self, source_dir: Path) -> Path:
        folder = source_dir / self.agreement_id
        folder.mkdir(parents=True, exist_ok=True)
        document = self.document().encode("utf-8")
        (folder / "document.txt").write_bytes(document)
        metadata = yaml.safe_dump(self.metadata(document), sort_keys=False, allow_unicode=True)
        (folder / "agreement.yaml").write_bytes(metadata.encode("utf-8"))
        return folder


def random_agreement(number: int, signatories: int = 17, countries: int = 5, seed: int = 2022) -> SyntheticAgreement:
    """The number-th agreement of a reproducible synthetic corpus."""
    rng = random.Random(seed * 1_000_003 + number)
    chosen = rng.sample(_COUNTRIES, countries)
    entries = []
    for index in range(signatories):
        name = f"{rng.choice(_WORDS)} {rng.choice(_KINDS)} {number}-{index + 1}"
        if rng.random() < 0.3:
            name += f" (ORG{number}X{index + 1})"
        entries.append((name, None if rng.random() < 0.1 else chosen[index % countries]))
    return SyntheticAgreement(
        agreement_id=f"synthetic-{number:06d}",
        title=f"Synthetic agreement number {number}",
        date_signed=dt.date(2020, 1, 1) + dt.timedelta(days=number % 2000),
        place=rng.choice(["Istanbul", "Kuala Lumpur", "Jakarta", "London"]),
        place_country=rng.choice(["Turkey", "Malaysia", "Indonesia", "UK"]),
        entries=entries,
    )
