"""Confusion counts at thresholds: Keras' ``update_confusion_matrix_variables``
(``keras/src/metrics/metrics_utils.py``), without its ``n x T`` comparison.

Keras compares every prediction with every threshold (unless the thresholds
are evenly spaced). Here every prediction is put in a *bucket* once — the
number ``k`` of (sorted) thresholds it is strictly above — and the counts per
bucket (one ``np.bincount``, labels and label columns folded into the index)
become the counts per threshold by a reversed cumulative sum:

* evenly spaced thresholds (Keras' ``is_evenly_distributed_thresholds``):
  ``k = ceil(clip(p, 0, 1) * (T - 1))`` computed in the metric's dtype, the
  very formula of Keras' optimized path (so the same float rounding decides
  the boundaries); with the ``-epsilon``/``1 + epsilon`` end thresholds of
  ``AUC``, ``k = 0`` counts at the first threshold (Keras' ``relu``);
* any other thresholds: ``k = #{sorted thresholds < p}`` (strict
  ``p > threshold``, as Keras' comparison): one threshold is one comparison;
  more are looked up in a grid of ``2^m`` equal cells (``p * 2^m`` is exact,
  so only the few thresholds in ``p``'s own cell are compared), or found by
  ``searchsorted`` when many thresholds crowd one cell.

Work is ``O(n + T)``, done in chunks that stay in the CPU cache. A NaN score
is above no threshold in the comparison path (``NaN > t`` is False, as in
Keras) and falls in the lowest bucket in the evenly-spaced path (as Keras'
JAX backend casts it).
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from .._inputs import EPSILON, _describe, as_float_array, as_numeric_array, squeeze_or_expand_to_same_rank

#: Keras' ``metrics_utils.NEG_INF``: what ``top_k`` gives to the predictions it drops.
NEG_INF = -1e10

#: Elements per chunk: the temporaries of one chunk stay in the CPU cache.
CHUNK = 1 << 15

#: Interleaved partial sums per bin in the weighted single-threshold count.
_LANES = 16


# ----------------------------------------------------------------- options


def parse_thresholds(thresholds: Any, default: float) -> list[float]:
    """Keras' ``parse_init_thresholds``: a number or a list of numbers in [0, 1]
    (``None`` gives ``[default]``)."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    if isinstance(thresholds, np.ndarray) and thresholds.ndim == 0:
        values = [thresholds.item()]
    if not values:
        raise ValueError(f"Argument `thresholds` must hold at least one value in [0, 1]. Received: thresholds={thresholds!r}")
    bad = [t for t in values if t is None or isinstance(t, bool) or not isinstance(t, numbers.Real) or not 0 <= t <= 1]
    if bad:
        raise ValueError(f"Argument `thresholds`: threshold values must be in [0, 1]. Received: {bad}")
    return [float(t) for t in values]


def is_evenly_distributed(thresholds: Sequence[float]) -> bool:
    """Keras' ``is_evenly_distributed_thresholds``: ``i / (T - 1)`` within 1e-7, ``T >= 3``."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(np.asarray(thresholds, dtype=np.float64), even, atol=EPSILON))


def check_optional_int(value: Any, name: str, minimum: int) -> int | None:
    """``top_k`` (>= 1), ``class_id`` (>= 0): None or an integer."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)  # R passes whole numbers as doubles
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"Argument `{name}` must be an integer or None. Received: {name}={_describe(value)}")
    if value < minimum:
        raise ValueError(f"Argument `{name}` must be an integer >= {minimum} or None. Received: {name}={value}")
    return int(value)


def check_num_thresholds(value: Any, minimum: int) -> int:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"Argument `num_thresholds` must be an integer. Received: num_thresholds={_describe(value)}")
    if value < minimum:
        raise ValueError(f"Argument `num_thresholds` must be an integer >= {minimum}. Received: num_thresholds={value}")
    return int(value)


