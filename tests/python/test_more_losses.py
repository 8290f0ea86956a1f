"""Focal crossentropies, generalized crossentropy, Dice, Tversky, Circle and CTC
without Keras: Keras' own test numbers, closed forms, brute force, bad input.

Every expected number says where it comes from. "losses_test.py" is
keras-team/keras, keras/src/losses/losses_test.py (Keras 3); its
``assertAlmostEqual(x, y, 3)`` is an absolute tolerance of 5e-4.
"""

import itertools
import math

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import losses

EPS32 = np.float32(1e-7)
HI32 = np.float32(1) - EPS32  # Keras' upper clip, 1 - 1e-7 rounded in float32


# ---------------------------------------------------------------------------
# Keras' own test numbers (losses_test.py)
# ---------------------------------------------------------------------------

BF_T = np.asarray([1, 0, 1, 0]).reshape([2, 2])
BF_P = np.asarray([0.9, 0.8, 0.7, 0.2], dtype=np.float32).reshape([2, 2])
BF_T_LOGITS = np.array([[1, 1, 0], [0, 1, 0]], dtype="float32")
BF_LOGITS = np.array([[1.5, -2.7, 2.9], [-3.8, 1.2, -4.5]])


def test_binary_focal_keras_numbers():
    # losses_test.py, BinaryFocalCrossentropyTest
    eye = np.eye(3, dtype="float32")
    assert losses.BinaryFocalCrossentropy(gamma=1.5)(eye, eye) == pytest.approx(0.0, abs=5e-4)  # test_all_correct_unweighted
    logits = np.where(eye == 1, 100.0, -100.0)
    assert losses.BinaryFocalCrossentropy(gamma=2.0, from_logits=True)(eye, logits) == pytest.approx(0.0, abs=5e-4)
    assert losses.BinaryFocalCrossentropy(gamma=2.0)(BF_T, BF_P) == pytest.approx(0.268, abs=5e-4)  # test_unweighted
    assert losses.BinaryFocalCrossentropy(gamma=3.0, from_logits=True)(BF_T_LOGITS, BF_LOGITS) == pytest.approx(0.799, abs=5e-4)
    assert losses.BinaryFocalCrossentropy(gamma=2.0)(BF_T, BF_P, sample_weight=1.23) == pytest.approx(0.3296, abs=5e-4)  # test_scalar_weighted
    obj = losses.BinaryFocalCrossentropy(gamma=3.0, from_logits=True)
    assert obj(BF_T_LOGITS, BF_LOGITS, sample_weight=3.21) == pytest.approx(2.565, abs=5e-4)
    w = np.array([1.2, 3.4]).reshape((2, 1))  # test_sample_weighted
    assert losses.BinaryFocalCrossentropy(gamma=2.0)(BF_T, BF_P, sample_weight=w) == pytest.approx(0.34415, abs=5e-4)
    assert obj(BF_T_LOGITS, BF_LOGITS, sample_weight=w) == pytest.approx(0.95977, abs=5e-4)
    np.testing.assert_allclose(  # test_no_reduction (Keras' assertAllClose: rtol = atol = 1e-6)
        losses.BinaryFocalCrossentropy(gamma=2.0, reduction=None)(BF_T, BF_P), (0.515547, 0.020513), rtol=1e-6, atol=1e-6
    )


CF_T = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
CF_P = np.array([[0.9, 0.05, 0.05], [0.5, 0.89, 0.6], [0.05, 0.01, 0.94]], dtype="float32")
CF_LOGITS = np.array([[8.0, 1.0, 1.0], [0.0, 9.0, 1.0], [2.0, 3.0, 5.0]])


