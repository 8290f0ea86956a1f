"""What ``compile(loss=...)`` and ``compile(metrics=[...])`` accept: names,
objects, config dicts, callables. The only place where name strings are
resolved; every name comes from :mod:`rkeraslosses.registry`.

>>> get("mse")([[0.0, 1.0]], [[1.0, 1.0]])
array([0.5], dtype=float32)
>>> get("CategoricalCrossentropy")
CategoricalCrossentropy(name='categorical_crossentropy', reduction='sum_over_batch_size', from_logits=False, label_smoothing=0.0, axis=-1)
>>> serialize(get("CategoricalCrossentropy"))["class_name"]
'CategoricalCrossentropy'
>>> get_metric("mae").name
'mean_absolute_error'
"""

from __future__ import annotations

import difflib
import warnings
from typing import Any, Callable, Mapping

import numpy as np

from . import registry
from ._inputs import as_numeric_array
from .losses.base import Loss, LossFunctionWrapper
from .metrics.base import MeanMetricWrapper, Metric

_BASES = {"loss": Loss, "metric": Metric}
_KIND_WORD = {"loss": "loss", "metric": "metric"}


# ----------------------------------------------------------------- shape rule


def pick(kind: str, family: str, y_true: Any, y_pred: Any) -> registry.Entry:
    """The member of ``family`` (``"crossentropy"``/``"accuracy"``) that Keras'
    compile picks for these inputs (see :func:`registry.pick_by_shape`)."""
    t = np.shape(as_numeric_array(y_true, "y_true"))
    p = np.shape(as_numeric_array(y_pred, "y_pred"))
    return registry.family_member(kind, family, registry.pick_by_shape(t, p))


def crossentropy(y_true: Any, y_pred: Any) -> np.ndarray:
    """Pick binary, sparse or categorical crossentropy from the shapes, as Keras' compile does.

    Binary when ``y_pred``'s last axis is 1; sparse when ``y_true`` has lower
    rank, or its last axis is 1 and ``y_pred``'s is not; otherwise categorical.

    Example:

        >>> crossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]).round(4)
        array([0.0513, 2.3026], dtype=float32)
    """
    fn = pick("loss", "crossentropy", y_true, y_pred).fn
    assert fn is not None
    return fn(y_true, y_pred)


# ----------------------------------------------------------------- messages


def unknown_name(name: str, kind: str, what: str | None = None) -> ValueError:
    """The error for a name that resolves to nothing: a Keras name we do not
    implement yet says so; anything else suggests the closest known names."""
    what = what or _KIND_WORD[kind]
    if name in registry.KERAS_NAMES[kind] or registry.to_snake_case(name) in registry.KERAS_NAMES[kind]:
        return ValueError(
            f"`{name}` is a Keras {_KIND_WORD[kind]} that rkeraslosses does not implement yet. Received: identifier={name!r}"
        )
    known = sorted(set(registry.NAMES[kind]) | set(registry.AUTO_NAMES))
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if not close and len(name) > 3:
        close = [n for n in known if name.lower() in n.lower()][:3]
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return ValueError(f"Unknown {what}: {name!r}.{hint} Received: identifier={name!r}")


def _entry(kind: str, name: str, what: str | None = None) -> registry.Entry:
    try:
        return registry.entry(kind, name)
    except KeyError:
        raise unknown_name(name, kind, what) from None


# ----------------------------------------------------------------- losses


def get_function(name: str) -> Callable[..., Any]:
    """The loss function registered under ``name`` (a function name or alias)."""
    if name in ("crossentropy", "ce"):
        return crossentropy
    e = _entry("loss", name, "loss function")
    if e.fn is None:
        raise unknown_name(name, "loss", "loss function")
    return e.fn


