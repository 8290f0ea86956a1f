"""The R package against the Python core, on the same random inputs, through rpy2.

R's 1-based axis and its factors are shifted explicitly here: axis k in R is
k - 1 in Python, and factor level i is label i - 1.
"""

import numpy as np
import pytest

import rkeraslosses as rk
from .registry import R_METRIC_NAMES, R_NAMES

from .registry import CASES

pytestmark = pytest.mark.r

CASE_OF = {c.fn.__name__: c for c in CASES}


def to_r(x):
    """A NumPy array as an R array with the same dim (R is column-major)."""
    import rpy2.robjects as ro

    x = np.asarray(x, dtype=float)
    if x.ndim == 0:
        return ro.FloatVector([float(x)])
    return ro.r.array(ro.FloatVector(x.ravel(order="F")), dim=ro.IntVector(x.shape))


def from_r(x):
    import rpy2.robjects as ro

    dim = ro.r.dim(x)
    values = np.asarray(x, dtype=float)
    if dim is ro.NULL or len(dim) <= 1:
        return values.reshape(-1)
    return values.reshape(tuple(dim), order="F") if values.ndim == 1 else values


@pytest.mark.parametrize("r_name,keras_name", R_NAMES, ids=[n for n, _ in R_NAMES])
@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 5)])
def test_every_loss_function(r, r_name, keras_name, shape):
    case = CASE_OF[keras_name]
    t, p = case.inputs(seed=11, shape=shape)
    ours = getattr(rk, r_name)(t, p)
    theirs = from_r(r[r_name](to_r(t), to_r(p)))
    np.testing.assert_allclose(theirs, np.asarray(ours).reshape(theirs.shape), rtol=1e-12)


@pytest.mark.parametrize("r_name,keras_name", R_NAMES, ids=[n for n, _ in R_NAMES])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum"])
def test_every_loss_object_with_weights(r, r_name, keras_name, reduction):
    case = CASE_OF[keras_name]
    t, p = case.inputs(seed=12, shape=(5, 3))
    w = np.random.default_rng(3).uniform(0, 2, size=5)
    ours = getattr(rk, r_name)(reduction=reduction)(t, p, sample_weight=w)
    theirs = r[r_name](reduction=reduction)(to_r(t), to_r(p), sample_weight=to_r(w))
    assert float(theirs[0]) == pytest.approx(float(ours), rel=1e-6)


@pytest.mark.parametrize("r_axis,py_axis", [(1, 0), (2, 1), (-1, -1), (-3, 0)])
def test_axis_is_one_based_in_r(r, r_axis, py_axis):
    rng = np.random.default_rng(4)
    t = rng.uniform(size=(4, 3, 5))
    p = rng.uniform(0.05, 1, size=(4, 3, 5))
    for name in ("categorical_crossentropy", "binary_crossentropy", "cosine_similarity"):
        ours = getattr(rk.losses, name)(t, p, axis=py_axis)
        theirs = from_r(r[f"loss_{name}"](to_r(t), to_r(p), axis=r_axis))
        np.testing.assert_allclose(theirs, ours, rtol=1e-12, err_msg=name)


def test_sparse_labels_as_factor(r):
    import rpy2.robjects as ro

    p = np.random.default_rng(5).uniform(0.05, 1, size=(6, 4))
    labels = np.array([0, 3, 1, 1, 2, 0])
    levels = ro.StrVector(["a", "b", "c", "d"])
    factor = ro.r.factor(ro.StrVector([levels[int(i)] for i in labels]), levels=levels)  # level i is label i - 1
    ours = rk.loss_sparse_categorical_crossentropy(labels, p)
    np.testing.assert_allclose(from_r(r["loss_sparse_categorical_crossentropy"](factor, to_r(p))), ours, rtol=1e-12)
    np.testing.assert_allclose(from_r(r["loss_sparse_categorical_crossentropy"](to_r(labels), to_r(p))), ours, rtol=1e-12)


def test_to_categorical(r):
    import rpy2.robjects as ro

    y = np.array([0, 2, 1, 2])
    np.testing.assert_array_equal(from_r(r["to_categorical"](to_r(y))), rk.to_categorical(y))
    np.testing.assert_array_equal(from_r(r["to_categorical"](to_r(y), num_classes=5)), rk.to_categorical(y, num_classes=5))
    # a factor with an unused level keeps its column
    factor = ro.r.factor(ro.StrVector(["b", "c"]), levels=ro.StrVector(["a", "b", "c", "d"]))
    np.testing.assert_array_equal(from_r(r["to_categorical"](factor)), rk.to_categorical([1, 2], num_classes=4))


def _metric_inputs(cls, seed):
    fn = cls._fn_static
    case = CASE_OF.get(fn.__name__, CASE_OF["cosine_similarity"])
    return case.inputs(seed=seed, shape=(5, 3))


@pytest.mark.parametrize("r_name,cls", R_METRIC_NAMES, ids=[n for n, _ in R_METRIC_NAMES])
def test_every_metric_streams_the_same(r, r_name, cls):
    ours = getattr(rk, r_name)()
    theirs = r[r_name]()
    update = r("function(m, t, p, w) m$update_state(t, p, sample_weight = w)")
    result = r("function(m) m$result()")
    for seed in range(3):
        t, p = _metric_inputs(cls, seed)
        w = np.random.default_rng(seed).uniform(0, 2, size=5)
        ours.update_state(t, p, sample_weight=w)
        update(theirs, to_r(t), to_r(p), to_r(w))
    assert float(result(theirs)[0]) == float(ours.result())
    values_ours = getattr(rk, r_name)(*_metric_inputs(cls, 9))
    values_theirs = from_r(r[r_name](*map(to_r, _metric_inputs(cls, 9))))
    np.testing.assert_allclose(values_theirs, values_ours, rtol=1e-12)


def test_log_loss(r):
    t = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
    p = np.array([[0.1, 0.8, 0.6], [0.9, 0.3, 0.99]])
    w = np.array([[1.0, 0.0, 2.0], [0.0, 0.5, 1.0]])
    for reduction in rk.Reduction.all():
        ours = np.asarray(rk.log_loss(t, p, weights=w, reduction=reduction))
        theirs = from_r(r["log_loss"](to_r(t), to_r(p), weights=to_r(w), reduction=reduction))
        np.testing.assert_allclose(theirs.reshape(ours.shape), ours, rtol=1e-12)


@pytest.mark.parametrize("batch_size", [None, 4])
def test_evaluate_predictions(r, batch_size):
    import rpy2.robjects as ro

    rng = np.random.default_rng(8)
    y = np.eye(3)[rng.integers(0, 3, 11)]
    p = rng.uniform(0.05, 1, (11, 3))
    w = rng.uniform(0, 2, 11)
    ours = rk.evaluate(y, p, loss="categorical_crossentropy", metrics=["mae", "accuracy"], weighted_metrics=["mse"],
                       sample_weight=w, batch_size=batch_size)
    theirs = r["evaluate_predictions"](to_r(y), to_r(p), loss="categorical_crossentropy", metrics=ro.StrVector(["mae", "accuracy"]),
                                       weighted_metrics="mse", sample_weight=to_r(w),
                                       batch_size=ro.NULL if batch_size is None else batch_size)
    got = dict(zip(ro.r.names(theirs), np.asarray(theirs)))
    assert got == pytest.approx(ours, rel=1e-12)
