"""Accuracy metrics (what ``compile(metrics=["accuracy"])`` resolves to)."""

from __future__ import annotations

from typing import Any

import numpy as np

import numbers

from .._inputs import _describe, as_class_labels, as_float_array, as_numeric_array, check_bool, same_shape_pair
from ..losses._rowwise import cast_now, casts_by_block, rowwise
from ._argmax import MAX_COLUMNS, MIN_ROWS, argmax_rows
from .base import BuiltinMetric, builtin_metric

#: Scores per block in the top-k functions: the block (512 KB of float32) and
#: its (classes, rows) comparisons stay in cache between the passes over them.
#: Measured on (1e6, 10) float32 (ratio to the memory floor, top-k / sparse):
#: 32K 3.5 / 3.8, 64K 3.0 / 3.35, 128K 2.85 / 3.2, 256K 3.0 / 3.3.
_TOPK_BLOCK_ELEMENTS = 1 << 17

try:  # np.einsum's C core, without the Python wrapper's microsecond (the same function, the same bits)
    from numpy._core.multiarray import c_einsum as _einsum
except ImportError:  # pragma: no cover - NumPy 1.x
    try:
        from numpy.core.multiarray import c_einsum as _einsum
    except ImportError:
        _einsum = np.einsum

def accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where ``y_true == y_pred``, else 0.0 (elementwise).

    >>> accuracy([[1, 2]], [[1, 3]])
    array([[1., 0.]], dtype=float32)
    """
    t, p = same_shape_pair(y_true, y_pred)
    return (t == p).astype(np.float32)


def binary_accuracy(y_true: Any, y_pred: Any, *, threshold: float = 0.5) -> np.ndarray:
    """1.0 where ``y_true`` equals ``y_pred > threshold`` (elementwise).

    >>> binary_accuracy([[1], [0]], [[0.7], [0.6]])
    array([[1.],
           [0.]], dtype=float32)
    """
    t, p = same_shape_pair(y_true, y_pred)
    return (t == (p > threshold).astype(t.dtype)).astype(np.float32)


@casts_by_block
def categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where the arg-max class of ``y_pred`` is the one-hot ``y_true``'s.

    >>> categorical_accuracy([[0, 1], [1, 0]], [[0.3, 0.7], [0.2, 0.8]])
    array([1., 0.], dtype=float32)
    """
    t, p = same_shape_pair(y_true, y_pred)
    if not _blockwise_argmax(t, p):
        t, p = cast_now(t, p)
        return (np.argmax(t, axis=-1) == np.argmax(p, axis=-1)).astype(np.float32)
    return rowwise(_same_argmax, t, p, block=_TOPK_BLOCK_ELEMENTS).astype(np.float32, copy=False)


