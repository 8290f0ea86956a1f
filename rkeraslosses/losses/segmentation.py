"""Overlap losses for segmentation: Dice and Tversky (Keras 3's ``dice``, ``tversky``).

Both reduce over ``axis``: ``None`` (the default, as in Keras) reduces every
axis, so the whole batch gives **one** value; a tuple such as ``(1, 2, 3)``
gives one value per sample.

Sample weights with ``axis=None``: Keras multiplies the one value by the
weights and then reduces, so ``"sum_over_batch_size"`` gives the value times
the mean of the weights, ``"sum"`` times their sum, ``"none"`` the value
times each weight. The loss objects here do the same (and so compile-style
evaluation equals Keras' ``model.evaluate``). This is the one exception to
the rule that a vector of weights cannot weight a single loss value (1-D
``y_true`` and ``y_pred`` are one sample for the other losses, and a vector
of weights there is an error).

Empty masks (``y_true`` and ``y_pred`` all zero over ``axis``) give a loss of
1, as in Keras: the ``1e-7`` in the denominator makes the ratio 0/1e-7 = 0.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable

import numpy as np

from .._inputs import EPSILON, _describe, same_shape_pair
from ._rowwise import BLOCK_ELEMENTS, rowdot, rowsum, rowwise
from .base import _BuiltinLoss, register_whole_batch


def check_reduce_axis(axis: Any) -> Any:
    """``axis`` of Dice and Tversky: None, an integer, or a list/tuple of distinct integers."""
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        if not axis or any(isinstance(a, bool) or not isinstance(a, numbers.Integral) for a in axis):
            raise TypeError(f"Argument `axis` must be None, an integer or a non-empty list of integers. Received: axis={_describe(axis)}")
        return type(axis)(int(a) for a in axis)
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"Argument `axis` must be None, an integer or a list of integers. Received: axis={_describe(axis)}")
    return int(axis)


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    listed = axis if isinstance(axis, (list, tuple)) else (axis,)
    out = []
    for a in listed:
        if not -ndim <= a < ndim:
            raise ValueError(f"Argument `axis` is out of range for inputs of rank {ndim}: each axis must be in [{-ndim}, {ndim - 1}]. Received: axis={axis}")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"Argument `axis` names an axis twice. Received: axis={axis}")
    return tuple(out)


def _check_coefficient(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Argument `{name}` must be a number >= 0. Received: {name}={_describe(value)}")
    value = float(value)
    if not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"Argument `{name}` must be a finite number >= 0. Received: {name}={value}")
    return value


def _overlap(t: np.ndarray, p: np.ndarray, axis: Any, formula: Callable[[Any, Any, Any], Any]) -> Any:
    """``formula(sum(t p), sum(t), sum(p))`` with the sums over ``axis``, in the inputs' dtype.

    The three sums are taken in one pass over cache-sized blocks. Over all
    axes each block is summed in the inputs' dtype and the blocks in float64.
    """
    axes = _axes(axis, t.ndim)
    dt = p.dtype
    with np.errstate(all="ignore"):
        if len(axes) == t.ndim:
            ft, fp = t.reshape(-1), p.reshape(-1)
            sums = np.zeros(3)
            for start in range(0, ft.size, BLOCK_ELEMENTS):
                bt, bp = ft[start : start + BLOCK_ELEMENTS], fp[start : start + BLOCK_ELEMENTS]
                sums[0] += np.add.reduce(bt * bp)
                sums[1] += np.add.reduce(bt)
                sums[2] += np.add.reduce(bp)
            return formula(dt.type(sums[0]), dt.type(sums[1]), dt.type(sums[2]))
        kept = tuple(a for a in range(t.ndim) if a not in axes)
        order = kept + axes
        shape = tuple(t.shape[a] for a in kept) + (math.prod(t.shape[a] for a in axes),)
        t2 = np.transpose(t, order).reshape(shape)
        p2 = np.transpose(p, order).reshape(shape)
        return rowwise(lambda a, b: formula(rowdot(a, b), rowsum(a), rowsum(b)), t2, p2)


def dice(y_true: Any, y_pred: Any, *, axis: Any = None) -> Any:
    """Dice loss: ``1 - 2 sum(t p) / (sum(t) + sum(p) + 1e-7)``, the sums over ``axis``.

    Args:
        y_true: targets (masks), any shape.
        y_pred: predictions, same shape (a trailing size-1 axis may differ).
        axis: the axes to reduce: None (all: one value for the whole batch),
            an integer, or a tuple of integers such as ``(1, 2, 3)``.

    Returns:
        The loss: a scalar with ``axis=None``, else the shape without ``axis``.

    Example (Keras' docstring numbers):

        >>> y_true = [[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]]
        >>> y_pred = [[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]]
        >>> dice(y_true, y_pred, axis=(1, 2, 3))
        array([0.5       , 0.75757575], dtype=float32)
        >>> print(dice(y_true, y_pred))
        0.6164384
    """
    axis = check_reduce_axis(axis)
    t, p = same_shape_pair(y_true, y_pred)
    dt = p.dtype.type

    def formula(inter: Any, st: Any, sp: Any) -> Any:
        return dt(1) - (dt(2) * inter) / (st + sp + dt(EPSILON))

    return _overlap(t, p, axis, formula)


def tversky(y_true: Any, y_pred: Any, *, alpha: float = 0.5, beta: float = 0.5, axis: Any = None) -> Any:
    """Tversky loss (Salehi et al., 2017): ``1 - TP / (TP + alpha FP + beta FN + 1e-7)``.

    ``TP = sum(t p)``, ``FP = sum((1 - p) t)``, ``FN = sum(p (1 - t))`` over
    ``axis`` (Keras' names: ``alpha`` weighs ``sum((1 - p) t)``). With
    ``alpha = beta = 0.5`` it equals :func:`dice`.

    Args:
        y_true: targets (masks), any shape.
        y_pred: predictions, same shape.
        alpha: the weight of ``sum((1 - y_pred) y_true)``, a number >= 0.
        beta: the weight of ``sum(y_pred (1 - y_true))``, a number >= 0.
        axis: as for :func:`dice`.

    Returns:
        The loss: a scalar with ``axis=None``, else the shape without ``axis``.

    Example:

        >>> y_true = [[1.0, 1.0, 0.0, 0.0]]
        >>> y_pred = [[0.0, 1.0, 0.0, 1.0]]
        >>> print(tversky(y_true, y_pred, alpha=0.3, beta=0.7))
        0.5
    """
    alpha = _check_coefficient(alpha, "alpha")
    beta = _check_coefficient(beta, "beta")
    axis = check_reduce_axis(axis)
    t, p = same_shape_pair(y_true, y_pred)
    dt = p.dtype.type

    def formula(inter: Any, st: Any, sp: Any) -> Any:
        # sum((1 - p) t) = sum(t) - sum(t p) and sum(p (1 - t)) = sum(p) - sum(t p);
        # where these cancel, TP dominates the denominator, so the ratio keeps
        # its float precision.
        fp = st - inter
        fn = sp - inter
        return dt(1) - inter / (inter + fp * dt(alpha) + fn * dt(beta) + dt(EPSILON))

    return _overlap(t, p, axis, formula)


register_whole_batch(dice)
register_whole_batch(tversky)


class Dice(_BuiltinLoss):
    """Loss object for :func:`dice`.

    With ``axis=None`` the loss is one value for the whole batch, and sample
    weights scale it as in Keras (``"sum_over_batch_size"``: times the mean
    weight); see the module docstring.

    Example (Keras' docstring numbers):

        >>> y_true = [[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]]
        >>> y_pred = [[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]]
        >>> print(Dice()(y_true, y_pred))
        0.6164384
        >>> print(Dice()(y_true, y_pred, sample_weight=[1.0, 0.5]))
        0.4623288
        >>> Dice(axis=(1, 2, 3), reduction="none")(y_true, y_pred)
        array([0.5       , 0.75757575], dtype=float32)
    """

    _fn = staticmethod(dice)
    _default_name = "dice"

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "dice",
        axis: Any = None,
        dtype: Any = None,
    ):
        self._setup(reduction, name, dtype, axis=check_reduce_axis(axis))


class Tversky(_BuiltinLoss):
    """Loss object for :func:`tversky`; sample weights as for :class:`Dice`."""

    _fn = staticmethod(tversky)
    _default_name = "tversky"

    def __init__(
        self,
        alpha: float = 0.5,
        beta: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "tversky",
        axis: Any = None,
        dtype: Any = None,
    ):
        self._setup(
            reduction,
            name,
            dtype,
            alpha=_check_coefficient(alpha, "alpha"),
            beta=_check_coefficient(beta, "beta"),
            axis=check_reduce_axis(axis),
        )
