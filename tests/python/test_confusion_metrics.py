"""Confusion-matrix metrics and F-scores without Keras at test time.

* the numbers asserted in Keras' own tests (keras-team/keras,
  ``keras/src/metrics/confusion_metrics_test.py`` and
  ``keras/src/metrics/f_score_metrics_test.py``), each citing its test;
* the bucketing (every path: evenly spaced, grid, searchsorted, one
  threshold) against the plain ``n x T`` comparison Keras documents;
* ``AUC(exact=True)`` against scikit-learn, and chunk merges against one pass;
* bad input, pickling, merging and threads.
"""

import json
import pickle
import threading

import numpy as np
import pytest

import rkeraslosses.metrics as rm
from rkeraslosses.metrics import _confusion_utils as cu

KERAS_CM = "keras/src/metrics/confusion_metrics_test.py"
KERAS_FS = "keras/src/metrics/f_score_metrics_test.py"

# ----------------------------------------------------------------- Keras' own numbers

Y_TRUE_5 = np.array(((0, 1, 0, 1, 0), (0, 0, 1, 1, 1), (1, 1, 1, 1, 0), (0, 0, 0, 0, 1)))
Y_PRED_5 = np.array(((0, 0, 1, 1, 0), (1, 1, 1, 1, 1), (0, 1, 0, 1, 0), (1, 1, 1, 1, 1)))
Y_PRED_4 = np.array(((0.9, 0.2, 0.8, 0.1), (0.2, 0.9, 0.7, 0.6), (0.1, 0.2, 0.4, 0.3), (0, 1, 0.7, 0.3)))
Y_TRUE_4 = np.array(((0, 1, 1, 0), (1, 0, 0, 0), (0, 0, 0, 0), (1, 1, 1, 1)))
W_4 = ((1.0, 2.0, 3.0, 5.0), (7.0, 11.0, 13.0, 17.0), (19.0, 23.0, 29.0, 31.0), (5.0, 15.0, 10.0, 0))

# (class, test name in KERAS_CM, test_unweighted, test_weighted (weights 1, 1.5, 2, 2.5),
#  test_unweighted_with_thresholds, the weights and result of test_weighted_with_thresholds)
CONDITION_CASES = [
    ("FalsePositives", "FalsePositivesTest", 7.0, 14.0, [7.0, 4.0, 2.0], W_4, [125.0, 42.0, 12.0]),
    ("FalseNegatives", "FalseNegativesTest", 3.0, 5.0, [1.0, 4.0, 6.0], ((3.0,), (5.0,), (7.0,), (4.0,)), [4.0, 16.0, 23.0]),
    ("TrueNegatives", "TrueNegativesTest", 3.0, 4.0, [2.0, 5.0, 7.0], ((0.0, 2.0, 3.0, 5.0),), [5.0, 15.0, 23.0]),
    ("TruePositives", "TruePositiveTest", 7.0, 12.0, [6.0, 3.0, 1.0], 37.0, [222.0, 111.0, 37.0]),
]


@pytest.mark.parametrize("cls_name,test,unweighted,weighted,with_thr,thr_weights,weighted_thr", CONDITION_CASES)
def test_keras_condition_counts(cls_name, test, unweighted, weighted, with_thr, thr_weights, weighted_thr):
    """KERAS_CM, <test>.test_unweighted / test_weighted / test_unweighted_with_thresholds /
    test_weighted_with_thresholds / test_config."""
    cls = getattr(rm, cls_name)
    assert cls()(Y_TRUE_5, Y_PRED_5) == pytest.approx(unweighted)
    assert cls()(Y_TRUE_5, Y_PRED_5, sample_weight=np.array((1.0, 1.5, 2.0, 2.5))) == pytest.approx(weighted)
    np.testing.assert_allclose(cls(thresholds=[0.15, 0.5, 0.85])(Y_TRUE_4, Y_PRED_4), with_thr)
    np.testing.assert_allclose(cls(thresholds=[0.15, 0.5, 0.85])(Y_TRUE_4, Y_PRED_4, sample_weight=thr_weights), weighted_thr)
    m = cls(name="my_fp", thresholds=[0.4, 0.9])
    again = cls.from_config(m.get_config())
    assert again.name == "my_fp" and again.thresholds == [0.4, 0.9] and len(again.variables) == 1


def test_keras_threshold_limit():
    """KERAS_CM, FalsePositivesTest.test_threshold_limit (and the other three)."""
    for cls in (rm.FalsePositives, rm.FalseNegatives, rm.TrueNegatives, rm.TruePositives):
        with pytest.raises(ValueError, match=r"thresholds.*\[0, 1\]. Received: \[-1, 2\]"):
            cls(thresholds=[-1, 0.5, 2])
        with pytest.raises(ValueError, match=r"Received: \[None\]"):
            cls(thresholds=[None])


