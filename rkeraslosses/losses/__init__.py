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

from .circle import Circle
from .circle import circle
from .ctc import CTC
from .ctc import ctc
from .focal import BinaryFocalCrossentropy
from .focal import CategoricalFocalCrossentropy
from .focal import CategoricalGeneralizedCrossEntropy
from .focal import binary_focal_crossentropy
from .focal import categorical_focal_crossentropy
from .focal import categorical_generalized_cross_entropy
from .segmentation import Dice
from .segmentation import Tversky
from .segmentation import dice
from .segmentation import tversky

__all__ = [
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
    "BinaryFocalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalGeneralizedCrossEntropy",
    "Circle",
    "CTC",
    "Dice",
    "Tversky",
    "binary_focal_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_generalized_cross_entropy",
    "circle",
    "ctc",
    "dice",
    "tversky",
]
