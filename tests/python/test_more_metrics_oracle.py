"""Issue 11's metrics against Keras 3's own (KERAS_BACKEND=jax): top-k, RMSE,
R2, the correlations and the IoU family, every option, several weighted and
unweighted batches, reset_state and one more batch; then compile-style
evaluation (Evaluator.from_config, the CLI, a .keras file) against
model.evaluate. Every expected number comes from Keras at test time."""

import importlib
import json
import warnings

import numpy as np
import pytest

from rkeraslosses import metrics as M
from rkeraslosses.cli import main
from rkeraslosses.evaluate import Evaluator
# import_module: `rkeraslosses.metrics.accuracy` the attribute is the function.
accuracy_module = importlib.import_module("rkeraslosses.metrics.accuracy")
iou_module = importlib.import_module("rkeraslosses.metrics.iou")
argmax_module = importlib.import_module("rkeraslosses.metrics._argmax")
regression_module = importlib.import_module("rkeraslosses.metrics.regression")

pytestmark = pytest.mark.oracle

RTOL, ATOL = 2e-6, 1e-6


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of a few rows, so that moderate batches cross every block boundary."""
    monkeypatch.setattr(accuracy_module, "_TOPK_BLOCK_ELEMENTS", 37)
    monkeypatch.setattr(iou_module, "_BLOCK", 41)
    monkeypatch.setattr(iou_module, "_SCORE_BLOCK_ELEMENTS", 41 * 4)
    monkeypatch.setattr(regression_module, "_R2_BLOCK_ELEMENTS", 29)


# ---------------------------------------------------------------- data


def scores(rng, n, c, ties=False):
    p = rng.uniform(0, 1, (n, c)).astype(np.float32)
    if ties:
        p = np.round(p * 4) / 4  # many equal scores, at and around the k-th
    return p


def onehot(rng, n, c):
    return np.eye(c, dtype=np.float32)[rng.integers(0, c, n)]


def weights(rng, n, seed):
    return None if seed % 2 else rng.uniform(0, 2, n).astype(np.float32)


def run_stream(ours, theirs, batches, rtol=RTOL, atol=ATOL):
    """Feed both metrics the batches, compare after each; reset; one more batch."""
    for t, p, w in batches[:-1]:
        ours.update_state(t, p, sample_weight=w)
        theirs.update_state(t, p, sample_weight=w)
        np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=rtol, atol=atol)
    ours.reset_state()
    theirs.reset_state()
    t, p, w = batches[-1]
    ours.update_state(t, p, sample_weight=w)
    theirs.update_state(t, p, sample_weight=w)
    np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=rtol, atol=atol)


def assert_config_matches(ours, theirs):
    ours_config, theirs_config = ours.get_config(), theirs.get_config()
    assert set(ours_config) == set(theirs_config), (ours_config, theirs_config)
    for key, value in theirs_config.items():
        if key == "name" and ours.name != theirs.name:
            # Keras numbers repeated default names in a session (mean_io_u_1, ...).
            assert value.startswith(ours.name), (ours.name, value)
            continue
        assert ours_config[key] == value, (key, ours_config[key], value)
    assert type(ours).from_config(ours_config).get_config() == ours_config


# ---------------------------------------------------------------- top-k

@pytest.mark.parametrize("c", [3, 10, 33])
@pytest.mark.parametrize("ties", [False, True])
def test_categorical_accuracies(keras, c, ties):
    """The column-wise arg-max in blocks of rows: batches larger than two
    blocks, a short last block, ties (the first maximum wins), soft and
    all-zero label rows; the functions and the stateful metrics."""
    rng = np.random.default_rng(c + 7 * ties)
    n = 2 * (accuracy_module._TOPK_BLOCK_ELEMENTS // c) + 41
    p = scores(rng, n, c, ties)
    t = onehot(rng, n, c)
    t[:20] = rng.uniform(0, 1, (20, c)).astype(np.float32)
    t[20:30] = 0
    labels = np.argmax(t, axis=1).astype(np.float32)
    np.testing.assert_array_equal(M.categorical_accuracy(t, p), keras.metrics.categorical_accuracy(t, p))
    np.testing.assert_array_equal(M.sparse_categorical_accuracy(labels, p), keras.metrics.sparse_categorical_accuracy(labels, p))
    w = rng.uniform(0, 2, n).astype(np.float32)
    run_stream(M.CategoricalAccuracy(), keras.metrics.CategoricalAccuracy(), [(t, p, w), (t[:50], p[:50], None), (t, p, None)])
    run_stream(M.SparseCategoricalAccuracy(), keras.metrics.SparseCategoricalAccuracy(), [(labels, p, w), (labels[:50], p[:50], None), (labels, p, None)])


TOPK = [dict(k=1), dict(k=3), dict(), dict(k=10), dict(k=12)]


@pytest.mark.parametrize("options", TOPK, ids=str)
@pytest.mark.parametrize("ties", [False, True])
def test_top_k_categorical_accuracy(keras, small_blocks, options, ties):
    rng = np.random.default_rng(1)
    batches = [(onehot(rng, n, 10), scores(rng, n, 10, ties), weights(rng, n, i)) for i, n in enumerate([300, 257, 64, 101])]
    ours, theirs = M.TopKCategoricalAccuracy(**options), keras.metrics.TopKCategoricalAccuracy(**options)
    run_stream(ours, theirs, batches)
    assert_config_matches(ours, theirs)
    t, p, _ = batches[0]
    np.testing.assert_array_equal(M.top_k_categorical_accuracy(t, p, **options), keras.metrics.top_k_categorical_accuracy(t, p, **options))


def test_top_k_soft_and_three_d_labels(keras, small_blocks):
    """Labels that are not one-hot (the arg-max path) and (batch, time, classes) inputs."""
    rng = np.random.default_rng(2)
    t = rng.uniform(0, 1, (40, 7, 6)).astype(np.float32)
    p = scores(rng, 40, 42, ties=True).reshape(40, 7, 6)
    for k in (1, 2, 6):
        np.testing.assert_array_equal(M.top_k_categorical_accuracy(t, p, k=k), keras.metrics.top_k_categorical_accuracy(t, p, k=k))
    w = rng.uniform(0, 2, 40).astype(np.float32)
    run_stream(M.TopKCategoricalAccuracy(k=2), keras.metrics.TopKCategoricalAccuracy(k=2), [(t, p, w), (t[:9], p[:9], None), (t, p, None)])


@pytest.mark.parametrize("options", TOPK + [dict(k=2, from_sorted_ids=True), dict(from_sorted_ids=True)], ids=str)
@pytest.mark.parametrize("label_shape", ["flat", "column"])
def test_sparse_top_k_categorical_accuracy(keras, small_blocks, options, label_shape):
    rng = np.random.default_rng(3)
    batches = []
    for i, n in enumerate([300, 257, 64, 101]):
        labels = rng.integers(0, 10, n)
        p = scores(rng, n, 10, ties=True)
        if options.get("from_sorted_ids"):
            p = np.argsort(-p, axis=1, kind="stable")[:, :7].astype(np.float32)
        t = labels.astype(np.float32)
        if label_shape == "column":
            t = t[:, None]
        batches.append((t, p, weights(rng, n, i)))
    ours, theirs = M.SparseTopKCategoricalAccuracy(**options), keras.metrics.SparseTopKCategoricalAccuracy(**options)
    run_stream(ours, theirs, batches)
    assert_config_matches(ours, theirs)
    t, p, _ = batches[0]
    np.testing.assert_array_equal(
        M.sparse_top_k_categorical_accuracy(t, p, **options), keras.metrics.sparse_top_k_categorical_accuracy(t, p, **options)
    )


def test_top_k_beyond_the_block_size(keras):
    """One batch of several default-sized blocks."""
    rng = np.random.default_rng(4)
    n = accuracy_module._TOPK_BLOCK_ELEMENTS // 10 * 3 + 17
    t, p = onehot(rng, n, 10), scores(rng, n, 10, ties=True)
    labels = np.argmax(t, axis=1)
    np.testing.assert_array_equal(M.top_k_categorical_accuracy(t, p, k=3), keras.metrics.top_k_categorical_accuracy(t, p, k=3))
    np.testing.assert_array_equal(
        M.sparse_top_k_categorical_accuracy(labels, p, k=3), keras.metrics.sparse_top_k_categorical_accuracy(labels, p, k=3)
    )

    # Wider rows than the column-wise count serves: the whole-block comparison.
    c = accuracy_module._TOPK_MAX_COLUMNS + 8
    n = accuracy_module._TOPK_BLOCK_ELEMENTS // c * 2 + 17
    t, p = onehot(rng, n, c), scores(rng, n, c, ties=True)
    for k in (1, 5):
        np.testing.assert_array_equal(M.top_k_categorical_accuracy(t, p, k=k), keras.metrics.top_k_categorical_accuracy(t, p, k=k))
        np.testing.assert_array_equal(
            M.sparse_top_k_categorical_accuracy(np.argmax(t, axis=1), p, k=k),
            keras.metrics.sparse_top_k_categorical_accuracy(np.argmax(t, axis=1), p, k=k),
        )


# ---------------------------------------------------------------- regression


def regression_batches(rng, d=3, sizes=(200, 57, 31, 90), weight_kind="samples"):
    out = []
    for i, n in enumerate(sizes):
        t = rng.normal(1.0, 2.0, (n, d)).astype(np.float32)
        p = (t + rng.normal(0, 1.0, (n, d))).astype(np.float32)
        if weight_kind == "elements" and i % 2 == 0:
            w = rng.uniform(0, 2, (n, d)).astype(np.float32)
        else:
            w = weights(rng, n, i)
        out.append((t, p, w))
    return out


@pytest.mark.parametrize("blocks", ["default", "small"])
def test_root_mean_squared_error(keras, request, blocks):
    """One block per batch, then blocks of a few rows (each weighted block must
    take its own rows' weights)."""
    if blocks == "small":
        request.getfixturevalue("small_blocks")
    rng = np.random.default_rng(5)
    ours, theirs = M.RootMeanSquaredError(), keras.metrics.RootMeanSquaredError()
    run_stream(ours, theirs, regression_batches(rng))
    assert_config_matches(ours, theirs)


@pytest.mark.parametrize("d", [1, 3])
def test_root_mean_squared_error_blocks_of_whole_runs(keras, monkeypatch, d):
    """Blocks of 8192 values, at least one float32 run (4096 values): the
    unweighted sums go through _sums.add_column_sums, the weighted ones through
    each sample's row sum (d=3) or the values themselves (d=1, 1-D targets); a
    batch's last block, smaller than a run, takes one reduction."""
    monkeypatch.setattr(regression_module, "_R2_BLOCK_ELEMENTS", 8192)
    rng = np.random.default_rng(17)
    batches = regression_batches(rng, d=d, sizes=(20000, 9000, 13001, 5000))
    if d == 1:
        batches = [(t[:, 0], p[:, 0], w) for t, p, w in batches]
    run_stream(M.RootMeanSquaredError(), keras.metrics.RootMeanSquaredError(), batches)


@pytest.mark.parametrize("class_aggregation", ["uniform_average", "variance_weighted_average", None])
@pytest.mark.parametrize("num_regressors", [0, 3])
@pytest.mark.parametrize("weight_kind", ["samples", "elements"])
def test_r2_score(keras, small_blocks, class_aggregation, num_regressors, weight_kind):
    rng = np.random.default_rng(6)
    options = dict(class_aggregation=class_aggregation, num_regressors=num_regressors)
    ours, theirs = M.R2Score(**options), keras.metrics.R2Score(**options)
    # float32 sums in Keras vs float64 here: agreement to a few float32 ulps of the sums
    run_stream(ours, theirs, regression_batches(rng, weight_kind=weight_kind), rtol=2e-5, atol=2e-6)
    assert_config_matches(ours, theirs)


@pytest.mark.parametrize("weight_kind", ["samples", "elements"])
def test_r2_score_float32_runs(keras, weight_kind):
    """Batches large enough for R2Score's float32 runs of 16 regrouped rows
    (metrics/_sums.py: 25 rows of 10 values make one regrouped row, so 2000
    rows give 80) with per-row and per-value weights, with remainders."""
    rng = np.random.default_rng(16)
    ours, theirs = M.R2Score(class_aggregation=None), keras.metrics.R2Score(class_aggregation=None)
    batches = regression_batches(rng, d=10, sizes=(2000, 1013, 417, 1600), weight_kind=weight_kind)
    run_stream(ours, theirs, batches, rtol=2e-5, atol=2e-6)


def test_r2_score_adjusted_fallback_warns_as_keras(keras):
    t, p = np.array([[1.0], [2.0], [4.0]], np.float32), np.array([[1.5], [2.0], [3.0]], np.float32)
    for num_regressors in (2, 5):  # == n - 1 and > n - 1
        ours, theirs = M.R2Score(num_regressors=num_regressors), keras.metrics.R2Score(num_regressors=num_regressors)
        ours.update_state(t, p)
        theirs.update_state(t, p)
        with pytest.warns(UserWarning, match="Falling back to standard R2"):
            value = ours.result()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            np.testing.assert_allclose(value, np.asarray(theirs.result()), rtol=1e-6)


def test_r2_score_one_sample_is_keras_behaviour(keras):
    """Fewer than two samples: Keras' numbers (0 where SS_res > 0, NaN where it is 0), not an error."""
    t, p = np.array([[1.0, 2.0]], np.float32), np.array([[3.0, 2.0]], np.float32)
    ours, theirs = M.R2Score(class_aggregation=None), keras.metrics.R2Score(class_aggregation=None)
    ours.update_state(t, p)
    theirs.update_state(t, p)
    np.testing.assert_array_equal(ours.result(), np.asarray(theirs.result()))


@pytest.mark.parametrize("cls_name", ["PearsonCorrelation", "ConcordanceCorrelation"])
@pytest.mark.parametrize("axis", [-1, 0])
def test_correlations(keras, cls_name, axis):
    rng = np.random.default_rng(7)
    batches = regression_batches(rng, d=6, sizes=(40, 23, 9, 31))
    if axis == 0:  # per-column values: sample weights do not apply
        batches = [(t, p, None) for t, p, _ in batches]
    ours, theirs = getattr(M, cls_name)(axis=axis), getattr(keras.metrics, cls_name)(axis=axis)
    run_stream(ours, theirs, batches, rtol=1e-5, atol=1e-6)
    assert_config_matches(ours, theirs)
    fn = "pearson_correlation" if cls_name == "PearsonCorrelation" else "concordance_correlation"
    t, p, _ = batches[0]
    np.testing.assert_allclose(getattr(M, fn)(t, p, axis=axis), getattr(keras.metrics, fn)(t, p, axis=axis), rtol=1e-5, atol=1e-6)


def test_pearson_of_a_constant_row_is_nan_as_keras(keras):
    t, p = [[1.0, 1.0, 1.0], [0.0, 1.0, 2.0]], [[1.0, 2.0, 3.0], [0.0, 1.0, 2.5]]
    np.testing.assert_allclose(M.pearson_correlation(t, p), keras.metrics.pearson_correlation(t, p), rtol=1e-6)
    assert np.isnan(M.pearson_correlation(t, p)[0])


# ---------------------------------------------------------------- IoU


def iou_batches(rng, c, sizes=(300, 257, 64, 101), sparse_true=True, sparse_pred=True, shape=(), out_of_range=True, fractional=False):
    out = []
    for i, n in enumerate(sizes):
        labels = rng.integers(0, c, (n, *shape))
        if out_of_range:
            labels = np.where(rng.uniform(size=labels.shape) < 0.1, rng.choice([-1, c, 255], size=labels.shape), labels)
        t = labels.astype(np.float32) if sparse_true else np.eye(c, dtype=np.float32)[labels.clip(0, c - 1)]
        if sparse_pred:
            p = rng.uniform(-0.5, c + 0.3, (n, *shape)).astype(np.float32)  # truncated to ids, some out of range
        else:
            p = scores(rng, n * int(np.prod(shape, dtype=int)), c).reshape(n, *shape, c)
        if i % 2:
            w = None
        elif fractional:
            w = rng.uniform(0, 3, n).astype(np.float32)
        else:
            w = rng.integers(0, 4, n).astype(np.float32)
        if w is not None and shape:
            w = np.broadcast_to(w.reshape(n, *(1,) * len(shape)), (n, *shape)).copy()
        out.append((t, p, w))
    return out


IOU_CASES = [
    ("IoU", dict(num_classes=4, target_class_ids=[0, 2]), {}),
    ("IoU", dict(num_classes=4, target_class_ids=[3], ignore_class=1), {}),
    ("IoU", dict(num_classes=4, target_class_ids=[1, 2], sparse_y_pred=False), dict(sparse_pred=False)),
    ("IoU", dict(num_classes=3, target_class_ids=[0, 1, 2], sparse_y_true=False, sparse_y_pred=False), dict(sparse_true=False, sparse_pred=False, out_of_range=False)),
    ("MeanIoU", dict(num_classes=5), {}),
    ("MeanIoU", dict(num_classes=5, ignore_class=0, dtype="float32"), dict(fractional=True)),
    ("MeanIoU", dict(num_classes=4, sparse_y_pred=False), dict(sparse_pred=False, shape=(3, 2))),
    ("MeanIoU", dict(num_classes=4, dtype="float32"), dict(shape=(5,), fractional=True)),
    ("OneHotIoU", dict(num_classes=4, target_class_ids=[0, 3]), dict(sparse_true=False, sparse_pred=False, out_of_range=False)),
    ("OneHotIoU", dict(num_classes=4, target_class_ids=[1], sparse_y_pred=True), dict(sparse_true=False, out_of_range=False)),
    ("OneHotMeanIoU", dict(num_classes=4), dict(sparse_true=False, sparse_pred=False, out_of_range=False)),
    ("OneHotMeanIoU", dict(num_classes=4, ignore_class=2, dtype="float32"), dict(sparse_true=False, sparse_pred=False, out_of_range=False, fractional=True)),
]


@pytest.mark.parametrize("cls_name,options,data", IOU_CASES, ids=[f"{c}-{o}" for c, o, _ in IOU_CASES])
@pytest.mark.parametrize("blocks", ["small", "default"])
def test_iou_family(keras, monkeypatch, cls_name, options, data, blocks):
    if blocks == "small":
        monkeypatch.setattr(iou_module, "_BLOCK", 41)
        monkeypatch.setattr(iou_module, "_SCORE_BLOCK_ELEMENTS", 41 * options["num_classes"])
    rng = np.random.default_rng(8)
    batches = iou_batches(rng, options["num_classes"], **data)
    ours, theirs = getattr(M, cls_name)(**options), getattr(keras.metrics, cls_name)(**options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras' float-weights-with-int-dtype warning
        run_stream(ours, theirs, batches)
    assert ours.result().dtype == np.asarray(theirs.result()).dtype == np.float32
    assert_config_matches(ours, theirs)


@pytest.mark.parametrize("options", [dict(), dict(target_class_ids=[1], threshold=0.3), dict(target_class_ids=[0], threshold=0.7, dtype="float32")], ids=str)
def test_binary_iou(keras, small_blocks, options):
    rng = np.random.default_rng(9)
    batches = []
    for i, n in enumerate([300, 257, 64, 101]):
        t = rng.integers(0, 2, (n, 1)).astype(np.float32)
        p = rng.uniform(0, 1, (n, 1)).astype(np.float32)
        w = None if i % 2 else (rng.uniform(0, 2, n) if options.get("dtype") else rng.integers(0, 3, n)).astype(np.float32)
        batches.append((t, p, w))
    ours, theirs = M.BinaryIoU(**options), keras.metrics.BinaryIoU(**options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_stream(ours, theirs, batches)
    assert_config_matches(ours, theirs)


def test_iou_truncates_fractional_weights_as_keras(keras):
    """Keras' default integer dtype truncates 0.7 to 0 and 1.5 to 1; so do we, with a warning."""
    t, p, w = [0, 1, 2, 1], [0, 1, 1, 2], np.array([0.7, 1.5, 1.0, 1.0], np.float32)
    ours, theirs = M.IoU(3, [0, 1]), keras.metrics.IoU(3, [0, 1])
    with pytest.warns(UserWarning, match="truncated"):
        ours.update_state(t, p, sample_weight=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs.update_state(t, p, sample_weight=w)
    np.testing.assert_array_equal(ours.variables["total_confusion_matrix"], np.asarray(theirs.total_cm))
    assert ours.result() == np.asarray(theirs.result())


def test_iou_beyond_the_block_size(keras):
    rng = np.random.default_rng(10)
    n = iou_module._BLOCK * 3 + 1234
    t = rng.integers(-1, 6, n).astype(np.float32)
    p = rng.integers(0, 6, n).astype(np.float32)
    ours, theirs = M.MeanIoU(5, ignore_class=2), keras.metrics.MeanIoU(5, ignore_class=2)
    ours.update_state(t, p)
    theirs.update_state(t, p)
    np.testing.assert_array_equal(ours.variables["total_confusion_matrix"], np.asarray(theirs.total_cm))
    np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=RTOL)


@pytest.mark.parametrize("ties", [False, True])
def test_iou_fast_paths_beyond_the_block_size(keras, ties):
    """Several default-sized blocks through the fast paths: ids all in range
    (the float key, truncated; with ignore_class), the running arg-max of
    scores (ties: the first maximum) and of one-hot labels; the last block
    short enough for np.argmax."""
    rng = np.random.default_rng(12)
    c = 6
    n = max(iou_module._BLOCK, iou_module._SCORE_BLOCK_ELEMENTS // c) * 2 + argmax_module.MIN_ROWS // 2
    labels = rng.integers(0, c, n)
    p = scores(rng, n, c, ties)
    ids_t = rng.uniform(-0.9, c - 0.01, n).astype(np.float32)  # truncated to 0..c-1: all kept
    ids_p = rng.integers(0, c, n).astype(np.float32)
    w = rng.integers(0, 3, n).astype(np.float32)
    cases = [
        (M.MeanIoU(c), keras.metrics.MeanIoU(c), ids_t, ids_p),
        (M.MeanIoU(c, ignore_class=3), keras.metrics.MeanIoU(c, ignore_class=3), ids_t, ids_p),
        (M.IoU(c, [0, 2], sparse_y_pred=False), keras.metrics.IoU(c, [0, 2], sparse_y_pred=False), labels, p),
        (M.OneHotMeanIoU(c), keras.metrics.OneHotMeanIoU(c), np.eye(c, dtype=np.float32)[labels], p),
        (M.OneHotMeanIoU(c, ignore_class=1), keras.metrics.OneHotMeanIoU(c, ignore_class=1), np.eye(c, dtype=np.float32)[labels], p),
        (M.MeanIoU(c, sparse_y_pred=False), keras.metrics.MeanIoU(c, sparse_y_pred=False), labels.reshape(-1, 2), p.reshape(-1, 2, c)),
    ]
    for ours, theirs, t, q in cases:
        for weights_ in (None, w):
            if weights_ is not None and t.ndim == 2 and t.shape[1] == 2:
                weights_ = weights_.reshape(-1, 2)
            ours.reset_state()
            theirs.reset_state()
            ours.update_state(t, q, sample_weight=weights_)
            theirs.update_state(t, q, sample_weight=weights_)
            np.testing.assert_array_equal(ours.variables["total_confusion_matrix"], np.asarray(theirs.total_cm))
            np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=RTOL)


# ---------------------------------------------------------------- dtype policies


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16", "bfloat16"])
def test_dtype_policies(keras, policy):
    """Keras computes a metric in its policy's compute dtype: float16 for
    mixed_float16 (as we do); bfloat16 for the others, which NumPy lacks, so
    we compute in float32: equal to Keras' to bfloat16's precision."""
    rng = np.random.default_rng(11)
    batches = regression_batches(rng, d=4, sizes=(20, 13, 7))
    for cls_name in ("RootMeanSquaredError", "MeanSquaredError", "TopKCategoricalAccuracy"):
        ours, theirs = getattr(M, cls_name)(dtype=policy), getattr(keras.metrics, cls_name)(dtype=policy)
        data = batches if cls_name != "TopKCategoricalAccuracy" else [(onehot(rng, 20, 4), scores(rng, 20, 4), None)] * 3
        run_stream(ours, theirs, data, rtol=2e-2, atol=2e-2)
        expected = "float16" if policy == "mixed_float16" else "float32"
        assert ours.dtype == expected and np.asarray(ours.result()).dtype == np.dtype(expected)
        if policy == "mixed_float16":
            assert ours.get_config() == theirs.get_config()
    # A serialized DTypePolicy (what Keras 3 writes in configs) is accepted too.
    serialized = keras.saving.serialize_keras_object(keras.DTypePolicy(policy))
    assert M.R2Score(dtype=serialized).dtype == ("float16" if policy == "mixed_float16" else "float32")
    # ... and so is a DTypePolicy object (read by duck typing, without importing Keras).
    assert M.MeanIoU(3, dtype=keras.DTypePolicy(policy)).dtype == ("float16" if policy == "mixed_float16" else "float32")
    assert M.RootMeanSquaredError(dtype=keras.DTypePolicy(policy)).dtype == ("float16" if policy == "mixed_float16" else "float32")


# ---------------------------------------------------------------- compile-style


def identity_model(keras, n_features):
    inp = keras.Input((n_features,))
    return keras.Model(inp, keras.layers.Identity(name="out")(inp))


def assert_same(ours, theirs, rtol=2e-5, atol=2e-6):
    assert set(ours) == set(theirs), (ours, theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=rtol, atol=atol, err_msg=key)


def classification_data(seed=0, n=157, c=6):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, c, n)
    p = scores(rng, n, c, ties=True) + 0.01
    p /= p.sum(axis=1, keepdims=True)
    return labels, np.eye(c, dtype=np.float32)[labels], p.astype(np.float32), rng.uniform(0, 2, n).astype(np.float32)


def compile_cases(keras):
    return {
        "image_classification": (
            dict(
                loss="categorical_crossentropy",
                metrics=["accuracy", "top_k_categorical_accuracy", keras.metrics.TopKCategoricalAccuracy(k=2, name="top2"), keras.metrics.OneHotMeanIoU(num_classes=6, name="miou")],
                weighted_metrics=[keras.metrics.OneHotIoU(6, [0, 2], name="iou02", dtype="float32"), "top_k_categorical_accuracy"],
            ),
            "onehot",
        ),
        "sparse": (
            dict(
                loss="sparse_categorical_crossentropy",
                metrics=["sparse_top_k_categorical_accuracy", keras.metrics.SparseTopKCategoricalAccuracy(k=2, name="top2"), keras.metrics.MeanIoU(6, sparse_y_pred=False, name="miou")],
                weighted_metrics=[keras.metrics.IoU(6, [1, 3], sparse_y_pred=False, name="iou13", dtype="float32")],
            ),
            "sparse",
        ),
        "regression": (
            dict(
                loss="mse",
                metrics=[keras.metrics.RootMeanSquaredError(), keras.metrics.R2Score(), "mae", "r2_score", "root_mean_squared_error"],
                weighted_metrics=[keras.metrics.PearsonCorrelation(), keras.metrics.ConcordanceCorrelation(), keras.metrics.R2Score(class_aggregation="variance_weighted_average", name="r2w")],
            ),
            "regression",
        ),
    }


def case_data(kind):
    labels, y, p, w = classification_data()
    if kind == "onehot":
        return y, p, w
    if kind == "sparse":
        return labels, p, w
    rng = np.random.default_rng(3)
    t = rng.normal(size=p.shape).astype(np.float32)
    return t, (t + rng.normal(scale=0.5, size=p.shape)).astype(np.float32), w


@pytest.mark.parametrize("case", ["image_classification", "sparse", "regression"])
@pytest.mark.parametrize("weighted", [False, True])
def test_compile_configs_match_model_evaluate(keras, case, weighted):
    config, kind = compile_cases(keras)[case]
    y, p, w = case_data(kind)
    model = identity_model(keras, p.shape[1])
    model.compile(**config)
    sw = w if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = model.evaluate(p, y, batch_size=16, sample_weight=sw, return_dict=True, verbose=0)
    compile_config = json.loads(json.dumps(model.get_compile_config()))  # as saved in a file
    ours = Evaluator.from_config(compile_config).evaluate(y, p, sample_weight=sw, batch_size=16)
    assert_same(ours, theirs)


def test_keras_file_and_cli(keras, tmp_path, capsys):
    config, _ = compile_cases(keras)["regression"]
    y, p, w = case_data("regression")
    model = identity_model(keras, p.shape[1])
    model.compile(**config)
    theirs = model.evaluate(p, y, batch_size=32, sample_weight=w, return_dict=True, verbose=0)
    model.save(tmp_path / "model.keras")
    np.save(tmp_path / "y.npy", y)
    np.save(tmp_path / "p.npy", p)
    np.save(tmp_path / "w.npy", w)
    code = main(["evaluate", "--config", str(tmp_path / "model.keras"), "--y-true", str(tmp_path / "y.npy"),
                 "--y-pred", str(tmp_path / "p.npy"), "--sample-weight", str(tmp_path / "w.npy"), "--format", "json", "--no-progress"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert_same(json.loads(out), theirs)


def test_cli_metric_names(keras, tmp_path, capsys):
    labels, y, p, w = classification_data(2)
    model = identity_model(keras, p.shape[1])
    model.compile(loss="categorical_crossentropy", metrics=["top_k_categorical_accuracy", "accuracy"])
    theirs = model.evaluate(p, y, batch_size=32, return_dict=True, verbose=0)
    np.save(tmp_path / "y.npy", y)
    np.save(tmp_path / "p.npy", p)
    code = main(["evaluate", "--loss", "categorical_crossentropy", "--metrics", "top_k_categorical_accuracy,accuracy",
                 "--y-true", str(tmp_path / "y.npy"), "--y-pred", str(tmp_path / "p.npy"), "--format", "json", "--no-progress"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert_same(json.loads(out), theirs)