def test_keras_precision():
    """KERAS_CM, PrecisionTest.*"""
    assert rm.Precision()(np.array([0, 1, 1, 0]), np.array([1, 0, 1, 0])) == pytest.approx(0.5)  # test_unweighted
    inputs = np.random.default_rng(0).integers(0, 2, size=(100, 1))
    assert rm.Precision(thresholds=[0.5])(1 - inputs, inputs) == 0  # test_unweighted_all_incorrect
    result = rm.Precision()(np.array([[0, 1, 1, 0], [1, 0, 0, 1]]), np.array([[1, 0, 1, 0], [1, 0, 1, 0]]), sample_weight=np.array([[1, 2, 3, 4], [4, 3, 2, 1]]))
    assert result == pytest.approx(7.0 / 10.0)  # test_weighted
    assert rm.Precision()(np.array([0, 0, 0, 0]), np.array([0, 0, 0, 0])) == 0  # test_div_by_zero
    np.testing.assert_allclose(rm.Precision(thresholds=[0.5, 0.7])(np.array([0, 1, 1, 0]), np.array([1, 0, 0.6, 0])), [0.5, 0.0])  # test_unweighted_with_threshold
    y_true, y_pred = np.array([[0, 1], [1, 0]]), np.array([[1, 0], [0.6, 0]], dtype="float32")
    weights = np.array([[4, 0], [3, 1]], dtype="float32")
    np.testing.assert_allclose(rm.Precision(thresholds=[0.5, 1.0])(y_true, y_pred, sample_weight=weights), [3.0 / 7.0, 0], rtol=1e-6)  # test_weighted_with_threshold
    m = rm.Precision(thresholds=[0.5, 1.0])
    for _ in range(2):
        m.update_state(y_true, y_pred, sample_weight=weights)
    np.testing.assert_allclose(m.result(), [6.0 / 14.0, 0], rtol=1e-6)  # test_multiple_updates
    assert rm.Precision(top_k=3)(np.array([0, 1, 1, 0, 0]), np.array([0.2, 0.1, 0.5, 0, 0.2])) == pytest.approx(1.0 / 3)  # test_unweighted_top_k
    m = rm.Precision(top_k=3)  # test_weighted_top_k
    m(np.array([[0, 1, 1, 0, 1]]), np.array([[0.2, 0.1, 0.4, 0, 0.2]]), sample_weight=np.array([[1, 4, 2, 3, 5]]))
    result = m(np.array([1, 0, 1, 1, 1]), np.array([0.2, 0.6, 0.4, 0.2, 0.2]), sample_weight=np.array(3))
    assert result == pytest.approx(13.0 / 17.0)
    with pytest.raises(ValueError, match=r"When class_id is provided, y_pred must be a 2D array"):  # test_unweighted_class_id_should_throw_error_1d
        rm.Precision(class_id=2)(np.array([0, 1, 1, 0, 0]), np.array([0.2, 0.1, 0.6, 0, 0.2]))
    m = rm.Precision(class_id=1)  # test_unweighted_class_id_multiclass
    y_pred = np.array([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.2, 0.6, 0.2], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    y_true = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    assert m(y_true, y_pred) == pytest.approx(1.0)
    assert m.variables["true_positives"][0] == 1.0 and m.variables["false_positives"][0] == 0.0
    m = rm.Precision(thresholds=0.7, top_k=2)  # test_unweighted_top_k_and_threshold
    assert m(np.array([0, 1, 1, 0, 1]), np.array([0.2, 0.8, 0.6, 0, 0.2])) == 1
    assert m.variables["true_positives"][0] == 1 and m.variables["false_positives"][0] == 0
    m = rm.Precision(name="my_precision", thresholds=[0.4, 0.9], top_k=15, class_id=12)  # test_config
    again = rm.Precision.from_config(m.get_config())
    assert (again.name, again.thresholds, again.top_k, again.class_id) == ("my_precision", [0.4, 0.9], 15, 12)
    assert list(again.variables) == ["true_positives", "false_positives"]


def test_keras_recall():
    """KERAS_CM, RecallTest.*"""
    assert rm.Recall()(np.array([0, 1, 1, 0]), np.array([1, 0, 1, 0])) == pytest.approx(0.5)  # test_unweighted
    result = rm.Recall()(np.array([[0, 1, 1, 0], [1, 0, 0, 1]]), np.array([[1, 0, 1, 0], [0, 1, 0, 1]]), sample_weight=np.array([[1, 2, 3, 4], [4, 3, 2, 1]]))
    assert result == pytest.approx((3.0 + 1.0) / ((2.0 + 3.0) + (4.0 + 1.0)))  # test_weighted
    assert rm.Recall()(np.array([0, 0, 0, 0]), np.array([0, 0, 0, 0])) == 0  # test_div_by_zero
    np.testing.assert_allclose(rm.Recall(thresholds=[0.5, 0.7])(np.array([0, 1, 1, 0]), np.array([1, 0, 0.6, 0])), [0.5, 0.0])  # test_unweighted_with_threshold
    y_true, y_pred = np.array([[0, 1], [1, 0]]), np.array([[1, 0], [0.6, 0]], dtype="float32")
    weights = np.array([[1, 4], [3, 2]], dtype="float32")
    np.testing.assert_allclose(rm.Recall(thresholds=[0.5, 1.0])(y_true, y_pred, sample_weight=weights), [3.0 / 7.0, 0], rtol=1e-6)  # test_weighted_with_threshold
    assert rm.Recall(top_k=3)(np.array([0, 1, 1, 0, 0]), np.array([0.2, 0.1, 0.5, 0, 0.2])) == pytest.approx(0.5)  # test_unweighted_top_k
    m = rm.Recall(top_k=3)  # test_weighted_top_k
    m(np.array([[0, 1, 1, 0, 1]]), np.array([[0.2, 0.1, 0.4, 0, 0.2]]), sample_weight=np.array([[1, 4, 2, 3, 5]]))
    result = m(np.array([1, 0, 1, 1, 1]), np.array([0.2, 0.6, 0.4, 0.2, 0.2]), sample_weight=np.array(3))
    assert result == pytest.approx(((2 + 5) + (3 + 3)) / ((4 + 2 + 5) + (3 + 3 + 3 + 3)))
    m = rm.Recall(class_id=1)  # test_unweighted_class_id_multiclass
    y_pred = np.array([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.2, 0.6, 0.2], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    y_true = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    assert m(y_true, y_pred) == pytest.approx(1.0)
    m = rm.Recall(thresholds=0.7, top_k=2)  # test_unweighted_top_k_and_threshold
    assert m(np.array([1, 1, 1, 0, 1]), np.array([0.2, 0.8, 0.6, 0, 0.2])) == pytest.approx(0.25)
    assert m.variables["true_positives"][0] == 1 and m.variables["false_negatives"][0] == 3


XY_PRED = [0.0, 0.1, 0.2, 0.3, 0.4, 0.01, 0.02, 0.25, 0.26, 0.26]
XY_LABEL = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
PR_PRED = [0.0, 0.1, 0.2, 0.5, 0.6, 0.2, 0.5, 0.6, 0.8, 0.9]
RP_PRED = [0.05, 0.1, 0.2, 0.3, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.9, 0.95]
RP_LABEL = [0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1]


@pytest.mark.parametrize("label_dtype", ["bool", "int32", "float32"])
def test_keras_x_at_y(label_dtype):
    """KERAS_CM, SensitivityAtSpecificityTest / SpecificityAtSensitivityTest /
    PrecisionAtRecallTest / RecallAtPrecisionTest: test_unweighted_*, test_weighted, test_unweighted_class_id."""
    f32 = lambda v: np.array(v, dtype="float32")  # noqa: E731
    lab = lambda v: np.array(v).astype(label_dtype)  # noqa: E731
    onehot = lambda v: np.eye(3)[np.array(v)]  # noqa: E731
    cols = lambda v: np.array([v] * 3, dtype="float32").T  # noqa: E731
    inputs = np.random.default_rng(1).integers(0, 2, size=(100, 1))
    for cls in (rm.SensitivityAtSpecificity, rm.SpecificityAtSensitivity, rm.PrecisionAtRecall, rm.RecallAtPrecision):
        assert cls(0.7)(inputs, inputs.astype("float32")) == pytest.approx(1)  # test_unweighted_all_correct
    assert rm.SensitivityAtSpecificity(0.8)(lab(XY_LABEL), f32([0.0, 0.1, 0.2, 0.3, 0.4, 0.1, 0.45, 0.5, 0.8, 0.9])) == pytest.approx(0.8)
    assert rm.SensitivityAtSpecificity(0.4)(lab(XY_LABEL), f32(XY_PRED)) == pytest.approx(0.6)
    assert rm.SensitivityAtSpecificity(0.4)(lab(XY_LABEL), f32(XY_PRED), sample_weight=np.arange(1, 11)) == pytest.approx(0.675)
    assert rm.SpecificityAtSensitivity(0.4, class_id=2)(onehot([0, 0, 0, 0, 0, 2, 2, 2, 2, 2]), cols(XY_PRED)) == pytest.approx(0.6)
    assert rm.SpecificityAtSensitivity(1.0)(lab(XY_LABEL), f32(XY_PRED)) == pytest.approx(0.2)
    assert rm.SpecificityAtSensitivity(0.4)(lab(XY_LABEL), f32(XY_PRED)) == pytest.approx(0.6)
    assert rm.SpecificityAtSensitivity(0.4)(lab(XY_LABEL), f32(XY_PRED), sample_weight=np.arange(1, 11)) == pytest.approx(0.4)
    assert rm.PrecisionAtRecall(0.8)(lab(XY_LABEL), f32(PR_PRED)) == pytest.approx(2.0 / 3)
    assert rm.PrecisionAtRecall(0.6)(lab(XY_LABEL), f32(PR_PRED)) == pytest.approx(0.75)
    assert rm.PrecisionAtRecall(0.6, class_id=2)(onehot([0, 0, 0, 0, 0, 2, 2, 2, 2, 2]), cols(PR_PRED)) == pytest.approx(0.75)
    assert rm.PrecisionAtRecall(7.0 / 8)(lab(XY_LABEL), f32(PR_PRED), sample_weight=np.array([2, 1, 2, 1, 2, 1, 2, 2, 1, 2])) == pytest.approx(0.7)
    assert rm.RecallAtPrecision(0.75)(lab(RP_LABEL), f32(RP_PRED)) == pytest.approx(0.5)
    assert rm.RecallAtPrecision(2.0 / 3)(lab(RP_LABEL), f32(RP_PRED)) == pytest.approx(5.0 / 6)
    assert rm.RecallAtPrecision(2.0 / 3, class_id=2)(onehot([0, 2, 0, 0, 0, 2, 2, 0, 2, 2, 0, 2]), cols(RP_PRED)) == pytest.approx(5.0 / 6)
    assert rm.RecallAtPrecision(0.75)(lab([0, 1, 0, 0, 0, 1, 1]), f32([0.1, 0.2, 0.3, 0.5, 0.6, 0.9, 0.9]), sample_weight=np.array([1, 2, 1, 2, 1, 2, 1])) == pytest.approx(0.6)
    assert rm.RecallAtPrecision(2.0 / 3)(lab([1, 1, 0, 0]), f32([0.1, 0.2, 0.3, 0.9])) == 0  # test_unachievable_precision


def test_keras_x_at_y_config_and_errors():
    """KERAS_CM, *AtTest.test_config, test_invalid_*, test_invalid_num_thresholds."""
    for cls, arg in ((rm.SensitivityAtSpecificity, "specificity"), (rm.SpecificityAtSensitivity, "sensitivity"), (rm.PrecisionAtRecall, "recall"), (rm.RecallAtPrecision, "precision")):
        m = cls(0.4, num_thresholds=100, class_id=12, name="x_1")
        again = cls.from_config(m.get_config())
        assert (again.name, getattr(again, arg), again.num_thresholds, again.class_id, len(again.variables)) == ("x_1", 0.4, 100, 12, 4)
        with pytest.raises(ValueError, match=rf"`{arg}` must be in the range \[0, 1\]"):
            cls(-1)
        with pytest.raises(ValueError, match="num_thresholds"):
            cls(0.4, num_thresholds=-1)


AUC_T = np.array([0, 0, 1, 1])
AUC_P = np.array([0, 0.5, 0.3, 0.9], dtype="float32")
AUC_W = [1, 2, 3, 4]
AUC_LOGITS = -np.log(1.0 / (AUC_P + 1e-12) - 1.0)


@pytest.mark.parametrize(
    "options,weighted,expected,test",
    [
        ({}, False, 0.75, "test_unweighted"),
        ({"from_logits": True}, False, 0.75, "test_unweighted_from_logits"),
        ({"num_thresholds": 2, "thresholds": [0.5]}, False, 0.75, "test_manual_thresholds"),
        ({}, True, 0.7855, "test_weighted_roc_interpolation"),
        ({"summation_method": "majoring"}, True, 1.0, "test_weighted_roc_majoring"),
        ({"summation_method": "minoring"}, True, 0.571, "test_weighted_roc_minoring"),
        ({"curve": "PR", "summation_method": "majoring"}, True, 0.429 + 0.571, "test_weighted_pr_majoring"),
        ({"curve": "PR", "summation_method": "minoring"}, True, 0.7 * 0.429, "test_weighted_pr_minoring"),
        ({"curve": "PR"}, True, 2.416 / 7 + 4 / 7, "test_weighted_pr_interpolation"),
        ({"curve": "PRGAIN", "summation_method": "majoring"}, True, 1.0, "test_weighted_prgain_majoring"),
        ({"curve": "PRGAIN", "summation_method": "minoring"}, True, 0.0, "test_weighted_prgain_minoring"),
        ({"curve": "PRGAIN"}, True, 0.5, "test_weighted_prgain_interpolation"),
    ],
)
def test_keras_auc(options, weighted, expected, test):
    """KERAS_CM, AUCTest.<test> (num_thresholds=3 unless given; Keras' tolerance 1e-3)."""
    options = {"num_thresholds": 3, **options}
    p = AUC_LOGITS if options.get("from_logits") else AUC_P
    m = rm.AUC(**options)
    np.testing.assert_allclose(m(AUC_T, p, sample_weight=AUC_W if weighted else None), expected, rtol=1e-3, atol=1e-3)


def test_keras_auc_more():
    """KERAS_CM, AUCTest.test_unweighted_all_correct, test_weighted_pr_interpolation_negative_weights,
    test_prgain_interpolation, test_extra_dims, test_config_manual_thresholds, test_config, test_invalid_*."""
    assert rm.AUC()(AUC_T, AUC_T) == 1
    assert rm.AUC(num_thresholds=3, curve="PR")(AUC_T, AUC_P, sample_weight=[-1, -2, -3, -4]) == pytest.approx(0.0, abs=1e-3)
    result = rm.AUC(num_thresholds=3, curve="PRGAIN")(np.array([0, 0, 0, 1, 0, 1, 0, 1, 1, 1]), np.array([0.1, 0.2, 0.3, 0.3, 0.4, 0.4, 0.6, 0.6, 0.8, 0.9]))
    np.testing.assert_allclose(result, 0.666666 * 0.333333 + 0.333333 * 0.833333, rtol=1e-3)
    logits = np.array([[[-10.0, 10.0, -10.0], [10.0, -10.0, 10.0]], [[-12.0, 12.0, -12.0], [12.0, -12.0, 12.0]]], dtype=np.float32)
    labels = np.array([[[1, 0, 0], [1, 0, 0]], [[0, 1, 1], [0, 1, 1]]], dtype=np.int64)
    assert rm.AUC()(labels, 1 / (1 + np.exp(logits))) == 0.5
    m = rm.AUC(num_thresholds=None, curve="PR", summation_method="majoring", name="auc_1", thresholds=[0.3, 0.5])
    m.update_state(AUC_T, AUC_P)
    assert m.num_thresholds == 4
    np.testing.assert_allclose(m.thresholds, [0.0, 0.3, 0.5, 1.0], atol=1e-6)
    config = m.get_config()
    assert config == json.loads(json.dumps(config)) and rm.AUC.from_config(config).get_config() == config
    m = rm.AUC(num_thresholds=100, curve="PR", summation_method="majoring", name="auc_1", dtype="float64", multi_label=True, num_labels=2, from_logits=True)
    config = m.get_config()
    assert "thresholds" not in config and config == json.loads(json.dumps(config))
    assert rm.AUC.from_config(config).get_config() == config and len(m.variables) == 4
    for bad in (-1, 1):
        with pytest.raises(ValueError, match="num_thresholds"):
            rm.AUC(num_thresholds=bad)
    with pytest.raises(ValueError, match='Invalid AUC curve value: "Invalid"'):
        rm.AUC(curve="Invalid")
    with pytest.raises(ValueError, match='Invalid AUC summation method value: "Invalid"'):
        rm.AUC(summation_method="Invalid")


MULTI_P = np.array([[0, 0.5, 0.3, 0.9], [0.1, 0.2, 0.3, 0.4]], dtype="float32").T
MULTI_GOOD = np.array([[0, 0, 1, 1], [0, 0, 1, 1]]).T
MULTI_BAD = np.array([[0, 0, 1, 1], [1, 1, 0, 0]]).T


def test_keras_multi_auc():
    """KERAS_CM, MultiAUCTest.* (num_thresholds=5; Keras' tolerances)."""
    logits = -np.log(1.0 / (MULTI_P + 1e-12) - 1.0)
    close = lambda a, b, tol=1e-3: np.testing.assert_allclose(a, b, rtol=tol, atol=tol)  # noqa: E731
    assert rm.AUC(multi_label=True)(MULTI_GOOD, MULTI_GOOD) == 1
    assert rm.AUC(multi_label=False)(MULTI_GOOD, MULTI_GOOD) == 1
    close(rm.AUC(num_thresholds=5, multi_label=True)(MULTI_GOOD, MULTI_P), (0.875 + 1.0) / 2.0)
    close(rm.AUC(num_thresholds=5, multi_label=True, from_logits=True)(MULTI_GOOD, logits), (0.875 + 1.0) / 2.0)
    close(rm.AUC(num_thresholds=5)(MULTI_GOOD, MULTI_P, sample_weight=[1, 2, 3, 4]), 1.0 - (0.3333 * (1.0 - 0.2857) / 2.0))
    close(rm.AUC(num_thresholds=5)(MULTI_GOOD, MULTI_P, sample_weight=np.arange(8).reshape(4, 2)), 1.0 - (0.3333 * (1.0 - 0.2727) / 2.0))
    close(rm.AUC(num_thresholds=5, multi_label=True, label_weights=[0.75, 0.25])(MULTI_GOOD, MULTI_P), (0.875 * 0.75 + 1.0 * 0.25) / (0.75 + 0.25))
    close(rm.AUC(num_thresholds=5, label_weights=[0.75, 0.25])(MULTI_GOOD, MULTI_P), 1.0 - ((1.0 - 0.375) * 0.375 / 2.0), 1e-2)
    close(rm.AUC(num_thresholds=5)(MULTI_GOOD, MULTI_P), 1.0 - (3.0 / 32.0))
    close(rm.AUC(num_thresholds=5, from_logits=True)(MULTI_GOOD, logits), 1.0 - (3.0 / 32.0))
    m = rm.AUC(num_thresholds=2, thresholds=[0.5], multi_label=True)
    assert m.num_thresholds == 3
    close(m(MULTI_GOOD, MULTI_P), (0.75 + 0.5) / 2.0)
    close(rm.AUC(num_thresholds=5, multi_label=True)(MULTI_GOOD, MULTI_P, sample_weight=[1, 2, 3, 4]), 1.0 - 0.5 * 0.43 * 0.67, 1e-1)
    m = rm.AUC(num_thresholds=5, curve="PR", multi_label=True)
    close(m(MULTI_GOOD, MULTI_P), (0.91667 + 1.0) / 2.0, 1e-1)
    close(m(MULTI_BAD, MULTI_P), (0.91667 + 0.5) / 2.0, 1e-1)
    close(rm.AUC(num_thresholds=5, curve="PR", multi_label=True)(MULTI_GOOD, MULTI_P, sample_weight=[1, 2, 3, 4]), (0.939 + 1.0) / 2.0, 1e-1)
    m = rm.AUC(num_thresholds=5, multi_label=True)  # test_reset_state
    m(MULTI_GOOD, MULTI_P)
    m.reset_state()
    np.testing.assert_array_equal(m.variables["true_positives"], np.zeros((5, 2)))


FS_T = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]]
FS_P = [[0.9, 0.1, 0], [0.2, 0.6, 0.2], [0, 0, 1], [0.4, 0.3, 0.3], [0, 0.9, 0.1], [0, 0, 1]]
FS_CASES = [
    # test_fbeta_random_score (threshold 0.66)
    ([[0, 0, 1], [1, 1, 0], [1, 1, 1]], [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]], None, None, 0.5, 0.66, [0.71428573, 0.5, 0.833334]),
    ([[0, 0, 1], [1, 1, 0], [1, 1, 1]], [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]], None, None, 2.0, 0.66, [0.9090904, 0.5, 0.555556]),
    ([[0, 0, 1], [1, 1, 0], [1, 1, 1]], [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]], None, "micro", 1.0, 0.66, 0.6666667),
    ([[0, 0, 1], [1, 1, 0], [1, 1, 1]], [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]], None, "macro", 2.0, 0.66, 0.6548822),
    ([[0, 0, 1], [1, 1, 0], [1, 1, 1]], [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]], None, "weighted", 0.5, 0.66, 0.6825397),
    # test_fbeta_random_score_none (threshold None: argmax)
    (FS_T, FS_P, None, None, 1.0, None, [0.8, 0.6666667, 1.0]),
    (FS_T, FS_P, None, "micro", 2.0, None, 0.833334),
    (FS_T, FS_P, None, "macro", 0.5, None, 0.821549),
    (FS_T, FS_P, None, "weighted", 2.0, None, 0.829365),
    # test_fbeta_weighted_random_score_none
    (FS_T, FS_P, [0.5, 1.0, 1.0, 1.0, 0.5, 1.0], None, 0.5, None, [0.9375, 0.714286, 1.0]),
    (FS_T, FS_P, [1.0, 0.0, 1.0, 1.0, 0.0, 1.0], None, 2.0, None, [1.0, 0.0, 1.0]),
    (FS_T, FS_P, [0.5, 1.0, 1.0, 1.0, 0.5, 1.0], "micro", 1.0, None, 0.9),
    (FS_T, FS_P, [0.5, 1.0, 1.0, 1.0, 0.5, 1.0], "macro", 2.0, None, 0.899522),
    (FS_T, FS_P, [0.5, 1.0, 1.0, 1.0, 0.5, 1.0], "weighted", 1.0, None, 0.902857),
    (FS_T, FS_P, [1.0, 0.0, 1.0, 1.0, 0.0, 1.0], "macro", 0.5, None, 0.666667),
    # test_fbeta_perfect_score / test_fbeta_worst_score
    ([[1, 1, 1], [1, 0, 0], [1, 1, 0]], [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]], None, "macro", 0.5, 0.66, 1.0),
    ([[0, 0, 0], [0, 1, 0], [0, 0, 1]], [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]], None, "weighted", 2.0, 0.66, 0.0),
    # test_fbeta_scalar_weight / test_fbeta_2d_weight
    ([[1, 1], [1, 0]], [[0.2, 0.6], [0.2, 0.6]], 0.5, None, 1.0, 0.5, [0.0, 0.6666665]),
    ([[1, 1], [1, 0]], [[0.2, 0.6], [0.2, 0.6]], [[0.5, 0.2], [0.3, 0.8]], None, 1.0, 0.5, [0.0, 0.333333]),
]


