"""Confusion-matrix metrics, as Keras 3's ``keras/src/metrics/confusion_metrics.py``:
``TruePositives``, ``FalsePositives``, ``TrueNegatives``, ``FalseNegatives``,
``Precision``, ``Recall``, the four X-at-Y metrics and ``AUC``.

The numbers are Keras': labels are cast to bool, a prediction is positive when
it is strictly above a threshold, ``top_k`` keeps the ``k`` largest predictions
of the last axis, ``class_id`` picks one column, ``AUC`` pads its thresholds
with ``-epsilon`` and ``1 + epsilon`` and sums as Keras does (the
Davis-Goadrich interpolation for PR). A list of thresholds gives a NumPy
array of results, one per threshold, as Keras does.

Where we differ from Keras, on purpose:

* counting is ``O(n + T)`` (buckets, then cumulative sums) rather than Keras'
  ``n x T`` comparison, and the counts are float64 running sums;
* labels outside [0, 1] are a ValueError (Keras counts a label of 2 as
  positive, which is nearly always a mistake: class ids instead of one-hot);
* ``AUC(exact=True)`` computes the exact area (scikit-learn's
  ``roc_auc_score`` / ``average_precision_score``) from mergeable state.

Example (Keras' docstring numbers):

    >>> m = AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> print(m.result())
    0.75
    >>> m = Precision(thresholds=[0.5, 0.7])
    >>> m.update_state([0, 1, 1, 0], [1, 0, 0.6, 0])
    >>> m.result()
    array([0.5, 0. ], dtype=float32)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterable

import numpy as np

from .._inputs import EPSILON, as_float_array, check_bool
from . import _confusion_utils as cu
from .base import Metric


def _snake(name: str) -> str:
    from .._options import to_snake_case

    return to_snake_case(name)


class _ConfusionMetric(Metric):
    """Shared machinery: thresholds, array states, one atomic update."""

    _state_names: tuple[str, ...] = ()
    _top_k: int | None = None
    _class_id: int | None = None

    def _setup_thresholds(self, values: list[float], evenly: bool) -> None:
        self._th = cu.Thresholds(values, evenly, self._dtype)
        for key in self._state_names:
            setattr(self, key, self.add_variable(key, shape=(len(values),), dtype="float64"))

    def _count(self, y_true: Any, y_pred: Any, sample_weight: Any) -> dict[str, np.ndarray]:
        t, p, w = cu.prepare(
            y_true, y_pred, sample_weight, self._dtype, top_k=self._top_k, class_id=self._class_id, labels_checked_later=True, cast_later=True
        )
        return cu.confusion_counts(self._th, t, p, w)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch: labels in [0, 1] (cast to bool), predictions compared with the thresholds."""
        counts = self._count(y_true, y_pred, sample_weight)
        self._commit(**{key: counts[_SHORT[key]] for key in self._state_names})

    def _values(self, *keys: str) -> list[np.ndarray]:
        with self._lock:
            return [self._variables[k].value for k in keys]

    def _out(self, values: np.ndarray) -> Any:
        values = np.asarray(values, dtype=np.float64).astype(self._dtype)
        return values[0] if values.shape == (1,) else values

    @property
    def thresholds(self) -> list[float]:
        return list(self._th.values)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} result={np.asarray(self.result()).tolist()!r}>"


_SHORT = {
    "true_positives": "tp",
    "false_positives": "fp",
    "true_negatives": "tn",
    "false_negatives": "fn",
}


class _ConfusionMatrixConditionCount(_ConfusionMetric):
    _condition = ""

    def __init__(self, thresholds: Any = None, *, name: str | None = None, dtype: Any = None):
        super().__init__(name=name or _snake(type(self).__name__), dtype=dtype)
        self.init_thresholds = thresholds.tolist() if isinstance(thresholds, np.ndarray) else thresholds
        values = cu.parse_thresholds(thresholds, 0.5)
        self._th = cu.Thresholds(values, cu.is_evenly_distributed(values), self._dtype)
        self.accumulator = self.add_variable("accumulator", shape=(len(values),), dtype="float64")

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch (labels in [0, 1], cast to bool)."""
        counts = self._count(y_true, y_pred, sample_weight)
        self._commit(accumulator=counts[self._condition])

    def result(self) -> Any:
        """The (weighted) count: a number, or an array with one per threshold."""
        (acc,) = self._values("accumulator")
        return self._out(acc)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true positives: label 1 and prediction above the threshold.

    Args:
        thresholds: a number or a list of numbers in [0, 1] (default 0.5); a
            prediction is positive when strictly above. A list gives one count
            per threshold.
        name, dtype: the metric's name and result dtype.

    >>> m = TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> print(m.result())
    2.0
    """

    _condition = "tp"


