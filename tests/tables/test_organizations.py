"""Who signed: every entry resolved to an organization on quoted evidence, or unresolved with its reason; what the
evidence does not hold is refused."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import ROOT, run, snapshot

ORGANIZATIONS = Path("data/source/organizations.yaml")


def _rows(root: Path, table: str) -> list[dict]:
    with (root / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _edit(root: Path, old: str, new: str, count: int = 1) -> None:
    path = root / ORGANIZATIONS
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8", newline="\n")


def test_every_entry_resolves_or_says_why_and_every_fact_is_quoted_from_an_https_page():
    signatories = _rows(ROOT, "signatories")
    resolved = [row for row in signatories if row["resolution"] == "resolved"]
    assert len(signatories) == 23 and len(resolved) == 19
    assert all(row["organization_id"] and not row["resolution_note"] for row in resolved)
    assert all(
        not row["organization_id"] and row["resolution_note"]
        for row in signatories
        if row["resolution"] == "unresolved"
    )
    by_number = {int(row["list_number"]): row for row in signatories}
    assert (
        by_number[8]["organization_id"] == "world-uyghur-congress-foundation"
        and by_number[13]["organization_id"] == "world-uyghur-congress"
    )
    assert {by_number[number]["resolution_note"] for number in (11, 21, 23)} == {"no public page found"}
    # Entry 12 as listed is the association's Turkish name in English: its own site names it so, and in English the
    # Union of East Turkestan Scholars.
    assert by_number[12]["organization_id"] == "union-of-east-turkestan-scholars"
    facts = _rows(ROOT, "organization_facts")
    assert facts and all(row["source_url"].startswith("https://") and 0 < len(row["quote"]) <= 300 for row in facts)
    organizations = {row["organization_id"]: row for row in _rows(ROOT, "organizations")}
    assert (
        organizations["world-uyghur-congress"]["founded_year"],
        organizations["world-uyghur-congress"]["founded_date"],
        organizations["world-uyghur-congress"]["headquarters_city"],
        organizations["world-uyghur-congress"]["headquarters_country_code"],
    ) == ("2004", "2004-04-16", "Munich", "DE")
    assert (
        organizations["world-uyghur-congress-foundation"]["founded_year"],
        organizations["world-uyghur-congress-foundation"]["founded_date"],
    ) == ("2020", "2020-12-25")
    assert (
        organizations["uyghur-human-rights-project"]["founded_year"],
        organizations["uyghur-human-rights-project"]["founded_date"],
    ) == ("2004", "")  # the page gives the year alone
    # A city only where a page says the organization is based there: neither an address in a page's
    # footer nor where it was set up.
    assert (
        organizations["malaysian-consultative-council-of-islamic-organizations"]["headquarters_city"]
        == organizations["world-uyghur-congress-foundation"]["headquarters_city"]
        == ""
    )
    # A country derived from a quoted fact: "an Illinois registered nonprofit organization" is in the United States.
    assert (
        organizations["justice-for-all"]["headquarters_city"],
        organizations["justice-for-all"]["headquarters_country_code"],
    ) == ("Chicago", "US")
    names = _rows(ROOT, "organization_names")
    assert {
        "organization_id": "world-uyghur-congress",
        "kind": "as-listed",
        "name": "World Uyghur Congress",
    }.items() <= next(
        row for row in names if row["organization_id"] == "world-uyghur-congress" and row["kind"] == "as-listed"
    ).items()


def test_the_germany_annotation_cites_the_sentence_that_places_the_congress_in_munich():
    note = next(row for row in _rows(ROOT, "annotations") if row["subject_id"] == "DE")
    assert note["is_inference"] == "true"
    assert (
        note["source_url"]
        == "https://www.uyghurcongress.org/en/press-release-world-uyghur-congress-celebrates-its-20th-anniversary/"
    )
    assert "On April 16, 2004, the WUC was established in Munich, Germany" in note["note"]


_FOUNDED_QUOTE = 'quote: "On April 16, 2004, the WUC was established in Munich, Germany, after'
# name: (old, new, where the message points, what it says)
REFUSALS = {
    "a fact without a quote": (
        '        value: "2004-04-16"\n        page: wuc-20th-anniversary\n'
        '        quote: "On April 16, 2004, the WUC was established in Munich, Germany, '
        "after the East Turkistan National Congress and the World Uyghur Youth Congress "
        'merged into one united organisation."\n',
        '        value: "2004-04-16"\n        page: wuc-20th-anniversary\n',
        r"organizations\[9\]\.facts\[0\]",
        "'quote' is missing",
    ),
    "a quote that lacks its value": (
        '        value: "2004-04-16"',
        '        value: "2005-04-16"',
        r"organizations\[9\]\.facts\[0\]\.quote",
        "does not give the date 2005-04-16 whole",
    ),
    "a year found only inside a longer number": (
        '        value: "2004"\n        page: uhrp-about\n        quote: "UHRP was founded in 2004 as',
        '        value: "2004"\n        page: uhrp-about\n        quote: "UHRP was founded in 120040 as',
        r"organizations\[17\]\.facts\[0\]\.quote",
        "does not contain the year 2004 as a word of its own",
    ),
    "a city found only inside a longer word": (
        'quote: "Headquarters: Munich, Germany"',
        'quote: "Headquarters: Munichen, Germany"',
        r"organizations\[9\]\.facts\[2\]\.quote",
        "does not contain the city 'Munich'",
    ),
    "a country its quote does not name": (
        "        value: DE\n",
        "        value: FR\n",
        r"organizations\[9\]\.facts\[3\]\.quote",
        "does not contain the country's name (France, French Republic) or one of its first-level subdivisions",
    ),
    "a city its quote does not name": (
        "        value: Munich",
        "        value: Berlin",
        r"organizations\[9\]\.facts\[2\]\.quote",
        "does not contain the city 'Berlin'",
    ),
    "two entries merged without evidence": (
        "list_number: 9, organization_id: stand4uyghurs",
        "list_number: 9, organization_id: world-uyghur-congress",
        r"signatories\[12\]\.organization_id",
        "entries 9 and 13 of global-muslim-coalition-for-uyghurs-2022 both resolve to world-uyghur-congress",
    ),
    "an organization shown by no entry": (
        "list_number: 9, organization_id: stand4uyghurs",
        "list_number: 9, unresolved: no public page found",
        r"organizations\[7\]\.organization_id",
        "stand4uyghurs is shown by no entry and no party of any agreement",
    ),
    "the agreement's own page standing in for a fact": (
        "    url: https://uhrp.org/about/",
        "    url: https://uhrp.org/statement/the-global-muslim-response-to-the-uyghur-crisis/",
        r"pages\.uhrp-about\.url",
        "is an agreement's own source page",
    ),
    "a page served over http": (
        "    url: https://uhrp.org/about/",
        "    url: http://uhrp.org/about/",
        r"pages\.uhrp-about\.url",
        '"http://uhrp.org/about/" is not valid here\n  fix: write the page\'s public https address',
    ),
    "a website served over http": (
        "        value: https://gpm.com.my/",
        "        value: http://gpm.com.my/",
        r"organizations\[\d+\]\.facts\[\d+\]\.value",
        "'http://gpm.com.my/' is not an https address",
    ),
    "a Wikipedia address over http": (
        "        value: https://en.wikipedia.org/wiki/Islam21c",
        "        value: http://en.wikipedia.org/wiki/Islam21c",
        r"organizations\[\d+\]\.facts\[\d+\]\.value",
        "'http://en.wikipedia.org/wiki/Islam21c' is not an https address",
    ),
    "an entry not in the agreement's list": (
        "list_number: 23, unresolved",
        "list_number: 24, unresolved",
        r"signatories\[22\]\.list_number",
        "entry 24 of global-muslim-coalition-for-uyghurs-2022 is not in that agreement's list",
    ),
    "an unknown organization": (
        "list_number: 10, organization_id: islam21c",
        "list_number: 10, organization_id: islam-21c",
        r"signatories\[9\]\.organization_id",
        "which organizations does not define",
    ),
    "an entry both resolved and unresolved": (
        "list_number: 21, unresolved: no public page found}",
        "list_number: 21, unresolved: no public page found, organization_id: islam21c}",
        r"signatories\[20\]",
        "never both nor neither",
    ),
    "a quote longer than 300 characters": (
        'quote: "Under the campaign banner, Stand4Uyghurs,',
        'quote: "' + "x" * 300 + " Under the campaign banner, Stand4Uyghurs,",
        r"organizations\[7\]\.names\[0\]\.quote",
        "300",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_what_the_evidence_does_not_hold_is_refused_by_name_and_nothing_is_written(reused_package, capsys, case):
    old, new, where, says = REFUSALS[case]
    package = reused_package.fresh()
    _edit(package, old, new)
    before = {name: snapshot(package / name) for name in ("data", "docs")}
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 1 and "unexpected" not in err and "Traceback" not in err, err
    first = (
        err.splitlines()[0]
        if not err.startswith("…")
        else next(line for line in err.splitlines() if line.startswith("error: "))
    )
    assert re.match(rf"error: data/source/organizations\.yaml, line \d+ \({where}", first), first
    assert says in err, err
    assert "fix: " in err
    assert {name: snapshot(package / name) for name in ("data", "docs")} == {
        name: before[name] for name in ("data", "docs")
    }


def _merge_stand4uyghurs_into_islam21c(root: Path, quote: str) -> None:
    path = root / ORGANIZATIONS
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"  - organization_id: stand4uyghurs\n.*?(?=  - organization_id: islam21c\n)", "", text, flags=re.DOTALL
    )
    path.write_text(text, encoding="utf-8", newline="\n")
    _edit(
        root,
        "list_number: 9, organization_id: stand4uyghurs}",
        f'list_number: 9, organization_id: islam21c, same_as: {{page: punekar-stand4uyghurs, quote: "{quote}"}}}}',
    )


def test_two_entries_are_one_organization_only_with_a_quote_that_names_the_entry(package, capsys):
    _merge_stand4uyghurs_into_islam21c(package, "Campaign coordinator, Chief Editor of Islam21c, Dr Salman Butt, said")
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 1 and "(signatories[8].same_as.quote): does not contain the entry's name 'Stand4Uyghurs'" in err, err


def test_two_entries_with_a_quote_that_names_the_entry_share_the_organization(package, capsys):
    _merge_stand4uyghurs_into_islam21c(
        package, "Under the campaign banner, Stand4Uyghurs, the coalition aims to raise awareness"
    )
    code, _, err = run(package, "build", "--force", capsys=capsys)
    assert code == 0, err
    by_number = {row["list_number"]: row for row in _rows(package, "signatories")}
    assert by_number["9"]["organization_id"] == by_number["10"]["organization_id"] == "islam21c"
    assert "stand4uyghurs" not in {row["organization_id"] for row in _rows(package, "organizations")}


def test_an_entry_the_file_does_not_list_is_unresolved_and_says_so(package, capsys):
    _edit(
        package,
        "  - {agreement_id: global-muslim-coalition-for-uyghurs-2022, list_number: 23, "
        "unresolved: no public page found}\n",
        "",
    )
    code, _, err = run(package, "build", "--force", capsys=capsys)
    assert code == 0, err
    entry = next(row for row in _rows(package, "signatories") if row["list_number"] == "23")
    assert (entry["resolution"], entry["organization_id"], entry["resolution_note"]) == (
        "unresolved",
        "",
        "not looked up yet: data/source/organizations.yaml does not list this entry",
    )


def test_a_quote_holds_its_value_only_as_whole_words():
    from scripts.tables.organizations import _quote_problem
    from scripts.tables.quotes import holds as _contains

    assert _quote_problem("founded", "2019", "Free Uyghur Now has 120190 members", "https://example.org/", [], {}) == (
        "does not contain the year 2019 as a word of its own",
        True,
        "quote the words of the page that give the founding",
    )
    assert (
        _quote_problem("founded", "2019", "Free Uyghur Now was founded in 2019.", "https://example.org/", [], {})
        is None
    )
    assert (
        not _contains("Bathurst", "Bath")
        and _contains("İstanbul'da", "Istanbul")
        and _contains("ABIM's president", "ABIM")
    )
    assert _contains(
        "Komunitas Go HijrahYayasan Pamong Asthabrata", "Yayasan Pamong Asthabrata"
    )  # a page that ran two words together
    assert _quote_problem("website", "https://uhrp.org/", "see notuhrp.org", "https://example.org/", [], {})[1] is True
    assert (
        _quote_problem("website", "https://uhrp.org/", "see www.uhrp.org/about", "https://example.org/", [], {}) is None
    )


def test_a_party_naming_an_organization_the_file_does_not_define_is_refused_in_its_coding(package, capsys):
    coding = package / "data" / "source" / "global-muslim-coalition-for-uyghurs-2022" / "coding.yaml"
    coding.write_text(
        coding.read_text(encoding="utf-8").replace(
            "  organization: united-nations\n", "  organization: league-of-nations\n", 1
        ),
        encoding="utf-8",
        newline="\n",
    )
    before = {name: snapshot(package / name) for name in ("data", "docs")}
    code, _, err = run(package, "build", "--force", capsys=capsys)
    assert {name: snapshot(package / name) for name in ("data", "docs")} == before  # nothing written
    assert code == 1 and "Traceback" not in err, err
    assert (
        "error: data/source/global-muslim-coalition-for-uyghurs-2022/coding.yaml: "
        "actor 'United Nations' is organization 'league-of-nations', "
        "which data/source/organizations.yaml does not define"
    ) in err
    assert "fix: define it under organizations there, with its names and facts quoted, or correct the id" in err


def test_the_parties_the_text_names_as_one_body_are_organizations_with_quoted_facts():
    organizations = {row["organization_id"]: row for row in _rows(ROOT, "organizations")}
    assert {
        key: (
            organizations[key]["name"],
            organizations[key]["founded_date"] or organizations[key]["founded_year"],
            organizations[key]["headquarters_city"],
            organizations[key]["headquarters_country_code"],
            organizations[key]["website"],
        )
        for key in (
            "uyghur-tribunal",
            "united-nations",
            "organization-of-turkic-states",
            "organization-of-islamic-cooperation",
            "international-court-of-justice",
        )
    } == {
        "uyghur-tribunal": ("Uyghur Tribunal", "2020", "London", "GB", "https://uyghurtribunal.com/"),
        "united-nations": ("United Nations", "1945-10-24", "New York City", "US", "https://www.un.org/"),
        "organization-of-turkic-states": (
            "Organization of Turkic States",
            "2009",
            "Istanbul",
            "TR",
            "https://www.turkicstates.org/",
        ),
        "organization-of-islamic-cooperation": (
            "Organization of Islamic Cooperation",
            "1969-09-25",
            "Jeddah",
            "SA",
            "https://www.oic-oci.org/",
        ),
        "international-court-of-justice": (
            "International Court of Justice",
            "1945",
            "The Hague",
            "NL",
            "https://www.icj-cij.org/",
        ),
    }
    # The name the Organization of Turkic States had on the day of the signing, and the names
    # it had before 12 November 2021.
    names = {
        (row["kind"], row["name"])
        for row in _rows(ROOT, "organization_names")
        if row["organization_id"] == "organization-of-turkic-states"
    }
    assert names == {
        ("official", "Organization of Turkic States"),
        ("former", "Cooperation Council of Turkic Speaking States"),
        ("former", "Turkic Council"),
    }
