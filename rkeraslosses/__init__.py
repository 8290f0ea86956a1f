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
from ._rstyle import R_FUNCTIONS as _R_FUNCTIONS
from . import distributed as _distributed  # registers Dask evaluation with evaluate (imports no Dask itself)
from .evaluate import Evaluator
from .evaluate import evaluate
from . import identifiers as _identifiers
from . import registry
from .identifiers import deserialize
from .identifiers import get
from .identifiers import serialize
from .losses import Loss
from .log_loss import Reduction
from .log_loss import log_loss
from .losses import LossFunctionWrapper
from .utils import to_categorical
from ._parallel import get_num_threads
from ._parallel import set_num_threads

__version__ = "0.1.0"

# The R-style functions, one per R name of the registry (loss_*, metric_*).
globals().update(_R_FUNCTIONS)

# keras.losses.get / keras.metrics.get and friends: the identifiers module's,
# attached here so that neither package imports the module that imports it.
losses.get = get
losses.serialize = serialize
losses.deserialize = deserialize
metrics.get = _identifiers.get_metric
metrics.serialize = _identifiers.serialize_metric
metrics.deserialize = _identifiers.deserialize_metric

__all__ = [
    "Evaluator",
    "evaluate",
    "Loss",
    "LossFunctionWrapper",
    "REDUCTIONS",
    "Reduction",
    "deserialize",
    "get",
    "get_num_threads",
    "log_loss",
    "losses",
    "metrics",
    "registry",
    "serialize",
    "set_num_threads",
    "to_categorical",
] + sorted(_R_FUNCTIONS)