class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false positives: label 0 and prediction above the threshold.

    >>> m = FalsePositives()
    >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
    >>> print(m.result())
    2.0
    """

    _condition = "fp"


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true negatives: label 0 and prediction at or below the threshold.

    >>> m = TrueNegatives()
    >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
    >>> print(m.result())
    2.0
    """

    _condition = "tn"


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false negatives: label 1 and prediction at or below the threshold.

    >>> m = FalseNegatives()
    >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
    >>> print(m.result())
    2.0
    """

    _condition = "fn"


class _PrecisionRecall(_ConfusionMetric):
    def __init__(
        self,
        thresholds: Any = None,
        *,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name or _snake(type(self).__name__), dtype=dtype)
        self.init_thresholds = thresholds.tolist() if isinstance(thresholds, np.ndarray) else thresholds
        self.top_k = self._top_k = cu.check_optional_int(top_k, "top_k", 1)
        self.class_id = self._class_id = cu.check_optional_int(class_id, "class_id", 0)
        default = 0.5 if top_k is None else cu.NEG_INF
        values = cu.parse_thresholds(thresholds, default)
        self._setup_thresholds(values, cu.is_evenly_distributed(values))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """Precision, ``tp / (tp + fp)`` (0 when nothing is predicted positive).

    Args:
        thresholds: a number or list of numbers in [0, 1]; default 0.5, or with
            ``top_k`` every prediction in the top k. A list gives one result per
            threshold.
        top_k: count only the ``k`` largest predictions of each row as positive.
        class_id: the (0-based) class column to compute the metric for.
        name, dtype: the metric's name and result dtype.

    >>> m = Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> print(m.result())
    0.6666667
    """

    _state_names = ("true_positives", "false_positives")

    def result(self) -> Any:
        tp, fp = self._values("true_positives", "false_positives")
        return self._out(cu.divide_no_nan(tp, tp + fp))


class Recall(_PrecisionRecall):
    """Recall, ``tp / (tp + fn)`` (0 when there is no positive label).

    Same arguments as :class:`Precision`.

    >>> m = Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> print(m.result())
    0.6666667
    """

    _state_names = ("true_positives", "false_negatives")

    def result(self) -> Any:
        tp, fn = self._values("true_positives", "false_negatives")
        return self._out(cu.divide_no_nan(tp, tp + fn))


# ----------------------------------------------------------------- X at Y


class SensitivitySpecificityBase(_ConfusionMetric):
    """The four X-at-Y metrics: counts at ``num_thresholds`` evenly spaced thresholds in [0, 1]."""

    _state_names = ("true_positives", "false_positives", "true_negatives", "false_negatives")
    _value_name = ""

    def __init__(self, value: Any, *, num_thresholds: int = 200, class_id: int | None = None, name: str | None = None, dtype: Any = None):
        value = cu.check_unit(value, self._value_name)
        num_thresholds = cu.check_num_thresholds(num_thresholds, 1)
        super().__init__(name=name or _snake(type(self).__name__), dtype=dtype)
        setattr(self, self._value_name, value)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = self._class_id = cu.check_optional_int(class_id, "class_id", 0)
        if num_thresholds == 1:
            self._setup_thresholds([0.5], False)
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._setup_thresholds([0.0] + inner + [1.0], True)

    def _rates(self) -> dict[str, np.ndarray]:
        tp, fp, tn, fn = self._values(*self._state_names)
        return {
            "recall": cu.divide_no_nan(tp, tp + fn),  # = sensitivity
            "precision": cu.divide_no_nan(tp, tp + fp),
            "specificity": cu.divide_no_nan(tn, tn + fp),
        }

    def _max_under_constraint(self, constrained: np.ndarray, dependent: np.ndarray) -> Any:
        """Keras' ``_find_max_under_constraint``: the largest ``dependent`` where ``constrained >= value`` (else 0)."""
        feasible = constrained >= self.value
        best = np.max(np.where(feasible, dependent, 0.0), initial=0.0)
        return self._dtype.type(best)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "class_id": self.class_id, "num_thresholds": self.num_thresholds, self._value_name: getattr(self, self._value_name)}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Metric":
        return cls(**config)


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) among the thresholds where specificity ``>= specificity``.

    Args:
        specificity: a number in [0, 1].
        num_thresholds: how many evenly spaced thresholds in [0, 1] (default 200).
        class_id: the (0-based) class column to compute the metric for.
        name, dtype: the metric's name and result dtype.

    >>> m = SensitivityAtSpecificity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> print(m.result())
    0.5
    """

    _value_name = "specificity"

    def __init__(self, specificity: float, *, num_thresholds: int = 200, class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> Any:
        r = self._rates()
        return self._max_under_constraint(r["specificity"], r["recall"])


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity among the thresholds where sensitivity (recall) ``>= sensitivity``.

    >>> m = SpecificityAtSensitivity(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> print(m.result())
    0.6666667
    """

    _value_name = "sensitivity"

    def __init__(self, sensitivity: float, *, num_thresholds: int = 200, class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> Any:
        r = self._rates()
        return self._max_under_constraint(r["recall"], r["specificity"])


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision among the thresholds where recall ``>= recall``.

    >>> m = PrecisionAtRecall(0.5)
    >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    >>> print(m.result())
    0.5
    """

    _value_name = "recall"

    def __init__(self, recall: float, *, num_thresholds: int = 200, class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> Any:
        r = self._rates()
        return self._max_under_constraint(r["recall"], r["precision"])


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall among the thresholds where precision ``>= precision`` (0 if none reaches it).

    >>> m = RecallAtPrecision(0.8)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> print(m.result())
    0.5
    """

    _value_name = "precision"

    def __init__(self, precision: float, *, num_thresholds: int = 200, class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self) -> Any:
        r = self._rates()
        return self._max_under_constraint(r["precision"], r["recall"])


# ----------------------------------------------------------------- AUC

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = {"interpolation": "interpolation", "majoring": "majoring", "minoring": "minoring"}


def _label_weights_value(label_weights: Any) -> Any:
    """A Keras config may hold a serialized tensor (``{"class_name": "__tensor__", "config": {"value": ...}}``)."""
    if isinstance(label_weights, Mapping):
        inner = label_weights.get("config", label_weights)
        if isinstance(inner, Mapping) and "value" in inner:
            return inner["value"]
    return label_weights


class ScoreCounts:
    """The state of ``AUC(exact=True)``: the weighted count of positives and of
    negatives at every distinct score.

    Batches are buffered and folded into one sorted table when the buffer is
    as large as the table, so ``n`` scores cost ``O(n log n)`` in all. Counts
    of unweighted data are exact integers (in float64); weight sums are float64
    sums. Memory grows with the number of distinct scores (24 bytes each).
    """

    __slots__ = ("scores", "sums", "pending", "pending_size")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.scores = np.zeros(0, np.float64)
        self.sums = np.zeros((2, 0), np.float64)  # positives, negatives
        self.pending: list[tuple[np.ndarray, np.ndarray]] = []
        self.pending_size = 0

    def add(self, batch: tuple[np.ndarray, np.ndarray]) -> None:
        """``batch = (scores, sums)``, ``sums`` of shape (2, len(scores))."""
        self.pending.append(batch)
        self.pending_size += len(batch[0])
        if self.pending_size >= max(len(self.scores), 1 << 16):
            self.consolidate()

    def merge(self, other: "ScoreCounts") -> None:
        self.add((other.scores, other.sums))
        for batch in other.pending:
            self.add(batch)

    def consolidate(self) -> None:
        if not self.pending:
            return
        parts = [(self.scores, self.sums)] + self.pending
        parts = [(s, v) for s, v in parts if len(s)]
        if len(parts) == 1:
            self.scores, self.sums = parts[0]
        elif parts:
            # every part is sorted: a stable sort (timsort) merges the runs
            self.scores, self.sums = _group_sums(np.concatenate([s for s, _ in parts]), np.concatenate([v for _, v in parts], axis=1), kind="stable")
        self.pending, self.pending_size = [], 0

    def copy(self) -> "ScoreCounts":
        new = ScoreCounts()
        new.scores, new.sums = self.scores, self.sums
        new.pending, new.pending_size = list(self.pending), self.pending_size
        return new

    @property
    def value(self) -> dict[str, np.ndarray]:
        """The table (consolidated on a copy: reading never changes the state)."""
        table = self.copy()
        table.consolidate()
        return {"scores": table.scores, "positives": table.sums[0], "negatives": table.sums[1]}

    def __getstate__(self) -> tuple[Any, ...]:
        table = self.copy()
        table.consolidate()
        return (table.scores, table.sums)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.reset()
        self.scores, self.sums = state


class AUC(Metric):
    """The area under the ROC curve (default) or the precision-recall curve.

    Keras' AUC: a Riemann sum over ``num_thresholds`` thresholds (the counts
    at each are accumulated over batches). With ``exact=True``: the exact
    area (scikit-learn's ``roc_auc_score`` for ROC, ``average_precision_score``
    for PR, sample weights included), from the weighted counts at every
    distinct score; that state merges and pickles like the others, but its
    **memory grows with the number of distinct scores** (24 bytes each;
    round scores to bound it; weight sums are plain float64 sums). ``exact=True`` ignores ``num_thresholds``,
    ``thresholds`` and ``summation_method``, needs ``curve`` ROC or PR and
    ``multi_label=False``; ``from_logits`` is not needed there (the area only
    depends on the order of the scores), and a NaN score makes the result NaN.

    Args:
        num_thresholds: how many thresholds (> 1) to discretize the curve with.
        curve: ``"ROC"``, ``"PR"`` or ``"PRGAIN"``.
        summation_method: ``"interpolation"`` (trapezoids for ROC, Davis &
            Goadrich's interpolation for PR), ``"minoring"`` or ``"majoring"``.
        name, dtype: the metric's name and result dtype.
        thresholds: explicit thresholds in [0, 1] instead of ``num_thresholds``
            (``-epsilon`` and ``1 + epsilon`` are added at the ends).
        multi_label: with 2-D data, one AUC per label (column), then their
            (``label_weights``-weighted) mean; otherwise the data is flattened.
        num_labels: the number of labels with ``multi_label`` (else taken from
            the first batch).
        label_weights: non-negative weights per label (column).
        from_logits: apply a sigmoid to the predictions first.
        exact: compute the exact area (see above). Not a Keras option.

    >>> m = AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> print(m.result())
    0.75
    >>> m = AUC(exact=True)
    >>> m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> print(m.result())
    0.75
    """

    def __init__(
        self,
        num_thresholds: int = 200,
        *,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: str | None = None,
        dtype: Any = None,
        thresholds: Any = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Any = None,
        from_logits: bool = False,
        exact: bool = False,
    ):
        key = getattr(curve, "value", curve)
        if not isinstance(key, str) or key.lower() not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC", "PRGAIN"]. Received: curve={curve!r}')
        summ = getattr(summation_method, "value", summation_method)
        if not isinstance(summ, str) or summ.lower() not in _SUMMATIONS:
            raise ValueError(
                f'Invalid AUC summation method value: "{summation_method}". Expected values are '
                f'["interpolation", "majoring", "minoring"]. Received: summation_method={summation_method!r}'
            )
        super().__init__(name=name or "auc", dtype=dtype)
        self.curve = _CURVES[key.lower()]
        self.summation_method = _SUMMATIONS[summ.lower()]
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            values = sorted(cu.parse_thresholds(thresholds, 0.5))
            self.num_thresholds = len(values) + 2
            evenly = cu.is_evenly_distributed([0.0] + values + [1.0])
        else:
            self.num_thresholds = cu.check_num_thresholds(num_thresholds, 2)
            values = [(i + 1) * 1.0 / (self.num_thresholds - 1) for i in range(self.num_thresholds - 2)]
            evenly = True
        self._threshold_values = [0.0 - EPSILON] + values + [1.0 + EPSILON]
        self._th = cu.Thresholds(self._threshold_values, evenly, self._dtype)
        self.multi_label = check_bool(multi_label, "multi_label")
        self.num_labels = cu.check_optional_int(num_labels, "num_labels", 1)
        label_weights = _label_weights_value(label_weights)
        if label_weights is not None:
            lw = np.asarray(label_weights, dtype=self._dtype)
            if lw.ndim != 1 or not np.all(lw >= 0):
                raise ValueError(f"Argument `label_weights` must be a 1-D list of non-negative weights, one per label. Received: label_weights={label_weights!r}")
            self.label_weights: np.ndarray | None = lw
        else:
            self.label_weights = None
        self._from_logits = check_bool(from_logits, "from_logits")
        self.exact = check_bool(exact, "exact")
        self._num_labels: int | None = None
        if self.exact:
            if self.curve == "PRGAIN":
                raise ValueError("AUC(exact=True) computes the ROC or PR area. Received: curve='PRGAIN'")
            if self.multi_label:
                raise ValueError("AUC(exact=True) works on flattened data. Received: multi_label=True")
            self._variables["scores"] = ScoreCounts()
        elif self.multi_label:
            if self.num_labels:
                self._build(self.num_labels)
        else:
            if self.num_labels:
                raise ValueError(f"`num_labels` is needed only when `multi_label` is True. Received: num_labels={num_labels}")
            self._build(None)

    @property
    def thresholds(self) -> list[float]:
        """The thresholds used (with the epsilon ends)."""
        return list(self._threshold_values)

    def _build(self, num_labels: int | None) -> None:
        shape = (self.num_thresholds,) if num_labels is None else (self.num_thresholds, num_labels)
        self._num_labels = num_labels
        for key in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, key, self.add_variable(key, shape=shape, dtype="float64"))

    @property
    def _built(self) -> bool:
        return "true_positives" in self._variables or "scores" in self._variables

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch: labels in [0, 1] (cast to bool), predictions in [0, 1]
        (or logits with ``from_logits=True``)."""
        counted = not self.exact
        # Counting casts float64 predictions and weights chunk by chunk; the
        # sigmoid of logits and the exact scores want them cast first.
        t, p, w = cu.prepare(y_true, y_pred, sample_weight, self._dtype, labels_checked_later=counted, cast_later=counted and not self._from_logits)
        if self._from_logits and not self.exact:
            with np.errstate(over="ignore"):
                p = (1 / (1 + np.exp(-p))).astype(self._dtype, copy=False)
        if self.multi_label:
            if p.ndim != 2:
                raise ValueError(f"`y_pred` must have rank 2 when `multi_label=True`. Found rank {p.ndim}. Full shape received for `y_pred`: {p.shape}")
            if self._num_labels is not None and p.shape[1] != self._num_labels:
                raise ValueError(f"AUC was built for {self._num_labels} labels. Received: y_pred.shape={p.shape}")
        elif self.label_weights is not None:
            lw = np.broadcast_to(self.label_weights, p.shape) if p.ndim else self.label_weights
            w = lw if w is None else as_float_array(w, "sample_weight", self._dtype) * lw
        if self.exact:
            self._commit(scores=_score_batch(t, p, w))
            return
        counts = cu.confusion_counts(self._th, t, p, w, multi_label=self.multi_label)
        with self._lock:
            if not self._built:
                self._build(p.shape[1])
        self._commit(true_positives=counts["tp"], false_positives=counts["fp"], true_negatives=counts["tn"], false_negatives=counts["fn"])

    def merge_state(self, metrics: "Metric | Iterable[Metric]") -> None:
        others = [metrics] if isinstance(metrics, Metric) else list(metrics)
        for other in others:
            if isinstance(other, AUC) and other._built and not self._built and other._num_labels is not None:
                with self._lock:
                    if not self._built:
                        self._build(other._num_labels)
        # a multi-label AUC that saw no data has no state yet: nothing to add
        super().merge_state([o for o in others if not (isinstance(o, AUC) and not o._built and self._built)])

    # -- results ---------------------------------------------------------------

    def _states(self) -> tuple[np.ndarray, ...]:
        with self._lock:
            return tuple(self._variables[k].value for k in ("true_positives", "false_positives", "true_negatives", "false_negatives"))

    def _average(self, per_label: np.ndarray) -> float:
        if self.multi_label:
            by_label = per_label.sum(axis=0)
            if self.label_weights is None:
                return float(np.mean(by_label))
            lw = self.label_weights.astype(np.float64)
            return float(cu.divide_no_nan(np.sum(by_label * lw), np.sum(lw)))
        return float(per_label.sum())

    def interpolate_pr_auc(self) -> Any:
        """Keras' PR area: Davis & Goadrich's interpolation between thresholds."""
        tp, fp, _, fn = self._states()
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        prec_slope = cu.divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - prec_slope * p[1:]
        with np.errstate(divide="ignore", invalid="ignore"):
            safe_p_ratio = np.where((p[:-1] > 0) & (p[1:] > 0), cu.divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
            increment = cu.divide_no_nan(prec_slope * (dtp + intercept * np.log(safe_p_ratio)), np.maximum(tp[1:] + fn[1:], 0))
        return self._dtype.type(self._average(increment))

    def result(self) -> Any:
        if self.exact:
            with self._lock:
                self._variables["scores"].consolidate()
                state = self._variables["scores"].value
            return self._dtype.type(_exact_area(state, self.curve))
        if not self._built:
            return self._dtype.type(0.0)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp, tn, fn = self._states()
        recall = cu.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = cu.divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, cu.divide_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scaling = cu.divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scaling * cu.divide_no_nan(fn, tp)
            precision_gain = 1.0 - scaling * cu.divide_no_nan(fp, tp)
            recall_gain = np.where(tp == 0, 0.0, recall_gain)
            precision_gain = np.where(tp == 0, 1.0, precision_gain)
            x, y = np.maximum(recall_gain, 0.0), precision_gain
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return self._dtype.type(self._average((x[:-1] - x[1:]) * heights))

    def get_config(self) -> dict[str, Any]:
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        if self.exact:
            config["exact"] = True
        return config


def _score_batch(t: np.ndarray, p: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """One batch of ``AUC(exact=True)``: distinct scores and the weight of positives and negatives at each."""
    scores = p.reshape(-1).astype(np.float64)
    positive = t.reshape(-1) != 0
    weights = np.ones(scores.size) if w is None else np.asarray(w, np.float64).reshape(-1)
    if w is None:
        # counts: sort the positives' and the negatives' scores apart (NumPy's
        # vectorised sort, no gather), count the runs, then merge the two tables
        tables = []
        for row, mask in enumerate((positive, ~positive)):
            ordered = np.sort(scores[mask])
            starts = _run_starts(ordered)
            counts = np.diff(np.append(starts, ordered.size)).astype(np.float64)
            sums = np.zeros((2, starts.size))
            sums[row] = counts
            tables.append((ordered[starts], sums))
        return _group_sums(np.concatenate([tables[0][0], tables[1][0]]), np.concatenate([tables[0][1], tables[1][1]], axis=1), kind="stable")
    sums = np.empty((2, scores.size))
    np.multiply(weights, positive, out=sums[0])
    np.subtract(weights, sums[0], out=sums[1])
    return _group_sums(scores, sums)


def _run_starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values begins in a sorted array (all NaN are one run)."""
    if ordered.size == 0:
        return np.zeros(0, np.intp)
    new_group = np.empty(ordered.size, dtype=bool)
    new_group[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new_group[1:])
    if np.isnan(ordered[-1]):
        nan = np.isnan(ordered)
        new_group[1:] &= ~(nan[1:] & nan[:-1])
    return np.flatnonzero(new_group)