@pytest.mark.parametrize("y_true,y_pred,weights,average,beta,threshold,expected", FS_CASES)
def test_keras_fbeta(y_true, y_pred, weights, average, beta, threshold, expected):
    """KERAS_FS, FBetaScoreTest.* (Keras' tolerance: atol 1e-6; ours 1e-5 for its rounded 6-digit references)."""
    m = rm.FBetaScore(average, beta=beta, threshold=threshold, dtype="float32")
    m.update_state(y_true, y_pred, np.array(weights, dtype="float32") if weights is not None else None)
    np.testing.assert_allclose(m.result(), expected, atol=1e-5)


def test_keras_f_score_config_and_errors():
    """KERAS_FS, FBetaScoreTest.test_config, test_invalid_average_raises_value_error,
    test_beta_*_raises_value_error, test_threshold_*_raises_value_error; F1ScoreTest.test_config."""
    m = rm.FBetaScore(beta=0.5, threshold=0.3, average=None, dtype="float32")
    again = rm.FBetaScore.from_config(m.get_config())
    assert (again.beta, again.average, again.threshold, again.dtype) == (0.5, None, 0.3, "float32")
    f1 = rm.F1Score(dtype="float32")
    assert "beta" not in f1.get_config() and rm.F1Score.from_config(f1.get_config()).get_config() == f1.get_config()
    with pytest.raises(ValueError, match=r"Invalid `average` argument value. Expected one of: \{None, 'micro', 'macro', 'weighted'\}. Received: average='invalid_average'"):
        rm.FBetaScore(average="invalid_average")
    for beta in ("1.0", None):
        with pytest.raises(ValueError, match="Invalid `beta` argument value"):
            rm.FBetaScore(average="macro", beta=beta)
    for beta in (0.0, -1.0, -0.5):
        with pytest.raises(ValueError, match=rf"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"):
            rm.FBetaScore(average="macro", beta=beta)
    with pytest.raises(ValueError, match="Invalid `threshold` argument value. It should be a number"):
        rm.FBetaScore(average="macro", threshold="0.5")
    for threshold in (1.1, 0.0):
        with pytest.raises(ValueError, match=rf"It should verify 0 < threshold <= 1. Received: threshold={threshold}"):
            rm.FBetaScore(average="macro", threshold=threshold)


