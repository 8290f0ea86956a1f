"""The command line: `rkeraslosses evaluate` (and `python -m rkeraslosses evaluate`)."""

import json
import subprocess
import sys
import warnings

import numpy as np
import pytest

from rkeraslosses.cli import main
from rkeraslosses.evaluate import evaluate


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    y = np.eye(3)[rng.integers(0, 3, 70)]
    p = rng.uniform(0.01, 1, (70, 3))
    p /= p.sum(axis=1, keepdims=True)
    w = rng.uniform(0, 2, 70)
    np.save(tmp_path / "y.npy", y)
    np.save(tmp_path / "p.npy", p)
    np.save(tmp_path / "w.npy", w)
    np.save(tmp_path / "p_short.npy", p[:50])
    np.savez(tmp_path / "both.npz", y=y, p=p)
    np.savetxt(tmp_path / "y.csv", y, delimiter=",", header="a,b,c", comments="")
    np.savetxt(tmp_path / "p.csv", p, delimiter=",")
    np.savetxt(tmp_path / "w.csv", w, delimiter=",")
    return tmp_path, y, p, w


def run(capsys, *argv):
    try:
        code = main(["evaluate", *map(str, argv)])
    except SystemExit as exit:  # argparse's usage errors
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def table(out):
    """The table's name -> value rows (notes start with '#')."""
    return {name: float(value) for name, value in (line.split() for line in out.strip().splitlines() if not line.startswith("#"))}


def test_json_output_equals_the_python_api(files, capsys):
    d, y, p, w = files
    code, out, err = run(capsys, "--y-true", d / "y.npy", "--y-pred", d / "p.npy", "--sample-weight", d / "w.npy",
                         "--loss", "categorical_crossentropy", "--metrics", "mae,accuracy", "--batch-size", 16, "--format", "json")
    assert code == 0 and err == ""
    expected = evaluate(y, p, loss="categorical_crossentropy", metrics=["mae", "accuracy"], sample_weight=w, batch_size=16)
    assert json.loads(out) == pytest.approx(expected)


def test_csv_and_npz_inputs_and_table_output(files, capsys):
    d, y, p, w = files
    code, out, _ = run(capsys, "--y-true", d / "y.csv", "--y-pred", d / "p.csv", "--sample-weight", d / "w.csv", "--loss", "mse", "--batch-size", 9)
    assert code == 0
    assert table(out)["loss"] == pytest.approx(evaluate(y, p, loss="mse", sample_weight=w, batch_size=9)["loss"], rel=1e-6)
    code, out, _ = run(capsys, "--y-true", f"{d / 'both.npz'}:y", "--y-pred", f"{d / 'both.npz'}:p", "--loss", "mse", "--format", "json")
    assert code == 0 and json.loads(out)["loss"] == pytest.approx(evaluate(y, p, loss="mse")["loss"])


def test_from_logits(files, capsys):
    d, y, p, _ = files
    code, out, _ = run(capsys, "--y-true", d / "y.npy", "--y-pred", d / "p.npy", "--loss", "categorical_crossentropy", "--from-logits", "--format", "json")
    from rkeraslosses.losses import CategoricalCrossentropy

    assert code == 0 and json.loads(out)["loss"] == pytest.approx(evaluate(y, p, loss=CategoricalCrossentropy(from_logits=True))["loss"])


def test_compile_config_file(files, capsys, tmp_path):
    d, y, p, _ = files
    config = {"optimizer": "rmsprop", "loss": {"module": "keras.losses", "class_name": "CategoricalCrossentropy",
              "config": {"name": "categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": False, "label_smoothing": 0.1, "axis": -1},
              "registered_name": None}, "loss_weights": None, "metrics": ["mae"], "weighted_metrics": None,
              "run_eagerly": False, "steps_per_execution": 1, "jit_compile": True}
    (tmp_path / "compile.json").write_text(json.dumps(config))
    code, out, _ = run(capsys, "--y-true", d / "y.npy", "--y-pred", d / "p.npy", "--config", tmp_path / "compile.json", "--format", "json")
    from rkeraslosses.losses import CategoricalCrossentropy

    assert code == 0
    assert json.loads(out) == pytest.approx(evaluate(y, p, loss=CategoricalCrossentropy(label_smoothing=0.1), metrics=["mae"]))


