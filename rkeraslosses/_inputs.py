"""The one place that converts and validates what users hand in.

Every loss, Loss object, metric, ``log_loss`` and ``to_categorical`` goes
through these helpers, so that a bad input always gets the same clear
message in Keras' ``Received: ...`` form, and so that the dtype rules live in
one place:

* the plain functions keep a floating input's dtype (float64 stays float64)
  and turn integer and boolean input into float32 (Keras' floatx);
* a Loss object or metric casts both inputs to its own dtype.
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

import numpy as np

#: Keras ``backend.epsilon()``.
EPSILON = 1e-7

#: Keras ``backend.floatx()``.
FLOATX = np.dtype("float32")

_NUMERIC_KINDS = "biuf"


try:  # np.einsum's C core, without the Python wrapper's 0.9 µs (the same function, the same bits)
    from numpy._core.multiarray import c_einsum as einsum
except ImportError:  # pragma: no cover - NumPy 1.x
    try:
        from numpy.core.multiarray import c_einsum as einsum
    except ImportError:
        einsum = np.einsum

try:  # NumPy 2: the error state is a context variable; set it directly.
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    _IGNORE_ALL = _make_extobj(all="ignore")
    _extobj_contextvar.reset(_extobj_contextvar.set(_IGNORE_ALL))

    #: ``quiet()`` ignores floating-point errors until ``restore(token)`` undoes it.
    #: Both are C callables (no Python frame): 0.2 µs together, where
    #: ``np.errstate`` costs 2 µs, more than the arithmetic of a small call.
    quiet = functools.partial(_extobj_contextvar.set, _IGNORE_ALL)
    restore = _extobj_contextvar.reset

except (ImportError, AttributeError, TypeError):  # pragma: no cover - NumPy 1.x

    def quiet() -> object:
        state = np.errstate(all="ignore")
        state.__enter__()
        return state

    def restore(token: object) -> None:
        token.__exit__(None, None, None)  # type: ignore[attr-defined]


def _describe(x: Any) -> str:
    text = repr(x)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} of type {type(x).__name__}"


#: Keras' dtype policy names -> the NumPy dtype we compute in. A Keras metric
#: or loss computes in its policy's *compute* dtype (``mixed_float16`` keeps
#: float32 variables in layers, but a metric's variables and result are float16:
#: ``keras.metrics.Mean(dtype="mixed_float16").result().dtype`` is float16).
#: NumPy has no bfloat16; the nearest dtype with bfloat16's range is float32
#: (float16 would overflow above 65504), so ``"bfloat16"`` and
#: ``"mixed_bfloat16"`` compute and report float32 here (Keras: bfloat16).
DTYPE_POLICIES = {
    "mixed_float16": "float16",
    "mixed_bfloat16": "float32",
    "bfloat16": "float32",
}


def resolve_dtype(dtype: Any, name: str = "dtype") -> np.dtype:
    """Turn a dtype argument into a floating NumPy dtype (None means float32).

    Accepted: NumPy float dtypes and their names; Keras' dtype policy names
    (``"mixed_float16"`` computes in float16, as Keras' metrics and losses do;
    ``"bfloat16"`` and ``"mixed_bfloat16"`` compute in float32, the nearest
    NumPy dtype with bfloat16's range, see :data:`DTYPE_POLICIES`); Keras 3's
    serialized ``DTypePolicy`` (``{"class_name": "DTypePolicy", "config":
    {"name": "mixed_float16"}}``) and a ``DTypePolicy`` object.

    >>> resolve_dtype("mixed_float16"), resolve_dtype("mixed_bfloat16"), resolve_dtype(None)
    (dtype('float16'), dtype('float32'), dtype('float32'))
    >>> resolve_dtype({"class_name": "DTypePolicy", "config": {"name": "float64"}})
    dtype('float64')
    """
    if dtype is None:
        return FLOATX
    if isinstance(dtype, bool):
        raise TypeError(f"Argument `{name}` must be a floating dtype name. Received: {name}={dtype!r}")
    original = dtype
    if isinstance(dtype, dict):  # Keras 3's serialized DTypePolicy
        inner = dtype.get("config")
        dtype = inner.get("name") if isinstance(inner, dict) else None
        if not isinstance(dtype, str):
            raise ValueError(
                f"Argument `{name}` given as a dict must be a serialized Keras DTypePolicy, "
                f"{{'class_name': 'DTypePolicy', 'config': {{'name': 'float32'}}}}. Received: {name}={original!r}"
            )
    elif type(dtype).__name__.endswith("DTypePolicy") and isinstance(getattr(dtype, "name", None), str):
        dtype = dtype.name  # a keras.DTypePolicy object, read without importing Keras
    if isinstance(dtype, str):
        dtype = DTYPE_POLICIES.get(dtype, dtype)
    try:
        resolved = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(
            f"Argument `{name}` must be a floating dtype such as 'float32', 'float64' or a Keras "
            f"dtype policy name ('mixed_float16', 'mixed_bfloat16', 'bfloat16'). Received: {name}={original!r}"
        ) from err
    if resolved.kind != "f":
        raise ValueError(
            f"Argument `{name}` must be a floating dtype such as 'float32', 'float64' or a Keras "
            f"dtype policy name ('mixed_float16', 'mixed_bfloat16', 'bfloat16'). Received: {name}={original!r}"
        )
    return resolved


def as_numeric_array(x: Any, name: str) -> np.ndarray:
    """Convert ``x`` to a NumPy array of numbers without changing its dtype.

    Raises TypeError for None, strings and anything that is not numbers, and
    ValueError for ragged nested lists.
    """
    if type(x) is np.ndarray and x.dtype.kind in _NUMERIC_KINDS:
        return x  # the common case, without the checks below (which it would pass)
    if x is None:
        raise TypeError(f"Argument `{name}` must be an array of numbers. Received: {name}=None")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"Argument `{name}` must be an array of numbers. Received: {name}={_describe(x)}")
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except ValueError as err:
            raise ValueError(
                f"Argument `{name}` must be a rectangular array of numbers; nested lists of "
                f"unequal lengths cannot be used. Received: {name}={_describe(x)}"
            ) from err
        except TypeError as err:  # objects whose __array__ fails
            raise TypeError(f"Argument `{name}` must be an array of numbers. Received: {name}={_describe(x)}") from err
    if arr.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(
            f"Argument `{name}` must hold numbers (float, int or bool). "
            f"Received: {name} with dtype={arr.dtype}"
        )
    return arr


def _is_python_data(x: Any) -> bool:
    return isinstance(x, (list, tuple)) or type(x) in (float, int)


def as_float_array(x: Any, name: str, dtype: np.dtype | None = None) -> np.ndarray:
    """Convert ``x`` to a floating array.

    With ``dtype`` given, cast to it (what a Loss object does). Without, keep a
    floating dtype and turn integers and booleans into float32.
    """
    if type(x) is np.ndarray and x.dtype.kind == "f" and (dtype is None or x.dtype == dtype):
        return x  # the common case, without the checks below (which it would pass)
    arr = as_numeric_array(x, name)
    if dtype is None:
        # NumPy float arrays keep their precision; Python lists and numbers become
        # float32, as Keras' convert_to_tensor makes them (floatx).
        keep = arr.dtype.kind == "f" and (isinstance(x, np.ndarray) or not _is_python_data(x))
        dtype = arr.dtype if keep else FLOATX
    if arr.dtype != dtype and (arr.dtype.kind == "f" or arr.dtype.itemsize >= np.dtype(dtype).itemsize):
        # Values beyond the narrower dtype's range (a float64, or a large
        # integer given to float16) become inf, as in Keras (which casts to
        # floatx silently), without NumPy's "overflow encountered in cast"
        # warning; float64 arrays given to a plain function stay float64 and
        # keep them.
        token = quiet()
        try:
            return arr.astype(dtype)
        finally:
            restore(token)
    return arr.astype(dtype, copy=False)


def as_pair(y_true: Any, y_pred: Any, dtype: np.dtype | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Convert ``y_true`` and ``y_pred`` the way a Keras loss does.

    ``y_pred`` decides the dtype (unless ``dtype`` is given) and ``y_true`` is
    cast to it. Scalars become arrays of shape ``(1,)``.
    """
    p = as_float_array(y_pred, "y_pred", dtype)
    t = as_float_array(y_true, "y_true", p.dtype)
    if p.ndim == 0:
        p = p.reshape(1)
    if t.ndim == 0:
        t = t.reshape(1)
    return t, p


def squeeze_or_expand_to_same_rank(x1: np.ndarray, x2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keras' rank rule: when the ranks differ by one and the higher-rank array's
    last axis has size 1, squeeze that axis (or expand a rank-1 lower array)."""
    r1, r2 = x1.ndim, x2.ndim
    if min(r1, r2) == 0:
        return x1, x2  # a scalar broadcasts; never squeeze an array down to rank 0
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1:
            x2 = x2[:, np.newaxis]
        else:
            x1 = x1[..., 0]
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1:
            x1 = x1[:, np.newaxis]
        else:
            x2 = x2[..., 0]
    return x1, x2


def same_shape_pair(y_true: Any, y_pred: Any, dtype: np.dtype | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Convert, apply the squeeze rule, then require equal shapes.

    Unlike Keras, mismatched shapes are never broadcast silently.
    """
    if type(y_pred) is np.ndarray and type(y_true) is np.ndarray:
        # Already converted (a Loss object's call, or NumPy input): nothing to
        # convert or squeeze; this check is the whole cost (0.3 µs).
        dt = y_pred.dtype
        if dt.kind == "f" and y_true.dtype == dt and (dtype is None or dt == dtype) and y_pred.ndim and y_true.shape == y_pred.shape:
            return y_true, y_pred
    t, p = as_pair(y_true, y_pred, dtype)
    t, p = squeeze_or_expand_to_same_rank(t, p)
    if t.shape != p.shape:
        raise ValueError(
            "Arguments `y_true` and `y_pred` must have the same shape (a trailing axis of "
            f"size 1 may differ). Received: y_true.shape={t.shape}, y_pred.shape={p.shape}"
        )
    return t, p


def check_axis(axis: Any, ndim: int, name: str = "axis") -> int:
    """Validate an axis argument against an array rank; return it as a non-negative int."""
    if type(axis) is int and -ndim <= axis < ndim:
        return axis % ndim  # the common case, without the checks below
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"Argument `{name}` must be an integer. Received: {name}={_describe(axis)}")
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"Argument `{name}` is out of range for an array of rank {ndim}: it must be in "
            f"[{-ndim}, {ndim - 1}]. Received: {name}={axis}"
        )
    return axis % ndim


