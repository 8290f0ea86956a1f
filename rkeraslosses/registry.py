"""The one table of every loss and metric, and every name it answers to.

Every reader of names — ``get``/``serialize``/``deserialize`` for losses and
metrics (:mod:`rkeraslosses.identifiers`), the R-style ``loss_*``/``metric_*``
functions (:mod:`rkeraslosses._rstyle`), the generated R package files
(``scripts/gen_r.py``), the command line and compile-style evaluation — reads
this table. Adding a loss or a metric is its formula plus one row here (then
``python scripts/gen_r.py`` for the R side).

A row (:class:`Entry`) holds:

* ``kind``: ``"loss"`` or ``"metric"``;
* ``cls``: the Keras 3 class (``keras.losses.X`` / ``keras.metrics.X``), or None;
* ``fn``: the Keras 3 function exported beside it (``keras.losses.x`` /
  ``keras.metrics.x``), or None;
* ``aliases``: Keras 3's own extra strings (``"mse"``, ``"MAE"``, ...);
* ``legacy``: names that Keras 2 / tf.keras / R keras 2.x used;
* ``r_names``: the R function names, R keras3's spelling first, then the
  R keras 2.x spellings where they differ;
* ``r_deprecated``: R names that still work but warn (R keras' deprecations);
* ``labels``: the labels the entry takes — ``"sparse"`` (integer class ids, one
  axis less than the predictions), ``"binary"``, ``"categorical"`` (one-hot)
  or ``"dense"`` (same shape as the predictions, anything numeric);
* ``family``: for the names that Keras' compile resolves from the shapes
  (``"crossentropy"``, ``"accuracy"``): which family the entry belongs to;
  :func:`pick_by_shape` chooses the member by its ``labels``.

>>> entry("loss", "CategoricalCrossentropy").fn.__name__
'categorical_crossentropy'
>>> pick_by_shape((2,), (2, 3))
'sparse'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from . import losses as L
from ._options import to_snake_case
from . import metrics as M


@dataclass(frozen=True)
class Entry:
    """One loss or metric: its class, function and every name it answers to."""

    kind: str
    cls: type | None
    fn: Callable[..., Any] | None
    aliases: tuple[str, ...] = ()
    legacy: tuple[str, ...] = ()
    r_names: tuple[str, ...] = ()
    r_deprecated: tuple[str, ...] = ()
    labels: str = "dense"
    family: str | None = None

    @property
    def name(self) -> str:
        """The Keras 3 function name, or the class name's snake_case."""
        if self.fn is not None:
            return self.fn.__name__
        assert self.cls is not None
        return to_snake_case(self.cls.__name__)

    @property
    def sparse_labels(self) -> bool:
        return self.labels == "sparse"

    def names(self) -> tuple[str, ...]:
        """Every string that resolves to this entry on its kind's side."""
        out: list[str] = []
        if self.cls is not None:
            out += [self.cls.__name__, to_snake_case(self.cls.__name__)]
        if self.fn is not None:
            out.append(self.fn.__name__)
        out += list(self.aliases) + list(self.legacy)
        return tuple(dict.fromkeys(out))


def _loss(cls, fn, aliases=(), legacy=(), r=(), r_deprecated=(), labels="dense", family=None) -> Entry:
    return Entry("loss", cls, fn, tuple(aliases), tuple(legacy), tuple(r), tuple(r_deprecated), labels, family)


def _metric(cls, fn, aliases=(), legacy=(), r=(), r_deprecated=(), labels="dense", family=None) -> Entry:
    return Entry("metric", cls, fn, tuple(aliases), tuple(legacy), tuple(r), tuple(r_deprecated), labels, family)


