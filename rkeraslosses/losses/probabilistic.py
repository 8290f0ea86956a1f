"""Probabilistic losses: crossentropies, Kullback-Leibler divergence, Poisson."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._inputs import (
    EPSILON,
    quiet,
    restore,
    as_class_labels,
    as_float_array,
    as_numeric_array,
    check_axis,
    check_bool,
    check_fraction,
    einsum,
    int_labels_below,
    same_shape_pair,
)
from .._options import check_ce_options, check_ignore_class, check_sparse_options
from .._reduction import register_masked
from ._rowwise import BLOCK_ELEMENTS, along_axis, casts_by_block, clip, const, constants, finite_sum, negated_mean, pairwise, prob_clip, rowdot, rowmax, rowmean, rowsum, rowwise, small_call
from .base import _BuiltinLoss
from .hinge import is_binary

#: Below this many elements the one-log-per-label shortcuts cost more than
#: they save (checking the labels is a few NumPy calls), so the plain formula runs.
_SMALL = 2048

# ---------------------------------------------------------------------------
# Kullback-Leibler divergence and Poisson
# ---------------------------------------------------------------------------


@casts_by_block
def kl_divergence(y_true: Any, y_pred: Any) -> np.ndarray:
    """``sum(y_true * log(y_true / y_pred), axis=-1)`` with both sides clipped to ``[1e-7, 1]``.

    Example:

        >>> kl_divergence([[0.5, 0.5]], [[0.5, 0.5]])
        array([0.], dtype=float32)
    """
    return pairwise(_kl, y_true, y_pred)


def _kl(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    t = clip(t, EPSILON, 1.0)
    ratio = clip(p, EPSILON, 1.0)
    np.divide(t, ratio, out=ratio)
    np.log(ratio, out=ratio)
    return rowdot(ratio, t)


@casts_by_block
def poisson(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)``.

    Example:

        >>> poisson([[1.0, 0.0]], [[1.0, 2.0]])
        array([1.5], dtype=float32)
    """
    return pairwise(_poisson, y_true, y_pred)


