"""Differential tests against Keras 3 itself (KERAS_BACKEND=jax), on random inputs.

Expected numbers come from Keras at test time; agreement is asked to float32
precision (a few ulps, relative 2e-5 or absolute 2e-6 near zero).
"""

import warnings

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import losses

from .registry import CASES, IDS

pytestmark = pytest.mark.oracle

SHAPES = [(7, 5), (3, 4, 6), (1, 2), (16, 1)]
RTOL, ATOL = 2e-5, 2e-6

OPTIONS = {
    "binary_crossentropy": [{}, {"from_logits": True}, {"label_smoothing": 0.2}, {"from_logits": True, "label_smoothing": 0.1}],
    "categorical_crossentropy": [{}, {"from_logits": True}, {"label_smoothing": 0.2}, {"from_logits": True, "label_smoothing": 0.1}],
    "sparse_categorical_crossentropy": [{}, {"from_logits": True}, {"ignore_class": 1}],
    "huber": [{}, {"delta": 0.5}],
    "cosine_similarity": [{}],
    "binary_focal_crossentropy": [
        {},
        {"apply_class_balancing": True, "alpha": 0.4},
        {"from_logits": True},
        {"label_smoothing": 0.2, "gamma": 0.5},
        {"from_logits": True, "apply_class_balancing": True, "gamma": 3.0, "label_smoothing": 0.1},
    ],
    "categorical_focal_crossentropy": [{}, {"from_logits": True}, {"label_smoothing": 0.2}, {"from_logits": True, "gamma": 0.0}, {"alpha": 0.6, "gamma": 1.5}],
    "categorical_generalized_cross_entropy": [{"q": 0.2}, {"q": 0.8}, {"q": 0.5}],
    "dice": [{}, {"axis": (1,)}],
    "tversky": [{}, {"alpha": 0.3, "beta": 0.7}, {"alpha": 0.7, "beta": 0.2, "axis": (1,)}],
    "circle": [{}, {"remove_diagonal": False}, {"gamma": 10.0, "margin": 0.25}],
}


def _keras_name(case):
    return case.cls.__name__


def _inputs(case, shape, seed, options):
    t, p = case.inputs(seed=seed, shape=shape)
    if options.get("from_logits"):
        p = np.random.default_rng(seed + 100).normal(scale=4.0, size=shape)
    return t.astype(np.float32), p.astype(np.float32)


def _params():
    for case in CASES:
        for options in OPTIONS.get(case.id, [{}]):
            for shape in SHAPES:
                if case.sparse and shape[-1] == 1:
                    continue  # one class: nothing to compare
                yield pytest.param(case, options, shape, id=f"{case.id}-{options}-{shape}")


@pytest.mark.parametrize("case,options,shape", list(_params()))
def test_function_matches_keras(keras, case, options, shape):
    t, p = _inputs(case, shape, seed=sum(shape), options=options)
    expected = np.asarray(getattr(keras.losses, case.id)(t, p, **options))
    got = case.fn(t, p, **options)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("case,options,shape", list(_params()))
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "none", "mean_with_sample_weight"])
def test_loss_object_matches_keras(keras, case, options, shape, reduction):
    t, p = _inputs(case, shape, seed=sum(shape) + 1, options=options)
    per_sample_shape = case.fn(t, p, **options).shape
    w = np.random.default_rng(7).uniform(0, 2, size=per_sample_shape).astype(np.float32)
    ours = case.cls(reduction=reduction, **options)
    theirs = getattr(keras.losses, _keras_name(case))(reduction=reduction, **options)
    np.testing.assert_allclose(ours(t, p), np.asarray(theirs(t, p)), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours(t, p, sample_weight=w), np.asarray(theirs(t, p, sample_weight=w)), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_config_matches_keras(keras, case, monkeypatch):
    monkeypatch.setattr("rkeraslosses.identifiers._warned_dropped", set())  # its warning, once per session, is fresh here
    options = OPTIONS.get(case.id, [{}])[-1]
    theirs = getattr(keras.losses, _keras_name(case))(**options).get_config()
    ours = case.cls(**options).get_config()
    # Ours has every key of Keras'; Keras 3 leaves `axis` (CosineSimilarity) and
    # `delta` (Huber) out, so its config cannot round-trip them: ours keeps them.
    assert {k: ours[k] for k in theirs} == theirs
    assert set(ours) - set(theirs) <= {"axis", "delta"}
    # A Keras config deserializes into our class, and ours into Keras'.
    # Loading Keras' config of Huber / CosineSimilarity warns that delta / axis fall back to the default.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from_keras = rk.deserialize(keras.losses.serialize(getattr(keras.losses, _keras_name(case))(**options)))
    dropped = {"huber": "`delta`", "cosine_similarity": "`axis`"}.get(case.id)
    assert [str(w.message).split(" (")[0] for w in caught] == ([f"The {case.cls.__name__} config has no {dropped}"] if dropped else [])
    assert isinstance(from_keras, case.cls)
    assert {k: from_keras.get_config()[k] for k in theirs} == theirs
    keras_serialized = keras.losses.serialize(getattr(keras.losses, _keras_name(case))(**options))
    if isinstance(keras.losses.deserialize(keras_serialized), keras.losses.Loss):
        assert keras.losses.deserialize(rk.serialize(case.cls(**options))).get_config() == theirs
    else:
        # Keras 3.15 cannot deserialize its own CategoricalGeneralizedCrossEntropy
        # (it returns the class name); ours serializes to the same dict.
        ours_serialized = rk.serialize(case.cls(**options))
        assert ours_serialized["class_name"] == keras_serialized["class_name"]
        assert {k: ours_serialized["config"][k] for k in theirs} == keras_serialized["config"]


@pytest.mark.parametrize("axis", [0, 1, -2])
def test_axis_matches_keras(keras, axis):
    rng = np.random.default_rng(5)
    t = rng.uniform(size=(4, 3, 5)).astype(np.float32)
    p = rng.uniform(0.05, 1, size=(4, 3, 5)).astype(np.float32)
    for name in ("categorical_crossentropy", "binary_crossentropy", "cosine_similarity"):
        np.testing.assert_allclose(
            getattr(losses, name)(t, p, axis=axis), np.asarray(getattr(keras.losses, name)(t, p, axis=axis)), rtol=RTOL, atol=ATOL, err_msg=name
        )


def test_extreme_logits_match_keras(keras):
    x = np.array([[1e4, -1e4, 0.0, 30.0], [-1e4, 1e4, -30.0, 0.0]], dtype=np.float32)
    t = np.array([[1, 0, 0, 1], [1, 0, 1, 0]], dtype=np.float32)
    np.testing.assert_allclose(
        losses.binary_crossentropy(t, x, from_logits=True), np.asarray(keras.losses.binary_crossentropy(t, x, from_logits=True)), rtol=RTOL
    )
    t1 = np.array([[1, 0, 0, 0], [0, 0, 1, 0]], dtype=np.float32)
    np.testing.assert_allclose(
        losses.categorical_crossentropy(t1, x, from_logits=True),
        np.asarray(keras.losses.categorical_crossentropy(t1, x, from_logits=True)),
        rtol=RTOL,
    )


def test_probabilities_zero_and_one_match_keras(keras):
    p = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], dtype=np.float32)
    t = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    for name in ("binary_crossentropy", "categorical_crossentropy", "kl_divergence", "poisson", "mean_squared_logarithmic_error"):
        np.testing.assert_allclose(getattr(losses, name)(t, p), np.asarray(getattr(keras.losses, name)(t, p)), rtol=RTOL, err_msg=name)


