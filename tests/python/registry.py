"""One table of every loss and how to make valid inputs for it.

Each parametrized property test in this folder runs over this table, so a
new loss gets every property test by adding one row here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from rkeraslosses import losses


def _probs(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    x = rng.uniform(0.01, 1.0, size=shape)
    return x / x.sum(axis=-1, keepdims=True)


def _one_hot(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    labels = rng.integers(0, shape[-1], size=shape[:-1])
    return np.eye(shape[-1])[labels]


def _regression(rng, shape):
    return rng.normal(size=shape), rng.normal(size=shape)


def _positive(rng, shape):
    return rng.uniform(0.0, 3.0, size=shape), rng.uniform(0.01, 3.0, size=shape)


def _binary(rng, shape):
    return rng.integers(0, 2, size=shape).astype(float), rng.uniform(0.01, 0.99, size=shape)


def _signed_labels(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape), rng.normal(size=shape)


def _categorical(rng, shape):
    return _one_hot(rng, shape), _probs(rng, shape)


def _distributions(rng, shape):
    return _probs(rng, shape), _probs(rng, shape)


def _sparse(rng, shape):
    return rng.integers(0, shape[-1], size=shape[:-1]).astype(float), _probs(rng, shape)


def _embeddings(rng, shape):
    """Integer labels (each class at least twice where the batch allows) and unit-norm embeddings."""
    n = shape[0]
    dim = int(np.prod(shape[1:])) if len(shape) > 1 else 1
    labels = rng.permutation(np.arange(n) % max(2, n // 2)).astype(float)
    e = rng.normal(size=(n, max(dim, 1)))
    return labels, e / np.linalg.norm(e, axis=1, keepdims=True)


def _sequences(rng, shape):
    """CTC labels (batch, max_length) padded with 0, and logits (batch, time, classes).

    The batch is shape[0]; the class count is shape[-1] + 1 (class 0 is the
    blank); every label sequence fits in the time axis."""
    n = shape[0]
    classes = (shape[-1] if len(shape) > 1 else 3) + 1
    max_length = max(1, classes // 2)
    steps = 2 * max_length + 1 + (int(np.prod(shape[1:-1])) if len(shape) > 2 else 0)
    lengths = rng.integers(1, max_length + 1, size=n)
    labels = rng.integers(1, classes, size=(n, max_length)) * (np.arange(max_length) < lengths[:, None])
    return labels.astype(float), rng.normal(scale=2.0, size=(n, steps, classes))


def _per_sample(shape):
    return shape[:-1]


def _per_batch_row(shape):
    return shape[:1]


def _one_value(shape):
    return ()


@dataclass(frozen=True)
class Case:
    """A loss, its class, the names that must resolve to it, and an input maker."""

    fn: Callable[..., Any]
    cls: type
    names: tuple[str, ...]
    make: Callable[[np.random.Generator, tuple[int, ...]], tuple[np.ndarray, np.ndarray]]
    sparse: bool = False
    options: dict = field(default_factory=dict)
    #: the shape of the per-sample losses for inputs made with ``shape``
    out_shape: Callable[[tuple[int, ...]], tuple[int, ...]] = _per_sample
    #: one value for the whole batch (Dice, Tversky with axis=None): weights broadcast over it
    whole_batch: bool = False
    #: each sample's loss depends on that sample alone (not so for pairwise or whole-batch losses)
    independent: bool = True
    #: a single column (or a 1-D vector) is a meaningful input: no class or vector axis
    columns: bool = True

    @property
    def id(self) -> str:
        return self.fn.__name__

    def inputs(self, seed: int = 0, shape: tuple[int, ...] = (6, 4)) -> tuple[np.ndarray, np.ndarray]:
        return self.make(np.random.default_rng(seed), shape)


CASES = [
    Case(losses.mean_squared_error, losses.MeanSquaredError, ("mean_squared_error", "mse", "MSE", "MeanSquaredError"), _regression),
    Case(losses.mean_absolute_error, losses.MeanAbsoluteError, ("mean_absolute_error", "mae", "MAE", "MeanAbsoluteError"), _regression),
    Case(
        losses.mean_absolute_percentage_error,
        losses.MeanAbsolutePercentageError,
        ("mean_absolute_percentage_error", "mape", "MAPE", "MeanAbsolutePercentageError"),
        _regression,
    ),
    Case(
        losses.mean_squared_logarithmic_error,
        losses.MeanSquaredLogarithmicError,
        ("mean_squared_logarithmic_error", "msle", "MSLE", "MeanSquaredLogarithmicError"),
        _positive,
    ),
    Case(losses.cosine_similarity, losses.CosineSimilarity, ("cosine_similarity", "cosine_proximity", "CosineSimilarity"), _regression),
    Case(losses.huber, losses.Huber, ("huber", "huber_loss", "Huber"), _regression),
    Case(losses.log_cosh, losses.LogCosh, ("log_cosh", "logcosh", "LogCosh"), _regression),
    Case(losses.hinge, losses.Hinge, ("hinge", "Hinge"), _signed_labels),
    Case(losses.squared_hinge, losses.SquaredHinge, ("squared_hinge", "SquaredHinge"), _signed_labels),
    Case(losses.categorical_hinge, losses.CategoricalHinge, ("categorical_hinge", "CategoricalHinge"), _categorical),
    Case(losses.kl_divergence, losses.KLDivergence, ("kl_divergence", "kld", "KLD", "kullback_leibler_divergence", "KLDivergence"), _distributions),
    Case(losses.poisson, losses.Poisson, ("poisson", "Poisson"), _positive),
    Case(losses.binary_crossentropy, losses.BinaryCrossentropy, ("binary_crossentropy", "bce", "BCE", "BinaryCrossentropy"), _binary),
    Case(losses.categorical_crossentropy, losses.CategoricalCrossentropy, ("categorical_crossentropy", "CategoricalCrossentropy"), _categorical),
    Case(
        losses.sparse_categorical_crossentropy,
        losses.SparseCategoricalCrossentropy,
        ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"),
        _sparse,
        sparse=True,
    ),
    Case(
        losses.binary_focal_crossentropy,
        losses.BinaryFocalCrossentropy,
        ("binary_focal_crossentropy", "BinaryFocalCrossentropy"),
        _binary,
    ),
    Case(
        losses.categorical_focal_crossentropy,
        losses.CategoricalFocalCrossentropy,
        ("categorical_focal_crossentropy", "CategoricalFocalCrossentropy"),
        _categorical,
        columns=False,
    ),
    Case(
        losses.categorical_generalized_cross_entropy,
        losses.CategoricalGeneralizedCrossEntropy,
        ("categorical_generalized_cross_entropy", "CategoricalGeneralizedCrossEntropy"),
        _sparse,
        sparse=True,
    ),
    Case(losses.dice, losses.Dice, ("dice", "Dice"), _binary, out_shape=_one_value, whole_batch=True, independent=False),
    Case(losses.tversky, losses.Tversky, ("tversky", "Tversky"), _binary, out_shape=_one_value, whole_batch=True, independent=False),
    Case(losses.circle, losses.Circle, ("circle", "Circle"), _embeddings, sparse=True, out_shape=_per_batch_row, independent=False),
    Case(losses.ctc, losses.CTC, ("ctc", "CTC"), _sequences, sparse=True, out_shape=_per_batch_row),
]

IDS = [c.id for c in CASES]

# R names and metric classes, read from the package's registry.
from rkeraslosses import metrics as _metrics  # noqa: E402
from rkeraslosses import registry as _registry  # noqa: E402

#: (R name, Keras function name) of every loss R name.
R_NAMES = [(r, e.fn.__name__) for e in _registry.entries("loss") for r in e.r_names]
#: The metric classes that are the mean of a loss function (one per loss-based metric entry).
LOSS_METRIC_CLASSES = [
    e.cls
    for e in _registry.entries("metric")
    if e.cls is not None and issubclass(e.cls, _metrics.BuiltinMetric) and getattr(e.cls, "_fn_static").__name__ in {c.fn.__name__ for c in CASES} | {"cosine_similarity"}
]
#: (R name, class) of the loss-based metrics.
R_METRIC_NAMES = [(r, e.cls) for e in _registry.entries("metric") if e.cls in LOSS_METRIC_CLASSES for r in e.r_names]
