"""A tour of rkeraslosses: Keras' numbers from NumPy alone.

Run it with `bash scripts/demo.sh` (sets up a NumPy-only environment first).
"""

import numpy as np

import rkeraslosses as rk
from rkeraslosses import losses

# The worked example of Keras' CategoricalCrossentropy reference page.
y_true = [[0, 1, 0], [0, 0, 1]]
y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]

print("Per-sample losses, R keras style:    ", rk.loss_categorical_crossentropy(y_true, y_pred))
cce = rk.loss_categorical_crossentropy()  # no data: a Loss object
print("Loss object (mean over the batch):   ", cce(y_true, y_pred))
print("... with sample_weight=[0.3, 0.7]:   ", cce(y_true, y_pred, sample_weight=[0.3, 0.7]))
print("... reduction='sum':                 ", losses.CategoricalCrossentropy(reduction="sum")(y_true, y_pred))
print("Integer labels, sparse crossentropy: ", rk.loss_sparse_categorical_crossentropy([1, 2], y_pred))
print("to_categorical([0, 2, 1]):\n", rk.to_categorical([0, 2, 1]))

# Names work as in compile(loss=...): aliases, Keras 2 / R keras names, configs.
for name in ("mse", "logcosh", "kullback_leibler_divergence", "huber_loss"):
    print(f"get({name!r}) ->", rk.get(name).__name__)

# Stable where the naive formula overflows: log(cosh(1000)) is inf in float64.
with np.errstate(over="ignore"):
    print("naive log(cosh(1000)):", np.log(np.cosh(1000.0)), "  ours:", rk.loss_logcosh([[0.0]], [[1000.0]]))
