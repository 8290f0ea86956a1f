"""Every worked number of seed page 001 (tf.keras.losses.CategoricalCrossentropy),
from the function, the class, the R-style name and the identifier."""

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import losses

# seed page 001: inputs of the "Standalone usage" example
Y_TRUE = [[0, 1, 0], [0, 0, 1]]
Y_PRED = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
# seed page 001, worked numbers (printed to 3 or 4 decimals there)
MEAN, WEIGHTED, SUM, PER_SAMPLE = 1.177, 0.814, 2.354, [0.0513, 2.303]
WEIGHTS = np.array([0.3, 0.7])

MAKERS = {
    "class": lambda **kw: losses.CategoricalCrossentropy(**kw),
    "r_style": lambda **kw: rk.loss_categorical_crossentropy(**kw),
    "get": lambda **kw: rk.deserialize({"class_name": "CategoricalCrossentropy", "config": kw}) if kw else rk.get("CategoricalCrossentropy"),
}


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS.keys())
def test_loss_object_numbers(make):
    assert float(make()(Y_TRUE, Y_PRED)) == pytest.approx(MEAN, abs=5e-4)
    assert float(make()(Y_TRUE, Y_PRED, sample_weight=WEIGHTS)) == pytest.approx(WEIGHTED, abs=5e-4)
    assert float(make(reduction="sum")(Y_TRUE, Y_PRED)) == pytest.approx(SUM, abs=5e-4)
    per_sample = make(reduction=None)(Y_TRUE, Y_PRED)
    assert per_sample.dtype == np.float32
    np.testing.assert_allclose(per_sample, PER_SAMPLE, atol=5e-4)


@pytest.mark.parametrize(
    "fn",
    [losses.categorical_crossentropy, rk.loss_categorical_crossentropy, rk.get("categorical_crossentropy")],
    ids=["function", "r_style", "get"],
)
def test_function_numbers(fn):
    np.testing.assert_allclose(fn(Y_TRUE, Y_PRED), PER_SAMPLE, atol=5e-4)


def test_closed_form():
    # closed form: with the 0 clipped to 1e-7 the rows still sum to ~1, so the
    # losses are -log(0.95) and -log(0.1).
    expected = [-np.log(0.95), -np.log(0.1)]
    np.testing.assert_allclose(losses.categorical_crossentropy(np.array(Y_TRUE, float), np.array(Y_PRED)), expected, rtol=1e-6)
    assert float(losses.CategoricalCrossentropy()(Y_TRUE, Y_PRED)) == pytest.approx(np.mean(expected), rel=1e-6)
    assert float(losses.CategoricalCrossentropy()(Y_TRUE, Y_PRED, sample_weight=WEIGHTS)) == pytest.approx(
        np.dot(expected, WEIGHTS) / 2, rel=1e-6
    )
