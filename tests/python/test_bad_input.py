"""Bad input gets a clear exception naming the argument and what was received (spec section 7)."""

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import losses

from .registry import CASES, IDS

cases = pytest.mark.parametrize("case", CASES, ids=IDS)


@cases
@pytest.mark.parametrize("which", ["y_true", "y_pred"])
def test_none_is_a_type_error(case, which):
    t, p = case.inputs()
    args = {"y_true": t, "y_pred": p, which: None}
    with pytest.raises(TypeError, match=f"`{which}`.*Received: {which}=None"):
        case.fn(**args)
    with pytest.raises(TypeError, match=f"`{which}`"):
        case.cls()(**args)


@cases
@pytest.mark.parametrize("bad", ["abc", np.array(["a", "b"]), np.array([object(), object()]), [[1, None]]])
def test_strings_and_objects_are_type_errors(case, bad):
    t, p = case.inputs()
    with pytest.raises(TypeError, match="`y_pred`"):
        case.fn(t, bad)


@cases
def test_ragged_lists_are_value_errors(case):
    t, _ = case.inputs()
    with pytest.raises(ValueError, match="`y_pred`.*rectangular"):
        case.fn(t, [[0.1, 0.2], [0.3]])


@pytest.mark.parametrize("case", [c for c in CASES if not c.sparse], ids=[c.id for c in CASES if not c.sparse])
def test_mismatched_shapes_are_value_errors(case):
    t, p = case.inputs(shape=(2, 3))
    _, p4 = case.inputs(shape=(2, 4))
    with pytest.raises(ValueError, match=r"Received: y_true.shape=\(2, 3\), y_pred.shape=\(2, 4\)"):
        case.fn(t, p4)
    with pytest.raises(ValueError, match=r"y_true.shape=\(2, 3\)"):
        case.cls()(t, p4)


@cases
def test_empty_batch_reduces_to_zero(case):
    t, p = case.inputs(shape=(0, 4))
    assert np.shape(case.fn(t, p)) == case.out_shape((0, 4))
    # A whole-batch loss of no data is its formula's value (Dice: 1 - 0 / 1e-7 = 1, as Keras).
    expected = case.fn(t, p) if case.whole_batch else 0
    for reduction in ("sum_over_batch_size", "sum", "mean_with_sample_weight"):
        out = case.cls(reduction=reduction)(t, p)
        assert out == expected and not np.isnan(out)
    assert case.cls()(t, p, sample_weight=np.zeros(0)) == 0


@pytest.mark.parametrize("reduction", ["average", "SUM", 3, "weighted_sum"])
def test_invalid_reduction(reduction):
    with pytest.raises(ValueError, match="`reduction`.*sum_over_batch_size.*Received: reduction="):
        losses.MeanSquaredError(reduction=reduction)
    with pytest.raises(ValueError, match="`reduction`"):
        rk.loss_mean_squared_error([1.0], [2.0], reduction=reduction)


@pytest.mark.parametrize("dtype,error", [("int32", ValueError), ("bfloat17", TypeError), ("bfloat16", None), ("float", None), (np.float64, None), (3.5, TypeError)])
def test_dtype_argument(dtype, error):
    if error is None:
        assert losses.MeanSquaredError(dtype=dtype)([[1.0]], [[2.0]]) == 1.0
    else:
        with pytest.raises(error, match="`dtype`"):
            losses.MeanSquaredError(dtype=dtype)


@pytest.mark.parametrize("axis,error", [(2, ValueError), (-3, ValueError), (1.0, TypeError), (True, TypeError), ("1", TypeError)])
def test_invalid_axis(axis, error):
    t, p = [[0, 1.0]], [[0.5, 0.5]]
    for fn in (losses.categorical_crossentropy, losses.binary_crossentropy, losses.cosine_similarity):
        with pytest.raises(error, match="`axis`.*Received: axis="):
            fn(t, p, axis=axis)


@pytest.mark.parametrize("ls,error", [(-0.1, ValueError), (1.5, ValueError), ("0.1", TypeError), (None, TypeError)])
def test_label_smoothing_outside_unit_interval(ls, error):
    for cls in (losses.CategoricalCrossentropy, losses.BinaryCrossentropy):
        with pytest.raises(error, match="`label_smoothing`"):
            cls(label_smoothing=ls)
    with pytest.raises(error, match="`label_smoothing`"):
        losses.categorical_crossentropy([[0, 1.0]], [[0.5, 0.5]], label_smoothing=ls)


def test_from_logits_must_be_a_flag():
    with pytest.raises(TypeError, match="`from_logits`"):
        losses.BinaryCrossentropy(from_logits="yes")


def test_huber_delta_must_be_positive():
    with pytest.raises(ValueError, match="`delta`"):
        losses.Huber(delta=0)
    with pytest.raises(ValueError, match="`delta`"):
        losses.huber([1.0], [2.0], delta=-1)