def test_categorical_focal_keras_numbers():
    # losses_test.py, CategoricalFocalCrossentropyTest
    eye = np.eye(3)
    assert losses.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0)(eye.astype("int64"), eye) == pytest.approx(0.0, abs=5e-4)
    assert losses.CategoricalFocalCrossentropy(from_logits=True)(eye, eye * 10.0) == pytest.approx(0.0, abs=5e-4)
    assert losses.CategoricalFocalCrossentropy()(CF_T, CF_P) == pytest.approx(0.02059, abs=5e-4)  # test_unweighted
    logits_obj = losses.CategoricalFocalCrossentropy(from_logits=True)
    assert logits_obj(CF_T, CF_LOGITS) == pytest.approx(0.000345, abs=5e-4)
    assert losses.CategoricalFocalCrossentropy()(CF_T, CF_P, sample_weight=2.3) == pytest.approx(0.047368, abs=5e-4)  # test_scalar_weighted
    assert logits_obj(CF_T, CF_LOGITS, sample_weight=2.3) == pytest.approx(0.000794, abs=5e-5)
    w = np.array([[1.2], [3.4], [5.6]]).reshape((3, 1))  # test_sample_weighted
    assert losses.CategoricalFocalCrossentropy()(CF_T, CF_P, sample_weight=w) == pytest.approx(0.06987, abs=5e-4)
    assert logits_obj(CF_T, CF_LOGITS, sample_weight=w) == pytest.approx(0.001933, abs=5e-4)
    np.testing.assert_allclose(  # test_no_reduction (Keras' assertAllClose: rtol = atol = 1e-6)
        losses.CategoricalFocalCrossentropy(from_logits=True, reduction=None)(CF_T, CF_LOGITS),
        (1.5096224e-09, 2.4136547e-11, 1.0360638e-03),
        rtol=1e-6,
        atol=1e-6,
    )
    smoothed = losses.CategoricalFocalCrossentropy(from_logits=True, label_smoothing=0.1)  # test_label_smoothing
    assert smoothed(np.array([[1, 0, 0]]), np.array([[4.9, -0.5, 2.05]])) == pytest.approx(0.06685, abs=5e-4)


def test_generalized_cross_entropy_keras_numbers():
    # losses_test.py, CategoricalGeneralizedCrossEntropyTest (expected values are its closed forms)
    y_true = np.array([0, 1, 0, 1])
    y_pred = np.array([[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]])
    for q in (0.5, 0.8):
        expected = np.mean([(1 - 0.7**q) / q, (1 - 0.8**q) / q, (1 - 0.6**q) / q, (1 - 0.6**q) / q])
        assert losses.CategoricalGeneralizedCrossEntropy(q=q)(y_true, y_pred) == pytest.approx(expected, rel=1e-6)
    y_pred3 = np.array([[0.7, 0.3, 0.0], [0.2, 0.2, 0.6], [0.6, 0.4, 0.0], [0.2, 0.2, 0.6]])
    expected = np.mean([(1 - 0.7**0.5) / 0.5, (1 - 0.2**0.5) / 0.5, (1 - 0.6**0.5) / 0.5, (1 - 0.2**0.5) / 0.5])
    assert losses.CategoricalGeneralizedCrossEntropy()(y_true, y_pred3) == pytest.approx(expected, rel=1e-6)
    # test_binary_segmentation: (4, 4) label maps, one-hot-perfect except two pixels
    seg_true = np.array([[0, 1, 1, 0], [1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 1]])
    seg_pred = np.eye(2)[seg_true]
    assert losses.CategoricalGeneralizedCrossEntropy(q=0.5)(seg_true, seg_pred) == pytest.approx(0.0, abs=1e-7)
    seg_pred[0, 3] = [0.2, 0.8]
    seg_pred[3, 3] = [0.6, 0.4]
    expected = ((1 - 0.2**0.5) / 0.5 + (1 - 0.4**0.5) / 0.5) / 16.0
    assert losses.CategoricalGeneralizedCrossEntropy(q=0.5)(seg_true, seg_pred) == pytest.approx(expected, rel=1e-6)


def test_ctc_keras_number():
    # losses_test.py, CTCTest.test_correctness
    logits = (np.arange(24).reshape((2, 4, 3)).astype("float32") - 12) / 100
    y_true = np.array([[1, 2, 1, 0], [1, 2, 0, 2]])
    assert losses.CTC()(y_true, logits) == pytest.approx(2.448645, rel=1e-6)


DICE_T = np.array([[1, 2], [1, 2]])
DICE_P = np.array([[4, 1], [6, 1]])
SEG_T = np.array([[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]])
SEG_P = np.array([[0, 1, 0, 1], [1, 0, 1, 1], [0, 1, 0, 1], [1, 0, 1, 1]])
MASK_T = np.array([[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]])
MASK_P = np.array([[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]])


