import os
import sys
import tempfile

import pytest

# Tests write only under temporary folders: hypothesis keeps its example
# database and constants cache in ./.hypothesis unless told otherwise.
try:
    from hypothesis.configuration import set_hypothesis_home_dir
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass
else:
    _HYPOTHESIS_HOME = tempfile.TemporaryDirectory(prefix="rkeraslosses-hypothesis-")
    set_hypothesis_home_dir(_HYPOTHESIS_HOME.name)

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


# CI sets RKL_REQUIRE_R=1 where R, rpy2 and the R package are installed, so that
# the cross-language tests fail there instead of being skipped.
REQUIRE_R = os.environ.get("RKL_REQUIRE_R") == "1"


@pytest.fixture(scope="session")
def r():
    """R with the rkeraslosses R package loaded, through rpy2 (the `*_pyvsr` tests)."""
    library_path = os.environ.get("LD_LIBRARY_PATH")
    try:
        import atexit

        import rpy2.rinterface
        from rpy2.rinterface_lib import embedded

        # rpy2 releases the GIL while R runs, and reticulate 1.28 (Debian's)
        # finalizes Python objects in R's garbage collector without taking it
        # back: a collection during a call aborts the process ("PyThreadState_Get:
        # the function must be called with the GIL held"; reticulate fixed its
        # finalizer in 2024). A large initial R heap keeps R from collecting
        # during these few hundred small calls, so no finalizer runs then.
        embedded.set_initoptions(("rpy2", "--quiet", "--no-save", "--min-vsize=2000M", "--min-nsize=40M"))
        import rpy2.robjects as robjects

        # rpy2 -> R -> reticulate in one process computes correctly, but rpy2's
        # atexit `endr` then aborts the interpreter (exit code 134).
        atexit.unregister(rpy2.rinterface.endr)
        os.environ.setdefault("RETICULATE_PYTHON", sys.executable)
        robjects.r("suppressPackageStartupMessages(library(rkeraslosses))")
        # rpy2 puts R's library folders (and /usr/lib/x86_64-linux-gnu) first in
        # LD_LIBRARY_PATH for this process. A Python started from here (the README
        # test's command lines, Dask workers) would then load the system's
        # libpython instead of its own ("undefined symbol: _PyModule_Add"): give
        # child processes the environment this one started with. R is loaded.
        if library_path is None:
            os.environ.pop("LD_LIBRARY_PATH", None)
        else:
            os.environ["LD_LIBRARY_PATH"] = library_path
    except Exception as err:  # pragma: no cover - depends on the environment
        if REQUIRE_R:
            raise RuntimeError(f"RKL_REQUIRE_R=1 but R with the rkeraslosses package cannot be used: {err}") from err
        pytest.skip(f"R, rpy2 or the rkeraslosses R package is not available here ({err}); CI runs these tests")
    return robjects.r
