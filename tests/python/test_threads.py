"""Threads in the block loops: the same bits with any thread count, errors and
warnings handled in every thread, and the setting's rules."""

from __future__ import annotations

import inspect
import threading
import warnings

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import _parallel
from rkeraslosses.losses import _rowwise
from rkeraslosses.registry import ENTRIES

#: Every loss function of the registry that computes per row in blocks (Dice
#: and Tversky reduce the whole batch with their default axis; circle and CTC
#: are not block-wise).
_BLOCKWISE = [e.fn for e in ENTRIES if e.kind == "loss" and e.fn is not None and e.fn.__name__ not in ("dice", "tversky", "circle", "ctc")]


@pytest.fixture
def threads():
    """Set the thread count inside a test, restored afterwards."""
    previous = _parallel._chosen
    yield rk.set_num_threads
    _parallel._chosen = previous


def _inputs(fn, n, c=10, seed=3):
    rng = np.random.default_rng(seed)
    entry = next(e for e in ENTRIES if e.fn is fn)
    p = rng.dirichlet(np.ones(c), size=n).astype(np.float32)
    if entry.labels == "sparse":
        t = rng.integers(0, c, size=n)
    elif entry.labels in ("binary", "categorical"):
        t = np.eye(c, dtype=np.float32)[rng.integers(0, c, n)]
    else:
        t = rng.normal(size=(n, c)).astype(np.float32)
        p = rng.normal(size=(n, c)).astype(np.float32)
    # Extreme rows send a row (or its block) down another path.
    p[3] = np.nan
    p[4, 0] = np.inf
    p[n - 2, -1] = -np.inf
    # A row with NaN of both signs (and one with NaN and an infinity): the
    # NaN's sign bit may depend on the layout (IEEE 754 leaves it open), its
    # place may not.
    p[5, :2] = np.nan, -np.nan
    p[n // 2, 0], p[n // 2, 1] = -np.nan, np.inf
    return t, p


_CASES = [(fn, {}) for fn in _BLOCKWISE] + [
    (fn, {"from_logits": True}) for fn in _BLOCKWISE if "from_logits" in inspect.signature(fn).parameters
]


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("fn, kwargs", _CASES, ids=lambda x: getattr(x, "__name__", None) or ("logits" if x else "probs"))
def test_any_thread_count_gives_the_same_bits(fn, kwargs, order, threads):
    """Several blocks and a partial one, on 1, 2 and 3 threads (3 leaves one
    thread a share of fewer blocks), in C and Fortran (R's) order: every
    per-sample number is the same bits and NaN lands in the same rows
    (``assert_array_equal`` does not compare a NaN's sign bit)."""
    n = 5 * _rowwise.BLOCK_ELEMENTS // 10 + 17
    t, p = _inputs(fn, n)
    t, p = np.asarray(t, order=order), np.asarray(p, order=order)
    threads(1)
    one = fn(t, p, **kwargs)
    assert one.shape == (n,)
    nan = np.isnan(one)
    for count in (2, 3):
        threads(count)
        other = fn(t, p, **kwargs)
        # NaN in the same rows; every number the same bits (-0.0 and 0.0 told apart).
        np.testing.assert_array_equal(np.isnan(other), nan, err_msg=f"{fn.__name__} on {count} threads")
        assert np.array_equal(other[~nan].view(np.uint8), one[~nan].view(np.uint8)), f"{fn.__name__} on {count} threads"


def test_every_block_is_computed_once_on_its_own_rows(threads):
    """The rows each block receives, recorded: with 3 threads every row is
    seen exactly once, and each block gets the rows in order."""
    step = _rowwise.BLOCK_ELEMENTS // 4
    n = 7 * step + 5
    seen = np.zeros(n, dtype=int)
    lock = threading.Lock()

    def kernel(t, p):
        with lock:
            seen[t[:, 0].astype(int)] += 1
        return t[:, 0] * 2

    rows = np.arange(n, dtype=np.float64)
    x = np.repeat(rows[:, None], 4, axis=1)
    threads(3)
    out = _rowwise.rowwise(kernel, x, x)
    np.testing.assert_array_equal(seen, 1)
    np.testing.assert_array_equal(out, rows * 2)


def test_a_kernel_error_in_another_thread_reaches_the_caller(threads):
    step = _rowwise.BLOCK_ELEMENTS // 4
    x = np.zeros((6 * step, 4))
    calls = []

    def kernel(t, p):
        calls.append(threading.current_thread().name)
        if len(calls) == 4:
            raise ZeroDivisionError("block four")
        return t[:, 0]

    threads(2)
    with pytest.raises(ZeroDivisionError, match="block four"):
        _rowwise.rowwise(kernel, x, x)
    # The worker thread ran blocks (so the error could come from it).
    assert any(name.startswith("rkeraslosses") for name in calls)


def test_nan_and_inf_make_no_warning_in_any_thread(threads):
    """The floating-point error state is per thread: each worker sets its own."""
    n = 4 * _rowwise.BLOCK_ELEMENTS // 10
    t = np.zeros((n, 10), dtype=np.float32)
    p = np.full((n, 10), 0.1, dtype=np.float32)
    p[::7, 0] = np.nan
    p[1::7, 1] = np.inf
    p[2::7, 2] = -1.0  # log of a negative number
    threads(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn in (rk.losses.kl_divergence, rk.losses.poisson, rk.losses.log_cosh, rk.losses.mean_squared_logarithmic_error):
            values = fn(t, p)
            assert np.isnan(values[::7]).all()


def test_a_nested_call_from_a_worker_runs_serially(threads):
    """A kernel that itself calls a block loop runs it in its own thread, so no
    pool waits on itself."""
    step = _rowwise.BLOCK_ELEMENTS // 4
    x = np.ones((4 * step, 4))

    def inner(t, p):
        return t[:, 0] + p[:, 0]

    def outer(t, p):
        big = np.ones((3 * step, 4))
        return _rowwise.rowwise(inner, big, big)[: len(t)] + t[:, 0]

    threads(2)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(_rowwise.rowwise(outer, x, x)))
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "a nested block loop deadlocked"
    np.testing.assert_array_equal(result[0], 3.0)


def test_the_setting_and_its_default(threads, monkeypatch):
    monkeypatch.delenv("RKERASLOSSES_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    threads(None)
    cores = _parallel._cores()
    assert rk.get_num_threads() == max(1, min(cores, _parallel.DEFAULT_MAX_THREADS))
    monkeypatch.setenv("OMP_NUM_THREADS", "3,2")  # nested OpenMP levels: the first is ours
    assert rk.get_num_threads() == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "lots")  # another library's value we cannot read: ignored
    assert rk.get_num_threads() == max(1, min(cores, _parallel.DEFAULT_MAX_THREADS))
    monkeypatch.setenv("RKERASLOSSES_NUM_THREADS", "5")  # ours comes first
    assert rk.get_num_threads() == 5
    assert rk.set_num_threads(2) == 5  # returns the previous count
    assert rk.get_num_threads() == 2  # and the call wins over the environment
    assert rk.set_num_threads(None) == 2
    assert rk.get_num_threads() == 5
    monkeypatch.setenv("RKERASLOSSES_NUM_THREADS", "0")
    with pytest.raises(ValueError, match="RKERASLOSSES_NUM_THREADS must be a positive whole number.*'0'"):
        rk.get_num_threads()


@pytest.mark.parametrize(
    "bad, error, message",
    [
        (0, ValueError, "at least 1"),
        (-2, ValueError, "at least 1"),
        (1.5, TypeError, "whole number"),
        (True, TypeError, "whole number"),
        ("2", TypeError, "whole number"),
    ],
)
def test_set_num_threads_refuses_bad_counts(bad, error, message, threads):
    threads(2)
    with pytest.raises(error, match=message):
        rk.set_num_threads(bad)
    assert rk.get_num_threads() == 2  # unchanged


def test_numpy_integers_are_counts(threads):
    threads(np.int64(3))
    assert rk.get_num_threads() == 3 and type(rk.get_num_threads()) is int


def test_small_blocks_stay_on_one_thread(threads):
    """Blocks below MIN_THREAD_BLOCK per thread run in the calling thread
    (there, handing Python's lock between threads costs more than it saves);
    large ones are shared."""
    names: dict[str, set] = {"small": set(), "large": set()}

    def kernel(kind):
        def k(t, p):
            names[kind].add(threading.current_thread().name)
            return t[:, 0]

        return k

    x = np.zeros((8 * _rowwise.BLOCK_ELEMENTS // 10, 10), dtype=np.float32)
    threads(2)
    _rowwise.rowwise(kernel("small"), x, x, block=_rowwise.MIN_THREAD_BLOCK)  # 2 threads would get half of it each
    _rowwise.rowwise(kernel("large"), x, x)
    assert names["small"] == {threading.current_thread().name}
    assert len(names["large"]) == 2


_FORK_SCRIPT = """
import multiprocessing, numpy as np, rkeraslosses as rk
from rkeraslosses.losses import _rowwise

def mse(t):
    return rk.losses.mean_squared_error(t, t[::-1])

if __name__ == "__main__":
    rk.set_num_threads(2)
    t = np.random.default_rng(0).random((4 * _rowwise.BLOCK_ELEMENTS // 10, 10), dtype=np.float32)
    expected = mse(t)  # the parent's pool now exists, with its threads
    with multiprocessing.get_context("fork").Pool(1) as pool:
        got = pool.apply_async(mse, (t,)).get(timeout=60)
    assert np.array_equal(got, expected)
    print("ok")
"""


def test_a_forked_child_gets_a_pool_of_its_own(tmp_path):
    """multiprocessing's default start on Linux is fork: the child inherits the
    pool object but not its threads. Without a new pool there, a large call in
    the child would wait forever for work no thread picks up (the script's
    60 s timeout fails it). A fresh interpreter, so that no other library's
    threads (JAX's, in the oracle environment) are forked along."""
    import multiprocessing
    import os
    import subprocess
    import sys

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")  # pragma: no cover - Windows
    script = tmp_path / "fork_child.py"
    script.write_text(_FORK_SCRIPT)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("fn, kwargs", _CASES, ids=lambda x: getattr(x, "__name__", None) or ("logits" if x else "probs"))
def test_a_rows_loss_does_not_depend_on_its_batch(fn, kwargs, order):
    """The per-sample losses of a large call (its blocks take the large-block
    paths: one-hot picks, shift-free log-sum-exp) are the same bits as those of
    the same rows in batches of 64 (the small-call paths), in C and Fortran
    order, with rows of zero labels, and with a soft-label row in the first block
    (which sends that whole block down the dense path): compile-style
    evaluation over large blocks must equal Keras' batch-by-batch loop."""
    n = 2 * _rowwise.BLOCK_ELEMENTS // 10 + 77
    t, p = _inputs(fn, n)
    if t.ndim == 2 and next(e for e in ENTRIES if e.fn is fn).labels in ("binary", "categorical"):
        t[10:13] = 0  # no label at all, in the block that the soft row below sends down the dense path
        step = _rowwise.BLOCK_ELEMENTS // 10
        t[step + 5 : step + 8] = 0  # and in a full block of one-hot rows (the last one is small)
        t[20, :2] = 0.5  # a soft row, in the first block only
    t, p = np.asarray(t, order=order), np.asarray(p, order=order)
    whole = fn(t, p, **kwargs)
    batches = np.concatenate([np.atleast_1d(fn(t[s : s + 64], p[s : s + 64], **kwargs)) for s in range(0, n, 64)])
    nan = np.isnan(whole)
    np.testing.assert_array_equal(np.isnan(batches), nan)
    differ = np.flatnonzero(whole[~nan].view(np.uint32) != batches[~nan].view(np.uint32))
    assert differ.size == 0, f"{fn.__name__}: {differ.size} rows differ, e.g. {whole[~nan][differ[:3]]} vs {batches[~nan][differ[:3]]}"