def get(identifier: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Resolve a loss identifier, the way Keras' ``compile(loss=...)`` does.

    * a function name or alias (``"mse"``, ``"logcosh"``, ...) gives the function;
    * a class name (``"CategoricalCrossentropy"``) gives a default instance;
    * ``"crossentropy"`` / ``"ce"`` gives :func:`crossentropy`, which picks the
      right crossentropy from the shapes;
    * a :class:`Loss` instance is returned as is, a Loss class is instantiated;
    * a dict ``{"class_name": ..., "config": {...}}`` is deserialized;
    * any other callable ``f(y_true, y_pred)`` is wrapped in a
      :class:`LossFunctionWrapper` (reduction ``sum_over_batch_size``).

    Unknown names raise ValueError suggesting the closest ones.
    """
    if identifier is None:
        return None
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        if custom_objects and identifier in custom_objects:
            return get(custom_objects[identifier])
        if identifier in ("crossentropy", "ce"):
            return crossentropy
        e = _entry("loss", identifier, "loss function")
        if e.cls is LossFunctionWrapper:
            raise unknown_name(identifier, "loss", "loss function")
        if e.cls is not None and identifier == e.cls.__name__:
            return e.cls()
        return e.fn if e.fn is not None else e.cls()  # type: ignore[misc]
    if isinstance(identifier, Mapping):
        return deserialize(identifier, custom_objects)
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        return LossFunctionWrapper(identifier)
    raise TypeError(
        "Could not interpret loss identifier: expected a name, a Loss object, a config dict "
        f"or a callable f(y_true, y_pred). Received: identifier={identifier!r}"
    )


def _is_builtin(kind: str, cls: type) -> bool:
    e = registry.NAMES[kind].get(cls.__name__)
    return e is not None and e.cls is cls


def serialize(obj: Any) -> Any:
    """Keras' serialized form of a loss: a dict for objects and functions, a string as is."""
    if obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, Loss):
        builtin = _is_builtin("loss", type(obj))
        config = obj.get_config()
        if isinstance(obj, LossFunctionWrapper) and "fn" in config:
            config["fn"] = serialize(obj.fn)
        return {
            "module": "keras.losses" if builtin else type(obj).__module__,
            "class_name": type(obj).__name__,
            "config": config,
            "registered_name": None if builtin else type(obj).__name__,
        }
    name = getattr(obj, "__name__", None)
    if callable(obj) and name is not None:
        return {"module": "keras.losses", "class_name": "function", "config": name, "registered_name": name}
    raise TypeError(f"Cannot serialize {obj!r}: expected a Loss object, a loss function or a name.")


def _function_from_config(value: Any, kind: str, custom_objects: Mapping[str, Any] | None) -> Any:
    """The ``fn`` of a wrapper's config: a name or a serialized function -> the function."""
    if isinstance(value, Mapping):
        value = value.get("config") if isinstance(value.get("config"), str) else value.get("registered_name")
    if isinstance(value, str):
        if custom_objects and value in custom_objects:
            return custom_objects[value]
        if kind == "metric":
            e = registry.NAMES["metric"].get(value)
            if e is not None and e.fn is not None:
                return e.fn
        return get_function(value)
    return value


def _class_from_config(config: Any, kind: str, custom_objects: Mapping[str, Any] | None) -> tuple[type, dict[str, Any]]:
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise ValueError(
            f"A {kind} config must be a name or a dict with a 'class_name' key (and a 'config' dict), "
            f"as keras.{kind}s.serialize() writes it. Received: config={config!r}"
        )
    class_name = config["class_name"]
    inner = config.get("config") or {}
    cls = None
    for key in (config.get("registered_name"), class_name):
        if custom_objects and key in custom_objects:
            cls = custom_objects[key]
            break
    if cls is None:
        e = registry.NAMES[kind].get(str(class_name))
        if e is None or e.cls is None or e.cls.__name__ != class_name:
            raise unknown_name(str(class_name), kind, f"{kind} class")
        cls = e.cls
    if not isinstance(inner, Mapping):
        raise ValueError(f"The 'config' of a {class_name} must be a dict. Received: config={inner!r}")
    inner = dict(inner)
    if isinstance(inner.get("dtype"), Mapping):  # Keras 3 writes a DTypePolicy config here
        inner["dtype"] = inner["dtype"].get("config", {}).get("name")
    if "fn" in inner:
        inner["fn"] = _function_from_config(inner["fn"], kind, custom_objects)
    _warn_dropped_option(cls, kind, inner)
    return cls, inner


