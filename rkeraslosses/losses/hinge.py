"""Hinge losses: hinge, squared hinge, categorical hinge."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._inputs import same_shape_pair
from ._rowwise import BLOCK_ELEMENTS, casts_by_block, constants, pairwise, rowdot, rowmax, rowmean, rowmeansq, rowwise, small_call
from .base import _BuiltinLoss


def is_binary(t: np.ndarray) -> bool:
    """True when every value of ``t`` is exactly 0 or 1 (checked block-wise, stopping early)."""
    if t.size <= _FEW:
        # bool(t) == t holds for 0, -0.0 and 1 only (not NaN, not inf): three
        # NumPy calls instead of four, 0.4 µs less on a small call (but slower
        # than the two comparisons on a large block); count_nonzero is 0.5 µs
        # faster than a logical_and reduction on a small array.
        return bool(np.count_nonzero(np.equal(t.astype(np.bool_), t)) == t.size)
    if t.size <= BLOCK_ELEMENTS:
        return bool(_all(np.logical_or(t == 0, t == 1), axis=None))
    flat = t.reshape(-1)
    for start in range(0, flat.size, BLOCK_ELEMENTS):
        block = flat[start : start + BLOCK_ELEMENTS]
        if not _all(np.logical_or(block == 0, block == 1), axis=None):
            return False
    return True


#: Up to this many labels, is_binary tests ``bool(t) == t``.
_FEW = 4096

_all = np.logical_and.reduce  # ndarray.all() without its Python wrapper (0.7 µs a call)


def _margins(t: np.ndarray, p: np.ndarray, convert: bool) -> np.ndarray:
    """``max(1 - t p, 0)``; with ``convert`` the labels are 0/1 and become -1/1 (t -> 2t - 1)."""
    k = constants(p.dtype)  # t has p's dtype
    if convert:
        m = t * k.two
        m -= k.one
        m *= p
    else:
        m = t * p
    np.subtract(k.one, m, out=m)
    np.maximum(m, k.zero, out=m)
    return m


def hinge(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean(max(1 - y_true * y_pred, 0), axis=-1)``.

    Labels should be -1 or 1; when every label is 0 or 1 they are mapped to -1/1 first.

    Example:

        >>> hinge([[0.0, 1.0]], [[0.5, 0.5]])
        array([1.], dtype=float32)
    """
    out = small_call(_hinge_one_block, y_true, y_pred)
    if out is not None:
        return out
    t, p = same_shape_pair(y_true, y_pred)
    # Keras' rule: if every label of the whole array is 0 or 1, map them to -1/1.
    convert = is_binary(t)
    return rowwise(lambda t, p: _hinge(t, p, convert), t, p)


def _hinge(t: np.ndarray, p: np.ndarray, convert: bool) -> np.ndarray:
    return rowmean(_margins(t, p, convert))


def _hinge_one_block(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Hinge of a whole call in one block: the label rule decided on the block."""
    return rowmean(_margins(t, p, is_binary(t)))


def squared_hinge(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean(max(1 - y_true * y_pred, 0)**2, axis=-1)``, with the same label rule as :func:`hinge`.

    Example:

        >>> squared_hinge([[0.0, 1.0]], [[0.5, 0.5]])
        array([1.25], dtype=float32)
    """
    out = small_call(_squared_hinge_one_block, y_true, y_pred)
    if out is not None:
        return out
    t, p = same_shape_pair(y_true, y_pred)
    convert = is_binary(t)
    return rowwise(lambda t, p: _squared_hinge(t, p, convert), t, p)


def _squared_hinge(t: np.ndarray, p: np.ndarray, convert: bool) -> np.ndarray:
    return rowmeansq(_margins(t, p, convert))


def _squared_hinge_one_block(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    return rowmeansq(_margins(t, p, is_binary(t)))


@casts_by_block
def categorical_hinge(y_true: Any, y_pred: Any) -> np.ndarray:
    """``max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`` over the last axis (labels unchanged).

    Example:

        >>> categorical_hinge([[0.0, 1.0]], [[0.3, 0.6]])
        array([0.7], dtype=float32)
    """
    return pairwise(_categorical_hinge, y_true, y_pred)


def _categorical_hinge(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    k = constants(t.dtype)
    pos = rowdot(t, p)
    neg_terms = np.subtract(k.one, t)
    neg_terms *= p
    out = rowmax(neg_terms)
    out -= pos
    out += k.one
    return np.maximum(out, k.zero, out=out)


class Hinge(_BuiltinLoss):
    """Loss object for :func:`hinge`."""

    _fn = staticmethod(hinge)
    _default_name = "hinge"


class SquaredHinge(_BuiltinLoss):
    """Loss object for :func:`squared_hinge`."""

    _fn = staticmethod(squared_hinge)
    _default_name = "squared_hinge"


class CategoricalHinge(_BuiltinLoss):
    """Loss object for :func:`categorical_hinge`."""

    _fn = staticmethod(categorical_hinge)
    _default_name = "categorical_hinge"
