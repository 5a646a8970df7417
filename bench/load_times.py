"""What loading a site costs, with and without the front matters parsed before (load/parsed.py).

    .venv/bin/python bench/load_times.py --items 5000          # a generated site (corpus.py)
    .venv/bin/python bench/load_times.py --site /path/to/site  # an existing one (its .cache/parsed.json is replaced)

Loads the site as a build's process apart does (`load.load`, the collector off), in three
ways taken in turn, round after round, and prints the median of each:

- **parsing every file**: no `.cache/parsed.json` to read or write (`build --no-cache`, and
  every load before the file was kept);
- **parsing and keeping**: a cold build's load, which writes the file for the next;
- **from what was kept**: a warm build's load when no content file changed.

Each is timed in this one process, so it says what the load stage costs, not what a whole
build does (build_times.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from portal import caches, pipeline  # noqa: E402
from portal.load import parsed  # noqa: E402
from portal.load import sources as load  # noqa: E402


def timed(site: Path, kept: Path | None, fresh: bool) -> float:
    if fresh and kept is not None:
        kept.unlink(missing_ok=True)
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        with caches.at_most(pipeline.ONCE_CACHES):
            known = None if kept is None else parsed.Parsed(kept)
            _, problems = load.load(site, parsed=known)
            if known is not None:  # as a build that succeeds keeps it (pipeline._build)
                parsed.put_in_place(known.write())
        took = time.perf_counter() - started
    finally:
        gc.enable()
    assert not problems.errors, problems.sorted()[:3]
    return took


def compare(site: Path, rounds: int) -> None:
    kept = site / ".cache" / parsed.NAME
    ways = {
        "parsing every file": lambda: timed(site, None, False),
        "parsing and keeping (cold)": lambda: timed(site, kept, True),
        "from what was kept (warm)": lambda: timed(site, kept, False),
    }
    times = {name: [] for name in ways}
    for _ in range(rounds):
        for name, way in ways.items():  # the warm way follows the cold one, which kept the file
            times[name].append(way())
    files = len(list((site / "content").rglob("*.md")))
    print(f"# Loading {files:,} content files\n")
    print(f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {measure.machine()}; {measure.load_note()}.\n")
    print(f"| load | median of {rounds} | each |\n|---|---:|---|")
    for name, found in times.items():
        each = ", ".join(f"{t:.2f}" for t in found)
        print(f"| {name} | {statistics.median(found):.2f} s | {each} |")
    print(f"\n`.cache/{parsed.NAME}`: {kept.stat().st_size / 1e6:.1f} MB")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus.site_arguments(p, "load")
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args(argv)
    with corpus.site(args.site, args.items, args.seed) as site:
        compare(site, args.rounds)


if __name__ == "__main__":
    main()
