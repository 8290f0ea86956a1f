"""rkeraslosses: Keras' losses, Loss objects and metrics in NumPy, with R keras' names.

>>> import rkeraslosses as rk
>>> y_true = [[0, 1, 0], [0, 0, 1]]
>>> y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
>>> rk.loss_categorical_crossentropy(y_true, y_pred).round(4)
array([0.0513, 2.3026], dtype=float32)
>>> cce = rk.loss_categorical_crossentropy()
>>> round(float(cce(y_true, y_pred)), 3)
1.177
"""

from . import losses
from ._reduction import REDUCTIONS
from ._rstyle import R_LOSSES as _R_LOSSES
from .identifiers import deserialize
from .identifiers import get
from .identifiers import serialize
from .losses import Loss
from .losses import LossFunctionWrapper
from .utils import to_categorical

__version__ = "0.1.0"

loss_mean_squared_error = _R_LOSSES["loss_mean_squared_error"]
loss_mean_absolute_error = _R_LOSSES["loss_mean_absolute_error"]
loss_mean_absolute_percentage_error = _R_LOSSES["loss_mean_absolute_percentage_error"]
loss_mean_squared_logarithmic_error = _R_LOSSES["loss_mean_squared_logarithmic_error"]
loss_squared_hinge = _R_LOSSES["loss_squared_hinge"]
loss_hinge = _R_LOSSES["loss_hinge"]
loss_categorical_hinge = _R_LOSSES["loss_categorical_hinge"]
loss_logcosh = _R_LOSSES["loss_logcosh"]
loss_log_cosh = _R_LOSSES["loss_log_cosh"]
loss_categorical_crossentropy = _R_LOSSES["loss_categorical_crossentropy"]
loss_sparse_categorical_crossentropy = _R_LOSSES["loss_sparse_categorical_crossentropy"]
loss_kullback_leibler_divergence = _R_LOSSES["loss_kullback_leibler_divergence"]
loss_kl_divergence = _R_LOSSES["loss_kl_divergence"]
loss_poisson = _R_LOSSES["loss_poisson"]
loss_cosine_similarity = _R_LOSSES["loss_cosine_similarity"]
loss_cosine_proximity = _R_LOSSES["loss_cosine_proximity"]
loss_binary_crossentropy = _R_LOSSES["loss_binary_crossentropy"]
loss_huber = _R_LOSSES["loss_huber"]

__all__ = [
    "Loss",
    "LossFunctionWrapper",
    "REDUCTIONS",
    "deserialize",
    "get",
    "loss_binary_crossentropy",
    "loss_categorical_crossentropy",
    "loss_categorical_hinge",
    "loss_cosine_proximity",
    "loss_cosine_similarity",
    "loss_hinge",
    "loss_huber",
    "loss_kl_divergence",
    "loss_kullback_leibler_divergence",
    "loss_log_cosh",
    "loss_logcosh",
    "loss_mean_absolute_error",
    "loss_mean_absolute_percentage_error",
    "loss_mean_squared_error",
    "loss_mean_squared_logarithmic_error",
    "loss_poisson",
    "loss_sparse_categorical_crossentropy",
    "loss_squared_hinge",
    "losses",
    "serialize",
    "to_categorical",
]
