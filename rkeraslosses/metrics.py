"""Stateful metrics, as ``keras.metrics``: update over batches, then read the result.

Where we differ from Keras, on purpose:

* the running sums are exact (Shewchuk's partials, as ``math.fsum``) in
  float64 whatever the metric's dtype, so a long stream does not drift, and
  the result does not depend on the order of the updates;
* an update that raises leaves the state exactly as it was;
* updates from several threads at once are all counted;
* ``merge_state(others)`` combines metrics that saw different batches (other
  processes, other machines) into exactly the single-pass result, and a
  metric pickles with its state.

Example (seed page 004):

    >>> m = CategoricalCrossentropy()
    >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> print(m.result())
    1.1769392
    >>> m.reset_states()
    >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], sample_weight=[0.3, 0.7])
    >>> print(m.result())
    1.6271976
"""

from __future__ import annotations

import difflib
import math
import threading
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from . import losses as _losses
from ._inputs import as_float_array, check_axis, check_bool, check_fraction, resolve_dtype, same_shape_pair
from ._reduction import samplewise_totals
from .identifiers import get_function
from .losses.base import _auto_name, call_with_mask
from .losses.probabilistic import _check_ce_options, _check_sparse_options


class ExactSum:
    """A running float64 sum without rounding drift: Shewchuk's non-overlapping
    partials (the algorithm of ``math.fsum``). Infinities and NaN are kept apart
    and added at the end, so they propagate as in plain addition.

    >>> s = ExactSum()
    >>> for x in [1e16, 1.0, -1e16]:
    ...     s.add(x)
    >>> s.value
    1.0
    """

    __slots__ = ("partials", "special")

    def __init__(self) -> None:
        self.partials: list[float] = []
        self.special = 0.0

    def add(self, x: float) -> None:
        x = float(x)
        if not math.isfinite(x):
            self.special += x
            return
        partials = self.partials
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                partials[i] = lo
                i += 1
            x = hi
        partials[i:] = [x]

    def merge(self, other: "ExactSum") -> None:
        for x in other.partials:
            self.add(x)
        self.special += other.special

    @property
    def value(self) -> float:
        return math.fsum(self.partials) + self.special

    def copy(self) -> "ExactSum":
        new = ExactSum()
        new.partials = list(self.partials)
        new.special = self.special
        return new

    def __getstate__(self) -> tuple[list[float], float]:
        return (self.partials, self.special)

    def __setstate__(self, state: tuple[list[float], float]) -> None:
        self.partials, self.special = list(state[0]), state[1]


