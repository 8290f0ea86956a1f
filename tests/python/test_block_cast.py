"""Loss objects cast large inputs of another float dtype block by block
(``_rowwise.cast_blocks``): the same bits as casting the whole inputs first,
less memory, and only for the functions that read their inputs block by block
(``_rowwise.CASTS_BY_BLOCK``)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import _parallel
from rkeraslosses.losses import _rowwise, base
from rkeraslosses.registry import ENTRIES

#: The marked functions, each with its class and the options worth a case.
_MARKED = [e for e in ENTRIES if e.kind == "loss" and e.fn in _rowwise.CASTS_BY_BLOCK and e.cls is not None]
_OPTIONS = {
    "binary_crossentropy": [{}, {"from_logits": True}, {"label_smoothing": 0.2}],
    "categorical_crossentropy": [{}, {"from_logits": True}, {"label_smoothing": 0.1}, {"axis": 0}],
    "sparse_categorical_crossentropy": [{}, {"from_logits": True}, {"ignore_class": 2}],
    "huber": [{"delta": 0.3}],
    "cosine_similarity": [{}, {"axis": 0}],
}
_CASES = [(e, o) for e in _MARKED for o in _OPTIONS.get(e.fn.__name__, [{}])]


def test_the_marked_functions_are_the_block_wise_builtins():
    """Every function that opts in is one of these (a new one needs its own
    look: does it read the data outside rowwise's blocks?)."""
    names = {fn.__name__ for fn in _rowwise.CASTS_BY_BLOCK}
    assert names == {
        "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error", "log_cosh", "huber", "cosine_similarity",
        "kl_divergence", "poisson", "categorical_hinge",
        "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
        "categorical_accuracy", "sparse_categorical_accuracy",
    }  # fmt: skip
    assert len(_MARKED) == len(names) - 2  # the accuracies are metrics (their own test below)


def _inputs(entry, n, c, dtype, order, seed=0):
    """Labels and predictions of ``entry``'s kind, with the values that test a
    cast: NaN, infinities, values beyond float32's range and below its
    smallest subnormal, and labels that are 0/1 only after the cast."""
    rng = np.random.default_rng(seed)
    p = rng.normal(0.0, 3.0, (n, c)).astype(dtype)
    if entry.labels == "sparse":
        t = rng.integers(0, c, n)
    elif entry.labels in ("binary", "categorical"):
        t = np.eye(c, dtype=dtype)[rng.integers(0, c, n)]
        t[7, :2] = 1.0 + 1e-12, 1e-50  # 1 and 0 in float32, not in float64
    else:
        t = rng.normal(size=(n, c)).astype(dtype)
    p[3, 0] = np.nan
    p[4, 1] = np.inf
    p[5, 2] = 1e300 if dtype == np.float64 else -np.inf  # inf in float32
    p[6, 3] = 1e-300 if dtype == np.float64 else 0.0  # 0 in float32
    p[n - 1] = np.abs(p[n - 1])
    if order == "F":
        p = np.asfortranarray(p)
        t = np.asfortranarray(t) if t.ndim == 2 else t
    return t, p


def _bits(x):
    x = np.atleast_1d(np.asarray(x))
    return x.view(np.uint8)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("entry, options", _CASES, ids=lambda x: x.fn.__name__ if hasattr(x, "fn") else (",".join(f"{k}={v}" for k, v in x.items()) or "defaults"))
def test_block_cast_gives_the_bits_of_casting_first(entry, options, order, monkeypatch):
    """float64 inputs of several blocks (and a partial one) to a float32 Loss
    object, per sample (``reduction="none"``) and reduced: bit for bit the
    object's numbers on the inputs cast first. A spy makes sure the block cast
    ran (else the test would compare a path with itself)."""
    step = _rowwise.BLOCK_ELEMENTS // 10
    n = 3 * step + 17
    t, p = _inputs(entry, n, 10, np.float64, order)
    entered = []
    real = base.cast_blocks

    class Spy(real):
        def __enter__(self):
            entered.append(self.dtype)
            return super().__enter__()

    monkeypatch.setattr(base, "cast_blocks", Spy)
    for reduction in ("none", "sum_over_batch_size"):
        obj = entry.cls(reduction=reduction, **options)
        got = obj(t, p)
        assert entered, "the block cast did not run"
        entered.clear()
        with np.errstate(over="ignore"):  # 1e300 becomes inf, as the object makes it
            t32 = t if t.dtype.kind != "f" else t.astype(np.float32)
            want = obj(t32, p.astype(np.float32))
        assert not entered
        assert np.asarray(got).dtype == np.float32
        assert np.array_equal(_bits(got), _bits(want)), f"{entry.fn.__name__} {options} {reduction}"


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", ["mean_squared_error", "cosine_similarity", "categorical_crossentropy", "binary_crossentropy"])
def test_a_one_row_last_block_of_a_column_major_array(name, threads):
    """R's arrays are column-major: a last block of one row, cut from the cast
    array, is a strided row, summed in another order than a contiguous one.
    Such a call casts the arrays whole, and gives the bits of casting first."""
    entry = next(e for e in _MARKED if e.fn.__name__ == name)
    step = _rowwise.BLOCK_ELEMENTS // 10 // threads  # the rows of a thread's block
    # An odd number of a thread's blocks plus one row: on two threads the
    # one-row block exists only for the thread's step, not the whole block's.
    t, p = _inputs(entry, 3 * step + 1, 10, np.float64, "F")
    obj = entry.cls(reduction="none")
    with _parallel.using(threads):
        got = obj(t, p)
        with np.errstate(over="ignore"):
            want = obj(t.astype(np.float32), p.astype(np.float32))
    assert np.array_equal(_bits(got), _bits(want))


@pytest.mark.parametrize("loss_dtype, input_dtype", [("float16", np.float32), ("float64", np.float32), ("float32", np.float16)])
def test_other_dtypes_cast_by_block_too(loss_dtype, input_dtype):
    """A float16 object on float32 data, a float64 object on float32 data,
    a float32 object on float16 data: the bits of casting first."""
    entry = next(e for e in _MARKED if e.fn.__name__ == "categorical_crossentropy")
    t, p = _inputs(entry, 2 * _rowwise.BLOCK_ELEMENTS // 10 + 5, 10, input_dtype, "C")
    obj = entry.cls(reduction="none", dtype=loss_dtype, from_logits=True)
    got = obj(t, p)
    with np.errstate(over="ignore"):
        want = obj(t.astype(loss_dtype), p.astype(loss_dtype))
    assert got.dtype == np.dtype(loss_dtype)
    assert np.array_equal(_bits(got), _bits(want))


def test_on_any_thread_count(monkeypatch):
    """The cast runs inside each thread's blocks: 1, 2 and 3 threads agree."""
    entry = next(e for e in _MARKED if e.fn.__name__ == "binary_crossentropy")
    t, p = _inputs(entry, 5 * _rowwise.BLOCK_ELEMENTS // 10 + 3, 10, np.float64, "C")
    obj = entry.cls(reduction="none")
    results = []
    for count in (1, 2, 3):
        with _parallel.using(count):
            results.append(obj(t, p))
    for r in results[1:]:
        np.testing.assert_array_equal(r, results[0])


def test_hinge_casts_first():
    """Hinge decides its 0/1 label rule on the whole array, so it is not
    marked: labels that are 0 and 1 only in float32 get the rule (as in Keras,
    which casts first)."""
    assert rk.losses.hinge not in _rowwise.CASTS_BY_BLOCK
    n = 2 * _rowwise.BLOCK_ELEMENTS // 10 + 1
    rng = np.random.default_rng(1)
    t = rng.integers(0, 2, (n, 10)).astype(np.float64)
    t[0, 0] = 1.0 + 1e-12
    p = rng.normal(size=(n, 10))
    obj = rk.losses.Hinge(reduction="none")
    np.testing.assert_array_equal(obj(t, p), obj(t.astype(np.float32), p.astype(np.float32)))


def test_small_calls_and_other_inputs_convert_first(monkeypatch):
    """One block, labels of another dtype than the predictions, non-NumPy
    inputs and a user's function keep the conversion up front."""
    entered = []
    real = base.cast_blocks

    class Spy(real):
        def __enter__(self):
            entered.append(1)
            return super().__enter__()

    monkeypatch.setattr(base, "cast_blocks", Spy)
    mse = rk.losses.MeanSquaredError()
    big = np.zeros((_rowwise.BLOCK_ELEMENTS // 10 + 1, 10))
    mse(big[:10], big[:10])
    mse(big.astype(np.float32), big)  # labels of another dtype
    mse(big, big.tolist()[:1] * len(big))  # a list
    rk.losses.LossFunctionWrapper(lambda t, p: ((t - p) ** 2).mean(axis=-1))(big, big)
    assert entered == []
    mse(big, big)
    assert entered == [1]


@pytest.mark.parametrize("order", ["C", "F"])
def test_peak_memory_stays_a_few_blocks(order):
    """A float64 (4e5, 10) pair, row- or column-major (R's), to float32 objects
    and metrics: at most a quarter of one input in extra memory (casting first
    took one input's worth: two float32 copies)."""
    n = 400_000
    rng = np.random.default_rng(2)
    t = np.asarray(rng.uniform(0.01, 1.0, (n, 10)), order=order)
    p = np.asarray(rng.uniform(0.01, 1.0, (n, 10)), order=order)
    labels = rng.integers(0, 10, n)
    sparse_metric = rk.metrics.SparseCategoricalCrossentropy()
    for obj, y in (
        (rk.losses.MeanSquaredError(), t),
        (rk.losses.CategoricalCrossentropy(), t),
        (rk.losses.SparseCategoricalCrossentropy(), labels),
        (sparse_metric.update_state, labels),
    ):
        tracemalloc.start()
        try:
            obj(y, p)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak <= 0.25 * p.nbytes, (obj, peak / p.nbytes)


def _spy_on_metric_casts(monkeypatch):
    """A list that gets a 1 each time a metric object enters its block cast."""
    from rkeraslosses.metrics import base as metric_base

    entered = []

    class Spy(metric_base.cast_blocks):
        def __enter__(self):
            entered.append(1)
            return super().__enter__()

    monkeypatch.setattr(metric_base, "cast_blocks", Spy)
    return entered


@pytest.mark.parametrize("name", ["mean_squared_error", "categorical_crossentropy", "binary_crossentropy"])
def test_metric_objects_cast_by_block_too(name, monkeypatch):
    """A metric of a marked function (``MeanMetricWrapper``) on float64 data:
    the state and result of the data cast first."""
    entered = _spy_on_metric_casts(monkeypatch)
    entry = next(e for e in _MARKED if e.fn.__name__ == name)
    t, p = _inputs(entry, 2 * _rowwise.BLOCK_ELEMENTS // 10 + 9, 10, np.float64, "F")
    with np.errstate(over="ignore"):
        finite = np.isfinite(p.astype(np.float32)).all(axis=1)  # 1e300 is inf once cast
    for tt, pp in ((t, p), (t[finite], p[finite])):  # with NaN and inf rows, and a finite mean
        metric = rk.metrics.get(name)
        metric.update_state(tt, pp)
        assert entered == [1]
        entered.clear()
        other = rk.metrics.get(name)
        with np.errstate(over="ignore"):
            other.update_state(tt.astype(np.float32), pp.astype(np.float32))
        assert entered == []
        for a, b in ((metric.total.value, other.total.value), (metric.count.value, other.count.value)):
            assert np.asarray(a, np.float64).view(np.uint64) == np.asarray(b, np.float64).view(np.uint64)
    assert np.isfinite(metric.result())


def _state_bits(ev):
    return [np.asarray(v, np.float64).view(np.uint64).tolist() for m in ev._all_metrics() for v in (m.total.value, m.count.value)]


def test_evaluate_casts_float64_by_block_with_the_batch_loops_states(monkeypatch):
    """Compile-style evaluation of float64 arrays, with marked losses and
    metrics, weighted and not: every metric's exact state (its float64 total
    and count, the loss tracker's too) equals the batch-by-batch loop's, and the
    block cast ran for the loss and for the metrics."""
    from rkeraslosses.metrics import base as metric_base

    entered = []
    for module in (base, metric_base):  # the loss's and the metrics' cast (evaluate calls their _values)

        class Spy(module.cast_blocks):
            def __enter__(self, where=module.__name__):
                entered.append(where)
                return super().__enter__()

        monkeypatch.setattr(module, "cast_blocks", Spy)
    rng = np.random.default_rng(3)
    n = 3 * _rowwise.BLOCK_ELEMENTS // 10 + 11
    t = np.eye(10)[rng.integers(0, 10, n)]
    p = rng.dirichlet(np.ones(10), n) * (1 + 1e-9)  # values float32 cannot hold
    w = rng.uniform(0, 2, n)
    args = dict(
        loss="categorical_crossentropy",
        metrics=["mse", "kld", "logcosh", "binary_crossentropy"],
        weighted_metrics=["mse", "categorical_crossentropy"],
    )
    ev = rk.Evaluator(**args)
    got = ev.evaluate(t, p, sample_weight=w, batch_size=64)
    assert "rkeraslosses.losses.base" in entered and "rkeraslosses.metrics.base" in entered
    entered.clear()
    ref = rk.Evaluator(**args)
    for start in range(0, n, 64):
        ref.update_state(t[start : start + 64], p[start : start + 64], sample_weight=w[start : start + 64])
    assert entered == []  # batches of 64 rows cast first
    assert got == ref.result()
    assert _state_bits(ev) == _state_bits(ref)


@pytest.mark.parametrize("labels", ["float", "integer"])
def test_sparse_float_labels_of_a_wrapper_and_a_metric_are_checked_after_their_cast(labels, monkeypatch):
    """A wrapper of the sparse function and its metric cast float class ids to
    float32 before checking them for whole numbers (3.0000000000000004 is 3 in
    float32): with the block cast they would be checked in float64, so float
    ids keep the conversion up front. Integer ids take the block cast. Either
    way, the numbers of casting first. (The ``SparseCategoricalCrossentropy``
    class checks its labels as given, as it always has.)"""
    from rkeraslosses.metrics import base as metric_base

    entered = []
    for module in (base, metric_base):

        class Spy(module.cast_blocks):
            def __enter__(self):
                entered.append(1)
                return super().__enter__()

        monkeypatch.setattr(module, "cast_blocks", Spy)
    rng = np.random.default_rng(4)
    n = 2 * _rowwise.BLOCK_ELEMENTS // 10 + 3
    x = rng.dirichlet(np.ones(10), n)
    y = rng.integers(0, 10, n)
    if labels == "float":
        y = y.astype(np.float64)
        y[5] = 0.1 * 3 * 10
    wrapper = rk.losses.LossFunctionWrapper(rk.losses.sparse_categorical_crossentropy)
    metric, other = rk.metrics.SparseCategoricalCrossentropy(), rk.metrics.SparseCategoricalCrossentropy()
    got = wrapper(y, x)
    metric.update_state(y, x)
    assert len(entered) == (2 if labels == "integer" else 0)
    y32 = y.astype(np.float32)
    assert _bits(got).tolist() == _bits(wrapper(y32, x.astype(np.float32))).tolist()
    other.update_state(y32, x.astype(np.float32))
    assert metric.total.value == other.total.value and metric.count.value == other.count.value
    assert rk.evaluate(y, x, loss="sparse_categorical_crossentropy") == rk.evaluate(y32, x.astype(np.float32), loss="sparse_categorical_crossentropy")


def _accuracy_inputs(n, c, order, seed=4):
    """float64 scores whose arg-max moves once cast to float32 (a tie only in
    float32: the first maximum wins there), NaN, 1e300 (inf once cast, a tie
    of two infs), all-zero and soft label rows; one-hot labels and their ids."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0, 1, (n, c))
    rows = rng.integers(0, n, n // 5)
    p[rows, 0] = np.maximum(p[rows, 0], 0.999)  # the row's maximum ...
    p[rows, 1] = p[rows, 0] + rng.choice([-1, 1], len(rows)) * 1e-12  # ... and one equal to it in float32 only
    p[5, 2] = np.nan
    p[6, [1, 3]] = 1e300, 2e300
    t = np.eye(c)[rng.integers(0, c, n)]
    t[7] = 0.0
    t[8] = rng.uniform(0, 1, c)
    labels = np.argmax(t, axis=1).astype(np.float64)
    if order == "F":
        p, t = np.asfortranarray(p), np.asfortranarray(t)
    return t, p, labels


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("c", [10, 40])  # 40: more columns than the column-wise arg-max takes (np.argmax on the cast arrays)
@pytest.mark.parametrize("sparse", [False, True], ids=["categorical", "sparse"])
def test_accuracies_cast_by_block(sparse, c, order, monkeypatch):
    """CategoricalAccuracy / SparseCategoricalAccuracy on float64 data of
    several blocks: the state of the data cast first, bit for bit (the
    float32 ties decide), with the block cast spied on; evaluate() with
    "accuracy" too, against its batch-by-batch loop."""
    entered = _spy_on_metric_casts(monkeypatch)
    n = 3 * _rowwise.BLOCK_ELEMENTS // c + 21
    t, p, labels = _accuracy_inputs(n, c, order)
    y = labels if sparse else t
    cls = rk.metrics.SparseCategoricalAccuracy if sparse else rk.metrics.CategoricalAccuracy
    metric = cls()
    metric.update_state(y, p, sample_weight=np.linspace(0, 2, n))
    assert entered == [1]
    entered.clear()
    other = cls()
    with np.errstate(over="ignore"):
        other.update_state(y.astype(np.float32), p.astype(np.float32), sample_weight=np.linspace(0, 2, n).astype(np.float32))
    assert entered == []
    for a, b in ((metric.total.value, other.total.value), (metric.count.value, other.count.value)):
        assert np.asarray(a, np.float64).view(np.uint64) == np.asarray(b, np.float64).view(np.uint64)
    uncast = cls(dtype="float64")
    uncast.update_state(y, p, sample_weight=np.linspace(0, 2, n))
    assert abs(uncast.total.value - metric.total.value) > 10  # the float32 ties moved hits: the data tests the cast
    args = dict(loss="sparse_categorical_crossentropy" if sparse else "categorical_crossentropy", metrics=["accuracy"])
    ev = rk.Evaluator(**args)
    ev.evaluate(y, p, batch_size=64)
    ref = rk.Evaluator(**args)
    for start in range(0, n, 64):
        ref.update_state(y[start : start + 64], p[start : start + 64])
    assert _state_bits(ev) == _state_bits(ref)
