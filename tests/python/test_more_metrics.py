"""Issue 11's metrics without Keras: the numbers Keras' own tests assert (each
test names its source file and test in keras-team/keras, keras/src/metrics/),
closed forms, scikit-learn, merge = one pass, pickling, threads, bad input,
registry names and dtype policies."""

import importlib
import pickle
import threading
import tracemalloc
import warnings

import numpy as np
import pytest

from rkeraslosses import metrics as M
from rkeraslosses import registry
from rkeraslosses._inputs import resolve_dtype
from rkeraslosses._rstyle import R_FUNCTIONS
from rkeraslosses.identifiers import deserialize_metric, get_metric, serialize_metric

accuracy_module = importlib.import_module("rkeraslosses.metrics.accuracy")
iou_module = importlib.import_module("rkeraslosses.metrics.iou")


# ------------------------------------------------- Keras' own test numbers


def test_top_k_numbers_from_keras_accuracy_metrics_test():
    # accuracy_metrics_test.py, TopKCategoricalAccuracyTest.test_unweighted / test_weighted
    t, p = np.array([[0, 0, 1], [0, 1, 0]]), np.array([[0.1, 0.9, 0.8], [0.05, 0.95, 0]], dtype="float32")
    assert M.TopKCategoricalAccuracy(k=1, name="top_k_categorical_accuracy", dtype="float32")(t, p) == pytest.approx(0.5, abs=1e-3)
    assert M.TopKCategoricalAccuracy(k=1)(t, p, sample_weight=np.array([0.7, 0.3])) == pytest.approx(0.3, abs=1e-3)
    # SparseTopKCategoricalAccuracyTest.test_unweighted / test_weighted
    labels = np.array([2, 1])
    assert M.SparseTopKCategoricalAccuracy(k=1)(labels, p) == pytest.approx(0.5, abs=1e-3)
    assert M.SparseTopKCategoricalAccuracy(k=1)(labels, p, sample_weight=np.array([0.7, 0.3])) == pytest.approx(0.3, abs=1e-3)
    # test_from_sorted_ids_unweighted / test_from_sorted_ids_weighted
    ids = np.array([[1, 0, 3], [1, 2, 3]])
    assert M.SparseTopKCategoricalAccuracy(k=1, from_sorted_ids=True)(labels, ids) == pytest.approx(0.5, abs=1e-3)
    assert M.SparseTopKCategoricalAccuracy(k=1, from_sorted_ids=True)(labels, ids, sample_weight=np.array([0.7, 0.3])) == pytest.approx(0.3, abs=1e-3)
    # test_config / test_config_from_sorted_ids
    config = M.SparseTopKCategoricalAccuracy(k=1, dtype="float32").get_config()
    assert config == {"name": "sparse_top_k_categorical_accuracy", "dtype": "float32", "k": 1}
    assert M.SparseTopKCategoricalAccuracy(k=1, from_sorted_ids=True).get_config()["from_sorted_ids"] is True
    assert M.SparseTopKCategoricalAccuracy.from_config(config).from_sorted_ids is False


def test_rmse_numbers_from_keras_regression_metrics_test():
    # regression_metrics_test.py, RootMeanSquaredErrorTest.test_unweighted / test_weighted
    assert M.RootMeanSquaredError()(np.array([2, 4, 6]), np.array([1, 3, 2])) == pytest.approx(np.sqrt(6), abs=1e-3)
    w = np.array([0, 1, 0, 1])
    assert M.RootMeanSquaredError()(np.array([2, 4, 6, 8]), np.array([1, 3, 2, 3]), sample_weight=w) == pytest.approx(np.sqrt(13), abs=1e-3)


R2_SKLEARN = [(None, 0, [0.37, -1.295, 0.565]), ("uniform_average", 0, -0.12), ("variance_weighted_average", 0, -0.12)]
R2_TFA = [
    (None, 0, [0.17305559, -8.836666, -0.521]),
    (None, 1, [0.054920673, -10.241904, -0.7382858]),
    (None, 2, [-0.10259259, -12.115555, -1.0280001]),
    ("uniform_average", 0, -3.0615367889404297),
    ("uniform_average", 1, -3.641756534576416),
    ("uniform_average", 2, -4.415382385253906),
    ("variance_weighted_average", 0, -1.3710224628448486),
    ("variance_weighted_average", 1, -1.7097399234771729),
    ("variance_weighted_average", 2, -2.161363363265991),
]