class Metric:
    """Base class of the stateful metrics.

    State lives in :class:`ExactSum` variables made with :meth:`add_variable`;
    ``reset_state`` zeroes them and ``merge_state`` adds other metrics' into
    them. A subclass implements ``update_state`` (computing everything first,
    then calling :meth:`_commit` with what to add, so that a failing update
    changes nothing) and ``result``.

    Example:

        >>> class CountPositives(Metric):
        ...     def __init__(self, name=None, dtype=None):
        ...         super().__init__(name=name, dtype=dtype)
        ...         self.positives = self.add_variable("positives")
        ...     def update_state(self, values):
        ...         self._commit(positives=float(np.sum(np.asarray(values) > 0)))
        ...     def result(self):
        ...         return self._cast(self.positives.value)
        >>> m = CountPositives()
        >>> print(m([1, -2, 3]), m([4]))
        2.0 3.0
    """

    def __init__(self, name: str | None = None, dtype: Any = None):
        self.name = name or _auto_name(type(self).__name__)
        self._dtype = resolve_dtype(dtype)
        self._variables: dict[str, ExactSum] = {}
        self._lock = threading.Lock()

    @property
    def dtype(self) -> str:
        """The dtype of the result (and of the values before they are summed)."""
        return self._dtype.name

    def add_variable(self, name: str) -> ExactSum:
        """Create a state variable (a float64 exact running sum starting at 0)."""
        variable = ExactSum()
        self._variables[name] = variable
        return variable

    @property
    def variables(self) -> dict[str, float]:
        """The state, as plain floats."""
        return {k: v.value for k, v in self._variables.items()}

    def _commit(self, **increments: float) -> None:
        """Add to the state variables, atomically (one lock for the whole update)."""
        with self._lock:
            for key, value in increments.items():
                self._variables[key].add(value)

    def _cast(self, value: float) -> Any:
        return self._dtype.type(value)

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Accumulate statistics from one batch; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_state`.")

    def result(self) -> Any:
        """The metric's value from the state; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `result`.")

    def reset_state(self) -> None:
        """Zero every state variable."""
        with self._lock:
            for variable in self._variables.values():
                variable.partials, variable.special = [], 0.0

    def reset_states(self) -> None:
        """tf.keras 2.x's name for :meth:`reset_state`."""
        self.reset_state()

    def merge_state(self, metrics: "Metric | Iterable[Metric]") -> None:
        """Add the state of other metrics of the same kind (computed on other batches).

        The result is exactly what one metric that saw every batch would give.
        """
        others = [metrics] if isinstance(metrics, Metric) else list(metrics)
        for other in others:
            if type(other) is not type(self) or set(other._variables) != set(self._variables):
                raise ValueError(
                    f"merge_state takes metrics of the same kind as this {type(self).__name__}. "
                    f"Received: {type(other).__name__}"
                )
        snapshots = []
        for other in others:
            with other._lock:
                snapshots.append({k: v.copy() for k, v in other._variables.items()})
        with self._lock:
            for snapshot in snapshots:
                for key, variable in snapshot.items():
                    self._variables[key].merge(variable)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Update with one batch, then return the result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Metric":
        return cls(**config)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Pickle keeps identity within one object, so attributes such as
        # self.total stay the very variables in self._variables.
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} result={float(self.result())!r}>"


class Mean(Metric):
    """The (weighted) mean of the values given: ``total / count``.

    >>> m = Mean()
    >>> m.update_state([1, 3, 5, 7])
    >>> print(m.result())
    4.0
    >>> m.update_state([10], sample_weight=[0.0])
    >>> print(m.result())
    4.0
    """

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable("total")
        self.count = self.add_variable("count")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values = as_float_array(values, "values", self._dtype)
        total, count = samplewise_totals(values, sample_weight)
        self._commit(total=total, count=count)

    def _update_values(self, values: np.ndarray, sample_weight: Any, mask: np.ndarray | None) -> None:
        values = np.asarray(values).astype(self._dtype, copy=False)
        total, count = samplewise_totals(values, sample_weight, mask)
        self._commit(total=total, count=count)

    def result(self) -> Any:
        with self._lock:
            total, count = self.total.value, self.count.value
        return self._cast(total / count if count else 0.0)


class Sum(Metric):
    """The (weighted) sum of the values given.

    >>> m = Sum()
    >>> m.update_state([1, 3, 5, 7])
    >>> print(m.result())
    16.0
    """

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable("total")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values = as_float_array(values, "values", self._dtype)
        total, _ = samplewise_totals(values, sample_weight, per_sample="sum")
        self._commit(total=total)

    def result(self) -> Any:
        with self._lock:
            return self._cast(self.total.value)


class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over every sample seen.

    ``fn`` may be any callable returning per-sample values: a loss function of
    this package, or a plain Python function.

    >>> m = MeanMetricWrapper(lambda t, p: abs(t - p), name="abs_error")
    >>> print(m([1.0, 2.0], [1.5, 2.0]))
    0.25
    """

    def __init__(self, fn: Callable[..., Any], name: str | None = None, dtype: Any = None, **kwargs: Any):
        if not callable(fn):
            raise TypeError(f"Argument `fn` must be callable as fn(y_true, y_pred). Received: fn={fn!r}")
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch: ``fn(y_true, y_pred)``'s values, weighted by ``sample_weight``."""
        # fn receives NumPy arrays, whatever the caller passed (lists, R vectors...).
        y_true = as_float_array(y_true, "y_true")
        y_pred = as_float_array(y_pred, "y_pred")
        values, mask = call_with_mask(self._fn, y_true, y_pred, **self._fn_kwargs)
        self._update_values(values, sample_weight, mask)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["fn"] = getattr(self._fn, "__name__", repr(self._fn))
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Metric":
        config = dict(config)
        fn = config.pop("fn")
        if isinstance(fn, str):
            fn = _FUNCTIONS.get(fn) or get_function(fn)
        return cls(fn, **config)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> np.ndarray:
    """The cosine similarity metric: ``sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``.

    Positive (1 means the same direction), unlike the loss of the same name.

    >>> cosine_similarity([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
    array([0., 1.], dtype=float32)
    """
    out = _losses.cosine_similarity(y_true, y_pred, axis=axis)
    return np.negative(out, out=out) if isinstance(out, np.ndarray) else -out


class _BuiltinMetric(MeanMetricWrapper):
    """A metric class of a built-in function: its config is name, dtype and options."""

    _fn_static: Callable[..., Any]
    _default_name: str

    def __init__(self, name: str | None = None, dtype: Any = None):
        self._setup(name, dtype)

    def _setup(self, name: str | None, dtype: Any, **options: Any) -> None:
        MeanMetricWrapper.__init__(self, type(self)._fn_static, name=name or self._default_name, dtype=dtype, **options)
        for key, value in options.items():
            setattr(self, key, value)

    def get_config(self) -> dict[str, Any]:
        config = Metric.get_config(self)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Metric":
        return cls(**config)


def _builtin(class_name: str, fn: Callable[..., Any], default_name: str) -> type:
    doc = f"Stateful metric: the mean of ``{fn.__name__}`` over every sample seen (Keras' ``keras.metrics.{class_name}``)."
    return type(class_name, (_BuiltinMetric,), {"_fn_static": staticmethod(fn), "_default_name": default_name, "__doc__": doc, "__module__": __name__})


MeanSquaredError = _builtin("MeanSquaredError", _losses.mean_squared_error, "mean_squared_error")
MeanAbsoluteError = _builtin("MeanAbsoluteError", _losses.mean_absolute_error, "mean_absolute_error")
MeanAbsolutePercentageError = _builtin("MeanAbsolutePercentageError", _losses.mean_absolute_percentage_error, "mean_absolute_percentage_error")
MeanSquaredLogarithmicError = _builtin("MeanSquaredLogarithmicError", _losses.mean_squared_logarithmic_error, "mean_squared_logarithmic_error")
Hinge = _builtin("Hinge", _losses.hinge, "hinge")
SquaredHinge = _builtin("SquaredHinge", _losses.squared_hinge, "squared_hinge")
CategoricalHinge = _builtin("CategoricalHinge", _losses.categorical_hinge, "categorical_hinge")
LogCoshError = _builtin("LogCoshError", _losses.log_cosh, "logcosh")
KLDivergence = _builtin("KLDivergence", _losses.kl_divergence, "kl_divergence")
Poisson = _builtin("Poisson", _losses.poisson, "poisson")


class CosineSimilarity(_BuiltinMetric):
    """Stateful cosine similarity (positive: 1 means the same direction)."""

    _fn_static = staticmethod(cosine_similarity)
    _default_name = "cosine_similarity"

    def __init__(self, name: str | None = "cosine_similarity", dtype: Any = None, axis: int = -1):
        check_axis(axis, 64)
        self._setup(name, dtype, axis=int(axis))


class BinaryCrossentropy(_BuiltinMetric):
    """Stateful binary crossentropy."""

    _fn_static = staticmethod(_losses.binary_crossentropy)
    _default_name = "binary_crossentropy"

    def __init__(self, name: str | None = "binary_crossentropy", dtype: Any = None, from_logits: bool = False, label_smoothing: float = 0):
        self._setup(name, dtype, from_logits=check_bool(from_logits, "from_logits"), label_smoothing=check_fraction(label_smoothing, "label_smoothing"))


class CategoricalCrossentropy(_BuiltinMetric):
    """Stateful categorical crossentropy (seed page 004).

    >>> m = CategoricalCrossentropy()
    >>> print(m([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]))
    1.1769392
    """

    _fn_static = staticmethod(_losses.categorical_crossentropy)
    _default_name = "categorical_crossentropy"

    def __init__(
        self,
        name: str | None = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ):
        self._setup(name, dtype, **_check_ce_options(from_logits, label_smoothing, axis))


class SparseCategoricalCrossentropy(_BuiltinMetric):
    """Stateful sparse categorical crossentropy; with ``ignore_class``, those
    positions are left out of the mean (Keras 3 leaves them in the count when
    no sample weight is given; we leave them out either way)."""

    _fn_static = staticmethod(_losses.sparse_categorical_crossentropy)
    _default_name = "sparse_categorical_crossentropy"

    def __init__(
        self,
        name: str | None = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
    ):
        self._setup(name, dtype, **_check_sparse_options(from_logits, ignore_class, axis))


# ---------------------------------------------------------------------------
# Accuracy metrics (what compile(metrics=["accuracy"]) resolves to)
# ---------------------------------------------------------------------------


def accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where ``y_true == y_pred``, else 0.0 (elementwise).

    >>> accuracy([[1, 2]], [[1, 3]])
    array([[1., 0.]], dtype=float32)
    """
    t, p = same_shape_pair(y_true, y_pred)
    return (t == p).astype(np.float32)


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> np.ndarray:
    """1.0 where ``y_true`` equals ``y_pred > threshold`` (elementwise).

    >>> binary_accuracy([[1], [0]], [[0.7], [0.6]])
    array([[1.],
           [0.]], dtype=float32)
    """
    t, p = same_shape_pair(y_true, y_pred)
    return (t == (p > threshold).astype(t.dtype)).astype(np.float32)


def categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where the arg-max class of ``y_pred`` is the one-hot ``y_true``'s.

    >>> categorical_accuracy([[0, 1], [1, 0]], [[0.3, 0.7], [0.2, 0.8]])
    array([1., 0.], dtype=float32)
    """
    t, p = same_shape_pair(y_true, y_pred)
    return (np.argmax(t, axis=-1) == np.argmax(p, axis=-1)).astype(np.float32)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where the arg-max class of ``y_pred`` is the integer label ``y_true``.

    >>> sparse_categorical_accuracy([1, 0], [[0.3, 0.7], [0.2, 0.8]])
    array([1., 0.], dtype=float32)
    """
    p = as_float_array(y_pred, "y_pred")
    t = as_float_array(y_true, "y_true", p.dtype)
    if t.ndim == p.ndim and t.ndim and t.shape[-1] == 1:
        t = t[..., 0]
    if t.shape != p.shape[:-1]:
        raise ValueError(
            "Argument `y_true` must hold one label per sample. "
            f"Received: y_true.shape={t.shape}, y_pred.shape={p.shape}"
        )
    return (t == np.argmax(p, axis=-1)).astype(np.float32)


Accuracy = _builtin("Accuracy", accuracy, "accuracy")
CategoricalAccuracy = _builtin("CategoricalAccuracy", categorical_accuracy, "categorical_accuracy")
SparseCategoricalAccuracy = _builtin("SparseCategoricalAccuracy", sparse_categorical_accuracy, "sparse_categorical_accuracy")


class BinaryAccuracy(_BuiltinMetric):
    """Stateful binary accuracy: the share of ``y_pred > threshold`` equal to ``y_true``."""

    _fn_static = staticmethod(binary_accuracy)
    _default_name = "binary_accuracy"

    def __init__(self, name: str | None = "binary_accuracy", dtype: Any = None, threshold: float = 0.5):
        self._setup(name, dtype, threshold=float(threshold))


#: The accuracy metrics: (function, class).
ACCURACY_METRICS = (
    (accuracy, Accuracy),
    (binary_accuracy, BinaryAccuracy),
    (categorical_accuracy, CategoricalAccuracy),
    (sparse_categorical_accuracy, SparseCategoricalAccuracy),
)

#: Every metric class built on a loss function: (metric function, class).
ALL_METRICS = (
    (_losses.mean_squared_error, MeanSquaredError),
    (_losses.mean_absolute_error, MeanAbsoluteError),
    (_losses.mean_absolute_percentage_error, MeanAbsolutePercentageError),
    (_losses.mean_squared_logarithmic_error, MeanSquaredLogarithmicError),
    (_losses.hinge, Hinge),
    (_losses.squared_hinge, SquaredHinge),
    (_losses.categorical_hinge, CategoricalHinge),
    (_losses.log_cosh, LogCoshError),
    (_losses.kl_divergence, KLDivergence),
    (_losses.poisson, Poisson),
    (cosine_similarity, CosineSimilarity),
    (_losses.binary_crossentropy, BinaryCrossentropy),
    (_losses.categorical_crossentropy, CategoricalCrossentropy),
    (_losses.sparse_categorical_crossentropy, SparseCategoricalCrossentropy),
)

_FUNCTIONS = {fn.__name__: fn for fn, _ in ALL_METRICS + ACCURACY_METRICS}

_CLASSES: dict[str, type] = {cls.__name__: cls for _, cls in ALL_METRICS + ACCURACY_METRICS}
_CLASSES.update({"Mean": Mean, "Sum": Sum, "MeanMetricWrapper": MeanMetricWrapper})

# Names as Keras' metrics.get knows them (class names, their snake_case, aliases),
# plus the names Keras 2 and R keras used.
_NAMES: dict[str, type] = dict(_CLASSES)
_NAMES.update({_auto_name(name): cls for name, cls in _CLASSES.items()})
_NAMES.update({fn.__name__: cls for fn, cls in ALL_METRICS + ACCURACY_METRICS})
_NAMES.update(
    {
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
        "kld": KLDivergence,
        "KLD": KLDivergence,
        "logcosh": LogCoshError,
        "log_cosh": LogCoshError,
        "kullback_leibler_divergence": KLDivergence,
    }
)
del _NAMES["mean_metric_wrapper"]


def get(identifier: Any) -> Any:
    """Resolve a metric identifier as Keras' ``metrics.get`` does.

    A name (``"mae"``, ``"categorical_crossentropy"``, ``"CategoricalCrossentropy"``)
    gives a new metric object; a dict ``{"class_name", "config"}`` is deserialized;
    a Metric is returned as is, a Metric class instantiated; any other callable
    ``f(y_true, y_pred)`` is wrapped in a :class:`MeanMetricWrapper`.

    >>> get("mae").name
    'mean_absolute_error'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        cls = _NAMES.get(identifier)
        if cls is None or cls is MeanMetricWrapper:
            close = difflib.get_close_matches(identifier, sorted(_NAMES), n=3, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise ValueError(f"Unknown metric: {identifier!r}.{hint} Received: identifier={identifier!r}")
        return cls()
    if isinstance(identifier, Mapping):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise TypeError(f"Could not interpret metric identifier: expected a name, a Metric, a config dict or a callable. Received: identifier={identifier!r}")


def serialize(metric: Metric) -> dict[str, Any]:
    """Keras' serialized form of a metric."""
    if not isinstance(metric, Metric):
        raise TypeError(f"Cannot serialize {metric!r}: expected a Metric.")
    return {"module": "keras.metrics", "class_name": type(metric).__name__, "config": metric.get_config(), "registered_name": None}


def deserialize(config: Any) -> Metric:
    """Rebuild a metric from :func:`serialize`'s output (or Keras' own)."""
    if isinstance(config, str):
        return get(config)
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise ValueError(f"A metric config must be a dict with a 'class_name' key. Received: config={config!r}")
    cls = _CLASSES.get(config["class_name"])
    if cls is None:
        close = difflib.get_close_matches(str(config["class_name"]), sorted(_CLASSES), n=3, cutoff=0.6)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(f"Unknown metric class: {config['class_name']!r}.{hint}")
    inner = dict(config.get("config") or {})
    if isinstance(inner.get("dtype"), Mapping):  # Keras 3 writes a DTypePolicy config here
        inner["dtype"] = inner["dtype"].get("config", {}).get("name")
    try:
        return cls.from_config(inner)
    except TypeError as err:
        raise ValueError(f"Invalid config for metric {config['class_name']}: {err}. Received: config={inner!r}") from err