# fmt: off
#: Every loss and metric. R names: keras3's first, then R keras 2.x's where they differ.
ENTRIES: tuple[Entry, ...] = (
    # ----------------------------------------------------------------- losses
    _loss(L.MeanSquaredError, L.mean_squared_error, ("mse", "MSE"), r=("loss_mean_squared_error",)),
    _loss(L.MeanAbsoluteError, L.mean_absolute_error, ("mae", "MAE"), r=("loss_mean_absolute_error",)),
    _loss(L.MeanAbsolutePercentageError, L.mean_absolute_percentage_error, ("mape", "MAPE"), r=("loss_mean_absolute_percentage_error",)),
    _loss(L.MeanSquaredLogarithmicError, L.mean_squared_logarithmic_error, ("msle", "MSLE"), r=("loss_mean_squared_logarithmic_error",)),
    _loss(L.CosineSimilarity, L.cosine_similarity, legacy=("cosine_proximity",), r=("loss_cosine_similarity",), r_deprecated=("loss_cosine_proximity",)),
    _loss(L.Huber, L.huber, legacy=("huber_loss",), r=("loss_huber",)),
    _loss(L.LogCosh, L.log_cosh, legacy=("logcosh",), r=("loss_log_cosh", "loss_logcosh")),
    _loss(L.Hinge, L.hinge, r=("loss_hinge",)),
    _loss(L.SquaredHinge, L.squared_hinge, r=("loss_squared_hinge",)),
    _loss(L.CategoricalHinge, L.categorical_hinge, r=("loss_categorical_hinge",)),
    _loss(L.KLDivergence, L.kl_divergence, ("kld", "KLD"), legacy=("kullback_leibler_divergence",), r=("loss_kl_divergence", "loss_kullback_leibler_divergence")),
    _loss(L.Poisson, L.poisson, r=("loss_poisson",)),
    _loss(L.BinaryCrossentropy, L.binary_crossentropy, ("bce", "BCE"), r=("loss_binary_crossentropy",), labels="binary", family="crossentropy"),
    _loss(L.CategoricalCrossentropy, L.categorical_crossentropy, r=("loss_categorical_crossentropy",), labels="categorical", family="crossentropy"),
    _loss(L.SparseCategoricalCrossentropy, L.sparse_categorical_crossentropy, r=("loss_sparse_categorical_crossentropy",), labels="sparse", family="crossentropy"),
    _loss(L.LossFunctionWrapper, None),
    # -- issue 12: more losses (focal, generalized CE, Dice, Tversky, Circle, CTC) --
    _loss(L.BinaryFocalCrossentropy, L.binary_focal_crossentropy, r=("loss_binary_focal_crossentropy",), labels="binary"),
    _loss(L.CategoricalFocalCrossentropy, L.categorical_focal_crossentropy, r=("loss_categorical_focal_crossentropy",), labels="categorical"),
    _loss(L.CategoricalGeneralizedCrossEntropy, L.categorical_generalized_cross_entropy, r=("loss_categorical_generalized_cross_entropy",), labels="sparse"),
    _loss(L.Dice, L.dice, r=("loss_dice",)),
    _loss(L.Tversky, L.tversky, r=("loss_tversky",)),
    _loss(L.Circle, L.circle, r=("loss_circle",), labels="sparse"),
    _loss(L.CTC, L.ctc, r=("loss_ctc",), labels="sparse"),
    _metric(None, L.binary_focal_crossentropy, r=("metric_binary_focal_crossentropy",), labels="binary"),
    _metric(None, L.categorical_focal_crossentropy, r=("metric_categorical_focal_crossentropy",), labels="categorical"),

    # -- end of issue 12 rows --
    # ---------------------------------------------------------------- metrics
    _metric(M.MeanSquaredError, L.mean_squared_error, ("mse", "MSE"), r=("metric_mean_squared_error",)),
    _metric(M.MeanAbsoluteError, L.mean_absolute_error, ("mae", "MAE"), r=("metric_mean_absolute_error",)),
    _metric(M.MeanAbsolutePercentageError, L.mean_absolute_percentage_error, ("mape", "MAPE"), r=("metric_mean_absolute_percentage_error",)),
    _metric(M.MeanSquaredLogarithmicError, L.mean_squared_logarithmic_error, ("msle", "MSLE"), r=("metric_mean_squared_logarithmic_error",)),
    _metric(M.LogCoshError, None, legacy=("logcosh",), r=("metric_log_cosh_error", "metric_logcosh_error")),
    _metric(M.CosineSimilarity, M.cosine_similarity, r=("metric_cosine_similarity",)),
    _metric(M.Hinge, L.hinge, r=("metric_hinge",)),
    _metric(M.SquaredHinge, L.squared_hinge, r=("metric_squared_hinge",)),
    _metric(M.CategoricalHinge, L.categorical_hinge, r=("metric_categorical_hinge",)),
    _metric(M.KLDivergence, L.kl_divergence, ("kld", "KLD"), legacy=("kullback_leibler_divergence",), r=("metric_kl_divergence", "metric_kullback_leibler_divergence")),
    _metric(M.Poisson, L.poisson, r=("metric_poisson",)),
    _metric(M.BinaryCrossentropy, L.binary_crossentropy, ("bce", "BCE"), r=("metric_binary_crossentropy",), labels="binary", family="crossentropy"),
    _metric(M.CategoricalCrossentropy, L.categorical_crossentropy, r=("metric_categorical_crossentropy",), labels="categorical", family="crossentropy"),
    _metric(M.SparseCategoricalCrossentropy, L.sparse_categorical_crossentropy, r=("metric_sparse_categorical_crossentropy",), labels="sparse", family="crossentropy"),
    _metric(None, L.log_cosh, r=("metric_log_cosh",)),
    _metric(None, L.huber, legacy=("huber_loss",), r=("metric_huber",)),
    _metric(M.Accuracy, M.accuracy, r=("metric_accuracy",)),
    _metric(M.BinaryAccuracy, M.binary_accuracy, r=("metric_binary_accuracy",), labels="binary", family="accuracy"),
    _metric(M.CategoricalAccuracy, M.categorical_accuracy, r=("metric_categorical_accuracy",), labels="categorical", family="accuracy"),
    _metric(M.SparseCategoricalAccuracy, M.sparse_categorical_accuracy, r=("metric_sparse_categorical_accuracy",), labels="sparse", family="accuracy"),
    _metric(M.Mean, None, r=("metric_mean",)),
    _metric(M.Sum, None, r=("metric_sum",)),
    _metric(M.MeanMetricWrapper, None, r=("metric_mean_wrapper",)),
    # -- issue 10: confusion-matrix metrics (AUC, Precision, Recall, ..., F1/FBeta) --
    _metric(M.AUC, None, r=("metric_auc",), labels="binary"),
    _metric(M.Precision, None, r=("metric_precision",), labels="binary"),
    _metric(M.Recall, None, r=("metric_recall",), labels="binary"),
    _metric(M.TruePositives, None, r=("metric_true_positives",), labels="binary"),
    _metric(M.FalsePositives, None, r=("metric_false_positives",), labels="binary"),
    _metric(M.TrueNegatives, None, r=("metric_true_negatives",), labels="binary"),
    _metric(M.FalseNegatives, None, r=("metric_false_negatives",), labels="binary"),
    _metric(M.PrecisionAtRecall, None, r=("metric_precision_at_recall",), labels="binary"),
    _metric(M.RecallAtPrecision, None, r=("metric_recall_at_precision",), labels="binary"),
    _metric(M.SensitivityAtSpecificity, None, r=("metric_sensitivity_at_specificity",), labels="binary"),
    _metric(M.SpecificityAtSensitivity, None, r=("metric_specificity_at_sensitivity",), labels="binary"),
    _metric(M.F1Score, None, r=("metric_f1_score",), labels="categorical"),
    _metric(M.FBetaScore, None, legacy=("fbeta_score",), r=("metric_fbeta_score",), labels="categorical"),
    # -- end of issue 10 rows --
    # -- issue 11: top-k, RMSE, R2, IoU family, correlations --
    # Keras resolves the snake_case class names ("top_k_categorical_accuracy",
    # "r2_score", "mean_io_u") to the classes (keras/src/metrics/__init__.py,
    # ALL_OBJECTS_DICT); none of these has a short alias there.
    _metric(M.TopKCategoricalAccuracy, M.top_k_categorical_accuracy, r=("metric_top_k_categorical_accuracy",), labels="categorical"),
    _metric(M.SparseTopKCategoricalAccuracy, M.sparse_top_k_categorical_accuracy, r=("metric_sparse_top_k_categorical_accuracy",), labels="sparse"),
    _metric(M.RootMeanSquaredError, None, r=("metric_root_mean_squared_error",)),
    _metric(M.R2Score, None, r=("metric_r2_score",)),
    _metric(M.PearsonCorrelation, M.pearson_correlation, r=("metric_pearson_correlation",)),
    _metric(M.ConcordanceCorrelation, M.concordance_correlation, r=("metric_concordance_correlation",)),
    # IoU labels: class ids of y_pred's shape (sparse_y_pred=True) -> "dense";
    # the one-hot variants take one-hot labels.
    _metric(M.IoU, None, r=("metric_iou",)),
    _metric(M.MeanIoU, None, r=("metric_mean_iou",)),
    _metric(M.BinaryIoU, None, r=("metric_binary_iou",), labels="binary"),
    _metric(M.OneHotIoU, None, r=("metric_one_hot_iou",), labels="categorical"),
    _metric(M.OneHotMeanIoU, None, r=("metric_one_hot_mean_iou",), labels="categorical"),
    # -- end of issue 11 rows --
)
# fmt: on

