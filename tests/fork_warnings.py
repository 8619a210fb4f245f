"""A pytest plugin: a run that records a fork made while threads run fails, however its tests end.

Such a fork may deadlock the child. Python 3.12 and later warn of it, but CPython swallows the
warning when a filter turns it into an error: pyproject.toml records it always, and this fails
the run that records one.
"""

from __future__ import annotations

import re

import pytest

FORK_WITH_THREADS = re.compile(r"This process .* is multi-threaded, use of fork\(\) may lead to deadlocks")
_forks_with_threads: list[str] = []


def pytest_warning_recorded(warning_message, when, nodeid, location):
    if FORK_WITH_THREADS.match(str(warning_message.message)):
        _forks_with_threads.append(f"{nodeid or location}: {warning_message.message}")


def pytest_sessionfinish(session, exitstatus):
    if _forks_with_threads and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    for found in _forks_with_threads:
        terminalreporter.write_line(f"FAILED, a fork while threads run, which may deadlock the child: {found}", red=True)


