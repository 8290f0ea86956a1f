"""rkeraslosses in two minutes: Keras' evaluate() numbers for predictions you already have.

Run it with `bash scripts/demo.sh` (which sets up a NumPy-only environment first).
"""

import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import rkeraslosses as rk

# --- 1. Predictions from "some model": 1,000 samples, 3 classes --------------
rng = np.random.default_rng(42)
labels = rng.integers(0, 3, size=1000)
y_true = rk.to_categorical(labels)                     # one-hot, as Keras wants
logits = 2.0 * y_true + rng.normal(size=(1000, 3))     # a decent but imperfect classifier
y_pred = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
sample_weight = np.where(labels == 2, 2.0, 1.0)        # class 2 counts double

print("== 1. What Keras' model.evaluate() would report, from Python")
print('   rk.evaluate(y_true, y_pred, loss="categorical_crossentropy", metrics=["accuracy", "mae"], sample_weight=w)')
result = rk.evaluate(y_true, y_pred, loss="categorical_crossentropy", metrics=["accuracy", "mae"], sample_weight=sample_weight)
for name, value in result.items():
    print(f"   {name:10s} {value:.6f}")

# --- 2. The same from the shell, on files -----------------------------------
# The files live in a temporary folder that is removed afterwards.
with tempfile.TemporaryDirectory(prefix="rkeraslosses-demo-") as tmp:
    folder = Path(tmp)
    np.save(folder / "y_true.npy", y_true)
    np.save(folder / "y_pred.npy", y_pred)
    np.save(folder / "weights.npy", sample_weight)
    command = [
        "rkeraslosses", "evaluate",
        "--y-true", str(folder / "y_true.npy"), "--y-pred", str(folder / "y_pred.npy"),
        "--sample-weight", str(folder / "weights.npy"),
        "--loss", "categorical_crossentropy", "--metrics", "accuracy,mae",
    ]
    print("\n== 2. The same from the shell")
    print("   $ " + shlex.join(command))
    out = subprocess.run([sys.executable, "-m", "rkeraslosses", *command[1:]], capture_output=True, text=True, check=True)
    print("   " + out.stdout.strip().replace("\n", "\n   "))

# --- 3. The pieces: losses, Loss objects, metrics, as in R keras -------------
print("\n== 3. The pieces (Keras' CategoricalCrossentropy reference example)")
t = [[0, 1, 0], [0, 0, 1]]
p = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
print("   rk.loss_categorical_crossentropy(t, p)              ", rk.loss_categorical_crossentropy(t, p))
cce = rk.loss_categorical_crossentropy()
print("   cce = rk.loss_categorical_crossentropy(); cce(t, p) ", cce(t, p))
print("   cce(t, p, sample_weight=[0.3, 0.7])                 ", cce(t, p, sample_weight=[0.3, 0.7]))
m = rk.metric_categorical_crossentropy()
m.update_state(t, p, sample_weight=[0.3, 0.7])
print("   metric with the same weights: m.result()            ", m.result())
with np.errstate(over="ignore"):
    naive = np.log(np.cosh(1000.0))
print("   log(cosh(1000)) naively:", naive, "  rk.loss_logcosh:", rk.loss_logcosh([[0.0]], [[1000.0]]))
print("\nNext: README.md (R, Python, the shell), vignettes/ for every reference number.")