#: The strings Keras' compile resolves from the shapes, and the family each names.
AUTO_NAMES = {"crossentropy": "crossentropy", "ce": "crossentropy", "accuracy": "accuracy", "acc": "accuracy"}

#: Every loss and metric name that Keras 3 (``keras.losses``, ``keras.metrics``)
#: exports, so that a name we do not implement yet gets a clear message rather
#: than "unknown". Source: keras-team/keras, keras/api/losses/__init__.py and
#: keras/api/metrics/__init__.py.
KERAS_NAMES = {
    "loss": (
        "BinaryCrossentropy", "BinaryFocalCrossentropy", "CTC", "CategoricalCrossentropy",
        "CategoricalFocalCrossentropy", "CategoricalGeneralizedCrossEntropy", "CategoricalHinge", "Circle",
        "CosineSimilarity", "Dice", "Hinge", "Huber", "KLDivergence", "LogCosh", "MeanAbsoluteError",
        "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError", "Poisson",
        "SparseCategoricalCrossentropy", "SquaredHinge", "Tversky",
        "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
        "categorical_focal_crossentropy", "categorical_generalized_cross_entropy", "categorical_hinge", "circle",
        "cosine_similarity", "ctc", "dice", "hinge", "huber", "kl_divergence", "log_cosh", "mean_absolute_error",
        "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error", "poisson",
        "sparse_categorical_crossentropy", "squared_hinge", "tversky",
    ),
    "metric": (
        "AUC", "Accuracy", "BinaryAccuracy", "BinaryCrossentropy", "BinaryIoU", "CategoricalAccuracy",
        "CategoricalCrossentropy", "CategoricalHinge", "ConcordanceCorrelation", "CosineSimilarity", "F1Score",
        "FBetaScore", "FalseNegatives", "FalsePositives", "Hinge", "IoU", "KLDivergence", "LogCoshError", "Mean",
        "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanIoU", "MeanMetricWrapper", "MeanSquaredError",
        "MeanSquaredLogarithmicError", "OneHotIoU", "OneHotMeanIoU", "PearsonCorrelation", "Poisson", "Precision",
        "PrecisionAtRecall", "R2Score", "Recall", "RecallAtPrecision", "RootMeanSquaredError",
        "SensitivityAtSpecificity", "SparseCategoricalAccuracy", "SparseCategoricalCrossentropy",
        "SparseTopKCategoricalAccuracy", "SpecificityAtSensitivity", "SquaredHinge", "Sum",
        "TopKCategoricalAccuracy", "TrueNegatives", "TruePositives",
        "binary_accuracy", "binary_crossentropy", "binary_focal_crossentropy", "categorical_accuracy",
        "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge", "concordance_correlation",
        "hinge", "huber", "kl_divergence", "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error",
        "mean_squared_error", "mean_squared_logarithmic_error", "pearson_correlation", "poisson",
        "sparse_categorical_accuracy", "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy",
        "squared_hinge", "top_k_categorical_accuracy", "auc", "precision", "recall", "f1_score", "fbeta_score",
    ),
}


