"""Stability at the extremes, against closed forms computed here."""

import math
import warnings

import numpy as np
import pytest

from rkeraslosses import losses
from rkeraslosses._inputs import EPSILON

DTYPES = pytest.mark.parametrize("dtype", [np.float32, np.float64])


@DTYPES
def test_bce_logits_of_plus_minus_1e4(dtype):
    x = np.array([[1e4, -1e4, 1e4, -1e4]], dtype=dtype)
    t = np.array([[1, 0, 0, 1]], dtype=dtype)
    # closed form: a confident right logit costs log1p(exp(-1e4)) = 0, a wrong one |x| = 1e4.
    out = losses.binary_crossentropy(t, x, from_logits=True)
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, [(0 + 0 + 1e4 + 1e4) / 4])


@DTYPES
def test_cce_logits_of_plus_minus_1e4(dtype):
    x = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], dtype=dtype)
    t = np.array([[1, 0, 0], [1, 0, 0]], dtype=dtype)
    # closed form: log_softmax of the max is ~0; of -1e4 next to 1e4 it is -2e4.
    out = losses.categorical_crossentropy(t, x, from_logits=True)
    np.testing.assert_allclose(out, [0.0, 2e4], atol=1e-6)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy([0, 0], x, from_logits=True), [0.0, 2e4], atol=1e-6)


@DTYPES
def test_probabilities_exactly_zero_and_one(dtype):
    p = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=dtype)
    t = np.array([[0.0, 1.0], [0.0, 1.0]], dtype=dtype)
    eps = dtype(EPSILON)
    # closed form: probabilities are clipped to [eps, 1 - eps].
    lo, hi = -math.log(float(dtype(1) - eps)), -math.log(float(eps))
    # BCE's wrong-side terms: -log(1 - (1 - eps)) with 1 - eps rounded in the dtype, and -log(eps).
    wrong_zero = -math.log(float(dtype(1) - (dtype(1) - eps)))
    np.testing.assert_allclose(losses.binary_crossentropy(t, p), [lo, (wrong_zero + hi) / 2], rtol=1e-5)
    np.testing.assert_allclose(losses.categorical_crossentropy(t, p), [lo, hi], rtol=1e-5)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy([1, 1], p), [lo, hi], rtol=1e-5)
    kl = losses.kl_divergence(t, p)
    assert np.isfinite(kl).all()
    assert np.isfinite(losses.poisson(t, p)).all()
    assert np.isfinite(losses.mean_squared_logarithmic_error(t, p)).all()


@pytest.mark.parametrize("dtype,residual", [(np.float32, 500.0), (np.float32, 1e4), (np.float64, 1e4), (np.float64, 1e300)])
def test_log_cosh_large_residuals(dtype, residual):
    t = np.zeros((1, 2), dtype=dtype)
    p = np.array([[residual, -residual]], dtype=dtype)
    with np.errstate(over="ignore"):
        naive = np.log(np.cosh(p.astype(dtype)))
    if residual >= 500:
        assert np.isinf(naive).all()  # the naive formula overflows here...
    out = losses.log_cosh(t, p)
    # ...the closed form for large |x| is |x| - log(2).
    np.testing.assert_allclose(out, [residual - math.log(2)], rtol=1e-6)


@pytest.mark.parametrize("dtype,rtol", [(np.float32, 2e-6), (np.float64, 1e-12)])
def test_log_cosh_keeps_relative_precision_for_small_residuals(dtype, rtol):
    # We differ from Keras here: its x + softplus(-2x) - log(2) cancels to
    # +-6e-8 (float32) for small x, even below 0. Reference: log(cosh x) =
    # log1p(2 sinh(x/2)**2), exact to float64 rounding for every x used here.
    x = np.logspace(-8, 0.5, 200).astype(dtype)
    expected = np.log1p(2 * np.sinh(x.astype(np.float64) / 2) ** 2)
    out = losses.log_cosh(np.zeros((200, 1), dtype), x[:, None])
    assert (out > 0).all()
    np.testing.assert_allclose(out, expected, rtol=rtol)


def test_float64_keeps_float64_precision():
    # closed form: mse of residual 1e-10 is 1e-20, below float32's resolution near 1.
    t = np.array([[1.0, 1.0]])
    p = t + 1e-10
    out = losses.mean_squared_error(t, p)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, [1e-20], rtol=1e-5)
    x = np.array([[1.0, 1.0 + 1e-12]])
    assert losses.categorical_crossentropy([[0.0, 1.0]], x)[0] == pytest.approx(math.log(2), rel=1e-14)


def test_cosine_of_zero_vector_is_zero():
    out = losses.cosine_similarity([[0.0, 0.0], [1.0, 0.0]], [[1.0, 2.0], [0.0, 0.0]])
    np.testing.assert_array_equal(out, [0.0, 0.0])


