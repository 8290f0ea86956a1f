"""The command line: `rkeraslosses evaluate` (and `python -m rkeraslosses evaluate`)."""

import json
import subprocess
import sys

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
    code = main(["evaluate", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


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
    table = dict(line.split() for line in out.strip().splitlines())
    assert float(table["loss"]) == pytest.approx(evaluate(y, p, loss="mse", sample_weight=w, batch_size=9)["loss"], rel=1e-6)
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
        (["--y-true", "{d}/y.npy", "--y-pred", "{d}/junk.csv", "--loss", "mse"], "junk.csv"),
    ],
)
def test_bad_input_is_one_line_and_a_nonzero_exit(files, capsys, args, message):
    d = files[0]
    (d / "bad.json").write_text(json.dumps({"loss": "mse", "colour": "red"}))
    (d / "junk.csv").write_text("1,2,3\n4,five,6\n")
    code, out, err = run(capsys, *[a.format(d=d) for a in args])
    assert code != 0 and out == ""
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
