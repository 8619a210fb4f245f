"""The version in hand-written files (pyproject.toml, the README's workflow example), rewritten from the changelog's newest heading."""

from __future__ import annotations

import re

from ..errors import PipelineError
from .markers import block, replace_block

PYPROJECT = "pyproject.toml"
_PROJECT_VERSION = re.compile(r'^version = "[^"\n]*"$', re.MULTILINE)
_VERSION = re.compile(r"(?<![\d.])\d+\.\d+\.\d+(?![\d.])")  # also after a v, as in @v2.4.0
# The README's block that states the version a user pins: the reusable workflow's tag and the release it validates.
WORKFLOW_EXAMPLE = ("workflow example", "make build")


def pyproject_with_version(text: str, version: str) -> str:
    """pyproject.toml with [project]'s version line set to `version`: the one line the build owns in it."""
    if len(_PROJECT_VERSION.findall(text)) != 1:
        raise PipelineError(PYPROJECT, "needs exactly one line 'version = \"X.Y.Z\"' (under [project])",
                            "restore it from git: the build writes the changelog's version there")
    return _PROJECT_VERSION.sub(f'version = "{version}"', text)


def readme_with_version(text: str, version: str) -> str:
    """The README with every X.Y.Z of its workflow example set to `version`, the rest of the block as written."""
    name, writer = WORKFLOW_EXAMPLE
    return replace_block(text, name, writer, _VERSION.sub(version, block(text, name, writer)))