def test_dice_and_tversky_keras_numbers():
    # losses_test.py, DiceTest and TverskyTest (assertAllClose: rtol = atol = 1e-6)
    close = dict(rel=1e-6, abs=1e-6)
    assert losses.Dice()(DICE_T, DICE_P) == pytest.approx(-0.55555546, **close)
    assert losses.Dice()(SEG_T, SEG_P) == pytest.approx(0.77777773, **close)
    np.testing.assert_allclose(losses.Dice(axis=(1, 2, 3), reduction=None)(MASK_T, MASK_P), [0.5, 0.75757575], rtol=1e-6, atol=1e-6)
    assert losses.Tversky()(DICE_T, DICE_P) == pytest.approx(-0.55555546, **close)
    assert losses.Tversky(alpha=0.2, beta=0.8)(DICE_T, DICE_P) == pytest.approx(-0.29629636, **close)
    assert losses.Tversky()(SEG_T, SEG_P) == pytest.approx(0.77777773, **close)
    np.testing.assert_allclose(losses.Tversky(axis=(1, 2, 3), reduction=None)(MASK_T, MASK_P), [0.5, 0.75757575], rtol=1e-6, atol=1e-6)
    assert losses.Tversky(alpha=0.2, beta=0.8)(SEG_T, SEG_P) == pytest.approx(0.7916667, **close)
    np.testing.assert_allclose(
        losses.Tversky(alpha=0.2, beta=0.8, axis=(1, 2, 3), reduction=None)(MASK_T, MASK_P), [0.5, 0.7222222], rtol=1e-6, atol=1e-6
    )


CIRCLE_T = np.array([1, 1, 2, 2, 3])
CIRCLE_P = np.array(
    [
        [0.70014004, -0.42008403, 0.14002801, 0.56011203],
        [0.17609018, 0.70436073, -0.52827054, 0.44022545],
        [-0.34050261, 0.25537696, -0.68100522, 0.59587957],
        [0.32163376, -0.75047877, 0.53605627, -0.21442251],
        [0.51261459, -0.34174306, 0.17087153, 0.76892189],
    ]
)
CIRCLE_REF_T = np.array([1, 1, 2, 2, 3, 4])
CIRCLE_REF_P = np.array(
    [
        [0.40824829, -0.54433105, 0.27216553, 0.68041382],
        [0.76376261, 0.10910895, -0.54554473, 0.32732684],
        [-0.74420841, 0.24806947, 0.49613894, -0.3721042],
        [0.52981294, -0.13245324, 0.79471941, -0.26490647],
        [0.54554473, -0.32732684, 0.10910895, 0.76376261],
        [-0.27216553, 0.68041382, 0.40824829, -0.54433105],
    ]
)


def test_circle_keras_numbers():
    # losses_test.py, CircleTest (assertAlmostEqual to 3 places; assertAllClose rtol = atol = 1e-6,
    # its 4-decimal expected values give them a 1e-4 absolute slack)
    assert losses.Circle(gamma=80.0, margin=0.4)(CIRCLE_T, CIRCLE_P) == pytest.approx(188.3883, abs=5e-4)
    assert losses.Circle(gamma=256, margin=0.25)(CIRCLE_T, CIRCLE_P) == pytest.approx(652.7617, abs=5e-4)
    got = losses.circle(CIRCLE_T, CIRCLE_P, ref_labels=CIRCLE_REF_T, ref_embeddings=CIRCLE_REF_P, gamma=80.0, margin=0.4, remove_diagonal=False)
    np.testing.assert_allclose(got, (61.5844, 94.3465, 276.9344, 90.9873, 48.8963), atol=1e-4)
    w = np.array([2.0, 2.0, 1.0, 1.0, 0.5])
    assert losses.Circle(gamma=80.0, margin=0.4)(CIRCLE_T, CIRCLE_P, sample_weight=w) == pytest.approx(244.91918, abs=5e-4)
    np.testing.assert_allclose(
        losses.Circle(gamma=80.0, margin=0.4, reduction=None)(CIRCLE_REF_T, CIRCLE_REF_P), [82.9116, 36.7942, 92.4590, 52.6798, 0.0, 0.0], atol=1e-4
    )
    assert losses.Circle(gamma=80.0, margin=0.4, reduction="sum")(CIRCLE_REF_T, CIRCLE_REF_P) == pytest.approx(264.845, abs=5e-4)
    mean_w = losses.Circle(gamma=80.0, margin=0.4, reduction="mean_with_sample_weight")
    assert mean_w(CIRCLE_T, CIRCLE_P, sample_weight=w) == pytest.approx(163.27948, abs=5e-4)


