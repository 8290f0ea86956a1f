"""The one place for sample weights, masks and reductions.

Loss objects, metrics and ``log_loss`` all reduce through here. The order is
Keras': per-sample losses -> mask -> sample weights -> reduction.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._inputs import as_float_array, squeeze_or_expand_to_same_rank

#: The reductions a Loss accepts (``None`` is the same as ``"none"``).
REDUCTIONS = ("sum_over_batch_size", "mean", "sum", "none", "mean_with_sample_weight")

# Aliases from tf.keras 2 / R keras 2.x: "auto" was the default there and means
# sum_over_batch_size.
_REDUCTION_ALIASES = {"auto": "sum_over_batch_size", None: "none"}


#: Loss functions that can mask values (``sparse_categorical_crossentropy`` with
#: ``ignore_class``) -> their variant returning ``(values, mask)``. Keras attaches
#: the mask to the tensor; a NumPy array has no such place, so the variant is
#: registered here, where the mask is consumed.
_MASKED_VARIANTS: dict[Any, Any] = {}


def register_masked(fn: Any, with_mask: Any) -> None:
    """Declare ``with_mask(y_true, y_pred, **kw) -> (values, mask)`` as ``fn``'s masking variant."""
    _MASKED_VARIANTS[fn] = with_mask


def call_with_mask(fn: Any, y_true: Any, y_pred: Any, kwargs: dict[str, Any]) -> tuple[np.ndarray, np.ndarray | None]:
    """Call a loss function with the options ``kwargs`` and return ``(values, mask)``;
    the mask is None unless ``fn`` registered a masking variant with :func:`register_masked`.

    The options come as the caller's own dictionary, not as ``**kwargs``: packing
    them into a new one and unpacking it again cost a Loss object's small call
    0.6 µs of its 12 (what Keras' Loss objects are held to here)."""
    with_mask = _MASKED_VARIANTS.get(fn)
    if with_mask is not None:
        return with_mask(y_true, y_pred, **kwargs)
    values = fn(y_true, y_pred, **kwargs)
    return (values if type(values) is np.ndarray else np.asarray(values)), None


_CANONICAL = frozenset(REDUCTIONS) | {"sum_by_nonzero_weights"}


def standardize_reduction(reduction: Any) -> str:
    """Return the canonical reduction name, or raise ValueError listing the valid ones."""
    if reduction is None or isinstance(reduction, str):
        canonical = _REDUCTION_ALIASES.get(reduction, reduction)
        if canonical in REDUCTIONS:
            return canonical
    valid = ", ".join(repr(r) for r in REDUCTIONS + ("auto",)) + " or None"
    raise ValueError(f"Invalid value for argument `reduction`. Expected one of {valid}. Received: reduction={reduction!r}")


def align_weights(weights: np.ndarray, values: np.ndarray, name: str = "sample_weight") -> np.ndarray:
    """Make ``weights`` broadcastable to ``values`` or raise ValueError.

    Accepted: a scalar; the values' shape (after Keras' squeeze-or-expand rule);
    the same rank with every axis 1 or equal; or a leading prefix of the values'
    shape, such as ``[batch_size]``, which rescales every value of that sample.
    """
    if weights.ndim == 0 or weights.shape == values.shape:
        return weights
    _, w = squeeze_or_expand_to_same_rank(values, weights)
    if w.ndim == values.ndim + 1 and w.shape[-1] == 1:
        w = w[..., 0]  # a column of weights for rank-1 values (Keras would expand the values instead)
    if w.ndim < values.ndim and w.shape == values.shape[: w.ndim]:
        # [batch_size] (or any leading prefix): one weight per sample.
        w = w.reshape(w.shape + (1,) * (values.ndim - w.ndim))
    if w.ndim == values.ndim and all(a in (1, b) for a, b in zip(w.shape, values.shape)):
        return w
    if values.ndim == 0:
        hint = (
            "the loss is a single value here, because 1-D y_true and y_pred are one sample (Keras "
            "reduces over the last axis). To weight each element, pass them as columns of shape (n, 1)."
        )
    else:
        hint = f"it must be a scalar, have shape {values.shape}, or hold one weight per sample, shape ({values.shape[0]},)."
    raise ValueError(
        f"Argument `{name}` cannot be applied: {hint} "
        f"Received: {name}.shape={weights.shape}, values.shape={values.shape}"
    )


def _divide_no_nan(numerator: np.ndarray, denominator: Any) -> np.ndarray:
    dtype = numerator.dtype
    if denominator == 0:
        return dtype.type(0)
    return dtype.type(numerator / dtype.type(denominator))


