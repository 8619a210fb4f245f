"""Run one function of this package in a process of its own, beside this one: the release uses the second core."""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

_CODE = Path(__file__).resolve().parent.parent  # where `python -m scripts.child` finds this package


class Child:
    """module.function(**arguments) in a fresh Python process, started at once; result() waits for its return value.

    Arguments and the return value travel as JSON. The process dies with this one (a killed
    release leaves nothing running), and its memory is handed back as soon as it ends.
    """

    def __init__(self, module: str, function: str, arguments: dict):
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_CODE), os.environ.get("PYTHONPATH")]))}
        self.what = f"{module}.{function}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scripts.child"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=environment, preexec_fn=_die_with_parent,
        )
        # On its standard input, which has no size limit (a command-line argument has 128 KiB);
        # it reads the call first, so this waits only for it to start.
        try:
            self.process.stdin.write(json.dumps({"module": module, "function": function, "arguments": arguments}).encode("utf-8"))
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it ended before reading: result() reports why
        self.process.stdin = None  # so that communicate() does not flush it again

    def result(self):
        out, err = self.process.communicate()
        if self.process.returncode != 0:
            raise RuntimeError(f"{self.what}, run in a process of its own, failed (exit {self.process.returncode}): {err.decode('utf-8', 'replace')[-2000:]}")
        return json.loads(out)

    def stop(self) -> None:
        """End it if it still runs: the release stopped before it needed the result."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, Linux only; elsewhere it ends on its own
    except (OSError, AttributeError):
        pass


def main() -> int:
    call = json.loads(sys.stdin.buffer.read())
    function = getattr(importlib.import_module(call["module"]), call["function"])
    sys.stdout.write(json.dumps(function(**call["arguments"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
