"""Focal crossentropies and the generalized crossentropy (Keras 3's
``binary_focal_crossentropy``, ``categorical_focal_crossentropy``,
``categorical_generalized_cross_entropy``).

Each follows Keras' formula step by step (the same clipping, the same order of
operations), so float32 results agree with Keras to a few ulps. Logits of
±1e4 and probabilities of exactly 0 and 1 give finite losses: probabilities
are clipped to ``[1e-7, 1 - 1e-7]`` before any logarithm, as in Keras.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .._inputs import _describe, check_axis, check_bool, check_fraction, same_shape_pair
from ._rowwise import along_axis, prob_clip, rowdot, rowmax, rowmeandot, rowsum, rowwise
from .base import _BuiltinLoss
from .hinge import is_binary
from .probabilistic import _NO_SHIFT_DTYPES, _outside_no_shift_range, _sparse_inputs

#: Below this many elements categorical focal crossentropy's one-hot path (one
#: logarithm per row) costs more than it saves, so the plain formula runs.
_SMALL = 2048

#: Elements per block (see ``_rowwise.rowwise``), per kernel: the binary focal
#: kernels hold five or six block-sized temporaries at once, which stay in a
#: 2 MiB L2 cache with 32K-element blocks and spill out of it with 256K ones
#: (measured on (1e6, 10) float32: class balancing 5.5x -> 4.6x the memory
#: floor, soft labels 6.7x -> 5.0x); the categorical kernels reduce most of
#: their work to one value per row early and do best at 64K-128K. A block
#: never changes a row's arithmetic (the results are the same bits at any
#: block size), only where its temporaries live.
_BINARY_BLOCK = 1 << 15
_CATEGORICAL_BLOCK = 1 << 17


# ---------------------------------------------------------------------------
# Option checks (shared by the functions and the classes)
# ---------------------------------------------------------------------------


def check_gamma(gamma: Any) -> float:
    """The focusing parameter: a number >= 0 (0 gives the plain crossentropy)."""
    if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real):
        raise TypeError(f"Argument `gamma` must be a number >= 0. Received: gamma={_describe(gamma)}")
    value = float(gamma)
    if not value >= 0 or not np.isfinite(value):
        raise ValueError(f"Argument `gamma` must be a finite number >= 0 (0 turns the focal factor off). Received: gamma={gamma}")
    return value


def check_alpha(alpha: Any, per_class: bool = False) -> Any:
    """``alpha`` in [0, 1]; with ``per_class`` also a list of such numbers (one per class)."""
    if per_class and not isinstance(alpha, (str, bytes)) and isinstance(alpha, (list, tuple, np.ndarray)):
        values = np.asarray(alpha)
        if values.ndim != 1 or values.size == 0 or values.dtype.kind not in "iuf":
            raise ValueError(
                "Argument `alpha` must be a number in [0, 1] or a list of such numbers, one per class. "
                f"Received: alpha={_describe(alpha)}"
            )
        bad = ~((values >= 0) & (values <= 1))
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"Argument `alpha` must hold numbers in [0, 1]; alpha[{i}] is {values[i]}. Received: alpha={list(values)}")
        return [float(v) for v in values]
    return check_fraction(alpha, "alpha")


def check_q(q: Any) -> float:
    """The generalized crossentropy's noise parameter, in (0, 1]."""
    if isinstance(q, bool) or not isinstance(q, numbers.Real):
        raise TypeError(f"Argument `q` must be a number in (0, 1]. Received: q={_describe(q)}")
    value = float(q)
    if not 0.0 < value <= 1.0:
        raise ValueError(f"Argument `q` must be in (0, 1]. Received: q={q}")
    return value


