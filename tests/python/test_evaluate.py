"""Compile-style evaluation without Keras: closed forms and errors."""

import numpy as np
import pytest

from rkeraslosses import Evaluator, evaluate, losses

Y = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
P = np.array([[1.0], [1.0], [1.0], [1.0], [1.0]])


def test_loss_is_the_batch_size_weighted_mean_of_batch_losses():
    # closed form: squared errors 1, 0, 1, 4, 9; batches of 2: means 0.5, 2.5, 9
    result = evaluate(Y, P, loss="mse", batch_size=2)
    assert result["loss"] == pytest.approx((0.5 * 2 + 2.5 * 2 + 9 * 1) / 5)
    assert evaluate(Y, P, loss="mse")["loss"] == pytest.approx(15 / 5)


def test_sample_weights_apply_to_the_loss_and_weighted_metrics_only():
    w = np.array([1.0, 1.0, 0.0, 0.0, 2.0])
    result = evaluate(Y, P, loss="mse", metrics=["mae"], weighted_metrics=["mae"], sample_weight=w)
    assert result["loss"] == pytest.approx((1 + 0 + 0 + 0 + 18) / 5)  # sum_over_batch_size
    assert result["mae"] == pytest.approx((1 + 0 + 1 + 2 + 3) / 5)  # unweighted
    assert result["weighted_mae"] == pytest.approx((1 + 0 + 6) / 4)  # divided by the weights


def test_two_outputs_names_and_loss_weights():
    result = evaluate({"a": Y, "b": Y * 2}, {"a": P, "b": P}, loss="mse", loss_weights={"a": 1.0, "b": 0.5}, metrics={"b": ["mae"]})
    mse_a, mse_b = 15 / 5, np.mean((Y * 2 - 1) ** 2)
    assert result == pytest.approx({"loss": mse_a + 0.5 * mse_b, "b_mae": np.mean(abs(Y * 2 - 1)), "a_loss": mse_a, "b_loss": mse_b})
    lists = evaluate([Y, Y * 2], [P, P], loss=["mse", "mae"], output_names=["x", "y"])
    assert set(lists) == {"loss", "x_loss", "y_loss"}


def test_callables_and_objects():
    def max_error(y_true, y_pred):
        return np.max(np.abs(y_true - y_pred), axis=-1)

    result = evaluate(Y, P, loss=max_error, metrics=[max_error, losses.Huber()])
    assert result["loss"] == pytest.approx(np.mean([1, 0, 1, 2, 3]))
    assert set(result) == {"loss", "max_error", "huber_loss"}


def test_streaming_update_state_equals_evaluate():
    ev = Evaluator(loss="mse", metrics=["mae"])
    for start in range(0, 5, 2):
        ev.update_state(Y[start : start + 2], P[start : start + 2])
    assert ev.result() == pytest.approx(evaluate(Y, P, loss="mse", metrics=["mae"], batch_size=2))


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(y_true=Y[:4], y_pred=P, loss="mse"), "same number of samples"),
        (dict(y_true=Y, y_pred=P, loss="mse", batch_size=0), "batch_size"),
        (dict(y_true=Y, y_pred=P, loss="mse", metrics="mae"), "`metrics` to be a list"),
        (dict(y_true=Y, y_pred=P, loss="no_such_loss"), "Unknown loss"),
        (dict(y_true=[Y, Y], y_pred=[P, P], loss=["mse"]), "1 entries for 2 outputs"),
        (dict(y_true={"a": Y}, y_pred={"a": P, "b": P}, loss="mse"), "no values for the outputs"),
    ],
)
def test_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        evaluate(**kwargs)


def test_malformed_compile_configs(tmp_path):
    with pytest.raises(ValueError, match="unexpected keys"):
        Evaluator.from_config({"loss": "mse", "colour": "red"})
    with pytest.raises(ValueError, match="no loss and no metrics"):
        Evaluator.from_config({"optimizer": "sgd"})
    with pytest.raises(FileNotFoundError):
        Evaluator.from_config(tmp_path / "missing.keras")


def test_nested_lists_of_numbers_are_one_output():
    y_true = [[0, 1, 0], [0, 0, 1]]
    y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    result = evaluate(y_true, y_pred, loss="categorical_crossentropy", metrics=["accuracy"])
    assert set(result) == {"loss", "accuracy"}
    assert result["loss"] == pytest.approx(1.1769392, abs=1e-6)  # seed page 004's number


def test_one_dimensional_outputs_are_one_value_per_sample():
    # closed form: per-sample binary crossentropy, averaged over samples, batches of 2
    y = np.array([1.0, 0.0, 1.0])
    p = np.array([0.9, 0.2, 0.6])
    per_sample = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    result = evaluate(y, p, loss="binary_crossentropy", metrics=["accuracy"], batch_size=2)
    assert result["loss"] == pytest.approx(per_sample.mean(), rel=1e-6)
    assert result["accuracy"] == pytest.approx(1.0)
    assert evaluate(y, p, loss="bce", batch_size=2) == pytest.approx(evaluate(y[:, None], p[:, None], loss="bce", batch_size=2))
