"""Block evaluation equals Keras' batch-by-batch loop, number for number.

``Evaluator.evaluate`` and the command line take blocks of about
``CHUNK_ROWS`` rows and account for each as Keras' loop over batches of
``batch_size`` would. The reference here is that loop itself: ``update_state``
on every batch in turn (one Keras test step each). Every comparison is exact
(``==``), not approximate.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import sys

from rkeraslosses import Evaluator, evaluate, losses, metrics
from rkeraslosses.metrics import ExactSum

from .evaluation_cases import make_inputs, metric_cases, same_results

evaluate_module = sys.modules["rkeraslosses.evaluate"]  # the module (rkeraslosses.evaluate is also the function)


def batch_by_batch(y_true, y_pred, sample_weight=None, batch_size=32, **compile_args):
    """Keras' test loop: one update_state per batch (the reference)."""
    ev = Evaluator(**compile_args)
    n = len(next(iter(y_pred.values())) if isinstance(y_pred, dict) else y_pred[0] if isinstance(y_pred, list) else y_pred)
    for start in range(0, n, batch_size):
        sl = slice(start, start + batch_size)
        cut = lambda x: None if x is None else {k: v[sl] for k, v in x.items()} if isinstance(x, dict) else [v[sl] for v in x] if isinstance(x, list) else x[sl]  # noqa: E731
        ev.update_state(cut(y_true), cut(y_pred), sample_weight=cut(sample_weight))
    return ev.result()


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of ~50 rows, so that small arrays span many blocks."""
    monkeypatch.setattr(evaluate_module, "CHUNK_ROWS", 50)


def _classification(n, seed=0):
    return make_inputs("categorical", n, seed)


@pytest.mark.parametrize("batch_size", [1, 2, 3, 7, 16, 32, 49, 50, 51, 64, 333, 1000])
@pytest.mark.parametrize("n", [1, 31, 97, 1000])
def test_every_batch_size_and_remainder_with_weights(small_blocks, n, batch_size):
    y, p = _classification(n)
    w = np.random.default_rng(1).uniform(0, 2, n).astype(np.float32)
    args = dict(loss="categorical_crossentropy", metrics=["accuracy", "mae", "mse"], weighted_metrics=["mae", "categorical_crossentropy"])
    expected = batch_by_batch(y, p, w, batch_size, **args)
    assert evaluate(y, p, sample_weight=w, batch_size=batch_size, **args) == expected
    assert evaluate(y, p, batch_size=batch_size, **args) == batch_by_batch(y, p, None, batch_size, **args)


@pytest.mark.parametrize("batch_size", [32, 4096, 10000])
def test_real_block_size_on_more_rows_than_one_block(batch_size):
    # 150_001 rows: more than two blocks of CHUNK_ROWS (65536), with a remainder.
    n = 150_001
    assert n > 2 * evaluate_module.CHUNK_ROWS
    y, p = _classification(n, seed=3)
    w = np.random.default_rng(4).uniform(0, 2, n).astype(np.float32)
    args = dict(loss="categorical_crossentropy", metrics=["accuracy", "mse"], weighted_metrics=["kld"])
    assert evaluate(y, p, sample_weight=w, batch_size=batch_size, **args) == batch_by_batch(y, p, w, batch_size, **args)


def _as_float64(y, p, kind):
    """float64 inputs whose values float32 cannot hold (as R's doubles): a
    metric casts them to its dtype before computing, in the block path too."""
    p = p.astype(np.float64)
    if kind != "class_ids":
        p = p * (1 + 1e-9)
    return y.astype(np.float64), p


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name, factory, kind", metric_cases(), ids=[c[0] for c in metric_cases()])
def test_every_registry_metric(small_blocks, name, factory, kind, dtype):
    n, batch_size = 503, 32
    y, p = make_inputs(kind, n, seed=5)
    if dtype == "float64":
        y, p = _as_float64(y, p, kind)
    w = np.random.default_rng(6).uniform(0, 2, n).astype(np.float32)
    args = dict(metrics=[factory()], weighted_metrics=[factory()])
    expected = batch_by_batch(y, p, w, batch_size, **args)
    assert len(expected) == 2
    assert same_results(evaluate(y, p, sample_weight=w, batch_size=batch_size, **args), expected)


@pytest.mark.parametrize(
    "loss",
    [
        "mse", "mae", "mape", "msle", "huber", "log_cosh", "hinge", "squared_hinge", "categorical_hinge",
        "kl_divergence", "poisson", "cosine_similarity", "binary_crossentropy", "categorical_crossentropy",
        losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
        losses.MeanSquaredError(reduction="sum"),
        losses.Huber(delta=0.3, dtype="float64"),
        losses.CosineSimilarity(axis=1),
    ],
    ids=str,
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_every_loss_and_reduction(small_blocks, loss, dtype):
    n, batch_size = 211, 16
    y, p = _classification(n, seed=7)
    if dtype == "float64":
        y, p = _as_float64(y, p, "categorical")
    w = np.random.default_rng(8).uniform(0, 2, n).astype(np.float32)
    assert evaluate(y, p, loss=loss, sample_weight=w, batch_size=batch_size) == batch_by_batch(y, p, w, batch_size, loss=loss)
    assert evaluate(y, p, loss=loss, batch_size=batch_size) == batch_by_batch(y, p, None, batch_size, loss=loss)


def test_sparse_labels_with_ignore_class_masks(small_blocks):
    n, batch_size = 300, 8
    y, p = make_inputs("sparse", n, seed=9)
    y[::7] = 2  # ignored
    w = np.random.default_rng(10).uniform(0, 2, n).astype(np.float32)
    for weights in (w, None):
        # fresh metric objects for each evaluation: a metric object keeps its state
        args = lambda: dict(  # noqa: E731
            loss=losses.SparseCategoricalCrossentropy(ignore_class=2),
            metrics=["sparse_categorical_accuracy"],
            weighted_metrics=[metrics.SparseCategoricalCrossentropy(ignore_class=2)],
        )
        assert evaluate(y, p, sample_weight=weights, batch_size=batch_size, **args()) == batch_by_batch(y, p, weights, batch_size, **args())


def test_several_outputs_loss_weights_and_plain_callables(small_blocks):
    n, batch_size = 157, 10
    ya, pa = _classification(n, seed=11)
    yb, pb = make_inputs("binary", n, seed=12)
    w = np.random.default_rng(13).uniform(0, 2, n).astype(np.float32)

    def max_error(y_true, y_pred):  # not a built-in: runs batch by batch
        return np.max(np.abs(y_true - y_pred), axis=-1)

    args = dict(
        loss={"a": "categorical_crossentropy", "b": max_error},
        loss_weights={"a": 0.3, "b": 1.7},
        metrics={"a": ["accuracy", max_error], "b": ["accuracy", "bce"]},
        weighted_metrics={"a": ["mae"], "b": ["mse"]},
    )
    y, p, ws = {"a": ya, "b": yb}, {"a": pa, "b": pb}, {"a": w, "b": w[::-1].copy()}
    expected = batch_by_batch(y, p, ws, batch_size, **args)
    assert set(expected) >= {"loss", "a_loss", "b_loss", "a_accuracy", "b_accuracy", "a_max_error", "b_mse"}
    assert evaluate(y, p, sample_weight=ws, batch_size=batch_size, **args) == expected
    # lists of outputs, one-dimensional outputs
    lists = dict(loss=["mse", "mae"], metrics=[["mae"], ["mse"]])
    y1, p1 = [ya[:, 0], yb[:, 0]], [pa[:, 0], pb[:, 0]]
    assert evaluate(y1, p1, batch_size=batch_size, **lists) == batch_by_batch(y1, p1, None, batch_size, **lists)


def test_update_chunk_equals_update_state_per_batch():
    y, p = _classification(1000, seed=14)
    w = np.random.default_rng(15).uniform(0, 2, 1000).astype(np.float32)
    args = dict(loss="categorical_crossentropy", metrics=["accuracy"], weighted_metrics=["mse"])
    ev = Evaluator(**args)
    ev.update_chunk(y[:640], p[:640], sample_weight=w[:640], batch_size=64)  # whole batches
    ev.update_chunk(y[640:], p[640:], sample_weight=w[640:], batch_size=64)  # the last one shorter
    assert ev.result() == batch_by_batch(y, p, w, 64, **args)


def test_merge_state_of_evaluators_equals_one_pass():
    y, p = _classification(999, seed=16)
    args = dict(loss="categorical_crossentropy", metrics=["accuracy", "kld"])
    parts = []
    for sl in (slice(0, 320), slice(320, 640), slice(640, 999)):
        ev = Evaluator(**args)
        ev.update_chunk(y[sl], p[sl], batch_size=32)
        parts.append(pickle.loads(pickle.dumps(ev)))  # as shipped between processes
    merged = Evaluator(**args)
    merged.merge_state(parts[::-1])
    assert merged.result() == batch_by_batch(y, p, None, 32, **args)
    with pytest.raises(ValueError, match="same objective"):
        other = Evaluator(loss="mse")
        other.update_state(y[:2], p[:2])
        merged.merge_state(other)


def test_exact_adding_of_many_values_equals_one_by_one():
    rng = np.random.default_rng(17)
    values = rng.standard_normal(5000) * np.exp(rng.uniform(-30, 30, 5000))
    values[::97] = 1e300  # large enough to overflow math.fsum's intermediate
    values[1::97] = -1e300
    for xs in (values, values[:4000][np.abs(values[:4000]) < 1e200], np.array([np.inf, 1.0, -np.inf, np.nan])):
        one, many = ExactSum(), ExactSum()
        for x in xs:
            one.add(x)
        evaluate_module._add_exact(many, xs)
        assert np.array_equal(one.value, many.value, equal_nan=True)


def test_a_failing_block_commits_nothing(small_blocks):
    y, p = _classification(200, seed=18)
    ev = Evaluator(loss="categorical_crossentropy", metrics=["mae"])
    ev.update_chunk(y[:100], p[:100], batch_size=10)
    before = ev.result()
    bad = p[100:].copy()
    with pytest.raises(ValueError):
        ev.update_chunk(y[100:], bad[:, :3], batch_size=10)  # shapes disagree
    assert ev.result() == before


def test_functions_and_metrics_can_declare_block_updates(small_blocks):
    from rkeraslosses.metrics import Metric

    calls = []

    def abs_error(y_true, y_pred):
        calls.append(len(y_pred))
        return np.mean(np.abs(y_true - y_pred), axis=-1)

    class CountAboveHalf(Metric):  # integer counts: a block adds what its batches add
        batch_additive = True

        def __init__(self, name="above_half", dtype=None):
            super().__init__(name=name, dtype=dtype)
            self.hits = self.add_variable("hits")
            self.seen = self.add_variable("seen")

        def update_state(self, y_true, y_pred, sample_weight=None):
            calls.append(("count", len(y_pred)))
            p = np.asarray(y_pred)
            self._commit(hits=float(np.sum(p > 0.5)), seen=float(p.size))

        def result(self):
            return self._cast(self.hits.value / self.seen.value)

    y, p = _classification(300, seed=19)
    reference = batch_by_batch(y, p, None, 10, metrics=[abs_error, CountAboveHalf()])
    calls.clear()
    abs_error.rowwise = True
    assert evaluate(y, p, batch_size=10, metrics=[abs_error, CountAboveHalf()]) == reference
    assert calls == [50, ("count", 50)] * 6  # one call per block of 50 rows, not per batch of 10



def _extreme_inputs(fn, n, seed):
    """Inputs for a row-wise function, with a few extreme rows (logits of +-200,
    infinities, NaN) among ordinary ones: the rows that make a block take
    another path than its neighbours."""
    rng = np.random.default_rng(seed)
    name = fn.__name__
    c = 10
    if name in ("binary_crossentropy", "binary_accuracy"):
        t, p = rng.integers(0, 2, size=(n, 1)).astype(np.float32), rng.uniform(0.01, 0.99, size=(n, 1)).astype(np.float32)
    elif name.startswith("sparse"):
        t, p = rng.integers(0, c, size=n).astype(np.float32), rng.dirichlet(np.ones(c), size=n).astype(np.float32)
    elif "categorical" in name or name in ("kl_divergence",):
        t, p = np.eye(c, dtype=np.float32)[rng.integers(0, c, n)], rng.dirichlet(np.ones(c), size=n).astype(np.float32)
    else:
        t, p = rng.normal(size=(n, c)).astype(np.float32), rng.normal(size=(n, c)).astype(np.float32)
    return t, p


@pytest.mark.parametrize("order", ["C", "F"])  # F: R's column-major arrays
@pytest.mark.parametrize("from_logits", [False, True])
def test_a_row_is_the_same_bits_in_any_block(from_logits, order):
    """Block-wise evaluation relies on each row-wise function giving a row the
    same bits whatever other rows share its call: checked for every function the
    evaluator runs over whole blocks, at a size beyond the losses' block size
    (several blocks and a partial one), against 32-row calls, with extreme rows
    (which send a block or a row down another path) among ordinary ones."""
    from rkeraslosses.evaluate import _rowwise_functions
    from rkeraslosses.losses._rowwise import BLOCK_ELEMENTS

    n = 3 * BLOCK_ELEMENTS // 10 + 17
    for fn in sorted(_rowwise_functions(), key=lambda f: f.__module__ + f.__name__):
        kwargs = {"from_logits": True} if from_logits and "from_logits" in __import__("inspect").signature(fn).parameters else {}
        if from_logits and not kwargs:
            continue
        t, p = _extreme_inputs(fn, n, seed=7)
        if kwargs:
            p = (np.random.default_rng(8).normal(size=p.shape) * 3).astype(np.float32)
            p[5] = 200.0 * np.random.default_rng(9).normal(size=p.shape[1:])
            p[6, 0] = -np.inf
            p[7, -1] = np.inf
        t, p = np.asarray(t, order=order), np.asarray(p, order=order)
        whole = np.asarray(fn(t, p, **kwargs))
        parts = np.concatenate([np.asarray(fn(t[i : i + 32], p[i : i + 32], **kwargs)).reshape(-1, *whole.shape[1:]) for i in range(0, n, 32)])
        np.testing.assert_array_equal(whole, parts, err_msg=f"{fn.__name__} {kwargs}")
        # One-row calls (the last batch of n = 32k + 1 rows): a single row is
        # contiguous whatever its parent's layout, and NumPy sums contiguous
        # rows in another order than column-major ones.
        for i in (0, 5, 6, 7, 100, n - 1):
            one = np.asarray(fn(t[i : i + 1], p[i : i + 1], **kwargs)).reshape(-1, *whole.shape[1:])
            np.testing.assert_array_equal(whole[i : i + 1], one, err_msg=f"{fn.__name__} {kwargs} row {i}")


@pytest.mark.parametrize("position", [5, 98])
def test_a_sparse_loss_objects_float_labels_are_taken_as_its_call_takes_them(position):
    """A float class id that is whole only in float32 (3.0000000000000004): the
    ``SparseCategoricalCrossentropy`` object checks its labels as given, so the
    batch loop refuses it wherever it is; evaluation over blocks refused it only
    in the last batch (its block path cast the labels to float32 first)."""
    rng = np.random.default_rng(9)
    y = rng.integers(0, 4, 100).astype(np.float64)
    y[position] = 0.1 * 3 * 10
    p = rng.dirichlet(np.ones(4), 100)
    loss = losses.SparseCategoricalCrossentropy()
    with pytest.raises(ValueError, match="integer"):
        batch_by_batch(y, p, None, 32, loss=loss)
    with pytest.raises(ValueError, match="integer"):
        evaluate(y, p, loss=loss, batch_size=32)
