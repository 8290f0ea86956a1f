"""Every code block of the README runs: the Python examples with the outputs they
show, the other Python blocks as scripts, the command lines, and the R block."""

import doctest
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
ROOT = README.parent

# Shell blocks that set up machines (virtual environments, apt-get, R CMD INSTALL) or
# take minutes are not run here; CI runs scripts/test.sh itself. Every other block runs.
SETUP_COMMANDS = ("bash scripts/", "python3 -m pip install", "pip install", "R CMD INSTALL", ".venv/np2/bin/python benchmarks/", "RETICULATE_PYTHON=")


def blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_python_examples():
    examples = "\n\n".join(b for b in blocks("python") if ">>>" in b)
    assert examples.count(">>>") >= 10
    test = doctest.DocTestParser().get_doctest(examples, {}, "README", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0


def test_readme_python_scripts_and_command_lines(tmp_path, monkeypatch):
    """Each Python block without '>>>' runs on its own (as a user would paste it), in order,
    in one working folder; then every command line runs there and succeeds."""
    monkeypatch.chdir(tmp_path)
    scripts = [b for b in blocks("python") if ">>>" not in b]
    assert len(scripts) >= 2
    for script in scripts:
        exec(compile(script, str(README), "exec"), {"__name__": "__readme__"})
    commands = []
    for block in blocks("bash"):
        lines = [line.split("  #")[0].strip() for line in block.strip().splitlines()]
        if all(line.startswith(SETUP_COMMANDS) for line in lines):
            continue
        commands += lines
    assert len(commands) >= 3
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    for command in commands:
        argv = shlex.split(command)
        if argv[0] == "rkeraslosses":
            argv = [sys.executable, "-m", "rkeraslosses", *argv[1:]]
        elif argv[:3] == ["python", "-m", "rkeraslosses"]:
            argv = [sys.executable, *argv[1:]]
        else:
            pytest.fail(f"a README shell command neither runs here nor is a known setup command: {command}")
        result = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path)
        assert result.returncode == 0 and result.stderr == "", (command, result.stderr)
        assert result.stdout.strip(), command


@pytest.mark.r
def test_readme_r_block_prints_what_it_shows(r, tmp_path):
    """The R block of examples, run by Rscript, prints exactly its '#>' lines (the other
    R block installs the Python core: a setup step, like the shell's)."""
    examples = [b for b in blocks("r") if "install_rkeraslosses" not in b]
    assert len(examples) == 1 and len(blocks("r")) == 2
    (block,) = examples
    code = "\n".join(line for line in block.splitlines() if not line.startswith("#>"))
    shown = [line[3:] for line in block.splitlines() if line.startswith("#>")]
    (tmp_path / "readme.R").write_text(code)
    runner = "source('readme.R', echo = FALSE, print.eval = TRUE)"
    env = {**os.environ, "RETICULATE_PYTHON": os.environ.get("RETICULATE_PYTHON", sys.executable)}
    result = subprocess.run(["Rscript", "-e", runner], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert [line.rstrip() for line in result.stdout.splitlines()] == shown  # R pads named vectors
