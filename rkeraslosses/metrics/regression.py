"""Regression metrics: the means of the regression losses, and cosine similarity."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import losses as _losses
from .._inputs import check_axis
from .base import BuiltinMetric, builtin_metric

def cosine_similarity(y_true: Any, y_pred: Any, *, axis: int = -1) -> np.ndarray:
    """The cosine similarity metric: ``sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``.

    Positive (1 means the same direction), unlike the loss of the same name.

    >>> cosine_similarity([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
    array([0., 1.], dtype=float32)
    """
    out = _losses.cosine_similarity(y_true, y_pred, axis=axis)
    return np.negative(out, out=out) if isinstance(out, np.ndarray) else -out



MeanSquaredError = builtin_metric("MeanSquaredError", _losses.mean_squared_error, "mean_squared_error", __name__)
MeanAbsoluteError = builtin_metric("MeanAbsoluteError", _losses.mean_absolute_error, "mean_absolute_error", __name__)
MeanAbsolutePercentageError = builtin_metric("MeanAbsolutePercentageError", _losses.mean_absolute_percentage_error, "mean_absolute_percentage_error", __name__)
MeanSquaredLogarithmicError = builtin_metric("MeanSquaredLogarithmicError", _losses.mean_squared_logarithmic_error, "mean_squared_logarithmic_error", __name__)
LogCoshError = builtin_metric("LogCoshError", _losses.log_cosh, "logcosh", __name__)


class CosineSimilarity(BuiltinMetric):
    """Stateful cosine similarity (positive: 1 means the same direction)."""

    _fn_static = staticmethod(cosine_similarity)
    _default_name = "cosine_similarity"

    def __init__(self, name: str | None = "cosine_similarity", dtype: Any = None, axis: int = -1):
        check_axis(axis, 64)
        self._setup(name, dtype, axis=int(axis))