# ----------------------------------------------------------------- bucketing = n x T comparison


def naive_counts(values, t, p, w):
    """Keras' documented rule: positive when p > threshold (in the metric's dtype), label cast to bool."""
    thr = np.asarray(values, dtype=p.dtype)
    pos = p.reshape(-1)[None, :] > thr[:, None]
    lab = (t.reshape(-1) != 0)[None, :]
    w = np.ones(p.size) if w is None else np.broadcast_to(w, p.shape).reshape(-1).astype(np.float64)  # summed in float64, as counting does
    return {
        "tp": (pos & lab) @ w,
        "fp": (pos & ~lab) @ w,
        "tn": (~pos & ~lab) @ w,
        "fn": (~pos & lab) @ w,
    }


@pytest.mark.parametrize(
    "values",
    [
        [0.5],
        [0.2, 0.8],
        [0.9, 0.1, 0.45, 0.3, 0.7],  # unsorted: the grid
        [0.25, 0.25, 0.75, 0.25, 0.25, 0.25, 0.25],  # many equal: searchsorted
        sorted(np.random.default_rng(3).uniform(0, 1, 300).tolist()),
        [0.0, 1.0],
        [-1e-7, 0.3, 0.6, 1 + 1e-7],  # AUC-like ends, uneven
    ],
    ids=["one", "two", "grid", "equal", "300", "ends", "eps-ends"],
)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bucketing_equals_the_comparison(values, weighted, dtype):
    """Every uneven path (grid, searchsorted, one threshold) equals the n x T
    comparison exactly; values beyond one chunk; ties on thresholds, values
    outside [0, 1], NaN (above no threshold), 0 and 1."""
    rng = np.random.default_rng(4)
    n = cu.CHUNK * 2 + 17
    p = rng.uniform(-0.2, 1.2, n)
    p[: len(values)] = values
    p[100:110] = [0, 1, np.nan, 0.25, 0.75, 0.5, 0.3, 0.6, np.inf, -np.inf]
    p = p.astype(dtype)
    t = (rng.uniform(size=n) < 0.4).astype(np.float32)
    t[200:210] = 0.5  # a fraction is a positive label (Keras casts to bool)
    w = rng.uniform(0, 2, n).astype(dtype) if weighted else None  # counting rounds weights to the metric's dtype
    th = cu.Thresholds(values, False, np.dtype(dtype))
    ours = cu.confusion_counts(th, t, p, w)
    expected = naive_counts(values, t, p, w)
    for key in expected:
        np.testing.assert_allclose(ours[key], expected[key], rtol=1e-12, err_msg=key)
    if len(values) > 2:
        searched = cu.Thresholds(values, False, np.dtype(dtype))
        searched.grid = None
        for key, value in cu.confusion_counts(searched, t, p, w).items():
            np.testing.assert_allclose(value, expected[key], rtol=1e-12, err_msg=key)


