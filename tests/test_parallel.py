"""The work that runs on both cores gives what the same work gives in one process: the same bytes, the same first error."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, run
from scripts import pool
from scripts.child import Child
from scripts.errors import PipelineError
from scripts.schema import profile_errors
from scripts.synthetic import random_agreement


def _halve(number: int, limit: int) -> int:
    if number >= limit:
        raise PipelineError(f"item {number}", "is too large", "use a smaller one")
    return number // 2


def test_ordered_map_in_processes_keeps_the_order_and_the_first_error(monkeypatch):
    monkeypatch.setattr(pool, "MINIMUM_FOR_PROCESSES", 1)
    assert list(pool.ordered_map(_halve, list(range(40)), 100)) == [n // 2 for n in range(40)]
    items = list(range(40))
    items[31], items[7] = 500, 200  # two errors, in different chunks: the earlier one in the list is raised
    with pytest.raises(PipelineError) as raised:
        list(pool.ordered_map(_halve, items, 100))
    assert (raised.value.where, raised.value.problem, raised.value.fix) == ("item 200", "is too large", "use a smaller one")


def _child_pid_and_halve(number: int) -> tuple[int, int]:
    return os.getpid(), _halve(number, 100)


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_call_in_a_forked_process_returns_its_value_or_raises_its_error():
    pid, half = pool.in_forked_process(_child_pid_and_halve, 42)
    assert half == 21 and pid != os.getpid()
    with pytest.raises(PipelineError) as raised:
        pool.in_forked_process(_halve, 500, 100)
    assert (raised.value.where, raised.value.problem, raised.value.fix) == ("item 500", "is too large", "use a smaller one")
    with pytest.raises(RuntimeError, match=r"^_kill_self, run in a forked process, ended without a result \(killed by signal 9\)$"):
        pool.in_forked_process(_kill_self)


def _tell_then_halve(number: int, tell) -> int:
    for step in ("started", "halfway"):
        tell((step, os.getpid()))
        if number < 0:
            time.sleep(30)  # long enough that only being ended stops it
    return _halve(number, 100)


def test_a_forked_call_tells_this_process_as_it_goes_and_is_ended_if_the_answer_fails():
    heard = []
    assert pool.in_forked_process(_tell_then_halve, 42, on_message=heard.append) == 21
    assert [step for step, _ in heard] == ["started", "halfway"] and heard[0][1] != os.getpid()

    def refuse(message):
        heard.append(message)
        raise PipelineError("the answer", "was refused", "nothing to fix")

    heard.clear()
    started = time.monotonic()
    with pytest.raises(PipelineError, match="was refused"):
        pool.in_forked_process(_tell_then_halve, -1, on_message=refuse)
    assert time.monotonic() - started < 10 and [step for step, _ in heard] == ["started"]
    with pytest.raises(ProcessLookupError):
        os.kill(heard[0][1], 0)  # the copy was ended and reaped, not left sleeping


def _build(root, capsys) -> dict[str, bytes]:
    code, _, err = run(root, "build", "--force", capsys=capsys)
    assert code == 0, err
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted((root / "data").glob("*.csv"))} | {
        "datapackage.json": (root / "datapackage.json").read_bytes()}


def test_a_process_of_its_own_ends_as_soon_as_its_answer_is_ready_however_large():
    # A chart's images pass the 64 KiB a pipe holds: unread, the process would wait with all its memory until result().
    text = "signatory " * 30_000
    child = Child("textwrap", "indent", {"text": text, "prefix": ""})
    deadline = time.monotonic() + 60
    while child.process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.process.returncode == 0
    assert child.result() == text
    child.stop()  # once it has ended, stopping it is harmless


def test_a_build_on_two_cores_equals_the_build_in_one_process(package, capsys, monkeypatch):
    for number in range(1, 25):
        random_agreement(number).write(package / "data" / "source")
    monkeypatch.setattr(pool, "MINIMUM_FOR_PROCESSES", 10**9)
    one_process = _build(package, capsys)
    monkeypatch.setattr(pool, "MINIMUM_FOR_PROCESSES", 2)
    assert _build(package, capsys) == one_process
    assert one_process["data/agreements.csv"].count(b"\n") == 26  # the header, the real agreement and 24 synthetic ones


def test_a_bad_agreement_read_on_another_core_gets_the_same_message(package, capsys, monkeypatch):
    for number in range(1, 25):
        random_agreement(number).write(package / "data" / "source")
    metadata = package / "data" / "source" / "synthetic-000020" / "agreement.yaml"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("agreement_id:", "agreement_idd:", 1), encoding="utf-8")
    messages = []
    for minimum in (10**9, 2):
        monkeypatch.setattr(pool, "MINIMUM_FOR_PROCESSES", minimum)
        code, out, err = run(package, "build", capsys=capsys)
        assert code != 0
        messages.append(err)
    assert messages[0] == messages[1]
    assert "data/source/synthetic-000020/agreement.yaml, line" in messages[0] and "agreement_idd" in messages[0]


def test_the_profile_gate_of_a_large_descriptor_agrees_with_jsonschema():
    """Above 1,000 resources each resource is checked on its own, compiled: the verdict must not change."""
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    source = next(r for r in descriptor["resources"] if r["name"].startswith("source-"))
    large = {**descriptor, "resources": descriptor["resources"] + [{**copy.deepcopy(source), "name": f"copy-{n}", "path": f"data/copy-{n}.txt"} for n in range(1_200)]}
    assert profile_errors("datapackage", large) == []
    large["resources"][700]["path"] = 5
    assert profile_errors("datapackage", large) == ["resources.700.path: 5 is not valid under any of the given schemas"]
    large["resources"][700]["path"] = "data/copy-700.txt"
    large["resources"] = []
    assert profile_errors("datapackage", large) != []


# Run in a fresh interpreter: a test process that ran the command line has the setting already.
_RESIDENT_GROWTH = """
import sys
from scripts.allocator import give_large_blocks_back
if sys.argv[1] == "give back":
    give_large_blocks_back()
def resident_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
before = resident_kib()
for _ in range(2):
    block = b"x" * (16 << 20)  # written, so resident
    del block
print(resident_kib() - before)
"""


def test_freed_large_blocks_go_back_to_the_system():
    def growth_kib(*args: str) -> int:
        done = subprocess.run([sys.executable, "-c", _RESIDENT_GROWTH, *args], cwd=ROOT, capture_output=True, text=True, check=True)
        return int(done.stdout)

    # glibc's default keeps the second 16 MiB block, having raised its threshold to the first:
    # that is what give_large_blocks_back() undoes, for the process that calls it and its forks.
    assert growth_kib("keep") >= 12 << 10
    assert growth_kib("give back") < 4 << 10
