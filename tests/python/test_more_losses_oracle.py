"""The focal crossentropies, generalized crossentropy, Dice, Tversky, Circle and
CTC against Keras 3 itself (KERAS_BACKEND=jax) at test time: functions and
loss objects on realistic sizes (beyond every block and shortcut threshold),
float32 and float64, every option, random reductions and weights, and
compile-style evaluation against ``model.evaluate(return_dict=True)``.

The registry-driven differential tests (test_keras_oracle.py) cover small
shapes of the same losses; this file covers sizes and options.
"""

import json

import numpy as np
import pytest

from rkeraslosses import losses
from rkeraslosses.cli import main as cli_main
from rkeraslosses.evaluate import Evaluator, evaluate

pytestmark = pytest.mark.oracle

RTOL, ATOL = 2e-5, 2e-6
REDUCTIONS = ["sum_over_batch_size", "sum", "none", "mean_with_sample_weight"]


def close(ours, theirs, rtol=RTOL, atol=ATOL):
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=rtol, atol=atol)


# Rows x columns beyond the 2048-element shortcuts, the binary focal kernels'
# 32768-element blocks and the categorical ones' 131072-element blocks.
N, C = 13109, 10


def _low(dtype):
    # float32 data reaches Keras' clipping at 1e-7 and 1 - 1e-7; float64 data stays
    # clear of it, as JAX computes float64 input in float32 (no x64), where
    # 1 - 5e-8 rounds to 1 and is clipped differently from float64.
    return 0.0 if dtype == "float32" else 1e-4


def _binary(rng, dtype):
    return rng.integers(0, 2, (N, C)).astype(dtype), rng.uniform(_low(dtype), 1.0 - _low(dtype), (N, C)).astype(dtype)


def _categorical(rng, dtype):
    p = rng.uniform(_low(dtype), 1.0, (N, C))
    return np.eye(C, dtype=dtype)[rng.integers(0, C, N)], (p / p.sum(axis=1, keepdims=True)).astype(dtype)