def _focal_factor(f: np.ndarray, gamma: float) -> np.ndarray:
    """``f ** gamma`` in place, with the common exponents as multiplications."""
    if gamma == 2.0:
        return np.multiply(f, f, out=f)
    if gamma == 1.0:
        return f
    if gamma == 0.0:
        f[...] = 1  # Keras: power(x, 0) = 1, NaN included
        return f
    return np.power(f, f.dtype.type(gamma), out=f)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))``: exp overflows to inf for x < -88 (float32), giving exactly 0 as Keras does."""
    out = np.negative(x)
    np.exp(out, out=out)
    out += x.dtype.type(1)
    return np.reciprocal(out, out=out)


# ---------------------------------------------------------------------------
# Binary focal crossentropy
# ---------------------------------------------------------------------------


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    *,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> np.ndarray:
    """Binary focal crossentropy (Lin et al., 2018), averaged over ``axis``.

    With ``t`` the (smoothed) labels and ``p`` the probabilities (the sigmoid of
    ``y_pred`` with ``from_logits=True``), as Keras computes it::

        bce    = -(t log q + (1 - t) log(1 - q)),   q = clip(p, 1e-7, 1 - 1e-7)
        p_t    = t p + (1 - t)(1 - p)
        loss   = (1 - p_t) ** gamma * bce          (times t alpha + (1 - t)(1 - alpha)
                                                    with apply_class_balancing)

    With ``from_logits=True`` the crossentropy is computed from the logits
    ``x`` as Keras' TensorFlow backend does (R keras3's default backend):
    ``max(x, 0) - x t + log1p(exp(-|x|))``, without clipping. Keras' JAX
    backend clips the sigmoid instead, which gives the same number for
    ``|x| < 16`` and caps the loss of a confidently wrong logit at about 16.

    ``gamma=0`` (and no balancing) gives :func:`binary_crossentropy`. Label
    smoothing ``ls`` makes the labels ``t (1 - ls) + ls / 2``.

    Args:
        y_true: labels in [0, 1], shape ``(batch, d0, ..., dN)``.
        y_pred: probabilities (or logits with ``from_logits=True``), same shape.
        apply_class_balancing: weight class 1 by ``alpha`` and class 0 by ``1 - alpha``.
        alpha: the balancing weight, in [0, 1].
        gamma: the focusing parameter, >= 0.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: a number in [0, 1].
        axis: the axis the mean is taken over.

    Returns:
        Per-sample losses, the input shape without ``axis``.

    Example (the numbers of Keras' docstring):

        >>> binary_focal_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], gamma=2).round(3)
        array([0.33 , 0.206], dtype=float32)
    """
    apply_class_balancing = check_bool(apply_class_balancing, "apply_class_balancing")
    alpha = check_alpha(alpha)
    gamma = check_gamma(gamma)
    from_logits = check_bool(from_logits, "from_logits")
    ls = check_fraction(label_smoothing, "label_smoothing")
    t, p = same_shape_pair(y_true, y_pred)
    axis = check_axis(axis, t.ndim)
    balance = alpha if apply_class_balancing else None
    return along_axis(lambda t, p: _bfce_block(t, p, balance, gamma, from_logits, ls), axis, t, p, block=_BINARY_BLOCK)


def _bfce_block(t: np.ndarray, p: np.ndarray, alpha: float | None, gamma: float, from_logits: bool, ls: float) -> np.ndarray:
    dt = p.dtype.type
    one = dt(1)
    if ls:
        t = t * dt(1.0 - ls)
        t += dt(0.5 * ls)
    if from_logits:
        return _bfce_logits(t, p, alpha, gamma)
    q = prob_clip(p)
    # One formula for every label and block size (as binary crossentropy's), so
    # that a row's loss is the same bits in any batch or block. A shortcut for
    # labels of exactly 0 and 1 in large blocks only (p_t as |t - 1 + p|) was
    # wrong for predictions outside [0, 1] (p = 2, label 0: 0.156 where Keras
    # gives 16.10), gave +-inf on infinite ones (Keras: NaN), NaN on huge ones
    # with a non-integer gamma, and rounded otherwise.
    log_not_q = np.subtract(one, q)
    np.log(log_not_q, out=log_not_q)
    np.log(q, out=q)
    not_t = np.subtract(one, t)
    a = q
    a *= t
    log_not_q *= not_t
    a += log_not_q  # t log q + (1 - t) log(1 - q) = -bce
    # 1 - p_t, with p_t = t p + (1 - t)(1 - p) as Keras forms it.
    p_t = np.multiply(t, p)
    not_p = np.subtract(one, p, out=log_not_q)
    not_p *= not_t
    p_t += not_p
    f = np.subtract(one, p_t, out=p_t)
    f = _focal_factor(f, gamma)
    if alpha is not None:
        f *= _balance(t, alpha, out=not_t)
    out = rowmeandot(f, a)  # -(focal factor x bce), negated at the end, per row
    return np.subtract(dt(0), out, out=out)  # 0 - x, not -x: a zero stays +0.0, as before


def _bfce_logits(t: np.ndarray, x: np.ndarray, alpha: float | None, gamma: float) -> np.ndarray:
    """From logits, as Keras' TensorFlow backend computes it: the sigmoid's output
    keeps its logits, so the crossentropy is TensorFlow's stable
    ``max(x, 0) - x t + log1p(exp(-|x|))`` (finite for every finite logit, no
    clipping), and only the focal factor uses ``p = sigmoid(x)``."""
    dt = x.dtype.type
    one = dt(1)
    p = np.negative(x)
    bce = np.minimum(x, p)  # -|x| (for x = 0 perhaps +0.0, and exp(+0) = exp(-0) = 1)
    np.exp(bce, out=bce)
    np.log1p(bce, out=bce)
    tmp = np.maximum(x, dt(0))
    bce += tmp
    bce -= np.multiply(x, t, out=tmp)
    # p = sigmoid(x) = 1 / (1 + exp(-x)), as _sigmoid: exp overflows to inf for x < -88 (float32), giving 0
    np.exp(p, out=p)
    p += one
    np.reciprocal(p, out=p)
    # p_t = t p + (1 - t)(1 - p) as Keras forms it, for every kind of label:
    # for labels of 0 and 1 it is exactly p or 1 - p, so telling them apart
    # (four passes) and taking |t - 1 + p| (three) cost more than these five.
    f = np.multiply(t, p)
    not_p = np.subtract(one, p, out=p)
    not_p *= np.subtract(one, t, out=tmp)
    f += not_p
    balance = None if alpha is None else _balance(t, alpha, out=tmp)
    np.subtract(one, f, out=f)
    f = _focal_factor(f, gamma)
    if balance is not None:
        f *= balance
    return rowmeandot(f, bce)  # Keras: mean((factor x bce) x balance); a rounding apart


def _balance(t: np.ndarray, alpha: float, out: np.ndarray | None = None) -> np.ndarray:
    """``t alpha + (1 - t)(1 - alpha)``, as Keras forms it (``out``: a spare block to write it in)."""
    dt = t.dtype.type
    w = np.multiply(t, dt(alpha))
    other = np.subtract(dt(1), t, out=out)
    other *= dt(1.0 - alpha)
    w += other
    return w


# ---------------------------------------------------------------------------
# Categorical focal crossentropy
# ---------------------------------------------------------------------------


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    *,
    alpha: Any = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> np.ndarray:
    """Categorical focal crossentropy, summed over the class axis.

    As Keras computes it: logits go through a softmax; the probabilities are
    renormalised to sum to 1 and clipped to ``[1e-7, 1 - 1e-7]`` (call them
    ``q``); then ``sum(alpha * (1 - q) ** gamma * -t log q)``. ``gamma=0`` and
    ``alpha=1`` give :func:`categorical_crossentropy`.

    Args:
        y_true: one-hot (or soft) labels, shape ``(batch, ..., num_classes)``.
        y_pred: probabilities (or logits with ``from_logits=True``), same shape.
        alpha: a weight in [0, 1], or a list of weights, one per class.
        gamma: the focusing parameter, >= 0.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: a number in [0, 1]; labels become ``t (1 - ls) + ls / C``
            with ``C`` the size of ``axis`` (as for :func:`categorical_crossentropy`
            here; Keras 3 takes ``C`` from the last axis whatever ``axis`` is).
        axis: the class axis.

    Returns:
        Per-sample losses, the input shape without ``axis``.

    Example (the numbers of Keras' docstring):

        >>> categorical_focal_crossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]])
        array([2.6340148e-04, 6.7591208e-01], dtype=float32)
    """
    alpha = check_alpha(alpha, per_class=True)
    gamma = check_gamma(gamma)
    from_logits = check_bool(from_logits, "from_logits")
    ls = check_fraction(label_smoothing, "label_smoothing")
    t, p = same_shape_pair(y_true, y_pred)
    axis = check_axis(axis, t.ndim)
    n_classes = t.shape[axis]
    if isinstance(alpha, list) and len(alpha) != n_classes:
        raise ValueError(
            f"Argument `alpha` holds {len(alpha)} weights, but y_pred has {n_classes} classes along axis {axis}: "
            f"give one weight per class or a single number. Received: alpha={alpha}, y_pred.shape={p.shape}"
        )
    a = np.asarray(alpha, dtype=p.dtype) if isinstance(alpha, list) else p.dtype.type(alpha)
    return along_axis(lambda t, x: _cfce_block(t, x, a, gamma, from_logits, ls), axis, t, p, block=_CATEGORICAL_BLOCK)


def _normalised_probs(x: np.ndarray, from_logits: bool) -> np.ndarray:
    """Keras' ``q``: softmax for logits, renormalised to sum 1, clipped.

    Logits: a row whose ``log(sum(exp(x)))`` lies in ``[-16, 16]`` (see
    ``probabilistic._row_lse``) is ``exp(x) / sum(exp(x))``, without Keras'
    shift by the row maximum and second division by the softmax's sum (a few
    ulps from Keras' q, within its tolerance; both are broadcasts over a short
    row, which NumPy runs 3-5x slower than a plain pass). Other rows, and
    float16, take Keras' arithmetic. The choice is per row, and
    :func:`_cfce_block`'s one-hot path makes the same one.
    """
    if from_logits:
        bad: Any = slice(None)
        if x.dtype in _NO_SHIFT_DTYPES:
            e = np.exp(x)
            s = rowsum(e)
            bad = _outside_no_shift_range(np.log(s))
            q = np.divide(e, s[:, None], out=e)
            if bad is None:
                return prob_clip(q, out=q)
        else:
            q = np.empty_like(x)
        q[bad] = _keras_softmax(x[bad])
        return prob_clip(q, out=q)
    q = x / rowsum(x)[:, None]
    return prob_clip(q, out=q)


def _keras_softmax(x: np.ndarray) -> np.ndarray:
    """Keras' softmax of a 2-D block of logits, then its renormalisation."""
    x = x - rowmax(x)[:, None]
    np.exp(x, out=x)
    x /= rowsum(x)[:, None]
    return np.divide(x, rowsum(x)[:, None], out=x)