def test_huber_closed_form():
    e = np.array([[0.5, -2.0, 1.0]])
    # closed form with delta = 1: 0.5 e^2 inside, |e| - 0.5 outside.
    expected = np.mean([0.125, 1.5, 0.5])
    assert losses.huber(np.zeros_like(e), e)[0] == pytest.approx(expected)
    assert losses.huber(np.zeros_like(e), e, delta=2.0)[0] == pytest.approx(np.mean([0.125, 2.0, 0.5]))


def test_hinge_label_conversion_is_all_or_nothing():
    p = np.array([[0.3, -0.4]])
    # all labels in {0, 1}: converted to -1/1 -> max(1 - [-0.3, -0.4]... ) closed form
    assert losses.hinge([[0.0, 1.0]], p)[0] == pytest.approx(np.mean([1 + 0.3, 1 + 0.4]))
    # a label outside {0, 1} anywhere: nothing is converted
    assert losses.hinge([[0.0, 2.0]], p)[0] == pytest.approx(np.mean([1.0, 1 + 0.8]))


def test_label_smoothing_closed_form():
    t, p = np.array([[0.0, 1.0]]), np.array([[0.25, 0.75]])
    # closed form: smoothed labels [0.05, 0.95] (ls=0.1, C=2)
    expected = -(0.05 * math.log(0.25) + 0.95 * math.log(0.75))
    assert losses.categorical_crossentropy(t, p, label_smoothing=0.1)[0] == pytest.approx(expected)
    # binary smoothing: t * 0.9 + 0.05
    tb = np.array([0.05, 0.95])
    expected_b = -np.mean(tb * np.log([0.25, 0.75]) + (1 - tb) * np.log([0.75, 0.25]))
    assert losses.binary_crossentropy(t, p, label_smoothing=0.1)[0] == pytest.approx(expected_b)


def test_ignore_class_is_left_out_of_the_mean():
    p = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]])
    labels = [1, -1, 2]
    per = losses.sparse_categorical_crossentropy(labels, p, ignore_class=-1)
    # closed form: -log(0.95), 0 (ignored), -log(0.4)
    np.testing.assert_allclose(per, [-math.log(0.95), 0.0, -math.log(0.4)], rtol=1e-6)
    obj = losses.SparseCategoricalCrossentropy(ignore_class=-1)
    assert obj(labels, p) == pytest.approx((-math.log(0.95) - math.log(0.4)) / 2, rel=1e-6)
    assert losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction="sum")(labels, p) == pytest.approx(
        -math.log(0.95) - math.log(0.4), rel=1e-6
    )
    assert losses.SparseCategoricalCrossentropy(ignore_class=-1)([-1, -1, -1], p) == 0.0


def test_mean_with_sample_weight_divides_by_the_weights():
    t, p = [[0.0], [1.0]], [[1.0], [3.0]]
    # closed form: squared errors 1 and 4; weights 1 and 3.
    assert losses.MeanSquaredError(reduction="mean_with_sample_weight")(t, p, sample_weight=[1.0, 3.0]) == pytest.approx(13 / 4)
    assert losses.MeanSquaredError()(t, p, sample_weight=[1.0, 3.0]) == pytest.approx(13 / 2)
    assert losses.MeanSquaredError(reduction="mean_with_sample_weight")(t, p, sample_weight=[0.0, 0.0]) == 0.0


def test_one_hot_and_dense_paths_agree():
    rng = np.random.default_rng(3)
    n = 2000  # large enough for the one-hot shortcut (small inputs take the dense formula)
    p = rng.uniform(0.01, 1, size=(n, 7)).astype(np.float32)
    labels = rng.integers(0, 7, size=n)
    one_hot = np.eye(7, dtype=np.float32)[labels]
    soft = one_hot * 0.999 + 0.001 / 7  # dense labels take the dense path
    sparse_path = losses.categorical_crossentropy(one_hot, p)
    dense_path = losses.categorical_crossentropy(soft, p, label_smoothing=0.0)
    np.testing.assert_allclose(sparse_path, losses.sparse_categorical_crossentropy(labels, p), rtol=1e-6)
    q = np.clip(p / p.sum(axis=1, keepdims=True), 1e-7, 1 - 1e-7)
    np.testing.assert_allclose(sparse_path, -np.log(q[np.arange(n), labels]), rtol=1e-5)
    np.testing.assert_allclose(dense_path, -(soft * np.log(q)).sum(axis=1), rtol=1e-5)


