"""How fast, and in how little memory, hostile input is refused.

`python bench/hostile_input.py` prints, for each input, the wall time and the
peak memory Python allocated while refusing it (tracemalloc). The figures in
the "Safety" section of docs/architecture.md come from this script.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.load import sources as load
from portal.load import yamlnodes
from portal.problems import Problems  # noqa: E402
from portal.render import markup  # noqa: E402

ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


def measure(label, fn):
    tracemalloc.start()
    began = time.perf_counter()
    try:
        outcome = fn()
    except Exception as exc:  # noqa: BLE001 - the refusal is what we measure
        outcome = str(exc)
    took = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<42} {took * 1000:9.1f} ms {peak / 1e6:8.2f} MB  {str(outcome)[:70]}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        big = root / "stor.sv.md"
        with open(big, "wb") as f:
            f.truncate(50_000_000)
        measure("alias bomb (9 levels of 9 aliases)", lambda: yamlnodes.parse(ALIAS_BOMB))
        measure("YAML nested 10,000 levels", lambda: yamlnodes.parse("a: " + "[" * 10_000 + "]" * 10_000))
        measure("50 MB file", lambda: load.read_text(root, big, Problems()) or "refused")
        measure("markdown: 40,000 '[' (bounded)", lambda: markup.convert("[" * 40_000))
        measure(
            "markdown: lists nested 300 deep", lambda: markup.convert("".join("    " * i + "- x\n" for i in range(300)))
        )
        page = (Path(__file__).resolve().parents[1] / "content/pages/om-samverkan.sv.md").read_text(encoding="utf-8")
        measure("markdown: a real page repeated to 1 MB", lambda: len(markup.convert((page * 400)[:1_000_000])[0]))


if __name__ == "__main__":
    main()
