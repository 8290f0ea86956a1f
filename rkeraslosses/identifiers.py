"""What ``compile(loss=...)`` accepts: names, objects, config dicts, callables.

>>> get("mse")([[0.0, 1.0]], [[1.0, 1.0]])
array([0.5], dtype=float32)
>>> get("CategoricalCrossentropy")
CategoricalCrossentropy(name='categorical_crossentropy', reduction='sum_over_batch_size', from_logits=False, label_smoothing=0.0, axis=-1)
>>> serialize(get("CategoricalCrossentropy"))["class_name"]
'CategoricalCrossentropy'
"""

from __future__ import annotations

import difflib
from typing import Any, Callable, Mapping

import numpy as np

from ._inputs import as_numeric_array
from .losses import ALIASES, ALL_LOSSES
from .losses.base import Loss, LossFunctionWrapper
from .losses.probabilistic import binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy

_FUNCTIONS: dict[str, Callable[..., Any]] = {fn.__name__: fn for fn, _ in ALL_LOSSES}
_FUNCTIONS.update(ALIASES)
_CLASSES: dict[str, type[Loss]] = {cls.__name__: cls for _, cls in ALL_LOSSES}
_CLASSES["LossFunctionWrapper"] = LossFunctionWrapper
_AUTO_CROSSENTROPY = ("crossentropy", "ce")


def crossentropy(y_true: Any, y_pred: Any) -> np.ndarray:
    """Pick binary, sparse or categorical crossentropy from the shapes, as Keras' compile does.

    Binary when ``y_pred``'s last axis is 1; sparse when ``y_true`` has lower
    rank, or its last axis is 1 and ``y_pred``'s is not; otherwise categorical.

    Example:

        >>> crossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]).round(4)
        array([0.0513, 2.3026], dtype=float32)
    """
    t = np.shape(as_numeric_array(y_true, "y_true"))
    p = np.shape(as_numeric_array(y_pred, "y_pred"))
    if p and p[-1] == 1:
        return binary_crossentropy(y_true, y_pred)
    if len(t) < len(p) or (t and p and t[-1] == 1 and p[-1] > 1):
        return sparse_categorical_crossentropy(y_true, y_pred)
    return categorical_crossentropy(y_true, y_pred)


def _known_names() -> list[str]:
    return sorted(set(_FUNCTIONS) | set(_CLASSES) | set(_AUTO_CROSSENTROPY))


def _unknown(name: str, kind: str = "loss") -> ValueError:
    close = difflib.get_close_matches(name, _known_names(), n=3, cutoff=0.6)
    if not close:
        close = [n for n in _known_names() if name.lower() in n.lower()][:3]
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return ValueError(f"Unknown {kind}: {name!r}.{hint} Received: identifier={name!r}")


def get_function(name: str) -> Callable[..., Any]:
    """The loss function registered under ``name`` (a function name or alias)."""
    if name in _AUTO_CROSSENTROPY:
        return crossentropy
    try:
        return _FUNCTIONS[name]
    except KeyError:
        raise _unknown(name, "loss function") from None


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
        if identifier in _CLASSES and identifier != "LossFunctionWrapper":
            return _CLASSES[identifier]()
        return get_function(identifier)
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


def serialize(obj: Any) -> Any:
    """Keras' serialized form of a loss: a dict for objects and functions, a string as is."""
    if obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, Loss):
        builtin = _CLASSES.get(type(obj).__name__) is type(obj)
        return {
            "module": "keras.losses" if builtin else type(obj).__module__,
            "class_name": type(obj).__name__,
            "config": obj.get_config(),
            "registered_name": None if builtin else type(obj).__name__,
        }
    name = getattr(obj, "__name__", None)
    if callable(obj) and name is not None:
        return {"module": "keras.losses", "class_name": "function", "config": name, "registered_name": name}
    raise TypeError(f"Cannot serialize {obj!r}: expected a Loss object, a loss function or a name.")


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Rebuild a loss from :func:`serialize`'s output (or Keras' own)."""
    if isinstance(config, str):
        return get(config, custom_objects)
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise ValueError(
            "A loss config must be a name or a dict with a 'class_name' key (and a 'config' dict), "
            f"as keras.losses.serialize() writes it. Received: config={config!r}"
        )
    class_name = config["class_name"]
    inner = config.get("config") or {}
    if class_name == "function":
        name = inner if isinstance(inner, str) else config.get("registered_name")
        if custom_objects and name in custom_objects:
            return custom_objects[name]
        return get_function(str(name))
    for key in (config.get("registered_name"), class_name):
        if custom_objects and key in custom_objects:
            return custom_objects[key].from_config(dict(inner))
    cls = _CLASSES.get(class_name)
    if cls is None:
        raise _unknown(str(class_name), "loss class")
    if not isinstance(inner, Mapping):
        raise ValueError(f"The 'config' of a {class_name} must be a dict. Received: config={inner!r}")
    try:
        return cls.from_config(dict(inner))
    except TypeError as err:
        raise ValueError(f"Invalid config for {class_name}: {err}. Received: config={dict(inner)!r}") from err
