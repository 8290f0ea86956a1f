"""Stateful metrics: seed page 004's numbers, Keras' accumulation rules, and where we do better."""

import math
import pickle
import sys
import threading

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import losses, metrics
from .registry import R_METRIC_NAMES

# seed page 004: inputs and worked numbers
Y_TRUE = [[0, 1, 0], [0, 0, 1]]
Y_PRED = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
SEED_MEAN, SEED_WEIGHTED = 1.1769392, 1.6271976

MAKERS = {
    "class": lambda: metrics.CategoricalCrossentropy(),
    "r_style": lambda: rk.metric_categorical_crossentropy(),
    "wrapper": lambda: metrics.MeanMetricWrapper(losses.categorical_crossentropy),
    "get": lambda: metrics.get("categorical_crossentropy"),
}


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS.keys())
def test_seed_page_004(make):
    m = make()
    m.update_state(Y_TRUE, Y_PRED)
    assert m.result() == pytest.approx(SEED_MEAN, abs=1e-7)
    assert m.result().dtype == np.float32
    m.reset_states()
    m.update_state(Y_TRUE, Y_PRED, sample_weight=[0.3, 0.7])
    assert m.result() == pytest.approx(SEED_WEIGHTED, abs=1e-7)


def test_metric_divides_by_the_weights_and_the_loss_by_the_batch():
    # spec section 4: 1.6271976 (metric) vs 0.814 (loss) on the same weighted batch
    m = metrics.CategoricalCrossentropy()
    loss = losses.CategoricalCrossentropy()
    assert float(m(Y_TRUE, Y_PRED, sample_weight=[0.3, 0.7])) == pytest.approx(2 * float(loss(Y_TRUE, Y_PRED, sample_weight=[0.3, 0.7])), rel=1e-6)


def test_mean_and_sum_follow_keras_rules():
    # closed forms of Keras' reduce_to_samplewise_values
    m = metrics.Mean()
    m.update_state([[1.0, 3.0], [5.0, 7.0]])  # per-sample means 2 and 6, count 2
    assert m.result() == 4.0
    m.update_state([[10.0, 10.0], [0.0, 0.0]], sample_weight=[1.0, 0.0])  # adds 10 with weight 1
    assert m.result() == 6.0  # total 2 + 6 + 10, count 2 + 1
    scalar = metrics.Mean()
    scalar.update_state([2.0, 4.0], sample_weight=2.0)  # a scalar weight: the batch mean counts with weight 2
    assert scalar.variables == {"total": 6.0, "count": 2.0}
    s = metrics.Sum()
    s.update_state([[1.0, 2.0], [3.0, 4.0]], sample_weight=[1.0, 0.5])
    assert s.result() == 1 + 2 + 0.5 * (3 + 4)
    assert metrics.Mean().result() == 0.0  # nothing seen: 0, not NaN


def test_batch_weights_over_rank_two_values():
    t = np.zeros((3, 2, 4))
    p = np.ones((3, 2, 4))
    p[1] = 3.0
    m = metrics.MeanSquaredError()
    m.update_state(t, p, sample_weight=[1.0, 2.0, 0.0])
    # per-sample values: 1, 9, 1 with weights 1, 2, 0
    assert m.result() == pytest.approx((1 + 18) / 3)


def test_ignore_class_is_left_out_of_the_metric():
    p = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    m = metrics.SparseCategoricalCrossentropy(ignore_class=2)
    m.update_state([1, 2], p)
    # closed form: only the first sample counts
    assert m.result() == pytest.approx(-math.log(0.95), rel=1e-6)


def test_cosine_similarity_metric_is_positive():
    m = metrics.CosineSimilarity()
    assert m([[1.0, 1.0]], [[2.0, 2.0]]) == pytest.approx(1.0)
    np.testing.assert_allclose(rk.metric_cosine_similarity([[1.0, 0.0]], [[0.0, 1.0]]), [0.0])


@pytest.mark.parametrize("r_name,cls", R_METRIC_NAMES, ids=[r for r, _ in R_METRIC_NAMES])
def test_r_style_metrics_have_both_modes(r_name, cls):
    fn = getattr(rk, r_name)
    rng = np.random.default_rng(0)
    t = rng.uniform(0.1, 1, size=(4, 3))
    if cls is metrics.SparseCategoricalCrossentropy:
        t = np.array([0, 2, 1, 1])
    p = rng.uniform(0.1, 1, size=(4, 3))
    values = fn(t, p)
    obj = fn(name="m", dtype="float64")
    assert isinstance(obj, cls) and obj.name == "m"
    assert obj(t, p) == pytest.approx(float(np.mean(values)))
    with pytest.raises(TypeError, match="y_pred"):
        fn(t)


def test_metric_mean_wrapper_takes_a_plain_callable():
    m = rk.metric_mean_wrapper(lambda y_true, y_pred: (y_true - y_pred) ** 2, name="sq")
    m.update_state([1, 2], [2, 2])
    assert m.result() == 0.5 and m.name == "sq"
    assert rk.metric_mean().name == "mean" and rk.metric_sum()([1, 2]) == 3