def entries(kind: str | None = None) -> Iterator[Entry]:
    """The entries of one kind (``"loss"`` or ``"metric"``), or all."""
    return (e for e in ENTRIES if kind is None or e.kind == kind)


def _index(kind: str) -> dict[str, Entry]:
    index: dict[str, Entry] = {}
    for e in entries(kind):
        for name in e.names():
            index.setdefault(name, e)
    return index


#: name -> entry, for each kind (class names, their snake_case, function names, aliases, legacy names).
NAMES = {"loss": _index("loss"), "metric": _index("metric")}


def entry(kind: str, name: str) -> Entry:
    """The entry that ``name`` resolves to on the ``kind`` side; KeyError if none."""
    return NAMES[kind][name]


def r_index() -> dict[str, Entry]:
    """R name (including deprecated ones) -> entry."""
    out: dict[str, Entry] = {}
    for e in ENTRIES:
        for r in e.r_names + e.r_deprecated:
            if r in out:
                raise RuntimeError(f"R name {r!r} is given twice in the registry")
            out[r] = e
    return out


def pick_by_shape(true_shape: tuple[int, ...], pred_shape: tuple[int, ...]) -> str:
    """Keras' compile rule (``is_binary_or_sparse_categorical``): which labels the
    data has. ``"binary"`` when ``y_pred``'s last axis is 1; ``"sparse"`` when
    ``y_true`` has lower rank, or its last axis is 1 and ``y_pred``'s is not;
    otherwise ``"categorical"``."""
    if pred_shape and pred_shape[-1] == 1:
        return "binary"
    if len(true_shape) < len(pred_shape) or (true_shape and pred_shape and true_shape[-1] == 1 and pred_shape[-1] > 1):
        return "sparse"
    return "categorical"


def family_member(kind: str, family: str, labels: str) -> Entry:
    """The member of ``family`` (``"crossentropy"``, ``"accuracy"``) for ``labels``."""
    for e in entries(kind):
        if e.family == family and e.labels == labels:
            return e
    raise KeyError((kind, family, labels))