@pytest.mark.parametrize(
    "obj",
    [
        losses.BinaryFocalCrossentropy(name="bfce"),
        losses.CategoricalFocalCrossentropy(name="cfce"),
        losses.CategoricalGeneralizedCrossEntropy(q=0.1, name="gce"),
        losses.CTC(name="myctc"),
        losses.Dice(name="mydice"),
        losses.Tversky(name="mytversky"),
        losses.Circle(name="mycircle", gamma=80.0, margin=0.4),
    ],
    ids=lambda o: o.name,
)
def test_config_round_trip_as_keras_tests_it(obj):
    # losses_test.py, each class's test_config (run_class_serialization_test): config -> object -> config.
    rebuilt = type(obj).from_config(obj.get_config())
    assert rebuilt.get_config() == obj.get_config()
    assert rk.deserialize(rk.serialize(obj)) == obj


# ---------------------------------------------------------------------------
# Closed forms at the extremes: logits of +-1e4, probabilities of exactly 0 and 1
# ---------------------------------------------------------------------------

# float32 logs of Keras' clipped values, in float64 (the closed form of each case)
NEG_LOG_EPS = -math.log(float(EPS32))  # -log(1e-7 in float32)
NEG_LOG_1_MINUS_HI = -math.log(1.0 - float(HI32))  # -log(1 - (1 - 1e-7)) with the float32 rounding
NEG_LOG_HI = -math.log(float(HI32))


@pytest.mark.parametrize("from_logits", [True, False])
def test_binary_focal_extremes_closed_form(from_logits):
    t = np.array([[1, 0, 0, 1]], dtype=np.float32)
    p = np.array([[1e4, -1e4, 1e4, -1e4]] if from_logits else [[1.0, 0.0, 1.0, 0.0]], dtype=np.float32)
    # Right answers: p_t = 1 exactly (sigmoid(+-1e4) is exactly 1 and 0), so 1 - p_t = 0 and the loss 0.
    # Wrong answers: focal factor 1 and the crossentropy: from probabilities, clipped:
    # -log(1 - hi) and -log(eps); from logits, TensorFlow's max(x, 0) - x t + log1p(exp(-|x|)) = 1e4.
    wrong = (1e4, 1e4) if from_logits else (NEG_LOG_1_MINUS_HI, NEG_LOG_EPS)
    expected = sum(wrong) / 4
    got = losses.binary_focal_crossentropy(t, p, from_logits=from_logits)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, [expected], rtol=1e-6)
    balanced = losses.binary_focal_crossentropy(t, p, from_logits=from_logits, apply_class_balancing=True, alpha=0.25)
    np.testing.assert_allclose(balanced, [(0.75 * wrong[0] + 0.25 * wrong[1]) / 4], rtol=1e-6)
    # the same over a block larger than the one-log shortcut's threshold
    big = losses.binary_focal_crossentropy(np.tile(t, (1000, 1)), np.tile(p, (1000, 1)), from_logits=from_logits)
    np.testing.assert_allclose(big, np.full(1000, expected), rtol=1e-6)


@pytest.mark.parametrize("from_logits", [True, False])
@pytest.mark.parametrize("rows", [1, 1000])
def test_categorical_focal_extremes_closed_form(from_logits, rows):
    t = np.tile(np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float32), (rows, 1))
    p = np.tile(np.array([[1e4, -1e4, 0.0], [1e4, -1e4, 0.0]] if from_logits else [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]], dtype=np.float32), (rows, 1))
    # softmax = [1, 0, 0] exactly; clipped to [hi, eps, eps]. Right: alpha (1 - hi)^2 (-log hi); wrong: alpha (1 - eps)^2 (-log eps).
    right = 0.25 * (1.0 - float(HI32)) ** 2 * NEG_LOG_HI
    wrong = 0.25 * (1.0 - float(EPS32)) ** 2 * NEG_LOG_EPS
    got = losses.categorical_focal_crossentropy(t, p, from_logits=from_logits)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, np.tile([right, wrong], rows), rtol=1e-6)


