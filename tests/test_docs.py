"""Documentation that cannot rot: the README's code runs, the dictionary and citation are current."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, tool
from scripts.release.build import build_in_memory
from scripts.inputs.project import Project

_BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def readme_examples() -> list[tuple[str, str]]:
    """Each python block of the README with the text block that shows its output."""
    blocks = _BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    examples = []
    for index, (language, code) in enumerate(blocks):
        if language == "python":
            following = blocks[index + 1] if index + 1 < len(blocks) else ("", "")
            assert following[0] == "text", (
                f"python block {len(examples) + 1} of README.md has no ```text block of output after it"
            )
            examples.append((code, following[1]))
    return examples


def test_the_readme_has_the_promised_examples():
    codes = "\n".join(code for code, _ in readme_examples())
    assert len(readme_examples()) >= 4
    for needle in (
        "pd.read_csv(",
        "pd.read_parquet(",
        'merge(countries, on="country_code"',
        'merge(pd.read_parquet("data/recognitions.parquet")',
    ):
        assert needle in codes


# A block that imports these runs in the tools' venv (requirements-tools.lock), offline, as a make check test.
_TOOLS_IMPORTS = re.compile(r"^import (datasets|mlcroissant)\b", re.MULTILINE)


def _run_example(code: str, cwd: Path, hf_home: Path) -> subprocess.CompletedProcess:
    if not _TOOLS_IMPORTS.search(code):
        return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True)
    offline = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(hf_home)}
    return subprocess.run(
        [str(tool("python")), "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **offline},
        timeout=600,
    )


@pytest.mark.parametrize(
    "number",
    [
        pytest.param(number, marks=pytest.mark.slow) if _TOOLS_IMPORTS.search(code) else number
        for number, (code, _) in enumerate(readme_examples(), start=1)
    ],
)
def test_readme_python_block_prints_what_it_shows(released_folder, number, tmp_path):
    code, expected = readme_examples()[number - 1]
    result = _run_example(code, released_folder, tmp_path / "hf")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == expected


@pytest.mark.slow
def test_readme_hugging_face_and_croissant_block_runs_as_written_from_outside_a_release_folder(
    released_folder, tmp_path
):
    ((code, expected),) = [(code, expected) for code, expected in readme_examples() if _TOOLS_IMPORTS.search(code)]
    # As its comment says: the release folder's path from elsewhere in place of ".", here from the folder that holds it.
    assert code.count('folder = Path(".").resolve()  # the release folder, or its path from elsewhere') == 1
    elsewhere = code.replace('Path(".")', f"Path({released_folder.name!r})")
    result = _run_example(elsewhere, released_folder.parent, tmp_path / "hf")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == expected


def test_the_readme_installs_datasets_and_mlcroissant_at_the_versions_the_tests_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = re.findall(r"`pip install ([^`]*\bdatasets==[^`]*)`", readme)
    locked = dict(
        re.findall(
            r"^([A-Za-z0-9_.\-]+)==(\S+)$",
            (ROOT / "requirements-tools.lock").read_text(encoding="utf-8"),
            flags=re.MULTILINE,
        )
    )
    assert dict(pin.split("==") for pin in line.split()) == {
        "datasets": locked["datasets"],
        "mlcroissant": locked["mlcroissant"],
    }


def test_pa_x_and_atop_are_expanded_and_linked_once_in_the_readme_and_the_codebook():
    for document in ("README.md", "docs/codebook.md"):
        text = " ".join((ROOT / document).read_text(encoding="utf-8").split())
        for name, address, expansion in (
            ("PA-X", "https://www.peaceagreements.org/", ("PA-X Peace Agreements Database", "University of Edinburgh")),
            ("ATOP", "https://www.atopdata.org/", ("Alliance Treaty Obligations and Provisions",)),
        ):
            assert text.count(f"[{name}]({address})") == 1 and text.count(address) == 1, (document, name)
            assert all(text.count(words) == 1 for words in expansion), (document, name)


def test_the_release_readme_speaks_only_of_what_the_release_holds(released_folder):
    readme = (released_folder / "README.md").read_text(encoding="utf-8")
    for repository_only in (
        "make ",
        "scripts/",
        "metadata/",
        ".venv",
        "pytest",
    ):  # requirements.lock is attached beside the zip
        assert repository_only not in readme, repository_only
    # Every path of the first cell of each row of "What is here", each listed once.
    listed = [path for cell in re.findall(r"^\| (`[^|]+`) \|", readme, flags=re.MULTILINE)
              for path in re.findall(r"`([^`]+)`", cell)]
    assert len(listed) == len(set(listed)), sorted(path for path in set(listed) if listed.count(path) > 1)
    for path in listed:
        assert (released_folder / path).exists(), path
    assert "global-muslim-coalition-for-uyghurs.xlsx" in listed and "data/signatories.parquet" in listed
    # The same examples as the repository's README, which run in a release (test above).
    assert [code for code, _ in _examples(readme)] == [code for code, _ in readme_examples()]


def _examples(text: str) -> list[tuple[str, str]]:
    blocks = _BLOCK.findall(text)
    return [(code, blocks[i + 1][1]) for i, (language, code) in enumerate(blocks) if language == "python"]


def test_readme_csv_example_also_runs_in_the_repository():
    code, expected = readme_examples()[0]
    assert "read_csv" in code
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


def test_readme_shell_and_ci_examples_name_real_files():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    loop = re.search(r"for table in ([a-z_ ]+); do", readme).group(1).split()
    assert loop == ["signatories", "agreements"]  # what the pandas example after it reads
    paths = re.findall(r'"\$BASE/([^"$]+\$table[^"]*)"', readme)
    assert paths == ["data/$table.csv", "schemas/$table.json"]
    for table in loop:
        for path in paths:
            assert (ROOT / path.replace("$table", table)).is_file(), path
    pandas_block = readme_examples()[0][0]
    assert 'read_table("signatories")' in pandas_block and 'read_table("agreements")' in pandas_block
    assert (
        "uses: OWNER/REPO/.github/workflows/validate-release.yml@v" in readme
        and (ROOT / ".github" / "workflows" / "validate-release.yml").is_file()
    )
    assert "make release" in readme and "make test" in readme


def test_data_dictionary_is_current_and_covers_every_field():
    built = build_in_memory(Project())
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == built.files["docs/data-dictionary.md"].decode("utf-8"), "run make build"
    for name, schema in Project().schemas.items():
        assert f"## `{name}`" in committed
        for field in schema["fields"]:
            assert re.search(rf"^\| `{field['name']}` \| [^|]+ \| {field['type']} \|", committed, flags=re.MULTILINE), (
                name,
                field["name"],
            )
    assert (
        "| `date_signed` | Date signed | date | required "
        "| The date the agreement was signed, read from its date line (ISO 8601). | `2022-01-30` |" in committed
    )
    assert "interpretation" in committed and "codebook" in committed
    assert "[data dictionary](docs/data-dictionary.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_citation_is_a_dataset_with_the_version_and_the_source():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["type"] == "dataset"
    assert citation["version"] == Project().changelog_version() == Project().releases[0].version
    assert citation["date-released"] == Project().releases[0].date.isoformat()
    assert citation["license"] == "CC-BY-4.0"
    (reference,) = citation["references"]
    assert reference["url"] == "https://uhrp.org/statement/the-global-muslim-response-to-the-uyghur-crisis/"
    assert reference["publisher"] == {"name": "Uyghur Human Rights Project"}
    assert reference["authors"] == [{"name": "The 23 signatory organizations listed in the agreement"}]
    # The compilers are named as such: never as the coalition, its signatories or UHRP.
    assert citation["authors"] == [
        {"name": c["title"]} for c in Project().package_metadata["contributors"] if "creator" in c["roles"]
    ]
    assert "neither the signatories nor the Uyghur Human Rights Project" in citation["message"]


def test_licenses_agree():
    import json

    license_text = " ".join((ROOT / "LICENSE").read_text(encoding="utf-8").split())
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert "Creative Commons Attribution 4.0 International" in license_text and "MIT License" in license_text
    assert "claims no rights in it" in license_text
    assert [(entry["name"], entry["path"]) for entry in descriptor["licenses"]] == [
        ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/")
    ]
    assert "https://creativecommons.org/licenses/by/4.0/" in license_text


def test_chart_is_embedded_and_drawn_from_the_data():
    from scripts.formats.chart import chart_bars

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/figures/signatories-by-country.svg)" in readme
    bars = chart_bars(build_in_memory(Project()).tables)
    assert bars == [
        ("Malaysia (MY)", 8, ""),
        ("Türkiye (TR)", 4, ""),
        ("Indonesia (ID)", 3, ""),
        ("United States (US)", 3, ""),
        ("United Kingdom (GB)", 2, ""),
        ("Germany (DE)", 0, "stated in the attestation, not listed"),
        ("No country listed", 3, ""),
    ]
    svg = (ROOT / "docs" / "figures" / "signatories-by-country.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert (ROOT / "docs" / "figures" / "signatories-by-country.png").read_bytes().startswith(b"\x89PNG")


def test_the_benchmark_page_reports_the_recorded_figures():

    from benchmarks.bench import figures_markdown, recorded_runs

    runs = recorded_runs()
    assert len(runs) >= 16  # every run is kept (16 by 1.4.1), the newest last
    for run_ in runs:
        assert set(run_) == {"machine", "sizes", "summary", "targets", "met"}
        # What each run says is met follows from its own figures and targets, so a run cannot claim a target it missed.
        assert run_["met"]["peak_rss_mib"] == (run_["summary"]["peak_rss_mib"] <= run_["targets"]["peak_rss_mib"])
    recorded = runs[-1]
    assert [size["agreements"] for size in recorded["sizes"]] == [1, 1_000, 10_000]
    assert recorded["sizes"][-1]["rows"] > 300_000
    assert figures_markdown(recorded) in (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")


# The mistakes behind CONTRIBUTING.md's three error examples, in their order.
_EXAMPLE_MISTAKES = [
    (
        "build",
        "data/source/global-muslim-coalition-for-uyghurs-2022/agreement.yaml",
        lambda text: text + "\npublisher:\n  value: UHRP\n  source: pasted from another file\n",
    ),
    (
        "build",
        "data/source/global-muslim-coalition-for-uyghurs-2022/agreement.yaml",
        lambda text: text.replace("  received_as:", "  recieved_as:"),
    ),
    (
        "release",
        "CHANGELOG.md",
        lambda text: text.replace(
            "## [Unreleased]\n", "## [Unreleased]\n\n## [v1.1.1] - 2026-11-27\n\n### Fixed\n- Something.\n"
        ),
    ),
]


def test_the_error_examples_are_what_the_checks_print(package, capsys):
    from conftest import run

    readme = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = readme.split("<!-- error examples: checked by tests/test_docs.py -->\n```text\n", 1)[1].split("```", 1)[0]
    examples = re.split(r"^\$ make (\w+) .*\n", block, flags=re.MULTILINE)[1:]
    assert len(examples) == 2 * len(_EXAMPLE_MISTAKES) == 6
    for (command, relative, edit), shown_command, shown in zip(_EXAMPLE_MISTAKES, examples[0::2], examples[1::2]):
        path = package / relative
        original = path.read_text(encoding="utf-8")
        path.write_text(edit(original), encoding="utf-8", newline="\n")
        code, _, err = run(package, command, capsys=capsys)
        path.write_text(original, encoding="utf-8", newline="\n")
        assert (code, shown_command) == (1, command)
        assert "\n".join(line for line in err.splitlines() if not line.startswith("… ")) + "\n" == shown


def test_every_description_says_what_the_clauses_table_holds_counted_from_it():
    """One description, written by the build from the clauses table and the tables the package holds,
    everywhere the package is described."""
    from scripts.inputs.wording import in_words, tables_in_words

    assert (
        tables_in_words(["acts", "act_actors"]) == "two tables: acts and act actors"
        and tables_in_words(["acts"]) == "one table: acts"
    )
    clauses = list(csv.DictReader((ROOT / "data" / "clauses.csv").open(encoding="utf-8", newline="")))
    attestations = [row for row in clauses if row["is_attestation"] == "true"]
    assert (len(clauses) - len(attestations), len(attestations)) == (9, 1)
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    page = (ROOT / "docs" / "index.html").read_text(encoding="utf-8")
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    for surface in (descriptor["description"], citation["abstract"], zenodo["description"], page):
        assert "its text as nine paragraphs and an attestation (verbatim)" in surface
        assert "ten clauses" not in surface and "{clauses}" not in surface
        # Every kind of table is named, not only the first ones.
        for part in (
            "the organizations they resolve to",
            "a coding of what each clause does",
            "recognized the genocide before the signing",
        ):
            assert part in " ".join(surface.split()), part
        # Derived from the tables the package holds: a table added is named with no edit of the text.
        assert f"in {in_words(len(Project().table_names))} tables: agreements, clauses, signatories," in " ".join(
            surface.split()
        )
        assert all(name.replace("_", " ") in surface for name in Project().table_names)


def test_the_clauses_are_counted_in_words_for_one_agreement_and_for_a_corpus():
    from scripts.inputs.wording import clauses_in_words

    def clauses(paragraphs: int, attestations: int) -> list[dict]:
        return [{"is_attestation": False}] * paragraphs + [{"is_attestation": True}] * attestations

    assert clauses_in_words(clauses(9, 1)) == "nine paragraphs and an attestation"
    assert clauses_in_words(clauses(1, 1)) == "one paragraph and an attestation"
    assert clauses_in_words(clauses(90_000, 10_000)) == "90,000 paragraphs and 10,000 attestations"


def test_the_readme_quotes_frictionless_as_it_prints_and_names_the_pandas_it_shows():
    """Messages a user will search for are quoted exactly as the pinned frictionless writes them; the
    output's pandas is the pinned one."""
    import frictionless

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    platform = (Path(frictionless.__file__).parent / "platform.py").read_text(encoding="utf-8")
    assert "note = f'Please install \"frictionless[{name}]\"'" in platform
    assert '`Please install "frictionless[parquet]"`' in readme
    table = (Path(frictionless.__file__).parent / "resources" / "table.py").read_text(encoding="utf-8")
    assert "package is required for foreign keys to other resources" in table
    assert "`package is required for foreign keys to other resources`" in readme
    locked = re.search(
        r"^pandas==(\d+)\.(\d+)\.", (ROOT / "requirements.lock").read_text(encoding="utf-8"), flags=re.M
    ).groups()
    assert f"That output is pandas {locked[0]}.{locked[1]}'s, the version this repository pins" in readme
    assert f"where pandas {locked[0]} prints `datetime64[us]`" in readme


