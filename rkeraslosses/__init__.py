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
from . import metrics
from ._reduction import REDUCTIONS
from ._rstyle import R_LOSSES as _R_LOSSES
from ._rstyle import R_METRICS as _R_METRICS
from .evaluate import Evaluator
from .evaluate import evaluate
from .identifiers import deserialize
from .identifiers import get
from .identifiers import serialize
from .losses import Loss
from .log_loss import Reduction
from .log_loss import log_loss
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

metric_mean_squared_error = _R_METRICS["metric_mean_squared_error"]
metric_mean_absolute_error = _R_METRICS["metric_mean_absolute_error"]
metric_mean_absolute_percentage_error = _R_METRICS["metric_mean_absolute_percentage_error"]
metric_mean_squared_logarithmic_error = _R_METRICS["metric_mean_squared_logarithmic_error"]
metric_hinge = _R_METRICS["metric_hinge"]
metric_squared_hinge = _R_METRICS["metric_squared_hinge"]
metric_categorical_hinge = _R_METRICS["metric_categorical_hinge"]
metric_logcosh_error = _R_METRICS["metric_logcosh_error"]
metric_kullback_leibler_divergence = _R_METRICS["metric_kullback_leibler_divergence"]
metric_poisson = _R_METRICS["metric_poisson"]
metric_cosine_similarity = _R_METRICS["metric_cosine_similarity"]
metric_binary_crossentropy = _R_METRICS["metric_binary_crossentropy"]
metric_categorical_crossentropy = _R_METRICS["metric_categorical_crossentropy"]
metric_sparse_categorical_crossentropy = _R_METRICS["metric_sparse_categorical_crossentropy"]
metric_mean = _R_METRICS["metric_mean"]
metric_sum = _R_METRICS["metric_sum"]
metric_mean_wrapper = _R_METRICS["metric_mean_wrapper"]

__all__ = [
    "Evaluator",
    "evaluate",
    "Loss",
    "LossFunctionWrapper",
    "REDUCTIONS",
    "Reduction",
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
    "log_loss",
    "losses",
    "metric_binary_crossentropy",
    "metric_categorical_crossentropy",
    "metric_categorical_hinge",
    "metric_cosine_similarity",
    "metric_hinge",
    "metric_kullback_leibler_divergence",
    "metric_logcosh_error",
    "metric_mean",
    "metric_mean_absolute_error",
    "metric_mean_absolute_percentage_error",
    "metric_mean_squared_error",
    "metric_mean_squared_logarithmic_error",
    "metric_mean_wrapper",
    "metric_poisson",
    "metric_sparse_categorical_crossentropy",
    "metric_squared_hinge",
    "metric_sum",
    "metrics",
    "serialize",
    "to_categorical",
]