def _cfce_dense(t: np.ndarray, x: np.ndarray, alpha: Any, gamma: float, from_logits: bool) -> np.ndarray:
    q = _normalised_probs(x, from_logits)
    dt = q.dtype.type
    f = _focal_factor(np.subtract(dt(1), q), gamma)
    f *= alpha
    np.log(q, out=q)
    q *= t
    f *= q
    out = rowsum(f)
    # 0 - x, not -x: a row of zero labels gives +0.0, as Keras and the one-hot path do.
    return np.subtract(dt(0), out, out=out)


def _cfce_block(t: np.ndarray, x: np.ndarray, alpha: Any, gamma: float, from_logits: bool, ls: float) -> np.ndarray:
    if ls:
        dt = x.dtype.type
        t = t * dt(1.0 - ls)
        t += dt(ls) / dt(t.shape[1])
        return _cfce_dense(t, x, alpha, gamma, from_logits)
    if t.size <= _SMALL or not is_binary(t):
        return _cfce_dense(t, x, alpha, gamma, from_logits)
    count = rowsum(t)
    if (count > 1).any():
        return _cfce_dense(t, x, alpha, gamma, from_logits)
    # One-hot labels (or an all-zero row): every other class contributes
    # 0 * finite = 0, so only the labelled class needs its logarithm and its
    # focal factor. rowdot(t, v) picks v at the label exactly.
    dt = x.dtype.type
    if from_logits:
        # The picked entry of _normalised_probs' q, the same bits: exp(x_k) / S
        # on the rows in the no-shift range; the other rows (large logits,
        # infinities, NaN, float16) take the dense formula below, as Keras.
        if x.dtype in _NO_SHIFT_DTYPES:
            e = np.exp(x)
            s = rowsum(e)
            outside = _outside_no_shift_range(np.log(s))
            ok = np.ones(s.shape, dtype=bool) if outside is None else ~outside
            picked = rowdot(t, e)  # e at the label, exactly (the other terms are 0)
        else:
            return _cfce_dense(t, x, alpha, gamma, from_logits)
    else:
        s = rowsum(x)
        picked = rowdot(t, x)
        ok = np.isfinite(s) & (s != 0) & np.isfinite(picked)
    picked /= s
    prob_clip(picked, out=picked)
    f = _focal_factor(np.subtract(dt(1), picked), gamma)
    f *= rowsum(t * alpha) if np.ndim(alpha) else alpha * count
    np.log(picked, out=picked)
    f *= picked
    out = np.negative(f, out=f)
    if not ok.all():
        bad = ~ok  # NaN, infinities, all-zero rows: the dense formula, as Keras
        out[bad] = _cfce_dense(t[bad], x[bad], alpha, gamma, from_logits)
    return out


