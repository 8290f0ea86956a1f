"""Threads for the block loops: how many, and the one pool that runs them.

NumPy's ufuncs release the GIL, so the blocks of a large call (see
``losses/_rowwise.py``) can run on several threads at once. Every block
writes its own rows of the result and a row's arithmetic never depends on the
other rows, so the numbers are the same bits with any thread count, and NaN
lands in the same places. Only a NaN's sign bit, which IEEE 754 leaves
unspecified, may differ: a row with several NaN or infinite inputs of
different signs gives whichever NaN the SIMD loop meets first, and a block's
size or memory layout (a thread's share of a block; a Fortran-order input cut
into blocks of another size) can change that order.

The count is, in order: :func:`set_num_threads`; the environment variable
``RKERASLOSSES_NUM_THREADS``; ``OMP_NUM_THREADS`` (which Dask's workers and
most job schedulers set to 1, so that processes already running side by side
do not oversubscribe the cores); else the cores this process may use, at most
:data:`DEFAULT_MAX_THREADS`. Measured on (1e6, 10) float32 with 2 cores, two
threads ran 1.1x-1.9x faster than one (most on the log/exp losses, least
where one thread already reads memory at full speed).
"""

from __future__ import annotations

import numbers
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

#: The default never goes above this many threads: the losses read memory
#: once and do a few operations per value, so more threads than memory
#: channels can keep busy only add contention.
DEFAULT_MAX_THREADS = 4

_ENV = "RKERASLOSSES_NUM_THREADS"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _from_environment(name: str) -> int | None:
    """A thread count from an environment variable; None when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    # OMP_NUM_THREADS may list one count per level of nesting ("4,2"): the first is ours.
    first = value.split(",")[0].strip() if name != _ENV else value
    if first.isdigit() and int(first) > 0:
        return int(first)
    if name != _ENV:
        return None  # another library's setting that it reads its own way: not ours to refuse
    raise ValueError(f"The environment variable {name} must be a positive whole number of threads. Received: {name}={value!r}")


def default_num_threads() -> int:
    """The thread count when :func:`set_num_threads` was not called (see the module's text)."""
    for name in (_ENV, "OMP_NUM_THREADS"):
        count = _from_environment(name)
        if count is not None:
            return count
    return max(1, min(_cores(), DEFAULT_MAX_THREADS))


_chosen: int | None = None
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_lock = threading.Lock()
_inside = threading.local()


def set_num_threads(n: int | None) -> int:
    """Set how many threads a large call uses; ``None`` goes back to the default.

    Returns the previous count. One thread runs every block in the calling
    thread, as NumPy does. The numbers do not depend on the count.

    >>> import rkeraslosses as rk
    >>> previous = rk.set_num_threads(1)
    >>> rk.get_num_threads()
    1
    >>> _ = rk.set_num_threads(previous)
    """
    global _chosen
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"Argument `n` must be a whole number of threads, or None for the default. Received: n={n!r}")
        if n < 1:
            raise ValueError(f"Argument `n` must be at least 1 (1 runs every block in the calling thread). Received: n={n!r}")
        n = int(n)
    previous = get_num_threads()
    _chosen = n
    return previous


class using:
    """``with using(n):`` runs the block on ``n`` threads (None: unchanged), then restores the setting."""

    def __init__(self, n: int | None):
        self.n = n

    def __enter__(self) -> None:
        self.saved = _chosen
        if self.n is not None:
            set_num_threads(self.n)

    def __exit__(self, *exc: Any) -> None:
        global _chosen
        _chosen = self.saved


def get_num_threads() -> int:
    """How many threads a large call uses (see :func:`set_num_threads`)."""
    return _chosen if _chosen is not None else default_num_threads()


def _executor(workers: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size < workers:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rkeraslosses")
            _pool_size = workers
        return _pool


def _forget_pool_after_fork() -> None:
    """A forked child has the parent's pool object but none of its threads:
    work handed to it would never run (a hang). The child starts a pool of its own."""
    global _pool, _pool_size, _lock
    _pool, _pool_size, _lock = None, 0, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool_after_fork)


def run_parts(work: Callable[[int, int], None], n: int) -> None:
    """Call ``work(k, n)`` for ``k`` in ``range(n)``, each on its own thread (the caller's among them).

    ``work`` must write disjoint outputs; the caller chooses ``n`` (at most
    :func:`get_num_threads`). Called from inside one of the pool's threads, it
    runs ``work(0, 1)`` serially (no nested pools, no deadlock). The first
    exception is raised after every part has stopped, so no thread writes into
    an array its caller has left.
    """
    if n <= 1 or getattr(_inside, "flag", False):
        work(0, 1)
        return
    pool = _executor(n - 1)

    def part(k: int) -> None:
        _inside.flag = True
        try:
            work(k, n)
        finally:
            _inside.flag = False

    futures = [pool.submit(part, k) for k in range(1, n)]
    error: BaseException | None = None
    try:
        work(0, n)
    except BaseException as err:  # noqa: BLE001 - re-raised below, after the other parts stop
        error = err
    for future in futures:
        try:
            future.result()
        except BaseException as err:  # noqa: BLE001
            error = error or err
    if error is not None:
        raise error

