"""The version in hand-written files (pyproject.toml, the README's workflow example), from the changelog's newest."""

from __future__ import annotations

import re

from ..errors import PipelineError
from .markers import block, replace_block

PYPROJECT = "pyproject.toml"
_PROJECT_VERSION = re.compile(r'^version = "[^"\n]*"$', re.MULTILINE)
_VERSION = re.compile(r"(?<![\d.])\d+\.\d+\.\d+(?![\d.])")  # also after a v, as in @v2.4.0
# The README's block that states the version a user pins: the reusable workflow's tag and the release it validates.
WORKFLOW_EXAMPLE = "workflow example"


def pyproject_with_version(text: str, version: str) -> str:
    """pyproject.toml with [project]'s version line set to `version`: the one line the build owns in it."""
    if len(_PROJECT_VERSION.findall(text)) != 1:
        raise PipelineError(PYPROJECT, "needs exactly one line 'version = \"X.Y.Z\"' (under [project])",
                            "restore it from git: the build writes the changelog's version there")
    return _PROJECT_VERSION.sub(f'version = "{version}"', text)


def readme_with_version(text: str, version: str) -> str:
    """The README with every X.Y.Z of its workflow example set to `version`, the rest of the block as written."""
    return replace_block(text, WORKFLOW_EXAMPLE, "make build", _VERSION.sub(version, block(text, WORKFLOW_EXAMPLE)))