BFCE_OPTIONS = [
    {},
    {"apply_class_balancing": True},
    {"apply_class_balancing": True, "alpha": 0.6, "gamma": 0.5},
    {"from_logits": True},
    {"from_logits": True, "label_smoothing": 0.15, "gamma": 3.0},
    {"label_smoothing": 0.3, "gamma": 0.0},
    {"axis": 0},
]
CFCE_OPTIONS = [
    {},
    {"alpha": 0.5, "gamma": 1.0},
    {"from_logits": True},
    {"from_logits": True, "label_smoothing": 0.1},
    {"label_smoothing": 0.2, "gamma": 0.0, "alpha": 1.0},
    {"alpha": [0.05 * (i + 1) for i in range(C)]},
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("options", BFCE_OPTIONS, ids=str)
def test_binary_focal_function(keras, options, dtype):
    rng = np.random.default_rng(1)
    t, p = _binary(rng, dtype)
    if options.get("from_logits"):
        # |logits| <= 6: there Keras' JAX backend (the oracle here, whose crossentropy
        # goes through the float32 sigmoid, losing digits to 1 - p as |x| grows) and
        # its TensorFlow backend (our formula, from the logits) agree to float32 precision.
        p = np.clip(rng.normal(scale=2.5, size=p.shape), -6, 6).astype(dtype)
    # soft labels too (no 0/1 shortcut)
    for labels in (t, rng.uniform(size=t.shape).astype(dtype)):
        ours = losses.binary_focal_crossentropy(labels, p, **options)
        assert ours.dtype == np.dtype(dtype)
        close(ours, keras.losses.binary_focal_crossentropy(labels, p, **options))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("options", CFCE_OPTIONS, ids=str)
def test_categorical_focal_function(keras, options, dtype):
    rng = np.random.default_rng(2)
    t, p = _categorical(rng, dtype)
    if options.get("from_logits"):
        p = rng.normal(scale=5.0, size=p.shape).astype(dtype)
    soft = rng.uniform(size=t.shape).astype(dtype)
    for labels in (t, soft / soft.sum(axis=1, keepdims=True)):
        ours = losses.categorical_focal_crossentropy(labels, p, **options)
        assert ours.dtype == np.dtype(dtype)
        close(ours, keras.losses.categorical_focal_crossentropy(labels, p, **options))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("q", [0.05, 0.5, 0.9])
def test_generalized_cross_entropy_function(keras, q, dtype):
    rng = np.random.default_rng(3)
    _, p = _categorical(rng, dtype)
    labels = rng.integers(0, C, N)
    close(losses.categorical_generalized_cross_entropy(labels, p, q=q), keras.losses.categorical_generalized_cross_entropy(labels, p, q=q))
    # (batch, h, w) label maps and (batch, h, w, classes) predictions, as Keras' segmentation test
    maps = rng.integers(0, 4, (20, 16, 16))
    probs = rng.dirichlet(np.ones(4), size=(20, 16, 16)).astype(dtype)
    close(losses.categorical_generalized_cross_entropy(maps, probs, q=q), keras.losses.categorical_generalized_cross_entropy(maps, probs, q=q))


def test_generalized_cross_entropy_label_column(keras):
    # Keras' docstring allows labels of shape (batch, 1), but its one-hot then
    # broadcasts against y_pred into a (batch, batch) matrix; its diagonal is the
    # per-sample loss, which is what ours gives (README, "differences").
    labels = np.array([[0], [1], [0], [2]])
    probs = np.random.default_rng(16).dirichlet(np.ones(3), size=4).astype(np.float32)
    theirs = np.asarray(keras.losses.categorical_generalized_cross_entropy(labels, probs, q=0.5))
    assert theirs.shape == (4, 4)
    close(losses.categorical_generalized_cross_entropy(labels, probs), np.diagonal(theirs))
    close(losses.categorical_generalized_cross_entropy(labels, probs), keras.losses.categorical_generalized_cross_entropy(labels[:, 0], probs, q=0.5))


SEG_OPTIONS = [{}, {"axis": (1, 2, 3)}, {"axis": (1, 2)}, {"axis": [3]}, {"axis": -1}]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("options", SEG_OPTIONS, ids=str)
def test_dice_and_tversky_functions(keras, options, dtype):
    rng = np.random.default_rng(4)
    t = (rng.uniform(size=(16, 64, 64, 2)) > 0.7).astype(dtype)  # 131072 elements: 4 blocks
    p = rng.uniform(size=t.shape).astype(dtype)
    keras_axis = tuple(options["axis"]) if isinstance(options.get("axis"), list) else options.get("axis")
    close(losses.dice(t, p, **options), keras.losses.dice(t, p, axis=keras_axis))
    for a, b in ((0.5, 0.5), (0.3, 0.7), (0.9, 0.1)):
        close(losses.tversky(t, p, alpha=a, beta=b, **options), keras.losses.tversky(t, p, alpha=a, beta=b, axis=keras_axis))


def test_dice_and_tversky_empty_masks(keras):
    zeros = np.zeros((4, 8, 8, 1), dtype=np.float32)
    t = zeros.copy()
    t[1] = 1.0
    for axis in (None, (1, 2, 3)):
        close(losses.dice(zeros, zeros, axis=axis), keras.losses.dice(zeros, zeros, axis=axis))
        close(losses.dice(t, zeros, axis=axis), keras.losses.dice(t, zeros, axis=axis))
        close(losses.tversky(zeros, zeros, axis=axis), keras.losses.tversky(zeros, zeros, axis=axis))
    assert float(keras.losses.dice(zeros, zeros)) == 1.0  # what the docs promise


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("options", [{}, {"remove_diagonal": False}, {"gamma": 256.0, "margin": 0.25}, {"gamma": 10, "margin": 0.6}], ids=str)
def test_circle_function(keras, options, dtype):
    rng = np.random.default_rng(5)
    e = rng.normal(size=(300, 32))
    e = (e / np.linalg.norm(e, axis=1, keepdims=True)).astype(dtype)
    labels = rng.integers(0, 40, 300)
    # float32 cosine similarities times gamma: a few float32 ulps of 80 * 2
    close(losses.circle(labels, e, **options), keras.losses.circle(labels, e, **options), rtol=1e-4, atol=1e-4)
    ref = rng.normal(size=(50, 32))
    ref = (ref / np.linalg.norm(ref, axis=1, keepdims=True)).astype(dtype)
    ref_labels = rng.integers(0, 40, 50)
    close(
        losses.circle(labels, e, ref_labels=ref_labels, ref_embeddings=ref, **options),
        keras.losses.circle(labels, e, ref_labels=ref_labels, ref_embeddings=ref, **options),
        rtol=1e-4,
        atol=1e-4,
    )


def _ctc_data(rng, batch, steps, classes, lengths, repeats=True):
    max_length = int(max(lengths))
    labels = np.zeros((batch, max_length), dtype=np.int64)
    for b, n in enumerate(lengths):
        row = rng.integers(1, classes, n)
        if not repeats:
            for i in range(1, n):
                while row[i] == row[i - 1]:
                    row[i] = rng.integers(1, classes)
        labels[b, :n] = row
    return labels, rng.normal(scale=2.0, size=(batch, steps, classes))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_ctc_every_label_length(keras, dtype):
    """Label lengths 1..T (T = 25), with and without repeated labels; within 1e-4 relative (the issue's bar)."""
    rng = np.random.default_rng(6)
    steps = 25
    lengths = np.tile(np.arange(1, steps + 1), 2)
    for repeats in (False, True):
        labels, logits = _ctc_data(rng, lengths.size, steps, 12, lengths, repeats=repeats)
        logits = logits.astype(dtype)
        ours = losses.ctc(labels, logits)
        assert ours.dtype == np.dtype(dtype)
        close(ours, keras.losses.ctc(labels, logits), rtol=1e-4, atol=0)


def test_ctc_impossible_alignments_as_keras(keras):
    # labels longer than the time axis, and repeats that need blanks in between
    rng = np.random.default_rng(7)
    logits = rng.normal(size=(3, 6, 5)).astype(np.float32)
    labels = np.array([[1, 2, 3, 4, 1, 2, 3, 4], [1, 1, 1, 1, 0, 0, 0, 0], [2, 2, 2, 2, 0, 0, 0, 0]])
    ours = losses.ctc(labels, logits)
    theirs = np.asarray(keras.losses.ctc(labels, logits))
    assert np.isfinite(theirs).all() and (theirs > 5e4).all()  # Keras' JAX backend: a finite penalty
    close(ours, theirs, rtol=1e-4, atol=0)


def test_ctc_realistic_batch(keras):
    rng = np.random.default_rng(8)
    labels, logits = _ctc_data(rng, 64, 100, 30, rng.integers(1, 21, 64))
    close(losses.ctc(labels, logits.astype(np.float32)), keras.losses.ctc(labels, logits.astype(np.float32)), rtol=1e-4, atol=0)


# ---------------------------------------------------------------------------
# Loss objects: every reduction, random weights, [batch_size] weights
# ---------------------------------------------------------------------------


def _object_cases(rng):
    t, p = _binary(rng, "float32")
    oh, pc = _categorical(rng, "float32")
    labels = rng.integers(0, C, N)
    masks = (rng.uniform(size=(12, 32, 32, 1)) > 0.6).astype(np.float32)
    pm = rng.uniform(size=masks.shape).astype(np.float32)
    e = rng.normal(size=(200, 16))
    e = (e / np.linalg.norm(e, axis=1, keepdims=True)).astype(np.float32)
    ctc_labels, ctc_logits = _ctc_data(rng, 40, 30, 8, rng.integers(1, 9, 40))
    return [
        ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "gamma": 1.5}, t, p),
        ("BinaryFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, t, np.clip(rng.normal(scale=2.5, size=p.shape), -6, 6).astype(np.float32)),
        ("CategoricalFocalCrossentropy", {"alpha": 0.4}, oh, pc),
        ("CategoricalFocalCrossentropy", {"from_logits": True}, oh, rng.normal(size=pc.shape).astype(np.float32)),
        ("CategoricalGeneralizedCrossEntropy", {"q": 0.3}, labels, pc),
        ("Dice", {}, masks, pm),
        ("Dice", {"axis": (1, 2, 3)}, masks, pm),
        ("Tversky", {"alpha": 0.3, "beta": 0.7}, masks, pm),
        ("Tversky", {"axis": (1, 2)}, masks, pm),
        ("Circle", {}, rng.integers(0, 30, 200), e),
        ("CTC", {}, ctc_labels, ctc_logits.astype(np.float32)),
    ]


