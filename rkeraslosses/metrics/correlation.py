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
        tn = t - np.mean(t, axis=axis, keepdims=True)
        pn = p - np.mean(p, axis=axis, keepdims=True)
        tn = tn / np.std(tn, axis=axis, keepdims=True)
        pn = pn / np.std(pn, axis=axis, keepdims=True)
        return np.mean(tn * pn, axis=axis)


def concordance_correlation(y_true: Any, y_pred: Any, *, axis: int = -1) -> np.ndarray:
    """Lin's concordance correlation coefficient along ``axis``, one value per sample, as Keras computes it:

    ``mean(2 (y_true - mean(y_pred)) (y_pred - mean(y_pred)) / (var(y_true) + var(y_pred) + (mean(y_true) - mean(y_pred))**2 + 1e-7), axis)``

    >>> concordance_correlation([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
    array([0.9756095, 0.9876539], dtype=float32)
    """
    t, p, axis = _pair(y_true, y_pred, axis)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t_mean = np.mean(t, axis=axis, keepdims=True)
        p_mean = np.mean(p, axis=axis, keepdims=True)
        t_var = np.var(t - t_mean, axis=axis, keepdims=True)
        p_var = np.var(p - p_mean, axis=axis, keepdims=True)
        # Keras centres y_true on y_pred's mean here; kept to give Keras' numbers.
        covar = (t - p_mean) * (p - p_mean)
        norm = t_var + p_var + np.square(t_mean - p_mean)
        return np.mean(2 * covar / (norm + t.dtype.type(EPSILON)), axis=axis)


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