@pytest.mark.parametrize(
    "args,message",
    [
        (["--y-true", "{d}/missing.npy", "--y-pred", "{d}/p.npy", "--loss", "mse"], "no such file"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p_short.npy", "--loss", "mse"], "different numbers of rows"),
        (["--y-true", "{d}/y.csv", "--y-pred", "{d}/p_short.npy", "--loss", "mse"], "different numbers of rows"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p.npy", "--loss", "mean_squared_eror"], "Did you mean 'mean_squared_error'"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p.npy", "--config", "{d}/y.csv"], "malformed compile config"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p.npy", "--config", "{d}/bad.json"], "malformed compile config"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p.npy"], "nothing to evaluate"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p.npy", "--loss", "mse", "--from-logits"], "takes no logits"),
        (["--y-true", "{d}/both.npz", "--y-pred", "{d}/p.npy", "--loss", "mse"], "several arrays"),
        (["--y-true", "{d}/y.txt.gz", "--y-pred", "{d}/p.npy", "--loss", "mse"], "no such file"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p.npy", "--loss", "mse", "--batch-size", "0"], "batch_size"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/junk.csv", "--loss", "mse"], "junk.csv, line 2, column 2: 'five' is not a number"),
        # issue 14: each of these exited 1 (or printed a traceback)
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p.npy", "--metrics", "mae,acuracy"], "acuracy"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p.npy", "--loss", "mse", "--batch-size", "-3"], "batch_size"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p4.npy", "--loss", "mse"], "y_pred.shape=(64, 4)"),
        (["--y-true", "{d}/empty.npy", "--y-pred", "{d}/p.npy", "--loss", "mse"], "empty.npy is empty"),
        (["--y-true", "{d}/truncated.npy", "--y-pred", "{d}/p.npy", "--loss", "mse"], "cannot read"),
        (["--y-true", "{d}/blank.csv", "--y-pred", "{d}/blank.csv", "--loss", "mse"], "no rows"),
        (["--y-true", "{d}/y.npy:x", "--y-pred", "{d}/p.npy", "--loss", "mse"], "only .npz"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p.npy", "--loss", "mse", "--batch-size", "x"], "invalid int value"),
        (["--y-true", "{d}/y.npy", "--loss", "mse"], "the following arguments are required: --y-pred"),
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/p.npy", "--loss", "mse", "--header", "maybe"], "--header"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(files, capsys, args, message):
    d = files[0]
    (d / "bad.json").write_text(json.dumps({"loss": "mse", "colour": "red"}))
    (d / "junk.csv").write_text("1,2,3\n4,five,6\n")
    (d / "empty.npy").write_bytes(b"")
    (d / "truncated.npy").write_bytes((d / "p.npy").read_bytes()[:200])
    (d / "blank.csv").write_text("\n")
    np.save(d / "p4.npy", np.ones((70, 4)))
    code, out, err = run(capsys, *[a.format(d=d) for a in args])
    assert code == 2 and out == ""
    assert err.startswith("rkeraslosses: error: ") and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_python_dash_m_and_console_script(files):
    d = files[0]
    out = subprocess.run([sys.executable, "-m", "rkeraslosses", "evaluate", "--y-true", str(d / "y.npy"), "--y-pred", str(d / "p.npy"),
                          "--loss", "mse", "--format", "json"], capture_output=True, text=True, check=True)
    assert set(json.loads(out.stdout)) == {"loss"}
    bad = subprocess.run([sys.executable, "-m", "rkeraslosses", "evaluate", "--y-true", "nope.npy", "--y-pred", "nope.npy", "--loss", "mse"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_a_bug_gives_a_traceback_and_exit_code_1(files, capsys, monkeypatch):
    # Only an error of the program itself (here: an update that crashes) may print a traceback.
    d = files[0]

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("rkeraslosses.cli.Evaluator.update_chunk", crash)
    code, out, err = run(capsys, "--y-true", d / "y.npy", "--y-pred", d / "p.npy", "--loss", "mse")
    assert code == 1 and out == ""
    assert "Traceback" in err and "RuntimeError: boom" in err and "bug in rkeraslosses" in err


@pytest.mark.parametrize("rows,batch_size", [(32, None), (96, 32), (70, 7)])
@pytest.mark.parametrize("ending", ["\n", "\n\n", "\r\n\r\n"])
def test_csv_ending_in_empty_lines_at_a_batch_multiple(tmp_path, capsys, rows, batch_size, ending):
    # issue 14: 96 or 32 rows and a trailing empty line exited 1 ("object of type 'NoneType' has no len()").
    rng = np.random.default_rng(1)
    y, p = rng.uniform(size=(rows, 2)), rng.uniform(size=(rows, 2))
    for name, a in (("y", y), ("p", p)):
        text = "\n".join(",".join(repr(float(v)) for v in row) for row in a)
        (tmp_path / f"{name}.csv").write_text(text + ending, newline="")
    np.save(tmp_path / "p.npy", p)
    expected = evaluate(y, p, loss="mse", batch_size=batch_size)["loss"]
    for y_pred in ("p.csv", "p.npy"):  # against a file without the empty line, too
        args = ["--y-true", tmp_path / "y.csv", "--y-pred", tmp_path / y_pred, "--loss", "mse", "--format", "json"]
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # NumPy's "input contained no data" came first
            code, out, err = run(capsys, *args, *(["--batch-size", batch_size] if batch_size else []))
        assert code == 0 and err == ""
        assert json.loads(out)["loss"] == pytest.approx(expected, rel=1e-6)


def test_csv_empty_lines_inside_are_skipped_and_positions_are_the_files_own(tmp_path, capsys):
    y = np.arange(60, dtype=float).reshape(30, 2) / 60
    lines = ["a,b"] + [f"{float(r[0])!r},{float(r[1])!r}" for r in y]
    lines.insert(10, "")  # an empty line: skipped, but it still counts as a line of the file
    (tmp_path / "y.csv").write_text("\n".join(lines) + "\n")
    code, out, err = run(capsys, "--y-true", tmp_path / "y.csv", "--y-pred", tmp_path / "y.csv", "--loss", "mae", "--batch-size", 4)
    assert code == 0 and table(out)["loss"] == 0.0
    # A bad cell on the file's line 40 (with a header and one empty line before it), column 3, in the
    # batch starting at line 33: the message names line 40 and column 3, not the batch's first line.
    rows = [[0.5, 0.25, 0.125]] * 50
    lines = ["x,y,z"] + [",".join(map(str, r)) for r in rows]
    lines.insert(5, "")
    lines[39] = "0.5,0.25,oops"
    (tmp_path / "bad.csv").write_text("\n".join(lines) + "\n")
    code, out, err = run(capsys, "--y-true", tmp_path / "bad.csv", "--y-pred", tmp_path / "bad.csv", "--loss", "mae", "--batch-size", 8)
    assert code == 2 and "bad.csv, line 40, column 3: 'oops' is not a number" in err
    lines[39] = "0.5,0.25"
    (tmp_path / "bad.csv").write_text("\n".join(lines) + "\n")
    code, out, err = run(capsys, "--y-true", tmp_path / "bad.csv", "--y-pred", tmp_path / "bad.csv", "--loss", "mae", "--batch-size", 8)
    assert code == 2 and "bad.csv, line 40: 2 columns, but line 2 has 3" in err
    # A row of another width in a later batch than the first: still the file's line.
    lines[39] = "0.5,0.25,0.125"
    lines[45] = "0.5,0.25,0.125,1"
    (tmp_path / "bad.csv").write_text("\n".join(lines) + "\n")
    code, out, err = run(capsys, "--y-true", tmp_path / "bad.csv", "--y-pred", tmp_path / "bad.csv", "--loss", "mae", "--batch-size", 16)
    assert code == 2 and "bad.csv, line 46: 4 columns, but line 2 has 3" in err


def test_header_auto_yes_no(tmp_path, capsys):
    rng = np.random.default_rng(2)
    y, p = rng.uniform(size=(40, 3)), rng.uniform(size=(40, 3))
    np.save(tmp_path / "p.npy", p)
    body = "\n".join(",".join(repr(float(v)) for v in row) for row in y) + "\n"
    (tmp_path / "named.csv").write_text("a,b,c\n" + body)
    (tmp_path / "numbered.csv").write_text("0,1,2\n" + body)  # what pandas writes for integer column names
    (tmp_path / "plain.csv").write_text(body)
    expected = evaluate(y, p, loss="mse")["loss"]

    def loss(name, *header):
        code, out, err = run(capsys, "--y-true", tmp_path / name, "--y-pred", tmp_path / "p.npy", "--loss", "mse", *header)
        return code, out, err

    code, out, _ = loss("named.csv")  # auto: a first line that is not numbers is a header
    assert code == 0 and table(out)["loss"] == pytest.approx(expected, rel=1e-6)
    assert "# --y-true: line 1 of" in out and "named.csv was read as a header and skipped: a,b,c" in out
    code, out, err = loss("numbered.csv")  # auto: a numeric first line is data: 41 rows against 40
    assert code == 2 and "different numbers of rows" in err
    code, out, _ = loss("numbered.csv", "--header", "yes")
    assert code == 0 and table(out)["loss"] == pytest.approx(expected, rel=1e-6) and "skipped: 0,1,2" in out
    code, out, err = loss("named.csv", "--header", "no")
    assert code == 2 and "named.csv, line 1, column 1: 'a' is not a number" in err
    code, out, _ = loss("plain.csv", "--header", "no")
    assert code == 0 and table(out)["loss"] == pytest.approx(expected, rel=1e-6) and "#" not in out
    code, out, _ = loss("plain.csv", "--format", "json")  # JSON stays one object: no note
    assert code == 0 and set(json.loads(out)) == {"loss"}


def _strict_json(text):
    def reject(constant):
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=reject)


def test_json_writes_nan_and_infinity_as_null(tmp_path, capsys):
    # NaN in the data propagates to the loss; strict JSON has no NaN, so it is written as null.
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    p = np.array([[np.nan, 1.0], [1.0, 0.0]])
    np.save(tmp_path / "y.npy", y)
    np.save(tmp_path / "p.npy", p)
    code, out, _ = run(capsys, "--y-true", tmp_path / "y.npy", "--y-pred", tmp_path / "p.npy", "--loss", "mse", "--metrics", "accuracy", "--format", "json")
    assert code == 0
    result = _strict_json(out)
    assert result["loss"] is None and result["accuracy"] == pytest.approx(evaluate(y, p, loss="mse", metrics=["accuracy"])["accuracy"])
    from rkeraslosses.cli import format_json

    assert _strict_json(format_json({"a": float("inf"), "b": -float("inf"), "c": 1.5})) == {"a": None, "b": None, "c": 1.5}


def test_readme_documents_what_help_says():
    from pathlib import Path

    from rkeraslosses.cli import parser

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    evaluate_parser = parser()._subparsers._group_actions[0].choices["evaluate"]
    options = [o for action in evaluate_parser._actions for o in action.option_strings if o.startswith("--") and o != "--help"]
    assert len(options) >= 11
    missing = [o for o in options if f"`{o}" not in readme]
    assert not missing, f"README.md does not document {missing}"
    for phrase in ["--header auto", ".txt", "FILE.npz` with one array", "FILE.parquet:COL,COL", '".[parquet]"', "null", "exit code 2", "faster"]:
        assert phrase in readme, phrase


@pytest.fixture
def parquet_files(tmp_path):
    pa = pytest.importorskip("pyarrow", reason="pyarrow is the optional extra rkeraslosses[parquet]; the NumPy 2 environment has it")
    import pyarrow.parquet as pq

    rng = np.random.default_rng(3)
    n = 75
    labels = rng.integers(0, 3, n)
    p = rng.uniform(0.01, 1, (n, 3))
    p /= p.sum(axis=1, keepdims=True)
    w = rng.uniform(0, 2, n)
    table_ = pa.table({"label": labels, "p0": p[:, 0], "p1": p[:, 1], "p2": p[:, 2], "w": w,
                       "probs": pa.array(list(p), type=pa.list_(pa.float64())),
                       "fixed": pa.FixedSizeListArray.from_arrays(pa.array(p.ravel()), 3), "name": [f"s{i}" for i in range(n)]})
    # Row groups of 10 rows: pyarrow's batches end at them, the command line's must not.
    pq.write_table(table_, tmp_path / "preds.parquet", row_group_size=10)
    pq.write_table(pa.table({"p0": p[:, 0], "p1": p[:, 1], "p2": p[:, 2]}), tmp_path / "p_only.parquet", row_group_size=7)
    np.save(tmp_path / "p.npy", p)
    return tmp_path, labels, p, w


def test_parquet_columns_all_columns_and_list_columns(parquet_files, capsys):
    d, labels, p, w = parquet_files
    f = d / "preds.parquet"
    expected = evaluate(labels, p, loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"], sample_weight=w, batch_size=16)
    for y_pred in (f"{f}:p0,p1,p2", f"{f}:probs", f"{f}:fixed", d / "p_only.parquet", d / "p.npy"):
        code, out, err = run(capsys, "--y-true", f"{f}:label", "--y-pred", y_pred, "--sample-weight", f"{f}:w",
                             "--loss", "sparse_categorical_crossentropy", "--metrics", "sparse_categorical_accuracy", "--batch-size", 16, "--format", "json")
        assert code == 0 and err == "", (y_pred, err)
        assert json.loads(out) == pytest.approx(expected, rel=1e-6), y_pred


@pytest.mark.parametrize(
    "spec,message",
    [
        ("{d}/preds.parquet:p0,nope", "has no column 'nope'; it has label, p0"),
        ("{d}/preds.parquet:name", "column 'name' of"),
        ("{d}/preds.parquet", "column 'name' of"),  # every column, one of them text
    ],
)
def test_parquet_bad_columns(parquet_files, capsys, spec, message):
    d = parquet_files[0]
    code, out, err = run(capsys, "--y-true", spec.format(d=d), "--y-pred", d / "p.npy", "--loss", "mse")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_parquet_without_pyarrow_names_the_extra(tmp_path):
    # A Python where pyarrow cannot be imported (sys.modules[name] = None makes `import` fail).
    (tmp_path / "p.parquet").write_bytes(b"PAR1 not really")
    np.save(tmp_path / "y.npy", np.zeros((3, 1)))
    code = ("import sys; sys.modules['pyarrow'] = None; sys.modules['pyarrow.parquet'] = None\n"
            "from rkeraslosses.cli import main\n"
            f"sys.exit(main(['evaluate', '--y-true', {str(tmp_path / 'y.npy')!r}, '--y-pred', {str(tmp_path / 'p.parquet')!r}, '--loss', 'mse']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("rkeraslosses: error: --y-pred: reading Parquet (" + str(tmp_path / "p.parquet")
                             + ') needs pyarrow, an optional extra: pip install "rkeraslosses[parquet]"\n')


def _run_on_a_terminal(argv):
    """Run the command line with stderr on a pseudo-terminal; (exit code, stdout, what the terminal got)."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    # A new pseudo-terminal is 0 columns wide, and tqdm draws nothing on it: make it 80x24.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    with subprocess.Popen([sys.executable, "-m", "rkeraslosses", *argv], stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL) as proc:
        os.close(slave)
        received = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
        out = proc.stdout.read().decode()
        proc.wait(timeout=60)
    os.close(master)
    return proc.returncode, out, received.decode(errors="replace")


def test_progress_bar_on_a_terminal(files):
    pytest.importorskip("tqdm", reason="tqdm is the optional extra rkeraslosses[progress]; the NumPy 2 environment has it")
    d = files[0]
    argv = ["evaluate", "--y-true", str(d / "y.npy"), "--y-pred", str(d / "p.npy"), "--loss", "mse", "--batch-size", "10", "--format", "json"]
    code, out, terminal = _run_on_a_terminal(argv)
    assert code == 0 and set(json.loads(out)) == {"loss"}
    assert "0/7" in terminal and "batch" in terminal  # 70 rows in batches of 10: tqdm's bar, drawn on the terminal
    code, out, terminal = _run_on_a_terminal([*argv, "--no-progress"])
    assert code == 0 and terminal == ""


def test_threads_option_gives_the_same_numbers_and_restores_the_setting(tmp_path, capsys):
    """--threads 1 and --threads 3 over a file of several blocks: the same JSON
    (every number the same bits), and the process's setting is back after."""
    import rkeraslosses as rk
    from rkeraslosses.losses._rowwise import BLOCK_ELEMENTS

    rng = np.random.default_rng(4)
    rows = 3 * BLOCK_ELEMENTS // 10 + 11
    np.save(tmp_path / "y.npy", rng.integers(0, 10, rows))
    np.save(tmp_path / "p.npy", rng.normal(size=(rows, 10)).astype(np.float32))
    before = rk.get_num_threads()
    outputs = []
    for threads in (1, 3):
        code, out, err = run(capsys, "--y-true", tmp_path / "y.npy", "--y-pred", tmp_path / "p.npy", "--loss", "sparse_categorical_crossentropy",
                             "--from-logits", "--metrics", "sparse_categorical_accuracy", "--batch-size", 1000, "--threads", threads, "--format", "json")
        assert code == 0 and err == ""
        outputs.append(out)
        assert rk.get_num_threads() == before
    assert outputs[0] == outputs[1]
    code, _, err = run(capsys, "--y-true", tmp_path / "y.npy", "--y-pred", tmp_path / "p.npy", "--loss", "mse", "--threads", 0)
    assert code == 2 and "--threads must be at least 1" in err
