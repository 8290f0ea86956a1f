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

from . import metrics, registry


#: fn_kwargs' cache key of a call without options.
_NO_OPTIONS: tuple[tuple[Any, ...], ...] = ()


def _make(r_name: str, fn: Callable[..., Any] | None, cls: type, replacement: str | None = None) -> Callable[..., Any]:
    """An R keras style function: data -> ``fn``'s per-sample values; no data -> ``cls(**options)``.
    Without ``fn`` (a metric that Keras has only as a class, such as ``AUC``), data is an error.
    With ``replacement``, the name is a deprecated alias that warns and forwards."""
    kind = "metric object" if issubclass(cls, metrics.Metric) else "loss object"
    # Options already validated (by building the object once) -> the keyword
    # arguments fn takes. Building an object costs more than a small call's
    # arithmetic, so a data-mode call builds one only for options not seen yet.
    # The key holds each value's type: 1 and True hash alike but are not alike.
    validated: dict[tuple[Any, ...], dict[str, Any]] = {}

    def fn_kwargs(options: dict[str, Any]) -> dict[str, Any]:
        # The names, the values and their types (True, 1 and 1.0 are equal keys,
        # but not equally valid options), in the order given: another order is
        # another key for the same options, validated once more.
        key = tuple([(name, type(value), value) for name, value in options.items()])  # 0.2 µs less than three tuples
        try:
            kwargs = validated.get(key)
        except TypeError:  # an unhashable value: validate it every time
            return cls(**options)._fn_kwargs
        if kwargs is None:
            kwargs = cls(**options)._fn_kwargs  # validates every option
            if len(validated) < 256:
                validated[key] = kwargs
        return kwargs

    def r_loss(y_true: Any = None, y_pred: Any = None, **options: Any) -> Any:
        if not options and not replacement and y_true is not None and y_pred is not None:
            defaults = validated.get(_NO_OPTIONS)  # no options, already validated once: the common call
            if defaults is not None:
                return fn(y_true, y_pred, **defaults)
        if replacement:
            warnings.warn(f"`{r_name}` is deprecated: use `{replacement}` (the same loss).", FutureWarning, stacklevel=2)
        if y_true is None and y_pred is None:
            return cls(**options)
        if fn is None:  # a metric Keras has only as a class (AUC, RootMeanSquaredError, R2Score, the IoUs)
            cls(**options)  # the options' errors come first
            raise TypeError(
                f"`{r_name}` makes a stateful {kind} only (Keras has no per-sample function for it): "
                "call it without `y_true` and `y_pred`, then use update_state() and result()."
            )
        kwargs = fn_kwargs(options)  # validates every option, in data mode too
        if y_true is None or y_pred is None:
            missing = "y_true" if y_true is None else "y_pred"
            raise TypeError(
                f"`{r_name}` takes both `y_true` and `y_pred` (per-sample values) or neither "
                f"(a {kind}). Received: {missing}=None"
            )
        return fn(y_true, y_pred, **kwargs)

    options = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in list(inspect.signature(cls.__init__).parameters.values())[1:]]
    data = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None) for n in ("y_true", "y_pred")]
    r_loss.__signature__ = inspect.Signature(data + options)  # type: ignore[attr-defined]
    r_loss.__name__ = r_loss.__qualname__ = r_name
    option_names = ", ".join(f"`{p.name}`" for p in options)
    r_loss.__doc__ = (
        f"R keras' `{r_name}`{' (deprecated alias)' if replacement else ''}.\n\n"
        + (f"With `y_true` and `y_pred`: the per-sample values of `{fn.__module__}.{fn.__name__}` (no reduction).\n" if fn is not None else "")
        + f"Without them: a `{cls.__module__}.{cls.__name__}` {kind} configured by the options ({option_names}).\n"
    )
    return r_loss


