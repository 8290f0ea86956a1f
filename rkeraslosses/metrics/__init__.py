"""Stateful metrics, as ``keras.metrics``: update over batches, then read the result.

Where we differ from Keras, on purpose:

* the running sums are exact (Shewchuk's partials, as ``math.fsum``) in
  float64 whatever the metric's dtype, so a long stream does not drift, and
  the result does not depend on the order of the updates;
* an update that raises leaves the state exactly as it was;
* updates from several threads at once are all counted;
* ``merge_state(others)`` combines metrics that saw different batches (other
  processes, other machines) into exactly the single-pass result, and a
  metric pickles with its state.

The package is laid out like ``keras/src/metrics``: :mod:`.base` holds the
machinery (exact sums, ``Metric``, ``Mean``, ``Sum``, ``MeanMetricWrapper``),
each other module one family. ``get``/``serialize``/``deserialize`` are
:mod:`rkeraslosses.identifiers`' (attached here by the package).

Example (seed page 004):

    >>> m = CategoricalCrossentropy()
    >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> print(m.result())
    1.1769392
    >>> m.reset_state()
    >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], sample_weight=[0.3, 0.7])
    >>> print(m.result())
    1.6271976
"""

from .accuracy import Accuracy
from .accuracy import BinaryAccuracy
from .accuracy import CategoricalAccuracy
from .accuracy import SparseCategoricalAccuracy
from .accuracy import accuracy
from .accuracy import binary_accuracy
from .accuracy import categorical_accuracy
from .accuracy import sparse_categorical_accuracy
from .base import BuiltinMetric
from .base import ExactArraySum
from .base import ExactSum
from .base import Mean
from .base import MeanMetricWrapper
from .base import Metric
from .base import Sum
from .hinge import CategoricalHinge
from .hinge import Hinge
from .hinge import SquaredHinge
from .probabilistic import BinaryCrossentropy
from .probabilistic import CategoricalCrossentropy
from .probabilistic import KLDivergence
from .probabilistic import Poisson
from .probabilistic import SparseCategoricalCrossentropy
from .regression import CosineSimilarity
from .regression import LogCoshError
from .regression import MeanAbsoluteError
from .regression import MeanAbsolutePercentageError
from .regression import MeanSquaredError
from .regression import MeanSquaredLogarithmicError
from .regression import cosine_similarity

# The functions keras.metrics exports that are the loss functions themselves.
from ..losses import binary_crossentropy
from ..losses import categorical_crossentropy
from ..losses import categorical_hinge
from ..losses import hinge
from ..losses import huber
from ..losses import kl_divergence
from ..losses import log_cosh
from ..losses import mean_absolute_error
from ..losses import mean_absolute_percentage_error
from ..losses import mean_squared_error
from ..losses import mean_squared_logarithmic_error
from ..losses import poisson
from ..losses import sparse_categorical_crossentropy
from ..losses import squared_hinge

# issue 10: confusion-matrix metrics and F-scores
from .confusion import AUC
from .confusion import FalseNegatives
from .confusion import FalsePositives
from .confusion import Precision
from .confusion import PrecisionAtRecall
from .confusion import Recall
from .confusion import RecallAtPrecision
from .confusion import SensitivityAtSpecificity
from .confusion import SpecificityAtSensitivity
from .confusion import TrueNegatives
from .confusion import TruePositives
from .f_score import F1Score
from .f_score import FBetaScore

# issue 11: top-k, RMSE, R2, IoU family, correlations
from .accuracy import SparseTopKCategoricalAccuracy
from .accuracy import TopKCategoricalAccuracy
from .accuracy import sparse_top_k_categorical_accuracy
from .accuracy import top_k_categorical_accuracy
from .correlation import ConcordanceCorrelation
from .correlation import PearsonCorrelation
from .correlation import concordance_correlation
from .correlation import pearson_correlation
from .iou import BinaryIoU
from .iou import IoU
from .iou import MeanIoU
from .iou import OneHotIoU
from .iou import OneHotMeanIoU
from .regression import R2Score
from .regression import RootMeanSquaredError
from ..losses import binary_focal_crossentropy
from ..losses import categorical_focal_crossentropy
