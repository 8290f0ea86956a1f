"""Regression metrics: the means of the regression losses, and cosine similarity."""

from __future__ import annotations

import numbers
import warnings
from typing import Any, Iterable

import numpy as np

from .. import losses as _losses
from ..losses._rowwise import rowsum
from .._inputs import _describe, as_float_array, check_axis, same_shape_pair
from ._sums import FLOAT32_RUN, add_column_sums, fold_column_sums, group
from .base import BuiltinMetric, Mean, Metric, builtin_metric

#: Elements per block when RootMeanSquaredError and R2Score sum a batch: the temporaries of a block stay in cache.
_R2_BLOCK_ELEMENTS = 1 << 16

#: Values in one float32 run of flat values (see _sums.py); RMSE sums a smaller block in one reduction.
_RUN_VALUES = FLOAT32_RUN * group(1)

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


class RootMeanSquaredError(Mean):
    """``sqrt(mean((y_pred - y_true) ** 2))`` over every value seen.

    The squared errors are computed in the metric's dtype, as in Keras; their
    (weighted) mean is kept exactly, and the square root taken at the end.

    >>> m = RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> print(m.result())
    0.5
    >>> m.reset_state()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
    >>> print(m.result())
    0.70710677
    """

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch's squared errors, weighted by ``sample_weight``."""
        t, p = same_shape_pair(y_true, y_pred, self._dtype)
        w = None if sample_weight is None else as_float_array(sample_weight, "sample_weight", self._dtype)
        if t.ndim == 0 or (w is not None and not (w.ndim == 1 and t.ndim >= 1 and w.shape[0] == t.shape[0])):
            # Any other weight shape: Keras' general rule (values reduced to the weights' rank).
            with np.errstate(over="ignore", invalid="ignore"):
                error = np.subtract(p, t)
                np.square(error, out=error)
            self._update_values(error, sample_weight, None)
            return
        # Fast path (no weights, or one weight per sample), in blocks of rows
        # that stay in cache: squared errors in the metric's dtype as Keras
        # computes them. Unweighted, their sum in float64 (add_column_sums);
        # weighted, each sample's sum in the metric's dtype (Keras takes each
        # sample's mean in it; rowsum, so that a sample's sum does not depend on
        # its place in the batch), times the weight, summed in float64: the
        # broadcast product error * w[:, None] runs over rows of a few values
        # 2.5x slower. A block of fewer values than one float32 run (a small
        # update) takes that product and one float64 reduction: fewer calls.
        n = t.shape[0]
        per = int(np.prod(t.shape[1:], dtype=np.int64)) if t.ndim > 1 else 1
        t2, p2 = t.reshape(n, per), p.reshape(n, per)
        rows = max(1, _R2_BLOCK_ELEMENTS // max(per, 1))
        acc = None  # regrouped sums of the values (any regrouping will do: one total)
        total = 0.0
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, n, rows):
                error = np.subtract(p2[start : start + rows], t2[start : start + rows])
                np.square(error, out=error)
                wb = None if w is None else w[start : start + rows]
                if error.size < _RUN_VALUES:
                    if wb is not None:
                        np.multiply(error, wb[:, None], out=error)
                    total += float(np.add.reduce(error, axis=None, dtype=np.float64))
                elif wb is None:
                    acc = np.zeros((1, group(1))) if acc is None else acc
                    add_column_sums(error.reshape(1, -1, 1), acc)
                else:
                    per_sample = error.reshape(-1) if per == 1 else rowsum(error)
                    total += float(np.add.reduce(np.multiply(per_sample, wb, out=per_sample), dtype=np.float64))
        if acc is not None:
            total += float(np.add.reduce(acc, axis=None))
        count = float(n) if w is None else float(np.add.reduce(w, dtype=np.float64))
        self._commit(total=total / (per or 1), count=count)

    def result(self) -> Any:
        with self._lock:
            total, count = self.total.value, self.count.value
        mean = total / count if count else 0.0
        return self._cast(np.sqrt(mean))


