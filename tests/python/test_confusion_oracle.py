"""Differential tests of the confusion-matrix metrics and F-scores against Keras 3
(the test-time oracle): several weighted batches with random options, then
``reset_state()`` and another batch. Batches hold more values than one chunk of
the bucketing code (``_confusion_utils.CHUNK``), so every fast path is crossed.
Expected numbers: Keras at test time."""

import json

import numpy as np
import pytest

import rkeraslosses.metrics as rm
from rkeraslosses.metrics import _confusion_utils as cu

pytestmark = pytest.mark.oracle

BIG = cu.CHUNK + 4321  # more values than one chunk


def scores(rng, shape):
    """Uniform scores mixed with ties on round values (0.5, 0.25, ...), and exact 0 and 1."""
    p = rng.uniform(0, 1, shape)
    rounded = np.round(p * 4) / 4
    p = np.where(rng.uniform(size=shape) < 0.2, rounded, p)
    return p.astype(np.float32)


def labels(rng, p, noise=0.35):
    return (rng.uniform(size=p.shape) < np.clip(p + rng.normal(0, noise, p.shape), 0, 1)).astype(np.float32)


def to_numpy(x):
    return np.asarray(x, dtype=np.float64)


def assert_close(ours, theirs, what, rtol=2e-5, atol=1e-5):
    ours, theirs = to_numpy(ours), to_numpy(theirs)
    assert ours.shape == theirs.shape, (what, ours.shape, theirs.shape)
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, err_msg=what)


def same_config(ours, theirs):
    a, b = ours.get_config(), theirs.get_config()
    assert set(a) == set(b), (a, b)
    for key in b:
        if key == "label_weights" and b[key] is not None:
            np.testing.assert_allclose(np.asarray(a[key]), np.asarray(b[key]))
        elif key == "dtype":
            assert a[key] == (b[key] if isinstance(b[key], str) else b[key]["config"]["name"])
        elif key == "name":
            continue  # Keras uniquifies default names with a global counter (auc, auc_1, ...)
        else:
            assert a[key] == b[key], (key, a[key], b[key])


def weight_total(batches):
    def total(p, w):
        if w is None:
            return p.size
        w = np.asarray(w)
        if w.ndim and w.ndim < p.ndim:
            w = w.reshape(w.shape + (1,) * (p.ndim - w.ndim))  # one weight per sample
        return float(np.sum(np.broadcast_to(w, p.shape)))

    return sum(total(p, w) for _, p, w in batches)


def run_both(keras, cls_name, options, batches, after_reset, rtol=2e-5, atol=1e-5, count_scale=None):
    """``count_scale``: for counts, Keras' float32 sums (and ``tn = total - fp``)
    are off by about 1e-7 of the total weight; we sum in float64, so the
    tolerance is relative to the total weight seen."""
    ours = getattr(rm, cls_name)(**options)
    theirs = getattr(keras.metrics, cls_name)(**options)
    same_config(ours, theirs)
    for i, (t, p, w) in enumerate(batches):
        ours.update_state(t, p, sample_weight=w)
        theirs.update_state(t, p, sample_weight=w)
        tol = atol if count_scale is None else max(atol, count_scale * weight_total(batches[: i + 1]))
        assert_close(ours.result(), theirs.result(), f"{cls_name}{options} after batch {i}", rtol, tol)
    ours.reset_state()
    theirs.reset_state()
    t, p, w = after_reset
    ours.update_state(t, p, sample_weight=w)
    theirs.update_state(t, p, sample_weight=w)
    tol = atol if count_scale is None else max(atol, count_scale * weight_total([after_reset]))
    assert_close(ours.result(), theirs.result(), f"{cls_name}{options} after reset", rtol, tol)
    assert ours.result().dtype == np.dtype(options.get("dtype") or "float32")
    # the config rebuilds an equal metric
    again = type(ours).from_config(ours.get_config())
    assert again.get_config() == ours.get_config()


def batches_1d(rng, sizes, weight_kind):
    out = []
    for n in sizes:
        p = scores(rng, (n,))
        t = labels(rng, p)
        w = None if weight_kind is None else rng.uniform(0, 2, n).astype(np.float32)
        out.append((t, p, w))
    return out


def batches_2d(rng, sizes, cols, weight_kind):
    out = []
    for n in sizes:
        p = scores(rng, (n, cols))
        t = labels(rng, p)
        if weight_kind is None:
            w = None
        elif weight_kind == "sample":
            w = rng.uniform(0, 2, n).astype(np.float32)
        else:
            w = rng.uniform(0, 2, (n, cols)).astype(np.float32)
        out.append((t, p, w))
    return out


