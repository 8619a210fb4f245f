"""Work in forked processes: a long list mapped on both cores in order, or one call whose memory is handed back when it ends."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import NoReturn

# Below this many items a second process costs more than it saves (it is forked, then its results are copied back).
MINIMUM_FOR_PROCESSES = 400
_CHUNKS_PER_PROCESS = 16  # small enough that neither process waits long for the other at the end, nor holds many results at once

_work: tuple[Callable, Sequence, object] | None = None  # what forked processes inherit instead of receiving it


def ordered_map(function: Callable, items: Sequence, shared=None) -> Iterator:
    """function(item, shared) for each item, in order, with the same first error, on every core for a long list.

    The processes are forked, so `items` and `shared` are inherited rather than copied; only
    the results travel back, a chunk at a time, and are yielded as they come, so that the caller
    holds each once. Where fork does not exist the list is mapped here, one by one.
    """
    processes = min(os.cpu_count() or 1, 2)
    if len(items) < MINIMUM_FOR_PROCESSES or processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (function(item, shared) for item in items)
        return
    global _work
    _work = (function, items, shared)
    size = -(-len(items) // (processes * _CHUNKS_PER_PROCESS))
    try:
        with _shared_with_forks(), ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
            # map yields in order: a chunk's error is raised when its turn comes, after the chunks before it.
            chunks = pool.map(_map_chunk, range(0, len(items), size), [size] * len(range(0, len(items), size)))
            for chunk in chunks:
                yield from chunk
    finally:
        _work = None


def _map_chunk(start: int, size: int) -> list:
    function, items, shared = _work
    return [function(item, shared) for item in items[start : start + size]]


def in_forked_process(function: Callable, *arguments, on_message: Callable[[object], None] | None = None):
    """function(*arguments), run in a forked copy of this process; its return value, or its exception raised here.

    Whatever the call holds while it runs (a corpus's rows, sources and files) is the copy's
    memory, and goes back to the system as the copy ends: only the return value, pickled,
    comes back. The copy dies with this process. Where fork does not exist the call is made here.

    With `on_message`, the call is function(*arguments, tell): each tell(message) made while it
    runs has on_message(message) called here at once, on this thread (which may start
    processes that outlive the copy). If on_message fails, the copy is ended and its error raised.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return function(*arguments, *([on_message] if on_message else []))
    reading, writing = os.pipe()
    with _shared_with_forks():
        pid = os.fork()
        if pid == 0:
            _in_the_copy(function, arguments, reading, writing, on_message is not None)
        os.close(writing)
        outcome = None
        try:
            with os.fdopen(reading, "rb") as stream:
                for kind, value in _frames(stream):
                    if kind == _MESSAGE:
                        on_message(value)
                    else:
                        outcome = value
        except BaseException:
            os.kill(pid, signal.SIGKILL)  # it would wait forever to write what is no longer read
            raise
        finally:
            _, status = os.waitpid(pid, 0)
    if outcome is None:
        raise RuntimeError(f"{getattr(function, '__name__', function)}, run in a forked process, ended without a result ({_exit_reason(status)})")
    succeeded, value = outcome
    if not succeeded:
        raise value
    return value


# What a copy writes to its parent: frames of a kind byte, a length and a pickled value; the outcome is the last.
_MESSAGE, _OUTCOME = b"m", b"o"


def _frames(stream) -> Iterator[tuple[bytes, object]]:
    """The frames a copy wrote, until it closed its end; a frame cut short (the copy was killed) ends them."""
    while len(header := stream.read(9)) == 9:
        length = int.from_bytes(header[1:], "big")
        payload = stream.read(length)
        if len(payload) != length:
            return
        yield header[:1], pickle.loads(payload)


def _in_the_copy(function: Callable, arguments: tuple, reading: int, writing: int, tells: bool) -> NoReturn:
    """The forked copy's part: it never returns, so that no caller's cleanup runs twice."""
    status = 1
    try:
        os.close(reading)
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, as Child's processes
        with os.fdopen(writing, "wb") as stream:
            def send(kind: bytes, data: bytes) -> None:
                stream.write(kind + len(data).to_bytes(8, "big") + data)
                stream.flush()

            def tell(message) -> None:
                send(_MESSAGE, pickle.dumps(message, pickle.HIGHEST_PROTOCOL))

            try:
                outcome = (True, function(*arguments, *([tell] if tells else [])))
            except BaseException as exc:  # noqa: BLE001 - every exception travels back, KeyboardInterrupt included
                exc.add_note(f"in a forked process:\n{traceback.format_exc()}")
                outcome = (False, exc)
            try:
                data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
            except Exception:  # an exception that cannot be pickled still says what it was
                data = pickle.dumps((False, RuntimeError(traceback.format_exception_only(outcome[1])[-1].strip())))
            send(_OUTCOME, data)
        status = 0
    finally:
        os._exit(status)


@contextlib.contextmanager
def _shared_with_forks() -> Iterator[None]:
    """While forks made inside it live, the objects they inherit stay shared with them, as Python's documentation advises.

    A fork shares this process's memory until either process writes to a page, and the garbage
    collector writes to every object it examines. Frozen, the modules, rows and schemas made so
    far are left alone, by this process and by its forks, rather than copied into each one, which
    would count them once more per process. They are unfrozen when the forks have ended.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _exit_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit {os.waitstatus_to_exitcode(status)}"
