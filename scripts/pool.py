"""Map a function over a long list on both cores, in the list's order, raising the first error in that order."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

# Below this many items a second process costs more than it saves (it is forked, then its results are copied back).
MINIMUM_FOR_PROCESSES = 400
_CHUNKS_PER_PROCESS = 4  # small enough that neither process waits long for the other at the end

_work: tuple[Callable, Sequence, object] | None = None  # what forked processes inherit instead of receiving it


def ordered_map(function: Callable, items: Sequence, shared=None) -> list:
    """[function(item, shared) for item in items], the same result and the same first error, on every core for a long list.

    The processes are forked, so `items` and `shared` are inherited rather than copied; only
    the results travel back. Where fork does not exist the list is mapped here, one by one.
    """
    processes = min(os.cpu_count() or 1, 2)
    if len(items) < MINIMUM_FOR_PROCESSES or processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item, shared) for item in items]
    global _work
    _work = (function, items, shared)
    size = -(-len(items) // (processes * _CHUNKS_PER_PROCESS))
    try:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
            # map yields in order: a chunk's error is raised when its turn comes, after the chunks before it.
            chunks = pool.map(_map_chunk, range(0, len(items), size), [size] * len(range(0, len(items), size)))
            return [result for chunk in chunks for result in chunk]
    finally:
        _work = None


def _map_chunk(start: int, size: int) -> list:
    function, items, shared = _work
    return [function(item, shared) for item in items[start : start + size]]
