"""The Python core and the R package are one release: the same version everywhere.

The R package refuses a core of another version at first use (R/core.R,
core_version_problem), so the three places that spell it must agree.
"""

import re
from pathlib import Path

import rkeraslosses

ROOT = Path(__file__).resolve().parents[2]


def test_one_version_in_python_pyproject_and_description():
    pyproject = re.search(r'^version = "(.*)"$', (ROOT / "pyproject.toml").read_text(), flags=re.M).group(1)
    description = re.search(r"^Version: (.*)$", (ROOT / "DESCRIPTION").read_text(), flags=re.M).group(1)
    assert rkeraslosses.__version__ == pyproject == description
