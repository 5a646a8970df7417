"""Where a `serve` rebuild after one save spends its time, stage by stage, in one process.

    .venv/bin/python bench/serve_stages.py --items 5000        # corpus.py's site, made in a temporary folder
    .venv/bin/python bench/serve_stages.py --site DIR           # a site already made (corpus.py DIR)

Builds the site once as `serve` does (incremental.Builder, the preview's address, drafts),
then appends a line to one Swedish news item's text and rebuilds, --rounds times, with
Python's collector off during each rebuild as `serve` has it. Prints each rebuild's wall time
and the time spent in each stage (the functions timed are wrapped; they may nest: `make`
holds `site.build`, `likely_stale` holds `environment`). The save's page shown first
(`_saved_first`) is not asked for here: no browser is open. The file is restored at the end.
"""

from __future__ import annotations

import argparse
import collections
import functools
import gc
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from portal import pipeline  # noqa: E402
from portal.load import sources as load  # noqa: E402
from portal.model import site as model  # noqa: E402
from portal.model import sites  # noqa: E402
from portal.outputs import assets, registry  # noqa: E402
from portal.preview import incremental  # noqa: E402
from portal.render import cache  # noqa: E402
from portal.render import pages as render  # noqa: E402

SPENT = collections.defaultdict(float)
STAGES = [
    (load, "load", "load"),
    (sites, "make", "make"),
    (model, "build", "site.build"),
    (cache.PageCache, "environment", "environment"),
    (cache.PageCache, "likely_stale", "likely_stale"),
    (registry, "site_files", "site_files"),
    (render, "render", "render"),
    (assets, "fingerprint", "asset names"),
    (pipeline, "check_links", "links"),
]


def timed(owner, name: str, label: str) -> None:
    real = getattr(owner, name)

    @functools.wraps(real)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            SPENT[label] += time.perf_counter() - started

    setattr(owner, name, wrapper)


def measure(root: Path, rounds: int) -> None:
    for owner, name, label in STAGES:
        timed(owner, name, label)
    options = pipeline.Options(
        root=root, out=root / "_serve", base_url="http://127.0.0.1:8000/", drafts=True, jobs=os.cpu_count() or 1
    )
    builder = incremental.Builder(options)
    started = time.perf_counter()
    first = builder.build()
    print(f"first build: {time.perf_counter() - started:.1f} s, {first.pages} pages")
    item = sorted((root / "content/news").glob("*.sv.md"))[0]
    original = item.read_text(encoding="utf-8")
    try:
        for n in range(rounds):
            item.write_text(original + f"\nÄndring {n}.\n", encoding="utf-8")
            SPENT.clear()
            gc.disable()
            started = time.perf_counter()
            result = builder.build()
            took = time.perf_counter() - started
            gc.enable()
            started = time.perf_counter()
            gc.collect()  # as serve's idle work does, once the saves pause
            collected = time.perf_counter() - started
            stages = ", ".join(f"{label} {SPENT[label]:.2f}" for _o, _n, label in STAGES if label in SPENT)
            print(f"rebuild {n + 1}: {took:.2f} s, {len(result.rendered)} pages rendered; {stages}")
            print(f"  then the collector, as serve's idle work runs it: {collected:.2f} s")
    finally:
        item.write_text(original, encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--items", type=int, default=1000, help="corpus.py's site of this many items (default 1000)")
    p.add_argument("--site", type=Path, help="a site made already (corpus.py DIR) instead")
    p.add_argument("--rounds", type=int, default=4)
    args = p.parse_args()
    print(
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f}"
    )
    if args.site:
        measure(args.site.resolve(), args.rounds)
        return
    import corpus

    with tempfile.TemporaryDirectory(prefix="serve-stages-") as tmp:
        root = Path(tmp) / "site"
        corpus.make(root, args.items)
        # Files written just now are read again by every load (load.STABLE_NS): as an editor's
        # site, whose files are older, the corpus is dated back.
        back = time.time() - 3600
        for path in root.rglob("*"):
            os.utime(path, (back, back), follow_symlinks=False)
        time.sleep(load.STABLE_NS / 1e9)  # their change time is now: let it age past the rule
        measure(root, args.rounds)


if __name__ == "__main__":
    main()
