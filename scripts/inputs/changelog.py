"""Read CHANGELOG.md strictly, by Keep a Changelog's grammar: releases newest first, real dates, growing versions."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError
from .files import read_input_text

GRAMMAR = json.loads((Path(__file__).resolve().parents[2] / "contracts" / "changelog.json").read_text(encoding="utf-8"))
_RELEASE = re.compile(r"## \[(?P<version>[^\]]*)\] - (?P<date>\S+)(?P<yanked> " + re.escape(GRAMMAR["yanked_marker"])
                      + r")?\s*")
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HEADING = re.compile(r"(#+)\s")


@dataclass(frozen=True)
class Release:
    """One '## [X.Y.Z] - YYYY-MM-DD' section of the changelog."""

    version: str
    date: dt.date
    line: int
    entries: tuple[str, ...]
    text: str  # the section below the heading, as written
    yanked: bool = False  # withdrawn: its heading ends with [YANKED], and its record may be removed

    @property
    def numbers(self) -> tuple[int, int, int]:
        return version_numbers(self.version)


def version_numbers(version: str) -> tuple[int, int, int]:
    major, minor, patch = version.split(".")
    return int(major), int(minor), int(patch)


def as_released(text: str) -> str:
    """The changelog as a release holds it: the entries under the Unreleased heading left out, so that notes written
    there while work goes on do not change the bytes of the version last released, whose release copies this file."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.rstrip() == GRAMMAR["unreleased_heading"]), None)
    if start is None:
        return text
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join([*lines[: start + 1], "", *lines[end:]])


def read_changelog(path: Path, relative: str = "CHANGELOG.md", today: dt.date | None = None) -> list[Release]:
    """Every release section, newest first, once the whole file follows the grammar."""
    unreleased, example = GRAMMAR["unreleased_heading"], GRAMMAR["release_heading_example"]
    if not os.path.lexists(path):
        raise PipelineError(relative, "file not found", f"add a CHANGELOG.md with a heading like '{example}'")
    text = read_input_text(path, path.parent, relative)
    today = today or dt.date.today()
    sections: list[tuple] = []  # (line, version, date, yanked, the lines below it); version None: Unreleased
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{relative}, line {number}"
        level = len(heading.group(1)) if (heading := _HEADING.match(line)) else 0
        if level == 2 and line.rstrip() == unreleased:
            if sections:
                raise PipelineError(where, f"'{unreleased}' must be the first '## ' heading, above every release",
                                    "move it, with its entries, to the top")
            sections.append((number, None, None, False, []))
        elif level == 2:
            sections.append((number, *_release_heading(line, where, today), []))
        elif sections:
            sections[-1][-1].append(line)
        if level == 3 and (name := line[4:].strip()) not in GRAMMAR["section_types"]:
            raise PipelineError(where, f"'### {name}' is not a kind of change of Keep a Changelog",
                                f"use one of {', '.join(GRAMMAR['section_types'])}")
        if level == 3 and not sections:
            raise PipelineError(where, f"'### {name}' stands above every '## ' heading",
                                f"put it under '{unreleased}' or under its release")
        if level > 3:
            raise PipelineError(where, f"the heading {line.strip()[:40]!r} has a level this changelog does not use",
                                "use '## ' for versions and '### ' for the kinds of change")
        if level == 1 and sections:
            raise PipelineError(where, "a '# ' title below the first '## ' heading",
                                "keep one '# Changelog' title at the top")
    releases = [Release(version, date, number, tuple(line[2:].strip() for line in lines if line[:2] in ("- ", "* ")),
                        "\n".join(lines).strip(), yanked)
                for number, version, date, yanked, lines in sections if version]
    if not releases:
        raise PipelineError(relative, "has no release heading", f"add one like '{example}' under '{unreleased}'")
    for newer, older in zip(releases, releases[1:]):
        _check_order(newer, older, relative)
    for release in releases:
        if not release.entries:
            raise PipelineError(f"{relative}, line {release.line}", f"the section of {release.version} lists no change",
                                "say what this version changes under '### Added', '### Changed' or '### Fixed', one "
                                "'- ' line each")
    return releases


def _release_heading(line: str, where: str, today: dt.date) -> tuple[str, dt.date, bool]:
    example = GRAMMAR["release_heading_example"]
    match = _RELEASE.fullmatch(line)
    if not match:
        raise PipelineError(where, f"{line.strip()[:60]!r} is not a heading this changelog allows",
                            f"write '{GRAMMAR['unreleased_heading']}' or a release as '## [X.Y.Z] - YYYY-MM-DD', such "
                            f"as '{example}' (a withdrawn one ends with ' {GRAMMAR['yanked_marker']}')")
    version, date_text = match.group("version"), match.group("date")
    if not SEMVER.fullmatch(version):
        hint = "without the 'v'" if version.lower().startswith("v") else "with three numbers and no leading zeros"
        raise PipelineError(where, f"version {version!r} is not a Semantic Version X.Y.Z",
                            f"write it {hint}, such as '{example}'")
    try:
        if not _ISO_DATE.fullmatch(date_text):
            raise ValueError
        date = dt.date.fromisoformat(date_text)
    except ValueError:
        raise PipelineError(where, f"the date {date_text!r} of {version} is not a real date written YYYY-MM-DD",
                            f"such as '{example}'") from None
    if date > today:
        raise PipelineError(where, f"the date {date_text} of {version} is after today ({today.isoformat()})",
                            "date a release the day it is made")
    return version, date, match.group("yanked") is not None


def _check_order(newer: Release, older: Release, relative: str) -> None:
    where = f"{relative}, line {newer.line}"
    if newer.version == older.version:
        raise PipelineError(where, f"version {newer.version} has two headings (the other at line {older.line})",
                            "a version is released once: give the newer one the next version number")
    if newer.numbers < older.numbers:
        raise PipelineError(where, f"version {newer.version} stands above {older.version} (line {older.line}), but is "
                            "lower", "versions go newest first and only grow: give this release a version above every "
                            "one below it")
    if newer.date < older.date:
        raise PipelineError(where, f"{newer.version} is dated {newer.date}, before {older.version} below it "
                            f"({older.date}, line {older.line})",
                            "a newer release cannot be older: correct the date")
