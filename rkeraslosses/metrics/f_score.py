"""F-scores, as Keras 3's ``keras/src/metrics/f_score_metrics.py``: ``FBetaScore`` and ``F1Score``.

Per class (the last axis of 2-D ``(batch, classes)`` data) the running
(weighted) true positives, false positives, false negatives and label sums;
the result is Keras': ``precision = tp / (tp + fp + eps)``,
``recall = tp / (tp + fn + eps)``,
``f = (1 + beta^2) * precision * recall / (beta^2 * precision + recall + eps)``,
then averaged (``"micro"`` counts globally, ``"macro"`` is the plain mean,
``"weighted"`` weights by the label sums) or one value per class (``None``).

Where we differ: labels outside [0, 1] are a ValueError, and ``beta`` /
``threshold`` may be any real number (Keras insists on a Python float).

>>> m = F1Score(threshold=0.5)  # keras 3.15 JAX gives these float32 numbers too
>>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]], [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
>>> m.result()
array([0.49999997, 0.79999995, 0.66666657], dtype=float32)
"""

from __future__ import annotations

import numbers
from typing import Any, Iterable

import numpy as np

from .._inputs import EPSILON, _describe, as_float_array, as_numeric_array
from ._confusion_utils import check_labels
from .base import Metric

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """The F-beta score: the weighted harmonic mean of precision and recall.

    Args:
        average: ``None`` (one score per class), ``"micro"``, ``"macro"`` or ``"weighted"``.
        beta: the weight of recall (> 0; 1 gives F1).
        threshold: predictions above it count as positive; ``None`` counts the
            largest prediction of each row (ties included, zeros never).
        name, dtype: the metric's name and result dtype.

    Inputs are 2-D: ``(batch_size, num_classes)`` labels in [0, 1] and predictions.

    >>> m = FBetaScore(beta=2.0, threshold=0.5)
    >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]], [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    >>> m.result()
    array([0.3846154 , 0.90909094, 0.8333332 ], dtype=float32)
    """

    def __init__(
        self,
        average: str | None = None,
        *,
        beta: float = 1.0,
        threshold: float | None = None,
        name: str = "fbeta_score",
        dtype: Any = None,
    ):
        if average not in _AVERAGES:
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', 'weighted'}. "
                f"Received: average={average!r}"
            )
        if isinstance(beta, bool) or not isinstance(beta, numbers.Real):
            raise ValueError(f"Invalid `beta` argument value. It should be a positive number. Received: beta={_describe(beta)}")
        if not beta > 0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
                raise ValueError(f"Invalid `threshold` argument value. It should be a number. Received: threshold={_describe(threshold)}")
            if not 0.0 < threshold <= 1.0:
                raise ValueError(f"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. Received: threshold={threshold}")
            threshold = float(threshold)
        super().__init__(name=name, dtype=dtype)
        self.average = average
        self.beta = float(beta)
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._num_classes: int | None = None

    @property
    def _built(self) -> bool:
        return "true_positives" in self._variables

    def _build(self, num_classes: int) -> None:
        shape = () if self.average == "micro" else (num_classes,)
        self._num_classes = num_classes
        for key in ("true_positives", "false_positives", "false_negatives", "intermediate_weights"):
            setattr(self, key, self.add_variable(key, shape=shape, dtype="float64"))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch of 2-D labels and predictions; ``sample_weight`` is a scalar, one weight per row, or one per value."""
        p = as_float_array(y_pred, "y_pred", self._dtype)
        t = as_numeric_array(y_true, "y_true")
        if p.ndim != 2 or t.ndim != 2:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input "
                f"shapes: y_pred.shape={p.shape} and y_true.shape={t.shape}."
            )
        if t.shape != p.shape:
            raise ValueError(f"Arguments `y_true` and `y_pred` must have the same shape. Received: y_true.shape={t.shape}, y_pred.shape={p.shape}")
        if self._num_classes is not None and p.shape[1] != self._num_classes:
            raise ValueError(f"{type(self).__name__} was built for {self._num_classes} classes. Received: y_pred.shape={p.shape}")
        check_labels(t)
        t = t.astype(np.float64)
        if self.threshold is None:
            top = np.max(p, axis=-1, keepdims=True) if p.shape[0] else p
            # the row maximum counts; a row of zeros stays all negative
            predicted = (p >= top) & (np.abs(p) > 1e-9)
        else:
            predicted = p > self.threshold
        predicted = predicted.astype(np.float64)
        w = None
        if sample_weight is not None:
            w = as_float_array(sample_weight, "sample_weight", self._dtype).astype(np.float64)
            if w.ndim == 2 and w.shape[1] == 1 and p.shape[1] != 1:
                w = w[:, 0]
            if w.ndim == 1 and w.shape[0] == p.shape[0]:
                w = w[:, None]  # one weight per row
            elif not (w.ndim == 0 or w.shape == p.shape):
                raise ValueError(
                    "Argument `sample_weight` must be a scalar, hold one weight per row, or one per value "
                    f"(the shape of y_pred). Received: sample_weight.shape={w.shape}, y_pred.shape={p.shape}"
                )

        def weighted_sum(values: np.ndarray) -> np.ndarray:
            if w is not None:
                values = values * w
            return values.sum(axis=self.axis)

        increments = {
            "true_positives": weighted_sum(predicted * t),
            "false_positives": weighted_sum(predicted * (1 - t)),
            "false_negatives": weighted_sum((1 - predicted) * t),
            "intermediate_weights": weighted_sum(t),
        }
        with self._lock:
            if not self._built:
                self._build(p.shape[1])
        self._commit(**increments)

    def merge_state(self, metrics: "Metric | Iterable[Metric]") -> None:
        others = [metrics] if isinstance(metrics, Metric) else list(metrics)
        for other in others:
            if isinstance(other, FBetaScore) and other._num_classes is not None and not self._built:
                with self._lock:
                    if not self._built:
                        self._build(other._num_classes)
        # a metric that saw no data has no state yet: nothing to add
        super().merge_state([o for o in others if not (isinstance(o, FBetaScore) and not o._built and self._built)])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} result={np.asarray(self.result()).tolist()!r}>"

    def result(self) -> Any:
        """One score per class (``average=None``) or the averaged score."""
        if not self._built:
            return self._dtype.type(0.0) if self.average is not None else np.zeros(0, self._dtype)
        with self._lock:
            tp, fp, fn, support = (self._variables[k].value for k in ("true_positives", "false_positives", "false_negatives", "intermediate_weights"))
        # Keras' formula, in the metric's dtype as Keras computes it (the sums are float64 here).
        d = self._dtype.type
        tp, fp, fn, support = (np.asarray(v).astype(self._dtype) for v in (tp, fp, fn, support))
        eps, b2 = d(EPSILON), d(self.beta**2)
        with np.errstate(divide="ignore", invalid="ignore"):
            precision = tp / (tp + fp + eps)
            recall = tp / (tp + fn + eps)
            score = precision * recall / (b2 * precision + recall + eps) * (d(1) + b2)
            if self.average == "weighted":
                score = np.sum(score * (support / (np.sum(support) + eps)))
            elif self.average is not None:
                score = np.mean(score)
        return np.asarray(score, dtype=self._dtype)[()]

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F1 score: the harmonic mean of precision and recall (:class:`FBetaScore` with ``beta=1``).

    >>> m = F1Score(average="micro", threshold=0.5)
    >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.7]])
    >>> print(m.result())
    0.79999995
    """

    def __init__(self, average: str | None = None, *, threshold: float | None = None, name: str = "f1_score", dtype: Any = None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["beta"]
        return config