@pytest.mark.parametrize("num_thresholds", [3, 11, 200])
def test_even_path_is_keras_formula(num_thresholds):
    """The evenly spaced path is Keras' optimized formula, ceil(clip(p) * (T - 1)),
    which equals the comparison except where p * (T - 1) rounds onto an integer."""
    rng = np.random.default_rng(5)
    n = cu.CHUNK + 999
    p = rng.uniform(0, 1, n).astype(np.float32)
    t = (rng.uniform(size=n) < p).astype(np.float32)
    values = [i / (num_thresholds - 1) for i in range(num_thresholds)]
    even = cu.confusion_counts(cu.Thresholds(values, True, np.dtype("float32")), t, p, None)
    k = np.ceil(np.clip(p, 0, 1) * np.float32(num_thresholds - 1)).astype(int)  # closed form of Keras' bucket rule
    tp = np.array([np.sum((k > j) & (t != 0)) for j in range(num_thresholds)])
    np.testing.assert_array_equal(even["tp"], tp)
    naive = naive_counts(values, t, p, None)
    assert np.abs(even["tp"] - naive["tp"]).max() <= 2  # differs at most on rounding ties
    # scores outside [0, 1] are clipped, NaN falls in the lowest bucket (Keras' JAX backend),
    # in any chunk, with one column or several
    p[5:12] = [-0.5, 1.5, np.nan, np.inf, -np.inf, -1e-9, 1 + 1e-6]
    p[-3:] = [np.nan, 2.0, -3.0]
    k = np.ceil(np.clip(np.nan_to_num(p, nan=0.0), 0, 1) * np.float32(num_thresholds - 1)).astype(int)
    for w in (None, rng.uniform(0, 2, n).astype(np.float32)):  # counting rounds weights to the metric's dtype
        ww = np.ones(n) if w is None else w.astype(np.float64)  # summed in float64, as counting does
        expected = np.array([np.sum(ww * ((k > j) & (t != 0))) for j in range(num_thresholds)])
        got = cu.confusion_counts(cu.Thresholds(values, True, np.dtype("float32")), t, p, w)
        np.testing.assert_allclose(got["tp"], expected, rtol=1e-12)
        cols = cu.confusion_counts(cu.Thresholds(values, True, np.dtype("float32")), t[:-1].reshape(-1, 2), p[:-1].reshape(-1, 2), None if w is None else w[:-1].reshape(-1, 2), multi_label=True)
        k2, t2, w2 = k[:-1].reshape(-1, 2), t[:-1].reshape(-1, 2), ww[:-1].reshape(-1, 2)
        expected2 = np.array([[np.sum(w2[:, c] * ((k2[:, c] > j) & (t2[:, c] != 0))) for c in range(2)] for j in range(num_thresholds)])
        np.testing.assert_allclose(cols["tp"], expected2, rtol=1e-12)


