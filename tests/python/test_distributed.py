"""Evaluation on Dask: the single-process numbers, exactly, from a real cluster.

The tests start their own ``dask.distributed.LocalCluster`` of two worker
processes (marked ``cluster``: seconds each). The reference is always the
single-process evaluation of the same data (itself equal to Keras'
batch-by-batch loop: ``test_evaluate_chunks.py``), compared with ``==``.

CI installs the ``dask`` extra in one environment and sets RKL_REQUIRE_DASK=1
there, so that these tests fail instead of skipping if Dask is missing.
"""

from __future__ import annotations

import os
import signal
import sys
import time

import cloudpickle
import numpy as np
import pytest

from rkeraslosses import Evaluator, evaluate
from rkeraslosses.cli import main
from rkeraslosses.distributed import ChunkError, evaluate_files, file_blocks

from .evaluation_cases import make_inputs, metric_cases, same_results

try:
    import dask
    import dask.array as da
    import distributed
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("RKL_REQUIRE_DASK") == "1":
        raise
    dask = None

needs_dask = pytest.mark.skipif(dask is None, reason="the dask extra is not installed; CI installs it (RKL_REQUIRE_DASK=1)")
evaluate_module = sys.modules["rkeraslosses.evaluate"]

# Functions defined here travel to the workers by value (the workers cannot import this test module).
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def client():
    """Two worker processes, one thread each (not the default client: tests opt in)."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40)
    c = distributed.Client(cluster, set_as_default=False)
    yield c
    c.close()
    cluster.close()


def _data(n, seed=0):
    y, p = make_inputs("categorical", n, seed)
    w = np.random.default_rng(seed + 1).uniform(0, 2, n).astype(np.float32)
    return y, p, w


ARGS = dict(loss="categorical_crossentropy", metrics=["accuracy", "mae"], weighted_metrics=["mse", "kld"])


# ---------------------------------------------------------------------------
# Dask arrays through rkeraslosses.evaluate / Evaluator
# ---------------------------------------------------------------------------


@needs_dask
@pytest.mark.cluster
@pytest.mark.parametrize("batch_size, chunks", [(32, 1000), (7, 3333), (5000, 4000), (32, 65536)])
def test_dask_arrays_equal_single_process(client, batch_size, chunks):
    # 140_007 rows: several blocks, chunks that are not multiples of the batch size, a remainder.
    y, p, w = _data(140_007)
    expected = evaluate(y, p, sample_weight=w, batch_size=batch_size, **ARGS)
    dy, dp, dw = (da.from_array(a, chunks=(chunks,) + a.shape[1:]) for a in (y, p, w))
    with client.as_current():
        got = evaluate(dy, dp, sample_weight=dw, batch_size=batch_size, **ARGS)
        # inputs chunked differently from each other, and NumPy mixed in
        mixed = Evaluator(**ARGS).evaluate(dy.rechunk(777), p, sample_weight=dw.rechunk(1234), batch_size=batch_size)
    assert got == expected
    assert mixed == expected


@needs_dask
@pytest.mark.cluster
def test_several_outputs_on_dask(client):
    n = 20_011
    ya, pa, w = _data(n, seed=2)
    yb, pb = make_inputs("binary", n, seed=3)
    args = dict(loss={"a": "categorical_crossentropy", "b": "bce"}, loss_weights={"a": 0.5, "b": 2.0}, metrics={"a": ["accuracy"], "b": ["accuracy", "mse"]}, weighted_metrics={"b": ["mae"]})
    expected = evaluate({"a": ya, "b": yb}, {"a": pa, "b": pb}, sample_weight=w, batch_size=64, **args)
    d = lambda a: da.from_array(a, chunks=3000)  # noqa: E731
    with client.as_current():
        got = evaluate({"a": d(ya), "b": d(yb)}, {"a": d(pa), "b": d(pb)}, sample_weight=d(w), batch_size=64, **args)
    assert got == expected
    assert {"loss", "a_loss", "b_loss", "a_accuracy", "b_accuracy", "b_mse", "b_mae"} <= set(got)


@needs_dask
@pytest.mark.cluster
@pytest.mark.parametrize("kind", sorted({c[2] for c in metric_cases()}))
def test_every_registry_metric_merges_exactly_on_the_cluster(client, kind):
    # Every metric row of rkeraslosses.registry (new rows included automatically),
    # grouped by the inputs they take; weighted and unweighted.
    cases = [c for c in metric_cases() if c[2] == kind]
    n = 30_001
    y, p = make_inputs(kind, n, seed=4)
    w = np.random.default_rng(5).uniform(0, 2, n).astype(np.float32)
    args = lambda: dict(metrics=[f() for _, f, _ in cases], weighted_metrics=[f() for _, f, _ in cases])  # noqa: E731
    expected = evaluate(y, p, sample_weight=w, batch_size=32, **args())
    assert len(expected) == 2 * len(cases)
    with client.as_current():
        got = evaluate(da.from_array(y, chunks=4000), da.from_array(p, chunks=4000), sample_weight=da.from_array(w, chunks=4000), batch_size=32, **args())
    assert same_results(got, expected)


@needs_dask
@pytest.mark.cluster
def test_dask_dataframe_values(client):
    dd = pytest.importorskip("dask.dataframe", reason="dask[dataframe] (pandas) is not installed; CI's NumPy 2 environment has it")
    import pandas as pd

    y, p, w = _data(10_003, seed=6)
    expected = evaluate(y, p, batch_size=32, **ARGS)
    frame = dd.from_pandas(pd.DataFrame(p), npartitions=7)  # partitions of unequal, unknown lengths
    with client.as_current():
        assert evaluate(y, frame, batch_size=32, **ARGS) == expected
        assert evaluate(y, frame.values, batch_size=32, **ARGS) == expected


@needs_dask
def test_without_a_client_dask_default_scheduler_gives_the_same():
    y, p, w = _data(5_001, seed=7)
    with dask.config.set(scheduler="threads"):
        got = evaluate(da.from_array(y, chunks=999), da.from_array(p, chunks=999), sample_weight=w, batch_size=16, **ARGS)
    assert got == evaluate(y, p, sample_weight=w, batch_size=16, **ARGS)


@needs_dask
def test_lengths_that_disagree_are_an_error():
    y, p, _ = _data(1000)
    with pytest.raises(ValueError, match=r"same number of samples.*y_true\[0\]: 999"):
        evaluate(da.from_array(y[:999], chunks=100), da.from_array(p, chunks=100), loss="mse")


def _fails_on_large_values(y_true, y_pred):
    if np.max(y_pred) > 10:
        raise ValueError("a value above 10")
    return np.mean(np.abs(y_true - y_pred), axis=-1)


@needs_dask
@pytest.mark.cluster
def test_a_failing_block_names_the_block_and_reports_nothing(client, monkeypatch):
    monkeypatch.setattr(evaluate_module, "CHUNK_ROWS", 1000)  # blocks of 1000 rows
    y, p, _ = _data(4000, seed=8)
    p[2500] = 50.0  # in the block of rows 2000 to 3000
    ev = Evaluator(loss="categorical_crossentropy", metrics=[_fails_on_large_values])
    with client.as_current(), pytest.raises(ChunkError, match=r"Block 2 of 4 \(rows 2000 to 3000\).*a value above 10"):
        ev.evaluate(da.from_array(y, chunks=1000), da.from_array(p, chunks=1000), batch_size=100)


# ---------------------------------------------------------------------------
# Files and the command line
# ---------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 150_003
    y, p, w = _data(n, seed=9)
    labels = np.argmax(y, axis=1).astype(np.int64)
    np.save(tmp_path / "y.npy", y)
    np.save(tmp_path / "p.npy", p)
    np.save(tmp_path / "w.npy", w)
    pq.write_table(pa.table({f"p{i}": p[:, i] for i in range(p.shape[1])}), tmp_path / "p.parquet", row_group_size=40_000)
    pq.write_table(pa.table({"label": labels}), tmp_path / "labels.parquet", row_group_size=25_000)
    return tmp_path, y, p, w, labels


def _cli(capsys, *argv):
    code = main(["evaluate", "--format", "json", "--no-progress", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@needs_dask
@pytest.mark.cluster
def test_cli_on_a_scheduler_equals_single_process(client, files, capsys):
    d, y, p, w, labels = files
    dense = ["--loss", "categorical_crossentropy", "--metrics", "accuracy,mae"]
    sparse = ["--loss", "sparse_categorical_crossentropy", "--metrics", "accuracy"]
    for y_file, p_file, objective in (
        ("y.npy", "p.npy", [*dense, "--sample-weight", d / "w.npy"]),
        ("y.npy", "p.parquet", dense),
        ("labels.parquet", "p.parquet", sparse),  # integer labels from a one-column Parquet file
    ):
        args = ["--y-true", d / y_file, "--y-pred", d / p_file, *objective]
        code1, single, err1 = _cli(capsys, *args)
        code2, multi, err2 = _cli(capsys, *args, "--scheduler", client.scheduler.address)
        assert (code1, code2, err1, err2) == (0, 0, "", "")
        assert multi == single
    # and both equal the Python API on the arrays
    import json

    assert json.loads(single) == evaluate(labels, p, loss="sparse_categorical_crossentropy", metrics=["accuracy"])


@needs_dask
@pytest.mark.cluster
def test_cli_with_workers_starts_a_local_cluster(files, capsys):
    d, y, p, w, _ = files
    args = ["--y-true", d / "y.npy", "--y-pred", d / "p.parquet", "--sample-weight", d / "w.npy", "--loss", "categorical_crossentropy", "--metrics", "accuracy"]
    code1, single, _ = _cli(capsys, *args)
    code2, multi, err = _cli(capsys, *args, "--workers", "2")
    assert (code1, code2, err) == (0, 0, "")
    assert multi == single


@needs_dask
def test_zarr_files(tmp_path, capsys):
    import json

    import zarr

    y, p, w = _data(70_001, seed=10)
    for name, a in (("y", y), ("p", p)):
        z = zarr.open(str(tmp_path / f"{name}.zarr"), mode="w", shape=a.shape, chunks=(10_000,) + a.shape[1:], dtype=a.dtype)
        z[:] = a
    expected = evaluate(y, p, **{k: v for k, v in ARGS.items() if k != "weighted_metrics"})
    got = evaluate_files(Evaluator(**{k: v for k, v in ARGS.items() if k != "weighted_metrics"}), tmp_path / "y.zarr", tmp_path / "p.zarr")
    assert got == expected
    code, out, err = _cli(capsys, "--y-true", tmp_path / "y.zarr", "--y-pred", tmp_path / "p.zarr", "--loss", ARGS["loss"], "--metrics", ",".join(ARGS["metrics"]))
    assert (code, err) == (0, "")
    assert json.loads(out) == expected


def test_file_blocks_are_whole_batches():
    blocks = file_blocks(1_000_003, 32, 2)
    assert blocks[0][0] == 0 and blocks[-1][1] == 1_000_003
    assert all(b - a == blocks[0][1] - blocks[0][0] for a, b in blocks[:-1])
    assert all(a % 32 == 0 for a, _ in blocks)
    assert len(blocks) == 8  # BLOCKS_PER_WORKER per worker


def test_files_with_different_row_counts(tmp_path):
    np.save(tmp_path / "y.npy", np.zeros((10, 3)))
    np.save(tmp_path / "p.npy", np.zeros((11, 3)))
    with pytest.raises(ValueError, match=r"different numbers of rows: y_true \(.*y.npy\) 10, y_pred \(.*p.npy\) 11"):
        evaluate_files(Evaluator(loss="mse"), tmp_path / "y.npy", tmp_path / "p.npy")


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


@needs_dask
def test_unreachable_scheduler_times_out_naming_the_address(tmp_path):
    np.save(tmp_path / "y.npy", np.zeros((10, 3)))
    start = time.perf_counter()
    with pytest.raises(ConnectionError, match=r"Cannot reach the Dask scheduler at tcp://127.0.0.1:9 \(waited 1 s\)"):
        evaluate_files(Evaluator(loss="mse"), tmp_path / "y.npy", tmp_path / "y.npy", scheduler="tcp://127.0.0.1:9", timeout=1)
    assert time.perf_counter() - start < 30


def test_missing_extra_names_it(tmp_path, capsys, monkeypatch):
    np.save(tmp_path / "y.npy", np.zeros((10, 3)))
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    monkeypatch.setitem(sys.modules, "dask", None)
    code, out, err = _cli(capsys, "--y-true", tmp_path / "y.npy", "--y-pred", tmp_path / "y.npy", "--loss", "mse", "--workers", "2")
    assert code == 2 and out == ""
    assert "optional extra 'dask'" in err and "pip install 'rkeraslosses[dask]'" in err


# ---------------------------------------------------------------------------
# A worker dies mid-run
# ---------------------------------------------------------------------------


def _slow_mae(y_true, y_pred):
    time.sleep(0.4)  # once per batch: one batch per block below
    return np.mean(np.abs(y_true - y_pred), axis=-1)


@needs_dask
@pytest.mark.cluster
def test_a_worker_killed_mid_run_gives_the_exact_result_or_a_clear_error(tmp_path, monkeypatch):
    n, batch_size = 20_000, 2_500
    y, p, w = _data(n, seed=11)
    np.save(tmp_path / "y.npy", y)
    np.save(tmp_path / "p.npy", p)
    args = dict(loss="categorical_crossentropy", metrics=[_slow_mae, "accuracy"])
    expected = evaluate(y, p, batch_size=batch_size, **args)
    monkeypatch.setattr(evaluate_module, "CHUNK_ROWS", batch_size)  # 8 blocks of one batch each
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50)
    killed = []

    def kill_one_worker(done, total):
        for i, item in enumerate(done):
            if i == 0:
                nanny = next(iter(cluster.workers.values()))
                os.kill(nanny.process.process.pid, signal.SIGKILL)
                killed.append(nanny)
            yield item

    try:
        with distributed.Client(cluster, set_as_default=False) as c:
            address = c.scheduler.address
            try:
                got = evaluate_files(Evaluator(**args), tmp_path / "y.npy", tmp_path / "p.npy", batch_size=batch_size, scheduler=address, progress=kill_one_worker)
            except ChunkError as err:  # Dask gave up on a block: said so, with the block
                assert "Block" in str(err) and "failed on a worker" in str(err)
            else:
                assert got == expected  # Dask redid the lost blocks: the exact result
    finally:
        cluster.close()
    assert killed