# --- README for users, CONTRIBUTING for maintainers: short, current, and every block tested ------

_DOCUMENTS = ("README.md", "CONTRIBUTING.md", "docs/benchmarks.md")


def _blocks(document: str) -> list[tuple[str, str]]:
    """Every fenced block of a document: its language ('' for none) and its text."""
    return re.findall(r"^```(\w*)\n(.*?)^```", (ROOT / document).read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)


def test_the_readme_is_for_users_and_contributing_holds_the_rest():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for maintainers in (
        "## Building",
        "## Validation",
        "## Releasing",
        "### Versions",
        "## Layout",
        "make mutate",
        "```bat",
    ):
        assert maintainers in contributing and maintainers not in readme, maintainers
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in readme and "[README](README.md)" in contributing


def test_no_document_gives_a_heading_twice():
    for document in _DOCUMENTS:
        headings = re.findall(r"^#+ .+$", (ROOT / document).read_text(encoding="utf-8"), flags=re.MULTILINE)
        assert headings and len(headings) == len(set(headings)), document


def test_the_readme_names_the_version_the_changelog_releases_in_its_workflow_example():
    import yaml

    (example,) = [text for language, text in _blocks("README.md") if language == "yaml"]
    job = yaml.safe_load(example)["jobs"]["validate-uyghur-coalition-data"]
    version = Project().changelog_version()
    assert job["uses"] == f"OWNER/REPO/.github/workflows/validate-release.yml@v{version}"
    assert job["with"] == {
        "version": version,
        "base-url": f"https://github.com/OWNER/REPO/releases/download/v{version}",
    }
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "validate-release.yml").read_text(encoding="utf-8"))
    assert set(job["with"]) <= set(workflow[True]["workflow_call"]["inputs"])  # YAML reads the key `on` as True
    for document in _DOCUMENTS:
        assert "OWNER/REPOSITORY" not in (ROOT / document).read_text(encoding="utf-8"), document