# Options Keras 3's get_config() leaves out, so a config Keras saved cannot hold
# them: (kind, class name) -> (option, default). Loading such a config gives the
# default, as a reloaded Keras model does, which need not be what the original
# model computed: say so, once per class and option in a session.
_DROPPED_BY_KERAS = {
    ("loss", "Huber"): ("delta", 1.0),
    ("loss", "CosineSimilarity"): ("axis", -1),
    ("metric", "CosineSimilarity"): ("axis", -1),
}
_warned_dropped: set[tuple[str, str]] = set()


def _warn_dropped_option(cls: type, kind: str, inner: Mapping[str, Any]) -> None:
    dropped = _DROPPED_BY_KERAS.get((kind, cls.__name__))
    if dropped is None or not _is_builtin(kind, cls) or dropped[0] in inner or (kind, cls.__name__) in _warned_dropped:
        return
    _warned_dropped.add((kind, cls.__name__))
    option, default = dropped
    warnings.warn(
        f"The {cls.__name__} config has no `{option}` (Keras 3's get_config() leaves it out): using "
        f"{option}={default}, as a Keras model reloaded from it does. If the model was compiled with "
        f"another {option}, its reported numbers used that one: build the {kind} with {cls.__name__}({option}=...) "
        "instead.",
        UserWarning,
        stacklevel=4,
    )


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Rebuild a loss from :func:`serialize`'s output (or Keras' own)."""
    if isinstance(config, str):
        return get(config, custom_objects)
    if isinstance(config, Mapping) and config.get("class_name") == "function":
        inner = config.get("config")
        name = inner if isinstance(inner, str) else config.get("registered_name")
        if custom_objects and name in custom_objects:
            return custom_objects[name]
        return get_function(str(name))
    cls, inner = _class_from_config(config, "loss", custom_objects)
    try:
        return cls.from_config(inner)
    except TypeError as err:
        raise ValueError(f"Invalid config for {config['class_name']}: {err}. Received: config={inner!r}") from err


# ----------------------------------------------------------------- metrics


def get_metric(identifier: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Resolve a metric identifier as Keras' ``metrics.get`` does.

    A name (``"mae"``, ``"categorical_crossentropy"``, ``"CategoricalCrossentropy"``)
    gives a new metric object; a dict ``{"class_name", "config"}`` is deserialized;
    a Metric is returned as is, a Metric class instantiated; any other callable
    ``f(y_true, y_pred)`` is wrapped in a :class:`MeanMetricWrapper`.

    >>> get_metric("mae").name
    'mean_absolute_error'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        if custom_objects and identifier in custom_objects:
            return get_metric(custom_objects[identifier])
        e = _entry("metric", identifier)
        if e.cls is None:
            return MeanMetricWrapper(e.fn, name=e.name)  # type: ignore[arg-type]
        if e.cls is MeanMetricWrapper:
            raise unknown_name(identifier, "metric")
        return e.cls()
    if isinstance(identifier, Mapping):
        return deserialize_metric(identifier, custom_objects)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise TypeError(
        "Could not interpret metric identifier: expected a name, a Metric, a config dict or a callable. "
        f"Received: identifier={identifier!r}"
    )


def serialize_metric(metric: Metric) -> dict[str, Any]:
    """Keras' serialized form of a metric."""
    if not isinstance(metric, Metric):
        raise TypeError(f"Cannot serialize {metric!r}: expected a Metric.")
    builtin = _is_builtin("metric", type(metric))
    return {
        "module": "keras.metrics" if builtin else type(metric).__module__,
        "class_name": type(metric).__name__,
        "config": metric.get_config(),
        "registered_name": None if builtin else type(metric).__name__,
    }


def deserialize_metric(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Metric:
    """Rebuild a metric from :func:`serialize_metric`'s output (or Keras' own)."""
    if isinstance(config, str):
        return get_metric(config, custom_objects)
    if isinstance(config, Mapping) and config.get("class_name") == "function":
        # A metric function in a compile config (compile(metrics=[keras.metrics.huber])):
        # Keras wraps it in a MeanMetricWrapper named after the function.
        fn = _function_from_config(config, "metric", custom_objects)
        return MeanMetricWrapper(fn, name=getattr(fn, "__name__", None))
    cls, inner = _class_from_config(config, "metric", custom_objects)
    try:
        return cls.from_config(inner)
    except TypeError as err:
        raise ValueError(f"Invalid config for metric {config['class_name']}: {err}. Received: config={inner!r}") from err
