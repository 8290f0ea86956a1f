"""Confusion metrics cast float64 predictions and weights chunk by chunk
(``_confusion_utils.prepare(cast_later=True)``): R's doubles given to a
float32 metric are not copied whole. The counts must be exactly those of
casting first (what Keras does: ``y_pred`` and ``sample_weight`` in the
metric's dtype): every state is compared bit for bit with the same update on
arrays cast beforehand. Expected numbers: that cast-first update."""

import tracemalloc
import warnings

import numpy as np
import pytest

import rkeraslosses.metrics as rm
from rkeraslosses.metrics import _confusion_utils as cu

N = 2 * cu.CHUNK + 4321  # three chunks, the last one short


def hard_scores(rng, shape, thresholds=(0.5,), num_thresholds=200, specials=True):
    """float64 scores that a float32 cast moves across a threshold or a bucket
    edge (a float64 just above 0.5 is 0.5 in float32, so not above 0.5), plus
    exact 0 and 1; with ``specials``, values outside [0, 1], 1e300 (inf once
    cast), NaN (which send a chunk of the evenly spaced thresholds' count down
    its slower path: without them, the fast path's counts are the ones kept)."""
    p = rng.uniform(0, 1, shape)
    flat = p.reshape(-1)
    n = flat.size
    edges = np.concatenate([np.asarray(thresholds, np.float64), np.arange(num_thresholds) / (num_thresholds - 1)])
    pick = rng.integers(0, n, n // 4)
    e = edges[rng.integers(0, len(edges), pick.size)]
    flat[pick] = e + rng.choice([-1, 1], pick.size) * rng.uniform(0, 3e-8, pick.size)
    if not specials:
        np.clip(flat, 0, 1, out=flat)
        return p
    special = [0.0, 1.0, -0.0, 1.5, -0.25, 1e300, -1e300, np.nan, 1 + 1e-9, -1e-9]
    flat[rng.integers(0, n, 200)] = rng.choice(special, 200)
    return p


def hard_labels(rng, shape, dtype=np.float64):
    """0/1 labels with a few fractions, -0.0 and 1e-50 (positive for Keras,
    which casts labels to bool; 0 once cast to float32)."""
    t = (rng.uniform(size=shape) < 0.4).astype(dtype)
    t.reshape(-1)[rng.integers(0, t.size, 300)] = rng.choice(np.array([0.5, -0.0, 1e-50, 1e-3], dtype=dtype), 300)
    return t


def weights(rng, shape):
    w = rng.uniform(0, 2, shape) * (1 + 1e-9)  # digits float32 drops
    w.reshape(-1)[:50] = 1e300  # inf once cast
    return w


CASES = [
    ("AUC", {}),
    ("AUC", {"num_thresholds": 50, "curve": "PR", "summation_method": "minoring"}),
    ("AUC", {"thresholds": [0.1, 0.5, 0.5000001, 0.9]}),
    ("AUC", {"dtype": "float16"}),
    ("AUC", {"dtype": "float64"}),
    ("AUC", {"from_logits": True}),
    ("AUC", {"label_weights": [0.3], "multi_label": False}),
    ("Precision", {}),
    ("Precision", {"thresholds": [0.2, 0.5, 0.7]}),
    ("Recall", {"thresholds": 0.5}),
    ("Recall", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}),
    ("TruePositives", {}),
    ("FalseNegatives", {"thresholds": [0.3, 0.7]}),
    ("TrueNegatives", {"thresholds": list(np.linspace(0, 1, 40) ** 2)}),
    ("PrecisionAtRecall", {"recall": 0.6}),
    ("SensitivityAtSpecificity", {"specificity": 0.5, "num_thresholds": 17}),
]


def states(m):
    """Every state array (the exact AUC's score state is a dict of arrays)."""
    out = {}
    for key, value in m.variables.items():
        if isinstance(value, np.ndarray) and value.dtype == object and value.ndim == 0:
            value = value.item()
        if isinstance(value, dict):
            out.update({f"{key}.{k}": np.asarray(v).copy() for k, v in value.items()})
        else:
            out[key] = np.asarray(value).copy()
    return out


def assert_same_states(a, b):
    sa, sb = states(a), states(b)
    assert sa.keys() == sb.keys()
    for k in sa:
        assert sa[k].tobytes() == sb[k].tobytes(), (k, sa[k], sb[k])


