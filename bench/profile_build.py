"""Where a portal build spends its time: cProfile over one build of a generated site.

    .venv/bin/python bench/profile_build.py --items 1000            # summary as markdown
    .venv/bin/python bench/profile_build.py --items 1000 --save build.prof   # also the raw profile

Generates the site with corpus.py, then runs the pipeline (load → model →
render → write, Pagefind included) in this process under cProfile, and prints:
the build's own stage timings, the time spent in each package or portal module
(own time, summed: where the CPU went), and the functions with the most own
and cumulative time. cProfile slows Python code down by roughly 1.5–2×, more
for many small calls, so read the shares, not the seconds. Pagefind runs as a
child process: here it shows only as the time spent waiting for it. The raw
profile (--save) opens with `python -m pstats FILE` or snakeviz.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from portal import pipeline  # noqa: E402


def group(filename: str, name: str) -> str:
    """portal.<module>, a third-party package, the standard library, or Python's built-ins."""
    if filename == "~":  # C code: <method 'poll' of 'select.poll' objects>, <built-in method nh3.nh3.clean>
        found = re.match(r"<method '\w+' of '([\w.]+)' objects>", name) or re.match(r"<built-in method ([\w.]+)", name)
        owner = found.group(1).split(".")[0] if found else "?"
        return {
            "select": "waiting for a child process (Pagefind)",
            "builtins": "built-ins (isinstance, len, …)",
            "re": "re (C)",
            "str": "str methods",
        }.get(owner, f"{owner} (C)")
    path = Path(filename)
    if "portal" in path.parts and path.parent.name == "portal":
        return f"portal.{path.stem}"
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0].lstrip("_")
    package = path.parent.name
    return f"stdlib ({path.stem})" if package.startswith("python3") else f"stdlib ({package}.{path.stem})"


def summarise(stats: pstats.Stats, top: int) -> str:
    by_group = defaultdict(float)
    total = 0.0
    for (filename, _line, name), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        by_group[group(filename, name)] += tt
        total += tt
    lines = ["| where (own time) | seconds | share |", "|---|---:|---:|"]
    for where, seconds in sorted(by_group.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"| {where} | {seconds:.2f} | {seconds / total:.0%} |")
    lines += ["", "| function (most own time) | calls | own s | cumulative s |", "|---|---:|---:|---:|"]
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in rows:
        where = f"{Path(filename).name}:{line}" if filename != "~" else "built-in"
        lines.append(f"| `{name}` ({where}) | {nc:,} | {tt:.2f} | {ct:.2f} |")
    lines += ["", "| function (most cumulative time, portal code) | calls | cumulative s |", "|---|---:|---:|"]
    own = [kv for kv in stats.stats.items() if group(kv[0][0], kv[0][2]).startswith("portal.")]
    for (filename, line, name), (_cc, nc, _tt, ct, _callers) in sorted(own, key=lambda kv: -kv[1][3])[:top]:
        lines.append(f"| `{Path(filename).stem}.{name}` (line {line}) | {nc:,} | {ct:.2f} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    p = measure.parser(__doc__)
    p.add_argument("--items", type=int, default=1000, help="news items in the generated site (default 1000)")
    p.add_argument("--top", type=int, default=15, help="rows per table (default 15)")
    p.add_argument("--save", type=Path, help="also write the raw cProfile data here")
    p.add_argument("--seed", default="portal-bench")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="portal-profile-") as tmp:
        site = Path(tmp) / "site"
        corpus.make(site, args.items, args.seed)
        options = pipeline.Options(root=site, out=Path(tmp) / "_site", now=dt.date(2026, 11, 30))
        profiler = cProfile.Profile()
        profiler.enable()
        result = pipeline.build(options)
        profiler.disable()
        if result.problems.errors:
            raise SystemExit("the build failed:\n" + "\n".join(map(str, result.problems.sorted()[:20])))
        if args.save:
            profiler.dump_stats(args.save)
        pages = sum(1 for o in result.outputs if o.path.endswith(".html"))
        print(f"# Profile of one build: {args.items:,} items, {pages:,} pages\n")
        print(
            f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {measure.machine()}; "
            f"{measure.load_note()}. cProfile on: shares matter, not seconds.\n"
        )
        print("| stage (the build's own timings) | seconds |\n|---|---:|")
        for stage, seconds in result.timings.items():
            print(f"| {stage} | {seconds:.2f} |")
        print()
        print(summarise(pstats.Stats(profiler), args.top))


if __name__ == "__main__":
    main()
