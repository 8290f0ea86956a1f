"""Identifiers (spec section 3) and to_categorical (spec section 6)."""

import numpy as np
import pytest

import rkeraslosses as rk
from rkeraslosses import losses
from rkeraslosses.identifiers import crossentropy


def test_class_name_gives_instance_and_function_name_gives_function():
    assert isinstance(rk.get("MeanSquaredError"), losses.MeanSquaredError)
    assert rk.get("mean_squared_error") is losses.mean_squared_error
    obj = losses.Huber(delta=2.0)
    assert rk.get(obj) is obj
    assert isinstance(rk.get(losses.Poisson), losses.Poisson)
    assert rk.get(None) is None


def test_unknown_name_suggests_close_names():
    with pytest.raises(ValueError, match=r"Unknown loss function: 'categorial_crossentropy'.*Did you mean 'categorical_crossentropy'"):
        rk.get("categorial_crossentropy")
    with pytest.raises(ValueError, match=r"Did you mean"):
        rk.get("mean_square_error")


def test_bad_identifier_type():
    with pytest.raises(TypeError, match="Could not interpret loss identifier"):
        rk.get(3)


def test_callable_is_wrapped_with_sum_over_batch_size():
    def my_loss(y_true, y_pred):
        return np.abs(y_true - y_pred).max(axis=-1)

    wrapped = rk.get(my_loss)
    assert isinstance(wrapped, losses.LossFunctionWrapper) and wrapped.reduction == "sum_over_batch_size"
    # closed form: per-sample maxima 1 and 3 -> mean 2
    assert wrapped([[0.0, 0.0], [0.0, 0.0]], [[1.0, 0.5], [3.0, 0.0]]) == 2.0


@pytest.mark.parametrize(
    "config",
    [
        {"class_name": "CategoricalCrossentropy", "config": {"from_logits": True, "label_smoothing": 0.1, "axis": -1, "name": "cce", "reduction": "sum"}},
        {"module": "keras.losses", "class_name": "CategoricalCrossentropy", "config": {"from_logits": True}, "registered_name": None},
    ],
)
def test_dict_is_deserialized(config):
    obj = rk.get(config)
    assert isinstance(obj, losses.CategoricalCrossentropy) and obj.from_logits is True


def test_function_config_and_custom_objects():
    assert rk.deserialize({"class_name": "function", "config": "mse"}) is losses.mean_squared_error
    assert rk.deserialize(rk.serialize(losses.log_cosh)) is losses.log_cosh

    class Cubic(losses.Loss):
        def call(self, y_true, y_pred):
            return (abs(y_true - y_pred) ** 3).mean(axis=-1)

    config = rk.serialize(Cubic(name="cubic"))
    assert config["registered_name"] == "Cubic"
    rebuilt = rk.deserialize(config, custom_objects={"Cubic": Cubic})
    assert isinstance(rebuilt, Cubic) and rebuilt.name == "cubic"
    with pytest.raises(ValueError, match="Unknown loss class: 'Cubic'"):
        rk.deserialize(config)


@pytest.mark.parametrize("bad", [{"config": {}}, 3.5, {"class_name": "MeanSquaredError", "config": {"colour": "red"}}])
def test_malformed_configs(bad):
    with pytest.raises((ValueError, TypeError)):
        rk.deserialize(bad)


def test_loss_function_wrapper_round_trip():
    wrapper = losses.LossFunctionWrapper(losses.huber, delta=0.5, reduction="sum")
    rebuilt = rk.deserialize(rk.serialize(wrapper))
    with pytest.raises(TypeError, match="takes the function itself"):
        losses.LossFunctionWrapper.from_config(wrapper.get_config())  # names are resolved only by identifiers
    assert rebuilt.fn is losses.huber and rebuilt(np.zeros((2, 2)), np.ones((2, 2))) == wrapper(np.zeros((2, 2)), np.ones((2, 2)))


def test_crossentropy_is_picked_from_the_shapes():
    probs = np.array([[0.2, 0.8], [0.6, 0.4]])
    # binary: y_pred's last axis is 1
    np.testing.assert_array_equal(crossentropy([[1.0], [0.0]], [[0.8], [0.4]]), losses.binary_crossentropy([[1.0], [0.0]], [[0.8], [0.4]]))
    # sparse: lower rank, or a trailing label axis of 1 against several classes
    np.testing.assert_array_equal(crossentropy([1, 0], probs), losses.sparse_categorical_crossentropy([1, 0], probs))
    np.testing.assert_array_equal(crossentropy([[1], [0]], probs), losses.sparse_categorical_crossentropy([1, 0], probs))
    # categorical otherwise
    np.testing.assert_array_equal(crossentropy([[0, 1], [1, 0]], probs), losses.categorical_crossentropy([[0, 1], [1, 0]], probs))
    assert rk.get("crossentropy") is crossentropy and rk.get("ce") is crossentropy


def test_to_categorical_shapes_and_values():
    # spec section 6: output shape input_shape + (num_classes,); trailing 1 dropped
    np.testing.assert_array_equal(rk.to_categorical([0, 2, 1]), np.eye(3, dtype=np.float32)[[0, 2, 1]])
    assert rk.to_categorical([[0], [1]]).shape == (2, 2)
    assert rk.to_categorical([[0, 1], [2, 0]]).shape == (2, 2, 3)
    assert rk.to_categorical([1, 0], num_classes=5).shape == (2, 5)
    assert rk.to_categorical([1.0, 0.0], dtype="int32").dtype == np.int32
    assert rk.to_categorical(np.array([], dtype=int)).shape == (0, 0)
    assert rk.to_categorical(np.array([True, False])).tolist() == [[0.0, 1.0], [1.0, 0.0]]
