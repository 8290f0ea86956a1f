import os

import pytest

# Keras 3 is the test-time oracle; the JAX backend agrees with TensorFlow's to
# a few float32 ulps. It must be chosen before keras is first imported.
os.environ.setdefault("KERAS_BACKEND", "jax")

# CI sets RKL_REQUIRE_ORACLE=1 in the environment that has Keras, so that the
# differential tests fail there instead of being skipped if Keras is missing.
REQUIRE_ORACLE = os.environ.get("RKL_REQUIRE_ORACLE") == "1"


@pytest.fixture(scope="session")
def keras():
    try:
        import keras as keras_module
    except ImportError as err:  # pragma: no cover - depends on the environment
        if REQUIRE_ORACLE:
            raise RuntimeError("RKL_REQUIRE_ORACLE=1 but keras cannot be imported") from err
        pytest.skip("keras (the test oracle) is not installed in this environment; CI runs these tests in the NumPy 2 environment")
    return keras_module