# ---------------------------------------------------------------------------
# Generalized crossentropy
# ---------------------------------------------------------------------------


def categorical_generalized_cross_entropy(y_true: Any, y_pred: Any, *, q: float = 0.5) -> np.ndarray:
    """Generalized crossentropy (Zhang & Sabuncu, 2018): ``(1 - p ** q) / q`` with
    ``p`` the predicted probability of the true class.

    Between crossentropy (``q -> 0``) and mean absolute error (``q = 1``). The
    labels are integer class indices, as in Keras; a trailing label axis of
    size 1 is dropped. ``q`` defaults to 0.5 here (the class's default; Keras'
    function requires it). ``q = 1`` is accepted (Keras' class asks for
    ``0 < q < 1``; its function takes any ``q``).

    Args:
        y_true: integer labels, shape ``(batch,)`` or ``(batch, 1)``.
        y_pred: class probabilities, shape ``(batch, num_classes)``.
        q: the noise parameter, in (0, 1].

    Returns:
        Per-sample losses, shape ``(batch,)``.

    Example:

        >>> categorical_generalized_cross_entropy([0, 1, 0, 1], [[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]]).round(4)
        array([0.3267, 0.2111, 0.4508, 0.4508], dtype=float32)
    """
    q = check_q(q)
    labels, x, _ = _sparse_inputs(y_true, y_pred, -1, None)
    return rowwise(lambda lab, x: _gce_block(lab[:, 0], x, q), labels[..., None], x)


