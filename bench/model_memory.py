"""How much memory the modelled site holds: what a build keeps from load to the end.

    .venv/bin/python bench/model_memory.py --items 5000          # a generated site (corpus.py)
    .venv/bin/python bench/model_memory.py --site /path/to/site  # an existing one

Loads and models the site as `build.py build` does (a build that runs once, its caches
bounded), with tracemalloc on, and prints what is still allocated once the site is made: the
total and the lines of code that allocated most of it. Tracing slows Python down several
times: read the megabytes, not the seconds. What the build's processes hold in all (the model,
the interpreter, the render processes, what the build cache collects) is build_times.py's peak
memory; this is the part that grows with the site's text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from portal import caches, pipeline  # noqa: E402
from portal.problems import Problems  # noqa: E402


def model(site: Path, top: int) -> None:
    options = pipeline.Options(root=site, now=dt.date(2026, 11, 30), once=True)
    tracemalloc.start()
    with caches.at_most(pipeline.ONCE_CACHES):
        made = pipeline.make_site(options, pipeline.Result(Problems()))
    gc.collect()
    snapshot = tracemalloc.take_snapshot()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    stats = snapshot.statistics("lineno")
    pages = len(made.pages) if made is not None else 0
    print(f"# The modelled site: {pages:,} pages\n")
    print(f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {measure.machine()}; {measure.load_note()}.\n")
    print(
        f"Held once the site is made: **{sum(s.size for s in stats) / 1e6:.1f} MB** (peak while loading {peak / 1e6:.1f} MB)\n"
    )
    print("| allocated at | MB | objects |\n|---|---:|---:|")
    for stat in stats[:top]:
        frame = stat.traceback[0]
        where = f"{Path(frame.filename).relative_to(REPO) if frame.filename.startswith(str(REPO)) else Path(frame.filename).name}:{frame.lineno}"
        print(f"| `{where}` | {stat.size / 1e6:.1f} | {stat.count:,} |")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus.site_arguments(p, "model")
    p.add_argument("--top", type=int, default=10, help="rows in the table (default 10)")
    args = p.parse_args(argv)
    with corpus.site(args.site, args.items, args.seed) as site:
        model(site, args.top)


if __name__ == "__main__":
    main()