OBJECT_CASES = _object_cases(np.random.default_rng(9))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,options,t,p", OBJECT_CASES, ids=[f"{c[0]}-{c[1]}" for c in OBJECT_CASES])
def test_loss_objects(keras, name, options, t, p, reduction):
    ours = getattr(losses, name)(reduction=reduction, **options)
    theirs = getattr(keras.losses, name)(reduction=reduction, **options)
    rtol = 1e-4 if name in ("Circle", "CTC") else RTOL
    close(ours(t, p), theirs(t, p), rtol=rtol, atol=1e-5 if name == "Circle" else ATOL)
    per_sample = np.asarray(theirs.call(t, p)) if hasattr(theirs, "call") else None
    rng = np.random.default_rng(10)
    shape = np.shape(per_sample)
    # weights of the per-sample shape, and one weight per sample ([batch_size])
    w_full = rng.uniform(0, 2, size=shape).astype(np.float32)
    close(ours(t, p, sample_weight=w_full), theirs(t, p, sample_weight=w_full), rtol=rtol, atol=1e-5 if name == "Circle" else ATOL)
    w_batch = rng.uniform(0, 2, size=np.shape(t)[0]).astype(np.float32)
    if len(shape) >= 2:
        # Keras 3 cannot apply [batch_size] weights to rank-2 losses; it equals the weights spelled out.
        spelled = np.broadcast_to(w_batch.reshape((-1,) + (1,) * (len(shape) - 1)), shape)
        close(ours(t, p, sample_weight=w_batch), theirs(t, p, sample_weight=spelled))
    else:
        close(ours(t, p, sample_weight=w_batch), theirs(t, p, sample_weight=w_batch), rtol=rtol, atol=1e-5 if name == "Circle" else ATOL)
    if reduction != "mean_with_sample_weight":
        # (Keras divides by the scalar weight itself there, giving the sum of the
        # losses; the shared reduction gives their mean; see the report of issue 12.)
        close(ours(t, p, sample_weight=0.7), theirs(t, p, sample_weight=0.7), rtol=rtol, atol=1e-5 if name == "Circle" else ATOL)


