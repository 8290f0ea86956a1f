"""Differential tests against Keras 3 at the sizes that reach every fast path.

The losses compute in blocks of ``BLOCK_ELEMENTS`` elements and take shortcuts
above ``_SMALL`` elements (one logarithm per row for one-hot and integer
labels, log-sum-exp without a shift on the rows
whose sum of exponentials allows it, a log-cosh formula chosen by the
machine). Every size here is derived from those constants, so retuning one
cannot move a case off the path it is meant to test: each case spans more
than two blocks, with a last block that is not full, and a row count that is
not a multiple of anything. Expected numbers: Keras 3 (``KERAS_BACKEND=jax``)
at test time, with the tolerance of ``test_keras_oracle.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from rkeraslosses import losses
from rkeraslosses import metrics
from rkeraslosses import registry
from rkeraslosses.losses import _rowwise
from rkeraslosses.losses import probabilistic
from rkeraslosses.losses import regression

pytestmark = pytest.mark.oracle

RTOL, ATOL = 2e-5, 2e-6
C = 10
#: Rows: more than two full blocks plus a partial one (the blocks hold
#: BLOCK_ELEMENTS // C rows), and far above the small-input threshold.
ROWS = 2 * (_rowwise.BLOCK_ELEMENTS // C) + 1237


def test_sizes_reach_the_fast_paths():
    step = _rowwise.BLOCK_ELEMENTS // C
    assert ROWS > 2 * step and ROWS % step != 0
    assert step * C > probabilistic._SMALL  # every block takes the shortcuts


def _keras_fn(keras, name):
    return getattr(keras.losses, name)


def _close(got, expected, name=""):
    expected = np.asarray(expected)
    assert got.shape == expected.shape, name
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL, err_msg=name)


def _data(seed=0, rows=ROWS, dtype=np.float32):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, C, size=rows)
    one_hot = np.zeros((rows, C), dtype=dtype)
    one_hot[np.arange(rows), labels] = 1
    return {
        "labels": labels,
        "one_hot": one_hot,
        "binary": rng.integers(0, 2, size=(rows, C)).astype(dtype),
        "signed": rng.choice([-1.0, 1.0], size=(rows, C)).astype(dtype),
        "uniform": rng.uniform(0.0, 1.0, size=(rows, C)).astype(dtype),
        "probs": rng.uniform(0.01, 1.0, size=(rows, C)).astype(dtype),
        "logits": rng.normal(0.0, 4.0, size=(rows, C)).astype(dtype),
        "normal": rng.normal(0.0, 2.0, size=(rows, C)).astype(dtype),
    }


DENSE = [
    ("mean_squared_error", "normal", "normal", {}),
    ("mean_absolute_error", "normal", "normal", {}),
    ("mean_absolute_percentage_error", "normal", "normal", {}),
    ("mean_squared_logarithmic_error", "uniform", "probs", {}),
    ("log_cosh", "normal", "normal", {}),
    ("huber", "normal", "normal", {}),
    ("huber", "normal", "normal", {"delta": 0.3}),
    ("cosine_similarity", "normal", "normal", {}),
    ("hinge", "binary", "normal", {}),  # 0/1 labels: converted to -1/1
    ("hinge", "signed", "normal", {}),
    ("squared_hinge", "binary", "normal", {}),
    ("squared_hinge", "signed", "normal", {}),
    ("categorical_hinge", "one_hot", "normal", {}),
    ("kl_divergence", "uniform", "probs", {}),
    ("poisson", "uniform", "probs", {}),
    ("binary_crossentropy", "binary", "probs", {}),  # 0/1 labels
    ("binary_crossentropy", "uniform", "probs", {}),  # soft labels: two
    ("binary_crossentropy", "binary", "logits", {"from_logits": True}),
    ("binary_crossentropy", "binary", "probs", {"label_smoothing": 0.1}),
    ("categorical_crossentropy", "one_hot", "probs", {}),  # one-hot: one log per row
    ("categorical_crossentropy", "one_hot", "logits", {"from_logits": True}),
    ("categorical_crossentropy", "uniform", "probs", {}),  # soft labels: the dense formula
    ("categorical_crossentropy", "uniform", "logits", {"from_logits": True}),
    ("categorical_crossentropy", "one_hot", "probs", {"label_smoothing": 0.1}),
]


@pytest.mark.parametrize("name,true_kind,pred_kind,options", DENSE, ids=[f"{n}-{t}-{p}-{o}" for n, t, p, o in DENSE])
def test_large_dense_losses_match_keras(keras, name, true_kind, pred_kind, options):
    d = _data(seed=len(name))
    t, p = d[true_kind], d[pred_kind]
    _close(getattr(losses, name)(t, p, **options), _keras_fn(keras, name)(t, p, **options), name)


@pytest.mark.parametrize("from_logits", [False, True])
def test_large_sparse_crossentropy_matches_keras(keras, from_logits):
    d = _data(seed=3)
    p = d["logits"] if from_logits else d["probs"]
    expected = keras.losses.sparse_categorical_crossentropy(d["labels"], p, from_logits=from_logits)
    _close(losses.sparse_categorical_crossentropy(d["labels"], p, from_logits=from_logits), expected)
    # Labels as a float column (what R hands over), the same numbers.
    column = d["labels"].astype(np.float32)[:, None]
    _close(losses.sparse_categorical_crossentropy(column, p, from_logits=from_logits), expected)


def test_large_sparse_crossentropy_with_ignore_class_matches_keras(keras):
    d = _data(seed=4)
    ours = losses.SparseCategoricalCrossentropy(ignore_class=2)(d["labels"], d["probs"])
    theirs = keras.losses.SparseCategoricalCrossentropy(ignore_class=2)(d["labels"], d["probs"])
    np.testing.assert_allclose(ours, np.asarray(theirs), rtol=RTOL)


@pytest.mark.parametrize("sparse", [False, True])
def test_logits_out_of_the_shift_range_fall_back_in_their_block_only(keras, sparse):
    # One block holds a logit far above the others (the shifted exp would
    # overflow) and one holds NaN: those blocks take the max-subtraction path,
    # the others the shifted one; every row must still be Keras' number.
    d = _data(seed=5)
    x = d["logits"].copy()
    step = _rowwise.BLOCK_ELEMENTS // C
    x[7, (d["labels"][7] + 1) % C] = 500.0  # block 0: out of range, finite
    x[step + 11, 4] = np.nan  # block 1: NaN propagates to its row only
    x[2 * step + 5] = [1e4, -1e4] * (C // 2)  # last block: extreme logits
    if sparse:
        got = losses.sparse_categorical_crossentropy(d["labels"], x, from_logits=True)
        expected = keras.losses.sparse_categorical_crossentropy(d["labels"], x, from_logits=True)
    else:
        got = losses.categorical_crossentropy(d["one_hot"], x, from_logits=True)
        expected = keras.losses.categorical_crossentropy(d["one_hot"], x, from_logits=True)
    expected = np.asarray(expected)
    assert np.isnan(got[step + 11]) and np.isnan(expected[step + 11])
    _close(got, expected)


@pytest.mark.parametrize("offset", [0.0, 5.0, 10.0, 20.0, 40.0])
@pytest.mark.parametrize("kind", ["sparse", "one_hot", "soft", "focal_one_hot", "focal_soft"])
def test_confident_logits_of_any_size_match_keras(keras, kind, offset):
    """Log-sum-exp without a shift is used only where it rounds like Keras'
    shifted formula: confident rows (the true logit 5-16 above the others, so
    losses down to 1e-7) at growing offsets, mixed in every block. Measured:
    with the no-shift range at e^+-16 the worst error is 0.4 of the tolerance;
    widened to e^+-60 it is 1.08 (offsets 20 and 40 fail)."""
    rng = np.random.default_rng(int(offset) + 11)
    d = _data(seed=int(offset) + 12)
    x = (rng.normal(size=(ROWS, C)) + offset).astype(np.float32)
    x[np.arange(ROWS), d["labels"]] += rng.uniform(5, 16, ROWS).astype(np.float32)
    if kind == "sparse":
        got = losses.sparse_categorical_crossentropy(d["labels"], x, from_logits=True)
        expected = keras.losses.sparse_categorical_crossentropy(d["labels"], x, from_logits=True)
    elif kind.startswith("focal"):
        # Focal's softmax skips the shift on the same rows (one-hot path and dense path).
        t = d["one_hot"] if kind == "focal_one_hot" else d["one_hot"] * np.float32(0.9) + np.float32(0.01)
        got = losses.categorical_focal_crossentropy(t, x, from_logits=True)
        expected = keras.losses.categorical_focal_crossentropy(t, x, from_logits=True)
    else:
        t = d["one_hot"] if kind == "one_hot" else d["one_hot"] * np.float32(0.9) + np.float32(0.01)
        got = losses.categorical_crossentropy(t, x, from_logits=True)
        expected = keras.losses.categorical_crossentropy(t, x, from_logits=True)
    _close(got, expected, f"{kind} offset {offset}")


def test_one_hot_rows_with_zeros_nan_and_two_ones_match_keras(keras):
    # All-zero label rows stay on the one-hot path (loss 0); a NaN prediction
    # and a row with two 1s send their block to the dense formula.
    d = _data(seed=6)
    t, p = d["one_hot"].copy(), d["probs"].copy()
    step = _rowwise.BLOCK_ELEMENTS // C
    t[3] = 0
    p[step + 2, 1] = np.nan
    t[2 * step + 9, :2] = 1
    for from_logits, x in ((False, p), (True, np.where(np.isnan(p), np.nan, d["logits"]).astype(np.float32))):
        expected = keras.losses.categorical_crossentropy(t, x, from_logits=from_logits)
        _close(losses.categorical_crossentropy(t, x, from_logits=from_logits), expected, f"from_logits={from_logits}")


@pytest.mark.parametrize("formula", ["sinh", "series"])
def test_both_log_cosh_formulas_match_keras(keras, monkeypatch, formula):
    # The formula is chosen by the machine (SIMD sinh/log1p or not): test both here.
    monkeypatch.setattr(regression, "LOG_COSH_FORMULA", formula)
    d = _data(seed=7)
    t = d["normal"]
    p = t + d["normal"] * np.float32(0.1)  # many residuals below the series' threshold
    p[5, 5] = 1e4  # one beyond the sinh formula's linear range
    p[-1, 0] = -300.0
    _close(losses.log_cosh(t, p), keras.losses.log_cosh(t, p))


def test_float64_takes_the_same_paths():
    # Keras computes in float32 whatever the input; the float64 fast paths are
    # checked against the formulas of docs semantics.md §1 in float64 instead.
    d = _data(seed=8, dtype=np.float64)
    t1, x, p, b = d["one_hot"], d["logits"], d["probs"], d["binary"]
    eps = 1e-7
    lse = np.log(np.exp(x - x.max(axis=1, keepdims=True)).sum(axis=1)) + x.max(axis=1)
    q = np.clip(p / p.sum(axis=1, keepdims=True), eps, 1 - eps)
    qb = np.clip(p, eps, 1 - eps)
    r = np.abs(x - d["normal"])
    for name, got, expected in (
        ("cce logits", losses.categorical_crossentropy(t1, x, from_logits=True), -(t1 * (x - lse[:, None])).sum(axis=1)),
        ("cce", losses.categorical_crossentropy(t1, p), -(t1 * np.log(q)).sum(axis=1)),
        ("scce logits", losses.sparse_categorical_crossentropy(d["labels"], x, from_logits=True), -(t1 * (x - lse[:, None])).sum(axis=1)),
        ("bce", losses.binary_crossentropy(b, p), -(b * np.log(qb) + (1 - b) * np.log(1 - qb)).mean(axis=1)),
        ("log_cosh", losses.log_cosh(d["normal"], x), (r + np.log1p(np.exp(-2 * r)) - np.log(2.0)).mean(axis=1)),
    ):
        assert got.dtype == np.float64, name
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-13, err_msg=name)


def test_loss_objects_reduce_large_inputs_like_keras(keras):
    d = _data(seed=9)
    w = np.random.default_rng(9).uniform(0, 2, size=ROWS).astype(np.float32)
    for ours, theirs, t, p in (
        (losses.CategoricalCrossentropy(), keras.losses.CategoricalCrossentropy(), d["one_hot"], d["probs"]),
        (losses.SparseCategoricalCrossentropy(from_logits=True), keras.losses.SparseCategoricalCrossentropy(from_logits=True), d["labels"], d["logits"]),
        (losses.MeanSquaredError(reduction="sum"), keras.losses.MeanSquaredError(reduction="sum"), d["normal"], d["uniform"]),
    ):
        np.testing.assert_allclose(ours(t, p), np.asarray(theirs(t, p)), rtol=RTOL)
        np.testing.assert_allclose(ours(t, p, sample_weight=w), np.asarray(theirs(t, p, sample_weight=w)), rtol=RTOL)


#: The DENSE cases whose function casts block by block in a Loss object.
_BLOCK_CAST = [case for case in DENSE if getattr(losses, case[0]) in _rowwise.CASTS_BY_BLOCK]


@pytest.mark.parametrize("name,true_kind,pred_kind,options", _BLOCK_CAST, ids=[f"{n}-{t}-{p}-{o}" for n, t, p, o in _BLOCK_CAST])
def test_loss_objects_on_column_major_float64_match_keras(keras, name, true_kind, pred_kind, options):
    """R's doubles (float64, column-major) to a float32 Loss object, which casts
    them block by block: Keras' Loss object casts them first."""
    d = _data(seed=len(name) + 1, dtype=np.float64)
    t, p = np.asfortranarray(d[true_kind]), np.asfortranarray(d[pred_kind])
    cls = registry.entry("loss", name).cls
    ours = cls(reduction="none", **options)(t, p)
    theirs = np.asarray(getattr(keras.losses, cls.__name__)(reduction="none", **options)(t, p))
    assert ours.dtype == np.float32
    _close(ours, theirs, name)


