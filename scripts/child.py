"""Run one function of this package in a process of its own, beside this one: the release uses the second core."""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from .allocator import give_large_blocks_back
from .errors import PipelineError

_CODE = Path(__file__).resolve().parent.parent  # where `python -m scripts.child` finds this package
_REFUSED = 3  # the exit status of a process whose call raised PipelineError, which it wrote as JSON


class Child:
    """module.function(**arguments) in a fresh Python process; result() waits for its return value.

    The process starts at once and imports the module, and the modules of `preload` that its
    function imports when called, and never the modules of `without`, optional imports it can
    do without (they would cost memory for nothing); the call is made with the function, or
    later with call(), so that a slow import is over by the time the work is ready. Arguments
    and the return value travel as JSON on its standard input and output (a command-line
    argument may hold only 128 KiB). A PipelineError raised by the call is raised again by
    result(), whole; any other failure is a RuntimeError with its traceback. The process dies
    with this one (a killed release leaves nothing running), and its memory is handed back as
    soon as it ends.
    """

    def __init__(self, module: str, function: str | None = None, arguments: dict | None = None, preload: tuple[str, ...] = (),
                 without: tuple[str, ...] = ()):
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_CODE), os.environ.get("PYTHONPATH")]))}
        self.what = module
        self._writing: threading.Thread | None = None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scripts.child"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=environment, preexec_fn=_die_with_parent,
        )
        self._answer: _Answer | None = None
        self._send(json.dumps({"import": [*preload, module], "without": list(without)}).encode("utf-8") + b"\n")
        if function is not None:
            self.call(function, arguments or {})
            # Its answer is read as it comes: an answer larger than the pipe holds (a chart's
            # images) would keep the process waiting, with all its memory, until result() is
            # called. Only for a call made here: a later call() may be made by a forked process.
            self._answer = _Answer(self.process)

    def call(self, function: str, arguments: dict) -> None:
        self.what += f".{function}"
        stream, self.process.stdin = self.process.stdin, None  # so that communicate() does not write to it again
        # The process reads the call once its imports are over: a call larger than the pipe holds
        # would keep this one waiting until then, so it is written on a thread of its own.
        self._writing = threading.Thread(target=_write_and_close, args=(stream, json.dumps({"function": function, "arguments": arguments}).encode("utf-8") + b"\n"), daemon=True)
        self._writing.start()

    def sent(self) -> None:
        """Wait until the call is written: a forked process that makes the call must, before it ends."""
        if self._writing is not None:
            self._writing.join()

    def called(self, function: str) -> None:
        """Say here that a process forked from this one made the call, through the pipe they share (result() names it in a failure)."""
        self.what += f".{function}"

    def _send(self, data: bytes) -> None:
        try:
            if self.process.stdin is not None:
                self.process.stdin.write(data)
                self.process.stdin.flush()
        except BrokenPipeError:
            self.process.stdin = None  # it ended before reading: result() reports why

    def result(self):
        out, err = self._answer.wait() if self._answer is not None else self.process.communicate()
        if self._writing is not None:
            self._writing.join()
        if self.process.returncode == _REFUSED:
            raise PipelineError(*json.loads(out)["refused"])  # a bad input or state, said as plainly as here
        if self.process.returncode != 0:
            raise RuntimeError(f"{self.what}, run in a process of its own, failed (exit {self.process.returncode}): {err.decode('utf-8', 'replace')[-2000:]}")
        return json.loads(out)

    def stop(self) -> None:
        """End it if it still runs: the release stopped before it needed the result."""
        if self.process.poll() is None:
            self.process.kill()
        if self._answer is not None:
            self._answer.wait()
        else:
            self.process.communicate()
        if self._writing is not None:
            self._writing.join()


class _Answer:
    """A process's standard output and error, read to their end on a thread of their own."""

    def __init__(self, process: subprocess.Popen):
        self._process, self._read = process, (b"", b"")
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._read = self._process.communicate()

    def wait(self) -> tuple[bytes, bytes]:
        self._thread.join()
        return self._read


def _write_and_close(stream, data: bytes) -> None:
    if stream is None:
        return  # it ended before reading the first line: result() reports why
    try:
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        pass  # it ended before reading the call: result() reports why
    finally:
        try:
            stream.close()
        except BrokenPipeError:
            pass


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, Linux only; elsewhere it ends on its own
    except (OSError, AttributeError):
        pass


def main() -> int:
    give_large_blocks_back()
    modules = json.loads(sys.stdin.buffer.readline())
    for name in modules["without"]:
        sys.modules[name] = None  # `import name` now raises ImportError, as if it were not installed
    for name in modules["import"]:
        importlib.import_module(name)
    module = sys.modules[modules["import"][-1]]
    call = json.loads(sys.stdin.buffer.readline())  # waits for the caller's call(), one line of JSON
    try:
        answer = getattr(module, call["function"])(**call["arguments"])
    except PipelineError as refusal:
        sys.stdout.write(json.dumps({"refused": [refusal.where, refusal.problem, refusal.fix]}))
        return _REFUSED
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
