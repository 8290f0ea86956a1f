"""Circle loss (Sun et al., 2020), Keras 3's ``circle``: a metric-learning loss
on integer labels and L2-normalised embeddings."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .. import _inputs
from .._inputs import _describe, as_float_array, check_bool
from .._reduction import register_masked
from .base import _BuiltinLoss


def _check_number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise (TypeError if not isinstance(value, numbers.Real) or isinstance(value, bool) else ValueError)(
            f"Argument `{name}` must be a finite number. Received: {name}={_describe(value)}"
        )
    return value  # type: ignore[return-value]


def _identity_labels(y: Any, name: str, n: int, what: str) -> np.ndarray:
    """Integer labels (any integers: they only say which samples share a class), one per row."""
    # The one conversion of the labels (an integer array needs none).
    arr = y if type(y) is np.ndarray and y.dtype.kind in "iu" else _inputs.as_numeric_array(y, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(
            f"Argument `{name}` must hold one integer label per {what}, shape ({n},) or ({n}, 1). "
            f"Received: {name}.shape={arr.shape}"
        )
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.floor(arr))
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                f"Argument `{name}` must hold integer labels; found {arr[i]} at 0-based index {i}. "
                f"Received: {name} with dtype={arr.dtype}"
            )
    return arr.astype(np.int64)


def _logsumexp_rows(x: np.ndarray) -> np.ndarray:
    """``log(sum(exp(x), axis=1))``, -inf for a row of -inf (as ``ops.logsumexp``)."""
    if x.shape[1] == 0:
        return np.full(x.shape[0], -np.inf, dtype=x.dtype)
    m = np.max(x, axis=1)
    m = np.where(np.isfinite(m), m, x.dtype.type(0))
    s = np.exp(x - m[:, None]).sum(axis=1)
    return np.log(s) + m


def _circle_with_mask(
    y_true: Any,
    y_pred: Any,
    *,
    ref_labels: Any = None,
    ref_embeddings: Any = None,
    remove_diagonal: bool = True,
    gamma: float = 80,
    margin: float = 0.4,
) -> tuple[np.ndarray, np.ndarray]:
    remove_diagonal = check_bool(remove_diagonal, "remove_diagonal")
    gamma = _check_number(gamma, "gamma")
    margin = _check_number(margin, "margin")
    x = as_float_array(y_pred, "y_pred")
    if x.ndim != 2:
        raise ValueError(f"Argument `y_pred` must hold one embedding per sample, shape (batch_size, dim). Received: y_pred.shape={x.shape}")
    labels = _identity_labels(y_true, "y_true", x.shape[0], "sample of y_pred")
    ref = x if ref_embeddings is None else as_float_array(ref_embeddings, "ref_embeddings", x.dtype)
    if ref.ndim != 2 or ref.shape[1] != x.shape[1]:
        raise ValueError(
            f"Argument `ref_embeddings` must have shape (n_ref, {x.shape[1]}), like y_pred's rows. "
            f"Received: ref_embeddings.shape={ref.shape}"
        )
    ref_lab = labels if ref_labels is None else _identity_labels(ref_labels, "ref_labels", ref.shape[0], "row of ref_embeddings")
    dt = x.dtype.type
    with np.errstate(all="ignore"):
        d = dt(1) - x @ ref.T  # pairwise cosine distances
        np.maximum(d, dt(0), out=d)
        positive = labels[:, None] == ref_lab[None, :]
        negative = ~positive
        if remove_diagonal:
            positive &= ~np.eye(x.shape[0], ref.shape[0], dtype=bool)
        m = dt(margin)
        g = dt(gamma)
        # The same steps as Keras: weights (clipped at 0), then -gamma w (margin - d)
        # for positives and gamma w (1 - margin - d) for negatives.
        pos_w = np.maximum((m + d) * positive.astype(x.dtype), dt(0))
        neg_w = np.maximum((dt(1 + margin) - d) * negative.astype(x.dtype), dt(0))
        pos = dt(-1) * g * pos_w * (m - d)
        neg = g * neg_w * (dt(1 - margin) - d)
        neg_inf = dt(-np.inf)
        p_loss = _logsumexp_rows(np.where(positive, pos, neg_inf))
        n_loss = _logsumexp_rows(np.where(negative, neg, neg_inf))
        loss = np.logaddexp(p_loss + n_loss, dt(0))  # softplus
    # Keras masks the samples whose loss is 0 (no positive or no negative pair):
    # a loss object's mean leaves them out.
    return loss, loss > 0


def circle(
    y_true: Any,
    y_pred: Any,
    *,
    ref_labels: Any = None,
    ref_embeddings: Any = None,
    remove_diagonal: bool = True,
    gamma: float = 80,
    margin: float = 0.4,
) -> np.ndarray:
    """Circle loss of each sample, from pairwise cosine similarities.

    With ``d = max(1 - y_pred @ ref_embeddings.T, 0)`` the cosine distances and
    ``m`` the margin, as Keras computes it: positive pairs (same label; the
    sample itself left out with ``remove_diagonal``) get
    ``-gamma * max(m + d, 0) * (m - d)``, negative pairs
    ``gamma * max(1 + m - d, 0) * (1 - m - d)``; the loss is
    ``softplus(logsumexp(positives) + logsumexp(negatives))``. A sample with no
    positive (or no negative) pair has loss 0, and a Loss object leaves it out
    of its mean (Keras masks it).

    Args:
        y_true: integer labels, shape ``(batch,)`` or ``(batch, 1)``; any
            integers (they only say which samples share a class).
        y_pred: L2-normalised embeddings, shape ``(batch, dim)``.
        ref_labels: labels of the reference embeddings (default ``y_true``).
        ref_embeddings: reference embeddings, shape ``(n_ref, dim)`` (default ``y_pred``).
        remove_diagonal: leave each sample's pair with itself out of the positives.
        gamma: the scale, a finite number.
        margin: the relaxation margin, a finite number.

    Returns:
        Per-sample losses, shape ``(batch,)``.

    Example:

        >>> e = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [-0.6, 0.8]])
        >>> circle([0, 0, 1, 1], e / np.linalg.norm(e, axis=1, keepdims=True)).round(3)
        array([0.   , 6.402, 6.402, 0.   ])
    """
    return _circle_with_mask(
        y_true, y_pred, ref_labels=ref_labels, ref_embeddings=ref_embeddings, remove_diagonal=remove_diagonal, gamma=gamma, margin=margin
    )[0]


register_masked(circle, _circle_with_mask)


class Circle(_BuiltinLoss):
    """Loss object for :func:`circle`.

    Its mean (``"sum_over_batch_size"``) is over the samples with a non-zero
    loss, as Keras masks the others.

    Example:

        >>> e = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [-0.6, 0.8]])
        >>> round(float(Circle()([0, 0, 1, 1], e)), 2)
        3.2
    """

    _fn = staticmethod(circle)
    _default_name = "circle"
    _same_rank_inputs = False
    _labels_as_floats = False  # integer labels: its function validates them (one conversion)

    def __init__(
        self,
        gamma: float = 80.0,
        margin: float = 0.4,
        remove_diagonal: bool = True,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "circle",
        dtype: Any = None,
    ):
        self._setup(
            reduction,
            name,
            dtype,
            gamma=_check_number(gamma, "gamma"),
            margin=_check_number(margin, "margin"),
            remove_diagonal=check_bool(remove_diagonal, "remove_diagonal"),
        )
