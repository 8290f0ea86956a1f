"""TensorFlow 1.x ``tf.losses.log_loss`` and its ``Reduction`` constants.

>>> print(log_loss([0, 1, 1], [0.1, 0.8, 0.6]))
0.2797764
>>> print(log_loss([0, 1, 1], [0.1, 0.8, 0.6], weights=[1, 0, 1]))
0.3080929
>>> log_loss([0, 1], [0.1, 0.8], reduction=Reduction.NONE)
array([0.10536041, 0.22314337], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._inputs import as_float_array
from ._reduction import reduce_weighted_values


class Reduction:
    """TensorFlow 1.x's ``tf.losses.Reduction`` values.

    With ``S = sum(losses * weights)``: ``NONE`` gives the weighted losses;
    ``SUM`` gives ``S``; ``MEAN`` gives ``S / sum(weights)``;
    ``SUM_OVER_BATCH_SIZE`` gives ``S / number of losses``;
    ``SUM_BY_NONZERO_WEIGHTS`` (the default; ``SUM_OVER_NONZERO_WEIGHTS`` is
    the same) gives ``S / number of non-zero weights``. A zero denominator gives 0.
    """

    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple[str, ...]:
        """The five distinct values."""
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key: Any) -> str:
        """Return the value for ``key`` (a value, or a constant's name such as ``"MEAN"``)."""
        if isinstance(key, str):
            if key in cls.all():
                return key
            if key in _NAMES:
                return getattr(cls, key)
        valid = ", ".join(repr(v) for v in cls.all())
        names = ", ".join(_NAMES)
        raise ValueError(f"Invalid Reduction for `reduction`. Expected one of {valid} (or the names {names}). Received: reduction={key!r}")


_NAMES = ("NONE", "SUM", "MEAN", "SUM_OVER_BATCH_SIZE", "SUM_BY_NONZERO_WEIGHTS", "SUM_OVER_NONZERO_WEIGHTS")

# TF1 reduction value -> the shared reduction layer's name.
_TO_SHARED = {
    Reduction.NONE: "none",
    Reduction.SUM: "sum",
    Reduction.MEAN: "mean_with_sample_weight",
    Reduction.SUM_OVER_BATCH_SIZE: "sum_over_batch_size",
    Reduction.SUM_BY_NONZERO_WEIGHTS: "sum_by_nonzero_weights",
}


def log_loss(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    epsilon: float = 1e-7,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """TensorFlow 1.x's ``tf.losses.log_loss``: elementwise log loss, weighted and reduced.

    ``losses = -labels * log(predictions + epsilon) - (1 - labels) * log(1 - predictions + epsilon)``
    (no clipping), then ``weights`` and ``reduction`` as in TensorFlow 1.x.

    Args:
        labels: the ground truth, the same shape as ``predictions``.
        predictions: the predicted probabilities.
        weights: a scalar; an array of the losses' rank whose every axis is 1 or
            equal to the losses' (each measurable element weighted); or a
            ``[batch_size]`` vector, which rescales every loss of a sample.
        epsilon: added inside the logarithms to avoid ``log(0)``.
        reduction: one of :class:`Reduction`'s values (or its constant names).

    Returns:
        The weighted losses (``Reduction.NONE``, shape of ``labels``) or a scalar.
        float32 inputs (and lists, integers) give float32, as TensorFlow does;
        float64 inputs keep float64.

    Raises:
        ValueError: ``labels`` or ``predictions`` is None, their shapes differ,
            ``weights`` cannot apply, or ``reduction`` is unknown.
    """
    if labels is None:
        raise ValueError("Argument `labels` must not be None.")
    if predictions is None:
        raise ValueError("Argument `predictions` must not be None.")
    shared = _TO_SHARED[Reduction.validate(reduction)]
    p = as_float_array(predictions, "predictions")
    t = as_float_array(labels, "labels", p.dtype)
    if t.shape != p.shape:
        raise ValueError(
            f"Arguments `labels` and `predictions` must have the same shape. Received: labels.shape={t.shape}, predictions.shape={p.shape}"
        )
    dt = p.dtype.type
    eps = dt(epsilon)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = p + eps
        np.log(pos, out=pos)
        pos *= t
        neg = np.subtract(dt(1), p)
        neg += eps
        np.log(neg, out=neg)
        neg *= dt(1) - t
        pos += neg
        losses = np.negative(pos, out=pos)
    return reduce_weighted_values(losses, weights, None, shared, weights_name="weights")