# ----------------------------------------------------------------- exact AUC


def test_exact_auc_equals_scikit_learn():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(6)
    n = 5000
    p = np.round(rng.uniform(0, 1, n), 3).astype(np.float32)  # many ties
    t = (rng.uniform(size=n) < p).astype(np.float32)
    w = rng.uniform(0, 3, n).astype(np.float32)
    for weights in (None, w):
        roc = rm.AUC(exact=True)
        roc.update_state(t, p, sample_weight=weights)
        pr = rm.AUC(exact=True, curve="PR")
        pr.update_state(t, p, sample_weight=weights)
        # scikit-learn at test time
        assert float(roc.result()) == pytest.approx(sklearn_metrics.roc_auc_score(t, p, sample_weight=weights), rel=1e-6)
        assert float(pr.result()) == pytest.approx(sklearn_metrics.average_precision_score(t, p, sample_weight=weights), rel=1e-6)
    # exact mode with float64 scores: a float64 result as precise as scikit-learn's
    p64 = rng.uniform(0, 1, n)
    t64 = (rng.uniform(size=n) < p64).astype(float)
    m = rm.AUC(exact=True, dtype="float64")
    m.update_state(t64, p64, sample_weight=w)
    assert m.result() == pytest.approx(sklearn_metrics.roc_auc_score(t64, p64, sample_weight=w), rel=1e-12)