def test_the_readme_names_every_view_of_the_database_and_counts_them():
    from scripts.formats.sqlite import VIEWS
    from scripts.inputs.wording import in_words

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("<!-- views: checked by tests/test_docs.py -->", 1)[1].split("\n\n", 1)[0]
    assert paragraph.startswith(f"{in_words(len(VIEWS))} views")
    assert sorted(re.findall(r"`(\w+_with_\w+)`", paragraph)) == sorted(VIEWS)


# Every fenced block of the README and CONTRIBUTING.md, by its language and first line, and the test that proves it.
_TESTED_BLOCKS = {
    (
        "README.md",
        "sh",
        "BASE=https://raw.githubusercontent.com/OWNER/REPO/main   # this repository on GitHub",
    ): "test_the_readme_download_loop_fetches_what_the_pandas_example_reads",
    ("README.md", "python", "import json"): "test_readme_python_block_prints_what_it_shows",
    ("README.md", "python", "import pandas as pd"): "test_readme_python_block_prints_what_it_shows",
    ("README.md", "python", "import sqlite3"): "test_readme_python_block_prints_what_it_shows",
    (
        "README.md",
        "python",
        "from pathlib import Path",
    ): (
        "test_readme_python_block_prints_what_it_shows, "
        "test_readme_hugging_face_and_croissant_block_runs_as_written_from_outside_a_release_folder"
    ),
    (
        "README.md",
        "text",
        None,
    ): "test_readme_python_block_prints_what_it_shows, test_readme_r_block_reads_the_csvs_with_the_schema_types",
    ("README.md", "r", "library(readr)"): "test_readme_r_block_reads_the_csvs_with_the_schema_types",
    ("README.md", "yaml", "jobs:"): "test_the_readme_names_the_version_the_changelog_releases_in_its_workflow_example",
    (
        "README.md",
        "sh",
        'curl -fsSLO "$BASE/SHA256SUMS" && '
        "for file in $(awk '{ print $2 }' SHA256SUMS); do curl -fsSLO \"$BASE/$file\"; done",
    ): "test_the_readme_shell_steps_validate_a_served_release",
    (
        "README.md",
        "sh",
        "make release   # build every table from the source, validate it, and release it in dist/",
    ): "test_the_setup_is_two_make_targets_and_ci_runs_make_check",
    (
        "CONTRIBUTING.md",
        "sh",
        "make release   # build every table from the source, validate it, and release it in dist/",
    ): "test_the_setup_is_two_make_targets_and_ci_runs_make_check",
    (
        "CONTRIBUTING.md",
        "bat",
        "python -m venv .venv",
    ): "test_contributing_gives_the_windows_commands_that_ci_runs_on_windows",
    (
        "CONTRIBUTING.md",
        "",
        "error: data/source/global-muslim-coalition-for-uyghurs-2022/document.txt, line 35: "
        "expected list entry 6, found entry 7: entries are skipped",
    ): "test_the_build_error_example_is_what_the_build_prints",
    (
        "CONTRIBUTING.md",
        "text",
        "$ make build      # after pasting a second publisher block at the end of agreement.yaml",
    ): "test_the_error_examples_are_what_the_checks_print",
}


