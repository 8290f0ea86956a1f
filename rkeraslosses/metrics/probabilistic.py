"""Probabilistic metrics: the means of the crossentropies, KL divergence and Poisson."""

from __future__ import annotations

from typing import Any

from .. import losses as _losses
from .._inputs import check_bool, check_fraction
from .._options import check_ce_options, check_sparse_options
from .base import BuiltinMetric, builtin_metric

KLDivergence = builtin_metric("KLDivergence", _losses.kl_divergence, "kl_divergence", __name__)
Poisson = builtin_metric("Poisson", _losses.poisson, "poisson", __name__)


class BinaryCrossentropy(BuiltinMetric):
    """Stateful binary crossentropy."""

    _fn_static = staticmethod(_losses.binary_crossentropy)
    _default_name = "binary_crossentropy"

    def __init__(self, name: str | None = "binary_crossentropy", dtype: Any = None, from_logits: bool = False, label_smoothing: float = 0):
        self._setup(name, dtype, from_logits=check_bool(from_logits, "from_logits"), label_smoothing=check_fraction(label_smoothing, "label_smoothing"))


class CategoricalCrossentropy(BuiltinMetric):
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
        self._setup(name, dtype, **check_ce_options(from_logits, label_smoothing, axis))


class SparseCategoricalCrossentropy(BuiltinMetric):
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
        self._setup(name, dtype, **check_sparse_options(from_logits, ignore_class, axis))
