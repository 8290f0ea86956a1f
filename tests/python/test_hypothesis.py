"""Property tests over random shapes, dtypes and values."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rkeraslosses import losses

from .registry import CASES, IDS

cases = pytest.mark.parametrize("case", CASES, ids=IDS)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)
dtypes = st.sampled_from([np.float16, np.float32, np.float64, np.int32, np.int64, np.bool_])


def arrays(shape=shapes):
    return dtypes.flatmap(lambda dt: hnp.arrays(dt, shape))


any_input = st.one_of(
    arrays(),
    st.none(),
    st.text(max_size=3),
    st.lists(st.floats(allow_nan=True), max_size=4),
    st.lists(st.lists(st.integers(-3, 3), max_size=3), max_size=3),
    st.floats(),
    st.integers(-5, 5),
)


@cases
@SETTINGS
@given(y_true=any_input, y_pred=any_input, reduction=st.sampled_from(["sum", "none", "sum_over_batch_size", "mean_with_sample_weight"]))
def test_only_value_and_type_errors_escape(case, y_true, y_pred, reduction):
    for call in (case.fn, case.cls(reduction=reduction)):
        try:
            out = call(y_true, y_pred)
        except (ValueError, TypeError):
            continue
        # Anything accepted gives floating NumPy values (a NumPy scalar when reduced).
        assert isinstance(out, (np.ndarray, np.floating)) and out.dtype.kind == "f"


@cases
@SETTINGS
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**32 - 1),
    scale=st.sampled_from([1e-3, 1.0, 1e3]),
)
def test_finite_inputs_in_domain_give_finite_outputs(case, shape, dtype, seed, scale):
    rng = np.random.default_rng(seed)
    t, p = case.make(rng, shape)
    if case.id in ("mean_squared_error", "mean_absolute_error", "huber", "log_cosh", "cosine_similarity", "mean_absolute_percentage_error"):
        t, p = t * scale, p * scale
    t, p = t.astype(dtype), p.astype(dtype)
    out = case.fn(t, p)
    assert np.all(np.isfinite(out))
    expected_shape = case.out_shape(shape)
    assert np.shape(out) == expected_shape
    weights = rng.uniform(0, 1, size=np.shape(out)[:1])
    assert np.isfinite(case.cls()(t, p, sample_weight=weights))


@SETTINGS
@given(
    logits=hnp.arrays(np.float32, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6), elements=st.floats(-1e4, 1e4, width=32)),
    seed=st.integers(0, 1000),
)
def test_logits_anywhere_give_finite_crossentropies(logits, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, logits.shape[1], size=logits.shape[0])
    one_hot = np.eye(logits.shape[1], dtype=np.float32)[labels]
    assert np.isfinite(losses.categorical_crossentropy(one_hot, logits, from_logits=True)).all()
    assert np.isfinite(losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)).all()
    assert np.isfinite(losses.binary_crossentropy(one_hot, logits, from_logits=True)).all()
    assert (losses.categorical_crossentropy(one_hot, logits, from_logits=True) >= 0).all()


@SETTINGS
@given(residual=st.floats(-1e38, 1e38))
def test_log_cosh_is_finite_for_every_finite_residual(residual):
    # float32 up to 1e38: -2x must itself be finite (float32's max is 3.4e38).
    out = losses.log_cosh(np.zeros((1, 1), np.float32), np.full((1, 1), residual, np.float32))
    assert np.isfinite(out).all() and (out >= 0).all()
