"""The R package against the Python core, on the same random inputs, through rpy2.

Every R name of the registry is called from R and from Python (its R-style
function, ``rkeraslosses.<r_name>``) with inputs made for its label kind, so a
new registry row is covered without an edit here.

R's 1-based axis and its factors are shifted explicitly here: axis k in R is
k - 1 in Python, and factor level i is label i - 1.
"""

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import _rstyle

from .r_side import R_DATA_NAMES, R_DEPRECATED, inputs, required_options

pytestmark = pytest.mark.r

#: y_pred's shapes tried for every R name: some losses take one rank only
#: (CTC wants (batch, time, classes), Circle (batch, features)); each R name
#: must give values for at least one of them.
SHAPES = [(6, 4), (2, 3, 5)]


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


def r_options(r, code: dict) -> dict:
    """R values of the options written as R code (``"3L"``, ``"c(0L, 1L)"``)."""
    return {k: r(v) for k, v in code.items()}


def compare_over_shapes(r, r_name, entry, seed, python_call, r_call, check):
    """For each shape: Python's and R's results agree (``check``), or, where
    Python rejects the inputs, R raises too. At least one shape must give values."""
    from rpy2.rinterface_lib.embedded import RRuntimeError

    compared = []
    for shape in SHAPES:
        py_req, r_req = required_options(r_name, shape[-1])
        t, p = inputs(entry.labels, seed, shape)
        try:
            ours = python_call(t, p, py_req)
        except (ValueError, TypeError):
            with pytest.raises(RRuntimeError):
                r_call(t, p, r_options(r, r_req))
            continue
        check(ours, r_call(t, p, r_options(r, r_req)))
        compared.append(shape)
    assert compared, f"{r_name}: no input shape of {SHAPES} gave values; give its label kind an input maker in r_side.py"


@pytest.mark.parametrize("r_name,entry", R_DATA_NAMES, ids=[n for n, _ in R_DATA_NAMES])
def test_every_r_function_with_data(r, r_name, entry):
    if _rstyle.per_sample_function(entry) is None:
        # a metric Keras has only as a class: data is an error, in both languages
        from rpy2.rinterface_lib.embedded import RRuntimeError

        py_req, r_req = required_options(r_name, 4)
        t, p = inputs(entry.labels, 11, (6, 4))
        with pytest.raises(TypeError, match="stateful metric object only"):
            getattr(rk, r_name)(t, p, **py_req)
        with pytest.raises(RRuntimeError, match="stateful metric object only"):
            r[r_name](to_r(t), to_r(p), **r_options(r, r_req))
        return

    def check(ours, theirs):
        theirs = from_r(theirs)
        np.testing.assert_allclose(theirs, np.asarray(ours, dtype=float).reshape(theirs.shape), rtol=1e-12)

    compare_over_shapes(
        r, r_name, entry, 11,
        lambda t, p, req: getattr(rk, r_name)(t, p, **req),
        lambda t, p, req: r[r_name](to_r(t), to_r(p), **req),
        check,
    )


LOSS_NAMES = [(n, e) for n, e in R_DATA_NAMES if e.kind == "loss"]
METRIC_NAMES = [(n, e) for n, e in R_DATA_NAMES if e.kind == "metric"]


@pytest.mark.parametrize("r_name,entry", LOSS_NAMES, ids=[n for n, _ in LOSS_NAMES])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum"])
def test_every_loss_object_with_weights(r, r_name, entry, reduction):
    def weights(t):
        return np.random.default_rng(3).uniform(0, 2, size=t.shape[0])

    def check(ours, theirs):
        assert float(theirs[0]) == pytest.approx(float(ours), rel=1e-6)

    compare_over_shapes(
        r, r_name, entry, 12,
        lambda t, p, req: getattr(rk, r_name)(reduction=reduction, **req)(t, p, sample_weight=weights(t)),
        lambda t, p, req: r[r_name](reduction=reduction, **req)(to_r(t), to_r(p), sample_weight=to_r(weights(t))),
        check,
    )


@pytest.mark.parametrize("r_name,entry", METRIC_NAMES, ids=[n for n, _ in METRIC_NAMES])
def test_every_metric_streams_the_same(r, r_name, entry):
    update = r("function(m, t, p, w) m$update_state(t, p, sample_weight = w)")
    result = r("function(m) m$result()")

    def stream(make_ours, make_theirs, shape):
        ours, theirs = make_ours(), make_theirs()
        for seed in range(3):
            t, p = inputs(entry.labels, seed, shape)
            w = np.random.default_rng(seed).uniform(0, 2, size=shape[0])
            ours.update_state(t, p, sample_weight=w)
            update(theirs, to_r(t), to_r(p), to_r(w))
        return ours.result(), result(theirs)

    def check(ours, theirs):
        # one Python computation behind both; R hands over column-major (Fortran-order)
        # arrays, so a metric whose float32 sums depend on memory order may differ by a
        # few ulps (PearsonCorrelation's centred float32 sums lose more: 3e-6 seen)
        np.testing.assert_allclose(from_r(theirs), np.asarray(ours, dtype=float).reshape(-1), rtol=1e-5)

    compared = []
    for shape in SHAPES:
        py_req, r_req = required_options(r_name, shape[-1])
        try:
            ours = getattr(rk, r_name)(**py_req)
            for seed in range(3):
                ours.update_state(*inputs(entry.labels, seed, shape))
        except (ValueError, TypeError):
            continue  # inputs of this shape are not for this metric (checked by the data-mode test)
        check(*stream(lambda: getattr(rk, r_name)(**py_req), lambda: r[r_name](**r_options(r, r_req)), shape))
        compared.append(shape)
    assert compared, f"{r_name}: no input shape of {SHAPES} could update it"