_CLASS_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """The coefficient of determination, ``1 - SS_res / SS_tot`` per output
    column, aggregated over the columns (Keras' ``R2Score``, sklearn's ``r2_score``).

    Args:
        class_aggregation: ``"uniform_average"`` (the mean over the columns),
            ``"variance_weighted_average"`` (weighted by each column's total sum
            of squares) or None (one score per column).
        num_regressors: the number of independent regressors, for the adjusted
            R2 ``1 - (1 - R2) (n - 1) / (n - p - 1)``, where ``n`` counts every
            value seen (``y_true.size``, as Keras counts). 0: the plain R2.
            With ``num_regressors >= n - 1`` the plain R2 is returned with a
            warning, as Keras does.

    Inputs are 2-D, ``(batch_size, output_dim)`` (a 1-D ``y_true`` against an
    ``(n, 1)`` ``y_pred`` is accepted by the squeeze rule); ``sample_weight`` is
    a scalar, ``(batch_size,)`` or the inputs' shape. The per-column sums are
    float64 and exact across batches; the number of columns is fixed by the
    first batch.

    Fewer than two samples (or a column whose ``y_true`` is constant) is Keras'
    behaviour, not an error: the column's total sum of squares is 0, and its
    score is 0 where ``SS_res > 0`` (Keras maps the infinite ratio to 0) and
    NaN where ``SS_res == 0``. Before any update, the result is 0.

    >>> m = R2Score()
    >>> m.update_state([[1], [4], [3]], [[2], [4], [4]])
    >>> print(m.result())  # 4/7; Keras' float32 arithmetic prints 0.57142854
    0.5714286
    """

    def __init__(self, class_aggregation: str | None = "uniform_average", num_regressors: int = 0, name: str = "r2_score", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _CLASS_AGGREGATIONS:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {_CLASS_AGGREGATIONS}. "
                f"Received: class_aggregation={class_aggregation!r}"
            )
        if isinstance(num_regressors, bool) or not isinstance(num_regressors, numbers.Real) or num_regressors != int(num_regressors):
            raise TypeError(f"Argument `num_regressors` must be an integer >= 0. Received: num_regressors={_describe(num_regressors)}")
        if num_regressors < 0:
            raise ValueError(f"Invalid value for argument `num_regressors`. Expected a value >= 0. Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = int(num_regressors)
        self.num_samples = self.add_variable("num_samples")
        self.num_outputs: int | None = None

    def _build(self, num_outputs: int) -> None:
        self.num_outputs = num_outputs
        for name in ("squared_sum", "sum", "residual", "count"):
            self.add_variable(name, shape=(num_outputs,))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch: per column, the (weighted) sums of ``y_true``, ``y_true**2``, ``(y_true - y_pred)**2`` and the weights."""
        t, p = same_shape_pair(y_true, y_pred, self._dtype)
        if t.ndim != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). "
                f"Received: y_true.shape={t.shape}, y_pred.shape={p.shape}"
            )
        w = w_rows = None
        if sample_weight is not None:
            w = as_float_array(sample_weight, "sample_weight", self._dtype)
            if w.ndim == 1:
                w = w[:, None]
            if w.shape == (t.shape[0], 1):
                w_rows = w  # one weight per sample: broadcast block by block
            try:
                w = np.broadcast_to(w, t.shape)
            except ValueError:
                raise ValueError(
                    "Argument `sample_weight` must be a scalar, one weight per sample (batch_size,) or have "
                    f"y_true's shape. Received: sample_weight.shape={np.shape(sample_weight)}, y_true.shape={t.shape}"
                ) from None
        n, d = t.shape
        m = group(d)
        # Regrouped sums (see add_column_sums) of w, w t, w t^2 and w r^2.
        acc = np.zeros((4, m * d))
        # Blocks of whole runs, so only the last block has a remainder (rows so
        # wide that a block holds no run: whole regrouped rows, at least one).
        per_block = _R2_BLOCK_ELEMENTS // max(d, 1)
        rows = per_block // (m * FLOAT32_RUN) * (m * FLOAT32_RUN) or max(m, per_block // m * m)
        buf = np.empty((3, min(rows, n), d), dtype=t.dtype)
        row_weights = 0.0
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, n, rows):
                # Products in the metric's dtype, as Keras computes them (t t, w t t
                # as (w t) t, w r^2 as r^2 w); their column sums in float64.
                tb = np.ascontiguousarray(t[start : start + rows])
                b = buf[:, : len(tb)]
                res = np.subtract(tb, p[start : start + rows], out=b[2])
                np.square(res, out=res)
                if w is None:
                    np.square(tb, out=b[1])
                    add_column_sums(tb[None], acc[1:2])
                    add_column_sums(b[1:], acc[2:])
                    continue
                if w_rows is not None:
                    # One weight per row, repeated along the row: NumPy's broadcast
                    # product x * w[:, None] runs over rows of d values 2.5x slower.
                    wr = w_rows[start : start + rows]
                    row_weights += float(np.add.reduce(wr, axis=None, dtype=np.float64))
                    wb = np.repeat(wr, d).reshape(tb.shape)
                else:
                    wb = np.ascontiguousarray(w[start : start + rows])
                    add_column_sums(wb[None], acc[:1])
                np.multiply(tb, wb, out=b[0])
                np.multiply(b[0], tb, out=b[1])
                np.multiply(res, wb, out=res)
                add_column_sums(b, acc[1:])
        sums = fold_column_sums(acc, d)
        if w is None:
            sums[0] = n
        elif w_rows is not None:
            sums[0] = row_weights
        with self._lock:
            if self.num_outputs is None:
                self._build(d)
            elif d != self.num_outputs:
                raise ValueError(
                    f"R2Score was built for {self.num_outputs} output columns by its first batch. "
                    f"Received: y_true.shape={t.shape}"
                )
            v = self._variables
            v["count"].add(sums[0])
            v["sum"].add(sums[1])
            v["squared_sum"].add(sums[2])
            v["residual"].add(sums[3])
            v["num_samples"].add(float(t.size))

    def merge_state(self, metrics: "Metric | Iterable[Metric]") -> None:
        others = [metrics] if isinstance(metrics, Metric) else list(metrics)
        built = []
        for other in others:
            if not isinstance(other, R2Score):
                raise ValueError(f"merge_state takes metrics of the same kind as this R2Score. Received: {type(other).__name__}")
            if other.num_outputs is None:
                continue  # never updated: nothing to add
            with self._lock:
                if self.num_outputs is None:
                    self._build(other.num_outputs)
            if other.num_outputs != self.num_outputs:
                raise ValueError(
                    f"merge_state takes R2Score metrics with the same number of outputs ({self.num_outputs}). "
                    f"Received: {other.num_outputs}"
                )
            built.append(other)
        super().merge_state(built)

    def result(self) -> Any:
        with self._lock:
            if self.num_outputs is None:
                return self._cast(0.0)
            v = {k: x.value for k, x in self._variables.items()}
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = v["sum"] / v["count"]
            total = v["squared_sum"] - v["sum"] * mean
            raw = 1 - v["residual"] / total
            raw = np.where(np.isinf(raw), 0.0, raw)
            if self.class_aggregation == "uniform_average":
                score = np.mean(raw)
            elif self.class_aggregation == "variance_weighted_average":
                score = np.sum(total * raw) / np.sum(total)
            else:
                score = raw
        n, p = v["num_samples"], self.num_regressors
        if p != 0:
            if p > n - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 score. Falling back to standard R2 score.", stacklevel=2)
            elif p == n - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard R2 score.", stacklevel=2)
            else:
                score = 1 - (1 - score) * (n - 1) / (n - p - 1)
        return np.asarray(score).astype(self._dtype)[()]

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(class_aggregation=self.class_aggregation, num_regressors=self.num_regressors)
        return config
