"""Peak extra memory of a large loss call (issue 13: at most a quarter of one
input on (1e6, 10) float32).

The losses run over blocks of ``BLOCK_ELEMENTS`` so that no temporary has the
size of the input; a path that took the whole input as one block (a small
call's direct path without its size check, say) would make temporaries as
large as the input and fail here. The peak is tracemalloc's, which sees NumPy's
allocations; the result itself (one float32 per row, a tenth of an input) is
part of it. Memory, not time: the figure does not depend on the machine's load.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import losses as L

ROWS, CLASSES = 1_000_000, 10

#: (function, options, kind of y_true, kind of y_pred): the rows of benchmarks/bench_losses.py.
CASES = [
    (L.mean_squared_error, {}, "uniform", "prob"),
    (L.mean_absolute_error, {}, "uniform", "prob"),
    (L.mean_absolute_percentage_error, {}, "uniform", "prob"),
    (L.mean_squared_logarithmic_error, {}, "uniform", "prob"),
    (L.log_cosh, {}, "uniform", "prob"),
    (L.huber, {}, "uniform", "prob"),
    (L.cosine_similarity, {}, "uniform", "prob"),
    (L.hinge, {}, "binary", "prob"),
    (L.squared_hinge, {}, "binary", "prob"),
    (L.categorical_hinge, {}, "onehot", "prob"),
    (L.kl_divergence, {}, "uniform", "prob"),
    (L.poisson, {}, "uniform", "prob"),
    (L.binary_crossentropy, {}, "binary", "prob"),
    (L.binary_crossentropy, {}, "uniform", "prob"),
    (L.binary_crossentropy, {"from_logits": True}, "binary", "logits"),
    (L.categorical_crossentropy, {}, "onehot", "prob"),
    (L.categorical_crossentropy, {"from_logits": True}, "onehot", "logits"),
    (L.sparse_categorical_crossentropy, {}, "sparse", "prob"),
    (L.sparse_categorical_crossentropy, {"from_logits": True}, "sparse", "logits"),
]


def _make(kind: str, rng: np.random.Generator, labels: np.ndarray) -> np.ndarray:
    if kind == "uniform":
        return rng.uniform(0.0, 1.0, size=(ROWS, CLASSES)).astype(np.float32)
    if kind == "prob":
        return rng.uniform(0.01, 1.0, size=(ROWS, CLASSES)).astype(np.float32)
    if kind == "logits":
        return rng.normal(0.0, 3.0, size=(ROWS, CLASSES)).astype(np.float32)
    if kind == "binary":
        return rng.integers(0, 2, size=(ROWS, CLASSES)).astype(np.float32)
    if kind == "sparse":
        return labels
    one_hot = np.zeros((ROWS, CLASSES), dtype=np.float32)
    one_hot[np.arange(ROWS), labels] = 1
    return one_hot


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(("fn", "options", "true_kind", "pred_kind"), CASES, ids=lambda v: getattr(v, "__name__", None))
def test_large_call_peak_memory_is_at_most_a_quarter_of_one_input(fn, options, true_kind, pred_kind, threads):
    rng = np.random.default_rng(3)
    labels = rng.integers(0, CLASSES, size=ROWS)
    t, p = _make(true_kind, rng, labels), _make(pred_kind, rng, labels)
    with _threads(threads):
        fn(t, p, **options)  # warm up: the thread pool and cached constants are not the call's memory
        tracemalloc.start()
        try:
            out = fn(t, p, **options)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert out.shape == (ROWS,)
    assert peak <= 0.25 * p.nbytes, f"{fn.__name__} {options}: peak {peak / p.nbytes:.2f}x one input"


class _threads:
    """``rk.set_num_threads(n)`` for the block, then the previous setting."""

    def __init__(self, n: int):
        self.n = n

    def __enter__(self) -> None:
        self.previous = rk.set_num_threads(self.n)

    def __exit__(self, *exc: object) -> None:
        rk.set_num_threads(self.previous)