def check_unit(value: Any, name: str) -> float:
    """A target value of the X-at-Y metrics (``recall``, ``precision``, ...): a number in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Argument `{name}` must be a number in [0, 1]. Received: {name}={_describe(value)}")
    if not 0 <= value <= 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")
    return value


# ----------------------------------------------------------------- inputs


#: The bits of 1.0 per float dtype: a float label is in [+0, 1] (not NaN, not
#: negative) exactly when its bits, read as an unsigned integer, are at most these.
_ONE_BITS = {
    np.dtype(np.float16): (np.dtype(np.uint16), np.uint16(0x3C00)),
    np.dtype(np.float32): (np.dtype(np.uint32), np.uint32(0x3F800000)),
    np.dtype(np.float64): (np.dtype(np.uint64), np.uint64(0x3FF0000000000000)),
}


def check_labels_fast(t: np.ndarray) -> None:
    """:func:`check_labels` in one pass for float labels: the largest of their
    bits read as unsigned integers (a negative label, -0.0 included, or a NaN
    reads larger than 1.0 does); only then the exact check, which raises or
    accepts -0.0."""
    bits = _ONE_BITS.get(t.dtype)
    if bits is None or t.size == 0:
        check_labels(t)
    elif np.maximum.reduce(t.view(bits[0]), axis=None) > bits[1]:
        check_labels(t)


def check_labels(t: np.ndarray, name: str = "y_true") -> None:
    """Labels must be in [0, 1] (Keras casts them to bool: anything non-zero is positive)."""
    if t.size == 0 or t.dtype == np.bool_:
        return
    lo, hi = t.min(), t.max()
    if not (lo >= 0 and hi <= 1):
        bad = lo if not lo >= 0 else hi
        raise ValueError(
            f"Argument `{name}` must hold binary labels in [0, 1] (0 is negative, anything else positive). "
            f"Received: a label of {bad} in {name}"
        )


def align_sample_weight(
    sample_weight: Any, t: np.ndarray, shape: tuple[int, ...], dtype: np.dtype, cast_later: bool = False
) -> np.ndarray | None:
    """Keras' rule for the weights of a confusion metric: expand a last axis, squeeze it
    against ``y_true``'s rank, broadcast to the predictions' shape. A ``[batch_size]``
    vector weights every value of its sample (whatever the rank). ``cast_later``:
    as :func:`prepare`'s."""
    if sample_weight is None:
        return None
    w = _float_as_given(sample_weight) if cast_later else None
    if w is None:
        w = as_float_array(sample_weight, "sample_weight", dtype)
    if w.ndim and w.ndim == t.ndim - 1:
        w = w[..., np.newaxis]  # Keras: expand_dims(sample_weight, -1)
    elif w.ndim and w.ndim == t.ndim + 1 and w.shape[-1] == 1:
        w = w[..., 0]
    if w.ndim and w.ndim < len(shape) and w.shape == shape[: w.ndim]:
        w = w.reshape(w.shape + (1,) * (len(shape) - w.ndim))
    try:
        return np.broadcast_to(w, shape)
    except ValueError:
        raise ValueError(
            "Argument `sample_weight` must be a scalar, one weight per sample, or broadcastable to the "
            f"predictions' shape. Received: sample_weight.shape={w.shape}, y_pred.shape={shape}"
        ) from None


def _float_as_given(x: Any) -> np.ndarray | None:
    """``x`` when it is a float ndarray (to be cast chunk by chunk), else None."""
    return x if type(x) is np.ndarray and x.dtype.kind == "f" else None


def cast_chunk(x: np.ndarray, buf: np.ndarray) -> np.ndarray:
    """``x`` (one chunk) in ``buf``'s dtype: itself when it has it, else cast
    into ``buf``'s first ``x.size`` values (out-of-range values become inf
    silently, as :func:`~rkeraslosses._inputs.as_float_array`'s whole cast
    makes them; only the cast is quieted, not the counting's arithmetic)."""
    if x.dtype == buf.dtype:
        return x
    out = buf[: x.size]
    with np.errstate(over="ignore"):
        np.copyto(out, x)
    return out


def _weights_chunk(w: np.ndarray, cast_buf: np.ndarray, w_buf: np.ndarray) -> np.ndarray:
    """One chunk of weights as float64 for ``bincount``, rounded to the metric's
    dtype (``cast_buf``'s) first when it comes in another one."""
    out = w_buf[: w.size]
    np.copyto(out, cast_chunk(w, cast_buf))
    return out


def filter_top_k(p: np.ndarray, k: int) -> np.ndarray:
    """Keras' ``_filter_top_k``: keep the ``k`` largest values of the last axis
    (the first index wins a tie), give the others ``NEG_INF``."""
    if k >= p.shape[-1]:
        return p
    order = np.argsort(-p, axis=-1, kind="stable")[..., :k]
    keep = np.zeros(p.shape, dtype=bool)
    np.put_along_axis(keep, order, True, axis=-1)
    return np.where(keep, p, p.dtype.type(NEG_INF))


