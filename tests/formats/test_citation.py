"""CITATION.cff and .zenodo.json render right in the tools users cite with: cffconvert to
BibTeX, APA, RIS and Zenodo."""

from __future__ import annotations

import json
from urllib.parse import quote
import subprocess

import pytest
import yaml

from conftest import ROOT, copy_package, tool
from scripts.__main__ import main
from scripts.formats.markers import block
from scripts.inputs.project import Project

PROJECT = Project()

REPOSITORY = "https://github.com/example-owner/uyghur-coalition-data"


def _cffconvert(root, fmt: str) -> str:
    result = subprocess.run(
        [str(tool("cffconvert")), "--format", fmt, "--infile", str(root / "CITATION.cff")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A copy of the package whose metadata/package.yaml sets its public address, built."""
    root = copy_package(tmp_path_factory.mktemp("published") / "package")
    metadata = root / "metadata" / "package.yaml"
    metadata.write_text(
        metadata.read_text(encoding="utf-8") + f"repository: {REPOSITORY}\n", encoding="utf-8", newline="\n"
    )
    assert main(["--root", str(root), "build"]) == 0  # in-process: the command line's own start is tested elsewhere
    return root


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["bibtex", "apalike", "ris", "zenodo"])
def test_cffconvert_renders_the_title_the_author_the_version_and_the_url(published, fmt):
    cff = yaml.safe_load((published / "CITATION.cff").read_text(encoding="utf-8"))
    version, title, (author,) = cff["version"], cff["title"], [a["name"] for a in cff["authors"]]
    release_page = f"{REPOSITORY}/releases/tag/v{version}"
    out = _cffconvert(published, fmt)
    if fmt == "bibtex":
        # One entity, whole: no comma and no " and " for BibTeX to split it into persons at.
        assert f"author = {{{author}}}" in out and "," not in author and " and " not in author
        assert f"title = {{{title}}}" in out and f"url = {{{release_page}}}" in out
        # cffconvert 2.0.0 (the newest) writes no version field in BibTeX: the version is in the URL.
        assert f"v{version}" in out
    elif fmt == "apalike":
        assert (
            out.startswith(f"{author} (")
            and title in out
            and f"(version {version})" in out
            and f"URL: {release_page}" in out
        )
    elif fmt == "ris":
        assert f"AU  - {author}" in out and f"TI  - {title}" in out and f"UR  - {release_page}" in out
    else:
        record = json.loads(out)
        assert (record["title"], record["version"], record["creators"]) == (title, version, [{"name": author}])
        ours = json.loads((published / ".zenodo.json").read_text(encoding="utf-8"))
        assert {key: ours[key] for key in ("title", "version", "creators", "keywords")} == {
            key: record[key] for key in ("title", "version", "creators", "keywords")
        }
        assert (
            ours["upload_type"] == "dataset"
            and ours["license"] == "cc-by-4.0"
            and ours["publication_date"] == cff["date-released"]
        )
        assert {
            "identifier": "https://uhrp.org/statement/the-global-muslim-response-to-the-uyghur-crisis/",
            "relation": "isDerivedFrom",
            "resource_type": "publication",
            "scheme": "url",
        } in ours["related_identifiers"]
        assert {
            "identifier": REPOSITORY,
            "relation": "isSupplementTo",
            "resource_type": "software",
            "scheme": "url",
        } in ours["related_identifiers"]


def test_with_the_public_address_set_every_surface_carries_it(published):
    cff = yaml.safe_load((published / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["url"] == f"{REPOSITORY}/releases/tag/v{cff['version']}" and cff["repository-code"] == REPOSITORY
    assert json.loads((published / "datapackage.json").read_text(encoding="utf-8"))["homepage"] == REPOSITORY
    page = (published / "docs" / "index.html").read_text(encoding="utf-8")
    assert f'"url": "{REPOSITORY}"' in page and f'"identifier": "{REPOSITORY}/releases/tag/v{cff["version"]}"' in page
    # The database in the browser: Datasette Lite opens the GitHub Pages copy of the database and its
    # metadata, never a release asset.
    owner, repo = REPOSITORY.removeprefix("https://github.com/").split("/")
    pages = f"https://{owner.lower()}.github.io/{repo}/"
    lite = (
        "https://lite.datasette.io/?url="
        + quote(pages + "global-muslim-coalition-for-uyghurs.sqlite", safe="")
        + "&amp;metadata="
        + quote(pages + "datasette.json", safe="")
    )
    assert f'<a href="{lite}">Open the database in Datasette Lite</a>' in page and "releases/download" not in lite


def test_with_no_public_address_no_output_carries_one():
    """The committed package sets none: nothing may then carry a placeholder or a guessed address of the package."""
    metadata = yaml.safe_load((ROOT / "metadata" / "package.yaml").read_text(encoding="utf-8"))
    assert "repository" not in metadata
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert "url" not in cff and "repository-code" not in cff
    for path in ("CITATION.cff", "CITATION.bib", ".zenodo.json", "datapackage.json", "docs/index.html"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert (
            "github.com" not in text and "OWNER" not in text and "example.org" not in text and "<owner>" not in text
        ), path


def test_citation_bib_names_the_compilers_as_one_entity_with_the_version_and_once_set_the_address(published):
    """BibTeX and pandoc split a bare author at its commas and "and"s into persons: double
    braces keep an entity whole."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    bib = (ROOT / "CITATION.bib").read_text(encoding="utf-8")
    version = cff["version"]
    assert f"@misc{{global-muslim-coalition-for-uyghurs-{version},\n" in bib
    (author,) = [
        contributor["title"]
        for contributor in PROJECT.package_metadata["contributors"]
        if "creator" in contributor["roles"]
    ]
    assert f"  author = {{{{{author}}}}},\n" in bib
    assert (
        f"  version = {{{version}}},\n" in bib
        and f"  year = {{{cff['date-released'][:4]}}},\n" in bib
        and "url = " not in bib
    )
    assert f"  url = {{{REPOSITORY}/releases/tag/v{version}}}\n" in (published / "CITATION.bib").read_text(
        encoding="utf-8"
    )


def test_a_bibtex_special_character_is_escaped_once():
    from scripts.formats.citation import citation_bib

    bib = citation_bib(
        {
            "authors": [{"name": "Compilers & Co {x}"}],
            "title": "50% of #1_a \\ b",
            "date-released": "2026-12-04",
            "version": "1.0.0",
        },
        "p",
    )
    assert "author = {{Compilers \\& Co \\{x\\}}}" in bib and "title = {{50\\% of \\#1\\_a \\textbackslash{} b}}" in bib


def test_bibtex_reads_the_author_as_one_entity_and_every_citation_names_it_alike(released_folder):
    """pybtex parses CITATION.bib as BibTeX does: one author, whose whole name is one family
    name, never a person's parts."""
    import json

    from pybtex.database import parse_string

    (author,) = [
        contributor["title"]
        for contributor in PROJECT.package_metadata["contributors"]
        if "creator" in contributor["roles"]
    ]
    assert author.startswith("Maintainers of ") and "," not in author and " and " not in author
    (entry,) = parse_string((ROOT / "CITATION.bib").read_text(encoding="utf-8"), "bibtex").entries.values()
    (person,) = entry.persons["author"]
    assert (person.first_names, person.middle_names, person.prelast_names) == ([], [], [])
    assert " ".join(person.last_names).strip("{}") == author
    assert "note" in entry.fields and entry.fields["version"] == PROJECT.changelog_version()
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert cff["authors"] == [{"name": author}] and zenodo["creators"] == [{"name": author}]
    page = (released_folder / "docs" / "index.html").read_text(encoding="utf-8")
    assert json.dumps(author) in page
    assert author in (released_folder / "README.md").read_text(encoding="utf-8")


def test_report_an_error_points_at_the_issue_tracker_once_the_address_is_set(published):
    readme = (published / "README.md").read_text(encoding="utf-8")
    section = block(readme, "report an error")
    assert f"<{REPOSITORY}/issues>" in section and "row's identifier" in section
    unset = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "/issues" not in block(unset, "report an error")