def test_every_block_of_the_readme_and_contributing_is_one_a_named_test_proves():
    found = set()
    for document in ("README.md", "CONTRIBUTING.md"):
        for language, text in _blocks(document):
            first = None if (document, language) == ("README.md", "text") else text.splitlines()[0]
            found.add((document, language, first))
    assert found == set(_TESTED_BLOCKS)
    tests = "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "tests").rglob("test_*.py")))
    for names in _TESTED_BLOCKS.values():
        for name in names.split(", "):
            assert f"def {name}(" in tests, name


def test_the_build_error_example_is_what_the_build_prints(package, capsys):
    from conftest import replace_document, run, source_text

    (shown,) = [text for language, text in _blocks("CONTRIBUTING.md") if language == ""]
    text = source_text(package)
    entry_6 = re.search(r"^ *6\. .*\n", text, flags=re.MULTILINE).group(0)
    replace_document(package, text.replace(entry_6, ""))
    code, _, err = run(package, "build", capsys=capsys)
    assert code == 1
    assert shown.strip() in err


@pytest.mark.slow
@pytest.mark.posix("curl, which the README's download loop uses")
def test_the_readme_download_loop_fetches_what_the_pandas_example_reads(tmp_path):
    import shutil

    from test_workflows import serve

    if shutil.which("curl") is None:
        pytest.fail("curl is needed") if __import__("os").environ.get("CI") else pytest.skip("no curl here")
    (loop,) = [text for language, text in _blocks("README.md") if language == "sh" and text.startswith("BASE=")]
    server = serve(ROOT)
    try:
        address = f"http://127.0.0.1:{server.server_address[1]}"
        script = loop.replace("BASE=https://raw.githubusercontent.com/OWNER/REPO/main", f"BASE={address}", 1)
        fetched = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, capture_output=True, text=True)
    finally:
        server.shutdown()
    assert fetched.returncode == 0, fetched.stderr
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.*")) == [
        "data/agreements.csv",
        "data/signatories.csv",
        "schemas/agreements.json",
        "schemas/signatories.json",
    ]
    code, expected = readme_examples()[0]
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