def prepare(
    y_true: Any,
    y_pred: Any,
    sample_weight: Any,
    dtype: np.dtype,
    *,
    top_k: int | None = None,
    class_id: int | None = None,
    labels_checked_later: bool = False,
    cast_later: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Convert and validate one batch as Keras does before counting.

    Returns ``(y_true, y_pred, weights)`` with equal shapes (weights None when not
    given): squeeze rule, label check, weights aligned, ``top_k`` then ``class_id``.
    ``labels_checked_later``: :func:`confusion_counts` checks the labels chunk by
    chunk (in the CPU cache) instead. ``cast_later``: float arrays of another
    dtype (R's doubles given to a float32 metric) are returned as they are, for
    :func:`confusion_counts` to cast chunk by chunk (the same values, without a
    whole cast copy); ``top_k`` casts first.
    """
    cast_later = cast_later and top_k is None
    p = _float_as_given(y_pred) if cast_later else None
    if p is None:
        p = as_float_array(y_pred, "y_pred", dtype)
    t = as_numeric_array(y_true, "y_true")
    if p.ndim == 0:
        p = p.reshape(1)
    if t.ndim == 0:
        t = t.reshape(1)
    p, t = squeeze_or_expand_to_same_rank(p, t)
    if t.shape != p.shape:
        raise ValueError(
            "Arguments `y_true` and `y_pred` must have the same shape (a trailing axis of "
            f"size 1 may differ). Received: y_true.shape={t.shape}, y_pred.shape={p.shape}"
        )
    if not labels_checked_later or top_k is not None or class_id is not None:
        check_labels(t)
    w = align_sample_weight(sample_weight, t, p.shape, dtype, cast_later)
    if top_k is not None:
        p = filter_top_k(p, top_k)
    if class_id is not None:
        if p.ndim < 2:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape "
                f"(num_samples, num_classes), found shape: {p.shape}. Received: class_id={class_id}"
            )
        if class_id >= p.shape[-1]:
            raise ValueError(
                f"Argument `class_id` must be in [0, num_classes), num_classes={p.shape[-1]} being the last "
                f"axis of y_pred (class ids are 0-based). Received: class_id={class_id}, y_pred.shape={p.shape}"
            )
        t, p = t[..., class_id], p[..., class_id]
        w = None if w is None else w[..., class_id]
    if cast_later and w is not None and w.dtype != dtype and w.ndim > 1 and not w.flags.c_contiguous:
        # confusion_counts flattens its inputs, copying those that do not
        # flatten to a view: weights broadcast to the predictions' shape would
        # be copied whole in float64 there, in the metric's float32 half that.
        # (Predictions of such a layout are copied either way: cast whole
        # first, a column-major matrix stays one and is copied again.)
        w = as_float_array(w, "sample_weight", dtype)
    return t, p, w


# ----------------------------------------------------------------- counting


class Thresholds:
    """How one metric buckets its predictions: its thresholds (in the user's
    order), and whether they are evenly spaced (and padded by ``epsilon``)."""

    def __init__(self, values: Sequence[float], evenly: bool, dtype: np.dtype):
        self.values = list(values)
        self.dtype = np.dtype(dtype)
        self.count = len(self.values)
        self.evenly = bool(evenly)
        self.with_epsilon = self.evenly and (self.values[0] < 0.0 or self.values[-1] > 1.0)
        cast = np.asarray(self.values, dtype=self.dtype)
        self.order = np.argsort(cast, kind="stable")
        self.sorted = cast[self.order]
        self.identity = bool(np.all(self.order == np.arange(self.count)))
        self.grid = None if self.evenly or self.count == 1 else _Grid.build(self.sorted)

    def buckets(self, p: np.ndarray, out: np.ndarray) -> np.ndarray:
        """``k`` per prediction (into ``out``, intp): positive at sorted thresholds ``j < k``."""
        T = self.count
        if self.evenly:
            scale = self.dtype.type(T - 1)
            x = np.multiply(p, scale)
            np.fmax(x, self.dtype.type(0), out=x)  # also NaN -> 0, as Keras' JAX backend
            np.minimum(x, scale, out=x)
            np.ceil(x, out=x)
            np.copyto(out, x, casting="unsafe")
        elif T == 1:
            np.greater(p, self.sorted[0], out=out, casting="unsafe")
        elif self.grid is not None:
            self.grid.buckets(p, out)
        else:
            q = np.fmax(p, p.dtype.type(-np.inf))  # NaN is above no threshold
            out[...] = np.searchsorted(self.sorted, q, side="left")
        return out


class _Grid:
    """Exact ``#{thresholds < p}`` for uneven thresholds without a binary search:
    ``G`` (a power of two) equal cells on [0, 1]; ``p * G`` is exact, so the cell
    of ``p`` is exact, every threshold of a lower cell is below ``p`` and every
    threshold of a higher cell above it; only the (few) thresholds of ``p``'s own
    cell are compared. Values outside [0, 1] (and the epsilon ends) fall in the
    end cells and are compared there."""

    MAX_PER_CELL = 4

    def __init__(self, G: int, below: np.ndarray, cells: np.ndarray):
        self.G, self.below, self.cells = G, below, cells  # cells: (rounds, G) thresholds or +inf

    @classmethod
    def build(cls, sorted_thresholds: np.ndarray) -> "_Grid | None":
        T = len(sorted_thresholds)
        dtype = sorted_thresholds.dtype
        G = 64
        while G < 8 * T:
            G *= 2
        for _ in range(4):
            cell = np.clip(np.floor(sorted_thresholds * dtype.type(G)), 0, G - 1).astype(np.intp)
            per_cell = np.bincount(cell, minlength=G)
            if per_cell.max() <= cls.MAX_PER_CELL or G >= 1 << 16:
                break
            G *= 4
        if per_cell.max() > cls.MAX_PER_CELL:
            return None  # many (near-)equal thresholds: searchsorted
        below = np.concatenate([[0], np.cumsum(per_cell)[:-1]]).astype(np.intp)
        cells = np.full((int(per_cell.max()), G), np.inf, dtype=dtype)
        rank = np.arange(T) - below[cell]
        cells[rank, cell] = sorted_thresholds
        return cls(G, below, cells)

    def buckets(self, p: np.ndarray, out: np.ndarray) -> np.ndarray:
        x = np.multiply(p, p.dtype.type(self.G))
        np.fmax(x, p.dtype.type(0), out=x)  # NaN -> cell 0, where NaN > t is False
        np.minimum(x, p.dtype.type(self.G - 1), out=x)
        np.floor(x, out=x)
        cell = x.astype(np.intp)
        # mode="clip": the cells are in range, and take(out=...) buffers with mode="raise"
        np.take(self.below, cell, out=out, mode="clip")
        for row in self.cells:
            out += np.greater(p, np.take(row, cell, mode="clip"))
        return out


def bucket_counts(th: Thresholds, t: np.ndarray, p: np.ndarray, w: np.ndarray | None, columns: int = 1) -> np.ndarray:
    """Counts (or weight sums) per bucket: shape ``(columns, 2, T + 1)``, axis 1
    negatives then positives. ``t``, ``p``, ``w`` are flat, or ``(n, columns)``.

    The index of a value is ``2 k + label`` (plus ``2 (T + 1) column``): one
    ``bincount`` per chunk counts both classes of every column."""
    T1 = th.count + 1
    size = 2 * T1 * columns
    t = t.reshape(-1)
    p = p.reshape(-1)
    w = None if w is None else w.reshape(-1)
    n = p.size
    totals = np.zeros(size, dtype=np.float64 if w is not None else np.int64)
    step = CHUNK - CHUNK % columns if columns <= CHUNK else columns
    m0 = min(step, n)
    idx_buf = np.empty(m0, dtype=np.intp)
    flt_buf = np.empty(m0, dtype=th.dtype)
    # float labels in the metric's dtype add ceil(label); others (R's float64
    # labels to a float32 metric) add label != 0, the same 0 or 1 for labels
    # checked to be in [0, 1], without a mixed float64 + float32 add (3x slower)
    lab_buf = np.empty(m0, dtype=th.dtype if t.dtype == th.dtype else np.bool_)
    w_buf = None if w is None else np.empty(m0, dtype=np.float64)  # bincount wants float64 weights
    cast_buf = np.empty(m0, dtype=th.dtype)  # a chunk of y_pred or weights in the metric's dtype
    col_offsets = None
    if columns > 1:
        col_offsets = np.tile(np.arange(columns, dtype=np.intp) * size // columns, step // columns)
    scale = th.dtype.type(th.count - 1)
    zero = th.dtype.type(0)
    with np.errstate(invalid="ignore"):
        for start in range(0, n, step):
            stop = min(start + step, n)
            m = stop - start
            tc = t[start:stop]
            check_labels_fast(tc)
            wc = None if w is None else _weights_chunk(w[start:stop], cast_buf, w_buf)
            pc = cast_chunk(p[start:stop], cast_buf)
            idx = idx_buf[:m]
            if th.evenly:
                # Keras' optimized path: ceil(clip(p, 0, 1) * (T - 1)), in the metric's dtype.
                # With one column the clip is left out: a score above 1 lands past
                # the last bucket and one below 0 (or NaN) makes a negative index;
                # both are seen after the bincount and the chunk is redone.
                x = np.multiply(pc, scale, out=flt_buf[:m])
                if columns > 1:
                    np.clip(x, zero, scale, out=x)
                np.ceil(x, out=x)
                np.add(x, x, out=x)
                if tc.dtype == th.dtype:
                    x += np.ceil(tc, out=lab_buf[:m])
                elif tc.dtype.kind == "f":
                    x += np.not_equal(tc, 0, out=lab_buf[:m])
                else:
                    np.add(x, tc, out=x, casting="unsafe")
                np.copyto(idx, x, casting="unsafe")  # NaN gives a negative index: redone below
            else:
                th.buckets(pc, idx)
                idx += idx
                idx += tc != 0
            if col_offsets is not None:
                idx += col_offsets[:m]
            try:
                counted = np.bincount(idx, minlength=size) if w is None else np.bincount(idx, weights=wc, minlength=size)
                if th.evenly and columns == 1 and (len(counted) > size or counted[2 * th.count :].any()):
                    raise ValueError("scores above 1")
            except ValueError:  # scores outside [0, 1], or NaN (the lowest bucket, as Keras' JAX backend)
                th.buckets(np.where(np.isnan(pc), zero, pc), idx)
                idx += idx
                idx += tc != 0
                if col_offsets is not None:
                    idx += col_offsets[:m]
                counted = np.bincount(idx, minlength=size) if w is None else np.bincount(idx, weights=wc, minlength=size)
            totals += counted
    counts = totals.astype(np.float64).reshape(columns, T1, 2).transpose(0, 2, 1).copy()
    if th.with_epsilon:
        counts[:, :, 1] += counts[:, :, 0]  # Keras' relu: bucket -1 counts at the first threshold
        counts[:, :, 0] = 0
    return counts


def confusion_counts(
    th: Thresholds,
    t: np.ndarray,
    p: np.ndarray,
    w: np.ndarray | None,
    *,
    multi_label: bool = False,
) -> dict[str, np.ndarray]:
    """``tp``, ``fp``, ``tn``, ``fn`` per threshold (in the thresholds' own order),
    float64; shape ``(T,)``, or ``(T, labels)`` with ``multi_label``."""
    columns = 1
    if multi_label:
        if p.ndim != 2:
            raise ValueError(f"`y_pred` must have rank 2 when `multi_label=True`. Found rank {p.ndim}. Received: y_pred.shape={p.shape}")
        columns = p.shape[1]
    if p.size == 0:
        zeros = np.zeros((th.count, columns) if multi_label else th.count)
        return {"tp": zeros, "fp": zeros.copy(), "tn": zeros.copy(), "fn": zeros.copy()}
    if not multi_label and w is None and p.ndim > 1 and p.flags.f_contiguous and t.flags.f_contiguous:
        # Counts do not depend on the order the values come in: column-major
        # matrices (R's) are read as they lie, not copied in row order. (Weight
        # sums would round in another order, so weighted data keeps row order.)
        t, p = t.reshape(-1, order="F"), p.reshape(-1, order="F")
    if not multi_label and th.count == 1 and not th.evenly:
        return _single_threshold(th, t.reshape(-1), p.reshape(-1), None if w is None else w.reshape(-1))
    if multi_label and w is None and columns > 1 and p.flags.f_contiguous and t.flags.f_contiguous:
        # A column-major matrix (R's) counted a column at a time, each column
        # contiguous, instead of copied in row order: the same integer counts.
        counts = np.concatenate([bucket_counts(th, t[:, j], p[:, j], None) for j in range(columns)])
    else:
        counts = bucket_counts(th, t, p, w, columns)  # (columns, 2, T + 1)
    # positive at sorted threshold j: bucket k > j -> reversed cumulative sum, dropping k = 0
    above = np.cumsum(counts[:, :, ::-1], axis=2)[:, :, ::-1][:, :, 1:]
    totals = counts.sum(axis=2, keepdims=True)
    fp, tp = above[:, 0], above[:, 1]
    tn, fn = totals[:, 0] - fp, totals[:, 1] - tp
    out = {"tp": tp, "fp": fp, "tn": tn, "fn": fn}
    inverse = None if th.identity else np.argsort(th.order)
    for key, value in out.items():
        value = value if inverse is None else value[:, inverse]
        out[key] = value.T if multi_label else value[0]
    return out


def _single_threshold(th: Thresholds, t: np.ndarray, p: np.ndarray, w: np.ndarray | None) -> dict[str, np.ndarray]:
    """One threshold (Precision/Recall/TP... by default), chunk by chunk: counts
    of the masks, or with weights one float64 ``bincount`` of ``2 above + label``."""
    threshold = th.sorted[0]
    m0 = min(CHUNK, p.size)
    if w is None:
        cells = _count_above(t, p, threshold, None if p.dtype == th.dtype else np.empty(m0, dtype=th.dtype))
    else:
        # One weighted bincount of 2 above + label per chunk; value i also gets
        # 4 (i % _LANES): a bin's running sum then takes every _LANES-th value
        # of it, so consecutive additions rarely wait on each other (with 4
        # bins, bincount's loop is bound by the latency of its additions). The
        # index is built in int8 (bincount widens it); weights are float64 sums.
        cast_buf = np.empty(m0, dtype=th.dtype)  # a chunk of y_pred or weights in the metric's dtype
        lanes = np.resize(np.arange(_LANES, dtype=np.int8) * np.int8(4), m0)
        idx_buf, lab_buf, w_buf = np.empty(m0, np.int8), np.empty(m0, np.bool_), np.empty(m0, np.float64)
        sums = np.zeros(4 * _LANES)
        with np.errstate(invalid="ignore"):
            for start in range(0, p.size, CHUNK):
                labels = t[start : start + CHUNK]
                check_labels_fast(labels)
                m = labels.size
                idx = idx_buf[:m]
                wc = _weights_chunk(w[start : start + CHUNK], cast_buf, w_buf)
                np.greater(cast_chunk(p[start : start + CHUNK], cast_buf), threshold, out=idx.view(np.bool_))
                np.add(idx, idx, out=idx)
                np.add(idx, np.not_equal(labels, 0, out=lab_buf[:m]).view(np.int8), out=idx)
                idx += lanes[:m]
                sums += np.bincount(idx, weights=wc, minlength=4 * _LANES)
        cells = sums.reshape(_LANES, 4).sum(axis=0)
    return {
        "tp": cells[3:4].copy(),
        "fp": cells[2:3].copy(),
        "tn": cells[0:1].copy(),
        "fn": cells[1:2].copy(),
    }


def _count_above(t: np.ndarray, p: np.ndarray, threshold: Any, cast_buf: np.ndarray | None) -> np.ndarray:
    """Unweighted cells ``[tn, fn, fp, tp]`` of one threshold, from counts of
    masks per chunk; ``cast_buf``: cast ``p``'s chunks into it first."""
    tp = fp = positives = 0
    for start in range(0, p.size, CHUNK):
        labels = t[start : start + CHUNK]
        check_labels_fast(labels)
        pc = p[start : start + CHUNK]
        above = (pc if cast_buf is None else cast_chunk(pc, cast_buf)) > threshold
        label = labels != 0
        n_hit = np.count_nonzero(above & label)
        tp += n_hit
        fp += np.count_nonzero(above) - n_hit
        positives += np.count_nonzero(label)
    return np.array([p.size - positives - fp, positives - tp, fp, tp], np.float64)


def divide_no_nan(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a / b``, 0 where ``b`` is 0 (Keras' ``ops.divide_no_nan``)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b == 0, 0.0, a / np.where(b == 0, 1.0, b))
