"""TensorFlow 1.x log_loss (seed page 000, spec section 5). Expected values are
computed here from the page's formula (closed form), in float64."""

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import Reduction, log_loss

LABELS = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
PREDS = np.array([[0.1, 0.8, 0.6], [0.9, 0.3, 0.99]])
EPS = 1e-7


def closed_form_losses(t, p, eps=EPS):
    return -t * np.log(p + eps) - (1 - t) * np.log(1 - p + eps)


def expected(weights, reduction):
    losses = closed_form_losses(LABELS, PREDS)
    w = np.asarray(weights, dtype=float)
    if w.ndim == 1 and w.shape[0] == losses.shape[0]:
        w = w[:, None]  # [batch_size]: one weight per sample
    w = np.broadcast_to(w, losses.shape)
    weighted = losses * w
    s = weighted.sum()
    denominators = {
        Reduction.SUM: 1.0,
        Reduction.MEAN: w.sum(),
        Reduction.SUM_OVER_BATCH_SIZE: losses.size,
        Reduction.SUM_BY_NONZERO_WEIGHTS: np.count_nonzero(w),
    }
    if reduction == Reduction.NONE:
        return weighted
    d = denominators[reduction]
    return 0.0 if d == 0 else s / d


WEIGHTS = {
    "scalar": 2.0,
    "batch": [0.5, 2.0],
    "column": [[0.5], [2.0]],
    "row": [[1.0, 0.0, 3.0]],
    "full": [[1.0, 0.0, 2.0], [0.0, 0.5, 1.0]],
    "partly_zero_batch": [0.0, 1.0],
    "all_zero": [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
    "zero_scalar": 0.0,
}


@pytest.mark.parametrize("weights", WEIGHTS.values(), ids=WEIGHTS.keys())
@pytest.mark.parametrize("reduction", Reduction.all())
def test_every_weight_shape_and_reduction(weights, reduction):
    got = log_loss(LABELS, PREDS, weights=weights, reduction=reduction)
    np.testing.assert_allclose(got, expected(weights, reduction), rtol=1e-12)
    assert not np.any(np.isnan(got))


def test_constant_names_and_values_are_both_accepted():
    for name in ("NONE", "SUM", "MEAN", "SUM_OVER_BATCH_SIZE", "SUM_BY_NONZERO_WEIGHTS", "SUM_OVER_NONZERO_WEIGHTS"):
        np.testing.assert_array_equal(log_loss(LABELS, PREDS, reduction=name), log_loss(LABELS, PREDS, reduction=getattr(Reduction, name)))
    assert Reduction.SUM_OVER_NONZERO_WEIGHTS == Reduction.SUM_BY_NONZERO_WEIGHTS == "weighted_sum_by_nonzero_weights"


def test_default_is_sum_by_nonzero_weights_and_dtype_follows_input():
    assert log_loss(LABELS, PREDS) == pytest.approx(expected(1.0, Reduction.SUM_BY_NONZERO_WEIGHTS), rel=1e-12)
    assert log_loss(LABELS, PREDS).dtype == np.float64
    assert log_loss(LABELS.tolist(), PREDS.tolist()).dtype == np.float32  # lists: float32, as TensorFlow
    assert log_loss(LABELS, PREDS, reduction=Reduction.NONE).shape == (2, 3)


def test_epsilon_is_added_not_clipped():
    # closed form at p = 0 and 1: -log(eps) for a wrong certain prediction
    got = log_loss([[1.0, 0.0]], [[0.0, 1.0]], epsilon=1e-3, reduction=Reduction.NONE)
    np.testing.assert_allclose(got, [[-np.log(1e-3), -np.log(1e-3)]])


@pytest.mark.parametrize("labels,predictions,message", [(None, PREDS, "`labels`"), (LABELS, None, "`predictions`")])
def test_none_is_a_value_error(labels, predictions, message):
    with pytest.raises(ValueError, match=message):
        log_loss(labels, predictions)


def test_shape_mismatch_is_a_value_error():
    with pytest.raises(ValueError, match=r"labels.shape=\(2, 3\), predictions.shape=\(2, 2\)"):
        log_loss(LABELS, PREDS[:, :2])


@pytest.mark.parametrize("weights", [[1.0, 2.0, 3.0], np.ones((3, 3)), np.ones((2, 3, 1, 1))])
def test_bad_weights_are_value_errors(weights):
    with pytest.raises(ValueError, match=r"`weights` cannot be applied.*Received: weights.shape="):
        log_loss(LABELS, PREDS, weights=weights)


def test_bad_reduction():
    with pytest.raises(ValueError, match="Invalid Reduction.*weighted_mean.*Received: reduction='average'"):
        log_loss(LABELS, PREDS, reduction="average")


def test_top_level_names():
    assert rk.log_loss is log_loss and rk.Reduction is Reduction
