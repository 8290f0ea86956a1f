"""Connectionist temporal classification (CTC), Keras 3's ``ctc``.

The forward algorithm in log space, as Keras' JAX and NumPy backends compute
it (``ops.ctc_loss``, after optax's ``ctc_loss_with_forward_probs``): one
vectorised step per time step over the whole batch and every label position.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._inputs import as_class_labels, as_float_array, as_numeric_array
from .base import _BuiltinLoss

#: Keras' "log of zero" in the recursion: paths through a forbidden transition
#: get this penalty instead of -inf, so an impossible alignment gives a large
#: finite loss (about 1e5 per forbidden step), as in Keras' JAX backend.
_LOG_EPSILON = -1e5

#: Keras' mask index: label 0 is the blank and pads the label sequences.
MASK_INDEX = 0


def _logaddexp(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``log(exp(a) + exp(b))`` as ``max + log1p(exp(-|a - b|))``: NumPy's float32
    ``logaddexp`` is several times slower (no SIMD). For finite inputs only."""
    m = np.maximum(a, b)
    d = np.subtract(a, b)
    np.abs(d, out=d)
    np.negative(d, out=d)
    np.exp(d, out=d)
    np.log1p(d, out=d)
    d += m
    return d


def _log_softmax(x: np.ndarray) -> np.ndarray:
    z = x - np.max(x, axis=-1, keepdims=True)
    lse = np.log(np.exp(z).sum(axis=-1, keepdims=True))
    z -= lse
    return z


def ctc(y_true: Any, y_pred: Any) -> np.ndarray:
    """CTC loss of each sequence: ``-log P(labels | y_pred)``.

    As Keras: ``y_pred`` holds logits (a log-softmax is applied over the
    classes), class 0 is the blank, ``y_true`` is padded with 0, and each
    label sequence's length is its number of non-zero entries (its first
    that-many entries are the labels). Every time step of ``y_pred`` is used.
    A label sequence that cannot be aligned in the time available (e.g.
    longer than the time axis) gives a large finite loss, about 1e5 per
    missing step, as in Keras' JAX and NumPy backends (its TensorFlow backend
    gives another finite value, in the hundreds).

    Args:
        y_true: integer labels in ``[0, num_classes)``, shape ``(batch, max_label_length)``.
        y_pred: logits, shape ``(batch, time, num_classes)``.

    Returns:
        Per-sequence losses, shape ``(batch,)``, in ``y_pred``'s dtype
        (float32 for integer input).

    Example:

        >>> y_pred = np.log(np.array([[[0.5, 0.5], [0.5, 0.5]]]))
        >>> ctc([[1]], y_pred).round(6)  # P = 3 paths of 1/4: -b, b-, bb
        array([0.287682])
    """
    x = as_float_array(y_pred, "y_pred")
    if x.ndim != 3:
        raise ValueError(
            "Argument `y_pred` must hold logits of shape (batch_size, time_steps, num_classes). "
            f"Received: y_pred.shape={x.shape}"
        )
    raw = as_numeric_array(y_true, "y_true")
    if raw.ndim != 2 or raw.shape[0] != x.shape[0]:
        raise ValueError(
            "Argument `y_true` must hold integer labels of shape (batch_size, max_label_length), "
            f"padded with {MASK_INDEX}, with y_pred's batch size. Received: y_true.shape={raw.shape}, y_pred.shape={x.shape}"
        )
    if x.dtype.itemsize < 4:
        x = x.astype(np.float32)  # Keras: result_type(dtype, "float32")
    labels = as_class_labels(raw, "y_true", x.shape[2])
    return _forward(labels, x)


def _forward(target: np.ndarray, x: np.ndarray) -> np.ndarray:
    dtype = x.dtype
    dt = dtype.type
    batch, steps, _ = x.shape
    n = target.shape[1]
    with np.errstate(all="ignore"):
        logprobs = _log_softmax(x)
        label_lengths = np.count_nonzero(target != MASK_INDEX, axis=1)
        # repeat[b, i] = 1 where label i equals label i + 1 (the last is 0).
        repeat = np.zeros((batch, n), dtype=dtype)
        repeat[:, :-1] = target[:, :-1] == target[:, 1:]
        emit_penalty = dt(_LOG_EPSILON) * repeat  # emit -> phi, except before a repeated label
        blank_penalty = dt(_LOG_EPSILON) * (dt(1) - repeat)  # emit -> phi through a blank, only before a repeat
        # [T, B, N]: the log-probability of emitting label i at time t; [T, B, 1]: of the blank.
        by_time = logprobs.transpose(1, 0, 2)
        emit = by_time[:, np.arange(batch)[:, None], target]
        blank = by_time[:, :, MASK_INDEX : MASK_INDEX + 1].copy()
        # -inf (a logit of -inf) or NaN: NumPy's logaddexp, which handles them as JAX's does.
        logaddexp = _logaddexp if np.isfinite(logprobs).all() else np.logaddexp
        phi = np.full((batch, n + 1), dt(_LOG_EPSILON), dtype=dtype)
        phi[:, 0] = 0
        em = np.full((batch, n), dt(_LOG_EPSILON), dtype=dtype)
        for t in range(steps):
            # emit-to-phi epsilon transition, except if the next label is a repetition
            prev_phi = phi.copy()
            prev_phi[:, 1:] = logaddexp(phi[:, 1:], em + emit_penalty)
            # phi-to-emit transition and emit self-loop
            next_emit = logaddexp(prev_phi[:, :-1] + emit[t], em + emit[t])
            # phi self-loop (a blank), and emit-to-phi through a blank only before a repetition
            next_phi = prev_phi + blank[t]
            next_phi[:, 1:] = logaddexp(next_phi[:, 1:], em + blank[t] + blank_penalty)
            phi, em = next_phi, next_emit
        # the last epsilon transition
        phi[:, 1:] = logaddexp(phi[:, 1:], em)
        return -phi[np.arange(batch), label_lengths]


class CTC(_BuiltinLoss):
    """Loss object for :func:`ctc`.

    Example:

        >>> y_pred = np.log(np.array([[[0.5, 0.5], [0.5, 0.5]]]))
        >>> print(CTC()([[1]], y_pred))
        0.2876821
    """

    _fn = staticmethod(ctc)
    _default_name = "ctc"
    _same_rank_inputs = False
    _labels_as_floats = False  # integer labels: its function validates them (one conversion)

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = "ctc", dtype: Any = None):
        self._setup(reduction, name, dtype)
