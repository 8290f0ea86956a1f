"""Every metric class against Keras 3's own (KERAS_BACKEND=jax), over several
weighted and unweighted batches. Expected numbers come from Keras at test time."""

import numpy as np
import pytest

from rkeraslosses import metrics

from .registry import CASES, LOSS_METRIC_CLASSES

pytestmark = pytest.mark.oracle

CASE_OF = {c.fn.__name__: c for c in CASES}
OPTIONS = {
    "BinaryCrossentropy": {"from_logits": False, "label_smoothing": 0.1},
    "CategoricalCrossentropy": {"label_smoothing": 0.1},
    "SparseCategoricalCrossentropy": {"from_logits": True},
    "CosineSimilarity": {"axis": -1},
}


def _case_for(cls):
    fn = cls._fn_static
    name = fn.__name__
    return CASE_OF[name if name in CASE_OF else "cosine_similarity"]


@pytest.mark.parametrize("cls", LOSS_METRIC_CLASSES, ids=[cls.__name__ for cls in LOSS_METRIC_CLASSES])
@pytest.mark.parametrize("shape", [(6, 4), (3, 5, 4)])
def test_metric_matches_keras(keras, cls, shape):
    case = _case_for(cls)
    options = OPTIONS.get(cls.__name__, {})
    ours, theirs = cls(**options), getattr(keras.metrics, cls.__name__)(**options)
    for seed in range(4):
        t, p = case.inputs(seed=seed, shape=shape)
        if options.get("from_logits"):
            p = np.random.default_rng(seed).normal(size=shape)
        t, p = t.astype(np.float32), p.astype(np.float32)
        w = None if seed % 2 else np.random.default_rng(seed).uniform(0, 2, size=shape[0]).astype(np.float32)
        ours.update_state(t, p, sample_weight=w)
        theirs.update_state(t, p, sample_weight=w)
        np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=2e-6, atol=1e-7)
    assert ours.name == theirs.name
    ours_config, theirs_config = ours.get_config(), theirs.get_config()
    assert {k: ours_config[k] for k in theirs_config} == theirs_config
    # Keras 3's CosineSimilarity leaves `axis` out of its config (it cannot round-trip); ours keeps it.
    assert set(ours_config) - set(theirs_config) <= {"axis"}


def test_seed_page_004_matches_keras(keras):
    t, p = [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    ours, theirs = metrics.CategoricalCrossentropy(), keras.metrics.CategoricalCrossentropy()
    assert ours(t, p, sample_weight=[0.3, 0.7]) == np.asarray(theirs(t, p, sample_weight=np.array([0.3, 0.7])))