def test_exact_auc_merge_of_shuffled_chunks_equals_one_pass():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(7)
    n = 200_000
    p = np.round(rng.uniform(0, 1, n), 4)
    t = (rng.uniform(size=n) < p).astype(np.float32)
    w = rng.uniform(0, 2, n)
    for curve in ("ROC", "PR"):
        one = rm.AUC(exact=True, curve=curve, dtype="float64")
        one.update_state(t, p, sample_weight=w)
        order = rng.permutation(n)
        parts = []
        for chunk in np.array_split(order, 7):
            m = rm.AUC(exact=True, curve=curve, dtype="float64")
            for batch in np.array_split(chunk, 5):
                m.update_state(t[batch], p[batch], sample_weight=w[batch])
            parts.append(pickle.loads(pickle.dumps(m)))
        merged = rm.AUC(exact=True, curve=curve, dtype="float64")
        merged.merge_state(parts)
        assert merged.result() == pytest.approx(one.result(), rel=1e-12)
        reference = sklearn_metrics.roc_auc_score if curve == "ROC" else sklearn_metrics.average_precision_score
        assert merged.result() == pytest.approx(reference(t, p, sample_weight=w), rel=1e-9)
    # unweighted counts are integers: the merged state equals one pass exactly
    one, merged = rm.AUC(exact=True), rm.AUC(exact=True)
    one.update_state(t, p)
    for chunk in np.array_split(rng.permutation(n), 4):
        part = rm.AUC(exact=True)
        part.update_state(t[chunk], p[chunk])
        merged.merge_state(part)
    for key in ("scores", "positives", "negatives"):
        np.testing.assert_array_equal(merged.variables["scores"][key], one.variables["scores"][key])


def test_exact_auc_edges():
    assert rm.AUC(exact=True)([1, 1], [0.2, 0.8]) == 0  # one class only: 0, as Keras' AUC
    m = rm.AUC(exact=True)
    assert m.result() == 0
    assert np.isnan(rm.AUC(exact=True)([0, 1, 1], [0.2, np.nan, 0.8]))
    m = rm.AUC(exact=True)
    m([0, 1], [0.2, 0.8])
    m.reset_state()
    assert len(m.variables["scores"]["scores"]) == 0
    assert rm.AUC.from_config(rm.AUC(exact=True, curve="PR").get_config()).exact
    with pytest.raises(ValueError, match="multi_label"):
        rm.AUC(exact=True, multi_label=True)
    with pytest.raises(ValueError, match="PRGAIN"):
        rm.AUC(exact=True, curve="PRGAIN")


# ----------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "make,name",
    [
        (lambda: rm.Precision(thresholds=[0.5, 1.5]), "thresholds"),
        (lambda: rm.Recall(thresholds=-0.1), "thresholds"),
        (lambda: rm.TruePositives(thresholds=[]), "thresholds"),
        (lambda: rm.AUC(thresholds=[0.2, 2.0]), "thresholds"),
        (lambda: rm.AUC(num_thresholds=1), "num_thresholds"),
        (lambda: rm.AUC(num_thresholds=0), "num_thresholds"),
        (lambda: rm.PrecisionAtRecall(0.5, num_thresholds=0), "num_thresholds"),
        (lambda: rm.Precision(top_k=0), "top_k"),
        (lambda: rm.Recall(top_k=-2), "top_k"),
        (lambda: rm.Precision(class_id=-1), "class_id"),
        (lambda: rm.RecallAtPrecision(1.5), "precision"),
        (lambda: rm.FBetaScore(beta=0.0), "beta"),
        (lambda: rm.F1Score(threshold=0.0), "threshold"),
        (lambda: rm.F1Score(average="mean"), "average"),
        (lambda: rm.AUC(curve="roc-ish"), "curve"),
        (lambda: rm.AUC(label_weights=[1.0, -1.0]), "label_weights"),
        (lambda: rm.AUC(num_labels=3), "num_labels"),
    ],
)
def test_bad_options_name_the_argument(make, name):
    with pytest.raises(ValueError, match=name):
        make()


@pytest.mark.parametrize(
    "metric,y_true,y_pred,name",
    [
        (rm.Precision(class_id=3), [[0, 1, 0]], [[0.1, 0.8, 0.1]], "class_id"),
        (rm.SensitivityAtSpecificity(0.5, class_id=5), [[0, 1]], [[0.2, 0.8]], "class_id"),
        (rm.F1Score(), [0, 1, 1], [0.2, 0.7, 0.9], "2D"),
        (rm.FBetaScore(), [[0, 1, 1]], [[0.2, 0.7]], "y_true"),
        (rm.AUC(), [0, 2, 1], [0.2, 0.7, 0.9], "y_true"),
        (rm.Precision(), [0, -1, 1], [0.2, 0.7, 0.9], "y_true"),
        (rm.TruePositives(), [[0, 3]], [[0.2, 0.7]], "y_true"),
        (rm.F1Score(), [[0, 2]], [[0.2, 0.7]], "y_true"),
        (rm.AUC(), [0, 1, 1], [0.2, 0.7], "y_pred.shape"),
        (rm.AUC(multi_label=True), [0, 1, 1], [0.2, 0.7, 0.9], "rank 2"),
        (rm.Recall(), [0, 1], [0.2, 0.7], None),
    ],
)
def test_bad_data_names_the_argument_and_changes_nothing(metric, y_true, y_pred, name):
    if name is None:  # also: a bad sample_weight
        with pytest.raises(ValueError, match="sample_weight"):
            metric.update_state(y_true, y_pred, sample_weight=[1.0, 2.0, 3.0])
        return
    before = {k: np.copy(v) for k, v in metric.variables.items()}
    with pytest.raises(ValueError, match=name):
        metric.update_state(y_true, y_pred)
    assert set(metric.variables) == set(before)
    for key, value in before.items():
        np.testing.assert_array_equal(metric.variables[key], value)


def test_bad_types():
    with pytest.raises(TypeError, match="top_k"):
        rm.Precision(top_k="2")
    with pytest.raises(TypeError, match="y_pred"):
        rm.AUC().update_state([0, 1], ["a", "b"])
    with pytest.raises(TypeError, match="multi_label"):
        rm.AUC(multi_label="yes")


# ----------------------------------------------------------------- state: merge, pickle, threads


STATEFUL = [
    lambda: rm.AUC(),
    lambda: rm.AUC(curve="PR", multi_label=True),
    lambda: rm.AUC(exact=True),
    lambda: rm.Precision(thresholds=[0.2, 0.5, 0.9]),
    lambda: rm.Recall(top_k=2),
    lambda: rm.TruePositives(),
    lambda: rm.FalseNegatives(thresholds=[0.3, 0.7]),
    lambda: rm.PrecisionAtRecall(0.6),
    lambda: rm.SpecificityAtSensitivity(0.5, class_id=1),
    lambda: rm.F1Score(average="macro"),
    lambda: rm.FBetaScore(beta=2.0, threshold=0.4),
]