def test_binary_focal_on_predictions_outside_0_1_matches_keras(keras):
    """0/1 labels and predictions beyond [0, 1] (and infinite ones) in large
    blocks: Keras' formula, as on small blocks (a 0/1 shortcut once gave 0.156
    for p = 2, label 0, where Keras gives 16.10, and +-inf for NaN)."""
    rng = np.random.default_rng(12)
    t = rng.integers(0, 2, (ROWS, C)).astype(np.float32)
    p = rng.uniform(-1.0, 2.0, (ROWS, C)).astype(np.float32)
    p[7, :3] = np.inf, -np.inf, 2.0
    for options in ({}, {"gamma": 0.5}, {"apply_class_balancing": True}):
        got = losses.binary_focal_crossentropy(t, p, **options)
        want = np.asarray(keras.losses.binary_focal_crossentropy(t, p, **options))
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
        finite = np.isfinite(want)
        _close(got[finite], want[finite], f"binary focal {options}")


def test_sparse_loss_object_on_float64_matches_keras(keras):
    d = _data(seed=4, dtype=np.float64)
    for options in ({}, {"from_logits": True}):
        kind = "logits" if options else "probs"
        ours = losses.SparseCategoricalCrossentropy(reduction="none", **options)(d["labels"], d[kind])
        theirs = keras.losses.SparseCategoricalCrossentropy(reduction="none", **options)(d["labels"], d[kind])
        _close(ours, np.asarray(theirs), f"sparse {options}")