@pytest.mark.parametrize("old,new", R_DEPRECATED, ids=[o for o, _ in R_DEPRECATED])
def test_deprecated_r_names_forward(r, old, new):
    t, p = inputs("dense", 2, (4, 3))
    np.testing.assert_array_equal(from_r(r[old](to_r(t), to_r(p))), from_r(r[new](to_r(t), to_r(p))))


def test_mean_and_sum_take_values(r):
    v = np.random.default_rng(6).normal(size=7)
    w = np.random.default_rng(7).uniform(0, 2, size=7)
    update = r("function(m, v, w) m$update_state(v, sample_weight = w)")
    result = r("function(m) m$result()")
    for name in ("metric_mean", "metric_sum"):
        ours, theirs = getattr(rk, name)(), r[name]()
        ours.update_state(v, sample_weight=w)
        update(theirs, to_r(v), to_r(w))
        assert float(result(theirs)[0]) == float(ours.result()), name


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
    for name in ("loss_sparse_categorical_crossentropy", "metric_sparse_categorical_accuracy"):
        ours = getattr(rk, name)(labels, p)
        np.testing.assert_allclose(from_r(r[name](factor, to_r(p))), ours, rtol=1e-12, err_msg=name)
        np.testing.assert_allclose(from_r(r[name](to_r(labels), to_r(p))), ours, rtol=1e-12, err_msg=name)


def test_to_categorical(r):
    import rpy2.robjects as ro

    y = np.array([0, 2, 1, 2])
    np.testing.assert_array_equal(from_r(r["to_categorical"](to_r(y))), rk.to_categorical(y))
    np.testing.assert_array_equal(from_r(r["to_categorical"](to_r(y), num_classes=5)), rk.to_categorical(y, num_classes=5))
    # a factor with an unused level keeps its column
    factor = ro.r.factor(ro.StrVector(["b", "c"]), levels=ro.StrVector(["a", "b", "c", "d"]))
    np.testing.assert_array_equal(from_r(r["to_categorical"](factor)), rk.to_categorical([1, 2], num_classes=4))


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


# Compile configurations with the metrics and losses of issues 10-12, from R's
# evaluate_predictions(): the same keys and values as the core's evaluate(),
# which the oracle tests show equal to Keras' model.evaluate(return_dict=True).
COMPILE_CASES = {
    "imbalanced-data tutorial": (
        "binary",
        dict(loss="binary_crossentropy", metrics=["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives",
                                                  "binary_accuracy", "precision", "recall", "AUC",
                                                  {"class_name": "AUC", "config": {"name": "prc", "curve": "PR"}}]),
    ),
    "classification": ("categorical", dict(loss="categorical_crossentropy", metrics=["accuracy", "top_k_categorical_accuracy", "f1_score"])),
    "segmentation": ("sparse", dict(loss="sparse_categorical_crossentropy", metrics=[{"class_name": "MeanIoU", "config": {"num_classes": 3, "sparse_y_pred": False}}])),
    "regression": ("dense", dict(loss="mse", metrics=["RootMeanSquaredError", "R2Score", "mae"])),
    "focal": ("binary", dict(loss={"class_name": "BinaryFocalCrossentropy", "config": {"apply_class_balancing": True}}, metrics=["AUC"])),
    "dice": ("dense01", dict(loss="dice", metrics=["binary_accuracy"])),
}


def _compile_inputs(kind, n=37, seed=21):
    rng = np.random.default_rng(seed)
    if kind == "binary":
        return rng.integers(0, 2, (n, 1)).astype(float), rng.uniform(0.01, 0.99, (n, 1))
    if kind == "categorical":
        return np.eye(6)[rng.integers(0, 6, n)], rng.dirichlet(np.ones(6), n)
    if kind == "sparse":
        return rng.integers(0, 3, n).astype(float), rng.dirichlet(np.ones(3), n)
    if kind == "dense01":
        return rng.integers(0, 2, (n, 4)).astype(float), rng.uniform(0, 1, (n, 4))
    return rng.normal(size=(n, 3)), rng.normal(size=(n, 3))


def _to_r_identifier(x):
    import rpy2.robjects as ro

    if isinstance(x, dict):
        return ro.ListVector({k: _to_r_identifier(v) for k, v in x.items()})
    if isinstance(x, list):
        return ro.r["list"](*[_to_r_identifier(v) for v in x])
    return x


@pytest.mark.parametrize("case", sorted(COMPILE_CASES))
def test_evaluate_predictions_with_every_kind_of_metric_and_loss(r, case):
    import rpy2.robjects as ro

    kind, config = COMPILE_CASES[case]
    y, p = _compile_inputs(kind)
    w = np.random.default_rng(5).uniform(0, 2, len(y))
    ours = rk.evaluate(y, p, sample_weight=w, batch_size=8, **config)
    args = {k: _to_r_identifier(v) for k, v in config.items()}
    theirs = r["evaluate_predictions"](to_r(y), to_r(p), sample_weight=to_r(w), batch_size=8, **args)
    got = dict(zip(ro.r.names(theirs), np.asarray(theirs)))
    # R's evaluate_predictions() returns one named numeric vector: a metric with
    # several values (F1Score per class) gives f1_score1, f1_score2, ... as unlist() names them.
    flat = {}
    for k, v in ours.items():
        v = np.ravel(v)
        flat.update({k: float(v[0])} if v.size == 1 else {f"{k}{i + 1}": float(x) for i, x in enumerate(v)})
    assert list(got) == list(flat)
    assert got == pytest.approx(flat, rel=1e-12, nan_ok=True)