@pytest.mark.parametrize("name,options,t,p", OBJECT_CASES[:6], ids=[f"{c[0]}-{c[1]}" for c in OBJECT_CASES[:6]])
def test_float64_loss_objects(keras, name, options, t, p):
    ours = getattr(losses, name)(dtype="float64", **options)
    theirs = getattr(keras.losses, name)(**options)  # JAX computes float32 without x64: compare to float32 precision
    out = ours(t, p)
    assert out.dtype == np.float64
    close(out, theirs(t, p))


@pytest.mark.parametrize(
    "name,options",
    [
        ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.0, "from_logits": True, "label_smoothing": 0.1, "axis": 1}),
        ("CategoricalFocalCrossentropy", {"alpha": 0.3, "gamma": 1.0, "from_logits": True, "label_smoothing": 0.1, "axis": 1}),
        ("CategoricalFocalCrossentropy", {"alpha": [0.2, 0.3, 0.5]}),
        ("CategoricalGeneralizedCrossEntropy", {"q": 0.2}),
        ("Dice", {"axis": (1, 2)}),
        ("Tversky", {"alpha": 0.1, "beta": 0.9, "axis": [1, 2]}),
        ("Circle", {"gamma": 64.0, "margin": 0.3, "remove_diagonal": False}),
        ("CTC", {}),
    ],
)
def test_configs_equal_keras(keras, name, options):
    import rkeraslosses as rk

    theirs = getattr(keras.losses, name)(name="x", reduction="sum", **options).get_config()
    ours = getattr(losses, name)(name="x", reduction="sum", **options)
    assert ours.get_config() == theirs
    from_keras = rk.deserialize({"class_name": name, "config": theirs})
    assert from_keras == ours