@pytest.mark.parametrize(
    "labels,message",
    [
        ([0, 3], r"label 3 at `y_true\[1\]` \(0-based\).*\[0, 2\] for 3 classes"),
        ([-1, 0], r"negative label -1 at `y_true\[0\]` \(0-based\)"),
        ([0.5, 1], r"non-integer value 0.5"),
        ([np.nan, 1], r"found nan"),
    ],
)
def test_sparse_labels_out_of_range(labels, message):
    p = [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]
    with pytest.raises(ValueError, match=message):
        losses.sparse_categorical_crossentropy(labels, p)
    with pytest.raises(ValueError, match="y_true"):
        losses.SparseCategoricalCrossentropy()(labels, p)


def test_sparse_labels_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"Received: y_true.shape=\(3,\), y_pred.shape=\(2, 3\)"):
        losses.sparse_categorical_crossentropy([0, 1, 2], [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])


@pytest.mark.parametrize(
    "weights",
    [np.ones(3), np.ones((4, 5)), np.ones((3, 1)), np.ones((4, 3, 2, 1))],
    ids=["wrong_batch", "wrong_second_axis", "wrong_column", "too_many_axes"],
)
def test_sample_weights_that_cannot_apply(weights):
    t, p = np.zeros((4, 3, 2)), np.ones((4, 3, 2))
    with pytest.raises(ValueError, match=rf"`sample_weight`.*Received: sample_weight.shape={weights.shape!r}".replace("(", r"\(").replace(")", r"\)")):
        losses.MeanSquaredError()(t, p, sample_weight=weights)


def test_sample_weights_for_a_single_sample_need_a_column():
    # 1-D inputs are one sample (Keras reduces over the last axis): a weight per
    # element cannot apply, and the message says what shape would.
    with pytest.raises(ValueError, match=r"sample_weight.shape=\(3,\), values.shape=\(\)"):
        losses.MeanSquaredError()([1.0, 2.0, 3.0], [1.0, 2.0, 4.0], sample_weight=[1.0, 2.0, 3.0])


def test_sample_weights_must_be_numbers():
    with pytest.raises(TypeError, match="`sample_weight`"):
        losses.MeanSquaredError()([[1.0]], [[2.0]], sample_weight="heavy")


@pytest.mark.parametrize(
    "y,num_classes,message",
    [
        ([0, -1], None, r"negative label -1"),
        ([0, np.nan], None, r"found nan"),
        ([0, 1.5], None, r"non-integer value 1.5"),
        # issue 14: the argument that is wrong is num_classes, and the message says so
        ([0, 5], 3, r"^Argument `num_classes` is too small: y holds the label 5 at `y\[1\]` \(0-based\).*at least 6.*Received: num_classes=3$"),
        ([[0, 1], [2, 0]], 2, r"label 2 at `y\[1, 0\]` \(0-based\)"),
    ],
)
def test_to_categorical_bad_labels(y, num_classes, message):
    with pytest.raises(ValueError, match=message):
        rk.to_categorical(y, num_classes=num_classes)


@pytest.mark.parametrize("num_classes,error", [(0, ValueError), (-2, ValueError), ("3", TypeError), (2.5, TypeError)])
def test_to_categorical_bad_num_classes(num_classes, error):
    with pytest.raises(error, match="`num_classes`"):
        rk.to_categorical([0, 1], num_classes=num_classes)


def test_nan_propagates():
    t = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    p = np.array([[0.2, np.nan, 0.5], [0.6, 0.2, 0.2]])
    for case in CASES:
        if not case.independent or case.out_shape((2, 3)) != (2,) or case.id == "ctc":
            # NaN in the first sample's predictions; it reaches every loss that
            # depends on that sample (all of them for pairwise and whole-batch losses).
            tc, pc = case.inputs(shape=(4, 3))
            pc.reshape(4, -1)[0, 1] = np.nan
            out = np.atleast_1d(case.fn(tc, pc))
            assert np.isnan(out[0]), case.id
            if case.independent:
                assert np.isfinite(out[1:]).all(), case.id
            assert np.isnan(case.cls()(tc, pc)), case.id
            continue
        if case.sparse:
            out = case.fn([1, 0], p)
        else:
            out = case.fn(t, p)
        assert np.isnan(out[0]) and np.isfinite(out[1]), case.id
        assert np.isnan(case.cls()(t if not case.sparse else [1, 0], p)), case.id


def test_one_class_categorical_crossentropy_warns_as_keras_does():
    # Keras 3 (keras/src/losses/losses.py, categorical_crossentropy) warns with this text when
    # y_pred has one class; the property tests draw such inputs on purpose and pyproject.toml
    # filters this warning there, so it is asserted here.
    t, p = [[1.0], [1.0]], [[0.7], [0.2]]
    with pytest.warns(UserWarning, match=r"expected y_pred.shape to be \(batch_size, num_classes\) with num_classes > 1. Received: y_pred.shape=\(2, 1\)"):
        losses.categorical_crossentropy(t, p)
    with pytest.warns(UserWarning, match="binary_crossentropy"):
        losses.CategoricalCrossentropy()(t, p)
