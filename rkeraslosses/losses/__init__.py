"""Keras 3's losses, spelled as in ``keras.losses``: functions and Loss classes.

>>> from rkeraslosses import losses
>>> losses.categorical_crossentropy([[0, 1, 0]], [[0.05, 0.95, 0]]).round(4)
array([0.0513], dtype=float32)
"""

from .base import Loss
from .base import LossFunctionWrapper
from .hinge import CategoricalHinge
from .hinge import Hinge
from .hinge import SquaredHinge
from .hinge import categorical_hinge
from .hinge import hinge
from .hinge import squared_hinge
from .probabilistic import BinaryCrossentropy
from .probabilistic import CategoricalCrossentropy
from .probabilistic import KLDivergence
from .probabilistic import Poisson
from .probabilistic import SparseCategoricalCrossentropy
from .probabilistic import binary_crossentropy
from .probabilistic import categorical_crossentropy
from .probabilistic import kl_divergence
from .probabilistic import poisson
from .probabilistic import sparse_categorical_crossentropy
from .regression import CosineSimilarity
from .regression import Huber
from .regression import LogCosh
from .regression import MeanAbsoluteError
from .regression import MeanAbsolutePercentageError
from .regression import MeanSquaredError
from .regression import MeanSquaredLogarithmicError
from .regression import cosine_similarity
from .regression import huber
from .regression import log_cosh
from .regression import mean_absolute_error
from .regression import mean_absolute_percentage_error
from .regression import mean_squared_error
from .regression import mean_squared_logarithmic_error

#: Every built-in loss: (function, class). The one table that identifiers,
#: the R-style names and the tests are built from.
ALL_LOSSES = (
    (mean_squared_error, MeanSquaredError),
    (mean_absolute_error, MeanAbsoluteError),
    (mean_absolute_percentage_error, MeanAbsolutePercentageError),
    (mean_squared_logarithmic_error, MeanSquaredLogarithmicError),
    (cosine_similarity, CosineSimilarity),
    (huber, Huber),
    (log_cosh, LogCosh),
    (hinge, Hinge),
    (squared_hinge, SquaredHinge),
    (categorical_hinge, CategoricalHinge),
    (kl_divergence, KLDivergence),
    (poisson, Poisson),
    (binary_crossentropy, BinaryCrossentropy),
    (categorical_crossentropy, CategoricalCrossentropy),
    (sparse_categorical_crossentropy, SparseCategoricalCrossentropy),
)

# Keras' own aliases, and the names Keras 2 and R keras used.
ALIASES = {
    "mse": mean_squared_error,
    "MSE": mean_squared_error,
    "mae": mean_absolute_error,
    "MAE": mean_absolute_error,
    "mape": mean_absolute_percentage_error,
    "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error,
    "MSLE": mean_squared_logarithmic_error,
    "kld": kl_divergence,
    "KLD": kl_divergence,
    "bce": binary_crossentropy,
    "BCE": binary_crossentropy,
    "logcosh": log_cosh,
    "kullback_leibler_divergence": kl_divergence,
    "huber_loss": huber,
    "cosine_proximity": cosine_similarity,
}

__all__ = [
    "ALIASES",
    "ALL_LOSSES",
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "binary_crossentropy",
    "categorical_crossentropy",
    "categorical_hinge",
    "cosine_similarity",
    "hinge",
    "huber",
    "kl_divergence",
    "log_cosh",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "poisson",
    "sparse_categorical_crossentropy",
    "squared_hinge",
]