@pytest.mark.parametrize("from_logits", [False, True])
def test_gamma_zero_is_the_plain_crossentropy(from_logits):
    rng = np.random.default_rng(3)
    # sizes on both sides of the one-log shortcuts
    for n in (7, 5000):
        t = rng.integers(0, 2, (n, 6)).astype(np.float32)
        p = rng.normal(size=(n, 6)).astype(np.float32) if from_logits else rng.uniform(0.001, 0.999, (n, 6)).astype(np.float32)
        np.testing.assert_allclose(
            losses.binary_focal_crossentropy(t, p, gamma=0.0, from_logits=from_logits),
            losses.binary_crossentropy(t, p, from_logits=from_logits),
            rtol=2e-6 if not from_logits else 1e-5,
        )
        one_hot = np.eye(6, dtype=np.float32)[rng.integers(0, 6, n)]
        probs = p if from_logits else p / p.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(
            losses.categorical_focal_crossentropy(one_hot, probs, gamma=0.0, alpha=1.0, from_logits=from_logits),
            losses.categorical_crossentropy(one_hot, probs, from_logits=from_logits),
            rtol=2e-6 if not from_logits else 1e-5,
        )


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("options", [{}, {"gamma": 1.5, "apply_class_balancing": True}], ids=str)
def test_label_shortcuts_equal_the_plain_formula(from_logits, options):
    """Above 2048 elements, 0/1 (one-hot) labels take one-log-per-label shortcuts;
    row chunks of 600 elements take Keras' plain formula: the same numbers."""
    rng = np.random.default_rng(8)
    t = rng.integers(0, 2, (3000, 6)).astype(np.float32)
    p = (rng.normal(scale=3, size=t.shape) if from_logits else rng.uniform(0, 1, t.shape)).astype(np.float32)
    plain = np.concatenate([losses.binary_focal_crossentropy(t[i : i + 100], p[i : i + 100], from_logits=from_logits, **options) for i in range(0, 3000, 100)])
    np.testing.assert_allclose(losses.binary_focal_crossentropy(t, p, from_logits=from_logits, **options), plain, rtol=1e-6, atol=1e-7)
    one_hot = np.eye(6, dtype=np.float32)[rng.integers(0, 6, 3000)]
    one_hot[5] = 0  # a row without a label
    q = p if from_logits else p / p.sum(axis=1, keepdims=True)
    cat_options = {"gamma": options.get("gamma", 2.0), "alpha": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] if options else 0.25}
    plain = np.concatenate([losses.categorical_focal_crossentropy(one_hot[i : i + 100], q[i : i + 100], from_logits=from_logits, **cat_options) for i in range(0, 3000, 100)])
    np.testing.assert_allclose(losses.categorical_focal_crossentropy(one_hot, q, from_logits=from_logits, **cat_options), plain, rtol=1e-5, atol=1e-7)