def cast_first(m, x):
    if x is None:
        return None
    with np.errstate(over="ignore"):
        return np.asarray(x).astype(m._dtype)


def update_both(make, t, p, w):
    """The float64 arrays as given, and the same update on arrays cast first,
    with overflow warnings turned into errors (1e300 becomes inf silently, as a
    whole cast made it; an inf weight's inf - inf in the counts still warns, as
    it did)."""
    a, b = make(), make()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*overflow.*")
        a.update_state(t, p, sample_weight=w)
    # Keras casts the labels to bool: so does the reference update
    b.update_state(np.asarray(t) != 0, cast_first(b, p), sample_weight=cast_first(b, w))
    assert_same_states(a, b)
    return a


@pytest.mark.parametrize("specials", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cls_name,options", CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_float64_data_counts_as_cast_first(cls_name, options, weighted, specials):
    rng = np.random.default_rng(11)
    thresholds = options.get("thresholds", [0.5])
    thresholds = [thresholds] if np.ndim(thresholds) == 0 else thresholds
    p = hard_scores(rng, N, thresholds, options.get("num_thresholds", 200), specials)
    if options.get("from_logits"):
        with np.errstate(divide="ignore", invalid="ignore"):
            p = np.log(p / (1 - p))  # logits whose sigmoid lies on the edges
    t = hard_labels(rng, N)
    w = weights(rng, N) if weighted else None

    def make():
        return getattr(rm, cls_name)(**options)

    a = update_both(make, t, p, w)
    if a.dtype != "float64":
        # The data is hard: counted without the cast (in float64), some state
        # differs; scores far from every edge would let a missing cast pass.
        b = getattr(rm, cls_name)(**{**options, "dtype": "float64"})
        with np.errstate(invalid="ignore"):
            b.update_state(t, p, sample_weight=w)
        assert any(sa.tobytes() != sb.tobytes() for sa, sb in zip(states(a).values(), states(b).values()))


LAYOUTS = {
    "C": lambda x: np.ascontiguousarray(x),
    "F": lambda x: np.asfortranarray(x),
    "strided": lambda x: np.repeat(x, 2, axis=0)[::2],
}


@pytest.mark.parametrize("specials", [False, True])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("weights_kind", [None, "per_sample", "full", "scalar"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: rm.AUC(),
        lambda: rm.AUC(multi_label=True, curve="PR"),
        lambda: rm.AUC(multi_label=False, label_weights=[0.3, 1.7, 1.0]),
        lambda: rm.AUC(multi_label=True, label_weights=[0.3, 1.7, 1.0]),
        lambda: rm.AUC(from_logits=True),
        lambda: rm.AUC(exact=True),
        lambda: rm.Precision(class_id=1),
        lambda: rm.Recall(top_k=2),
        lambda: rm.Recall(thresholds=[0.2, 0.5], class_id=2),
        lambda: rm.PrecisionAtRecall(0.5, class_id=0),
    ],
    ids=["auc", "auc-multi", "auc-label-weights", "auc-multi-label-weights", "auc-logits", "auc-exact", "precision-class", "recall-topk", "recall-class", "p-at-r-class"],
)
def test_matrices_weights_and_options(make, weights_kind, layout, specials):
    rng = np.random.default_rng(5)
    n = N // 3 + 7
    p = LAYOUTS[layout](hard_scores(rng, (n, 3), specials=specials))
    t = LAYOUTS[layout](hard_labels(rng, (n, 3)))
    w = {
        None: None,
        "per_sample": weights(rng, n),
        "full": LAYOUTS[layout](weights(rng, (n, 3))),
        "scalar": np.array(0.3 * (1 + 1e-9)),
    }[weights_kind]
    update_both(make, t, p, w)


def test_float32_data_to_a_float64_metric_is_cast_up_exactly():
    rng = np.random.default_rng(2)
    p = hard_scores(rng, N).astype(np.float32)
    t = hard_labels(rng, N, np.float32)
    w = weights(rng, N).astype(np.float32)
    for make in (lambda: rm.AUC(dtype="float64"), lambda: rm.Precision(dtype="float64", thresholds=[0.2, 0.5])):
        update_both(make, t, p, w)


def update_peak(m, t, p, w):
    """Peak traced memory (bytes) of one update, after a small first update
    that does the metric's one-time setup outside the measurement."""
    m.update_state(t[:10], p[:10], sample_weight=None if w is None else w[:10])
    tracemalloc.start()
    try:
        m.update_state(t, p, sample_weight=w)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("make", [lambda: rm.AUC(), lambda: rm.Precision(), lambda: rm.Recall(thresholds=[0.2, 0.7])], ids=["auc", "precision", "recall2"])
@pytest.mark.parametrize("weighted", [False, True])
def test_float64_data_is_not_copied_whole(make, weighted):
    """Peak extra memory of an update on 1e6 float64 values: well under one
    float32 copy of the predictions (a whole cast takes 0.5x the input)."""
    rng = np.random.default_rng(0)
    n = 10**6
    p = rng.uniform(0, 1, n)
    t = (rng.uniform(size=n) < 0.4).astype(np.float64)
    w = rng.uniform(0, 2, n) if weighted else None
    peak = update_peak(make(), t, p, w)
    assert peak < 0.25 * p.nbytes, peak / p.nbytes  # the chunk buffers: about 1 MB


@pytest.mark.parametrize(
    "make",
    [
        lambda: rm.AUC(),
        lambda: rm.Precision(),
        lambda: rm.Recall(thresholds=[0.2, 0.7]),
        lambda: rm.Recall(class_id=1),
        lambda: rm.AUC(multi_label=True),
        lambda: rm.AUC(multi_label=True, curve="PR", thresholds=[0.1, 0.5, 0.35]),
    ],
    ids=["auc", "precision", "recall2", "recall-class", "auc-multi", "auc-multi-uneven"],
)
def test_column_major_matrices_are_read_in_place(make):
    """R's matrices are column-major: an unweighted update reads them as they
    lie (counts do not depend on the order; multi-label AUC a column at a
    time), without a row-order copy of the predictions or the labels, and
    counts what the row-major copy counts."""
    rng = np.random.default_rng(1)
    n = 10**6 // 3
    p = np.asfortranarray(hard_scores(rng, (n, 3)))
    t = np.asfortranarray((rng.uniform(size=(n, 3)) < 0.4).astype(np.float64))
    m = make()
    peak = update_peak(m, t, p, None)
    assert peak < 0.25 * p.nbytes, peak / p.nbytes
    c = make()
    c.update_state(t[:10], p[:10])
    c.update_state(np.ascontiguousarray(t), np.ascontiguousarray(p))
    assert_same_states(m, c)


def test_weights_per_sample_of_a_matrix_are_spread_in_the_metrics_dtype():
    """One weight per sample of a (n, 3) row-major matrix: counting spreads
    the weights to every value (a copy, as before chunked casting), in float32
    (0.5x the float64 predictions), not in float64 (1x)."""
    rng = np.random.default_rng(3)
    n = 10**6 // 3
    p = rng.uniform(0, 1, (n, 3))
    t = (rng.uniform(size=(n, 3)) < 0.4).astype(np.float64)
    w = rng.uniform(0, 2, n)
    peak = update_peak(rm.AUC(), t, p, w)
    assert peak < 0.75 * p.nbytes, peak / p.nbytes


@pytest.mark.parametrize("make", [lambda: rm.Precision(dtype="float64"), lambda: rm.AUC(dtype="float64")], ids=["precision", "auc"])
def test_only_the_cast_is_quieted(make):
    """The chunk cast silences its own overflow (1e300 becomes inf, as a whole
    cast does), not the counting's: weight sums that overflow still warn."""
    n = 2 * cu.CHUNK
    t, p = np.ones(n), np.full(n, 0.9)
    w = np.ones(n)
    w[[0, cu.CHUNK]] = 1e308  # one per chunk: the running sum overflows
    with pytest.warns(RuntimeWarning, match="overflow"):
        make().update_state(t, p, sample_weight=w)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*overflow.*")  # (an inf weight's inf - inf still warns, as before)
        rm.AUC().update_state(np.ones(3), np.array([0.5, 1e300, -1e300]), sample_weight=np.array([1.0, 1e300, 2.0]))
        rm.Precision().update_state(np.ones(3), np.array([0.5, 1e300, -1e300]), sample_weight=np.array([1.0, 1e300, 2.0]))