THRESHOLD_CHOICES = [None, 0.3, 0.5, [0.1, 0.5, 0.9], [0.0, 0.5, 1.0], [0.9, 0.2, 0.55, 0.0, 1.0], [i / 10 for i in range(11)], [0.25, 0.25, 0.75]]


@pytest.mark.parametrize("cls_name", ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"])
@pytest.mark.parametrize("thresholds", THRESHOLD_CHOICES, ids=str)
def test_condition_counts(keras, cls_name, thresholds):
    rng = np.random.default_rng(abs(hash((cls_name, str(thresholds)))) % 2**32)
    weighted = rng.uniform() < 0.5
    batches = batches_1d(rng, [BIG, 17, 1000], "w" if weighted else None)
    after = batches_2d(rng, [300], 3, "element")[0]
    run_both(keras, cls_name, {"thresholds": thresholds}, batches, after, rtol=1e-5, atol=1e-3, count_scale=1e-5)


PR_OPTIONS = [
    {},
    {"thresholds": [0.2, 0.5, 0.8]},
    {"thresholds": [0.0, 0.5, 1.0]},
    {"thresholds": [0.9, 0.1, 0.4]},
    {"top_k": 1},
    {"top_k": 2},
    {"top_k": 2, "thresholds": 0.4},
    {"class_id": 0},
    {"class_id": 3, "thresholds": [0.3, 0.6]},
    {"top_k": 2, "class_id": 1},
    {"thresholds": [i / 20 for i in range(21)]},
]


@pytest.mark.parametrize("cls_name", ["Precision", "Recall"])
@pytest.mark.parametrize("options", PR_OPTIONS, ids=str)
@pytest.mark.parametrize("weights", [None, "sample", "element"])
def test_precision_recall(keras, cls_name, options, weights):
    rng = np.random.default_rng(7)
    batches = batches_2d(rng, [BIG // 4 + 7, 5, 300], 4, weights)
    after = batches_2d(rng, [BIG // 4 + 1], 4, weights)[0]
    if weights == "element" and options.get("class_id") is not None:
        # Keras cannot broadcast per-value weights once class_id has picked a
        # column; we pick the same column of the weights: that equals Keras given
        # that column as per-sample weights.
        c = options["class_id"]
        ours = getattr(rm, cls_name)(**options)
        theirs = getattr(keras.metrics, cls_name)(**options)
        for t, p, w in batches:
            ours.update_state(t, p, sample_weight=w)
            theirs.update_state(t, p, sample_weight=w[:, c])
        assert_close(ours.result(), theirs.result(), f"{cls_name}{options} element weights")
        return
    run_both(keras, cls_name, options, batches, after)


def test_precision_recall_1d_large(keras):
    rng = np.random.default_rng(8)
    for cls_name in ("Precision", "Recall"):
        run_both(keras, cls_name, {}, batches_1d(rng, [BIG, 3 * BIG], "w"), batches_1d(rng, [BIG], None)[0])


XY = [("PrecisionAtRecall", "recall"), ("RecallAtPrecision", "precision"), ("SensitivityAtSpecificity", "specificity"), ("SpecificityAtSensitivity", "sensitivity")]


@pytest.mark.parametrize("cls_name,arg", XY)
@pytest.mark.parametrize("num_thresholds", [1, 2, 3, 50, 200])
@pytest.mark.parametrize("class_id", [None, 2])
def test_x_at_y(keras, cls_name, arg, num_thresholds, class_id):
    rng = np.random.default_rng(num_thresholds * 10 + (class_id or 0))
    value = float(rng.uniform(0.2, 0.9))
    options = {arg: value, "num_thresholds": num_thresholds, "class_id": class_id}
    if class_id is None:
        batches, after = batches_1d(rng, [BIG, 250], "w"), batches_1d(rng, [400], "w")[0]
    else:
        batches, after = batches_2d(rng, [BIG // 3, 250], 3, "sample"), batches_2d(rng, [400], 3, None)[0]
    run_both(keras, cls_name, options, batches, after, rtol=1e-4, atol=1e-5)


AUC_OPTIONS = [
    {},
    {"num_thresholds": 2},
    {"num_thresholds": 3},
    {"num_thresholds": 50, "summation_method": "minoring"},
    {"summation_method": "majoring"},
    {"curve": "PR"},
    {"curve": "PR", "summation_method": "minoring"},
    {"curve": "PR", "summation_method": "majoring", "num_thresholds": 20},
    {"curve": "PRGAIN"},
    {"curve": "PRGAIN", "summation_method": "majoring"},
    {"thresholds": [0.1, 0.5, 0.3, 0.8]},
    {"thresholds": [0.25, 0.5, 0.75]},
    {"thresholds": [0.25, 0.5, 0.75], "curve": "PR"},
    {"from_logits": True},
    {"from_logits": True, "curve": "PR"},
    {"label_weights": [1.0, 2.0, 0.5]},
    {"multi_label": True},
    {"multi_label": True, "num_labels": 3, "curve": "PR"},
    {"multi_label": True, "label_weights": [1.0, 2.0, 0.5], "summation_method": "minoring"},
    {"multi_label": True, "thresholds": [0.3, 0.6, 0.1]},
    {"multi_label": True, "from_logits": True, "curve": "PRGAIN"},
]


@pytest.mark.parametrize("options", AUC_OPTIONS, ids=str)
@pytest.mark.parametrize("weights", [None, "sample", "element"])
def test_auc(keras, options, weights):
    rng = np.random.default_rng(11)
    batches = batches_2d(rng, [BIG // 3 + 5, 9, 700], 3, weights)
    after = batches_2d(rng, [500], 3, weights)[0]
    if options.get("from_logits"):
        batches = [(t, (p * 8 - 4).astype(np.float32), w) for t, p, w in batches]
        after = (after[0], (after[1] * 8 - 4).astype(np.float32), after[2])
    run_both(keras, "AUC", options, batches, after, rtol=1e-4, atol=2e-5)


def test_auc_1d_large(keras):
    rng = np.random.default_rng(12)
    for options in ({}, {"curve": "PR"}, {"num_thresholds": 1000}):
        run_both(keras, "AUC", options, batches_1d(rng, [BIG, 2 * BIG], "w"), batches_1d(rng, [BIG], None)[0], rtol=1e-4, atol=2e-5)


@pytest.mark.parametrize(
    "cls_name,options",
    [("AUC", {}), ("AUC", {"curve": "PR", "thresholds": [0.1, 0.5, 0.7]}), ("Precision", {}), ("Recall", {"thresholds": [0.2, 0.5, 0.7]}), ("TruePositives", {}), ("SensitivityAtSpecificity", {"specificity": 0.5})],
    ids=str,
)
@pytest.mark.parametrize("weighted", [False, True])
def test_float64_data_to_float32_metrics(keras, cls_name, options, weighted):
    """R's doubles: float64 scores (some just off a threshold or bucket edge,
    which the float32 cast moves onto it), labels and weights, row- and
    column-major, over several chunks; both cast to the metric's float32."""
    rng = np.random.default_rng(21)

    def batch(shape, order):
        p = scores(rng, shape).astype(np.float64)
        near = rng.uniform(size=shape) < 0.2
        edge = np.round(p * 199) / 199
        p = np.where(near, np.clip(edge + rng.choice([-1, 1], shape) * rng.uniform(0, 3e-8, shape), 0, 1), p)
        p[np.unravel_index(rng.integers(0, p.size, 50), shape)] = 0.5 + 1e-9
        t = labels(rng, p.astype(np.float32)).astype(np.float64)
        w = rng.uniform(0, 2, shape[0]) * (1 + 1e-9) if weighted else None
        return np.asarray(t, order=order), np.asarray(p, order=order), w

    batches = [batch((BIG,), "C"), batch((BIG // 3 + 5, 3), "F"), batch((700, 3), "C")]
    run_both(keras, cls_name, options, batches, batch((BIG // 2, 2), "F"), rtol=1e-4, atol=1e-3, count_scale=1e-5)


def test_predictions_outside_unit_interval(keras):
    """Keras clips in its evenly-spaced path and compares raw values otherwise."""
    rng = np.random.default_rng(13)
    p = rng.normal(0.5, 0.8, 5000).astype(np.float32)
    t = labels(rng, np.clip(p, 0, 1))
    for cls_name, options in (("AUC", {}), ("AUC", {"thresholds": [0.2, 0.7, 0.4]}), ("Precision", {"thresholds": [0.0, 0.5, 1.0]}), ("Recall", {"thresholds": [0.1, 0.9]})):
        run_both(keras, cls_name, options, [(t, p, None)], (t[:100], p[:100], None))


@pytest.mark.parametrize("cls_name", ["F1Score", "FBetaScore"])
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("threshold", [None, 0.3, 0.5])
def test_f_scores(keras, cls_name, average, threshold):
    rng = np.random.default_rng(21)
    options = {"average": average, "threshold": threshold}
    if cls_name == "FBetaScore":
        options["beta"] = float(rng.choice([0.5, 1.0, 2.0]))
    batches = []
    for n in (BIG // 5, 40, 1000):
        p = scores(rng, (n, 5))
        t = np.eye(5, dtype=np.float32)[rng.integers(0, 5, n)] if threshold is None else labels(rng, p)
        batches.append((t, p, rng.uniform(0, 2, n).astype(np.float32)))
    after = (batches[1][0], batches[1][1], None)
    run_both(keras, cls_name, options, batches, after, rtol=1e-4, atol=1e-5)


# ----------------------------------------------------------------- compile-style


def identity_model(keras, n_features):
    inp = keras.Input((n_features,))
    return keras.Model(inp, keras.layers.Identity()(inp))


def assert_same_logs(ours, theirs):
    assert set(ours) == set(theirs), (sorted(ours), sorted(theirs))
    for key in theirs:
        assert isinstance(ours[key], np.ndarray) == isinstance(theirs[key], np.ndarray), key
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-4, atol=1e-4, err_msg=key)


def imbalanced(seed=0, n=700):
    """A rare positive class, as in TensorFlow's imbalanced-data tutorial."""
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=(n, 1)) < 0.1).astype(np.float32)
    p = np.clip(0.15 + 0.5 * y + rng.normal(0, 0.2, (n, 1)), 0, 1).astype(np.float32)
    w = rng.uniform(0, 2, n).astype(np.float32)
    return y, p, w


def tutorial_metrics(keras):
    """The metric list of TensorFlow's "Classification on imbalanced data" tutorial."""
    return [
        keras.metrics.BinaryCrossentropy(name="cross entropy"),
        keras.metrics.MeanSquaredError(name="Brier score"),
        keras.metrics.TruePositives(name="tp"),
        keras.metrics.FalsePositives(name="fp"),
        keras.metrics.TrueNegatives(name="tn"),
        keras.metrics.FalseNegatives(name="fn"),
        keras.metrics.BinaryAccuracy(name="accuracy"),
        keras.metrics.Precision(name="precision"),
        keras.metrics.Recall(name="recall"),
        keras.metrics.AUC(name="auc"),
        keras.metrics.AUC(name="prc", curve="PR"),
    ]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("batch_size", [None, 64])
def test_imbalanced_tutorial_compile_config(keras, tmp_path, weighted, batch_size):
    from rkeraslosses.cli import main
    from rkeraslosses.evaluate import Evaluator

    y, p, w = imbalanced()
    model = identity_model(keras, 1)
    if weighted:
        model.compile(loss="binary_crossentropy", metrics=["accuracy"], weighted_metrics=tutorial_metrics(keras))
    else:
        model.compile(loss="binary_crossentropy", metrics=tutorial_metrics(keras))
    sw = w if weighted else None
    theirs = model.evaluate(p, y, batch_size=batch_size, sample_weight=sw, return_dict=True, verbose=0)
    # the compile config, a JSON file of it, and a .keras file
    assert_same_logs(Evaluator.from_config(model.get_compile_config()).evaluate(y, p, sample_weight=sw, batch_size=batch_size), theirs)
    config_path = tmp_path / "compile.json"
    config_path.write_text(json.dumps(model.get_compile_config()))
    assert_same_logs(Evaluator.from_config(config_path).evaluate(y, p, sample_weight=sw, batch_size=batch_size), theirs)
    keras_path = tmp_path / "model.keras"
    model.save(keras_path)
    assert_same_logs(Evaluator.from_config(keras_path).evaluate(y, p, sample_weight=sw, batch_size=batch_size), theirs)
    # the command line, on .npy files
    np.save(tmp_path / "y.npy", y)
    np.save(tmp_path / "p.npy", p)
    argv = ["evaluate", "--y-true", str(tmp_path / "y.npy"), "--y-pred", str(tmp_path / "p.npy"), "--config", str(keras_path), "--format", "json"]
    if weighted:
        np.save(tmp_path / "w.npy", w)
        argv += ["--sample-weight", str(tmp_path / "w.npy")]
    if batch_size:
        argv += ["--batch-size", str(batch_size)]
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    assert_same_logs(json.loads(out.getvalue()), {k: float(v) for k, v in theirs.items()})


def test_string_identifiers_and_list_results(keras, tmp_path):
    """Strings Keras' compile resolves ("AUC", "auc", "precision", "recall", class names),
    and metrics with several values (a list of thresholds, per-class F1), which
    Keras' evaluate reports as arrays."""
    from rkeraslosses.evaluate import Evaluator, evaluate

    y, p, w = imbalanced(1, 300)
    model = identity_model(keras, 1)
    metrics = [
        "AUC", "auc", "precision", "recall", "TruePositives", "false_negatives", "f1_score",
        keras.metrics.TruePositives(thresholds=[0.3, 0.7], name="tp_list"),
        keras.metrics.Precision(thresholds=[0.2, 0.5, 0.9], name="precision_list"),
        keras.metrics.F1Score(average="macro", threshold=0.5, name="f1_macro"),
        keras.metrics.RecallAtPrecision(0.6, name="r_at_p"),
        keras.metrics.SpecificityAtSensitivity(0.5, num_thresholds=50, name="s_at_s"),
    ]
    model.compile(loss="binary_crossentropy", metrics=metrics)
    theirs = model.evaluate(p, y, batch_size=50, sample_weight=w, return_dict=True, verbose=0)
    ours = Evaluator.from_config(model.get_compile_config()).evaluate(y, p, sample_weight=w, batch_size=50)
    assert_same_logs(ours, theirs)
    assert isinstance(ours["tp_list"], np.ndarray) and ours["tp_list"].shape == (2,)
    strings = metrics[:7]
    model2 = identity_model(keras, 1)
    model2.compile(loss="binary_crossentropy", metrics=strings)
    theirs2 = model2.evaluate(p, y, batch_size=50, return_dict=True, verbose=0)
    assert_same_logs(evaluate(y, p, loss="binary_crossentropy", metrics=strings, batch_size=50), theirs2)


def test_multiclass_f1_and_class_id(keras):
    from rkeraslosses.evaluate import Evaluator

    rng = np.random.default_rng(5)
    labels_ = rng.integers(0, 4, 333)
    y = np.eye(4, dtype=np.float32)[labels_]
    p = rng.uniform(0.01, 1, (333, 4)).astype(np.float32)
    p /= p.sum(axis=1, keepdims=True)
    model = identity_model(keras, 4)
    model.compile(
        loss="categorical_crossentropy",
        metrics=[
            keras.metrics.F1Score(),
            keras.metrics.FBetaScore(average="weighted", beta=2.0),
            keras.metrics.Precision(class_id=2, name="p2"),
            keras.metrics.Recall(top_k=2, name="r_top2"),
            keras.metrics.AUC(multi_label=True, name="auc_ml"),
        ],
    )
    theirs = model.evaluate(p, y, batch_size=40, return_dict=True, verbose=0)
    assert_same_logs(Evaluator.from_config(model.get_compile_config()).evaluate(y, p, batch_size=40), theirs)


@pytest.mark.parametrize(
    "cls_name,options",
    [
        ("AUC", {"dtype": "float64"}),
        ("AUC", {"dtype": "float64", "curve": "PR", "thresholds": [0.1, 0.7, 0.35]}),
        ("Precision", {"dtype": "float64", "thresholds": [0.2, 0.5, 0.8]}),
        ("Recall", {"dtype": "float64"}),
        ("FalsePositives", {"dtype": "float64", "thresholds": [0.0, 0.5, 1.0]}),
        ("SensitivityAtSpecificity", {"dtype": "float64", "specificity": 0.7}),
        ("FBetaScore", {"dtype": "float64", "beta": 0.5, "average": "macro", "threshold": 0.4}),
    ],
)
def test_float64_metrics(keras, cls_name, options):
    """dtype="float64": our results are float64. (Keras' JAX backend runs float64 as
    float32 unless jax_enable_x64 is set, so the tolerance is float32's.)"""
    rng = np.random.default_rng(31)
    if cls_name == "FBetaScore":
        batches = batches_2d(rng, [BIG // 3, 100], 3, "sample")
    else:
        batches = [(t, p.astype(np.float64), w) for t, p, w in batches_1d(rng, [BIG, 100], "w")]
    run_both(keras, cls_name, options, batches, batches[1], rtol=1e-4, atol=1e-5, count_scale=1e-5)