def test_generalized_cross_entropy_closed_form_and_limits():
    p = np.array([[0.25, 0.75], [1.0, 0.0], [0.0, 1.0]])
    labels = np.array([1, 1, 1])
    # (1 - p^q) / q at p = 0.75, 0, 1; q = 1 is 1 - p (mean absolute error of the true class)
    np.testing.assert_allclose(losses.categorical_generalized_cross_entropy(labels, p, q=0.5), [(1 - 0.75**0.5) / 0.5, 2.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(losses.categorical_generalized_cross_entropy(labels, p, q=1.0), [0.25, 1.0, 0.0], rtol=1e-12)
    # q -> 0 approaches the crossentropy -log p
    np.testing.assert_allclose(losses.categorical_generalized_cross_entropy(labels[:1], p[:1], q=1e-6), [-math.log(0.75)], rtol=1e-5)


# ---------------------------------------------------------------------------
# Dice and Tversky: empty masks, whole-batch sample weights
# ---------------------------------------------------------------------------


def test_empty_masks_give_one():
    # 1 - 0 / (0 + 0 + 1e-7) = 1 exactly (Keras' formula; see the segmentation module docstring)
    zeros = np.zeros((3, 4, 4, 1), dtype=np.float32)
    assert losses.dice(zeros, zeros) == 1.0
    assert losses.tversky(zeros, zeros, alpha=0.3, beta=0.7) == 1.0
    np.testing.assert_array_equal(losses.dice(zeros, zeros, axis=(1, 2, 3)), [1.0, 1.0, 1.0])
    t = zeros.copy()
    t[0] = 1.0
    # only the empty samples are 1; the perfect one is 0
    np.testing.assert_allclose(losses.dice(t, t, axis=(1, 2, 3)), [0.0, 1.0, 1.0], atol=1e-7)
    assert losses.Dice(axis=(1, 2, 3))(t, t) == pytest.approx(2.0 / 3.0, rel=1e-6)


@pytest.mark.parametrize("cls", [losses.Dice, losses.Tversky])
def test_whole_batch_value_times_the_weights(cls):
    """axis=None: Keras multiplies the one value by the weights, then reduces (README, "differences")."""
    rng = np.random.default_rng(4)
    t = (rng.uniform(size=(6, 5)) > 0.5).astype(np.float32)
    p = rng.uniform(size=(6, 5)).astype(np.float32)
    w = rng.uniform(0, 2, 6).astype(np.float32)
    value = float(cls()(t, p))
    assert cls()(t, p, sample_weight=w) == pytest.approx(value * float(w.mean()), rel=1e-6)
    assert cls(reduction="sum")(t, p, sample_weight=w) == pytest.approx(value * float(w.sum()), rel=1e-6)
    assert cls(reduction="mean_with_sample_weight")(t, p, sample_weight=w) == pytest.approx(value, rel=1e-6)
    np.testing.assert_allclose(cls(reduction="none")(t, p, sample_weight=w), value * w, rtol=1e-6)
    # a scalar weight: the value times it, whatever the reduction (Keras returns a weighted scalar as is)
    for reduction in ("sum_over_batch_size", "sum", "mean_with_sample_weight", "none"):
        assert cls(reduction=reduction)(t, p, sample_weight=2.5) == pytest.approx(value * 2.5, rel=1e-6)
    # the same through a wrapped function name, as compile(loss="dice") resolves it
    wrapped = rk.get(cls.__name__.lower())
    assert losses.LossFunctionWrapper(wrapped)(t, p, sample_weight=w) == pytest.approx(value * float(w.mean()), rel=1e-6)


def test_the_one_value_rule_stays_for_other_losses():
    # 1-D inputs are one sample for an ordinary loss: a vector of weights is still an error there.
    with pytest.raises(ValueError, match="sample_weight"):
        losses.MeanSquaredError()([0.0, 1.0, 2.0], [1.0, 1.0, 1.0], sample_weight=[1.0, 2.0, 3.0])


# ---------------------------------------------------------------------------
# CTC against brute force: the probability of every path that collapses to the labels
# ---------------------------------------------------------------------------


def _brute_force_ctc(labels, logits):
    steps, classes = logits.shape
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    total = 0.0
    for path in itertools.product(range(classes), repeat=steps):
        collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or path[i - 1] != c)]
        if collapsed == list(labels):
            total += math.exp(sum(logp[t, c] for t, c in enumerate(path)))
    return -math.log(total) if total > 0 else math.inf


def test_ctc_equals_brute_force_for_every_label_length():
    rng = np.random.default_rng(5)
    steps, classes = 6, 3
    logits = rng.normal(size=(steps, classes))
    for length in range(1, steps + 1):
        for labels in ([1 + (i % 2) for i in range(length)], list(rng.integers(1, classes, length))):
            expected = _brute_force_ctc(labels, logits)
            y_true = np.zeros((1, steps + 1))
            y_true[0, :length] = labels
            got = float(losses.ctc(y_true, logits[None])[0])
            if math.isfinite(expected):
                assert got == pytest.approx(expected, rel=1e-10), labels
            else:
                # no alignment fits (repeats need a blank between them): a large finite
                # penalty of about 1e5 per forbidden step, as Keras' JAX backend gives
                assert got > 5e4 and math.isfinite(got), labels


def test_ctc_minus_infinite_logits_equal_brute_force():
    # A class that can never be emitted (logit -inf): the forward algorithm stays exact
    # (Keras' JAX backend gives NaN here: its one-hot einsum multiplies -inf by 0).
    rng = np.random.default_rng(7)
    logits = rng.normal(size=(5, 4))
    logits[:, 3] = -np.inf
    logits[2, 1] = -np.inf
    for labels in ([1], [1, 2], [2, 1, 2]):
        y_true = np.zeros((1, 4))
        y_true[0, : len(labels)] = labels
        assert float(losses.ctc(y_true, logits[None])[0]) == pytest.approx(_brute_force_ctc(labels, logits), rel=1e-10)