def _function_metric(fn: Callable[..., Any]) -> type:
    """A metric class for a metric entry that Keras exports only as a function
    (``huber``, ``log_cosh``): the mean of ``fn`` with its options."""
    import inspect as _inspect

    params = [p for p in list(_inspect.signature(fn).parameters.values())[2:]]

    def __init__(self: Any, name: str | None = None, dtype: Any = None, **options: Any) -> None:
        metrics.MeanMetricWrapper.__init__(self, fn, name=name or fn.__name__, dtype=dtype, **options)

    sig = [_inspect.Parameter("self", _inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    sig += [_inspect.Parameter("name", _inspect.Parameter.KEYWORD_ONLY, default=None), _inspect.Parameter("dtype", _inspect.Parameter.KEYWORD_ONLY, default=None)]
    sig += [p.replace(kind=_inspect.Parameter.KEYWORD_ONLY) for p in params]
    __init__.__signature__ = _inspect.Signature(sig)  # type: ignore[attr-defined]
    return type(f"MeanMetricWrapper[{fn.__name__}]", (metrics.MeanMetricWrapper,), {"__init__": __init__, "__module__": __name__})


def metric_mean_wrapper(fn: Callable[..., Any], name: str | None = None, dtype: Any = None, **kwargs: Any) -> metrics.MeanMetricWrapper:
    """R keras' `metric_mean_wrapper(fn, ...)`: the stateful mean of `fn(y_true, y_pred, ...)`."""
    return metrics.MeanMetricWrapper(fn, name=name, dtype=dtype, **kwargs)


def metric_mean(name: str = "mean", dtype: Any = None) -> metrics.Mean:
    """R keras' `metric_mean()`: a stateful (weighted) mean of the values given."""
    return metrics.Mean(name=name, dtype=dtype)


def metric_sum(name: str = "sum", dtype: Any = None) -> metrics.Sum:
    """R keras' `metric_sum()`: a stateful (weighted) sum of the values given."""
    return metrics.Sum(name=name, dtype=dtype)


_SPECIAL = {metrics.Mean: metric_mean, metrics.Sum: metric_sum, metrics.MeanMetricWrapper: metric_mean_wrapper}


def per_sample_function(e: registry.Entry) -> Callable[..., Any] | None:
    """The function whose per-sample values an R name gives with data, or None
    when data mode gives the metric of one batch: a metric has per-sample values
    only when its class is the mean of a function (a ``MeanMetricWrapper``,
    whose options reach the function); ``AUC``, ``Precision``, ... have none."""
    if e.cls is None:
        return e.fn
    if e.kind == "metric" and not issubclass(e.cls, metrics.MeanMetricWrapper):
        return None
    return e.fn if e.fn is not None else getattr(e.cls, "_fn_static", None)


def _build() -> dict[str, Callable[..., Any]]:
    out: dict[str, Callable[..., Any]] = {}
    for e in registry.ENTRIES:
        if not (e.r_names or e.r_deprecated):
            continue
        if e.cls in _SPECIAL:
            for r in e.r_names:
                out[r] = _SPECIAL[e.cls]
            continue
        cls = e.cls if e.cls is not None else _function_metric(e.fn)  # type: ignore[arg-type]
        fn = per_sample_function(e)
        for r in e.r_names:
            out[r] = _make(r, fn, cls)
        for r in e.r_deprecated:
            out[r] = _make(r, fn, cls, replacement=e.r_names[0])
    return out


#: R name -> function, for every R name in the registry.
R_FUNCTIONS: dict[str, Callable[..., Any]] = _build()


def _takes_values(cls: type | None) -> bool:
    """Whether ``update_state`` takes ``(values, sample_weight)`` (``Mean``, ``Sum``)
    rather than ``(y_true, y_pred, sample_weight)``: read from its signature, as
    subclasses of ``Mean`` (``RootMeanSquaredError``) take ``y_true, y_pred``."""
    if cls is None or not issubclass(cls, metrics.Metric):
        return False
    params = list(inspect.signature(cls.update_state).parameters)
    return len(params) > 1 and params[1] == "values"


def r_flags(r_name: str) -> dict[str, Any]:
    """What the R dispatcher needs to know of an R name: whether its ``y_true``
    holds integer labels (``sparse_labels``; ``labels`` is the registry's label
    kind), the Python objects' ``kind`` (``"loss"`` or ``"metric"``), and whether
    a metric accumulates plain values (``values``: ``Mean``, ``Sum``)."""
    e = registry.r_index()[r_name]
    return {
        "sparse_labels": e.sparse_labels,
        "labels": e.labels,
        "kind": e.kind,
        "name": e.name,
        "values": _takes_values(e.cls),
        "per_sample": per_sample_function(e) is not None,
    }


def object_flags(obj: Any) -> dict[str, Any]:
    """:func:`r_flags` for a Loss object or metric, whatever made it (a name, a
    config, a wrapped function): the registry entry of the function it wraps,
    else of its class."""
    from . import losses

    cls = type(obj)
    fn = getattr(obj, "fn", None) or getattr(obj, "_fn", None)
    found = next((e for e in registry.ENTRIES if fn is not None and e.fn is fn), None)
    if found is None:
        found = next((e for e in registry.ENTRIES if e.cls is cls), None)
    kind = "metric" if isinstance(obj, metrics.Metric) else "loss" if isinstance(obj, losses.Loss) else None
    return {
        "sparse_labels": bool(found is not None and found.sparse_labels),
        "labels": found.labels if found is not None else "dense",
        "kind": kind,
        "values": _takes_values(cls),
    }
