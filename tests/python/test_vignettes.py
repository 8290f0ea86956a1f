"""Every example of the vignettes, from both languages, with the vignettes' own assertions.

Python chunks run here in plain Python (no reticulate), R chunks through rpy2,
each vignette's chunks in order in one namespace. A new chunk or vignette is
picked up without any change here.
"""

import re
from pathlib import Path

import pytest

VIGNETTES = sorted((Path(__file__).resolve().parents[2] / "vignettes").glob("*.Rmd"))
CHUNK = re.compile(r"^```\{(python|r)([^}]*)\}\n(.*?)^```", re.S | re.M)


def chunks(path: Path, language: str) -> list[str]:
    found = []
    for lang, options, code in CHUNK.findall(path.read_text()):
        if lang == language and not re.search(r"eval\s*=\s*FALSE", options):
            found.append(code)
    return found


def test_every_vignette_has_both_languages():
    assert len(VIGNETTES) >= 3
    for path in VIGNETTES:
        assert chunks(path, "python") and chunks(path, "r"), path.name


@pytest.mark.parametrize("path", VIGNETTES, ids=[p.stem for p in VIGNETTES])
def test_python_chunks(path):
    namespace: dict = {"__name__": f"vignette_{path.stem}"}
    for i, code in enumerate(chunks(path, "python")):
        exec(compile(code, f"{path.name} [python chunk {i + 1}]", "exec"), namespace)


@pytest.mark.r
@pytest.mark.parametrize("path", VIGNETTES, ids=[p.stem for p in VIGNETTES])
def test_r_chunks(r, path):
    import rpy2.robjects as ro

    env = r("new.env()")
    for i, code in enumerate(chunks(path, "r")):
        try:
            r["eval"](r["parse"](text=ro.StrVector([code])), envir=env)
        except Exception as err:  # rpy2's RRuntimeError
            raise AssertionError(f"{path.name}, R chunk {i + 1} failed: {err}\n{code}") from None
