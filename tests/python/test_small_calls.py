"""The direct path of small calls (``_rowwise.small_call``) gives the same bits
as the validated path (conversion, checks, ``rowwise``), and bad options are
still refused on it.

The reference is the library's own validated path, forced by making every
module's ``small_call`` decline; the comparison is bit for bit (sign of zero
and NaN included), not approximate.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from rkeraslosses import losses as L

#: Where ``small_call`` is looked up (``_rowwise.pairwise`` calls its own).
MODULES = [sys.modules[f"rkeraslosses.losses.{m}"] for m in ("_rowwise", "regression", "hinge", "probabilistic")]

#: (function, options): every loss with a direct path, with the options that take it.
CASES = [
    (L.mean_squared_error, {}),
    (L.mean_absolute_error, {}),
    (L.mean_absolute_percentage_error, {}),
    (L.mean_squared_logarithmic_error, {}),
    (L.log_cosh, {}),
    (L.huber, {}),
    (L.cosine_similarity, {}),
    (L.hinge, {}),
    (L.squared_hinge, {}),
    (L.categorical_hinge, {}),
    (L.kl_divergence, {}),
    (L.poisson, {}),
    (L.binary_crossentropy, {}),
    (L.binary_crossentropy, {"from_logits": True}),
    (L.categorical_crossentropy, {}),
    (L.categorical_crossentropy, {"from_logits": True}),
]


def _inputs():
    """Pairs of labels and predictions: one-hot, 0/1, -1/1 and soft labels,
    probabilities and logits with NaN, infinities, zeros and an all-zero row, in
    float16/32/64, C and Fortran order."""
    rng = np.random.default_rng(7)
    out = []
    for dtype in (np.float16, np.float32, np.float64):
        for rows, cols in ((2, 2), (32, 10), (5, 3)):
            one_hot = np.eye(cols, dtype=dtype)[rng.integers(0, cols, rows)]
            binary = rng.integers(0, 2, (rows, cols)).astype(dtype)
            signs = binary * 2 - 1
            soft = rng.random((rows, cols)).astype(dtype)
            probs = rng.random((rows, cols)).astype(dtype)
            probs[0, 0] = 0.0
            logits = (rng.standard_normal((rows, cols)) * 4).astype(dtype)
            special = probs.copy()
            special[-1] = 0.0  # an all-zero row
            special[0, -1] = np.nan
            special[1 % rows, 0] = np.inf
            for t in (one_hot, binary, signs, soft):
                for p in (probs, logits, special):
                    out.append((t, p))
                    out.append((np.asfortranarray(t), np.asfortranarray(p)))
    return out


INPUTS = _inputs()


def _bits(x):
    x = np.asarray(x)
    return x.dtype, x.shape, x.view(np.dtype(f"u{x.dtype.itemsize}")).tobytes()


@pytest.mark.parametrize("fn,options", CASES, ids=[f"{f.__name__}-{o}" for f, o in CASES])
def test_direct_path_equals_the_validated_path(monkeypatch, fn, options):
    direct = []
    taken = []
    for m in MODULES:
        original = m.small_call

        def spy(kernel, t, p, original=original):
            out = original(kernel, t, p)
            taken.append(out is not None)
            return out

        monkeypatch.setattr(m, "small_call", spy)
    for t, p in INPUTS:
        direct.append(_bits(fn(t, p, **options)))
    # Every input above is a small call of two same-dtype 2-D arrays: the
    # direct path was taken each time (else this test compares a path with itself).
    assert taken and all(taken), (len(taken), sum(taken))
    for m in MODULES:
        monkeypatch.setattr(m, "small_call", lambda kernel, t, p: None)
    validated = [_bits(fn(t, p, **options)) for t, p in INPUTS]
    assert len(direct) == len(validated) == len(INPUTS)
    for k, (a, b) in enumerate(zip(direct, validated)):
        assert a == b, (k, INPUTS[k][0].dtype, INPUTS[k][0].shape)


@pytest.mark.parametrize(
    "t,p",
    [
        (np.ones((3, 2), np.float32), np.ones((3, 2), np.float64)),  # mixed dtypes: converted
        (np.ones((1, 4), np.float32), np.ones((1, 4), np.float32)),  # one row
        (np.ones((4, 1), np.float32), np.ones((4, 1), np.float32)),  # one column
        (np.ones((2, 2, 2), np.float32), np.ones((2, 2, 2), np.float32)),  # 3-D
        (np.ones((3, 2), np.int64), np.ones((3, 2), np.int64)),  # integers: converted
        ([[0.0, 1.0], [1.0, 0.0]], np.ones((2, 2), np.float32)),  # a list
        (np.ma.array(np.ones((3, 2), np.float32)), np.ones((3, 2), np.float32)),  # a subclass
    ],
)
def test_other_inputs_decline_the_direct_path(t, p):
    from rkeraslosses.losses._rowwise import small_call

    assert small_call(lambda a, b: a, t, p) is None


@pytest.mark.parametrize(
    "fn,options,error",
    [
        (L.categorical_crossentropy, {"from_logits": 1}, TypeError),
        (L.categorical_crossentropy, {"from_logits": "yes"}, TypeError),
        (L.categorical_crossentropy, {"label_smoothing": 1.5}, ValueError),
        (L.categorical_crossentropy, {"axis": 2}, ValueError),
        (L.binary_crossentropy, {"from_logits": None}, TypeError),
        (L.binary_crossentropy, {"label_smoothing": -0.5}, ValueError),
        (L.binary_crossentropy, {"axis": -3}, ValueError),
        (L.huber, {"delta": -1.0}, ValueError),
        (L.cosine_similarity, {"axis": 5}, ValueError),
    ],
)
def test_bad_options_are_refused_on_small_calls(fn, options, error):
    t = np.eye(3, dtype=np.float32)
    with pytest.raises(error):
        fn(t, t, **options)


@pytest.mark.parametrize(
    "fn,options",
    [
        (L.categorical_crossentropy, {"label_smoothing": 0.1}),
        (L.categorical_crossentropy, {"from_logits": np.bool_(True)}),
        (L.binary_crossentropy, {"label_smoothing": 0.2, "axis": 0}),
        (L.huber, {"delta": 0.5}),
        (L.cosine_similarity, {"axis": 0}),
    ],
)
def test_other_options_take_the_validated_path_with_their_values(monkeypatch, fn, options):
    rng = np.random.default_rng(3)
    t = np.eye(4, dtype=np.float32)[rng.integers(0, 4, 6)]
    p = rng.random((6, 4)).astype(np.float32)
    expected = fn(t, p, **options)
    for m in MODULES:
        monkeypatch.setattr(m, "small_call", lambda kernel, t, p: pytest.fail("a small call ignored an option"))
    assert _bits(fn(t, p, **options)) == _bits(expected)


def _sparse_inputs():
    rng = np.random.default_rng(11)
    out = []
    for dtype in (np.float16, np.float32, np.float64):
        for rows, cols in ((1, 2), (2, 2), (32, 10), (7, 3)):
            probs = rng.random((rows, cols)).astype(dtype)
            logits = (rng.standard_normal((rows, cols)) * 4).astype(dtype)
            special = probs.copy()
            special[-1] = 0.0
            special[0, -1] = np.nan
            for label_dtype in (np.int64, np.int32, np.uint8):
                labels = rng.integers(0, cols, rows).astype(label_dtype)
                for p in (probs, logits, special, np.asfortranarray(logits)):
                    out.append((labels, p))
    return out


SPARSE_INPUTS = _sparse_inputs()


@pytest.mark.parametrize("from_logits", [False, True])
def test_direct_sparse_path_equals_the_validated_path(monkeypatch, from_logits):
    module = sys.modules["rkeraslosses.losses.probabilistic"]
    original = module._small_sparse_call
    taken = []

    def spy(*args):
        out = original(*args)
        taken.append(out is not None)
        return out

    monkeypatch.setattr(module, "_small_sparse_call", spy)
    fn = L.sparse_categorical_crossentropy
    direct = [_bits(fn(t, p, from_logits=from_logits)) for t, p in SPARSE_INPUTS]
    assert taken and all(taken), (len(taken), sum(taken))
    monkeypatch.setattr(module, "_small_sparse_call", lambda *args: None)
    validated = [_bits(fn(t, p, from_logits=from_logits)) for t, p in SPARSE_INPUTS]
    assert direct == validated


@pytest.mark.parametrize(
    "labels,error",
    [
        (np.array([0, 3]), r"label 3"),  # out of range
        (np.array([0, -1]), r"negative label -1"),
        (np.array([0.0, 0.5]), r"non-integer value 0.5"),
    ],
)
def test_bad_sparse_labels_are_refused_on_small_calls(labels, error):
    p = np.full((2, 3), 1 / 3, dtype=np.float32)
    with pytest.raises(ValueError, match=error):
        L.sparse_categorical_crossentropy(labels, p)


def test_sparse_options_other_than_the_defaults_take_the_validated_path(monkeypatch):
    module = sys.modules["rkeraslosses.losses.probabilistic"]
    labels = np.array([0, 2, 1, 2])
    p = np.random.default_rng(5).random((4, 3)).astype(np.float32)
    expected = [
        L.sparse_categorical_crossentropy(labels, p, ignore_class=2),
        L.sparse_categorical_crossentropy(labels, p.T, axis=0),
    ]
    monkeypatch.setattr(module, "_small_sparse_call", lambda *args: pytest.fail("a small call ignored an option"))
    got = [
        L.sparse_categorical_crossentropy(labels, p, ignore_class=2),
        L.sparse_categorical_crossentropy(labels, p.T, axis=0),
    ]
    assert [_bits(g) for g in got] == [_bits(e) for e in expected]
    with pytest.raises(TypeError):
        L.sparse_categorical_crossentropy(labels, p, from_logits="no")


def test_r_style_option_cache_tells_equal_values_of_other_types_apart():
    import rkeraslosses as rk

    t = np.eye(3, dtype=np.float32)
    p = np.full((3, 3), 1 / 3, dtype=np.float32)
    r = rk.loss_categorical_crossentropy
    expected = L.categorical_crossentropy(t, p, from_logits=True)
    for _ in range(2):  # the second call takes the cached options
        assert _bits(r(t, p, from_logits=True)) == _bits(expected)
        # 1 == True and hash(1) == hash(True), but 1 is not a valid flag
        with pytest.raises(TypeError, match="from_logits"):
            r(t, p, from_logits=1)
        with pytest.raises(TypeError, match="from_logits"):
            r(t, p, from_logits=[True])  # unhashable: validated every time
    both = r(t, p, axis=-1, from_logits=True), r(t, p, from_logits=True, axis=-1)
    assert _bits(both[0]) == _bits(both[1]) == _bits(expected)
