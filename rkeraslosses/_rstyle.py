"""R keras' spelling: ``loss_categorical_crossentropy(y_true, y_pred, ...)``,
``metric_categorical_crossentropy(...)`` and friends.

Each ``loss_*`` and ``metric_*`` has R keras' two modes: with ``y_true`` and
``y_pred`` it returns the per-sample values (the Keras function, no
reduction); with neither it returns the configured Loss object or stateful
metric, for compile-style use.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any, Callable

from . import metrics
from .losses import ALL_LOSSES


def _make(r_name: str, fn: Callable[..., Any], cls: type, replacement: str | None = None) -> Callable[..., Any]:
    """An R keras style function: data -> ``fn``'s per-sample values; no data -> ``cls(**options)``.
    With ``replacement``, the name is a deprecated alias that warns and forwards."""
    kind = "metric object" if issubclass(cls, metrics.Metric) else "loss object"

    def r_loss(y_true: Any = None, y_pred: Any = None, **options: Any) -> Any:
        if replacement:
            warnings.warn(f"`{r_name}` is deprecated: use `{replacement}` (the same loss).", FutureWarning, stacklevel=2)
        obj = cls(**options)  # validates every option, in data mode too
        if y_true is None and y_pred is None:
            return obj
        if y_true is None or y_pred is None:
            missing = "y_true" if y_true is None else "y_pred"
            raise TypeError(
                f"`{r_name}` takes both `y_true` and `y_pred` (per-sample values) or neither "
                f"(a {kind}). Received: {missing}=None"
            )
        return fn(y_true, y_pred, **obj._fn_kwargs)

    options = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in list(inspect.signature(cls.__init__).parameters.values())[1:]]
    data = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None) for n in ("y_true", "y_pred")]
    r_loss.__signature__ = inspect.Signature(data + options)  # type: ignore[attr-defined]
    r_loss.__name__ = r_loss.__qualname__ = r_name
    option_names = ", ".join(f"`{p.name}`" for p in options)
    r_loss.__doc__ = (
        f"R keras' `{r_name}`{' (deprecated alias)' if replacement else ''}.\n\n"
        f"With `y_true` and `y_pred`: the per-sample values of `{fn.__module__}.{fn.__name__}` (no reduction).\n"
        f"Without them: a `{cls.__module__}.{cls.__name__}` {kind} configured by the options ({option_names}).\n"
    )
    return r_loss


# (R keras name, Keras 3 function name). R keras 2.x names first, then keras3's.
R_NAMES = (
    ("loss_mean_squared_error", "mean_squared_error"),
    ("loss_mean_absolute_error", "mean_absolute_error"),
    ("loss_mean_absolute_percentage_error", "mean_absolute_percentage_error"),
    ("loss_mean_squared_logarithmic_error", "mean_squared_logarithmic_error"),
    ("loss_squared_hinge", "squared_hinge"),
    ("loss_hinge", "hinge"),
    ("loss_categorical_hinge", "categorical_hinge"),
    ("loss_logcosh", "log_cosh"),
    ("loss_log_cosh", "log_cosh"),
    ("loss_categorical_crossentropy", "categorical_crossentropy"),
    ("loss_sparse_categorical_crossentropy", "sparse_categorical_crossentropy"),
    ("loss_kullback_leibler_divergence", "kl_divergence"),
    ("loss_kl_divergence", "kl_divergence"),
    ("loss_poisson", "poisson"),
    ("loss_cosine_similarity", "cosine_similarity"),
    ("loss_binary_crossentropy", "binary_crossentropy"),
    ("loss_huber", "huber"),
)

_LOSS_CLASS = {fn.__name__: (fn, cls) for fn, cls in ALL_LOSSES}
R_LOSSES: dict[str, Callable[..., Any]] = {r: _make(r, *_LOSS_CLASS[k]) for r, k in R_NAMES}
R_LOSSES["loss_cosine_proximity"] = _make("loss_cosine_proximity", *_LOSS_CLASS["cosine_similarity"], replacement="loss_cosine_similarity")

# (R keras metric name, metric class).
R_METRIC_NAMES = (
    ("metric_mean_squared_error", metrics.MeanSquaredError),
    ("metric_mean_absolute_error", metrics.MeanAbsoluteError),
    ("metric_mean_absolute_percentage_error", metrics.MeanAbsolutePercentageError),
    ("metric_mean_squared_logarithmic_error", metrics.MeanSquaredLogarithmicError),
    ("metric_hinge", metrics.Hinge),
    ("metric_squared_hinge", metrics.SquaredHinge),
    ("metric_categorical_hinge", metrics.CategoricalHinge),
    ("metric_logcosh_error", metrics.LogCoshError),
    ("metric_kullback_leibler_divergence", metrics.KLDivergence),
    ("metric_poisson", metrics.Poisson),
    ("metric_cosine_similarity", metrics.CosineSimilarity),
    ("metric_binary_crossentropy", metrics.BinaryCrossentropy),
    ("metric_categorical_crossentropy", metrics.CategoricalCrossentropy),
    ("metric_sparse_categorical_crossentropy", metrics.SparseCategoricalCrossentropy),
)
R_METRICS: dict[str, Callable[..., Any]] = {r: _make(r, cls._fn_static, cls) for r, cls in R_METRIC_NAMES}


def metric_mean(name: str = "mean", dtype: Any = None) -> metrics.Mean:
    """R keras' `metric_mean()`: a stateful (weighted) mean of the values given."""
    return metrics.Mean(name=name, dtype=dtype)


def metric_sum(name: str = "sum", dtype: Any = None) -> metrics.Sum:
    """R keras' `metric_sum()`: a stateful (weighted) sum of the values given."""
    return metrics.Sum(name=name, dtype=dtype)


def metric_mean_wrapper(fn: Callable[..., Any], name: str | None = None, dtype: Any = None, **kwargs: Any) -> metrics.MeanMetricWrapper:
    """R keras' `metric_mean_wrapper(fn, ...)`: the stateful mean of `fn(y_true, y_pred, ...)`."""
    return metrics.MeanMetricWrapper(fn, name=name, dtype=dtype, **kwargs)


R_METRICS.update({"metric_mean": metric_mean, "metric_sum": metric_sum, "metric_mean_wrapper": metric_mean_wrapper})
