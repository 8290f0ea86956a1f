"""The metric machinery: exact running sums, ``Metric``, ``Mean``, ``Sum``,
``MeanMetricWrapper`` and the base of the built-in metric classes.

Where we differ from Keras, on purpose:

* the running sums are exact (Shewchuk's partials, as ``math.fsum``) in
  float64 whatever the metric's dtype, so a long stream does not drift, and
  the result does not depend on the order of the updates;
* an update that raises leaves the state exactly as it was;
* updates from several threads at once are all counted;
* ``merge_state(others)`` combines metrics that saw different batches (other
  processes, other machines) into exactly the single-pass result, and a
  metric pickles with its state.

Example:

    >>> m = Mean()
    >>> m.update_state([1.0, 2.0])
    >>> m.update_state([6.0], sample_weight=[2.0])
    >>> print(m.result())
    3.75
"""
from __future__ import annotations

import math
import threading
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from .._inputs import as_float_array, resolve_dtype
from .._options import auto_name
from .._reduction import call_with_mask, samplewise_totals
from ..losses._rowwise import block_cast_applies, cast_blocks

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


class ExactArraySum:
    """A running float64 sum of arrays (or integer counts) of a fixed shape, for
    metrics whose state is a table (confusion counts per threshold, confusion
    matrices, per-class sums).

    Float states are kept as double-double pairs ``(hi, lo)`` with Knuth's
    error-free TwoSum, so the rounding error of every addition is carried, not
    lost: about 106 bits, so the float64 result does not drift and does not
    depend on the order of the additions (or of ``merge``) for any realistic
    stream. Integer states (``dtype="int64"``) are exact counts.
    NaN and infinities propagate as in plain addition.

    >>> s = ExactArraySum((2,))
    >>> for x in ([1e16, 1.0], [1.0, 2.0], [-1e16, 0.5]):
    ...     s.add(np.array(x))
    >>> s.value
    array([1. , 3.5])
    """

    __slots__ = ("shape", "dtype", "hi", "lo")

    def __init__(self, shape: tuple[int, ...] = (), dtype: Any = "float64") -> None:
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.hi = np.zeros(self.shape, self.dtype)
        self.lo = None if self.dtype.kind in "iu" else np.zeros(self.shape, self.dtype)

    def add(self, x: Any) -> None:
        x = np.asarray(x, dtype=self.dtype)
        if x.shape != self.shape:
            x = np.broadcast_to(x, self.shape)
        if self.lo is None:
            self.hi = self.hi + x
            return
        with np.errstate(invalid="ignore", over="ignore"):
            s = self.hi + x
            bb = s - self.hi
            err = (self.hi - (s - bb)) + (x - bb)
            lo = self.lo + err
            hi = s + lo  # renormalise: (hi, lo) = FastTwoSum(s, lo)
            lo = lo - (hi - s)
        special = ~np.isfinite(s)
        if special.any():
            # An infinite or NaN sum is what plain addition gives (the error
            # terms above would be inf - inf, turning a finite + inf into NaN).
            hi = np.where(special, s, hi)
        finite = np.isfinite(hi)
        self.hi = hi
        self.lo = np.where(finite, lo, 0.0)

    def merge(self, other: "ExactArraySum") -> None:
        if other.lo is None:
            self.add(other.hi)
        else:
            self.add(other.hi)
            self.add(other.lo)

    def reset(self) -> None:
        self.hi = np.zeros(self.shape, self.dtype)
        self.lo = None if self.dtype.kind in "iu" else np.zeros(self.shape, self.dtype)

    @property
    def value(self) -> np.ndarray:
        return self.hi.copy() if self.lo is None else self.hi + self.lo

    def copy(self) -> "ExactArraySum":
        new = ExactArraySum.__new__(ExactArraySum)
        new.shape, new.dtype = self.shape, self.dtype
        new.hi = self.hi.copy()
        new.lo = None if self.lo is None else self.lo.copy()
        return new

    def __getstate__(self) -> tuple[Any, ...]:
        return (self.shape, self.dtype.str, self.hi, self.lo)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.shape, dtype, self.hi, self.lo = state
        self.dtype = np.dtype(dtype)


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
        self.name = name or auto_name(type(self).__name__)
        self._dtype = resolve_dtype(dtype)
        self._variables: dict[str, ExactSum] = {}
        self._lock = threading.Lock()

    @property
    def dtype(self) -> str:
        """The dtype of the result (and of the values before they are summed)."""
        return self._dtype.name

    def add_variable(self, name: str, shape: tuple[int, ...] | None = None, dtype: Any = "float64") -> Any:
        """Create a state variable starting at 0: a float64 exact running sum
        (:class:`ExactSum`), or, with ``shape``, an :class:`ExactArraySum` of that
        shape (``dtype="int64"`` for exact integer counts)."""
        variable: Any = ExactSum() if shape is None else ExactArraySum(shape, dtype)
        self._variables[name] = variable
        return variable

    @property
    def variables(self) -> dict[str, Any]:
        """The state, as plain floats (arrays for array states)."""
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
                if isinstance(variable, ExactSum):
                    variable.partials, variable.special = [], 0.0
                else:
                    variable.reset()

    def reset_states(self) -> None:
        """An alias of :meth:`reset_state` (Keras 3's name): the name in R keras and Keras 2."""
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
        values, mask = self._values(y_true, y_pred)
        self._update_values(values, sample_weight, mask)

    def _values(self, y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray | None]:
        """``fn``'s per-sample values (and mask) of one batch, computed in the
        metric's dtype as Keras casts the inputs (compile-style evaluation
        calls this too)."""
        if block_cast_applies(self._fn, y_true, y_pred, self._dtype):
            # Large float64 arrays (R's doubles) for a block-wise function: cast
            # block by block, the same numbers without full-size copies.
            with cast_blocks(self._dtype):
                return call_with_mask(self._fn, y_true, y_pred, self._fn_kwargs)
        # fn receives NumPy arrays, whatever the caller passed (lists, R vectors...).
        y_true = as_float_array(y_true, "y_true", self._dtype)
        y_pred = as_float_array(y_pred, "y_pred", self._dtype)
        return call_with_mask(self._fn, y_true, y_pred, self._fn_kwargs)

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
            raise TypeError(
                "MeanMetricWrapper.from_config takes the function itself; resolve a name first "
                f"with rkeraslosses.metrics.deserialize. Received: fn={fn!r}"
            )
        return cls(fn, **config)

class BuiltinMetric(MeanMetricWrapper):
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


def builtin_metric(class_name: str, fn: Callable[..., Any], default_name: str, module: str) -> type:
    """A metric class without options of its own: the mean of ``fn`` (Keras' ``keras.metrics.<class_name>``)."""
    doc = f"Stateful metric: the mean of ``{fn.__name__}`` over every sample seen (Keras' ``keras.metrics.{class_name}``)."
    return type(class_name, (BuiltinMetric,), {"_fn_static": staticmethod(fn), "_default_name": default_name, "__doc__": doc, "__module__": module})


