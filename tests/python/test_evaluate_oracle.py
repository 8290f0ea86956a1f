"""Compile-style evaluation against a real client: tiny Keras 3 models whose
output is their input, compiled with several configurations; Keras'
`model.evaluate(return_dict=True)` gives the expected numbers at test time."""

import json

import numpy as np
import pytest

from rkeraslosses import losses as rk_losses
from rkeraslosses.evaluate import Evaluator, evaluate

pytestmark = pytest.mark.oracle

RTOL, ATOL = 1e-5, 1e-6


def identity_model(keras, n_features, names=("out",)):
    if len(names) == 1:
        inp = keras.Input((n_features,))
        return keras.Model(inp, keras.layers.Identity(name=names[0])(inp))
    inputs = [keras.Input((n_features,), name=f"in_{n}") for n in names]
    outputs = [keras.layers.Identity(name=n)(i) for n, i in zip(names, inputs)]
    return keras.Model(inputs, outputs)


def assert_same(ours, theirs):
    assert set(ours) == set(theirs), (ours, theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=RTOL, atol=ATOL, err_msg=key)


def data(seed=0, n=53, classes=4):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, n)
    y = np.eye(classes, dtype=np.float32)[labels]
    p = rng.uniform(0.01, 1, (n, classes)).astype(np.float32)
    p /= p.sum(axis=1, keepdims=True)
    w = rng.uniform(0, 2, n).astype(np.float32)
    return labels, y, p, w


CONFIGS = {
    "names": dict(loss="categorical_crossentropy", metrics=["mae", "mse", "accuracy"]),
    "alias_and_acc": dict(loss="mse", metrics=["acc", "kl_divergence"], weighted_metrics=["mae"]),
    "crossentropy_pick": dict(loss="crossentropy", metrics=["categorical_crossentropy"]),
    "duplicate_weighted": dict(loss="categorical_crossentropy", metrics=["mae"], weighted_metrics=["mae"]),
}


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
@pytest.mark.parametrize("batch_size", [None, 1, 8, 100])
@pytest.mark.parametrize("weighted", [False, True])
def test_string_configs(keras, config, batch_size, weighted):
    _, y, p, w = data()
    model = identity_model(keras, 4)
    model.compile(**config)
    sw = w if weighted else None
    theirs = model.evaluate(p, y, batch_size=batch_size, sample_weight=sw, return_dict=True, verbose=0)
    assert_same(evaluate(y, p, sample_weight=sw, batch_size=batch_size, **config), theirs)
    # the compile config Keras saves gives the same
    assert_same(Evaluator.from_config(model.get_compile_config()).evaluate(y, p, sample_weight=sw, batch_size=batch_size), theirs)


def test_loss_objects_and_sparse_labels(keras):
    labels, _, p, w = data(1)
    model = identity_model(keras, 4)
    model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalCrossentropy(), "accuracy"],
        weighted_metrics=[keras.metrics.SparseCategoricalCrossentropy(name="wsce")],
    )
    theirs = model.evaluate(p, labels, batch_size=16, sample_weight=w, return_dict=True, verbose=0)
    ours = Evaluator.from_config(model.get_compile_config()).evaluate(labels, p, sample_weight=w, batch_size=16)
    assert_same(ours, theirs)


def test_logits_and_label_smoothing(keras):
    _, y, _, w = data(2)
    logits = np.random.default_rng(2).normal(scale=3, size=y.shape).astype(np.float32)
    model = identity_model(keras, 4)
    model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2), metrics=["mae"])
    theirs = model.evaluate(logits, y, batch_size=10, sample_weight=w, return_dict=True, verbose=0)
    ours = evaluate(y, logits, loss=rk_losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2), metrics=["mae"], sample_weight=w, batch_size=10)
    assert_same(ours, theirs)


def test_two_outputs_with_loss_weights(keras, tmp_path):
    _, y, p, w = data(3)
    rng = np.random.default_rng(3)
    y2 = rng.normal(size=(53, 2)).astype(np.float32)
    p2 = rng.normal(size=(53, 2)).astype(np.float32)
    inputs = [keras.Input((4,), name="in_a"), keras.Input((2,), name="in_b")]
    outputs = [keras.layers.Identity(name="cls")(inputs[0]), keras.layers.Identity(name="reg")(inputs[1])]
    model = keras.Model(inputs, outputs)
    config = dict(
        loss={"cls": "categorical_crossentropy", "reg": "mse"},
        loss_weights={"cls": 1.0, "reg": 0.25},
        metrics={"cls": ["accuracy"], "reg": ["mae"]},
        weighted_metrics={"reg": ["mse"]},
    )
    model.compile(**config)
    theirs = model.evaluate([p, p2], [y, y2], batch_size=8, sample_weight=w, return_dict=True, verbose=0)
    ours = evaluate({"cls": y, "reg": y2}, {"cls": p, "reg": p2}, sample_weight=w, batch_size=8, **config)
    assert_same(ours, theirs)
    # a .keras file carries the compile config and the output names
    path = str(tmp_path / "two_outputs.keras")
    model.save(path)
    from_file = Evaluator.from_config(path).evaluate([y, y2], [p, p2], sample_weight=w, batch_size=8)
    assert_same(from_file, theirs)


OURS_IN_KERAS = """
import json, sys
import numpy as np
import keras
from rkeraslosses import losses as rl

rng = np.random.default_rng(4)
y = np.eye(4, dtype="float32")[rng.integers(0, 4, 53)]
p = rng.uniform(0.01, 1, (53, 4)).astype("float32")
w = rng.uniform(0, 2, 53).astype("float32")

def run(loss, sample_weight):
    i = keras.Input((4,))
    model = keras.Model(i, keras.layers.Identity()(i))
    model.compile(loss=loss, metrics=["mae"])
    return model.evaluate(p, y, batch_size=9, sample_weight=sample_weight, return_dict=True, verbose=0)

print(json.dumps({
    "object": run(rl.CategoricalCrossentropy(), None),
    "object_reference": run(keras.losses.CategoricalCrossentropy(), None),
    "function_weighted": run(rl.categorical_crossentropy, w),
    "function_weighted_reference": run(keras.losses.categorical_crossentropy, w),
}))
"""


def test_our_losses_in_keras_compile(keras):
    """Our losses given to Keras' compile(loss=...) give Keras' numbers.

    NumPy code cannot run inside JAX's tracing, so this runs Keras' NumPy
    backend in a subprocess. Keras wraps any object that is not its own Loss
    as a per-sample function: our Loss objects match Keras' without sample
    weights, our functions with them too (see the README).
    """
    import os
    import subprocess
    import sys

    import rkeraslosses

    package_root = os.path.dirname(os.path.dirname(rkeraslosses.__file__))
    env = dict(os.environ, KERAS_BACKEND="numpy", PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
    out = subprocess.run([sys.executable, "-c", OURS_IN_KERAS], env=env, capture_output=True, text=True, check=True)
    results = json.loads(out.stdout.strip().splitlines()[-1])
    assert_same(results["object"], results["object_reference"])
    assert_same(results["function_weighted"], results["function_weighted_reference"])


def test_json_compile_config_file(keras, tmp_path):
    _, y, p, _ = data(5)
    model = identity_model(keras, 4)
    model.compile(loss="kld", metrics=["mape", "msle"])
    path = tmp_path / "compile.json"
    path.write_text(json.dumps(model.get_compile_config()))
    theirs = model.evaluate(p, y, return_dict=True, verbose=0)
    assert_same(Evaluator.from_config(path).evaluate(y, p), theirs)