def _group_sums(scores: np.ndarray, sums: np.ndarray, kind: str = "quicksort") -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct scores (all NaN as one, last) and the column sums of ``sums`` for each."""
    order = np.argsort(scores, kind=kind)
    ordered = scores[order]
    if ordered.size == 0:
        return ordered, sums[:, :0]
    starts = _run_starts(ordered)
    return ordered[starts], np.add.reduceat(sums[:, order], starts, axis=1)


def _exact_area(state: Mapping[str, np.ndarray], curve: str) -> float:
    """The exact ROC area (ties count half, as the trapezoid rule of
    ``sklearn.metrics.roc_auc_score``) or average precision
    (``sklearn.metrics.average_precision_score``) from counts per distinct score."""
    scores, pos, neg = state["scores"], state["positives"], state["negatives"]
    if len(scores) and np.isnan(scores[-1]):
        return float("nan")
    pos, neg = pos[::-1], neg[::-1]  # descending scores
    tps, fps = np.cumsum(pos), np.cumsum(neg)
    total_pos = tps[-1] if len(tps) else 0.0
    total_neg = fps[-1] if len(fps) else 0.0
    if curve == "ROC":
        if total_pos <= 0 or total_neg <= 0:
            return 0.0
        area = np.sum(neg * (tps - pos / 2.0))
        return float(area / (total_pos * total_neg))
    if total_pos <= 0:
        return 0.0
    predicted = tps + fps
    precision = cu.divide_no_nan(tps, predicted)
    return float(np.sum(pos / total_pos * precision))