def check_fraction(value: Any, name: str) -> float:
    """Validate an option that must be a number in [0, 1] (label_smoothing)."""
    if type(value) is float and 0.0 <= value <= 1.0:
        return value  # the common case, without the isinstance checks (1 µs)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Argument `{name}` must be a number in [0, 1]. Received: {name}={_describe(value)}")
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"Argument `{name}` must be in [0, 1]. Received: {name}={value}")
    return value


def check_positive(value: Any, name: str) -> float:
    """Validate an option that must be a positive number (huber's delta)."""
    if type(value) is float and value > 0:
        return value  # the common case, without the isinstance checks (1 µs)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Argument `{name}` must be a positive number. Received: {name}={_describe(value)}")
    value = float(value)
    if not value > 0:
        raise ValueError(f"Argument `{name}` must be a positive number. Received: {name}={value}")
    return value


def check_bool(value: Any, name: str) -> bool:
    """Validate a flag (from_logits)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"Argument `{name}` must be True or False. Received: {name}={_describe(value)}")


_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def position(name: str, index: tuple[int, ...]) -> str:
    """An element of an argument, as error messages spell it: ```y[1, 0]` (0-based)``.

    The R package rewrites this form into R's 1-based ```y[2, 1]```: keep it exact.
    """
    if not index:
        return f"`{name}`"
    return f"`{name}[{', '.join(str(int(i)) for i in index)}]` (0-based)"


def int_labels_below(arr: np.ndarray, num_classes: int) -> np.ndarray | None:
    """A non-empty integer array whose values all lie in ``[0, num_classes)``,
    as ``intp``; None for any other array (:func:`as_class_labels` says why).

    One reduction checks both bounds: seen as unsigned, a negative label is huge.
    """
    kind = arr.dtype.kind
    if kind not in "iu" or not arr.size:
        return None
    unsigned = arr.view(_UNSIGNED[arr.dtype.itemsize]) if kind == "i" else arr
    if np.maximum.reduce(unsigned, axis=None) < num_classes:
        return arr.astype(np.intp, copy=False)
    return None


def as_class_labels(y: Any, name: str, num_classes: int | None = None, *, num_classes_name: str | None = None) -> np.ndarray:
    """Validate integer class labels (0-based) and return them as an intp array.

    Float labels are accepted when they hold whole numbers. A negative label, NaN,
    a fraction, or a label >= ``num_classes`` is a ValueError naming the value and
    its position. When ``num_classes`` is an argument the caller was given (its
    name is ``num_classes_name``), a label too large is that argument's error.
    """
    arr = y if type(y) is np.ndarray else as_numeric_array(y, name)
    if num_classes is not None:
        # The checks below run only to say which label is wrong.
        checked = int_labels_below(arr, num_classes)
        if checked is not None:
            return checked
    arr = as_numeric_array(arr, name)
    if arr.dtype.kind == "b":
        arr = arr.astype(np.intp)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            pos = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"Argument `{name}` must hold 0-based integer class labels; found {arr[pos]} at "
                f"{position(name, pos)}. Received: {name} with dtype={arr.dtype}"
            )
        frac = arr != np.floor(arr)
        if frac.any():
            pos = tuple(int(i) for i in np.argwhere(frac)[0])
            raise ValueError(
                f"Argument `{name}` must hold 0-based integer class labels; found the "
                f"non-integer value {arr[pos]} at {position(name, pos)}."
            )
    if arr.size:
        low = np.minimum.reduce(arr, axis=None)  # arr.min() without its Python wrapper
        if low < 0:
            pos = tuple(int(i) for i in np.argwhere(arr == low)[0])
            raise ValueError(
                f"Argument `{name}` must hold 0-based class labels (0, 1, ..., num_classes - 1); "
                f"found the negative label {low:g} at {position(name, pos)}."
            )
        if num_classes is not None:
            high = np.maximum.reduce(arr, axis=None)
            if high >= num_classes:
                pos = tuple(int(i) for i in np.argwhere(arr == high)[0])
                if num_classes_name is not None:
                    raise ValueError(
                        f"Argument `{num_classes_name}` is too small: {name} holds the label {high:g} at "
                        f"{position(name, pos)}, and labels are 0-based, so {num_classes_name} must be at least "
                        f"{int(high) + 1} (or left unset, to count the classes from {name}). "
                        f"Received: {num_classes_name}={num_classes}"
                    )
                raise ValueError(
                    f"Argument `{name}` holds the label {high:g} at {position(name, pos)}, but labels are "
                    f"0-based and must be in [0, {num_classes - 1}] for {num_classes} classes."
                )
    return arr.astype(np.intp, copy=False)
