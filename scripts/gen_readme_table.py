"""Write the README's table of every loss and metric from the registry.

    python scripts/gen_readme_table.py          # rewrite README.md in place
    python scripts/gen_readme_table.py --check  # exit 1 if README.md is out of date

The table sits between the markers ``<!-- registry-table:start -->`` and
``<!-- registry-table:end -->``; tests/python/test_registry.py checks it is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

START, END = "<!-- registry-table:start -->", "<!-- registry-table:end -->"
README = Path(__file__).resolve().parents[1] / "README.md"


def table() -> str:
    from rkeraslosses import registry

    rows = ["| R and Python (`rk.`) | Keras 3 (`rkeraslosses.losses` / `.metrics`) | other names `get` accepts |", "|---|---|---|"]
    for kind, module in (("loss", "losses"), ("metric", "metrics")):
        for e in registry.entries(kind):
            r = ", ".join(f"`{n}`" for n in e.r_names)
            r += "".join(f" (`{n}`, deprecated)" for n in e.r_deprecated)
            keras = ", ".join(f"`{module}.{x}`" for x in ([e.fn.__name__] if e.fn is not None else []) + ([e.cls.__name__] if e.cls is not None else []))
            extra = ", ".join(f'`"{n}"`' for n in e.aliases + e.legacy)
            if e.family:
                extra = (extra + ", " if extra else "") + f'picked for `"{e.family}"` ({e.labels} labels)'
            rows.append(f"| {r} | {keras} | {extra} |")
    return "\n".join(rows)


def render(text: str) -> str:
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    if not rest:
        raise SystemExit(f"README.md has no {START} marker")
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    text = README.read_text()
    new = render(text)
    if "--check" in argv:
        if new != text:
            print("README.md's table is out of date: run python scripts/gen_readme_table.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
