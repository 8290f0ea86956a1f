"""``to_categorical``: integer class labels to one-hot rows."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ._inputs import as_class_labels


def to_categorical(y: Any, num_classes: int | None = None, dtype: Any = "float32") -> np.ndarray:
    """One-hot encode 0-based integer class labels; the class axis is last.

    A trailing axis of size 1 is dropped when ``y`` has rank > 1, so labels of
    shape ``(n, 1)`` give ``(n, num_classes)``. Unlike Keras, a negative label,
    NaN, a fraction or a label ``>= num_classes`` is a ValueError naming the
    value (Keras silently counts negative labels from the end).

    Args:
        y: integer labels 0..num_classes-1 (floats holding whole numbers are accepted).
        num_classes: the number of classes; None infers ``max(y) + 1``.
        dtype: the dtype of the result.

    Returns:
        An array of shape ``y.shape + (num_classes,)``.

    Example:

        >>> to_categorical([0, 2, 1])
        array([[1., 0., 0.],
               [0., 0., 1.],
               [0., 1., 0.]], dtype=float32)
    """
    if num_classes is not None:
        if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Integral):
            if isinstance(num_classes, float) and num_classes.is_integer():
                num_classes = int(num_classes)
            else:
                raise TypeError(f"Argument `num_classes` must be a positive integer or None. Received: num_classes={num_classes!r}")
        if num_classes < 1:
            raise ValueError(f"Argument `num_classes` must be a positive integer or None. Received: num_classes={num_classes}")
    try:
        out_dtype = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"Argument `dtype` must be a NumPy dtype name. Received: dtype={dtype!r}") from err
    labels = as_class_labels(y, "y", None if num_classes is None else int(num_classes), num_classes_name="num_classes")
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    flat = labels.reshape(-1)
    out = np.zeros((flat.size, int(num_classes)), dtype=out_dtype)
    out[np.arange(flat.size), flat] = 1
    return out.reshape(labels.shape + (int(num_classes),))