def _poisson(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    logs = p + constants(t.dtype).eps
    np.log(logs, out=logs)
    logs *= t
    np.subtract(p, logs, out=logs)
    return rowmean(logs)


# ---------------------------------------------------------------------------
# Binary crossentropy
# ---------------------------------------------------------------------------


@casts_by_block
def binary_crossentropy(
    y_true: Any, y_pred: Any, *, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> np.ndarray:
    """Binary crossentropy, averaged over ``axis``.

    With ``label_smoothing = ls`` the labels become ``y_true * (1 - ls) + 0.5 * ls``.
    Probabilities are clipped to ``[1e-7, 1 - 1e-7]`` and the loss is
    ``-(t log q + (1 - t) log(1 - q))``; logits use the stable form
    ``max(x, 0) - x t + log1p(exp(-|x|))``, finite for every finite logit.

    Args:
        y_true: labels in [0, 1], shape ``(batch, d0, ..., dN)``.
        y_pred: probabilities (or logits with ``from_logits=True``), same shape.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: a number in [0, 1].
        axis: the axis the mean is taken over.

    Returns:
        Per-sample losses, the input shape without ``axis``.

    Example:

        >>> binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        array([0.91629076, 0.7135582 ], dtype=float32)
    """
    if _plain_options(from_logits, label_smoothing, axis):
        out = small_call(_bce_logits if from_logits else _bce_probs, y_true, y_pred)
        if out is not None:
            return out
    from_logits = check_bool(from_logits, "from_logits")
    ls = check_fraction(label_smoothing, "label_smoothing")
    t, p = same_shape_pair(y_true, y_pred)
    axis = check_axis(axis, t.ndim)
    kernel = _bce_logits if from_logits else _bce_probs
    return along_axis(lambda t, p: kernel(_smooth_binary(t, ls), p), axis, t, p)


def _smooth_binary(t: np.ndarray, ls: float) -> np.ndarray:
    if not ls:
        return t
    smoothed = t * t.dtype.type(1.0 - ls)
    smoothed += t.dtype.type(0.5 * ls)
    return smoothed


def _bce_probs(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    k = constants(p.dtype)
    q = prob_clip(p)
    # One formula for every label and block size, so that a row's loss is the
    # same bits in any batch or block (evaluation over large blocks must equal
    # the batch-by-batch loop). A shortcut for labels of exactly 0 and 1 (one
    # logarithm per element, log |q + t - 1|, then one row sum) summed the same
    # terms in another grouping than the two sums below: a row's loss moved by
    # an ulp between a large block and a small batch. Making it sum as these
    # two do would cost what it saved.
    log_not_q = np.subtract(k.one, q)
    np.log(log_not_q, out=log_not_q)
    np.log(q, out=q)
    # -(sum t log q + sum (1 - t) log(1 - q)) / n: both sums are of terms <= 0,
    # so summing them apart (two einsum passes, no products to store) rounds
    # like Keras' sum of the elementwise terms.
    out = rowdot(q, t)
    out += rowdot(log_not_q, np.subtract(k.one, t, out=q))
    return negated_mean(out, t.shape[-1])


def _bce_logits(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    # max(x, 0) - x*t + log(1 + exp(-|x|)): exp only ever sees non-positive
    # arguments, so it cannot overflow (logits of +-1e4 give finite losses).
    out = np.abs(x)
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    out += np.maximum(x, constants(x.dtype).zero)
    out -= x * t
    return rowmean(out)


# ---------------------------------------------------------------------------
# Categorical crossentropies
# ---------------------------------------------------------------------------


def _log_probs(x: np.ndarray, from_logits: bool) -> np.ndarray:
    """Dense log-probabilities of a 2-D block, as Keras computes them.

    Logits: ``log_softmax`` (see :func:`_row_lse`). Probabilities:
    renormalised to sum to 1 along the row, then clipped to ``[1e-7, 1 - 1e-7]``.
    """
    if from_logits:
        lse, shift, _ = _row_lse(x)
        if shift is None:
            z = np.subtract(x, lse[:, None])
        else:
            z = x - shift[:, None]
            z -= lse[:, None]
        # A log-probability is never above 0 (Keras' shifted formula keeps it
        # so); without the shift, rounding can leave one a few ulps above.
        return np.minimum(z, constants(z.dtype).zero, out=z)
    q = x / rowsum(x)[:, None]
    prob_clip(q, out=q)
    return np.log(q, out=q)


def _cce_dense(t: np.ndarray, x: np.ndarray, from_logits: bool) -> np.ndarray:
    out = rowdot(_log_probs(x, from_logits), t)
    return np.negative(out, out=out)


def _picked_log_probs(x: np.ndarray, picked: np.ndarray, from_logits: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """Log-probabilities of one entry per row, from the row's values ``x`` and
    the entry's value ``picked``, and a per-row flag saying the row's statistics
    are finite, so that the dense formula would give the same number (None
    when every row's are).

    Where the flag is False (NaN or infinite inputs, an all-zero row) the caller
    recomputes that row densely, so NaN and infinities behave exactly as in Keras.
    """
    if from_logits:
        # The same arithmetic as the dense log_softmax (_log_probs) for the
        # picked entry, so that a row's loss is the same bits whichever path,
        # block size or batch it is computed in.
        lse, shift, e = _row_lse(x)
        if shift is not None:
            picked = picked - shift
            picked -= lse
        else:
            picked = picked - lse
        np.minimum(picked, constants(picked.dtype).zero, out=picked)  # as the dense formula does
        # A row with an infinite or NaN logit: the dense formula (0 * inf is
        # NaN, as in Keras) decides it. One reduction clears the whole block;
        # on a small one, a count of the exp values is 0.5 µs less: when no
        # row took the shift, NaN and +inf cannot be there (they put a row
        # outside the no-shift range), and -inf is the only other value whose
        # exp is 0 (a zero from a finite logit far below the others only costs
        # the reduction). On a large block the count is the slower pass.
        finite = e is not None and e.size <= _SMALL and np.count_nonzero(e) == e.size
        ok = None if finite or finite_sum(x) else np.isfinite(rowsum(x))
        return picked, None if ok is None or ok.all() else ok
    s = rowsum(x)
    # s / s is exactly 1 where s is finite and non-zero: one division and one
    # sum check every row (the row-wise flags only when one fails).
    ratio = s / s
    ok = None if einsum("i->", ratio) == ratio.size else np.isfinite(s) & (s != 0)
    picked = picked / s
    prob_clip(picked, out=picked)
    return np.log(picked, out=picked), ok


#: Rows whose ``log(sum(exp(x)))`` lies in ``[-16, 16]`` take log-sum-exp
#: without a shift (see :func:`_row_lse`): ``|log(s)| <= 16`` bounds the
#: rounding of ``x_k - log(s)`` by half an ulp of 16 (1e-6 in float32), the size
#: of the rounding Keras' own shifted formula makes on logits of that size.
_NO_SHIFT_BOUND = 16.0
_NO_SHIFT_BOUNDS = {dt: const(dt, _NO_SHIFT_BOUND) for dt in (np.dtype(np.float32), np.dtype(np.float64))}
_NO_SHIFT_DTYPES = frozenset(_NO_SHIFT_BOUNDS)


def _outside_no_shift_range(lse: np.ndarray) -> np.ndarray | None:
    """The rows whose ``log(sum(exp(x)))`` lies outside ``[-16, 16]`` (NaN
    included), or None when there is none: one count clears a block
    (``count_nonzero`` of a boolean array is a plain C call, 0.3 µs less than a
    maximum reduction on a small block, and the flags are then at hand)."""
    inside = np.less_equal(np.abs(lse), _NO_SHIFT_BOUNDS[lse.dtype])  # NaN <= 16 is False
    if np.count_nonzero(inside) == inside.size:
        return None
    return np.logical_not(inside, out=inside)


def _row_lse(x: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """For a 2-D block of logits: per-row ``log(sum(exp(x - shift)))``, the
    per-row ``shift`` (None when every row's shift is 0), and ``exp(x)`` when
    no row needed the shift (else None).

    Any per-row shift gives the same log_softmax; Keras subtracts the row
    maximum, a broadcast subtraction and a maximum along a short axis that
    NumPy runs several times slower than a plain pass. Where ``exp`` neither
    overflows nor leaves the sum tiny, no shift is needed: one ``exp`` and one
    row sum. A row whose ``log(sum(exp(x)))`` falls outside ``[-16, 16]``
    (large logits, infinities, NaN), and every row in float16, is computed as
    Keras does, with its maximum. The choice depends on the row alone, never
    on the other rows of the block, so a sample's loss is the same in any batch
    or block (compile-style evaluation over large blocks relies on it).
    """
    if x.dtype in _NO_SHIFT_DTYPES:
        e = np.exp(x)
        lse = rowsum(e)
        np.log(lse, out=lse)
        bad = _outside_no_shift_range(lse)
        if bad is None:
            return lse, None, e
    else:
        lse = np.empty(x.shape[0], dtype=x.dtype)
        bad = slice(None)
    shift = np.zeros_like(lse)
    xb = x[bad]
    m = rowmax(xb)
    sb = rowsum(np.exp(xb - m[:, None]))
    lse[bad] = np.log(sb, out=sb)
    shift[bad] = m
    return lse, shift, None


def _one_hot_index(t: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """For labels of 0s and 1s with at most one 1 per row: (count of 1s per row,
    index of the 1); None otherwise. One check pass and one matrix product
    (``t @ [ones, 0..C-1]``: both row statistics for the cost of one)."""
    if not is_binary(t):
        return None
    c = t.shape[1]
    w = _INDEX_WEIGHTS.get((c, t.dtype))
    if w is None:
        w = np.stack([np.ones(c, dtype=t.dtype), np.arange(c, dtype=t.dtype)], axis=1)
        if len(_INDEX_WEIGHTS) < 64:
            _INDEX_WEIGHTS[(c, t.dtype)] = w
    stats = t.dot(w)
    count = stats[:, 0]
    if (count > 1).any():
        return None
    return count, stats[:, 1].astype(np.intp)


_INDEX_WEIGHTS: dict[tuple[int, np.dtype], np.ndarray] = {}


def _take_rows(x: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``x[i, index[i]]`` for every row (a flat ``take``: 2.5x faster than ``x[arange, index]``)."""
    global _BLOCK_STARTS
    n, c = x.shape
    if n * c > _SMALL and x.flags.c_contiguous:
        shape, starts = _BLOCK_STARTS
        if shape != (n, c):
            starts = np.arange(0, n * c, c)
            starts.flags.writeable = False
            _BLOCK_STARTS = ((n, c), starts)
        return x.reshape(-1).take(starts + index)
    rows = _ROWS.get(n)
    if rows is None:
        rows = np.arange(n)
        rows.flags.writeable = False
        if n <= 4096 and len(_ROWS) < 64:  # small ones only: at most 2 MB in all
            _ROWS[n] = rows
    return x[rows, index]  # fewer calls: faster for a small block


#: ``np.arange(n)`` of small blocks, kept: making it was a third of the pick's 1.4 µs.
_ROWS: dict[int, np.ndarray] = {}

#: The flat offset of each row of the last large block shape picked from: the
#: blocks of a large call share one shape (only its last block differs), so one
#: slot saves making it per block (10 µs of a 256K-element block's 200 µs;
#: sparse crossentropy on (1e6, 10) float32 16.0 -> 15.1 ms, interleaved with
#: the code before). Replaced whole, never written to: the threads of a call
#: may read it at once.
_BLOCK_STARTS: tuple[tuple[int, int], np.ndarray] = ((0, 0), np.empty(0, dtype=np.intp))


def _cce_block(t: np.ndarray, x: np.ndarray, from_logits: bool, ls: float) -> np.ndarray:
    if ls:
        dt = x.dtype.type
        t = t * dt(1.0 - ls)
        t += dt(ls) / dt(t.shape[1])
        return _cce_dense(t, x, from_logits)
    if t.size <= _SMALL:
        return _cce_dense(t, x, from_logits)
    one_hot = _one_hot_index(t)
    if one_hot is None:
        return _cce_dense(t, x, from_logits)
    # One-hot labels (a row may also be all zeros): the dense sum has one
    # non-zero term, t_k log q_k, so one logarithm per row instead of one per
    # element, with the same result (x_k is exactly rowsum(t * x)).
    count, index = one_hot
    picked, ok = _picked_log_probs(x, _take_rows(x, index), from_logits)
    picked *= count
    picked += constants(picked.dtype).zero  # -0 -> +0 as the dense sum's +0 start does, so the loss is -0.0 like Keras'
    out = np.negative(picked, out=picked)
    if ok is not None:
        bad = ~ok
        out[bad] = _cce_dense(t[bad], x[bad], from_logits)
    return out


@casts_by_block
def categorical_crossentropy(
    y_true: Any, y_pred: Any, *, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> np.ndarray:
    """Categorical crossentropy between one-hot (or soft) labels and predictions.

    With ``label_smoothing = ls`` and ``C`` classes the labels become
    ``y_true * (1 - ls) + ls / C``. Logits: ``-sum(t * log_softmax(y_pred))``.
    Probabilities: renormalised along ``axis``, clipped to ``[1e-7, 1 - 1e-7]``,
    then ``-sum(t * log(q))``.

    Args:
        y_true: one-hot labels, shape ``(batch, ..., num_classes)``.
        y_pred: probabilities (or logits with ``from_logits=True``), same shape.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: a number in [0, 1].
        axis: the class axis.

    Returns:
        Per-sample losses, the input shape without ``axis``.

    Example (seed page 001):

        >>> categorical_crossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        array([0.05129331, 2.3025851 ], dtype=float32)
    """
    if _plain_options(from_logits, label_smoothing, axis):
        out = small_call(_cce_logits if from_logits else _cce_probs, y_true, y_pred)
        if out is not None:
            return out
    from_logits = check_bool(from_logits, "from_logits")
    ls = check_fraction(label_smoothing, "label_smoothing")
    t, p = same_shape_pair(y_true, y_pred)
    axis = check_axis(axis, t.ndim)
    if p.shape[axis] == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be (batch_size, num_classes) "
            f"with num_classes > 1. Received: y_pred.shape={p.shape}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.",
            UserWarning,
            stacklevel=2,
        )
    return along_axis(lambda t, x: _cce_block(t, x, from_logits, ls), axis, t, p)



def _cce_probs(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    return _cce_block(t, x, False, 0.0)


def _cce_logits(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    return _cce_block(t, x, True, 0.0)


def _plain_options(from_logits: object, label_smoothing: object, axis: object) -> bool:
    """Whether a crossentropy's options are valid as given, without smoothing,
    over the last axis: then a small call may skip the checks (:func:`small_call`,
    :func:`_small_sparse_call`)."""
    return (
        (from_logits is False or from_logits is True)
        and label_smoothing.__class__ is float
        and label_smoothing == 0.0
        and axis.__class__ is int
        and axis == -1
    )


def _sparse_inputs(y_true: Any, y_pred: Any, axis: int, ignore_class: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Validate sparse labels against predictions; return (labels, predictions with the
    class axis last, valid mask or None). Labels are checked against the class count,
    except at ignored positions."""
    p = as_float_array(y_pred, "y_pred")
    if p.ndim == 0:
        raise ValueError(f"Argument `y_pred` must have a class axis. Received: y_pred.shape={p.shape}")
    axis = check_axis(axis, p.ndim)
    labels = as_numeric_array(y_true, "y_true")
    if labels.ndim == p.ndim and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    expected = p.shape[:axis] + p.shape[axis + 1 :]
    if labels.shape != expected:
        raise ValueError(
            "Argument `y_true` must hold one integer label per sample: its shape must be "
            f"y_pred's shape without the class axis, {expected}. "
            f"Received: y_true.shape={labels.shape}, y_pred.shape={p.shape}"
        )
    n_classes = p.shape[axis]
    valid = None
    if ignore_class is not None:
        valid = np.asarray(labels != ignore_class)
        labels = np.where(valid, labels, 0)
    labels = as_class_labels(labels, "y_true", n_classes)
    if axis != p.ndim - 1:
        p = np.moveaxis(p, axis, -1)  # 2.8 µs even when there is nothing to move
    return labels, p, valid


def _scce_rows(labels: np.ndarray, x: np.ndarray, from_logits: bool) -> np.ndarray:
    picked, ok = _picked_log_probs(x, _take_rows(x, labels), from_logits)
    out = np.negative(picked, out=picked)
    if ok is not None:
        bad = ~ok
        one_hot = np.zeros((int(bad.sum()), x.shape[1]), dtype=x.dtype)
        one_hot[np.arange(one_hot.shape[0]), labels[bad]] = 1
        out[bad] = _cce_dense(one_hot, x[bad], from_logits)
    return out


def _small_sparse_call(y_true: object, y_pred: object, from_logits: bool) -> np.ndarray | None:
    """The losses of a call that needs no conversion and no block loop (as
    :func:`~._rowwise.small_call` for two same-shape arrays), else None: a 1-D
    NumPy array of integer labels, all in range, and a 2-D floating one of
    predictions with a row per label, at most one block. Validation would hand
    exactly these arrays to :func:`_scce_rows`."""
    if type(y_pred) is not np.ndarray or type(y_true) is not np.ndarray:
        return None
    shape = y_pred.shape  # read once, as in small_call
    if not (
        len(shape) == 2
        and y_true.ndim == 1
        and y_true.shape[0] == shape[0]
        and y_pred.dtype.kind == "f"
        and y_pred.size <= BLOCK_ELEMENTS
    ):
        return None
    labels = int_labels_below(y_true, shape[1])
    if labels is None:
        return None
    token = quiet()
    try:
        return _scce_rows(labels, y_pred, from_logits)
    finally:
        restore(token)


def _scce_with_mask(
    y_true: Any, y_pred: Any, *, from_logits: bool = False, ignore_class: int | None = None, axis: int = -1
) -> tuple[np.ndarray, np.ndarray | None]:
    if ignore_class is None and _plain_options(from_logits, 0.0, axis):
        out = _small_sparse_call(y_true, y_pred, from_logits)
        if out is not None:
            return out, None
    from_logits = check_bool(from_logits, "from_logits")
    ignore_class = check_ignore_class(ignore_class)
    labels, x, valid = _sparse_inputs(y_true, y_pred, axis, ignore_class)
    if x.ndim == 2 and x.size <= BLOCK_ELEMENTS:  # one block: no reshaping (a small call)
        token = quiet()
        try:
            out = _scce_rows(labels, x, from_logits)
        finally:
            restore(token)
    else:
        out = rowwise(lambda lab, x: _scce_rows(lab[:, 0], x, from_logits), labels[..., None], x)
    if valid is not None:
        out = np.where(valid, out, out.dtype.type(0))
        out = out if out.ndim else out[()]
    return out, valid


@casts_by_block(integer_labels=True)
def sparse_categorical_crossentropy(
    y_true: Any, y_pred: Any, *, from_logits: bool = False, ignore_class: int | None = None, axis: int = -1
) -> np.ndarray:
    """Categorical crossentropy with integer labels (0-based class indices).

    The same number as :func:`categorical_crossentropy` on the one-hot labels,
    computed without building them. A trailing label axis of size 1 is dropped.
    With ``ignore_class``, positions labelled with it get loss 0 (and a Loss
    object leaves them out of the mean). Unlike TensorFlow on a GPU, a label out
    of range is a ValueError, never a NaN.

    Args:
        y_true: integer labels, shape ``(batch, ...)`` (or ``(batch, ..., 1)``).
        y_pred: probabilities or logits, shape ``(batch, ..., num_classes)``.
        from_logits: whether ``y_pred`` holds logits.
        ignore_class: a label value to leave out (e.g. a padding class), or None.
        axis: the class axis of ``y_pred``.

    Returns:
        Per-sample losses, ``y_pred``'s shape without ``axis``.

    Example (seed page 001, with integer labels):

        >>> sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        array([0.05129331, 2.3025851 ], dtype=float32)
    """
    return _scce_with_mask(y_true, y_pred, from_logits=from_logits, ignore_class=ignore_class, axis=axis)[0]


register_masked(sparse_categorical_crossentropy, _scce_with_mask)


# ---------------------------------------------------------------------------
# Loss classes
# ---------------------------------------------------------------------------


class KLDivergence(_BuiltinLoss):
    """Loss object for :func:`kl_divergence`."""

    _fn = staticmethod(kl_divergence)
    _default_name = "kl_divergence"


class Poisson(_BuiltinLoss):
    """Loss object for :func:`poisson`."""

    _fn = staticmethod(poisson)
    _default_name = "poisson"



class BinaryCrossentropy(_BuiltinLoss):
    """Loss object for :func:`binary_crossentropy`.

    Example:

        >>> print(BinaryCrossentropy()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]))
        0.8149245
    """

    _fn = staticmethod(binary_crossentropy)
    _default_name = "binary_crossentropy"

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "binary_crossentropy",
        dtype: Any = None,
    ):
        self._setup(reduction, name, dtype, **check_ce_options(from_logits, label_smoothing, axis))


class CategoricalCrossentropy(_BuiltinLoss):
    """Loss object for :func:`categorical_crossentropy`.

    Example (seed page 001):

        >>> y_true = [[0, 1, 0], [0, 0, 1]]
        >>> y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
        >>> cce = CategoricalCrossentropy()
        >>> round(float(cce(y_true, y_pred)), 3)
        1.177
        >>> round(float(cce(y_true, y_pred, sample_weight=[0.3, 0.7])), 3)
        0.814
        >>> round(float(CategoricalCrossentropy(reduction="sum")(y_true, y_pred)), 3)
        2.354
        >>> CategoricalCrossentropy(reduction=None)(y_true, y_pred).round(4)
        array([0.0513, 2.3026], dtype=float32)
    """

    _fn = staticmethod(categorical_crossentropy)
    _default_name = "categorical_crossentropy"

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "categorical_crossentropy",
        dtype: Any = None,
    ):
        self._setup(reduction, name, dtype, **check_ce_options(from_logits, label_smoothing, axis))



class SparseCategoricalCrossentropy(_BuiltinLoss):
    """Loss object for :func:`sparse_categorical_crossentropy`.

    With ``ignore_class``, ignored positions are left out of the mean's count.

    Example:

        >>> scce = SparseCategoricalCrossentropy(ignore_class=2)
        >>> round(float(scce([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 4)
        0.0513
    """

    _fn = staticmethod(sparse_categorical_crossentropy)
    _default_name = "sparse_categorical_crossentropy"
    _same_rank_inputs = False
    _labels_as_floats = False

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ):
        self._setup(reduction, name, dtype, **check_sparse_options(from_logits, ignore_class, axis))