# ---------------------------------------------------------------------------
# Every loss-based metric at batch sizes 1 and 2, with and without weights
# (a one-sample batch with a one-element weight raised before; Keras gives the value).
# ---------------------------------------------------------------------------

BUILTIN_METRICS = [e for e in registry.entries("metric") if isinstance(e.cls, type) and issubclass(e.cls, metrics.BuiltinMetric)]


def _metric_inputs(entry, batch, rng):
    if entry.labels == "sparse":
        return rng.integers(0, 3, size=batch).astype(np.float32), rng.uniform(0.05, 1.0, size=(batch, 3)).astype(np.float32)
    if entry.labels == "binary":
        return rng.integers(0, 2, size=(batch, 3)).astype(np.float32), rng.uniform(0.05, 0.95, size=(batch, 3)).astype(np.float32)
    if entry.labels == "categorical":
        return np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=batch)], rng.uniform(0.05, 1.0, size=(batch, 3)).astype(np.float32)
    t = rng.uniform(0.1, 1.0, size=(batch, 3)).astype(np.float32)
    p = rng.uniform(0.1, 1.0, size=(batch, 3)).astype(np.float32)
    p[0, 0] = t[0, 0]  # so that Accuracy counts one match
    return t, p


def test_every_builtin_metric_is_checked():
    names = {e.cls.__name__ for e in BUILTIN_METRICS}
    assert {"MeanAbsoluteError", "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "CosineSimilarity"} <= names


@pytest.mark.parametrize("entry", BUILTIN_METRICS, ids=[e.cls.__name__ for e in BUILTIN_METRICS])
@pytest.mark.parametrize("batch", [1, 2])
@pytest.mark.parametrize("weighted", [False, True])
def test_metric_batch_sizes_and_weights_match_keras(keras, entry, batch, weighted):
    t, p = _metric_inputs(entry, batch, np.random.default_rng(batch))
    w = np.array([2.0, 0.5][:batch], dtype=np.float32) if weighted else None
    ours, theirs = entry.cls(), getattr(keras.metrics, entry.cls.__name__)()
    ours.update_state(t, p, sample_weight=w)
    theirs.update_state(t, p, sample_weight=w)
    np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("entry", [e for e in BUILTIN_METRICS if e.labels == "dense"], ids=lambda e: e.cls.__name__)
@pytest.mark.parametrize("weight", [None, [2.0], 2.0])
def test_one_sample_as_1d_inputs_takes_one_weight_like_keras(keras, entry, weight):
    # 1-D y_true and y_pred of one element are one sample; Keras weights its
    # value with a weight of shape (1,) (issue 14: we raised "cannot broadcast").
    t, p = np.array([0.5], np.float32), np.array([1.0], np.float32)
    w = None if weight is None else np.asarray(weight, np.float32)
    ours, theirs = entry.cls(), getattr(keras.metrics, entry.cls.__name__)()
    ours.update_state(t, p, sample_weight=w)
    theirs.update_state(t, p, sample_weight=w)
    np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=RTOL, atol=ATOL)


