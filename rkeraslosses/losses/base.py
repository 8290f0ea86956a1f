"""``Loss`` and ``LossFunctionWrapper``: Keras 3's loss objects, in NumPy."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._inputs import FLOATX, as_float_array, resolve_dtype, squeeze_or_expand_to_same_rank
from .._options import auto_name
from .._reduction import call_with_mask, reduce_weighted_values, standardize_reduction
from ._rowwise import block_cast_applies, cast_blocks

#: Loss functions that may give one value for the whole batch by design (Dice
#: and Tversky reduce every axis with ``axis=None``). Keras multiplies such a
#: value by the sample weights and then reduces; for every other loss a single
#: value with a vector of weights is an error (1-D inputs are one sample).
_WHOLE_BATCH: set[Any] = set()


def register_whole_batch(fn: Callable[..., Any]) -> None:
    """Declare that ``fn``'s scalar result is a whole-batch value that sample weights broadcast over."""
    _WHOLE_BATCH.add(fn)


class Loss:
    """Base class of every loss object.

    A subclass overrides :meth:`call` (``y_true``, ``y_pred`` -> per-sample
    losses). Calling the object converts both inputs to its ``dtype``, calls
    ``call``, then applies ``sample_weight`` and the reduction.

    Args:
        name: name of the loss instance.
        reduction: ``"sum_over_batch_size"`` (default; ``"mean"`` and
            ``"auto"`` mean the same), ``"sum"``, ``"none"`` or ``None``, or
            ``"mean_with_sample_weight"``.
        dtype: the dtype of the computation and of the result; ``None`` means
            float32, as Keras' floatx.

    Example:

        >>> import numpy as np
        >>> class MeanCubicError(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return np.mean(np.abs(y_true - y_pred) ** 3, axis=-1)
        >>> print(MeanCubicError()([[0.0, 1.0]], [[1.0, 1.0]]))
        0.5
    """

    def __init__(self, name: str | None = None, reduction: str | None = "sum_over_batch_size", dtype: Any = None):
        self.name = name or auto_name(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = resolve_dtype(dtype)

    @property
    def dtype(self) -> str:
        """The name of the dtype the loss computes in, e.g. ``"float32"``."""
        return self._dtype.name

    #: Whether ``y_true`` is cast to the loss's dtype before ``call``. Integer
    #: class labels (sparse losses) are validated and converted by their own
    #: function instead: as floats they would be checked for fractions again.
    _labels_as_floats = True

    def call(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        """Per-sample losses; subclasses override this."""
        raise NotImplementedError(f"{type(self).__name__} must implement `call(y_true, y_pred)`.")

    def _call_with_mask(self, y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        return np.asarray(self.call(y_true, y_pred), dtype=self._dtype), None

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        """Compute the reduced (or, with ``reduction="none"``, weighted per-sample) loss."""
        values, mask = self._values(y_true, y_pred)
        if values.dtype != self._dtype:
            values = values.astype(self._dtype)
        if sample_weight is not None and values.ndim == 0 and self._whole_batch():
            # Keras: the batch's one value times the weights, then the reduction
            # ("sum_over_batch_size": the value times the mean weight).
            sample_weight = as_float_array(sample_weight, "sample_weight", self._dtype)
            if sample_weight.ndim == 0:
                return values * sample_weight  # Keras returns a weighted scalar as it is, whatever the reduction
            values = np.broadcast_to(values, sample_weight.shape)
        return reduce_weighted_values(values, sample_weight, mask, self.reduction)

    def _whole_batch(self) -> bool:
        """Whether a scalar result is one value for the whole batch (see ``register_whole_batch``)."""
        return False

    def _values(self, y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray | None]:
        """The per-sample values (and mask) of one call, computed in the loss's
        dtype: the one conversion of the call (compile-style evaluation calls
        this too), after which the function and the reduction find arrays of the
        right dtype and shape and do no further work."""
        if block_cast_applies(getattr(self, "fn", None), y_true, y_pred, self._dtype) and (
            type(self)._call_with_mask is LossFunctionWrapper._call_with_mask
        ):
            # Large floating arrays of another dtype (R's doubles, NumPy's
            # float64) for a function that reads them only block by block: each
            # block is cast as it is computed (the same numbers as casting first,
            # without two full-size copies; mean squared error of (1e6, 10)
            # float64: 55 -> 32 ms).
            with cast_blocks(self._dtype):
                return self._call_with_mask(y_true, y_pred)
        y_pred = as_float_array(y_pred, "y_pred", self._dtype)
        if self._labels_as_floats:
            y_true = as_float_array(y_true, "y_true", self._dtype)
        return self._call_with_mask(y_true, y_pred)

    def get_config(self) -> dict[str, Any]:
        """Keras' config: name, reduction (and dtype when it is not the default)."""
        config: dict[str, Any] = {"name": self.name, "reduction": self.reduction}
        if self._dtype != FLOATX:
            config["dtype"] = self.dtype
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Loss":
        """Rebuild a loss from :meth:`get_config`'s output."""
        return cls(**config)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.get_config() == other.get_config()  # type: ignore[attr-defined]

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        options = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({options})"


class LossFunctionWrapper(Loss):
    """Wrap a function ``fn(y_true, y_pred, **kwargs)`` into a :class:`Loss`.

    As in Keras, ``y_true`` and ``y_pred`` first go through the squeeze-or-expand
    rank rule. The built-in loss classes are all wrappers of this kind.

    Example:

        >>> def mean_fourth_power(y_true, y_pred):
        ...     return ((y_true - y_pred) ** 4).mean(axis=-1)
        >>> print(LossFunctionWrapper(mean_fourth_power, reduction="sum")([[0, 2]], [[1, 2]]))
        0.5
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        if not callable(fn):
            raise TypeError(f"Argument `fn` must be callable as fn(y_true, y_pred). Received: fn={fn!r}")
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    #: Whether ``call`` applies Keras' squeeze-or-expand rank rule first. Sparse
    #: labels have one axis less than the predictions by design, and their
    #: function applies its own rule, so their class turns this off.
    _same_rank_inputs = True

    def call(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        return self._call_with_mask(y_true, y_pred)[0]

    def _call_with_mask(self, y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        if self._same_rank_inputs and y_true.shape != y_pred.shape:
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return call_with_mask(self.fn, y_true, y_pred, self._fn_kwargs)

    def _whole_batch(self) -> bool:
        return any(self.fn is fn for fn in _WHOLE_BATCH)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["fn"] = getattr(self.fn, "__name__", repr(self.fn))
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Loss":
        config = dict(config)
        fn = config.pop("fn", None)
        if isinstance(fn, str):
            raise TypeError(
                "LossFunctionWrapper.from_config takes the function itself; resolve a name first "
                f"with rkeraslosses.deserialize. Received: fn={fn!r}"
            )
        return cls(fn, **config)


class _BuiltinLoss(LossFunctionWrapper):
    """A built-in loss class: its config is its options, without ``fn``."""

    _fn: Callable[..., Any]
    _default_name: str

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = None, dtype: Any = None):
        self._setup(reduction, name, dtype)

    def _setup(self, reduction: str | None, name: str | None, dtype: Any, **options: Any) -> None:
        """Shared constructor; classes with options pass them, already validated."""
        LossFunctionWrapper.__init__(self, type(self)._fn, reduction=reduction, name=name or self._default_name, dtype=dtype, **options)
        for key, value in options.items():
            setattr(self, key, value)

    def get_config(self) -> dict[str, Any]:
        config = Loss.get_config(self)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Loss":
        return cls(**config)
