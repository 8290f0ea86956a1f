"""Accuracy metrics (what ``compile(metrics=["accuracy"])`` resolves to)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._inputs import as_float_array, same_shape_pair
from .base import BuiltinMetric, builtin_metric

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


def categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where the arg-max class of ``y_pred`` is the one-hot ``y_true``'s.

    >>> categorical_accuracy([[0, 1], [1, 0]], [[0.3, 0.7], [0.2, 0.8]])
    array([1., 0.], dtype=float32)
    """
    t, p = same_shape_pair(y_true, y_pred)
    return (np.argmax(t, axis=-1) == np.argmax(p, axis=-1)).astype(np.float32)


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
    return (t == np.argmax(p, axis=-1)).astype(np.float32)


Accuracy = builtin_metric("Accuracy", accuracy, "accuracy", __name__)
CategoricalAccuracy = builtin_metric("CategoricalAccuracy", categorical_accuracy, "categorical_accuracy", __name__)
SparseCategoricalAccuracy = builtin_metric("SparseCategoricalAccuracy", sparse_categorical_accuracy, "sparse_categorical_accuracy", __name__)


class BinaryAccuracy(BuiltinMetric):
    """Stateful binary accuracy: the share of ``y_pred > threshold`` equal to ``y_true``."""

    _fn_static = staticmethod(binary_accuracy)
    _default_name = "binary_accuracy"

    def __init__(self, name: str | None = "binary_accuracy", dtype: Any = None, threshold: float = 0.5):
        self._setup(name, dtype, threshold=float(threshold))
