"""Mistakes a curator could make by hand in every curated input: each is refused by name
and line, and nothing is written.

Each case edits one curated file of a copy of the package, then runs `release` in this process. It must
exit non-zero with one or two lines that name the curated file and where in it, never
"unexpected" or a traceback, and leave data/, dist/, docs/, datapackage.json, CITATION.cff and
README.md byte for byte as they were.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import (
    ROOT,
    SOURCE_DIR,
    bumped,
    edit_schema,
    line_of,
    replace_document,
    run,
    schema_field,
    snapshot,
    source_text,
)
from scripts.inputs.project import Project

AGREEMENT = f"{SOURCE_DIR.as_posix()}/agreement.yaml"
CODING = f"{SOURCE_DIR.as_posix()}/coding.yaml"
DOCUMENT = f"{SOURCE_DIR.as_posix()}/document.txt"
PACKAGE = "metadata/package.yaml"
CHANGELOG = "CHANGELOG.md"
CURRENT = Project().changelog_version()
NEXT = bumped(CURRENT, "minor")  # a version above every heading, for the tests that add one
PROTECTED = ("data", "dist", "docs", "datapackage.json", "CITATION.cff", "README.md")


@dataclass(frozen=True)
class Mistake:
    edit: Callable[[Path], None]
    where: str  # a regular expression for the place the first line must name
    says: str  # words the message must hold


def _replace(relative: str, old: str, new: str, count: int = 1):
    def edit(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relative}"
        path.write_text(text.replace(old, new, count), encoding="utf-8", newline="\n")

    return edit


def _append(relative: str, text: str):
    def edit(root: Path) -> None:
        path = root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8", newline="\n")

    return edit


def _write_bytes(relative: str, change: Callable[[bytes], bytes]):
    def edit(root: Path) -> None:
        path = root / relative
        path.write_bytes(change(path.read_bytes()))

    return edit


def _delete(relative: str):
    def edit(root: Path) -> None:
        (root / relative).unlink()

    return edit


def _document(change: Callable[[str], str], record_sha256: bool = True):
    """Edit document.txt; as a careful curator would, record its new sha256 (unless told not to)."""

    def edit(root: Path) -> None:
        text = change(source_text(root))
        if record_sha256:
            replace_document(root, text.encode("utf-8") if isinstance(text, str) else text)
        else:
            (root / DOCUMENT).write_text(text, encoding="utf-8", newline="\n")

    return edit


def _entry(number: int, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        lines = text.split("\n")
        index = next(i for i, line in enumerate(lines) if line.lstrip().startswith(f"{number}. "))
        lines[index] = new
        return "\n".join(lines)

    return change


def _entry_line(number: int) -> int:
    return next(
        i for i, line in enumerate(source_text().split("\n"), start=1) if line.lstrip().startswith(f"{number}. ")
    )


def _yaml(relative: str, keys: str) -> str:
    """A place in a YAML file: its name, some line, and the key path."""
    return re.escape(relative) + r", line \d+ \(" + re.escape(keys) + r"\)"


def _line(relative: str, line: int | None = None) -> str:
    return re.escape(relative) + (f", line {line}\\b" if line else r", line \d+")


def _json(relative: str, keys: str) -> str:
    return re.escape(relative) + r" \(" + re.escape(keys) + r"\)"


_NEW_RELEASE = "## [Unreleased]\n\n## [{version}] - {date}\n\n### Fixed\n- A test.\n"


def _heading(version: str, date: str = "2026-11-27"):
    return _replace(CHANGELOG, "## [Unreleased]\n", _NEW_RELEASE.format(version=version, date=date))


_PUBLISHER = "publisher:\n  value: Uyghur Human Rights Project\n"
_LANGUAGE = "language:\n  value: en\n"
_SHA = "sha256: 9dfa11ac8508481f90f9e8c25ed85bd585d4a3900586a00591f7309284ce8705"
_DISCREPANCY_INFERENCE = "    is_inference: true\n    source_url: https://www.uyghurcongress.org/"
_ACT_1_VERB = "  verb:\n    text: commit to working together\n    span: [198, 224]\n"
_EVENT_1 = "events:\n"

MISTAKES: dict[str, Mistake] = {
    # --- agreement.yaml: YAML itself -------------------------------------------------------
    "agreement: a second publisher block": Mistake(
        _append(AGREEMENT, "\npublisher:\n  value: Someone Else\n  source: pasted\n"),
        _line(AGREEMENT),
        "the key 'publisher' is written twice in the same mapping (first at line",
    ),
    "agreement: a key written twice inside a mapping": Mistake(
        _replace(AGREEMENT, _PUBLISHER, _PUBLISHER + "  value: UHRP\n"),
        _line(AGREEMENT),
        "the key 'value' is written twice",
    ),
    "agreement: bad indentation": Mistake(
        _replace(AGREEMENT, _LANGUAGE, "language:\n  value: en\n   source: x\n"), _line(AGREEMENT), "not valid YAML"
    ),
    "agreement: a tab for indentation": Mistake(
        _replace(AGREEMENT, _LANGUAGE, "language:\n\tvalue: en\n"), _line(AGREEMENT), "not valid YAML"
    ),
    "agreement: a list at the top": Mistake(
        _write_bytes(AGREEMENT, lambda raw: b"- agreement_id: x\n"),
        _line(AGREEMENT, 1),
        "expected a mapping of keys to values at the top level",
    ),
    "agreement: an empty file": Mistake(
        _write_bytes(AGREEMENT, lambda raw: b""),
        _line(AGREEMENT, 1),
        "expected a mapping of keys to values at the top level, found nothing",
    ),
    "agreement: a byte-order mark": Mistake(
        _write_bytes(AGREEMENT, lambda raw: b"\xef\xbb\xbf" + raw), _line(AGREEMENT, 1), "starts with a byte-order mark"
    ),
    "agreement: not UTF-8": Mistake(
        _write_bytes(
            AGREEMENT, lambda raw: raw.replace(b"Uyghur Human Rights Project", b"Uyghur Human Rights Proj\xe9ct", 1)
        ),
        re.escape(AGREEMENT),
        "not UTF-8",
    ),
    "agreement: the file deleted": Mistake(_delete(AGREEMENT), re.escape(AGREEMENT), "file not found"),
    # --- agreement.yaml: types ---------------------------------------------------------------
    "agreement: a page's kind beside an empty source_url": Mistake(
        _replace(AGREEMENT, '    source_url: ""\n', '    source_url: ""\n    source_kind: official\n'),
        _yaml(AGREEMENT, "context_notes[2].source_kind"),
        "'source_kind' does not belong here",
    ),
    "agreement: publisher as a list": Mistake(
        _replace(AGREEMENT, "value: Uyghur Human Rights Project", "value: [Uyghur Human Rights Project]"),
        _yaml(AGREEMENT, "publisher.value"),
        "expected a text (string), found a list",
    ),
    "agreement: publisher as a number": Mistake(
        _replace(AGREEMENT, "value: Uyghur Human Rights Project", "value: 1234"),
        _yaml(AGREEMENT, "publisher.value"),
        "found the number 1234",
    ),
    "agreement: publisher as yes": Mistake(
        _replace(AGREEMENT, "value: Uyghur Human Rights Project", "value: yes"),
        _yaml(AGREEMENT, "publisher.value"),
        "found the boolean true",
    ),
    "agreement: language no (Norwegian) read as false": Mistake(
        _replace(AGREEMENT, _LANGUAGE, "language:\n  value: no\n"),
        _yaml(AGREEMENT, "language.value"),
        "found the boolean false",
    ),
    "agreement: publisher empty": Mistake(
        _replace(AGREEMENT, "value: Uyghur Human Rights Project", "value:"),
        _yaml(AGREEMENT, "publisher.value"),
        "found nothing",
    ),
    "agreement: publisher as a mapping": Mistake(
        _replace(AGREEMENT, "value: Uyghur Human Rights Project", "value:\n    name: Uyghur Human Rights Project"),
        _yaml(AGREEMENT, "publisher.value"),
        "found a mapping",
    ),
    "agreement: publisher starting with =": Mistake(
        _replace(AGREEMENT, "value: Uyghur Human Rights Project", 'value: =HYPERLINK("x")'),
        _yaml(AGREEMENT, "publisher.value"),
        "is not valid here",
    ),
    "agreement: received_as a number": Mistake(
        _replace(AGREEMENT, "received_as: 000_f3779355871cbff0.txt", "received_as: 12"),
        _yaml(AGREEMENT, "document.received_as"),
        "found the number 12",
    ),
    "agreement: agreement_id a date": Mistake(
        _replace(AGREEMENT, "value: global-muslim-coalition-for-uyghurs-2022", "value: 2022-01-30"),
        _yaml(AGREEMENT, "agreement_id.value"),
        "found the date 2022-01-30",
    ),
    # --- agreement.yaml: keys ------------------------------------------------------------------
    "agreement: misspelled top-level key": Mistake(
        _replace(AGREEMENT, "\npublisher:", "\npublsher:"), _yaml(AGREEMENT, "publsher"), "unknown key 'publsher'"
    ),
    "agreement: misspelled nested key": Mistake(
        _replace(AGREEMENT, "received_as:", "recieved_as:"),
        _yaml(AGREEMENT, "document.recieved_as"),
        "did you mean 'received_as'?",
    ),
    "agreement: a version key": Mistake(
        _append(AGREEMENT, "\nversion: 1.0.0\n"), _yaml(AGREEMENT, "version"), "unknown key 'version'"
    ),
    "agreement: agreement_id missing": Mistake(
        _replace(
            AGREEMENT,
            "agreement_id:\n  value: global-muslim-coalition-for-uyghurs-2022\n",
            "agreement_name:\n  value: global-muslim-coalition-for-uyghurs-2022\n",
        ),
        _line(AGREEMENT),
        "agreement_name",
    ),
    "agreement: publisher's source missing": Mistake(
        _replace(AGREEMENT, "  source: The page that carries the document", "  # The page that carries the document"),
        _yaml(AGREEMENT, "publisher"),
        "'source' is missing",
    ),
    "agreement: document sha256 missing": Mistake(
        _replace(AGREEMENT, "  " + _SHA + "\n", ""), _yaml(AGREEMENT, "document"), "'sha256' is missing"
    ),
    "agreement: coding statement missing": Mistake(
        _replace(AGREEMENT, "coding:\n  value: coded\n", "codng:\n  value: coded\n"), _line(AGREEMENT), "codng"
    ),
    # --- agreement.yaml: formats -------------------------------------------------------------
    "agreement: sha256 of 63 digits": Mistake(
        _replace(AGREEMENT, _SHA, _SHA[:-1]), _yaml(AGREEMENT, "document.sha256"), "64 lower-case hexadecimal digits"
    ),
    "agreement: sha256 in upper case": Mistake(
        _replace(AGREEMENT, _SHA, _SHA.upper().replace("SHA256", "sha256")),
        _yaml(AGREEMENT, "document.sha256"),
        "64 lower-case hexadecimal digits",
    ),
    "agreement: sha256 with its prefix": Mistake(
        _replace(AGREEMENT, _SHA, _SHA.replace("sha256: ", "sha256: sha256:")),
        _yaml(AGREEMENT, "document.sha256"),
        "64 lower-case hexadecimal digits",
    ),
    "agreement: sha256 quoted with a space": Mistake(
        _replace(AGREEMENT, _SHA, _SHA.replace("sha256: ", "sha256: ' ") + "'"),
        _yaml(AGREEMENT, "document.sha256"),
        "64 lower-case hexadecimal digits",
    ),
    "agreement: sha256 of other bytes": Mistake(
        _replace(AGREEMENT, _SHA, _SHA.replace("9dfa", "9dfb")),
        re.escape(DOCUMENT),
        f"but {AGREEMENT}, line 13 (document.sha256) records 9dfb",
    ),
    "agreement: source_url not a URL": Mistake(
        _replace(AGREEMENT, "value: https://uhrp.org/statement/", "value: uhrp.org/statement/"),
        _yaml(AGREEMENT, "source_url.value"),
        "an http or https address",
    ),
    "agreement: source_url with a space": Mistake(
        _replace(AGREEMENT, "value: https://uhrp.org/statement/", "value: https://uhrp.org/state ment/"),
        _yaml(AGREEMENT, "source_url.value"),
        "an http or https address",
    ),
    "agreement: source_url over http": Mistake(
        _replace(AGREEMENT, "value: https://uhrp.org/statement/", "value: http://uhrp.org/statement/"),
        _yaml(AGREEMENT, "source_url.value"),
        "the pattern schemas/agreements.json declares for source_url",
    ),
    "agreement: language unknown to ISO 639": Mistake(
        _replace(AGREEMENT, _LANGUAGE, "language:\n  value: xx\n"), _yaml(AGREEMENT, "language.value"), "BCP 47"
    ),
    "agreement: language in capitals": Mistake(
        _replace(AGREEMENT, _LANGUAGE, "language:\n  value: EN\n"),
        _yaml(AGREEMENT, "language.value"),
        "the pattern schemas/agreements.json declares for language",
    ),
    "agreement: language as a word": Mistake(
        _replace(AGREEMENT, _LANGUAGE, "language:\n  value: English\n"),
        _yaml(AGREEMENT, "language.value"),
        "BCP 47 primary language subtag",
    ),
    "agreement: agreement_id with capitals": Mistake(
        _replace(AGREEMENT, "value: global-muslim-coalition-for-uyghurs-2022", "value: Global-Muslim-Coalition-2022"),
        _yaml(AGREEMENT, "agreement_id.value"),
        "the pattern schemas/agreements.json declares for agreement_id",
    ),
    "agreement: agreement_id other than the folder": Mistake(
        _replace(AGREEMENT, "value: global-muslim-coalition-for-uyghurs-2022", "value: global-muslim-coalition-2022"),
        _yaml(AGREEMENT, "agreement_id.value"),
        "differs from its folder's name",
    ),
    "agreement: document file that does not exist": Mistake(
        _replace(AGREEMENT, "file: document.txt", "file: document-v2.txt"),
        _yaml(AGREEMENT, "document.file"),
        "does not exist",
    ),
    "agreement: document file outside the folder": Mistake(
        _replace(AGREEMENT, "file: document.txt", "file: ../document.txt"),
        _yaml(AGREEMENT, "document.file"),
        "a file name in this folder",
    ),
    "agreement: coding status misspelled": Mistake(
        _replace(AGREEMENT, "coding:\n  value: coded\n", "coding:\n  value: done\n"),
        _yaml(AGREEMENT, "coding.value"),
        "is not one of coded, not coded yet",
    ),
    "agreement: not coded yet, but coding.yaml is there": Mistake(
        _replace(AGREEMENT, "coding:\n  value: coded\n", "coding:\n  value: not coded yet\n"),
        _yaml(AGREEMENT, "coding.value"),
        "but coding.yaml stands beside it",
    ),
    # --- agreement.yaml: country spellings -----------------------------------------------------
    "spellings: a lower-case code": Mistake(
        _replace(AGREEMENT, "country_code: GB", "country_code: gb"),
        _yaml(AGREEMENT, "country_spellings[1].country_code"),
        "the pattern schemas/countries.json declares for country_code",
    ),
    "spellings: UK as the code": Mistake(
        _replace(AGREEMENT, "country_code: GB", "country_code: UK"),
        _yaml(AGREEMENT, "country_spellings[1].country_code"),
        "ISO 3166-1 alpha-2 code",
    ),
    "spellings: a code pycountry reads otherwise": Mistake(
        _replace(AGREEMENT, "  - as_written: US\n    country_code: US", "  - as_written: US\n    country_code: GB"),
        _yaml(AGREEMENT, "country_spellings[2].country_code"),
        "says 'US' is GB, but pycountry reads it as US",
    ),
    "spellings: an entry pasted twice": Mistake(
        _replace(
            AGREEMENT,
            "country_spellings:\n",
            "country_spellings:\n  - as_written: UK\n    country_code: GB\n    source: pasted\n",
        ),
        _yaml(AGREEMENT, "country_spellings[2]"),
        'repeats item 1 of this list: the same as_written ("UK")',
    ),
    "spellings: an entry without source": Mistake(
        _replace(
            AGREEMENT,
            "    source: Common abbreviation of the United Kingdom, whose ISO 3166-1 code is GB (not UK).\n",
            "",
        ),
        _yaml(AGREEMENT, "country_spellings[1]"),
        "'source' is missing",
    ),
    "spellings: a mapping where a list belongs": Mistake(
        _replace(AGREEMENT, "country_spellings:\n", "country_spellings:\n  Turkey: TR\nold_spellings:\n"),
        _yaml(AGREEMENT, "country_spellings"),
        "expected a list, found a mapping",
    ),
    "spellings: Turkey removed": Mistake(
        _replace(
            AGREEMENT,
            "  - as_written: Turkey\n    country_code: TR\n"
            '    source: ISO 3166-1 renamed TR from "Turkey" to "Türkiye" in 2022; the code is unchanged.\n',
            "",
        ),
        _line(DOCUMENT),
        "unknown country spelling 'Turkey'",
    ),
    "spellings: a misspelled key": Mistake(
        _replace(AGREEMENT, "  - as_written: UK", "  - as_writen: UK"),
        _yaml(AGREEMENT, "country_spellings[1].as_writen"),
        "did you mean 'as_written'?",
    ),
    # --- agreement.yaml: discrepancies and notes -----------------------------------------------
    "discrepancy: is_inference missing": Mistake(
        _replace(AGREEMENT, _DISCREPANCY_INFERENCE, "    source_url: https://www.uyghurcongress.org/"),
        _yaml(AGREEMENT, "known_discrepancies[0]"),
        "'is_inference' is missing",
    ),
    "discrepancy: is_inference as quoted text": Mistake(
        _replace(
            AGREEMENT,
            _DISCREPANCY_INFERENCE,
            "    is_inference: 'yes'\n    source_url: https://www.uyghurcongress.org/",
        ),
        _yaml(AGREEMENT, "known_discrepancies[0].is_inference"),
        "expected true or false",
    ),
    "discrepancy: another country": Mistake(
        _replace(AGREEMENT, "    country_code: DE", "    country_code: FR"),
        _yaml(AGREEMENT, "known_discrepancies[0].country_code"),
        "documents a discrepancy for FR, but the attestation and the list agree on it",
    ),
    "discrepancy: the wrong direction": Mistake(
        _replace(AGREEMENT, "kind: stated-not-listed", "kind: listed-not-stated"),
        _yaml(AGREEMENT, "known_discrepancies[0].kind"),
        "says DE is listed-not-stated, but it is stated-not-listed",
    ),
    "discrepancy: an unknown kind": Mistake(
        _replace(AGREEMENT, "kind: stated-not-listed", "kind: missing"),
        _yaml(AGREEMENT, "known_discrepancies[0].kind"),
        "is not one of stated-not-listed, listed-not-stated",
    ),
    "discrepancy: the entry removed": Mistake(
        _replace(AGREEMENT, "known_discrepancies:\n  - kind:", "known_discrepancies: []\nremoved:\n  - kind:"),
        _yaml(AGREEMENT, "removed"),
        "unknown key 'removed'",
    ),
    "discrepancy: the list emptied": Mistake(
        _replace(AGREEMENT, "known_discrepancies:\n", "known_discrepancies: []\nold_discrepancies:\n"),
        _yaml(AGREEMENT, "old_discrepancies"),
        "unknown key",
    ),
    "discrepancy: explanation empty": Mistake(
        _replace(AGREEMENT, "    explanation: >-\n", "    explanation: ''\n    old: >-\n"),
        _yaml(AGREEMENT, "known_discrepancies[0].explanation"),
        "must not be empty",
    ),
    "discrepancy: pasted twice": Mistake(
        _replace(
            AGREEMENT,
            "known_discrepancies:\n",
            "known_discrepancies:\n  - kind: stated-not-listed\n    country_code: DE\n    explanation: Pasted.\n"
            "    is_inference: true\n    source_url: ''\n",
        ),
        _yaml(AGREEMENT, "known_discrepancies[1]"),
        'repeats item 1 of this list: the same country_code ("DE")',
    ),
    "note: a signatory that does not exist": Mistake(
        _replace(AGREEMENT, "{table: signatories, number: 22}", "{table: signatories, number: 32}"),
        _yaml(AGREEMENT, "context_notes[1].subject.number"),
        "signatories 32 does not exist: the agreement has 23 signatories",
    ),
    "note: a clause that does not exist": Mistake(
        _replace(AGREEMENT, "{table: clauses, number: 2}", "{table: clauses, number: 11}"),
        _yaml(AGREEMENT, "context_notes[0].subject.number"),
        "clauses 11 does not exist: the agreement has 10 clauses",
    ),
    "note: a table notes cannot name": Mistake(
        _replace(AGREEMENT, "{table: clauses, number: 2}", "{table: acts, number: 2}"),
        _yaml(AGREEMENT, "context_notes[0].subject.table"),
        "is not one of clauses, signatories",
    ),
    "note: number as text": Mistake(
        _replace(AGREEMENT, "{table: clauses, number: 2}", "{table: clauses, number: two}"),
        _yaml(AGREEMENT, "context_notes[0].subject.number"),
        "expected a whole number",
    ),
    "note: note missing": Mistake(
        _replace(
            AGREEMENT,
            "    note: The Uyghur Human Rights Project, entry 22",
            "    text: The Uyghur Human Rights Project, entry 22",
        ),
        _yaml(AGREEMENT, "context_notes[1].text"),
        "unknown key 'text', and 'note' is missing",
    ),
    "note: source_url not a URL": Mistake(
        _replace(
            AGREEMENT,
            "source_url: https://en.wikipedia.org/wiki/Uyghur_Human_Rights_Project",
            "source_url: en.wikipedia.org/wiki/Uyghur_Human_Rights_Project",
        ),
        _yaml(AGREEMENT, "context_notes[1].source_url"),
        'an http or https address with a host name, or ""',
    ),
    "note: is_inference missing": Mistake(
        _replace(
            AGREEMENT,
            "    is_inference: false\n    source_url: https://en.wikipedia.org/wiki/Uyghur_Human_Rights_Project",
            "    source_url: https://en.wikipedia.org/wiki/Uyghur_Human_Rights_Project",
        ),
        _yaml(AGREEMENT, "context_notes[1]"),
        "'is_inference' is missing",
    ),
    "note: is_inference as a number": Mistake(
        _replace(
            AGREEMENT,
            "    is_inference: false\n    source_url: https://en.wikipedia.org/wiki/Uyghur_Human_Rights_Project",
            "    is_inference: 0\n    source_url: https://en.wikipedia.org/wiki/Uyghur_Human_Rights_Project",
        ),
        _yaml(AGREEMENT, "context_notes[1].is_inference"),
        "found the number 0",
    ),
    "artifact: other text than the document's": Mistake(
        _replace(AGREEMENT, "  - text: UHRP logo", "  - text: UHRP Logo"),
        _line(DOCUMENT, 3),
        "(capture_artifacts[0].text) lists",
    ),
    "artifact: pasted twice": Mistake(
        _replace(AGREEMENT, "capture_artifacts:\n", "capture_artifacts:\n  - text: UHRP logo\n    reason: pasted\n"),
        _yaml(AGREEMENT, "capture_artifacts[1]"),
        "repeats item 1",
    ),
    "artifact: reason missing": Mistake(
        _replace(
            AGREEMENT, "    reason: >-\n      It is the alternative", "    because: >-\n      It is the alternative"
        ),
        _yaml(AGREEMENT, "capture_artifacts[0].because"),
        "unknown key 'because'",
    ),
    # --- coding.yaml ---------------------------------------------------------------------------
    "coding: the file deleted": Mistake(
        _delete(CODING), _yaml(AGREEMENT, "coding.value"), "but coding.yaml is missing beside it"
    ),
    "coding: an act pasted twice": Mistake(
        _replace(
            CODING,
            "acts:\n- clause: 1\n",
            "acts:\n- clause: 1\n  act_type: commitment\n"
            + _ACT_1_VERB
            + "  actors:\n  - actor: signatories\n    role: speaker\n    text: We the undersigned organizations\n"
            "    span: [165, 197]\n- clause: 1\n",
        ),
        _yaml(CODING, "acts[1]"),
        "repeats item 1 of this list: the same clause and verb.span",
    ),
    "coding: an event pasted twice": Mistake(
        _replace(
            CODING,
            "events:\n",
            "events:\n- event_type: signing\n  clause: 10\n  actor: signatories\n  text: Agreed 30 January 2022\n"
            "  span: [1739, 1761]\n  description: Pasted.\n",
        ),
        _yaml(CODING, "events[3]"),
        "repeats item 1 of this list: the same span and event_type",
    ),
    "coding: a mention pasted twice": Mistake(
        _replace(
            CODING,
            "  - actor: uyghurs\n    role: beneficiary\n    text: Uyghurs\n    span: [262, 269]\n",
            "  - actor: uyghurs\n    role: beneficiary\n    text: Uyghurs\n    span: [262, 269]\n" * 2,
        ),
        _yaml(CODING, "acts[0].actors[2]"),
        "repeats item 2 of this list: the same span and role",
    ),
    "coding: an actor pasted twice": Mistake(
        _replace(
            CODING,
            "actors:\n- key: signatories\n",
            "actors:\n- key: uyghurs\n  name: Uyghurs\n  actor_type: affected-population\n- key: signatories\n",
        ),
        _yaml(CODING, "actors[2]"),
        'repeats item 1 of this list: the same key ("uyghurs")',
    ),
    "coding: two actors with one name": Mistake(
        _replace(CODING, "  name: Other nations\n", "  name: Governments\n"),
        _yaml(CODING, "actors[10]"),
        'the same name ("Governments")',
    ),
    "coding: an actor type not in the codebook": Mistake(
        _replace(CODING, "actor_type: court", "actor_type: tribunal"),
        _yaml(CODING, "actors[3].actor_type"),
        "is not one of the values schemas/actors.json allows for actor_type",
    ),
    "coding: an act type not in the codebook": Mistake(
        _replace(CODING, "act_type: gratitude", "act_type: thanks"),
        _yaml(CODING, "acts[8].act_type"),
        "is not one of the values schemas/acts.json allows for act_type",
    ),
    "coding: a role not in the codebook": Mistake(
        _replace(CODING, "role: target", "role: accused"),
        _yaml(CODING, "acts[1].actors[3].role"),
        "schemas/act_actors.json allows for role",
    ),
    "coding: an event type not in the codebook": Mistake(
        _replace(CODING, "event_type: determination", "event_type: ruling"),
        _yaml(CODING, "events[0].event_type"),
        "schemas/events.json allows for event_type",
    ),
    "coding: a span of one number": Mistake(
        _replace(CODING, "span: [198, 224]", "span: [198]"),
        _yaml(CODING, "acts[0].verb.span"),
        "needs at least 2 item(s)",
    ),
    "coding: a span of three numbers": Mistake(
        _replace(CODING, "span: [198, 224]", "span: [198, 224, 230]"),
        _yaml(CODING, "acts[0].verb.span"),
        "has 3 items, at most 2 allowed",
    ),
    "coding: a span of words": Mistake(
        _replace(CODING, "span: [198, 224]", "span: [start, end]"),
        _yaml(CODING, "acts[0].verb.span[0]"),
        "expected a whole number",
    ),
    "coding: a span as text": Mistake(
        _replace(CODING, "span: [198, 224]", "span: 198-224"), _yaml(CODING, "acts[0].verb.span"), "expected a list"
    ),
    "coding: a negative offset": Mistake(
        _replace(CODING, "span: [198, 224]", "span: [-198, 224]"),
        _yaml(CODING, "acts[0].verb.span[0]"),
        "-198 is less than 0",
    ),
    "coding: a span reversed": Mistake(
        _replace(CODING, "span: [198, 224]", "span: [224, 198]"),
        _yaml(CODING, "acts[0].verb.span"),
        "is not in clause 1",
    ),
    "coding: a span off by one": Mistake(
        _replace(CODING, "span: [198, 224]", "span: [199, 225]"),
        _yaml(CODING, "acts[0].verb.span"),
        "is not found at its span [199, 225]",
    ),
    "coding: a span inside a longer word": Mistake(
        _replace(CODING, "    text: urge\n    span: [1125, 1129]", "    text: urge\n    span: [989, 993]"),
        _yaml(CODING, "acts[7].verb.span"),
        "starts or ends inside a word, at 993 in 'strong sense of urgency",
    ),
    "coding: a span beyond the document": Mistake(
        _replace(CODING, "span: [198, 224]", "span: [9198, 9224]"),
        _yaml(CODING, "acts[0].verb.span"),
        "is not in clause 1",
    ),
    "coding: a clause that does not exist": Mistake(
        _replace(CODING, "acts:\n- clause: 1\n", "acts:\n- clause: 12\n"),
        _yaml(CODING, "acts[0].clause"),
        "clause 12 does not exist: the agreement has clauses 1 to 10",
    ),
    "coding: a clause as a word": Mistake(
        _replace(CODING, "acts:\n- clause: 1\n", "acts:\n- clause: one\n"),
        _yaml(CODING, "acts[0].clause"),
        "expected a whole number",
    ),
    "coding: clause zero": Mistake(
        _replace(CODING, "acts:\n- clause: 1\n", "acts:\n- clause: 0\n"),
        _yaml(CODING, "acts[0].clause"),
        "0 is less than 1",
    ),
    "coding: an undefined actor in a mention": Mistake(
        _replace(CODING, "  - actor: chinese-government\n    role: target", "  - actor: china\n    role: target"),
        _yaml(CODING, "acts[1].actors[3].actor"),
        "names actor 'china', which the actors list does not define",
    ),
    "coding: an undefined actor in an event": Mistake(
        _replace(CODING, "  clause: 2\n  actor: uyghur-tribunal\n", "  clause: 2\n  actor: tribunal\n"),
        _yaml(CODING, "events[0].actor"),
        "names actor 'tribunal'",
    ),
    "coding: an act without its verb": Mistake(
        _replace(CODING, _ACT_1_VERB, ""), _yaml(CODING, "acts[0]"), "'verb' is missing"
    ),
    "coding: a misspelled key": Mistake(
        _replace(
            CODING,
            "acts:\n- clause: 1\n  act_type: commitment\n  verb:",
            "acts:\n- clause: 1\n  act_type: commitment\n  verbs:",
        ),
        _yaml(CODING, "acts[0].verbs"),
        "did you mean 'verb'?",
    ),
    "coding: a key written twice": Mistake(
        _replace(CODING, _ACT_1_VERB, _ACT_1_VERB + "    span: [198, 225]\n"),
        _line(CODING),
        "the key 'span' is written twice",
    ),
    "coding: a mention both implicit and spanned": Mistake(
        _replace(
            CODING,
            "    text: We the undersigned organizations\n    span: [165, 197]\n",
            "    text: We the undersigned organizations\n    span: [165, 197]\n    implicit: true\n",
        ),
        _yaml(CODING, "acts[0].actors[0]"),
        "a party needs either 'text' and 'span', or 'implicit: true' alone",
    ),
    "coding: an actor no act names": Mistake(
        _replace(
            CODING,
            "actors:\n- key: signatories\n",
            "actors:\n- key: european-union\n  name: European Union\n  actor_type: intergovernmental-organization\n"
            "- key: signatories\n",
        ),
        _yaml(CODING, "actors[0].key"),
        "actor 'european-union' is defined but no act or event names it",
    ),
    "coding: an act without its speaker": Mistake(
        _replace(
            CODING,
            "  - actor: signatories\n    role: speaker\n    text: We the undersigned organizations\n"
            "    span: [165, 197]\n",
            "",
        ),
        _yaml(CODING, "acts[0].actors"),
        "act 1.1 has 0 speaker(s)",
    ),
    "coding: two speakers": Mistake(
        _replace(
            CODING,
            "  - actor: uyghurs\n    role: beneficiary\n    text: Uyghurs\n    span: [262, 269]\n",
            "  - actor: uyghurs\n    role: speaker\n    text: Uyghurs\n    span: [262, 269]\n",
        ),
        _yaml(CODING, "acts[0].actors"),
        "act 1.1 has 2 speaker(s)",
    ),
    "coding: a mention text empty": Mistake(
        _replace(CODING, "    text: We the undersigned organizations\n", "    text: ''\n"),
        _yaml(CODING, "acts[0].actors[0].text"),
        "must not be empty",
    ),
    "coding: an event without description": Mistake(
        _replace(CODING, "  description: The signatory organizations agreed the text.\n", ""),
        _yaml(CODING, "events[2]"),
        "'description' is missing",
    ),
    "coding: an actor name starting with a formula": Mistake(
        _replace(CODING, "  name: Uyghurs\n", "  name: '=Uyghurs'\n"),
        _yaml(CODING, "actors[1].name"),
        "is not valid here",
    ),
    "coding: acts as a mapping": Mistake(
        _replace(CODING, "acts:\n- clause: 1\n", "acts:\n  first:\n    clause: 1\n"), _line(CODING), "not valid YAML"
    ),
    "coding: a clause left uncoded": Mistake(
        _replace(
            CODING,
            "- clause: 10\n  act_type: attestation\n  verb:\n    text: Agreed\n    span: [1739, 1745]\n  actors:\n"
            "  - actor: signatories\n    role: speaker\n    text: civil society organizations\n"
            "    span: [1765, 1792]\n",
            "",
        ),
        _yaml(CODING, "acts"),
        "clause 10 has no act",
    ),
    "coding: a verb in another clause": Mistake(
        _replace(CODING, "acts:\n- clause: 1\n", "acts:\n- clause: 2\n"),
        _yaml(CODING, "acts[0].verb.span"),
        "is not in clause 2",
    ),
    "coding: the top is a list": Mistake(
        _write_bytes(CODING, lambda raw: b"- acts\n"), _line(CODING, 1), "expected a mapping"
    ),
    "coding: events missing": Mistake(
        _replace(CODING, "\nevents:\n", "\nevent:\n"), _yaml(CODING, "event"), "unknown key 'event'"
    ),
    # --- document.txt -------------------------------------------------------------------------
    "document: an ASCII hyphen as separator": Mistake(
        _document(_entry(2, "  2. Global Peace Mission - Malaysia")),
        _line(DOCUMENT, _entry_line(2)),
        "list entry 2 separates its parts with '-' (U+002D), not with the en dash",
    ),
    "document: an em dash as separator": Mistake(
        _document(_entry(2, "  2. Global Peace Mission \u2014 Malaysia")),
        _line(DOCUMENT, _entry_line(2)),
        "'\u2014' (U+2014)",
    ),
    "document: two en dashes": Mistake(
        _document(_entry(2, "  2. Global Peace Mission \u2013 Kuala Lumpur \u2013 Malaysia")),
        _line(DOCUMENT, _entry_line(2)),
        "list entry 2 has 2 en dashes",
    ),
    "document: a hyphen beside the en dash": Mistake(
        _document(_entry(2, "  2. Global Peace Mission - KL \u2013 Malaysia")),
        _line(DOCUMENT, _entry_line(2)),
        "list entry 2 separates its parts with '-'",
    ),
    "document: no name before the separator": Mistake(
        _document(_entry(2, "  2. \u2013 Malaysia")), _line(DOCUMENT, _entry_line(2)), "list entry 2 has no name"
    ),
    "document: a dash and no country": Mistake(
        _document(_entry(2, "  2. Global Peace Mission \u2013 ")),
        _line(DOCUMENT, _entry_line(2)),
        "list entry 2 has a dash but no country after it",
    ),
    "document: CRLF line endings": Mistake(
        _document(lambda text: text.replace("\n", "\r\n")), _line(DOCUMENT, 1), "has CRLF (Windows) line endings"
    ),
    "document: a byte-order mark": Mistake(
        _document(lambda text: "\ufeff" + text), _line(DOCUMENT, 1), "starts with a byte-order mark"
    ),
    "document: signed in the future": Mistake(
        _document(
            lambda text: text.replace("January 30, 2022", "January 30, 2027").replace(
                "Agreed 30 January 2022", "Agreed 30 January 2027"
            )
        ),
        _line(DOCUMENT, 7),
        "signed on 2027-01-30, after the date of the release being made "
        f"({CURRENT}, {Project().releases[0].date.isoformat()}",
    ),
    "document: a skipped entry": Mistake(
        _document(_entry(6, "  7. Pamong Asthabrata Foundation (PAMASTHA) \u2013 Indonesia")),
        _line(DOCUMENT, _entry_line(6)),
        "entries are skipped",
    ),
    "document: a repeated entry": Mistake(
        _document(_entry(6, "  5. Pamong Asthabrata Foundation (PAMASTHA) \u2013 Indonesia")),
        _line(DOCUMENT, _entry_line(6)),
        "list entry 5 is repeated",
    ),
    "document: an unnumbered entry": Mistake(
        _document(_entry(6, "  Pamong Asthabrata Foundation (PAMASTHA) \u2013 Indonesia")),
        _line(DOCUMENT, _entry_line(6)),
        "expected numbered list entry 6",
    ),
    "document: an unknown country": Mistake(
        _document(_entry(6, "  6. Pamong Asthabrata Foundation (PAMASTHA) \u2013 Atlantis")),
        _line(DOCUMENT, _entry_line(6)),
        "unknown country spelling 'Atlantis'",
    ),
    "document: a date line in French": Mistake(
        _document(lambda text: text.replace("January 30, 2022", "Janvier 30, 2022")),
        _line(DOCUMENT, 7),
        "found 'Janvier 30, 2022'",
    ),
    "document: an impossible date": Mistake(
        _document(lambda text: text.replace("January 30, 2022", "February 30, 2022")),
        _line(DOCUMENT, 7),
        "found 'February 30, 2022'",
    ),
    "document: the attestation reworded": Mistake(
        _document(lambda text: text.replace("Agreed 30 January 2022 by", "Signed 30 January 2022 by")),
        _line(DOCUMENT),
        "expected the attestation sentence",
    ),
    "document: the attestation's date differs": Mistake(
        _document(lambda text: text.replace("Agreed 30 January 2022", "Agreed 31 January 2022")),
        _line(DOCUMENT),
        "differs from the date line's 2022-01-30",
    ),
    "document: a place line without a comma": Mistake(
        _document(lambda text: text.replace("Istanbul, Turkey", "Istanbul Turkey")),
        _line(DOCUMENT, 8),
        "expected the place line as 'City, Country'",
    ),
    "document: the list removed": Mistake(
        _document(lambda text: text[: text.index("  1. ")].rstrip()),
        _line(DOCUMENT),
        "expected the numbered list of signatories after the attestation",
    ),
    "document: a new country in the list": Mistake(
        _document(_entry(6, "  6. Pamong Asthabrata Foundation (PAMASTHA) \u2013 France")),
        re.escape(DOCUMENT) + r" \(signatory list\)",
        "FR is named by the list but not stated in the attestation",
    ),
    "document: edited without recording its sha256": Mistake(
        _document(lambda text: text.replace("Istanbul", "Ankara"), record_sha256=False),
        re.escape(DOCUMENT),
        "its bytes changed",
    ),
    "document: not UTF-8": Mistake(
        _write_bytes(DOCUMENT, lambda raw: raw.replace("Global Peace Mission".encode(), b"Global Peace Missi\xf3n")),
        _line(DOCUMENT, _entry_line(2)),
        "not UTF-8: byte 0xf3",
    ),
    "document: deleted": Mistake(_delete(DOCUMENT), _yaml(AGREEMENT, "document.file"), "does not exist"),
    # --- metadata/package.yaml ----------------------------------------------------------------
    "package: a name with capitals and spaces": Mistake(
        _replace(PACKAGE, "name: global-muslim-coalition-for-uyghurs", "name: Global Muslim Coalition"),
        _yaml(PACKAGE, "name"),
        "the Data Package name",
    ),
    "package: a name with a slash": Mistake(
        _replace(PACKAGE, "name: global-muslim-coalition-for-uyghurs", "name: uyghurs/2022"),
        _yaml(PACKAGE, "name"),
        "the Data Package name",
    ),
    "package: a repository that is not a GitHub address": Mistake(
        _append(PACKAGE, "repository: https://example.org/<!--<script>\n"),
        _yaml(PACKAGE, "repository"),
        "the package's public repository on GitHub",
    ),
    "package: the old homepage field": Mistake(
        _append(PACKAGE, "homepage: https://example.org/\n"), _yaml(PACKAGE, "homepage"), "unknown key 'homepage'"
    ),
    "package: name missing": Mistake(
        _replace(PACKAGE, "name: global-muslim-coalition-for-uyghurs\n", ""), _line(PACKAGE), "'name' is missing"
    ),
    "package: title missing": Mistake(
        _replace(PACKAGE, "title: Agreement of cooperation", "# title: Agreement of cooperation"),
        _line(PACKAGE),
        "'title' is missing",
    ),
    "package: resources missing": Mistake(
        _replace(PACKAGE, "\nresources:\n", "\ntables:\n"), _yaml(PACKAGE, "tables"), "unknown key 'tables'"
    ),
    "package: licenses as a string": Mistake(
        _replace(PACKAGE, "licenses:\n  - name: CC-BY-4.0", "licenses: CC-BY-4.0\nold_licenses:\n  - name: CC-BY-4.0"),
        _yaml(PACKAGE, "licenses"),
        "expected a list, found the text 'CC-BY-4.0'",
    ),
    "package: a license without its path": Mistake(
        _replace(PACKAGE, "    path: https://creativecommons.org/licenses/by/4.0/\n", ""),
        _yaml(PACKAGE, "licenses[0]"),
        "'path' is missing",
    ),
    "package: a license name with spaces": Mistake(
        _replace(PACKAGE, "  - name: CC-BY-4.0", "  - name: CC BY 4.0"),
        _yaml(PACKAGE, "licenses[0].name"),
        "an SPDX license identifier",
    ),
    "package: contributors as a mapping": Mistake(
        _replace(PACKAGE, "persons.\n  - title:", "persons.\n    title:"),
        _yaml(PACKAGE, "contributors"),
        "expected a list, found a mapping",
    ),
    "package: a role not in the v2 list": Mistake(
        _replace(PACKAGE, "roles: [creator, maintainer]", "roles: [author]"),
        _yaml(PACKAGE, "contributors[0].roles[0]"),
        "is not one of creator, contributor, maintainer, publisher, rightsHolder",
    ),
    "package: a keyword twice": Mistake(
        _replace(PACKAGE, "  - signatories\n", "  - signatories\n  - Uyghurs\n"),
        _yaml(PACKAGE, "keywords"),
        "has an item written twice",
    ),
    "package: no keywords": Mistake(
        _replace(PACKAGE, "keywords:\n", "keywords: []\nold_keywords:\n"),
        _yaml(PACKAGE, "keywords"),
        "must not be empty",
    ),
    "package: a version key": Mistake(
        _append(PACKAGE, "version: 1.1.0\n"), _yaml(PACKAGE, "version"), "unknown key 'version'"
    ),
    "package: title written twice": Mistake(
        _append(PACKAGE, "title: Another title\n"), _line(PACKAGE), "the key 'title' is written twice"
    ),
    "package: description as a boolean": Mistake(
        _replace(
            PACKAGE, 'description: >-\n  The "Agreement', 'description: no\nold_description: >-\n  The "Agreement'
        ),
        _yaml(PACKAGE, "description"),
        "found the boolean false",
    ),
    "package: a resource with a misspelled table": Mistake(
        _replace(PACKAGE, "  - name: clauses\n", "  - name: clause\n"),
        _yaml(PACKAGE, "resources[1].name"),
        "table 'clause' has no schema: schemas/clause.json does not exist",
    ),
    "package: a resource listed twice": Mistake(
        _replace(
            PACKAGE,
            "  - name: clauses\n    title: Clauses\n",
            "  - name: clauses\n    title: Clauses\n    description: Again.\n  - name: clauses\n    title: Clauses\n",
        ),
        _yaml(PACKAGE, "resources[2]"),
        'repeats item 2 of this list: the same name ("clauses")',
    ),
    "package: a resource removed": Mistake(
        _replace(PACKAGE, "  - name: events\n", "  - name: events_removed\n"),
        _yaml(PACKAGE, "resources[12].name"),
        "schemas/events_removed.json does not exist",
    ),
    "package: a resource without description": Mistake(
        _replace(
            PACKAGE,
            "    description: One row per agreement document, "
            "with where and when it was signed and where it was published.\n",
            "",
        ),
        _yaml(PACKAGE, "resources[0]"),
        "'description' is missing",
    ),
    "package: a resource key misspelled": Mistake(
        _replace(
            PACKAGE, "  - name: agreements\n    title: Agreements\n", "  - name: agreements\n    titel: Agreements\n"
        ),
        _yaml(PACKAGE, "resources[0].titel"),
        "did you mean 'title'?",
    ),
    "package: deleted": Mistake(_delete(PACKAGE), re.escape(PACKAGE), "file not found"),
    # --- schemas/*.json ------------------------------------------------------------------------
    "schema: not valid JSON": Mistake(
        _write_bytes("schemas/signatories.json", lambda raw: raw.replace(b'"fields": [', b'"fields": [,', 1)),
        r"schemas/signatories\.json, line \d+, column \d+",
        "not valid JSON",
    ),
    "schema: an unknown type": Mistake(
        edit_schema("signatories", lambda s: schema_field(s, "name").update(type="strng")),
        _json("schemas/signatories.json", "fields[4].type"),
        "type 'strng' of name is not one this package uses",
    ),
    "schema: a field without description": Mistake(
        edit_schema("clauses", lambda s: schema_field(s, "text").pop("description")),
        _json("schemas/clauses.json", "fields[3].description"),
        "field text has no description",
    ),
    "schema: a primary key on no field": Mistake(
        edit_schema("countries", lambda s: s.update(primaryKey=["code"])),
        _json("schemas/countries.json", "primaryKey[0]"),
        "names 'code', which is not a field of this schema",
    ),
    "schema: no primary key": Mistake(
        edit_schema("countries", lambda s: s.pop("primaryKey")),
        _json("schemas/countries.json", "primaryKey"),
        "must be a non-empty list of field names",
    ),
    "schema: a foreign key to no table": Mistake(
        edit_schema("clauses", lambda s: s["foreignKeys"][0]["reference"].update(resource="agreement")),
        _json("schemas/clauses.json", "foreignKeys[0].reference.resource"),
        "references table 'agreement', which is not a resource",
    ),
    "schema: a foreign key to no field": Mistake(
        edit_schema("clauses", lambda s: s["foreignKeys"][0]["reference"].update(fields=["id"])),
        _json("schemas/clauses.json", "foreignKeys[0].reference.fields[0]"),
        "names 'id', which is not a field of this schema",
    ),
    "schema: a foreign key from no field": Mistake(
        edit_schema("clauses", lambda s: s["foreignKeys"][0].update(fields=["agreement"])),
        _json("schemas/clauses.json", "foreignKeys[0].fields[0]"),
        "names 'agreement'",
    ),
    "schema: a field renamed": Mistake(
        edit_schema("signatories", lambda s: schema_field(s, "acronym").update(name="abbreviation")),
        _json("schemas/signatories.json", "fields"),
        "declares ['abbreviation'] that the build does not make",
    ),
    "schema: a field removed": Mistake(
        edit_schema("signatories", lambda s: s["fields"].remove(schema_field(s, "acronym"))),
        _json("schemas/signatories.json", "fields"),
        "lacks ['acronym'] that the build makes",
    ),
    "schema: an integer declared as text": Mistake(
        edit_schema("signatories", lambda s: schema_field(s, "list_number").update(type="string")),
        _json("schemas/signatories.json", "fields[2].type"),
        "declares list_number as string, but the build makes int values",
    ),
    "schema: a boolean declared as integer": Mistake(
        edit_schema(
            "clauses",
            lambda s: schema_field(s, "is_attestation").update(type="integer", constraints={"required": True}),
        ),
        _json("schemas/clauses.json", "fields[4].type"),
        "declares is_attestation as integer, but the build makes bool values",
    ),
    "schema: a field twice": Mistake(
        edit_schema("countries", lambda s: s["fields"].append(dict(s["fields"][0]))),
        _json("schemas/countries.json", "fields[7].name"),
        "field 'country_code' is declared twice",
    ),
    "schema: a pattern that is no regular expression": Mistake(
        edit_schema("countries", lambda s: schema_field(s, "alpha_3")["constraints"].update(pattern="^[A-Z]{3")),
        _json("schemas/countries.json", "fields[1].constraints.pattern"),
        "the value 'BEL' of alpha_3 and breaks the constraint pattern: \"^[A-Z]{3\" (row 2 of data/countries.csv)",
    ),
    "schema: a pattern that does not compile": Mistake(
        edit_schema("countries", lambda s: schema_field(s, "alpha_3")["constraints"].update(pattern="^[A-Z]{3}(")),
        _json("schemas/countries.json", "fields[1].constraints.pattern"),
        "is not a regular expression",
    ),
    "schema: a constraint the data breaks": Mistake(
        edit_schema("signatories", lambda s: schema_field(s, "acronym")["constraints"].update(required=True)),
        _json("schemas/signatories.json", "fields[5].constraints.required"),
        "acronym is empty, read from "
        + DOCUMENT
        + f", line {_entry_line(2)}, and breaks the constraint required: true (row 3 of data/signatories.csv)",
    ),
    "schema: a primary key that is not unique": Mistake(
        edit_schema("signatories", lambda s: s.update(primaryKey=["country_code"])),
        _json("schemas/signatories.json", "primaryKey"),
        "rows 2 and 3 of data/signatories.csv share ['country_code'] = ['MY']",
    ),
    "schema: a foreign key to another column": Mistake(
        edit_schema("clauses", lambda s: s["foreignKeys"][0]["reference"].update(fields=["title"])),
        _json("schemas/clauses.json", "foreignKeys[0]"),
        "which no row of agreements has as ['title']",
    ),
    "schema: a column of country codes with no key to countries": Mistake(
        edit_schema("organizations", lambda s: s.pop("foreignKeys")),
        _json("schemas/organizations.json", "fields[7]"),
        "headquarters_country_code holds country codes, but no foreign key ties it to countries",
    ),
    "schema: a key to countries of two columns": Mistake(
        edit_schema(
            "recognitions",
            lambda s: next(fk for fk in s["foreignKeys"] if fk["reference"]["resource"] == "countries").update(
                fields=["country_code", "agreement_id"],
                reference={"resource": "countries", "fields": ["country_code", "name"]},
            ),
        ),
        _json("schemas/recognitions.json", "foreignKeys[3]"),
        "a key to countries ties one column",
    ),
    "schema: a length the data exceeds": Mistake(
        edit_schema("clauses", lambda s: schema_field(s, "text")["constraints"].update(maxLength=200)),
        _json("schemas/clauses.json", "fields[3].constraints.maxLength"),
        "breaks the constraint maxLength: 200",
    ),
    "schema: a date format": Mistake(
        edit_schema("agreements", lambda s: schema_field(s, "date_signed").update(format="%d/%m/%Y")),
        _json("schemas/agreements.json", "fields[3].format"),
        "declares format '%d/%m/%Y'",
    ),
    "schema: required as text": Mistake(
        edit_schema("countries", lambda s: schema_field(s, "name")["constraints"].update(required="yes")),
        _json("schemas/countries.json", "fields[2].constraints.required"),
        "official Table Schema v2 profile",
    ),
    "schema: a span of no field": Mistake(
        edit_schema("clauses", lambda s: schema_field(s, "char_start").update(spanOf="txt")),
        _json("schemas/clauses.json", "fields[5].spanOf"),
        "is the span of 'txt', which is not a field",
    ),
    "schema: unique keys on no field": Mistake(
        edit_schema("clauses", lambda s: s.update(uniqueKeys=[["agreement_id", "number"]])),
        _json("schemas/clauses.json", "uniqueKeys[0][1]"),
        "names 'number'",
    ),
    "schema: a codebook value removed": Mistake(
        edit_schema("acts", lambda s: schema_field(s, "act_type")["constraints"]["enum"].remove("gratitude")),
        _yaml(CODING, "acts[8].act_type"),
        "is not one of the values schemas/acts.json allows for act_type",
    ),
    "schema: the file deleted": Mistake(
        _delete("schemas/events.json"),
        _yaml(PACKAGE, "resources[12].name"),
        "table 'events' has no schema: schemas/events.json does not exist",
    ),
    "schema: a file for no table": Mistake(
        lambda root: shutil.copy(root / "schemas" / "events.json", root / "schemas" / "event.json"),
        re.escape("schemas/event.json"),
        "is not the schema of any table of metadata/package.yaml",
    ),
    "schema: fields as an object": Mistake(
        edit_schema("countries", lambda s: s.update(fields={"country_code": {"type": "string"}})),
        _json("schemas/countries.json", "fields"),
        "needs a non-empty list of fields",
    ),
    "schema: a top-level list": Mistake(
        _write_bytes("schemas/countries.json", lambda raw: b"[]"),
        re.escape("schemas/countries.json"),
        "expected a JSON object",
    ),
    # --- CHANGELOG.md -------------------------------------------------------------------------
    "changelog: a v before the version": Mistake(
        _heading("v1.2.0"), _line(CHANGELOG, 11), "version 'v1.2.0' is not a Semantic Version X.Y.Z"
    ),
    "changelog: a version of two numbers": Mistake(
        _heading("1.1"), _line(CHANGELOG, 11), "version '1.1' is not a Semantic Version"
    ),
    "changelog: a version with a leading zero": Mistake(
        _heading("01.2.0"), _line(CHANGELOG, 11), "version '01.2.0' is not a Semantic Version"
    ),
    "changelog: a version below the last": Mistake(
        _heading("0.9.0"), _line(CHANGELOG, 11), f"version 0.9.0 stands above {CURRENT} (line"
    ),
    "changelog: the same version again": Mistake(
        _heading(CURRENT), _line(CHANGELOG, 11), f"version {CURRENT} has two headings"
    ),
    "changelog: a date that does not exist": Mistake(
        _heading("1.2.0", "2026-13-45"), _line(CHANGELOG, 11), "the date '2026-13-45' of 1.2.0 is not a real date"
    ),
    "changelog: a date in the future": Mistake(_heading("1.2.0", "2099-01-01"), _line(CHANGELOG, 11), "is after today"),
    "changelog: a date before the last release": Mistake(
        _heading(NEXT, "2026-11-01"), _line(CHANGELOG, 11), f"{NEXT} is dated 2026-11-01, before {CURRENT}"
    ),
    "changelog: a date written day first": Mistake(
        _heading("1.2.0", "27-11-2026"), _line(CHANGELOG, 11), "is not a real date written YYYY-MM-DD"
    ),
    "changelog: a heading without brackets": Mistake(
        _replace(CHANGELOG, "## [Unreleased]\n", "## [Unreleased]\n\n## 1.2.0 - 2026-11-27\n\n### Fixed\n- A test.\n"),
        _line(CHANGELOG, 11),
        "is not a heading this changelog allows",
    ),
    "changelog: an en dash in the heading": Mistake(
        _replace(
            CHANGELOG, "## [Unreleased]\n", "## [Unreleased]\n\n## [1.2.0] \u2013 2026-11-27\n\n### Fixed\n- A test.\n"
        ),
        _line(CHANGELOG, 11),
        "is not a heading this changelog allows",
    ),
    "changelog: a heading of another kind": Mistake(
        _replace(CHANGELOG, "## [Unreleased]\n", "## Unreleased changes\n"),
        _line(CHANGELOG, 9),
        "is not a heading this changelog allows",
    ),
    "changelog: Unreleased below a release": Mistake(
        _append(CHANGELOG, "\n## [Unreleased]\n"), _line(CHANGELOG), "must be the first '## ' heading"
    ),
    "changelog: a kind of change Keep a Changelog lacks": Mistake(
        _replace(CHANGELOG, "### Changed\n", "### Improved\n"),
        _line(CHANGELOG, line_of(CHANGELOG, "### Changed")),
        "'### Improved' is not a kind of change of Keep a Changelog",
    ),
    "changelog: a release that lists nothing": Mistake(
        _replace(
            CHANGELOG, f"## [{CURRENT}]", f"## [{NEXT}] - {Project().releases[0].date.isoformat()}\n\n## [{CURRENT}]"
        ),
        _line(CHANGELOG),
        f"the section of {NEXT} lists no change",
    ),
    "changelog: no release at all": Mistake(
        lambda root: (root / CHANGELOG).write_text("# Changelog\n\n## [Unreleased]\n", encoding="utf-8", newline="\n"),
        re.escape(CHANGELOG),
        "has no release heading",
    ),
    "changelog: deleted": Mistake(_delete(CHANGELOG), re.escape(CHANGELOG), "file not found"),
    "changelog: a fourth-level heading": Mistake(
        _replace(CHANGELOG, "### Changed\n", "#### Changed\n"),
        _line(CHANGELOG, line_of(CHANGELOG, "### Changed")),
        "has a level this changelog does not use",
    ),
}


# Mistakes that another case of the same file already refuses by the same rule, on another value (a second type
# mismatch, a second key missing, a second variant of one malformed value): make check runs them, the quick suite the
# rest, so that every rule of every curated file is still refused there at least once.
REPEATS = {
    # the same type mismatch as "publisher as a list" and "language no (Norwegian) read as false"
    "agreement: publisher as a number",
    "agreement: publisher as yes",
    "agreement: publisher as a mapping",
    "agreement: received_as a number",
    "agreement: agreement_id a date",
    "agreement: a tab for indentation",
    "agreement: an empty file",
    "agreement: a version key",
    "agreement: document sha256 missing",
    "agreement: coding statement missing",
    "agreement: sha256 in upper case",
    "agreement: sha256 with its prefix",
    "agreement: sha256 quoted with a space",
    "agreement: source_url with a space",
    "agreement: language in capitals",
    "agreement: language as a word",
    "spellings: a misspelled key",
    "discrepancy: the list emptied",
    "discrepancy: pasted twice",
    "note: source_url not a URL",
    "note: is_inference missing",
    "artifact: pasted twice",
    "coding: an event pasted twice",
    "coding: a mention pasted twice",
    "coding: an actor pasted twice",
    "coding: an act type not in the codebook",
    "coding: a role not in the codebook",
    "coding: an event type not in the codebook",
    "coding: a clause as a word",
    "coding: a span beyond the document",
    "coding: clause zero",
    "coding: an undefined actor in an event",
    "coding: a misspelled key",
    "coding: a key written twice",
    "coding: an event without description",
    "coding: two speakers",
    "coding: a verb in another clause",
    "coding: the top is a list",
    "coding: events missing",
    "coding: a mention text empty",
    "document: an em dash as separator",
    "document: a hyphen beside the en dash",
    "document: an impossible date",
    "package: a name with a slash",
    "package: title missing",
    "package: a license without its path",
    "package: contributors as a mapping",
    "package: a version key",
    "package: title written twice",
    "package: description as a boolean",
    "package: a resource without description",
    "package: a resource key misspelled",
    "schema: a foreign key from no field",
    "schema: a boolean declared as integer",
    "schema: unique keys on no field",
    "changelog: a version of two numbers",
    "changelog: a version with a leading zero",
    "changelog: a date written day first",
    "changelog: an en dash in the heading",
    "changelog: a heading of another kind",
}


def _protected(root: Path) -> dict:
    return {
        name: snapshot(root / name)
        if (root / name).is_dir()
        else (root / name).read_bytes()
        if (root / name).exists()
        else None
        for name in PROTECTED
    }


_TIMING = re.compile(r"^  .*: \d+\.\d s$")


def test_there_are_over_a_hundred_distinct_mistakes_over_every_curated_file():
    assert len(MISTAKES) >= 100
    assert REPEATS < set(MISTAKES)  # a renamed case must not leave the quick suite by a stale name
    for prefix in (
        "agreement",
        "spellings",
        "discrepancy",
        "note",
        "artifact",
        "coding",
        "document",
        "package",
        "schema",
        "changelog",
    ):
        assert sum(name.startswith(prefix + ":") for name in MISTAKES) >= 3, prefix


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=pytest.mark.slow) if name in REPEATS else name for name in MISTAKES]
)
def test_a_mistake_is_refused_by_name_and_line_and_nothing_is_written(reused_package, capsys, name):
    mistake = MISTAKES[name]
    root = reused_package.fresh()
    mistake.edit(root)
    before = _protected(root)  # the edited input included: the failed command must write nothing at all
    code, out, err = run(root, "release", capsys=capsys)
    assert code != 0, out
    message = [line for line in err.splitlines() if not line.startswith("… ") and not _TIMING.match(line)]
    assert 1 <= len(message) <= 2, message
    assert re.match(r"error: " + mistake.where + r"(: |,| \()", message[0]), message[0]
    assert mistake.says in " ".join(message), message
    assert "unexpected" not in err and "Traceback" not in err
    assert len(message) == 1 or message[1].startswith("  ")
    assert _protected(root) == before


# make check: tests/checks/test_rules.py proves the same in the quick suite, with the Parquet file's own error too.
@pytest.mark.slow
def test_an_error_in_a_table_and_its_parquet_twin_is_reported_once(released_folder, tmp_path, capsys):
    """Both formats of a table share its schema: a rule they both break is one error, not two."""
    root = ROOT
    folder = tmp_path / released_folder.name
    shutil.copytree(released_folder, folder)
    schema_path = folder / "schemas" / "countries.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema_field(schema, "name")["constraints"]["maxLength"] = 5
    schema_path.write_text(json.dumps(schema), encoding="utf-8", newline="\n")
    code, _, err = run(root, "validate", str(folder / "datapackage.json"), capsys=capsys)
    assert code == 1
    errors = [line for line in err.splitlines() if "[frictionless:constraint-error]" in line]
    # Every name but China's is over 5 characters: thirteen, once each.
    assert len(errors) == 13, errors
    assert all(
        line.strip().startswith("ERROR data/countries.csv, row ")
        and "(the rule is declared in schemas/countries.json)" in line
        for line in errors
    )
