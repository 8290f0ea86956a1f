"""A config Keras saved for Huber / CosineSimilarity has no delta / axis (Keras 3's
get_config() leaves them out): loading one warns, once, that the default is used."""

import warnings

import pytest

import rkeraslosses as rk
from rkeraslosses import identifiers
from rkeraslosses.evaluate import Evaluator
from rkeraslosses.metrics import deserialize as deserialize_metric


@pytest.fixture(autouse=True)
def fresh_session(monkeypatch):
    monkeypatch.setattr(identifiers, "_warned_dropped", set())


# Keras 3.15's own get_config() output for these objects (keras/src/losses/losses.py
# Huber.get_config and CosineSimilarity.get_config return Loss.get_config(self);
# keras/src/metrics/regression_metrics.py CosineSimilarity.get_config returns name and dtype).
HUBER = {"class_name": "Huber", "config": {"name": "huber_loss", "reduction": "sum_over_batch_size"}}
COSINE_LOSS = {"class_name": "CosineSimilarity", "config": {"name": "cosine_similarity", "reduction": "sum_over_batch_size"}}
COSINE_METRIC = {"class_name": "CosineSimilarity", "config": {"name": "cosine_similarity", "dtype": "float32"}}


@pytest.mark.parametrize(
    "load,config,option",
    [(rk.deserialize, HUBER, "delta=1.0"), (rk.deserialize, COSINE_LOSS, "axis=-1"), (deserialize_metric, COSINE_METRIC, "axis=-1")],
    ids=["huber", "cosine_loss", "cosine_metric"],
)
def test_a_config_without_the_dropped_option_warns_once(load, config, option):
    with pytest.warns(UserWarning, match=rf"config has no `{option.split('=')[0]}`.*using {option}") as record:
        obj = load(config)
    assert len(record) == 1 and record[0].filename == __file__  # points at the caller's line
    name, default = option.split("=")
    assert obj.get_config()[name] == float(default)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load(config)  # once per session


@pytest.mark.parametrize(
    "load,config",
    [
        (rk.deserialize, {"class_name": "Huber", "config": {"name": "huber_loss", "reduction": "sum", "delta": 2.0}}),
        (rk.deserialize, {"class_name": "CosineSimilarity", "config": {"name": "cs", "reduction": "sum", "axis": 0}}),
        (deserialize_metric, {"class_name": "CosineSimilarity", "config": {"name": "cs", "axis": 0}}),
        (rk.deserialize, {"class_name": "MeanSquaredError", "config": {"name": "mse", "reduction": "sum"}}),
    ],
)
def test_a_config_with_the_option_or_of_another_class_does_not_warn(load, config):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load(config)


def test_a_compile_config_with_huber_warns():
    evaluator = Evaluator.from_config({"loss": {"module": "keras.losses", "registered_name": None, **HUBER}, "metrics": None})
    with pytest.warns(UserWarning, match="Huber config has no `delta`"):  # the objects are built at the first batch
        evaluator.update_state([[0.0, 0.0]], [[0.5, 3.0]])
    assert evaluator.result()["loss"] == pytest.approx(1.3125)  # Huber(delta=1.0)'s docstring example