def test_running_sums_do_not_drift():
    """Our metric over 10**5 float32 updates equals math.fsum of the same values
    (the exact sum, rounded once) to the last bit; a plain float64 running total
    (what a naive accumulator gives) is the comparison printed."""
    rng = np.random.default_rng(0)
    # Values of very different magnitudes, where every naive running sum loses bits.
    values = (rng.uniform(0, 1, size=10**5) * 10.0 ** rng.integers(-6, 7, size=10**5)).astype(np.float32)
    m = metrics.Sum()
    for v in values:
        m.update_state(v)
    exact = math.fsum(values.astype(np.float64))
    naive = 0.0
    for v in values.astype(np.float64):
        naive += v
    print(f"relative error: ours {abs(m.variables['total'] - exact) / exact:.1e}, naive float64 {abs(naive - exact) / exact:.1e}")
    assert m.variables["total"] == exact
    mean = metrics.Mean()
    for chunk in np.array_split(values, 997):
        mean.update_state(chunk)
    assert mean.variables["count"] == values.size


@pytest.mark.parametrize(
    "bad",
    [
        {"y_true": [[0, 1]], "y_pred": [[0.5, 0.5, 0.0]]},  # shapes
        {"y_true": Y_TRUE, "y_pred": Y_PRED, "sample_weight": [1.0, 2.0, 3.0]},  # weights
        {"y_true": None, "y_pred": Y_PRED},  # None
        {"y_true": Y_TRUE, "y_pred": "oops"},  # type
    ],
)
def test_failed_update_leaves_the_state_unchanged(bad):
    m = metrics.CategoricalCrossentropy()
    m.update_state(Y_TRUE, Y_PRED, sample_weight=[0.3, 0.7])
    before = dict(m.variables)
    with pytest.raises((ValueError, TypeError)):
        m.update_state(**bad)
    assert m.variables == before


def test_failed_sparse_label_update_leaves_the_state_unchanged():
    m = metrics.SparseCategoricalCrossentropy()
    m.update_state([1, 2], Y_PRED)
    before = dict(m.variables)
    with pytest.raises(ValueError, match="label 3"):
        m.update_state([1, 3], Y_PRED)
    assert m.variables == before


def test_updates_from_sixteen_threads_are_all_counted():
    """Without the metric's lock, this fails: switching threads every microsecond
    interleaves the read-modify-write of the running sums (checked by replacing
    the lock with a no-op context manager)."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        m = metrics.MeanAbsoluteError()
        barrier = threading.Barrier(16)

        def work():
            barrier.wait()
            for _ in range(400):
                m.update_state([[1.0, 2.0]], [[1.0, 3.0]])

        threads = [threading.Thread(target=work) for _ in range(16)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        sys.setswitchinterval(old)
    assert m.variables == {"total": 16 * 400 * 0.5, "count": 16 * 400}


def test_merge_state_gives_exactly_the_single_pass_result():
    rng = np.random.default_rng(1)
    batches = [(rng.integers(0, 2, size=(50, 3)).astype(np.float32), rng.uniform(0.01, 0.99, size=(50, 3)).astype(np.float32), rng.uniform(0, 2, 50)) for _ in range(30)]
    single = metrics.BinaryCrossentropy()
    for t, p, w in batches:
        single.update_state(t, p, sample_weight=w)
    parts = [metrics.BinaryCrossentropy() for _ in range(3)]
    for i, (t, p, w) in enumerate(batches):
        parts[i % 3].update_state(t, p, sample_weight=w)
    # each part travels as a pickle, as it would from another process
    shipped = [pickle.loads(pickle.dumps(part)) for part in parts]
    merged = shipped[0]
    merged.merge_state(shipped[1:])
    assert merged.variables == single.variables
    assert merged.result() == single.result()
    merged.update_state(*batches[0][:2])  # a pickled metric keeps working
    with pytest.raises(ValueError, match="same kind"):
        merged.merge_state(metrics.Mean())


def test_metric_configs_round_trip():
    m = metrics.CategoricalCrossentropy(name="cce", dtype="float64", from_logits=True, label_smoothing=0.1, axis=1)
    config = m.get_config()
    assert config == {"name": "cce", "dtype": "float64", "from_logits": True, "label_smoothing": 0.1, "axis": 1}
    assert metrics.CategoricalCrossentropy.from_config(config).get_config() == config
    assert metrics.deserialize(metrics.serialize(m)).get_config() == config
    wrapper = metrics.MeanMetricWrapper(losses.huber, delta=0.5)
    assert metrics.deserialize(metrics.serialize(wrapper))._fn is losses.huber
    with pytest.raises(TypeError, match="takes the function itself"):
        metrics.MeanMetricWrapper.from_config(wrapper.get_config())


def test_metrics_get_names():
    assert isinstance(metrics.get("mse"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("logcosh"), metrics.LogCoshError)
    assert isinstance(metrics.get("kullback_leibler_divergence"), metrics.KLDivergence)
    assert isinstance(metrics.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}}), metrics.CategoricalCrossentropy)
    assert isinstance(metrics.get(lambda t, p: t), metrics.MeanMetricWrapper)
    with pytest.raises(ValueError, match="Did you mean 'mean_absolute_error'"):
        metrics.get("mean_absolute_eror")


def test_custom_metric_subclass():
    class MaxAbs(metrics.Metric):
        def __init__(self, name="max_abs", dtype=None):
            super().__init__(name=name, dtype=dtype)
            self.n = self.add_variable("n")
            self.total = self.add_variable("total")

        def update_state(self, y_true, y_pred):
            d = np.abs(np.asarray(y_true) - np.asarray(y_pred))
            self._commit(n=d.shape[0], total=float(d.max(axis=-1).sum()))

        def result(self):
            return self._cast(self.total.value / self.n.value)

    m = MaxAbs()
    m.update_state([[0, 0]], [[1, 3]])
    m.update_state([[0, 0]], [[1, 1]])
    assert m.result() == 2.0
    m.reset_state()
    assert m.variables == {"n": 0.0, "total": 0.0}
