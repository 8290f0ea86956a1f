"""Regression losses: squared, absolute, percentage, logarithmic, log-cosh, Huber, cosine."""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

from .._inputs import check_axis, check_positive, same_shape_pair
from ._rowwise import along_axis, casts_by_block, const, constants, finite_sum, pairwise, rowdot, rowmean, rowmeansq, rowwise, small_call
from .base import _BuiltinLoss

_LOG2 = math.log(2.0)


@casts_by_block
def mean_squared_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """Mean squared error over the last axis: ``mean((y_true - y_pred)**2, axis=-1)``.

    Args:
        y_true: ground truth, shape ``(batch, d0, ..., dN)``.
        y_pred: predictions, the same shape (a trailing axis of size 1 may differ).

    Returns:
        Per-sample losses, shape ``(batch, d0, ..., dN-1)``.

    Example:

        >>> mean_squared_error([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]])
        array([0.5, 0.5], dtype=float32)
    """
    return pairwise(_mse, y_true, y_pred)


def _mse(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    return rowmeansq(t - p)


@casts_by_block
def mean_absolute_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """Mean absolute error over the last axis: ``mean(abs(y_true - y_pred), axis=-1)``.

    Example:

        >>> mean_absolute_error([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]])
        array([0.5, 0.5], dtype=float32)
    """
    return pairwise(_mae, y_true, y_pred)


def _mae(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    d = t - p
    np.abs(d, out=d)
    return rowmean(d)


@casts_by_block
def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """``100 * mean(abs((y_true - y_pred) / max(abs(y_true), 1e-7)), axis=-1)``.

    Example:

        >>> mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 5.0]])
        array([37.5], dtype=float32)
    """
    return pairwise(_mape, y_true, y_pred)


def _mape(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    d = t - p
    scale = np.abs(t)
    np.maximum(scale, constants(t.dtype).eps, out=scale)
    np.divide(d, scale, out=d)
    np.abs(d, out=d)
    out = rowmean(d)
    out *= const(t.dtype, 100.0)
    return out


@casts_by_block
def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> np.ndarray:
    """``mean((log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1))**2, axis=-1)``.

    Example:

        >>> mean_squared_logarithmic_error([[0.0, 1.0]], [[0.0, 1.0]])
        array([0.], dtype=float32)
    """
    return pairwise(_msle, y_true, y_pred)


def _msle(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    # log(a) - log(b) as log(a / b): one logarithm instead of two, and the
    # division rounds no worse than a second log would.
    eps = constants(t.dtype).eps
    a = np.maximum(p, eps)
    a += 1
    b = np.maximum(t, eps)
    b += 1
    np.divide(a, b, out=a)
    np.log(a, out=a)
    return rowmeansq(a)


@casts_by_block
def log_cosh(y_true: Any, y_pred: Any) -> np.ndarray:
    """Mean of ``log(cosh(y_pred - y_true))`` over the last axis, computed stably.

    ``log(cosh(x)) = x + softplus(-2x) - log(2)``: the naive ``log(cosh(x))``
    overflows once ``|x|`` passes about 89 (float32) or 710 (float64); this form
    is finite for every finite residual.

    Example:

        >>> log_cosh([[0.0, 0.0]], [[1e4, -1e4]])
        array([9999.307], dtype=float32)
    """
    return pairwise(_log_cosh, y_true, y_pred)


# Taylor series of log(cosh(x)) in u = x**2: u/2 - u**2/12 + u**3/45 - 17 u**4/2520 + 31 u**5/14175.
_LOG_COSH_SERIES = (31 / 14175, -17 / 2520, 1 / 45, -1 / 12, 1 / 2)
# Below these |x| the series' first omitted term is under the dtype's resolution.
_LOG_COSH_SERIES_UP_TO = {np.dtype("float16"): 0.25, np.dtype("float32"): 0.25, np.dtype("float64"): 0.04}


def _has_fast_hyperbolic() -> bool:
    """Whether NumPy's ``sinh`` and ``log1p`` are SIMD loops here (Intel's SVML,
    which NumPy's Linux x86-64 builds use on AVX-512 machines). Elsewhere they
    call the C library once per element, 25-30x slower than there."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:  # pragma: no cover - NumPy 1.x
        try:
            from numpy.core._multiarray_umath import __cpu_features__  # type: ignore[no-redef]
        except ImportError:
            return False
    return sys.platform.startswith("linux") and bool(__cpu_features__.get("AVX512_SKX"))


#: The log-cosh formula: ``"sinh"`` where sinh/log1p are fast SIMD loops, else
#: ``"series"``. Both are accurate to a few ulps for every residual (the
#: differential tests run both); only their speed differs by machine.
LOG_COSH_FORMULA = "sinh" if _has_fast_hyperbolic() else "series"

# Beyond this |x|, log(cosh(x)) = log(cosh(c)) + (|x| - c) to every digit of
# float64 (the next term is exp(-2c)), and 2 sinh(c/2)**2 is finite.
_LOG_COSH_LINEAR_FROM = 40.0


def _log_cosh(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    if LOG_COSH_FORMULA == "sinh":
        out = rowmean(_log_cosh_sinh(np.subtract(p, t), linear_tail=False))
        # 2 sinh(x/2)**2 overflows beyond |x| ~ 89 (float32): such rows, and rows
        # with inf or NaN, are the non-finite ones; they take the linear tail.
        if not finite_sum(out):
            bad = ~np.isfinite(out)
            if bad.any():
                out[bad] = rowmean(_log_cosh_sinh(np.subtract(p[bad], t[bad]), linear_tail=True))
        return out
    return _log_cosh_keras_series(t, p)


def _log_cosh_sinh(x: np.ndarray, linear_tail: bool) -> np.ndarray:
    # We differ from Keras for small residuals: its x + softplus(-2x) - log(2)
    # is there a difference of two numbers near log(2), which loses every digit
    # (it can even go negative). cosh(x) - 1 = 2 sinh(x/2)**2 exactly, so
    # log(cosh(x)) = log1p(2 sinh(x/2)**2) keeps full relative precision for
    # every x, with SIMD sinh and log1p: 5 passes instead of Keras' 6 plus a series.
    extra = None
    if linear_tail:
        a = np.abs(x, out=x)
        x = np.minimum(a, const(x.dtype, _LOG_COSH_LINEAR_FROM))
        extra = np.subtract(a, x, out=a)  # |x| - c beyond c, else exactly 0
    s = np.multiply(x, constants(x.dtype).half)
    np.sinh(s, out=s)
    np.multiply(s, s, out=s)
    s += s
    np.log1p(s, out=s)
    if extra is not None:
        s += extra
    return s


def _log_cosh_keras_series(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    dt = p.dtype.type
    x = np.subtract(p, t)
    np.abs(x, out=x)
    # We differ from Keras for small residuals: its formula (below) is there a
    # difference of two numbers near log(2), which loses every digit (it can
    # even go negative); the Taylor series keeps full relative precision.
    up_to = dt(_LOG_COSH_SERIES_UP_TO.get(p.dtype, 0.04))
    small = x < up_to
    n_small = np.count_nonzero(small)
    if n_small == x.size:
        return rowmean(_log_cosh_series(x))
    # Keras: x + softplus(-2x) - log(2). Since x + max(-2x, 0) = |x|, this is
    # |x| + log(1 + exp(-2|x|)) - log(2): exp only sees arguments <= 0, so
    # nothing overflows. log(1 + y) rather than log1p(y): without SVML NumPy's
    # log1p has no SIMD loop (5x slower), and for y below float resolution |x| dominates.
    out = np.multiply(x, dt(-2.0))
    np.exp(out, out=out)
    out += dt(1.0)
    np.log(out, out=out)
    out += x
    out -= dt(_LOG2)
    if 8 * n_small > x.size:
        # Many small residuals: the series everywhere (on |x| capped at the
        # threshold, so it stays finite), then blend with 0/1 weights, exact
        # since one of the two terms is 0 (np.copyto(where=) costs 6 ns a value).
        w = small.astype(p.dtype)
        series = _log_cosh_series(np.minimum(x, up_to, out=x))
        series *= w
        np.subtract(dt(1), w, out=w)
        out *= w
        out += series
    elif n_small:  # a few: only there
        out[small] = _log_cosh_series(x[small])
    return rowmean(out)


def _log_cosh_series(x: np.ndarray) -> np.ndarray:
    u = np.multiply(x, x)
    series = np.full_like(u, _LOG_COSH_SERIES[0])
    for c in _LOG_COSH_SERIES[1:]:
        series *= u
        series += x.dtype.type(c)
    series *= u
    return series


@casts_by_block
def huber(y_true: Any, y_pred: Any, *, delta: float = 1.0) -> np.ndarray:
    """Huber loss: ``0.5 e**2`` where ``|e| <= delta``, else ``delta |e| - 0.5 delta**2``; mean over the last axis.

    Example:

        >>> huber([[0.0, 0.0]], [[0.5, 3.0]])
        array([1.3125], dtype=float32)
    """
    if delta.__class__ is float and delta == 1.0:  # the default (a small call skips the checks)
        out = small_call(_huber_default, y_true, y_pred)
        if out is not None:
            return out
    delta = check_positive(delta, "delta")
    t, p = same_shape_pair(y_true, y_pred)
    return rowwise(lambda t, p: _huber(t, p, delta), t, p)


def _huber_default(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    return _huber(t, p, 1.0)


def _huber(t: np.ndarray, p: np.ndarray, delta: float) -> np.ndarray:
    # With m = min(|e|, delta): m * (|e| - m/2) is 0.5 e^2 inside delta (bit
    # for bit: |e| - |e|/2 is exact) and delta |e| - 0.5 delta^2 outside,
    # without computing both branches and selecting.
    a = np.subtract(p, t)
    np.abs(a, out=a)
    m = np.minimum(a, const(t.dtype, delta))
    half = m * constants(t.dtype).half
    np.subtract(a, half, out=a)
    a *= m
    return rowmean(a)


@casts_by_block
def cosine_similarity(y_true: Any, y_pred: Any, *, axis: int = -1) -> np.ndarray:
    """Negative cosine similarity along ``axis``: ``-sum(l2_normalize(y_true) * l2_normalize(y_pred))``.

    The result is in [-1, 1]; -1 means the vectors point the same way, and a
    zero vector gives 0.

    Example:

        >>> cosine_similarity([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
        array([-0., -1.], dtype=float32)
    """
    if axis.__class__ is int and axis == -1:
        out = small_call(_cosine, y_true, y_pred)
        if out is not None:
            return out
    t, p = same_shape_pair(y_true, y_pred)
    axis = check_axis(axis, t.ndim)
    return along_axis(_cosine, axis, t, p)


def _cosine(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    # Keras normalises each side as x * min(rsqrt(sum(x**2)), 1/eps); the same
    # in one pass: -sum(t*p) / (max(|t|, eps) * max(|p|, eps)).
    eps = constants(t.dtype).eps
    tt = np.sqrt(rowdot(t, t))
    pp = np.sqrt(rowdot(p, p))
    np.maximum(tt, eps, out=tt)
    np.maximum(pp, eps, out=pp)
    tp = rowdot(t, p)
    tp /= tt
    tp /= pp
    return np.negative(tp, out=tp)


class MeanSquaredError(_BuiltinLoss):
    """Loss object for :func:`mean_squared_error`.

    Example:

        >>> print(MeanSquaredError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]))
        0.5
    """

    _fn = staticmethod(mean_squared_error)
    _default_name = "mean_squared_error"


class MeanAbsoluteError(_BuiltinLoss):
    """Loss object for :func:`mean_absolute_error`."""

    _fn = staticmethod(mean_absolute_error)
    _default_name = "mean_absolute_error"


class MeanAbsolutePercentageError(_BuiltinLoss):
    """Loss object for :func:`mean_absolute_percentage_error`."""

    _fn = staticmethod(mean_absolute_percentage_error)
    _default_name = "mean_absolute_percentage_error"


class MeanSquaredLogarithmicError(_BuiltinLoss):
    """Loss object for :func:`mean_squared_logarithmic_error`."""

    _fn = staticmethod(mean_squared_logarithmic_error)
    _default_name = "mean_squared_logarithmic_error"


class LogCosh(_BuiltinLoss):
    """Loss object for :func:`log_cosh`."""

    _fn = staticmethod(log_cosh)
    _default_name = "log_cosh"


class Huber(_BuiltinLoss):
    """Loss object for :func:`huber`.

    Example:

        >>> print(Huber(delta=1.0)([[0.0, 0.0]], [[0.5, 3.0]]))
        1.3125
    """

    _fn = staticmethod(huber)
    _default_name = "huber_loss"

    def __init__(self, delta: float = 1.0, reduction: str | None = "sum_over_batch_size", name: str | None = "huber_loss", dtype: Any = None):
        self._setup(reduction, name, dtype, delta=check_positive(delta, "delta"))


class CosineSimilarity(_BuiltinLoss):
    """Loss object for :func:`cosine_similarity`."""

    _fn = staticmethod(cosine_similarity)
    _default_name = "cosine_similarity"

    def __init__(self, axis: int = -1, reduction: str | None = "sum_over_batch_size", name: str | None = "cosine_similarity", dtype: Any = None):
        check_axis(axis, 64)
        self._setup(reduction, name, dtype, axis=int(axis))