# ---------------------------------------------------------------------------
# Values beyond float32 (issue 14): inf, without NumPy's cast warning.
# ---------------------------------------------------------------------------


def test_values_beyond_float32_become_inf_without_a_warning(keras, recwarn):
    import rkeraslosses as rk

    # Python floats become float32 (Keras' floatx), where 1e300 is inf: the
    # loss is inf (closed form), as TensorFlow's Keras gives; Keras on JAX
    # raises OverflowError. The README lists this among the differences.
    assert rk.loss_mean_squared_error([1e300, 1.0], [0, 0]) == np.inf
    # A Loss object casts to its dtype (float32) the same way.
    assert losses.MeanSquaredError()(np.array([[1e300, 1.0]]), np.zeros((1, 2))) == np.inf
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
    # A float64 array keeps its dtype in a plain function, and its value.
    assert losses.mean_absolute_error(np.array([1e300, 1.0]), np.zeros(2)) == 0.5 * (1e300 + 1.0)
    # Keras' float32 number for what float32 holds: both give inf for an inf input.
    assert np.asarray(keras.losses.mean_squared_error(np.float32([np.inf, 1.0]), np.float32([0, 0]))) == np.inf


def test_zero_losses_keep_keras_sign_of_zero(keras):
    # Certain predictions give a loss of exactly zero; Keras' -sum(...) makes it
    # -0.0, and the fast paths must not turn it into +0.0 (it prints as "-0.").
    x = np.zeros((ROWS, C), np.float32)
    x[:, 0] = 200.0
    one_hot = np.zeros((ROWS, C), np.float32)
    one_hot[:, 0] = 1
    labels = np.zeros(ROWS, np.int64)
    probs = one_hot.copy()
    for name, got, expected in (
        ("cce logits", losses.categorical_crossentropy(one_hot, x, from_logits=True), keras.losses.categorical_crossentropy(one_hot, x, from_logits=True)),
        ("scce logits", losses.sparse_categorical_crossentropy(labels, x, from_logits=True), keras.losses.sparse_categorical_crossentropy(labels, x, from_logits=True)),
        ("cce zero labels", losses.categorical_crossentropy(np.zeros_like(one_hot), probs), keras.losses.categorical_crossentropy(np.zeros_like(one_hot), probs)),
        ("cosine orthogonal", losses.cosine_similarity(one_hot, np.roll(one_hot, 1, axis=1)), keras.losses.cosine_similarity(one_hot, np.roll(one_hot, 1, axis=1))),
    ):
        expected = np.asarray(expected)
        np.testing.assert_array_equal(got, expected, err_msg=name)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(expected), err_msg=name)
