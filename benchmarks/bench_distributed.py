"""Evaluation on Dask against one process. Prints figures; asserts nothing (but
says whether the numbers are equal, which tests/python/test_distributed.py checks).

    python benchmarks/bench_distributed.py                 # 1e7 x 10 float32 .npy pair
    python benchmarks/bench_distributed.py --rows 2000000  # shorter

1. ``rkeraslosses evaluate`` on a .npy pair (default batch size 32): the
   single-process command line, ``--workers 2`` (a local cluster started for
   the run, start-up included), and ``--scheduler`` on a cluster already
   running (the evaluation alone). Each in a fresh process, as a user runs it.
2. The overhead of a 1e5-row evaluation through a running local cluster
   (Dask arrays) against a plain call on the NumPy arrays.

How the blocks are chosen (``rkeraslosses.distributed.file_blocks``): a file
is split into 4 blocks per worker (so a slow or replaced worker's share can be
redone by the others), each a multiple of the batch size and at least 64K rows
(below that, a task's fixed cost shows); a worker reads its block from the
memory-mapped file 64K rows at a time, so memory stays flat. With 2 workers and
1e7 rows that is 8 blocks of 1.25M rows; on 32 workers, 128 blocks of 78K rows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def write_pair(directory: str, n: int, c: int = 10) -> None:
    """y.npy (one-hot) and p.npy (probabilities), float32, written in pieces."""
    rng = np.random.default_rng(0)
    y = np.lib.format.open_memmap(f"{directory}/y.npy", mode="w+", dtype=np.float32, shape=(n, c))
    p = np.lib.format.open_memmap(f"{directory}/p.npy", mode="w+", dtype=np.float32, shape=(n, c))
    step = 1_000_000
    for a in range(0, n, step):
        b = min(n, a + step)
        y[a:b] = np.eye(c, dtype=np.float32)[rng.integers(0, c, b - a)]
        q = rng.uniform(0.01, 1.0, (b - a, c)).astype(np.float32)
        p[a:b] = q / q.sum(axis=1, keepdims=True)
    y.flush()
    p.flush()
    del y, p


def cli(args: list[str]) -> tuple[float, dict[str, float]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "rkeraslosses", "evaluate", *args, "--format", "json", "--no-progress"],
                         capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"rkeraslosses failed: {out.stderr}")
    return elapsed, json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import distributed

    from rkeraslosses import evaluate
    from rkeraslosses.distributed import local_cluster

    print(f"# {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, NumPy {np.__version__}, "
          f"dask {distributed.__version__}, Python {platform.python_version()}")
    objective = ["--loss", "categorical_crossentropy", "--metrics", "accuracy,mae"]
    with tempfile.TemporaryDirectory() as tmp:
        write_pair(tmp, args.rows)
        files = ["--y-true", f"{tmp}/y.npy", "--y-pred", f"{tmp}/p.npy", *objective]
        cli(files)  # page cache warm-up
        cluster = local_cluster(2)  # what --workers starts
        try:
            # Best of --repeat, the three sides interleaved: the machine is shared,
            # and its load moves the figures of one run by up to 2x.
            runs: dict[str, list[tuple[float, dict]]] = {"single": [], "workers": [], "scheduler": []}
            for _ in range(args.repeat):
                runs["single"].append(cli(files))
                runs["scheduler"].append(cli(files + ["--scheduler", cluster.scheduler_address]))
                runs["workers"].append(cli(files + ["--workers", "2"]))
            (t1, r1), (t2, r2), (t3, r3) = (min(runs[k], key=lambda r: r[0]) for k in ("single", "workers", "scheduler"))
            # 2. a 1e5-row evaluation: plain call vs Dask arrays through the running cluster
            import dask.array as da

            y = np.load(f"{tmp}/y.npy", mmap_mode="r")[:100_000].copy()
            p = np.load(f"{tmp}/p.npy", mmap_mode="r")[:100_000].copy()
            kw = dict(loss="categorical_crossentropy", metrics=["accuracy", "mae"])
            plain = min(_timed(lambda: evaluate(y, p, **kw)) for _ in range(5))
            with distributed.Client(cluster, set_as_default=False) as client, client.as_current():
                dy, dp = da.from_array(y, chunks=65536), da.from_array(p, chunks=65536)
                dy, dp = client.persist(dy), client.persist(dp)  # data already on the workers
                on_cluster = min(_timed(lambda: evaluate(dy, dp, **kw)) for _ in range(5))
                same = evaluate(dy, dp, **kw) == evaluate(y, p, **kw)
        finally:
            cluster.close()
    n = args.rows
    print(f"1. CLI on a {n:.0e} x 10 float32 .npy pair (batch size 32), best of {args.repeat}, load now {os.getloadavg()[0]:.1f}:")
    print(f"   single process            {t1:7.2f} s")
    print(f"   --workers 2               {t2:7.2f} s  (ratio {t2 / t1:.2f}; includes starting the cluster)")
    print(f"   --scheduler (running)     {t3:7.2f} s  (ratio {t3 / t1:.2f})")
    print(f"   same numbers: {r1 == r2 == r3}")
    print("2. 1e5 rows x 10, through a running 2-worker local cluster vs a plain call:")
    print(f"   plain call {plain * 1e3:.1f} ms, on the cluster {on_cluster * 1e3:.1f} ms, "
          f"overhead {1e3 * (on_cluster - plain):.1f} ms ({on_cluster / plain:.1f}x); same numbers: {same}")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