def test_to_categorical_matches_keras(keras):
    y = np.array([[0], [2], [1], [3]])
    np.testing.assert_array_equal(rk.to_categorical(y), keras.utils.to_categorical(y))
    np.testing.assert_array_equal(rk.to_categorical([1, 0], num_classes=4), keras.utils.to_categorical([1, 0], num_classes=4))
    y3 = np.array([[0, 1], [2, 2]])
    np.testing.assert_array_equal(rk.to_categorical(y3), keras.utils.to_categorical(y3))


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("shape", [(2, 2), (7, 5), (32, 10)])
@pytest.mark.parametrize("label_dtype", [np.int64, np.int32, np.uint8])
def test_small_sparse_calls_with_integer_labels_match_keras(keras, from_logits, shape, label_dtype):
    # Integer labels in range with default options take the direct path
    # (_small_sparse_call); the float labels of test_function_matches_keras do not.
    rng = np.random.default_rng(sum(shape))
    labels = rng.integers(0, shape[1], shape[0]).astype(label_dtype)
    p = rng.normal(scale=4.0, size=shape) if from_logits else rng.uniform(0.01, 1, size=shape)
    p = p.astype(np.float32)
    expected = np.asarray(keras.losses.sparse_categorical_crossentropy(labels, p, from_logits=from_logits))
    for x in (p, np.asfortranarray(p)):
        got = losses.sparse_categorical_crossentropy(labels, x, from_logits=from_logits)
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("rows", [32, 600])  # one small call; past _SMALL (2048 values), the one-hot path
@pytest.mark.parametrize("sparse", [False, True])
def test_logits_with_infinities_match_keras(keras, rows, sparse):
    """-inf beside the label makes Keras' loss NaN (0 * -inf); -inf at the
    label makes it inf; +inf and NaN make it NaN. Each special row sits among
    ordinary rows, whose block then skips the max shift: the no-shift path must
    still see the -inf and leave those rows to the dense formula. The sparse
    32-row call sees it by a count of the exp values (_picked_log_probs on a
    small block); the 600-row calls by a reduction, and the one-hot 32-row
    call takes the dense formula itself: all four against Keras."""
    rng = np.random.default_rng(rows)
    x = rng.normal(scale=3.0, size=(rows, 10)).astype(np.float32)
    labels = rng.integers(0, 10, rows)
    labels[:4] = 3
    x[0, 5] = -np.inf  # beside the label
    x[1, 3] = -np.inf  # at the label
    x[2, 7] = np.inf
    x[3, 1] = np.nan
    y_true = labels if sparse else np.eye(10, dtype=np.float32)[labels]
    fn = "sparse_categorical_crossentropy" if sparse else "categorical_crossentropy"
    expected = np.asarray(getattr(keras.losses, fn)(y_true, x, from_logits=True))
    assert np.isnan(expected[0]) and expected[1] == np.inf and np.isnan(expected[2:4]).all()  # Keras' own numbers
    ordinary = np.arange(4, rows)
    # The whole block; the -inf rows without the +inf and NaN ones (which alone
    # would send the block to the shifted formula); each -inf row among ordinary ones.
    for keep in (np.arange(rows), np.r_[0, 1, ordinary], np.r_[0, ordinary], np.r_[1, ordinary]):
        got = getattr(losses, fn)(y_true[keep], x[keep], from_logits=True)
        np.testing.assert_allclose(got, expected[keep], rtol=RTOL, atol=ATOL)