def test_extremes_match_keras(keras):
    x = np.array([[1e4, -1e4, 0.0, 30.0], [-1e4, 1e4, -30.0, 0.0]], dtype=np.float32)
    t = np.array([[1, 0, 0, 1], [1, 0, 1, 0]], dtype=np.float32)
    # From logits the TensorFlow backend's formula (ours): Keras' focal factor from
    # keras.ops.sigmoid times keras.ops.binary_crossentropy from the logits (the
    # JAX backend instead clips the sigmoid, which caps a wrong +-1e4 logit at ~16).
    for balance in (False, True):
        sig = keras.ops.sigmoid(x)
        p_t = t * sig + (1 - t) * (1 - sig)
        tf_formula = (1 - p_t) ** 2 * keras.ops.binary_crossentropy(t, x, from_logits=True)
        if balance:
            tf_formula = tf_formula * (t * 0.25 + (1 - t) * 0.75)
        close(losses.binary_focal_crossentropy(t, x, from_logits=True, apply_class_balancing=balance), keras.ops.mean(tf_formula, axis=-1))
    one_hot = np.array([[1, 0, 0, 0], [0, 0, 1, 0]], dtype=np.float32)
    close(losses.categorical_focal_crossentropy(one_hot, x, from_logits=True), keras.losses.categorical_focal_crossentropy(one_hot, x, from_logits=True))
    p = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], dtype=np.float32)
    t3 = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    close(losses.binary_focal_crossentropy(t3, p), keras.losses.binary_focal_crossentropy(t3, p))
    close(losses.categorical_focal_crossentropy(t3, p), keras.losses.categorical_focal_crossentropy(t3, p))
    close(losses.categorical_generalized_cross_entropy([1, 1], p), keras.losses.categorical_generalized_cross_entropy(np.array([1, 1]), p, q=0.5))


# ---------------------------------------------------------------------------
# Compile-style evaluation against model.evaluate(return_dict=True)
# ---------------------------------------------------------------------------


def identity(keras, shape):
    inp = keras.Input(shape)
    return keras.Model(inp, keras.layers.Identity(name="out")(inp))


def assert_same(ours, theirs):
    assert set(ours) == set(theirs), (ours, theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5, atol=1e-6, err_msg=key)


def _evaluate_both(keras, model, y, p, w, batch_size, tmp_path):
    theirs = model.evaluate(p, y, batch_size=batch_size, sample_weight=w, return_dict=True, verbose=0)
    config = model.get_compile_config()
    ours = Evaluator.from_config(config).evaluate(y, p, sample_weight=w, batch_size=batch_size)
    assert_same(ours, theirs)
    path = tmp_path / "model.keras"
    model.save(path)
    assert_same(Evaluator.from_config(path).evaluate(y, p, sample_weight=w, batch_size=batch_size), theirs)
    return theirs


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("loss", ["dice", "Dice", "tversky", "dice_object", "tversky_object"])
def test_evaluate_segmentation_model(keras, tmp_path, loss, weighted):
    rng = np.random.default_rng(11)
    y = (rng.uniform(size=(53, 8, 8, 1)) > 0.5).astype(np.float32)
    p = rng.uniform(size=y.shape).astype(np.float32)
    w = rng.uniform(0, 2, 53).astype(np.float32) if weighted else None
    identifier = {
        "dice_object": keras.losses.Dice(),
        "tversky_object": keras.losses.Tversky(alpha=0.3, beta=0.7, axis=(1, 2, 3)),
    }.get(loss, loss)
    model = identity(keras, (8, 8, 1))
    model.compile(loss=identifier, metrics=["mae"], weighted_metrics=["mse"])
    theirs = _evaluate_both(keras, model, y, p, w, 16, tmp_path)
    if weighted:
        # Keras' rule made visible: a Dice model's loss with weights is not its loss without
        assert theirs["loss"] != pytest.approx(model.evaluate(p, y, batch_size=16, return_dict=True, verbose=0)["loss"])


