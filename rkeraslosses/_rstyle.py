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


def _make(r_name: str, fn: Callable[..., Any], cls: type, replacement: str | None = None) -> Callable[..., Any]:
    """An R keras style function: data -> ``fn``'s per-sample values; no data -> ``cls(**options)``.
    With ``replacement``, the name is a deprecated alias that warns and forwards."""
    kind = "metric object" if issubclass(cls, metrics.Metric) else "loss object"
    # Options already validated (by building the object once) -> the keyword
    # arguments fn takes. Building an object costs more than a small call's
    # arithmetic, so a data-mode call builds one only for options not seen yet.
    # The key holds each value's type: 1 and True hash alike but are not alike.
    validated: dict[tuple[Any, ...], dict[str, Any]] = {}

    def fn_kwargs(options: dict[str, Any]) -> dict[str, Any]:
        try:
            key = tuple(sorted((k, type(v), v) for k, v in options.items()))
            hash(key)
        except TypeError:  # an unhashable value: validate it every time
            return cls(**options)._fn_kwargs
        kwargs = validated.get(key)
        if kwargs is None:
            kwargs = cls(**options)._fn_kwargs  # validates every option
            if len(validated) < 256:
                validated[key] = kwargs
        return kwargs

    def r_loss(y_true: Any = None, y_pred: Any = None, **options: Any) -> Any:
        if replacement:
            warnings.warn(f"`{r_name}` is deprecated: use `{replacement}` (the same loss).", FutureWarning, stacklevel=2)
        if y_true is None and y_pred is None:
            return cls(**options)
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
        f"With `y_true` and `y_pred`: the per-sample values of `{fn.__module__}.{fn.__name__}` (no reduction).\n"
        f"Without them: a `{cls.__module__}.{cls.__name__}` {kind} configured by the options ({option_names}).\n"
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
        fn = e.fn if e.fn is not None else cls._fn_static  # type: ignore[union-attr]
        for r in e.r_names:
            out[r] = _make(r, fn, cls)
        for r in e.r_deprecated:
            out[r] = _make(r, fn, cls, replacement=e.r_names[0])
    return out


#: R name -> function, for every R name in the registry.
R_FUNCTIONS: dict[str, Callable[..., Any]] = _build()


def r_flags(r_name: str) -> dict[str, Any]:
    """What the R dispatcher needs to know of an R name: whether its ``y_true``
    holds integer labels, and the Python objects' kind."""
    e = registry.r_index()[r_name]
    return {"sparse_labels": e.sparse_labels, "kind": e.kind, "name": e.name}