@pytest.mark.parametrize("from_logits", [False, True])
def test_one_hot_shortcut_handles_bad_rows_like_the_dense_formula(from_logits):
    rng = np.random.default_rng(5)
    n = 1000
    x = rng.uniform(0.01, 1, size=(n, 4)).astype(np.float32)
    x[3] = np.nan
    x[4] = 0.0  # probabilities summing to 0
    x[5, 1] = -np.inf
    x[6, 2] = np.inf
    labels = rng.integers(0, 4, size=n)
    one_hot = np.eye(4, dtype=np.float32)[labels]
    with np.errstate(all="ignore"):
        if from_logits:
            z = x - x.max(axis=1, keepdims=True)
            logq = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        else:
            logq = np.log(np.clip(x / x.sum(axis=1, keepdims=True), np.float32(1e-7), np.float32(1) - np.float32(1e-7)))
        expected = -(one_hot * logq).sum(axis=1)  # the dense formula, closed form
    got = losses.categorical_crossentropy(one_hot, x, from_logits=from_logits)
    np.testing.assert_allclose(got, expected, rtol=1e-5, equal_nan=True)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(labels, x, from_logits=from_logits), expected, rtol=1e-5, equal_nan=True)


def test_crossentropy_on_logits_is_never_below_zero():
    """Without the max shift, log(sum(exp(x))) can round a few ulps below a
    row's largest logit; a log-probability must still never exceed 0 (Keras'
    shifted formula guarantees it). One class: Keras' loss is exactly 0 for any
    logit (x - max = 0, log(exp(0)) = 0); ours is 0 or an ulp of the logit
    above it (log(exp(x)) rounds), never below. Found by hypothesis (0.5 gave
    -3e-8 before the clamp)."""
    from rkeraslosses import losses

    x = np.linspace(-20, 20, 4001, dtype=np.float32)[:, None]
    for fn, t in ((losses.categorical_crossentropy, np.ones_like(x)), (losses.sparse_categorical_crossentropy, np.zeros(len(x), dtype=int))):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # Keras' warning for one class
            out = fn(t, x, from_logits=True)
        assert (out >= 0).all(), fn.__name__
        np.testing.assert_allclose(out, 0.0, rtol=0, atol=2e-6, err_msg=fn.__name__)
    # Two classes, the true one far ahead: tiny losses, never negative.
    two = np.stack([x[:, 0], x[:, 0] - 30], axis=1)
    assert (losses.sparse_categorical_crossentropy(np.zeros(len(x), dtype=int), two, from_logits=True) >= 0).all()
    assert (losses.categorical_crossentropy(np.eye(2, dtype=np.float32)[np.zeros(len(x), dtype=int)] * 0.5 + 0.25, two, from_logits=True) >= 0).all()


@DTYPES
@pytest.mark.parametrize("size", [7, 4096, 4097, 300_000])  # both of is_binary's tests, and its block loop
@pytest.mark.parametrize("odd", [None, np.nan, np.inf, -np.inf, -1.0, 2.0, 0.5, 1 + 2**-23, 1 - 2**-24, 1e-45, -0.0])
def test_is_binary_is_exactly_every_value_0_or_1(dtype, size, odd):
    """hinge.is_binary decides Keras' 0/1 label conversion (hinge, squared hinge)
    and the one-log paths: it must be exactly ``all(t == 0 or t == 1)`` (the
    reference, computed here), whichever of its tests runs for the size."""
    from rkeraslosses.losses.hinge import is_binary

    t = np.random.default_rng(size).integers(0, 2, size).astype(dtype)
    if odd is not None:
        t[size // 2] = dtype(odd)
    expected = bool(np.all((t == 0) | (t == 1)))
    assert is_binary(t) is expected
    assert is_binary(t.reshape(-1, 1)) is expected


def test_exact_array_sums_keep_infinities_as_plain_addition():
    """The double-double running sums of the table metrics (metrics/base.py:
    ExactArraySum) give what plain float64 addition gives once a sum is not
    finite: finite + inf = inf (its TwoSum error terms are inf - inf, which
    made it NaN), inf - inf = NaN, and a finite sum that overflows is inf."""
    from rkeraslosses.metrics.base import ExactArraySum

    s = ExactArraySum((3,))
    s.add(np.array([1.0, 2.0, 1e308]))
    s.add(np.array([np.inf, 3.0, 1e308]))
    np.testing.assert_array_equal(s.value, [np.inf, 5.0, np.inf])
    s.add(np.array([-np.inf, np.nan, 1.0]))
    assert np.isnan(s.value[:2]).all() and s.value[2] == np.inf


def test_an_infinite_weight_makes_a_weighted_count_infinite():
    """TruePositives sums the weights of the true positives: with a weight of
    inf the sum is inf (Keras' float32 sum is inf too), in one update or in a
    later one."""
    from rkeraslosses import metrics

    m = metrics.TruePositives()
    m.update_state([1, 1], [1, 1], sample_weight=[np.inf, 1.0])
    assert m.result() == np.inf
    m = metrics.TruePositives()
    m.update_state([1, 1], [1, 1], sample_weight=[1.0, 1.0])
    m.update_state([1], [1], sample_weight=[np.inf])
    assert m.result() == np.inf