def reduce_weighted_values(
    values: np.ndarray,
    sample_weight: Any = None,
    mask: np.ndarray | None = None,
    reduction: str = "sum_over_batch_size",
    weights_name: str = "sample_weight",
) -> Any:
    """Apply mask, sample weights and reduction to per-sample values.

    * ``sum_over_batch_size`` / ``mean``: ``sum(v * w) / n`` where ``n`` counts
      the values the mask keeps (0 when nothing is left).
    * ``mean_with_sample_weight``: ``sum(v * w) / sum(w)`` (0 when ``sum(w)`` is 0).
    * ``sum``: ``sum(v * w)``; ``none``: the weighted values.
    * ``sum_by_nonzero_weights`` (TensorFlow 1.x, for ``log_loss``):
      ``sum(v * w) / count(w != 0)``.
    """
    dtype = values.dtype
    if sample_weight is None and mask is None and reduction == "sum_over_batch_size":
        # The default of every Loss object, without the general path's checks.
        n = values.size
        if not values.ndim:
            return values[()]
        # A NumPy scalar of the values' dtype divided by one of the same dtype.
        return np.add.reduce(values, None, dtype) / dtype.type(n) if n else dtype.type(0)
    if reduction not in _CANONICAL:
        reduction = standardize_reduction(reduction)
    weights = None
    if sample_weight is not None:
        weights = align_weights(as_float_array(sample_weight, weights_name, dtype), values, weights_name)
    if mask is not None:
        weights = mask.astype(dtype) if weights is None else weights * mask
    if weights is not None:
        with np.errstate(invalid="ignore", over="ignore"):  # inf * 0 is NaN, as in Keras
            values = values * weights
    if reduction == "none":
        return values if values.ndim else values[()]
    total = values.sum(dtype=dtype)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and weights is not None:
        denominator = np.broadcast_to(weights, values.shape).sum(dtype=dtype)
    elif reduction == "sum_by_nonzero_weights" and weights is not None:
        denominator = np.count_nonzero(np.broadcast_to(weights, values.shape))
    elif mask is not None:
        # Keras divides by the unmasked count; when nothing is left its weights
        # are all 0 and it divides by the size, so NaN * 0 stays NaN.
        denominator = np.count_nonzero(mask) or values.size
    else:
        denominator = values.size
    return _divide_no_nan(total, denominator)


def samplewise_totals(
    values: np.ndarray,
    sample_weight: Any = None,
    mask: np.ndarray | None = None,
    per_sample: str = "mean",
) -> tuple[float, float]:
    """What one update adds to a ``Mean`` (or ``Sum``) metric: ``(total, count)`` as float64.

    Keras' rule (``reduce_to_samplewise_values``): values are reduced to the
    weights' rank (by mean, or by sum for ``Sum``), multiplied by the weights,
    then summed; the count is the number of samples, or the sum of the weights
    reduced the same way. A ``[batch_size]`` weight therefore weights whole
    samples. The sums are taken in float64 whatever the values' dtype.
    """
    f64 = np.float64
    weights = None
    if sample_weight is not None:
        weights = as_float_array(sample_weight, "sample_weight", values.dtype)
        align_weights(weights, values)  # the one shape check, shared with the losses
        if values.ndim == 0:
            # One sample (1-D y_true and y_pred): its single value takes a weight
            # of shape () or (1,), as in Keras (align_weights refused longer ones).
            values = values.reshape(1)
            mask = None if mask is None else np.reshape(mask, 1)
        values, weights = squeeze_or_expand_to_same_rank(values, weights)
    if mask is not None:
        mask = mask.astype(values.dtype)
        weights = mask if weights is None else align_weights(weights, values) * mask
    reduce = np.mean if per_sample == "mean" else np.sum
    if weights is None:
        n = values.shape[0] if values.ndim else 1
        total = values.sum(dtype=f64)
        if per_sample == "mean" and values.ndim > 1:
            total /= math.prod(values.shape[1:]) or 1
        return float(total), float(n)
    # Per-sample arithmetic in the values' dtype, as Keras does it (so float32
    # metrics give Keras' float32 numbers); only the sums are float64.
    if values.ndim > weights.ndim:
        values = reduce(values, axis=tuple(range(weights.ndim, values.ndim)))
    weights = np.broadcast_to(weights, values.shape)
    with np.errstate(invalid="ignore", over="ignore"):
        weighted = np.multiply(values, weights)
    per = math.prod(values.shape[1:]) if values.ndim > 1 else 1
    total = weighted.sum(dtype=f64) / ((per or 1) if per_sample == "mean" else 1)
    count = weights.sum(dtype=f64) / (per or 1)
    return float(total), float(count)
