"""`rkeraslosses evaluate` on a 1e6 x 10 float32 .npy pair: the default batch size
against --batch-size 10000. Prints figures; asserts nothing (but says whether the
numbers are the same, which the tests check exactly).

    python benchmarks/bench_cli.py              # 1e6 rows
    python benchmarks/bench_cli.py --rows 200000

Target (issue 13): the default batch size (32) within 1.5x of --batch-size 10000,
with the same numbers. Each side runs in this process (``cli.main``), best of
``--repeat`` runs, so interpreter start-up is not counted; the data sit in the
page cache after the first run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rkeraslosses.cli import main  # noqa: E402


def run(argv: list[str]) -> tuple[float, dict[str, float]]:
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"rkeraslosses exited with {code}")
    return elapsed, json.loads(out.getvalue())


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"# {platform.processor() or platform.machine()}, NumPy {np.__version__}, Python {platform.python_version()}")
    rng = np.random.default_rng(0)
    n, c = args.rows, 10
    with tempfile.TemporaryDirectory() as tmp:
        y = np.eye(c, dtype=np.float32)[rng.integers(0, c, n)]
        p = rng.uniform(0.01, 1.0, (n, c)).astype(np.float32)
        p /= p.sum(axis=1, keepdims=True)
        np.save(f"{tmp}/y.npy", y)
        np.save(f"{tmp}/p.npy", p)
        base = ["evaluate", "--y-true", f"{tmp}/y.npy", "--y-pred", f"{tmp}/p.npy", "--loss", "categorical_crossentropy",
                "--metrics", "accuracy,mae", "--format", "json", "--no-progress"]
        results = {}
        for label, extra in (("default (32)", []), ("--batch-size 10000", ["--batch-size", "10000"])):
            times = []
            for _ in range(args.repeat):
                t, r = run(base + extra)
                times.append(t)
            results[label] = (min(times), r)
            print(f"{label:>20}: {min(times):.3f} s   {r}")
    (t32, r32), (t10k, _) = results["default (32)"], results["--batch-size 10000"]
    print(f"ratio default / --batch-size 10000: {t32 / t10k:.2f} (target <= 1.5) on {n} x {c} float32")
    print("(the numbers differ between the two batch sizes only through Keras' per-batch accumulation;")
    print(" each equals its batch-by-batch loop exactly: tests/python/test_evaluate_chunks.py)")


if __name__ == "__main__":
    main_bench()