def _same_argmax(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    return np.equal(argmax_rows(t), argmax_rows(p))


def _label_is_argmax(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    return np.equal(t[:, 0], argmax_rows(p))


def _blockwise_argmax(*arrays: np.ndarray) -> bool:
    """Whether the arg-max of the last axis is worth :func:`rowwise`'s blocks
    of :func:`argmax_rows` (3x faster than ``np.argmax`` over short rows, its
    temporaries in cache): enough rows (a few go to ``np.argmax`` directly,
    without the block loop's microseconds); plain arrays (a masked array's
    ``argmax`` skips its masked values); 2-D, or C-contiguous, so that the
    rows are a view (a copy of each input would hold more memory than
    ``np.argmax``'s one at a time). Both paths give ``np.argmax``'s numbers."""
    p = arrays[-1]
    if not (p.ndim >= 2 and 2 <= p.shape[-1] <= MAX_COLUMNS and p.size // p.shape[-1] >= MIN_ROWS):
        return False
    return all(type(a) is np.ndarray and (a.ndim == 2 or a.flags.c_contiguous) for a in arrays)


@casts_by_block
def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where the arg-max class of ``y_pred`` is the integer label ``y_true``.

    >>> sparse_categorical_accuracy([1, 0], [[0.3, 0.7], [0.2, 0.8]])
    array([1., 0.], dtype=float32)
    """
    p = as_float_array(y_pred, "y_pred")
    t = as_float_array(y_true, "y_true", p.dtype)
    if t.ndim == p.ndim and t.ndim and t.shape[-1] == 1:
        t = t[..., 0]
    if t.shape != p.shape[:-1]:
        raise ValueError(
            "Argument `y_true` must hold one label per sample. "
            f"Received: y_true.shape={t.shape}, y_pred.shape={p.shape}"
        )
    if not _blockwise_argmax(t, p):
        t, p = cast_now(t, p)
        return (t == np.argmax(p, axis=-1)).astype(np.float32)
    return rowwise(_label_is_argmax, t[..., np.newaxis], p, block=_TOPK_BLOCK_ELEMENTS).astype(np.float32, copy=False)


Accuracy = builtin_metric("Accuracy", accuracy, "accuracy", __name__)
CategoricalAccuracy = builtin_metric("CategoricalAccuracy", categorical_accuracy, "categorical_accuracy", __name__)
SparseCategoricalAccuracy = builtin_metric("SparseCategoricalAccuracy", sparse_categorical_accuracy, "sparse_categorical_accuracy", __name__)


class BinaryAccuracy(BuiltinMetric):
    """Stateful binary accuracy: the share of ``y_pred > threshold`` equal to ``y_true``."""

    _fn_static = staticmethod(binary_accuracy)
    _default_name = "binary_accuracy"

    def __init__(self, name: str | None = "binary_accuracy", dtype: Any = None, threshold: float = 0.5):
        self._setup(name, dtype, threshold=float(threshold))


# ------------------------------------------------------------------ top-k


def check_k(k: Any) -> int:
    """Validate ``k`` of the top-k metrics: a whole number >= 1 (R hands whole doubles)."""
    if isinstance(k, bool) or not isinstance(k, numbers.Real):
        raise TypeError(f"Argument `k` must be a positive integer. Received: k={_describe(k)}")
    if k != int(k) or k < 1:
        raise ValueError(f"Argument `k` must be an integer >= 1 (how many top-scored classes count as a hit). Received: k={k!r}")
    return int(k)


def _scores_2d(p: np.ndarray) -> np.ndarray:
    if p.ndim == 0:
        raise ValueError(f"Argument `y_pred` must hold one score per class on its last axis. Received: y_pred.shape={p.shape}")
    if p.shape[-1] == 0:
        raise ValueError(f"Argument `y_pred` must have at least one class on its last axis. Received: y_pred.shape={p.shape}")
    return np.ascontiguousarray(p.reshape(-1, p.shape[-1]))


def _row_sums(x: np.ndarray) -> np.ndarray:
    """Row sums of a short-rowed block. einsum's summing loop, not ``sum(axis=1)``
    (a slow per-row reduction for 10 columns) nor a BLAS product (whose threads
    fight over the cores on a busy machine)."""
    return _einsum("ij->i", x)


#: Rows of at most this many classes count the scores above the label's one
#: column by column (uint8 counts); wider rows compare the block at once.
_TOPK_MAX_COLUMNS = 32


def _top_k_block(scores: np.ndarray, at: np.ndarray, k: int, buf: np.ndarray) -> np.ndarray:
    """Rows where fewer than ``k`` scores are strictly greater than ``at``: a
    comparison count (no sort), so tied scores at the boundary all count as in
    the top k, as in Keras (TensorFlow's ``in_top_k``, JAX's rank count).
    ``at`` holds scores of the block (a row's score at its label); ``buf`` is
    a ``(classes, rows)`` bool buffer, or ``(rows, classes)`` of the scores' dtype."""
    rows, width = scores.shape
    if buf.dtype == bool:
        # One comparison per column into a (classes, rows) buffer, then the
        # count per row by adding its rows: NumPy's comparison of a block with
        # a (rows, 1) column, and einsum's row sums, loop over 10 elements at a time.
        for j in range(width):
            np.greater(scores[:, j], at, out=buf[j])
        count = np.add.reduce(buf.view(np.uint8), axis=0, dtype=np.uint8)
        hit = count < min(k, width)  # count <= width - 1: k >= width hits every row
    else:
        np.greater(scores, at[:, None], out=buf, casting="unsafe")
        hit = _row_sums(buf) < k  # the count, exact in floating point (at most the number of classes)
    # Every score is finite when the block's largest is below inf and its
    # smallest above -inf (NaN fails both), the scores at the labels included.
    if not (np.maximum.reduce(scores, axis=None) < np.inf and np.minimum.reduce(scores, axis=None) > -np.inf):
        # TensorFlow's in_top_k: a row with a non-finite score (NaN, inf) is a miss.
        hit &= np.isfinite(scores).all(axis=1) & np.isfinite(at)
    return hit


def _in_top_k(score_at_label: Any, scores: np.ndarray, k: int) -> np.ndarray:
    """Whether each row's score at its label is in the row's top ``k``;
    ``score_at_label(start, stop, block)`` gives those scores for a block of rows."""
    n, c = scores.shape
    out = np.empty(n, dtype=bool)
    rows = max(1, _TOPK_BLOCK_ELEMENTS // max(c, 1))
    columns = c <= _TOPK_MAX_COLUMNS
    buf = np.empty((c, min(rows, n)), dtype=bool) if columns else np.empty((min(rows, n), c), dtype=scores.dtype)
    for start in range(0, n, rows):
        block = scores[start : start + rows]
        at = score_at_label(start, start + len(block), block)
        out[start : start + len(block)] = _top_k_block(block, at, k, buf[:, : len(block)] if columns else buf[: len(block)])
    return out


def _row_starts(n: int, c: int) -> np.ndarray:
    return np.arange(0, n * c, c, dtype=np.intp)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, *, k: int = 5) -> np.ndarray:
    """1.0 where the class of the one-hot ``y_true`` (its arg-max) is among the
    ``k`` highest scores of ``y_pred``, else 0.0; one value per sample.

    Ties at the k-th score all count as hits and ``k`` >= the number of classes
    hits every sample, as in Keras; a sample with a non-finite score is a miss
    (TensorFlow's ``in_top_k``).

    >>> top_k_categorical_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1)
    array([0., 1.], dtype=float32)
    """
    k = check_k(k)
    t, p = same_shape_pair(y_true, y_pred)
    out_shape = p.shape[:-1]
    scores = _scores_2d(p)
    onehot = t.reshape(scores.shape)

    starts = _row_starts(min(len(scores), max(1, _TOPK_BLOCK_ELEMENTS // max(scores.shape[1], 1))), scores.shape[1])

    def score_at_label(start: int, stop: int, block: np.ndarray) -> np.ndarray:
        # Keras: the label is y_true's first maximum (np.argmax's, NaN rules
        # included), one-hot or not; its score is gathered from the block.
        labels = argmax_rows(onehot[start:stop])
        return block.reshape(-1)[np.add(starts[: len(block)], labels)]

    hits = _in_top_k(score_at_label, scores, k)
    return hits.astype(np.float32).reshape(out_shape)


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, *, k: int = 5, from_sorted_ids: bool = False) -> np.ndarray:
    """1.0 where the integer label ``y_true`` is among the ``k`` highest scores
    of ``y_pred``, else 0.0; one value per label.

    With ``from_sorted_ids=True``, ``y_pred`` holds class ids sorted from the
    highest score down (at least ``k`` per sample) and a hit is ``y_true``
    among its first ``k``.

    Labels must be 0-based, in ``[0, num_classes)`` (we differ: Keras' result
    depends on the backend there); ties and ``k`` as in
    :func:`top_k_categorical_accuracy`.

    >>> sparse_top_k_categorical_accuracy([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1)
    array([0., 1.], dtype=float32)
    >>> sparse_top_k_categorical_accuracy([2, 1], [[1, 2], [0, 2]], k=2, from_sorted_ids=True)
    array([1., 0.], dtype=float32)
    """
    k = check_k(k)
    from_sorted_ids = check_bool(from_sorted_ids, "from_sorted_ids")
    if from_sorted_ids:
        p = as_float_array(y_pred, "y_pred")
        t = as_float_array(y_true, "y_true", p.dtype)
    else:
        p = as_float_array(y_pred, "y_pred")
        t = as_numeric_array(y_true, "y_true")
    out_shape = t.shape  # Keras returns y_true's shape, (n, 1) labels included
    if t.ndim == p.ndim and t.ndim and t.shape[-1] == 1:
        t = t[..., 0]
    if p.ndim == 0 or t.shape != p.shape[:-1]:
        raise ValueError(
            "Argument `y_true` must hold one label per sample: y_true.shape must be y_pred.shape "
            f"without its last axis. Received: y_true.shape={out_shape}, y_pred.shape={p.shape}"
        )
    scores = _scores_2d(p)
    labels = t.reshape(-1)
    if from_sorted_ids:
        if scores.shape[1] < k:
            raise ValueError(
                f"With from_sorted_ids=True, y_pred must hold at least k={k} sorted ids per sample. "
                f"Received: y_pred.shape={p.shape}"
            )
        hits = (scores[:, :k] == labels[:, None]).any(axis=1)
        return hits.astype(np.float32).reshape(out_shape)
    labels = as_class_labels(labels, "y_true", scores.shape[1])
    n, c = scores.shape
    starts = _row_starts(min(n, max(1, _TOPK_BLOCK_ELEMENTS // max(c, 1))), c)

    def score_at_label(start: int, stop: int, block: np.ndarray) -> np.ndarray:
        # Gathered block by block, in cache (flat indices of one block: its rows' starts + labels).
        return block.reshape(-1)[np.add(starts[: len(block)], labels[start:stop])]

    hits = _in_top_k(score_at_label, scores, k)
    return hits.astype(np.float32).reshape(out_shape)


class TopKCategoricalAccuracy(BuiltinMetric):
    """How often the one-hot target's class is among the ``k`` top scores.

    >>> m = TopKCategoricalAccuracy(k=1)
    >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> print(m.result())
    0.5
    """

    _fn_static = staticmethod(top_k_categorical_accuracy)
    _default_name = "top_k_categorical_accuracy"

    def __init__(self, k: int = 5, name: str | None = "top_k_categorical_accuracy", dtype: Any = None):
        self._setup(name, dtype, k=check_k(k))


class SparseTopKCategoricalAccuracy(BuiltinMetric):
    """How often the integer target is among the ``k`` top scores.

    >>> m = SparseTopKCategoricalAccuracy(k=1)
    >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    >>> print(m.result())
    0.5
    """

    _fn_static = staticmethod(sparse_top_k_categorical_accuracy)
    _default_name = "sparse_top_k_categorical_accuracy"

    def __init__(
        self,
        k: int = 5,
        name: str | None = "sparse_top_k_categorical_accuracy",
        dtype: Any = None,
        from_sorted_ids: bool = False,
    ):
        self._setup(name, dtype, k=check_k(k), from_sorted_ids=check_bool(from_sorted_ids, "from_sorted_ids"))

    def get_config(self) -> dict[str, Any]:
        # Keras writes from_sorted_ids only when it is True.
        config = super().get_config()
        if not self.from_sorted_ids:
            del config["from_sorted_ids"]
        return config