@pytest.mark.parametrize("class_aggregation,num_regressors,expected", R2_SKLEARN)
def test_r2_numbers_from_keras_test_r2_sklearn_comparison(class_aggregation, num_regressors, expected):
    # regression_metrics_test.py, R2ScoreTest.test_r2_sklearn_comparison
    t = [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    p = [[0.4, 0.5, 0.6], [0.1, 0.2, 0.3], [0.5, 0.8, 0.2]]
    m = M.R2Score(class_aggregation, num_regressors, dtype="float32")
    m.update_state(t, p)
    np.testing.assert_allclose(m.result(), expected, atol=1e-6)


@pytest.mark.parametrize("class_aggregation,num_regressors,expected", R2_TFA)
def test_r2_numbers_from_keras_test_r2_tfa_comparison(class_aggregation, num_regressors, expected):
    # regression_metrics_test.py, R2ScoreTest.test_r2_tfa_comparison (Keras asserts atol=1e-6;
    # its float32 sums differ from our float64 ones by a few float32 ulps)
    t = [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    p = [[0.4, 0.9, 1.6], [0.1, 1.2, 0.6], [1.5, 0.8, 0.6]]
    m = M.R2Score(class_aggregation, num_regressors, dtype="float32")
    m.update_state(t, p, [0.8, 0.1, 0.4])
    np.testing.assert_allclose(m.result(), expected, rtol=2e-6, atol=2e-6)


def _r2_float64(t, p, w):
    """R2 per column from float64 sums (the definition: 1 - SS_res / SS_tot)."""
    t, p = t.astype(np.float64), p.astype(np.float64)
    w = np.ones_like(t) if w is None else np.broadcast_to(w.astype(np.float64).reshape(len(t), -1), t.shape)
    mean = (w * t).sum(axis=0) / w.sum(axis=0)
    return 1 - (w * (t - p) ** 2).sum(axis=0) / (w * (t - mean) ** 2).sum(axis=0)


def _assert_r2_matches_float64_sums(n, d, weight_kind, seed):
    """R2Score of float32 data (weights: None, one per row or one per value)
    against R2 from float64 sums of the same data (_r2_float64)."""
    rng = np.random.default_rng(seed)
    t = rng.normal(1.0, 2.0, (n, d)).astype(np.float32)
    p = (t + rng.normal(0.0, 1.0, (n, d))).astype(np.float32)
    w = {None: None, "rows": rng.uniform(0, 2, n), "elements": rng.uniform(0, 2, (n, d))}[weight_kind]
    w = None if w is None else w.astype(np.float32)
    metric = M.R2Score(class_aggregation=None)
    metric.update_state(t, p, sample_weight=w)
    np.testing.assert_allclose(metric.result(), _r2_float64(t, p, w), rtol=2e-6, atol=2e-6)


@pytest.mark.parametrize("d", [3, 10, 300])
@pytest.mark.parametrize("weight_kind", [None, "rows", "elements"])
def test_r2_float32_runs_and_blocks_match_float64_sums(monkeypatch, d, weight_kind):
    """float32 updates sum runs of rows in float32 and the runs in float64
    (metrics/_sums.py): with blocks of two runs of 16 regrouped
    rows and a last block of one run, 8 regrouped rows and 5 rows, every row
    must be counted once. Expected: R2 from float64 sums of the same data (a
    dropped or doubled row moves it by ~1e-3)."""
    regression = importlib.import_module("rkeraslosses.metrics.regression")
    m = importlib.import_module("rkeraslosses.metrics._sums").group(d)
    monkeypatch.setattr(regression, "_R2_BLOCK_ELEMENTS", 37 * m * d)
    _assert_r2_matches_float64_sums(3 * 37 * m + 9 * m + 5, d, weight_kind, seed=11)


@pytest.mark.parametrize("weight_kind", [None, "rows", "elements"])
def test_r2_rows_too_wide_for_a_run_match_float64_sums(weight_kind):
    """5000 columns: a block of 64K values holds 13 rows, fewer than a float32
    run of 16, so blocks are whole rows summed in float64 (the block-size
    fallback). Expected: R2 from float64 sums of the same data."""
    _assert_r2_matches_float64_sums(40, 5000, weight_kind, seed=12)


def test_r2_wide_rows_keep_blocks_of_whole_rows_not_whole_runs():
    """100000 columns: a block of 64K values holds no row, so a block is one
    row and the temporaries are a few rows wide. Blocks of one float32 run (16
    rows) would allocate three 16-row buffers, 19 MB here, and push the peak
    (tracemalloc) above the input's own 25.6 MB; the float64 state takes 64
    bytes per column (6.4 MB) and the update's float64 sums 32 (3.2 MB)."""
    n, d = 64, 100_000
    t = np.random.default_rng(13).normal(size=(n, d)).astype(np.float32)
    p = t + np.float32(0.5)
    metric = M.R2Score()
    tracemalloc.start()
    try:
        metric.update_state(t, p)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < t.nbytes, peak


def test_r2_matches_sklearn_over_batches():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    t = rng.normal(size=(500, 3))
    p = t + rng.normal(scale=0.7, size=t.shape)
    w = rng.uniform(0, 2, 500)
    for agg, multioutput in (("uniform_average", "uniform_average"), ("variance_weighted_average", "variance_weighted"), (None, "raw_values")):
        m = M.R2Score(class_aggregation=agg, dtype="float64")
        for sl in (slice(0, 123), slice(123, 400), slice(400, 500)):
            m.update_state(t[sl], p[sl], sample_weight=w[sl])
        np.testing.assert_allclose(m.result(), sklearn_metrics.r2_score(t, p, sample_weight=w, multioutput=multioutput), rtol=1e-12)


def test_r2_errors_from_keras_test_errors():
    # regression_metrics_test.py, R2ScoreTest.test_errors
    with pytest.raises(ValueError, match="Invalid value for argument `class_aggregation`"):
        M.R2Score(class_aggregation="wrong")
    with pytest.raises(ValueError, match="Invalid value for argument `num_regressors`"):
        M.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="expects 2D inputs with shape"):
        M.R2Score().update_state([0.0, 1.0], [0.0, 1.0])


def test_correlation_numbers_from_keras_correlation_metrics_test():
    # correlation_metrics_test.py, CorrelationsTest._get_data and its four tests
    t = np.array([[0, 1, 0.5], [1, 1, 0.2], [1, 1, 0.1], [0.1, 0.7, 0.0]], dtype="float32")
    p = np.array([[0.1, 0.9, 0.5], [1, 0.9, 0.2], [0.2, 0.8, 0], [0.3, 0.3, 0.9]], dtype="float32")
    ccc = np.array([0.97560976, 0.98765432, 0.46511628, -0.46376812])
    pcc = np.array([1, 0.99339927, 0.69337525, -0.60999428])  # the comment there; scipy.stats.pearsonr
    np.testing.assert_allclose(M.pearson_correlation(t, p, axis=-1), pcc, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(M.concordance_correlation(t, p, axis=-1), ccc, rtol=1e-6, atol=1e-6)
    for cls, expected in ((M.PearsonCorrelation, pcc), (M.ConcordanceCorrelation, ccc)):
        m = cls(axis=-1, dtype="float32")
        m.update_state(t[:2], p[:2])
        np.testing.assert_allclose(m.result(), np.mean(expected[:2]), rtol=1e-6)
        m.update_state(t[2:], p[2:])
        np.testing.assert_allclose(m.result(), np.mean(expected), rtol=1e-6)
    # test_pearson_config / test_concordance_config
    assert M.PearsonCorrelation(axis=-1, dtype="float16").get_config() == {"name": "pearson_correlation", "dtype": "float16", "axis": -1}
    assert M.ConcordanceCorrelation(axis=-1, dtype="float32").get_config() == {"name": "concordance_correlation", "dtype": "float32", "axis": -1}


def test_iou_numbers_from_keras_iou_metrics_test():
    # iou_metrics_test.py, IoUTest.test_unweighted
    assert M.IoU(num_classes=2, target_class_ids=[0, 1])([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx((1 / 3 + 1 / 3) / 2, abs=1e-3)
    # IoUTest.test_weighted
    m = M.IoU(num_classes=2, target_class_ids=[1, 0], dtype="float32")
    result = m([0, 0, 1, 1], np.array([0, 1, 0, 1], np.float32), sample_weight=np.array([0.2, 0.3, 0.4, 0.1]))
    assert result == pytest.approx((0.1 / (0.4 + 0.5 - 0.1) + 0.2 / (0.6 + 0.5 - 0.2)) / 2, abs=1e-3)
    # IoUTest.test_multi_dim_input
    m = M.IoU(num_classes=2, target_class_ids=[0, 1], dtype="float32")
    result = m(np.array([[0, 0], [1, 1]]), np.array([[0, 1], [0, 1]], np.float32), sample_weight=np.array([[0.2, 0.3], [0.4, 0.1]]))
    assert result == pytest.approx((0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2, abs=1e-3)
    # IoUTest.test_zero_valid_entries / test_zero_and_non_zero_entries
    assert M.IoU(num_classes=2, target_class_ids=[0, 1]).result() == pytest.approx(0, abs=1e-3)
    assert M.IoU(num_classes=2, target_class_ids=[0, 1])([1], np.array([1], np.float32)) == pytest.approx(1.0, abs=1e-3)
    # IoUTest.test_out_of_range_y_true_ignored / _y_pred_ / test_negative_y_true_ignored / _y_pred_
    for t, p in (([0, 2], [0, 1]), ([0, 1], [0, 2]), ([-1, 0], [0, 0]), ([0, 1], [-1, 1])):
        assert M.IoU(num_classes=2, target_class_ids=[0, 1])(t, p) == pytest.approx(1.0, abs=1e-3)
    # IoUTest.test_absent_class_contributes_zero
    assert M.IoU(num_classes=4, target_class_ids=[0, 1, 2, 3])([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx((1 / 3 + 1 / 3) / 2, abs=1e-3)
    # MeanIoUTest.test_unweighted_ignore_class_255 / test_unweighted_ignore_class_1
    expected = (1 / (1 + 1 - 1) + 1 / (2 + 1 - 1) + 0 / (0 + 1 - 0)) / 3
    assert M.MeanIoU(num_classes=3, ignore_class=255)([0, 1, 2, 255], [0, 1, 1, 1]) == pytest.approx(expected, abs=1e-3)
    assert M.MeanIoU(num_classes=3, ignore_class=-1)([0, 1, 2, -1], [0, 1, 1, 1]) == pytest.approx(expected, abs=1e-3)
    # BinaryIoUTest.test_different_thresholds_weighted
    m = M.BinaryIoU(target_class_ids=[0, 1], threshold=0.3, dtype="float32")
    assert m([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], sample_weight=np.array([0.2, 0.3, 0.4, 0.1])) == pytest.approx(
        (0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2, abs=1e-3
    )
    m = M.BinaryIoU(target_class_ids=[0, 1], threshold=0.5, dtype="float32")
    assert m([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], sample_weight=np.array([0.1, 0.2, 0.4, 0.3])) == pytest.approx(
        (0.5 / (0.5 + 0.7 - 0.5) + 0.3 / (0.5 + 0.3 - 0.3)) / 2, abs=1e-3
    )
    # BinaryIoUTest.test_different_thresholds_unweighted
    assert M.BinaryIoU(target_class_ids=[0, 1], threshold=0.5)([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]) == pytest.approx((2 / 3 + 1 / 2) / 2, abs=1e-3)
    # OneHotIoUTest.test_unweighted / test_weighted, OneHotMeanIoUTest.test_unweighted
    t = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
    p = np.array([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
    assert M.OneHotIoU(num_classes=3, target_class_ids=[0, 2])(t, p) == pytest.approx((0 / 3 + 1 / 3) / 2, abs=1e-3)
    m = M.OneHotIoU(num_classes=3, target_class_ids=[0, 2], dtype="float32")
    assert m(t, p, sample_weight=[0.1, 0.2, 0.3, 0.4]) == pytest.approx((0 / (0.3 + 0.6) + 0.1 / (0.7 + 0.1 - 0.1)) / 2, abs=1e-3)
    assert M.OneHotMeanIoU(num_classes=3)(t, p) == pytest.approx((0 + 0 + 1 / 3) / 3, abs=1e-3)


# ------------------------------------------------- closed forms and edges


def test_top_k_ties_and_large_k_closed_form():
    p = np.array([[0.5, 0.5, 0.5, 0.1], [0.9, 0.5, 0.5, 0.5]], np.float32)
    labels = np.array([2, 3])
    # row 0: no score above the label's: a hit for every k; row 1: one above: a hit from k = 2
    np.testing.assert_array_equal(M.sparse_top_k_categorical_accuracy(labels, p, k=1), [1.0, 0.0])
    np.testing.assert_array_equal(M.sparse_top_k_categorical_accuracy(labels, p, k=2), [1.0, 1.0])
    # k >= the number of classes: every sample is a hit
    np.testing.assert_array_equal(M.sparse_top_k_categorical_accuracy([3, 3], [[0.9, 0.8, 0.7, 0.0]] * 2, k=7), [1.0, 1.0])


def test_top_k_non_finite_scores_are_misses():
    """TensorFlow's in_top_k: a row with NaN or inf scores is a miss (JAX's backend differs)."""
    p = np.array([[0.1, np.nan, 0.2], [0.1, 0.3, np.inf], [0.1, 0.3, 0.2]], np.float32)
    np.testing.assert_array_equal(M.sparse_top_k_categorical_accuracy([2, 2, 1], p, k=3), [0.0, 0.0, 1.0])


def test_top_k_one_hot_and_argmax_paths_agree(monkeypatch):
    monkeypatch.setattr(accuracy_module, "_TOPK_BLOCK_ELEMENTS", 40)
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 8, 500)
    t = np.eye(8, dtype=np.float32)[labels]
    t[7] = 0.0  # an all-zero row takes the arg-max path (class 0) in its block
    p = np.round(rng.uniform(size=(500, 8)) * 5).astype(np.float32) / 5
    labels[7] = 0
    for k in (1, 3, 8):
        np.testing.assert_array_equal(M.top_k_categorical_accuracy(t, p, k=k), M.sparse_top_k_categorical_accuracy(labels, p, k=k))


def test_rmse_closed_form_and_empty():
    assert M.RootMeanSquaredError().result() == 0.0
    m = M.RootMeanSquaredError(dtype="float64")
    m.update_state([[1.0, 2.0]], [[4.0, 6.0]])  # squared errors 9, 16
    assert m.result() == np.sqrt(12.5)


def test_r2_one_sample_and_before_update():
    assert M.R2Score().result() == 0.0
    m = M.R2Score(class_aggregation=None)
    m.update_state([[1.0, 2.0]], [[3.0, 2.0]])
    result = m.result()
    assert result[0] == 0.0 and np.isnan(result[1])  # Keras' behaviour: SS_tot = 0


# ------------------------------------------------- merge, pickle, threads


def _factories():
    return {
        "top_k": (lambda: M.TopKCategoricalAccuracy(k=2), "onehot"),
        "sparse_top_k": (lambda: M.SparseTopKCategoricalAccuracy(k=2), "sparse"),
        "rmse": (lambda: M.RootMeanSquaredError(), "dense"),
        "r2": (lambda: M.R2Score(class_aggregation=None), "dense"),
        "pearson": (lambda: M.PearsonCorrelation(), "dense"),
        "concordance": (lambda: M.ConcordanceCorrelation(), "dense"),
        "iou": (lambda: M.IoU(5, [0, 3], dtype="float32"), "ids"),
        "mean_iou_int": (lambda: M.MeanIoU(5, ignore_class=1), "ids"),
        "binary_iou": (lambda: M.BinaryIoU(threshold=0.4), "binary"),
        "one_hot_mean_iou": (lambda: M.OneHotMeanIoU(5), "onehot"),
    }


def _batch(kind, rng, n=64):
    w = rng.integers(0, 3, n).astype(np.float64)
    if kind == "onehot":
        return np.eye(5)[rng.integers(0, 5, n)], rng.uniform(size=(n, 5)), w
    if kind == "sparse":
        return rng.integers(0, 5, n), rng.uniform(size=(n, 5)), w
    if kind == "ids":
        return rng.integers(-1, 6, (n, 3)), rng.integers(0, 5, (n, 3)), w
    if kind == "binary":
        return rng.integers(0, 2, (n, 1)), rng.uniform(size=(n, 1)), w
    t = rng.normal(size=(n, 5))
    return t, t + rng.normal(size=(n, 5)), w


@pytest.mark.parametrize("key", list(_factories()))
def test_merge_pickle_threads(key):
    make, kind = _factories()[key]
    rng = np.random.default_rng(2)
    batches = [_batch(kind, rng) for _ in range(8)]
    one = make()
    for b in batches:
        one.update_state(*b)
    parts = [make(), make(), make()]
    for i, b in enumerate(batches):
        parts[i % 3].update_state(*b)
    merged = make()
    merged.merge_state(parts)
    np.testing.assert_array_equal(merged.result(), one.result())
    clone = pickle.loads(pickle.dumps(one))
    np.testing.assert_array_equal(clone.result(), one.result())
    clone.update_state(*batches[0])
    one.update_state(*batches[0])
    np.testing.assert_array_equal(clone.result(), one.result())
    # threads: every update counted
    threaded = make()
    workers = [threading.Thread(target=lambda bs=batches[i::4]: [threaded.update_state(*b) for b in bs]) for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    reference = make()
    for b in batches:
        reference.update_state(*b)
    np.testing.assert_allclose(threaded.result(), reference.result(), rtol=1e-6)
    # config round trip
    assert type(one).from_config(one.get_config()).get_config() == one.get_config()


def test_failed_update_leaves_the_state():
    m = M.R2Score()
    m.update_state([[1.0, 2.0], [2.0, 1.0]], [[1.5, 2.0], [2.0, 0.0]])
    before = m.result()
    with pytest.raises(ValueError, match="output columns"):
        m.update_state([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]])
    assert m.result() == before
    iou = M.MeanIoU(3)
    iou.update_state([0, 1], [0, 1])
    cm = iou.variables["total_confusion_matrix"]
    with pytest.raises(ValueError, match="same number of labels"):
        iou.update_state([0, 1, 2], [0, 1])
    np.testing.assert_array_equal(iou.variables["total_confusion_matrix"], cm)


def test_iou_counts_are_int64_and_exact():
    m = M.MeanIoU(2)
    m.update_state(np.zeros(10, np.int8), np.zeros(10, np.int8))
    assert m.variables["total_confusion_matrix"].dtype == np.int64
    m = M.MeanIoU(2, dtype="float64")
    m.update_state([0, 1], [0, 1], sample_weight=[1e16, 1.0])
    m.update_state([0], [0], sample_weight=[-1e16])
    np.testing.assert_array_equal(m.variables["total_confusion_matrix"], [[0.0, 0.0], [0.0, 1.0]])


# ------------------------------------------------- bad input


@pytest.mark.parametrize("k", [0, -1, 2.5])
def test_bad_k(k):
    with pytest.raises(ValueError, match=r"`k`.*Received: k="):
        M.TopKCategoricalAccuracy(k=k)
    with pytest.raises(ValueError, match=r"`k`.*Received: k="):
        M.sparse_top_k_categorical_accuracy([0], [[0.5, 0.5]], k=k)
    with pytest.raises(ValueError, match=r"`k`"):
        M.top_k_categorical_accuracy([[1, 0]], [[0.5, 0.5]], k=k)


def test_bad_k_type_and_whole_double_k():
    with pytest.raises(TypeError, match=r"`k`"):
        M.TopKCategoricalAccuracy(k="5")
    assert M.TopKCategoricalAccuracy(k=2.0).k == 2  # R hands whole doubles


def test_sparse_top_k_labels_outside_the_classes():
    with pytest.raises(ValueError, match=r"`y_true`.*\[0, 2\]"):
        M.sparse_top_k_categorical_accuracy([3], [[0.1, 0.2, 0.7]])
    with pytest.raises(ValueError, match=r"`y_true`.*negative"):
        M.SparseTopKCategoricalAccuracy().update_state([-1], [[0.1, 0.2, 0.7]])
    with pytest.raises(ValueError, match=r"y_true.shape"):
        M.sparse_top_k_categorical_accuracy([1, 2], [[0.1, 0.2, 0.7]])
    with pytest.raises(ValueError, match=r"at least k=5"):
        M.sparse_top_k_categorical_accuracy([1], [[0, 1, 2]], from_sorted_ids=True)


@pytest.mark.parametrize("num_classes,error", [(1, ValueError), (0, ValueError), (2.5, TypeError), ("3", TypeError)])
def test_bad_num_classes(num_classes, error):
    for make in (lambda: M.MeanIoU(num_classes), lambda: M.IoU(num_classes, [0]), lambda: M.OneHotMeanIoU(num_classes)):
        with pytest.raises(error, match=r"`num_classes`.*Received: num_classes="):
            make()


@pytest.mark.parametrize("ids", [[3], [-1], [0, 5], []])
def test_target_class_ids_outside_the_classes(ids):
    with pytest.raises(ValueError, match=r"`target_class_ids`"):
        M.IoU(3, ids)
    with pytest.raises(ValueError, match=r"`target_class_ids`"):
        M.OneHotIoU(3, ids)


def test_iou_labels_outside_the_classes_are_left_out_as_keras():
    """Keras' behaviour (iou_metrics_test.py, test_out_of_range_*_ignored), documented in the module."""
    m = M.MeanIoU(3)
    m.update_state([0, 1, 3, -1, np.nan], [0, 1, 0, 0, 0])
    np.testing.assert_array_equal(m.variables["total_confusion_matrix"], [[1, 0, 0], [0, 1, 0], [0, 0, 0]])


def test_whole_doubles_from_r():
    m = M.MeanIoU(3.0, ignore_class=255.0)
    assert (m.num_classes, m.ignore_class) == (3, 255) and isinstance(m.ignore_class, int)
    assert M.IoU(3.0, [0.0, 2.0]).target_class_ids == [0, 2]
    assert M.R2Score(num_regressors=2.0).num_regressors == 2


def test_bad_iou_options_and_weights():
    with pytest.raises(TypeError, match="`ignore_class`"):
        M.MeanIoU(3, ignore_class=1.5)
    with pytest.raises(TypeError, match="`sparse_y_true`"):
        M.IoU(3, [0], sparse_y_true="yes")
    with pytest.raises(TypeError, match="`threshold`"):
        M.BinaryIoU(threshold="0.5")
    with pytest.raises(ValueError, match=r"`sample_weight`.*Received: sample_weight.shape=\(3,\)"):
        M.MeanIoU(3).update_state([[0, 1], [1, 1]], [[0, 1], [1, 1]], sample_weight=[1, 2, 3])
    with pytest.raises(TypeError, match="`y_true`"):
        M.MeanIoU(3).update_state("abc", [0])


@pytest.mark.parametrize("block", [7, 1 << 14])
def test_iou_weight_per_sample_for_label_maps(monkeypatch, block):
    """We differ: (batch_size,) weights rescale every label of that sample (blocks of whole samples)."""
    monkeypatch.setattr(iou_module, "_BLOCK", block)
    rng = np.random.default_rng(3)
    t, p, w = rng.integers(0, 4, (50, 3)), rng.integers(0, 4, (50, 3)), rng.uniform(0, 2, 50)
    a, b = M.MeanIoU(4, dtype="float64"), M.MeanIoU(4, dtype="float64")
    a.update_state(t, p, sample_weight=w)
    b.update_state(t, p, sample_weight=np.repeat(w[:, None], 3, axis=1))
    # (blocks split differently, so float64 sums may round differently)
    np.testing.assert_allclose(a.variables["total_confusion_matrix"], b.variables["total_confusion_matrix"], rtol=1e-14)
    expected = np.zeros((4, 4))
    np.add.at(expected, (t.ravel(), p.ravel()), np.repeat(w, 3))  # closed form: the weighted confusion counts
    np.testing.assert_allclose(a.variables["total_confusion_matrix"], expected, rtol=1e-14)


def test_bad_r2_inputs():
    with pytest.raises(TypeError, match="`num_regressors`"):
        M.R2Score(num_regressors=1.5)
    with pytest.raises(ValueError, match=r"`sample_weight`.*Received: sample_weight.shape=\(3,\)"):
        M.R2Score().update_state([[1.0], [2.0]], [[1.0], [2.0]], sample_weight=[1, 2, 3])


def test_bad_correlation_axis():
    with pytest.raises(ValueError, match="`axis`"):
        M.pearson_correlation([[1.0, 2.0]], [[1.0, 2.0]], axis=2)
    with pytest.raises(TypeError, match="`axis`"):
        M.ConcordanceCorrelation(axis="last")


# ------------------------------------------------- dtype policies


@pytest.mark.parametrize(
    "dtype,expected",
    [
        ("mixed_float16", "float16"),
        ("mixed_bfloat16", "float32"),
        ("bfloat16", "float32"),
        ({"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"}, "registered_name": None}, "float16"),
        ({"class_name": "DTypePolicy", "config": {"name": "float64"}}, "float64"),
    ],
)
def test_dtype_policies(dtype, expected):
    assert resolve_dtype(dtype) == np.dtype(expected)
    m = M.RootMeanSquaredError(dtype=dtype)
    assert m.dtype == expected and m([[1.0]], [[3.0]]).dtype == np.dtype(expected)
    assert M.MeanIoU(3, dtype=dtype).dtype == expected
    config = {"class_name": "R2Score", "config": {"name": "r2", "dtype": dtype, "class_aggregation": None, "num_regressors": 0}}
    assert deserialize_metric(config).dtype == expected


def test_bad_dtype_policy():
    with pytest.raises(ValueError, match=r"`dtype`.*DTypePolicy"):
        resolve_dtype({"class_name": "DTypePolicy"})
    with pytest.raises(TypeError, match=r"`dtype`.*Received: dtype='mixed_float17'"):
        M.R2Score(dtype="mixed_float17")


def test_iou_integer_dtypes():
    assert M.MeanIoU(3).dtype == "int32" and M.MeanIoU(3, dtype="int").dtype == "int32"
    assert M.MeanIoU(3, dtype="int64").get_config()["dtype"] == "int64"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        M.MeanIoU(3).update_state([0, 1], [0, 1], sample_weight=[1.0, 2.0])  # whole weights: no warning


# ------------------------------------------------- names


ISSUE_11 = [
    ("TopKCategoricalAccuracy", "top_k_categorical_accuracy", "metric_top_k_categorical_accuracy"),
    ("SparseTopKCategoricalAccuracy", "sparse_top_k_categorical_accuracy", "metric_sparse_top_k_categorical_accuracy"),
    ("RootMeanSquaredError", "root_mean_squared_error", "metric_root_mean_squared_error"),
    ("R2Score", "r2_score", "metric_r2_score"),
    ("PearsonCorrelation", "pearson_correlation", "metric_pearson_correlation"),
    ("ConcordanceCorrelation", "concordance_correlation", "metric_concordance_correlation"),
    ("IoU", "io_u", "metric_iou"),
    ("MeanIoU", "mean_io_u", "metric_mean_iou"),
    ("BinaryIoU", "binary_io_u", "metric_binary_iou"),
    ("OneHotIoU", "one_hot_io_u", "metric_one_hot_iou"),
    ("OneHotMeanIoU", "one_hot_mean_io_u", "metric_one_hot_mean_iou"),
]


@pytest.mark.parametrize("class_name,snake,r_name", ISSUE_11)
def test_names_resolve(class_name, snake, r_name):
    cls = getattr(M, class_name)
    assert registry.entry("metric", class_name).cls is cls
    assert registry.entry("metric", snake).cls is cls  # Keras' ALL_OBJECTS_DICT maps snake_case names to classes
    assert registry.r_index()[r_name].cls is cls
    assert r_name in R_FUNCTIONS


@pytest.mark.parametrize("name", ["top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "r2_score", "root_mean_squared_error", "BinaryIoU"])
def test_string_identifiers_give_objects_with_keras_names(name):
    m = get_metric(name)
    assert isinstance(m, registry.entry("metric", name).cls)
    assert deserialize_metric(serialize_metric(m)).get_config() == m.get_config()


def test_r_style_functions():
    obj = R_FUNCTIONS["metric_mean_iou"](num_classes=3)
    assert isinstance(obj, M.MeanIoU) and obj.num_classes == 3
    values = R_FUNCTIONS["metric_sparse_top_k_categorical_accuracy"]([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1)
    np.testing.assert_array_equal(values, [0.0, 1.0])
    with pytest.raises(TypeError, match="stateful metric object only"):
        R_FUNCTIONS["metric_r2_score"]([[1.0]], [[1.0]])


#: R keras3's metric_* exports. Source: keras3.posit.co/dev/reference (the
#: "Other metrics" list of custom_metric.md), read 2026-11 with the search tools;
#: rstudio/keras3's NAMESPACE holds the same names (pearson/concordance added in the dev version).
KERAS3_R_METRICS = """metric_auc metric_binary_accuracy metric_binary_crossentropy metric_binary_focal_crossentropy
metric_binary_iou metric_categorical_accuracy metric_categorical_crossentropy metric_categorical_focal_crossentropy
metric_categorical_hinge metric_concordance_correlation metric_cosine_similarity metric_f1_score metric_false_negatives
metric_false_positives metric_fbeta_score metric_hinge metric_huber metric_iou metric_kl_divergence metric_log_cosh
metric_log_cosh_error metric_mean metric_mean_absolute_error metric_mean_absolute_percentage_error metric_mean_iou
metric_mean_squared_error metric_mean_squared_logarithmic_error metric_mean_wrapper metric_one_hot_iou
metric_one_hot_mean_iou metric_pearson_correlation metric_poisson metric_precision metric_precision_at_recall
metric_r2_score metric_recall metric_recall_at_precision metric_root_mean_squared_error metric_sensitivity_at_specificity
metric_sparse_categorical_accuracy metric_sparse_categorical_crossentropy metric_sparse_top_k_categorical_accuracy
metric_specificity_at_sensitivity metric_squared_hinge metric_sum metric_top_k_categorical_accuracy
metric_true_negatives metric_true_positives""".split()

#: Names other issues add: the confusion-matrix metrics (issue 10) and the focal crossentropies (issue 12).
OTHER_ISSUES = {
    "metric_auc", "metric_f1_score", "metric_fbeta_score", "metric_false_negatives", "metric_false_positives",
    "metric_precision", "metric_precision_at_recall", "metric_recall", "metric_recall_at_precision",
    "metric_sensitivity_at_specificity", "metric_specificity_at_sensitivity", "metric_true_negatives",
    "metric_true_positives", "metric_binary_focal_crossentropy", "metric_categorical_focal_crossentropy",
}


def test_every_keras3_r_metric_name_exists_or_belongs_to_another_issue():
    r_names = set(registry.r_index())
    missing = [n for n in KERAS3_R_METRICS if n not in r_names and n not in OTHER_ISSUES]
    assert missing == []


def test_integer_dtype_truncates_weights_and_ids_as_keras():
    """Keras casts weights and ids to the metric's integer dtype (truncation toward
    zero) before counting; a float dtype keeps the weights and range-checks the raw ids.
    Closed form: 0.7 -> 0, 1.5 -> 1, 2.9 -> 2; id -0.5 -> 0 (int) / left out (float)."""
    m = M.MeanIoU(3)
    with pytest.warns(UserWarning, match="truncated toward zero"):
        m.update_state([0, 0, 1, 2], [0, 0, 1, 2], sample_weight=[0.7, 0.7, 1.5, 2.9])  # each weight truncated, then summed
    np.testing.assert_array_equal(m.variables["total_confusion_matrix"], np.diag([0, 1, 2]))
    # with and without an out-of-range id in the batch (the range check's two paths)
    for extra_true, extra_pred in (([], []), ([5.0], [0.0])):
        ids_true, ids_pred = np.array([0.0, 1.0] + extra_true), np.array([-0.5, 1.7] + extra_pred)
        as_int, as_float = M.MeanIoU(3), M.MeanIoU(3, dtype="float64")
        as_int.update_state(ids_true, ids_pred)
        as_float.update_state(ids_true, ids_pred)
        np.testing.assert_array_equal(as_int.variables["total_confusion_matrix"], [[1, 0, 0], [0, 1, 0], [0, 0, 0]])
        np.testing.assert_array_equal(as_float.variables["total_confusion_matrix"], [[0, 0, 0], [0, 1, 0], [0, 0, 0]])


def test_top_k_one_hot_labels_with_non_finite_scores_elsewhere():
    """0 * inf in the one-hot fast path must not leak: rows without non-finite scores are unaffected."""
    t = np.eye(3, dtype=np.float32)[[0, 1, 2, 0]]
    p = np.array([[0.9, np.inf, 0.1], [0.2, 0.5, 0.3], [np.nan, 0.1, 0.8], [0.5, 0.2, 0.3]], np.float32)
    np.testing.assert_array_equal(M.top_k_categorical_accuracy(t, p, k=1), [0.0, 1.0, 0.0, 1.0])
    np.testing.assert_array_equal(M.sparse_top_k_categorical_accuracy([0, 1, 2, 0], p, k=1), [0.0, 1.0, 0.0, 1.0])


def test_iou_nan_label_alone_is_left_out():
    """NaN is never a class (whatever the platform's float-to-int cast makes of it)."""
    for dtype in (None, "float32"):
        m = M.MeanIoU(3, dtype=dtype)
        m.update_state([0.0, 1.0, np.nan], [0.0, 1.0, 0.0])
        np.testing.assert_array_equal(m.variables["total_confusion_matrix"], np.diag([1, 1, 0]))


def test_iou_warns_that_its_integer_dtype_truncates_fractional_weights():
    # Keras' IoU metrics count in an integer dtype by default, so a weight of 0.5
    # counts as 0 (keras 3.15, iou_metrics.py: sample_weight cast to self.dtype).
    t, p, w = [0, 0, 1], [1, 0, 1], [0.5, 1.0, 1.0]
    m = M.MeanIoU(num_classes=2)
    with pytest.warns(UserWarning, match="fractional `sample_weight`"):
        m.update_state(t, p, sample_weight=w)
    # The misclassified sample's weight truncates to 0: both classes perfect,
    # 1 / (1 + epsilon) each in float32 (Keras divides by denominator + epsilon).
    assert float(m.result()) == pytest.approx(1.0, abs=1e-6)
    # Counted in float: tp 1, fn or fp 0.5 for each class -> 1 / 1.5 each (closed form).
    exact = M.MeanIoU(num_classes=2, dtype="float32")
    exact.update_state(t, p, sample_weight=w)
    assert float(exact.result()) == pytest.approx(2 / 3, abs=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.int32, np.uint8])
@pytest.mark.parametrize("width", [2, 3, 10, 32, 33])
def test_argmax_rows_is_numpys_argmax(dtype, width):
    """The running arg-max: np.argmax's first maximum, and its NaN rules (the
    first NaN wins) on the blocks that hold one; a few rows go to np.argmax."""
    from rkeraslosses.metrics._argmax import MIN_ROWS, argmax_rows

    rng = np.random.default_rng(13)
    for rows in (1, 200, MIN_ROWS - 1, MIN_ROWS, MIN_ROWS + 201):
        x = np.round(rng.uniform(-3, 3, (rows, width)) * 2).astype(dtype)  # many ties
        np.testing.assert_array_equal(argmax_rows(x), np.argmax(x, axis=1))
        if np.dtype(dtype).kind == "f":
            y = x.copy()
            y[rng.uniform(size=y.shape) < 0.05] = -0.0
            y[rng.uniform(size=y.shape) < 0.05] = np.inf
            y[rng.uniform(size=y.shape) < 0.05] = -np.inf
            y[: rows // 2, 0] = -np.inf
            np.testing.assert_array_equal(argmax_rows(y), np.argmax(y, axis=1))
            y[rng.uniform(size=y.shape) < 0.05] = np.nan
            y[-1, -1] = np.nan
            np.testing.assert_array_equal(argmax_rows(y), np.argmax(y, axis=1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("width", [2, 3, 10, 32, 33])
@pytest.mark.parametrize("layout", ["C", "F", "3d"])
def test_categorical_accuracies_are_numpys_argmax_formula(dtype, width, layout):
    """categorical_accuracy and sparse_categorical_accuracy take the arg-max
    of blocks of rows column-wise (argmax_rows); the numbers are those of
    Keras' formula with np.argmax over the last axis (expected here), in every
    block (several blocks of rows, a short last one), with ties, -0.0, +-inf
    and NaN (a block with a NaN goes to np.argmax), soft and all-zero label rows."""
    from rkeraslosses.metrics.accuracy import _TOPK_BLOCK_ELEMENTS

    rng = np.random.default_rng(width)
    rows = max(1, _TOPK_BLOCK_ELEMENTS // width)
    n = 2 * rows + 37
    p = np.round(rng.uniform(-3, 3, (n, width)) * 2).astype(dtype)  # many ties
    p[rng.uniform(size=p.shape) < 0.02] = -0.0
    p[rng.uniform(size=p.shape) < 0.01] = np.inf
    p[rng.uniform(size=p.shape) < 0.01] = -np.inf
    p[rows + 5, 3 % width] = np.nan  # one block holds a NaN
    t = np.eye(width, dtype=dtype)[rng.integers(0, width, n)]
    t[:50] = rng.uniform(0, 1, (50, width)).astype(dtype)  # soft rows
    t[50:60] = 0  # no label: arg-max 0
    labels = np.argmax(t, axis=1).astype(dtype)
    if layout == "F":
        p, t = np.asfortranarray(p), np.asfortranarray(t)
    elif layout == "3d":
        n -= n % 3
        p, t, labels = p[:n].reshape(3, -1, width), t[:n].reshape(3, -1, width), labels[:n].reshape(3, -1)
    expected = (np.argmax(t, axis=-1) == np.argmax(p, axis=-1)).astype(np.float32)
    got = M.categorical_accuracy(t, p)
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    assert 0 < expected.mean() < 1
    expected_sparse = (labels == np.argmax(p, axis=-1)).astype(np.float32)
    got_sparse = M.sparse_categorical_accuracy(labels, p)
    assert got_sparse.dtype == np.float32 and got_sparse.shape == expected_sparse.shape
    np.testing.assert_array_equal(got_sparse, expected_sparse)
    np.testing.assert_array_equal(M.sparse_categorical_accuracy(labels[..., None], p), expected_sparse)


def test_categorical_accuracies_of_a_few_or_odd_shaped_rows():
    """Shapes the block path leaves to np.argmax: one class, one row, no rows,
    a 1-D vector; and their errors, as before."""
    for t, p in (([[1.0]], [[0.3]]), ([[0, 1]], [[0.2, 0.8]]), (np.zeros((0, 3)), np.zeros((0, 3))), ([0, 1, 0], [0.2, 0.9, 0.1])):
        np.testing.assert_array_equal(M.categorical_accuracy(t, p), (np.argmax(np.asarray(t, np.float32), axis=-1) == np.argmax(np.asarray(p, np.float32), axis=-1)).astype(np.float32))
    np.testing.assert_array_equal(M.sparse_categorical_accuracy([1], [[0.2, 0.8]]), [1.0])
    np.testing.assert_array_equal(M.sparse_categorical_accuracy(np.zeros(0), np.zeros((0, 3))), np.zeros(0, np.float32))
    with pytest.raises(ValueError, match="same shape"):
        M.categorical_accuracy([[0, 1]], [[0.2, 0.8, 0.0]])
    with pytest.raises(ValueError, match="one label per sample"):
        M.sparse_categorical_accuracy([1, 0], [[0.2, 0.8]])


def test_categorical_accuracies_block_path_is_taken_where_it_pays(monkeypatch):
    """The column-wise blocks serve plain arrays from MIN_ROWS rows (2-D of
    any layout, or C-contiguous); fewer rows, masked arrays (whose argmax
    skips masked values) and non-contiguous higher-rank arrays keep
    np.argmax, with its numbers (expected: the np.argmax formula)."""
    from rkeraslosses.metrics import _argmax

    accuracy = importlib.import_module("rkeraslosses.metrics.accuracy")
    calls = []
    real = accuracy.argmax_rows
    monkeypatch.setattr(accuracy, "argmax_rows", lambda x: calls.append(len(x)) or real(x))
    rng = np.random.default_rng(9)

    def check(t, p, taken):
        calls.clear()
        expected = (np.argmax(t, axis=-1) == np.argmax(p, axis=-1)).astype(np.float32)
        got = M.categorical_accuracy(t, p)
        assert got.dtype == np.float32 and got.shape == expected.shape
        np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))
        labels = np.argmax(t, axis=-1).astype(np.float32)
        np.testing.assert_array_equal(np.asarray(M.sparse_categorical_accuracy(labels, p)), np.asarray((labels == np.argmax(p, axis=-1)).astype(np.float32)))
        assert bool(calls) == taken, (t.shape, calls)

    for rows in (_argmax.MIN_ROWS - 1, _argmax.MIN_ROWS, _argmax.MIN_ROWS + 1):
        p = np.round(rng.uniform(0, 3, (rows, 5))).astype(np.float32)
        t = np.eye(5, dtype=np.float32)[rng.integers(0, 5, rows)]
        check(t, p, rows >= _argmax.MIN_ROWS)
    big = np.round(rng.uniform(0, 3, (2 * _argmax.MIN_ROWS, 10))).astype(np.float32)
    onehot = np.eye(10, dtype=np.float32)[rng.integers(0, 10, len(big))]
    check(np.asfortranarray(onehot), np.asfortranarray(big), True)
    check(onehot[::-1], big[::-1], True)
    check(onehot[:, ::2], big[:, ::2], True)
    cube_t, cube_p = onehot.reshape(4, -1, 10), big.reshape(4, -1, 10)
    check(cube_t, cube_p, True)
    check(cube_t.transpose(1, 0, 2), cube_p.transpose(1, 0, 2), False)  # rows not a view: one np.argmax copy at a time
    masked = np.ma.array(big, mask=rng.uniform(size=big.shape) < 0.3)
    check(onehot, masked, False)