@pytest.mark.parametrize("weighted", [False, True])
def test_evaluate_focal_models(keras, tmp_path, weighted):
    rng = np.random.default_rng(12)
    w = rng.uniform(0, 2, 61).astype(np.float32) if weighted else None
    y = rng.integers(0, 2, (61, 3)).astype(np.float32)
    p = rng.uniform(size=(61, 3)).astype(np.float32)
    model = identity(keras, (3,))
    model.compile(
        loss=keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3),
        # Keras' compile does not take the string "binary_focal_crossentropy" as a
        # metric (keras.metrics.get does not know it); the function object works.
        metrics=[keras.metrics.binary_focal_crossentropy, keras.metrics.BinaryCrossentropy()],
        weighted_metrics=[keras.metrics.binary_focal_crossentropy],
    )
    _evaluate_both(keras, model, y, p, w, 8, tmp_path)
    yc = np.eye(4, dtype=np.float32)[rng.integers(0, 4, 61)]
    logits = rng.normal(size=(61, 4)).astype(np.float32)
    model = identity(keras, (4,))
    model.compile(loss=keras.losses.CategoricalFocalCrossentropy(from_logits=True, gamma=1.0), metrics=[keras.metrics.categorical_focal_crossentropy])
    _evaluate_both(keras, model, yc, logits, w, 10, tmp_path)
    # the string identifier resolves the same way
    model = identity(keras, (4,))
    model.compile(loss="binary_focal_crossentropy")
    theirs = model.evaluate(logits, yc, batch_size=10, sample_weight=w, return_dict=True, verbose=0)
    assert_same(evaluate(yc, logits, loss="binary_focal_crossentropy", sample_weight=w, batch_size=10), theirs)


def test_evaluate_sparse_label_models(keras, tmp_path):
    rng = np.random.default_rng(13)
    w = rng.uniform(0, 2, 45).astype(np.float32)
    labels = rng.integers(0, 5, 45)
    probs = rng.dirichlet(np.ones(5), size=45).astype(np.float32)
    model = identity(keras, (5,))
    model.compile(loss=keras.losses.CategoricalGeneralizedCrossEntropy(q=0.7), metrics=["accuracy"])
    _evaluate_both(keras, model, labels, probs, w, 8, tmp_path)
    e = rng.normal(size=(45, 6))
    e = (e / np.linalg.norm(e, axis=1, keepdims=True)).astype(np.float32)
    cl = rng.integers(0, 4, 45)
    model = identity(keras, (6,))
    model.compile(loss=keras.losses.Circle(gamma=32.0))
    _evaluate_both(keras, model, cl, e, w, 15, tmp_path)


def test_evaluate_ctc_model(keras, tmp_path):
    rng = np.random.default_rng(14)
    labels, logits = _ctc_data(rng, 37, 20, 7, rng.integers(1, 8, 37))
    w = rng.uniform(0, 2, 37).astype(np.float32)
    model = identity(keras, (20, 7))
    model.compile(loss=keras.losses.CTC())
    theirs = model.evaluate(logits.astype(np.float32), labels, batch_size=8, sample_weight=w, return_dict=True, verbose=0)
    ours = Evaluator.from_config(model.get_compile_config()).evaluate(labels, logits.astype(np.float32), sample_weight=w, batch_size=8)
    np.testing.assert_allclose(ours["loss"], theirs["loss"], rtol=1e-4)
    assert set(ours) == set(theirs)


def test_cli_with_a_dice_compile_config(keras, tmp_path, capsys):
    rng = np.random.default_rng(15)
    y = (rng.uniform(size=(40, 12)) > 0.5).astype(np.float32)
    p = rng.uniform(size=y.shape).astype(np.float32)
    w = rng.uniform(0, 2, 40).astype(np.float32)
    model = identity(keras, (12,))
    model.compile(loss=keras.losses.Dice(), metrics=[keras.metrics.binary_focal_crossentropy])
    theirs = model.evaluate(p, y, batch_size=16, sample_weight=w, return_dict=True, verbose=0)
    (tmp_path / "compile.json").write_text(json.dumps(model.get_compile_config()))
    for name, arr in (("y", y), ("p", p), ("w", w)):
        np.save(tmp_path / f"{name}.npy", arr)
    code = cli_main(
        ["evaluate", "--y-true", str(tmp_path / "y.npy"), "--y-pred", str(tmp_path / "p.npy"), "--sample-weight", str(tmp_path / "w.npy"),
         "--config", str(tmp_path / "compile.json"), "--batch-size", "16", "--format", "json"]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    assert_same(json.loads(out), theirs)
