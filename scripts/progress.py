"""One progress line per pipeline step, on standard error, so that a slow step never looks stuck."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator


@contextlib.contextmanager
def step(label: str) -> Iterator[None]:
    started = time.perf_counter()
    print(f"… {label}", file=sys.stderr, flush=True)
    yield
    elapsed = time.perf_counter() - started
    if elapsed >= 1:
        print(f"  {label}: {elapsed:.1f} s", file=sys.stderr, flush=True)
