"""How this package's processes ask the C allocator to hand memory back: called first by each entry point."""

from __future__ import annotations

import ctypes

_M_MMAP_THRESHOLD, _LARGE_BLOCK = -3, 1 << 20  # mallopt's parameter (glibc's malloc.h), and 1 MiB


def give_large_blocks_back() -> None:
    """Have the C allocator give every block of 1 MiB or more back to the system as soon as it is freed.

    By default glibc raises that threshold to the size of the first large block freed, then keeps
    later ones for reuse: the files, tables and Arrow buffers a step frees stayed in its process,
    and the checks of 10,000 agreements held ~120 MiB more at their peak, for no measurable speed.
    Forked processes inherit the setting. Where the C library is not glibc, it does nothing.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, _LARGE_BLOCK)
