"""One parametrized test per property, over every loss of the registry (sklearn's test_common style)."""

import warnings

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import losses
from rkeraslosses._rstyle import R_FUNCTIONS

from .registry import R_NAMES

from .registry import CASES, IDS

cases = pytest.mark.parametrize("case", CASES, ids=IDS)


@cases
def test_every_name_resolves_to_the_loss(case):
    t, p = case.inputs()
    expected = case.fn(t, p)
    for name in case.names:
        resolved = rk.get(name)
        got = resolved(t, p) if not isinstance(resolved, losses.Loss) else resolved.call(t, p)
        np.testing.assert_allclose(got, expected, rtol=1e-6, err_msg=name)


@cases
def test_function_object_and_get_agree(case):
    t, p = case.inputs()
    t32, p32 = t.astype(np.float32), p.astype(np.float32)
    per_sample = case.fn(t32, p32)
    obj = case.cls()
    assert obj(t, p) == pytest.approx(float(np.mean(per_sample)), rel=1e-5)
    assert case.cls(reduction="sum")(t, p) == pytest.approx(float(np.sum(per_sample)), rel=1e-5)
    np.testing.assert_allclose(case.cls(reduction="none")(t, p), per_sample, rtol=1e-6)
    assert rk.get(case.cls.__name__)(t, p) == obj(t, p)
    assert rk.get(case.fn)(t, p) == pytest.approx(float(obj(t, p)), rel=1e-6)


# Losses whose last axis is a class or vector axis: a single column is not a
# meaningful input for them (one class, or a 1-D vector), so they are left out.
ELEMENTWISE = [c for c in CASES if not c.sparse and c.columns and c.id not in ("categorical_crossentropy", "categorical_hinge", "cosine_similarity", "kl_divergence")]


@pytest.mark.parametrize("case", ELEMENTWISE, ids=[c.id for c in ELEMENTWISE])
def test_column_vector_equals_vector(case):
    """(n,) and (n, 1) inputs give the same reduced loss (Keras' squeeze rule)."""
    t, p = case.inputs(shape=(8,))
    obj = case.cls()
    a = obj(t, p)
    assert obj(t[:, None], p[:, None]) == pytest.approx(float(a), rel=1e-6)
    assert obj(t, p[:, None]) == pytest.approx(float(a), rel=1e-6)
    assert obj(t[:, None], p) == pytest.approx(float(a), rel=1e-6)


@cases
def test_float32_and_float64_agree(case):
    t, p = case.inputs()
    r64 = case.fn(t, p)
    r32 = case.fn(t.astype(np.float32), p.astype(np.float32))
    assert r64.dtype == np.float64 and r32.dtype == np.float32
    np.testing.assert_allclose(r32, r64, rtol=2e-5, atol=1e-6)
    assert case.cls(dtype="float64")(t, p).dtype == np.float64
    assert case.cls()(t, p).dtype == np.float32


@cases
def test_integer_input_becomes_float32(case):
    t, p = case.inputs()
    if case.sparse:
        assert case.fn(t.astype(int), p.astype(np.float32)).dtype == np.float32
    else:
        assert case.fn(t.round().astype(int), p.round().astype(int)).dtype == np.float32


@cases
def test_sample_order_does_not_matter(case):
    t, p = case.inputs(shape=(10, 4))
    perm = np.random.default_rng(1).permutation(10)
    expected = case.fn(t, p)
    expected = expected[perm] if np.ndim(expected) else expected  # a whole-batch value does not move
    np.testing.assert_allclose(case.fn(t[perm], p[perm]), expected, rtol=1e-12)
    assert case.cls()(t[perm], p[perm]) == pytest.approx(float(case.cls()(t, p)), rel=1e-6)


@cases
def test_weights_of_ones_equal_no_weights(case):
    t, p = case.inputs()
    obj = case.cls(reduction="sum")
    # A whole-batch value (Dice) times n weights, summed, is n times the value (Keras' rule).
    n = t.shape[0] if case.whole_batch else 1
    assert obj(t, p, sample_weight=np.ones(t.shape[0])) == pytest.approx(float(obj(t, p)) * n, rel=1e-6)
    assert case.cls()(t, p, sample_weight=np.ones(t.shape[0])) == pytest.approx(float(case.cls()(t, p)), rel=1e-6)
    assert obj(t, p, sample_weight=1.0) == obj(t, p)


@cases
def test_batch_weights_equal_weights_broadcast_by_hand(case):
    """A [batch_size] weight over losses of rank 2 rescales every loss of its sample."""
    t, p = case.inputs(shape=(5, 3, 4))
    w = np.array([0.5, 2.0, 0.0, 1.0, 3.0])
    obj = case.cls(reduction="none")
    unweighted = obj(t, p)
    # w spelled out to the losses' shape (a whole-batch value: w itself, as Keras multiplies it)
    w_full = w if unweighted.ndim == 0 else np.broadcast_to(w.reshape((5,) + (1,) * (unweighted.ndim - 1)), unweighted.shape)
    by_hand = obj(t, p, sample_weight=w_full)
    np.testing.assert_array_equal(obj(t, p, sample_weight=w), by_hand)
    np.testing.assert_allclose(by_hand, unweighted * w_full.astype(np.float32), rtol=1e-6)


@cases
def test_config_round_trip(case):
    obj = case.cls(reduction="sum", name="custom", dtype="float64")
    config = obj.get_config()
    assert config["name"] == "custom" and config["reduction"] == "sum"
    rebuilt = case.cls.from_config(config)
    assert rebuilt == obj
    assert rk.deserialize(rk.serialize(obj)) == obj
    t, p = case.inputs()
    assert rebuilt(t, p) == obj(t, p)


@cases
def test_default_name_is_keras_name(case):
    keras_default = {"huber": "huber_loss"}.get(case.id, case.id)
    assert case.cls().name == keras_default
    assert case.cls().get_config()["name"] == keras_default


@pytest.mark.parametrize("r_name,keras_name", R_NAMES, ids=[r for r, _ in R_NAMES])
def test_r_style_names_have_both_modes(r_name, keras_name):
    fn = getattr(rk, r_name)
    case = next(c for c in CASES if c.fn.__name__ == keras_name)
    t, p = case.inputs()
    np.testing.assert_array_equal(fn(t, p), case.fn(t, p))
    obj = fn(reduction="sum", name="x")
    assert isinstance(obj, case.cls) and obj.reduction == "sum" and obj.name == "x"
    with pytest.raises(TypeError, match="y_pred"):
        fn(t)


def test_cosine_proximity_is_deprecated_and_forwards():
    t, p = CASES[0].inputs()
    with pytest.warns(FutureWarning, match="loss_cosine_similarity"):
        got = rk.loss_cosine_proximity(t, p)
    np.testing.assert_array_equal(got, losses.cosine_similarity(t, p))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rk.loss_cosine_similarity(t, p)


def test_every_r_name_is_exported():
    assert set(R_FUNCTIONS) <= set(rk.__all__)
    for name in R_FUNCTIONS:
        assert getattr(rk, name) is R_FUNCTIONS[name]
