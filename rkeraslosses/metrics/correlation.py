"""Correlation metrics: Pearson's and the concordance correlation coefficient,
computed per sample along ``axis`` and averaged over the samples seen.

As in Keras 3 (``keras/src/metrics/correlation_metrics.py``), the classes are
mean-metric wrappers of the functions: each sample's coefficient along
``axis`` (the last by default), then the (weighted) mean of those over every
batch. They are not the coefficient of the whole stream.

``axis`` is one integer here (Keras' docstring also mentions a tuple of axes).

Keras' formulas are kept exactly, including two of their quirks:
``pearson_correlation`` divides by the standard deviations without an epsilon,
so a constant row gives NaN (0/0); ``concordance_correlation`` centres
``y_true`` on ``y_pred``'s mean in the covariance term.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._inputs import EPSILON, check_axis, same_shape_pair
from .base import BuiltinMetric


def _mean(x: np.ndarray, axis: int) -> np.ndarray:
    """``mean(x, axis, keepdims=True)``; over the last axis by einsum's summing
    loop, as NumPy's per-row reduction is slow for short rows."""
    if axis == x.ndim - 1 and x.shape[-1]:
        return (np.einsum("...i->...", x) / x.dtype.type(x.shape[-1]))[..., None]
    return np.mean(x, axis=axis, keepdims=True)


def _var(x: np.ndarray, axis: int) -> np.ndarray:
    """``var(x, axis, keepdims=True)``: the mean squared deviation from the mean."""
    d = x - _mean(x, axis)
    return _mean(np.square(d, out=d), axis)


def _pair(y_true: Any, y_pred: Any, axis: Any) -> tuple[np.ndarray, np.ndarray, int]:
    t, p = same_shape_pair(y_true, y_pred)
    return t, p, check_axis(axis, t.ndim)


def pearson_correlation(y_true: Any, y_pred: Any, *, axis: int = -1) -> np.ndarray:
    """Pearson's correlation coefficient along ``axis``, one value per sample.

    ``mean(z(y_true) * z(y_pred), axis)`` with ``z(x) = (x - mean(x)) / std(x)``
    (population standard deviation), as Keras.

    >>> pearson_correlation([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    array([1.       , 0.9933992], dtype=float32)
    """
    t, p, axis = _pair(y_true, y_pred, axis)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        tn = t - _mean(t, axis)
        pn = p - _mean(p, axis)
        tn /= np.sqrt(_var(tn, axis))
        pn /= np.sqrt(_var(pn, axis))
        return _mean(np.multiply(tn, pn, out=tn), axis).squeeze(axis)


def concordance_correlation(y_true: Any, y_pred: Any, *, axis: int = -1) -> np.ndarray:
    """Lin's concordance correlation coefficient along ``axis``, one value per sample, as Keras computes it:

    ``mean(2 (y_true - mean(y_pred)) (y_pred - mean(y_pred)) / (var(y_true) + var(y_pred) + (mean(y_true) - mean(y_pred))**2 + 1e-7), axis)``

    >>> concordance_correlation([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    array([0.9756095, 0.9876539], dtype=float32)
    """
    t, p, axis = _pair(y_true, y_pred, axis)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t_mean = _mean(t, axis)
        p_mean = _mean(p, axis)
        t_var = _var(t - t_mean, axis)
        p_var = _var(p - p_mean, axis)
        # Keras centres y_true on y_pred's mean here; kept to give Keras' numbers.
        covar = (t - p_mean) * (p - p_mean)
        norm = t_var + p_var + np.square(t_mean - p_mean)
        covar *= 2
        covar /= norm + t.dtype.type(EPSILON)
        return _mean(covar, axis).squeeze(axis)


class PearsonCorrelation(BuiltinMetric):
    """The mean over samples of :func:`pearson_correlation`.

    >>> m = PearsonCorrelation()
    >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    >>> print(round(float(m.result()), 6))
    0.9967
    """

    _fn_static = staticmethod(pearson_correlation)
    _default_name = "pearson_correlation"

    def __init__(self, name: str | None = "pearson_correlation", dtype: Any = None, axis: int = -1):
        check_axis(axis, 64)
        self._setup(name, dtype, axis=int(axis))


class ConcordanceCorrelation(BuiltinMetric):
    """The mean over samples of :func:`concordance_correlation`.

    >>> m = ConcordanceCorrelation()
    >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    >>> print(round(float(m.result()), 6))
    0.981632
    """

    _fn_static = staticmethod(concordance_correlation)
    _default_name = "concordance_correlation"

    def __init__(self, name: str | None = "concordance_correlation", dtype: Any = None, axis: int = -1):
        check_axis(axis, 64)
        self._setup(name, dtype, axis=int(axis))