def data(seed, n=4000, cols=3):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0, 1, (n, cols)).astype(np.float32)
    t = (rng.uniform(size=(n, cols)) < p).astype(np.float32)
    return t, p, rng.uniform(0, 2, n).astype(np.float32)


@pytest.mark.parametrize("make", STATEFUL)
def test_merge_of_chunks_equals_one_pass_and_pickle(make):
    t, p, w = data(8)
    one = make()
    one.update_state(t, p, sample_weight=w)
    parts = [make() for _ in range(3)]
    for part, idx in zip(parts, np.array_split(np.arange(len(p)), 3)):
        part.update_state(t[idx], p[idx], sample_weight=w[idx])
    merged = make()
    merged.merge_state([pickle.loads(pickle.dumps(part)) for part in parts])
    np.testing.assert_allclose(merged.result(), one.result(), rtol=1e-6)
    restored = pickle.loads(pickle.dumps(one))
    np.testing.assert_array_equal(restored.result(), one.result())
    restored.update_state(t[:10], p[:10])  # a restored metric keeps working
    merged.reset_state()
    fresh = make()
    fresh.update_state(t[:50], p[:50])
    merged.update_state(t[:50], p[:50])
    np.testing.assert_array_equal(merged.result(), fresh.result())
    with pytest.raises(ValueError, match="same kind"):
        merged.merge_state(rm.Mean())


@pytest.mark.parametrize("make", [STATEFUL[0], STATEFUL[2], STATEFUL[3], STATEFUL[9]])
def test_threads_count_every_update(make):
    t, p, _ = data(9, n=800)
    single = make()
    for _ in range(16):
        single.update_state(t, p)
    shared = make()
    threads = [threading.Thread(target=lambda: [shared.update_state(t, p) for _ in range(4)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    np.testing.assert_allclose(shared.result(), single.result(), rtol=1e-12)


def test_counts_are_float64_running_sums():
    """A long stream of float32 weights does not drift (Keras accumulates in float32)."""
    m = rm.TruePositives()
    for _ in range(1000):
        m.update_state(np.ones(1000), np.ones(1000), sample_weight=np.full(1000, 0.1, np.float32))
    assert m.variables["accumulator"][0] == pytest.approx(1000 * 1000 * float(np.float32(0.1)), rel=1e-12)


def test_repr_and_merging_a_metric_that_saw_nothing():
    m = rm.Precision(thresholds=[0.3, 0.6])
    m([0, 1], [0.4, 0.8])
    assert repr(m) == "<Precision name='precision' result=[0.5, 1.0]>"
    for make in (lambda: rm.AUC(multi_label=True), lambda: rm.F1Score()):
        seen, empty = make(), make()
        seen([[0, 1], [1, 0]], [[0.2, 0.9], [0.7, 0.1]])
        before = np.asarray(seen.result()).copy()
        seen.merge_state(empty)  # nothing to add
        np.testing.assert_array_equal(seen.result(), before)
        empty.merge_state(seen)  # builds, then adds
        np.testing.assert_array_equal(empty.result(), before)
        assert "result=" in repr(seen)


def test_f_score_zero_rows_predict_nothing():
    """Keras' f_score_metrics.py: with threshold=None the row maximum counts as the
    prediction, but "make sure [0, 0, 0] doesn't become [1, 1, 1]" (its comment)."""
    m = rm.F1Score()
    m.update_state([[1, 0, 0], [0, 1, 0]], [[0.0, 0.0, 0.0], [0.2, 0.7, 0.1]])
    np.testing.assert_array_equal(m.variables["false_positives"], [0, 0, 0])
    np.testing.assert_array_equal(m.variables["true_positives"], [0, 1, 0])


def test_r_style_functions_return_the_stateful_metrics():
    """R keras3's metric_auc(), metric_precision(), ... (from the registry): no data mode;
    whole-number doubles (R's numbers) for integer options; thresholds as a vector."""
    import rkeraslosses as rk

    m = rk.metric_precision(thresholds=np.array([0.2, 0.5]), class_id=1.0)
    assert isinstance(m, rm.Precision) and m.get_config()["thresholds"] == [0.2, 0.5] and m.class_id == 1
    assert json.loads(json.dumps(m.get_config())) == m.get_config()
    assert rk.metric_auc(num_thresholds=50.0, curve="PR").num_thresholds == 50
    assert isinstance(rk.metric_fbeta_score(beta=2.0), rm.FBetaScore)
    assert isinstance(rk.metric_specificity_at_sensitivity(sensitivity=0.5), rm.SpecificityAtSensitivity)
    with pytest.raises(TypeError, match="stateful metric object only"):
        rk.metric_auc([0, 1], [0.2, 0.8])


@pytest.mark.parametrize("label_dtype", ["float32", "float64"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("make", [lambda: rm.AUC(num_thresholds=200), lambda: rm.Precision(), lambda: rm.Recall(thresholds=[0.2, 0.7])], ids=["auc", "precision", "recall2"])
def test_label_check_in_every_chunk(make, weighted, label_dtype):
    """The one-pass label check (unsigned bits of the float labels) of the
    chunked counts: a bad label anywhere, past the first chunk too, raises; -0.0
    is a valid negative label."""
    n = cu.CHUNK * 2 + 123
    rng = np.random.default_rng(7)
    p = rng.uniform(0, 1, n).astype(np.float32)
    t = (rng.uniform(size=n) < p).astype(label_dtype)
    w = rng.uniform(0, 2, n).astype(np.float32) if weighted else None
    for bad in (2.0, 1.0000001, -0.5, -1e-30, np.nan, np.inf):
        for where in (5, cu.CHUNK + 17, n - 1):
            broken = t.copy()
            broken[where] = bad
            with pytest.raises(ValueError, match="y_true"):
                make().update_state(broken, p, sample_weight=w)
    signed = t.copy()
    signed[signed == 0] = -0.0
    a, b = make(), make()
    a.update_state(t, p, sample_weight=w)
    b.update_state(signed, p, sample_weight=w)
    np.testing.assert_array_equal(np.asarray(a.result()), np.asarray(b.result()))