def test_ctc_batch_is_vectorised_per_sample():
    rng = np.random.default_rng(6)
    logits = rng.normal(size=(9, 12, 5))
    labels = np.zeros((9, 4))
    for b in range(9):
        n = 1 + b % 4
        labels[b, :n] = rng.integers(1, 5, n)
    whole = losses.ctc(labels, logits)
    one_by_one = [float(losses.ctc(labels[b : b + 1], logits[b : b + 1])[0]) for b in range(9)]
    np.testing.assert_allclose(whole, one_by_one, rtol=1e-12)
    assert whole.dtype == np.float64
    assert losses.ctc(labels, logits.astype(np.float32)).dtype == np.float32


# ---------------------------------------------------------------------------
# Bad input: a ValueError or TypeError that names the argument
# ---------------------------------------------------------------------------

T2, P2 = np.array([[0.0, 1.0]]), np.array([[0.3, 0.7]])


@pytest.mark.parametrize(
    "make",
    [
        lambda: losses.binary_focal_crossentropy(T2, P2, gamma=-1.0),
        lambda: losses.BinaryFocalCrossentropy(gamma=-0.5),
        lambda: losses.categorical_focal_crossentropy(T2, P2, gamma=-2),
        lambda: losses.CategoricalFocalCrossentropy(gamma=float("nan")),
    ],
)
def test_negative_gamma(make):
    with pytest.raises(ValueError, match="`gamma`.*Received: gamma="):
        make()


@pytest.mark.parametrize(
    "make",
    [
        lambda: losses.binary_focal_crossentropy(T2, P2, alpha=1.5, apply_class_balancing=True),
        lambda: losses.BinaryFocalCrossentropy(alpha=-0.1),
        lambda: losses.categorical_focal_crossentropy(T2, P2, alpha=2.0),
        lambda: losses.CategoricalFocalCrossentropy(alpha=[0.5, 1.2]),
        lambda: losses.categorical_focal_crossentropy(T2, P2, alpha=[0.2, 0.3, 0.5]),  # one weight per class
    ],
)
def test_alpha_outside_zero_one(make):
    with pytest.raises(ValueError, match="`alpha`.*Received: alpha="):
        make()


@pytest.mark.parametrize("q", [0, -0.5, 1.5, float("nan")])
def test_q_outside_zero_one(q):
    with pytest.raises(ValueError, match=r"`q` must be in \(0, 1\]. Received: q="):
        losses.CategoricalGeneralizedCrossEntropy(q=q)
    with pytest.raises(ValueError, match="`q`"):
        losses.categorical_generalized_cross_entropy([1], P2, q=q)


@pytest.mark.parametrize("bad,match", [(True, TypeError), ("0.5", TypeError)])
def test_option_types(bad, match):
    for make in (
        lambda: losses.BinaryFocalCrossentropy(gamma=bad),
        lambda: losses.CategoricalGeneralizedCrossEntropy(q=bad),
        lambda: losses.Tversky(alpha=bad),
        lambda: losses.Circle(margin=bad),
        lambda: losses.Dice(axis=bad),
    ):
        with pytest.raises(match):
            make()


def test_ctc_bad_input():
    logits = np.zeros((2, 5, 4))
    with pytest.raises(ValueError, match=r"`y_true` holds the label 4 .* \[0, 3\] for 4 classes"):
        losses.ctc([[1, 4], [2, 0]], logits)
    with pytest.raises(ValueError, match=r"`y_pred`.*\(batch_size, time_steps, num_classes\).*Received: y_pred.shape=\(2, 5\)"):
        losses.ctc([[1, 2], [2, 0]], np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"`y_true`.*Received: y_true.shape=\(2,\)"):
        losses.ctc([1, 2], logits)
    with pytest.raises(ValueError, match="`y_true`.*negative"):
        losses.CTC()([[1, -1], [2, 0]], logits)