def _gce_block(labels: np.ndarray, x: np.ndarray, q: float) -> np.ndarray:
    dt = x.dtype.type
    p = x[np.arange(x.shape[0]), labels]
    out = np.power(p, dt(q))
    np.subtract(dt(1), out, out=out)
    out /= dt(q)
    return out


# ---------------------------------------------------------------------------
# Loss classes
# ---------------------------------------------------------------------------


class BinaryFocalCrossentropy(_BuiltinLoss):
    """Loss object for :func:`binary_focal_crossentropy`.

    Example (Keras' docstring numbers):

        >>> y_true = [[0, 1], [0, 0]]
        >>> y_pred = [[0.6, 0.4], [0.4, 0.6]]
        >>> round(float(BinaryFocalCrossentropy(gamma=2)(y_true, y_pred)), 3)
        0.268
        >>> round(float(BinaryFocalCrossentropy(apply_class_balancing=True, gamma=2)(y_true, y_pred)), 3)
        0.16
    """

    _fn = staticmethod(binary_focal_crossentropy)
    _default_name = "binary_focal_crossentropy"

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "binary_focal_crossentropy",
        dtype: Any = None,
    ):
        check_axis(axis, 64)
        self._setup(
            reduction,
            name,
            dtype,
            apply_class_balancing=check_bool(apply_class_balancing, "apply_class_balancing"),
            alpha=check_alpha(alpha),
            gamma=check_gamma(gamma),
            from_logits=check_bool(from_logits, "from_logits"),
            label_smoothing=check_fraction(label_smoothing, "label_smoothing"),
            axis=int(axis),
        )


class CategoricalFocalCrossentropy(_BuiltinLoss):
    """Loss object for :func:`categorical_focal_crossentropy`.

    Example (Keras' docstring numbers):

        >>> y_true = [[0, 1, 0], [0, 0, 1]]
        >>> y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
        >>> round(float(CategoricalFocalCrossentropy()(y_true, y_pred)), 4)
        0.2332
    """

    _fn = staticmethod(categorical_focal_crossentropy)
    _default_name = "categorical_focal_crossentropy"

    def __init__(
        self,
        alpha: Any = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "categorical_focal_crossentropy",
        dtype: Any = None,
    ):
        check_axis(axis, 64)
        self._setup(
            reduction,
            name,
            dtype,
            alpha=check_alpha(alpha, per_class=True),
            gamma=check_gamma(gamma),
            from_logits=check_bool(from_logits, "from_logits"),
            label_smoothing=check_fraction(label_smoothing, "label_smoothing"),
            axis=int(axis),
        )


class CategoricalGeneralizedCrossEntropy(_BuiltinLoss):
    """Loss object for :func:`categorical_generalized_cross_entropy` (integer labels).

    Example (Keras' docstring inputs):

        >>> y_true = [0, 1, 0, 1]
        >>> y_pred = [[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]]
        >>> round(float(CategoricalGeneralizedCrossEntropy()(y_true, y_pred)), 4)
        0.3598
    """

    _fn = staticmethod(categorical_generalized_cross_entropy)
    _default_name = "categorical_generalized_cross_entropy"
    _same_rank_inputs = False
    _labels_as_floats = False  # integer labels: its function validates them (one conversion)

    def __init__(
        self,
        q: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "categorical_generalized_cross_entropy",
        dtype: Any = None,
    ):
        self._setup(reduction, name, dtype, q=check_q(q))
