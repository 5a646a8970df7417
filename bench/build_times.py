"""Build times of the portal on a generated site: cold, warm, and warm after one edit.

    .venv/bin/python bench/build_times.py                          # N = 1,000, 5,000, 10,000; 3 rounds
    .venv/bin/python bench/build_times.py --items 50 200 --rounds 1    # a quick check that it works

For each N, corpus.py writes the real portal plus N bilingual news items (2N
files) once. Each round then copies that site to a fresh folder and runs
`build.py build` there, as an editor would, seven times in a row:

  cold           a fresh copy: no output folder, nothing left by an earlier build
  warm           the same again, nothing changed (the build finds it has nothing to do: uptodate.py)
  touched        after saving one news item again unchanged: every file is read, modelled and
                 checked again, every page judged against the build cache (none is rendered)
  news edited    after adding a paragraph to one news item (the middle one, Swedish)
  data edited    after changing a label in data/staffing.yaml
  template edited after adding an attribute to templates/partials/footer.html (every page)
  warm again     nothing changed since the template edit

Each build is a separate `python build.py build --out _site --now 2026-11-30`
process (`--no-search` added with --no-search) (the engine in this repository, the Python running this script); "cold"
does not empty the operating system's file cache (that needs root and disturbs
everything else on the machine). Per build it prints wall time (process start
to exit), pages per second (HTML pages the build reports, over the wall time),
the peak memory of all the build's processes together (measure.py: /proc
sampled every 20 ms, PSS summed over the process tree), and Pagefind apart:
its time as the build reports it ("search index: X s") and the peak memory
of its processes; "build w/o Pagefind" is the peak of the others. The
figure is the median of the rounds (--rounds, default 3). Every table carries
the machine, the date and the load average, since a busy machine makes every
figure slower.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NOW = "2026-11-30"  # the build's date: the same published set on every run
SCENARIOS = ["cold", "warm", "touched", "news edited", "data edited", "template edited", "warm again"]


def edit(site: Path, scenario: str, items: list, round_no: int) -> None:
    """Make the one change `scenario` names. A change that does not apply stops the benchmark."""
    if scenario == "touched":
        item = items[len(items) // 3]
        path = site / "content" / "news" / f"{item.stem}.sv.md"
        path.write_bytes(path.read_bytes())
    if scenario == "news edited":
        item = items[len(items) // 2]
        path = site / "content" / "news" / f"{item.stem}.sv.md"
        path.write_text(
            path.read_text(encoding="utf-8") + f"\nEtt nytt stycke, tillagt i omgång {round_no}.\n", encoding="utf-8"
        )
    elif scenario == "data edited":
        _replace(
            site / "data" / "staffing.yaml",
            "sv: Tjänster på enheten totalt",
            f"sv: Tjänster på enheten totalt (omgång {round_no})",
        )
    elif scenario == "template edited":
        _replace(
            site / "templates" / "partials" / "footer.html",
            '<footer class="site-footer">',
            f'<footer class="site-footer" data-bench="{round_no}">',
        )


# Where each edit must show after its build: (output file, text). A build that
# does not show the edit would be timed for work it skipped.
def shown(scenario: str, items: list, round_no: int):
    if scenario == "news edited":
        return f"nyheter/{items[len(items) // 2].sv.slug}/index.html", f"tillagt i omgång {round_no}"
    if scenario == "data edited":
        return "enheten/index.html", f"(omgång {round_no})"
    if scenario == "template edited":
        return "index.html", f'data-bench="{round_no}"'
    return None


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"build_times.py: cannot make the edit: '{old}' is no longer in {path.name}; update edit()")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(site: Path, python: str, search: bool = True) -> dict:
    command = [python, str(REPO / "build.py"), "build", "--out", "_site", "--now", NOW]
    r = measure.run(command + ([] if search else ["--no-search"]), cwd=site, tag="pagefind")
    if r.returncode != 0:
        raise SystemExit(f"build.py failed in {site} (exit {r.returncode}):\n{r.stderr[-3000:]}")
    pages = re.search(r"(?:Built |up to date \()(\d+) pages", r.stdout)
    search = re.search(r"search index: ([\d.]+) s", r.stdout)
    return {
        "wall": r.wall,
        "pages": int(pages.group(1)) if pages else 0,
        "rss": r.peak_memory,
        "rss_build": r.peak_memory_untagged,
        "search_s": float(search.group(1)) if search else r.tagged_seconds,
        "search_rss": r.peak_memory_tagged,
        "single": r.max_single_rss,
    }


def median(rows: list, key: str) -> float:
    return statistics.median(row[key] for row in rows)


def table(count: int, results: dict, rounds: int, stamp: str) -> str:
    lines = [
        f"### N = {count:,} news items ({2 * count:,} files on top of the portal)",
        "",
        f"Medians of {rounds} round(s). {stamp}",
        "",
        "| build | wall (s) | pages | pages/s | peak memory, all processes (MB) | build w/o Pagefind (MB) "
        "| Pagefind (s) | Pagefind peak memory (MB) | largest single process, RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in SCENARIOS:
        rows = results[scenario]
        wall, pages = median(rows, "wall"), median(rows, "pages")
        lines.append(
            f"| {scenario} | {wall:.2f} | {pages:,.0f} | {pages / wall:,.0f} | {measure.mb(median(rows, 'rss'))} "
            f"| {measure.mb(median(rows, 'rss_build'))} | {median(rows, 'search_s'):.2f} "
            f"| {measure.mb(median(rows, 'search_rss'))} | {measure.mb(median(rows, 'single'))} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    p = measure.parser(
        __doc__,
        [1000, 5000, 10000],
        "sizes N: news items, each a Swedish and an English file (default: 1000 5000 10000)",
    )
    p.add_argument("--python", default=sys.executable, help="the Python that runs build.py (default: this one)")
    p.add_argument(
        "--keep", type=Path, help="make the sites in this folder and keep them (default: a temporary folder)"
    )
    p.add_argument("--seed", default="portal-bench", help="corpus seed (default: portal-bench)")
    p.add_argument("--no-search", action="store_true", help="build without the search index (build --no-search)")
    args = p.parse_args(argv)

    stamp = f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {measure.machine()}; {measure.load_note()}."
    print(f"# Portal build times{' (build --no-search)' if args.no_search else ''}\n\n{stamp}\n")
    work = args.keep or Path(tempfile.mkdtemp(prefix="portal-bench-"))
    try:
        for count in args.items:
            pristine = work / f"site-{count}"
            if pristine.exists():
                shutil.rmtree(pristine)
            items = corpus.make(pristine, count, args.seed)
            results = {s: [] for s in SCENARIOS}
            for round_no in range(1, args.rounds + 1):
                site = work / f"run-{count}"
                shutil.rmtree(site, ignore_errors=True)
                shutil.copytree(pristine, site)
                for scenario in SCENARIOS:
                    edit(site, scenario, items, round_no)
                    results[scenario].append(build(site, args.python, not args.no_search))
                    expected = shown(scenario, items, round_no)
                    if expected and expected[1] not in (site / "_site" / expected[0]).read_text(encoding="utf-8"):
                        raise SystemExit(
                            f"build_times.py: after '{scenario}', _site/{expected[0]} does not show the edit"
                        )
                    row = results[scenario][-1]
                    print(f"  N={count} round {round_no} {scenario}: {row['wall']:.2f} s", file=sys.stderr)
                shutil.rmtree(site)
            stamp_now = (
                f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {measure.machine()}; "
                f"{measure.load_note().replace('at the start', 'at the end')}."
            )
            print(table(count, results, args.rounds, stamp_now) + "\n", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