def test_circle_bad_input():
    e = np.eye(3)
    with pytest.raises(ValueError, match="`y_true` must hold integer labels; found 0.5"):
        losses.circle([0.5, 1.0, 1.0], e)
    with pytest.raises(ValueError, match="`y_true` must hold integer labels"):
        losses.Circle()([0.0, 1.0, 1.25], e)
    with pytest.raises(ValueError, match=r"`y_true`.*Received: y_true.shape=\(2,\)"):
        losses.circle([0, 1], e)
    with pytest.raises(ValueError, match=r"`y_pred`.*Received: y_pred.shape=\(3,\)"):
        losses.circle([0, 1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="`ref_embeddings`"):
        losses.circle([0, 1, 1], e, ref_embeddings=np.eye(2), ref_labels=[0, 1])
    with pytest.raises(ValueError, match="`gamma`"):
        losses.Circle(gamma=float("inf"))


def test_dice_bad_axis():
    t = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"`axis` is out of range.*Received: axis=\(1, 2\)"):
        losses.dice(t, t, axis=(1, 2))
    with pytest.raises(ValueError, match="`axis` names an axis twice"):
        losses.tversky(t, t, axis=(1, -1))
    with pytest.raises(ValueError, match=r"Received: y_true.shape=\(2, 3\), y_pred.shape=\(2, 4\)"):
        losses.dice(t, np.ones((2, 4)))
    with pytest.raises(ValueError, match="`beta`"):
        losses.Tversky(beta=-1.0)


# ---------------------------------------------------------------------------
# Names: R-style functions and the metric-side functions
# ---------------------------------------------------------------------------


def test_metric_side_functions():
    from rkeraslosses import metrics

    assert metrics.binary_focal_crossentropy is losses.binary_focal_crossentropy
    assert metrics.categorical_focal_crossentropy is losses.categorical_focal_crossentropy
    m = rk.metric_binary_focal_crossentropy(gamma=3.0)
    m.update_state(BF_T, BF_P)
    assert float(m.result()) == pytest.approx(float(np.mean(losses.binary_focal_crossentropy(BF_T, BF_P, gamma=3.0))), rel=1e-6)
    m = rk.get_metric("categorical_focal_crossentropy") if hasattr(rk, "get_metric") else rk.metrics.get("categorical_focal_crossentropy")
    m.update_state(CF_T, CF_P)
    assert float(m.result()) == pytest.approx(float(np.mean(losses.categorical_focal_crossentropy(CF_T, CF_P))), rel=1e-6)
    assert rk.loss_ctc().name == "ctc" and isinstance(rk.loss_dice(axis=(1, 2)), losses.Dice)


def test_compile_config_with_metric_functions():
    # Keras writes compile(metrics=[keras.metrics.binary_focal_crossentropy]) as
    # {"class_name": "function", "config": "binary_focal_crossentropy", ...}; the
    # evaluator wraps the function in a mean, as Keras does (the oracle test compares numbers).
    from rkeraslosses.evaluate import Evaluator, evaluate

    config = {
        "loss": {"module": "keras.losses", "class_name": "Dice", "config": {"name": "dice", "reduction": "sum_over_batch_size", "axis": None}},
        "metrics": [{"module": "builtins", "class_name": "function", "config": "binary_focal_crossentropy", "registered_name": "function"}],
    }
    rng = np.random.default_rng(9)
    y = (rng.uniform(size=(30, 5)) > 0.5).astype(np.float32)
    p = rng.uniform(size=(30, 5)).astype(np.float32)
    w = rng.uniform(0, 2, 30)
    got = Evaluator.from_config(config).evaluate(y, p, sample_weight=w, batch_size=8)
    expected = evaluate(y, p, loss=losses.Dice(), metrics=[losses.binary_focal_crossentropy], sample_weight=w, batch_size=8)
    assert got == pytest.approx(expected, rel=1e-7)
    # by hand: batches of 8 (the last of 6), each Dice value times the batch's mean weight, weighted by batch size
    batches = [slice(i, i + 8) for i in range(0, 30, 8)]
    by_hand = sum(float(losses.dice(y[b], p[b])) * float(np.float32(w[b]).mean()) * len(y[b]) for b in batches) / 30
    assert got["loss"] == pytest.approx(by_hand, rel=1e-5)
    assert got["binary_focal_crossentropy"] == pytest.approx(float(np.mean(losses.binary_focal_crossentropy(y, p))), rel=1e-5)
