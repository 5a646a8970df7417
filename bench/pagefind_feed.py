"""Pagefind: how it is fed. Wall time and peak memory of each way of making the same search index.

    .venv/bin/python bench/pagefind_feed.py --items 1000 5000          # make and build the corpus, then measure
    .venv/bin/python bench/pagefind_feed.py --site /tmp/s/_site         # a site already built (its pagefind/ is the reference)
    .venv/bin/python bench/pagefind_feed.py --items 50 --rounds 1       # a quick check that it works

The ways (--ways, default all but `api`, which is slow):

  cli            what the portal ran until this measurement: `python -m pagefind --site SITE
                 --output-path OUT`, one crawl of the whole folder (Pagefind parses the files
                 in parallel, on every core)
  cli-1-thread   the same with RAYON_NUM_THREADS=1: Pagefind parses and indexes on one core
  api            Pagefind's own Python API (`pagefind.index.PagefindIndex`): `add_html_file`
                 with each page's HTML and URL, then `write_files`. Its client waits 0.1 s
                 before reading each answer (Pagefind issue #976), so it costs ~0.1 s a page
  service        the same service the API starts (`pagefind --service`, the same messages:
                 NewIndex, AddFile with the HTML and URL, WriteFiles), driven directly by a
                 small synchronous client that keeps a few pages in flight
  service-body   `service`, given only the pages that mark their content `data-pagefind-body`
                 (Pagefind would parse the others and then drop them)
  per-language   `service-body`, one Pagefind process per language (`<html lang>`), one after
                 the other, into the same folder; the entry files' language lists are merged
  portal         what the portal runs now: `portal.outputs.search.index`, Pagefind's command
                 line once per language over a folder of hard links to that language's
                 marked pages (new folders, which the file system may list in another
                 order than the site's: then "same index" compares what the index holds,
                 see `same_pages`)

Each way runs as its own process (this script with --feed, or Pagefind's command line),
measured by measure.py: wall time, and the peak of PSS summed over the process tree
(Pagefind and, for the fed ways, the Python process feeding it). "Pagefind alone" sums
only the processes whose command line names the Pagefind binary. After each run the
index is steadied as the portal does (portal/outputs/search.py) and compared with the
`cli` index of the same site: "same index" is "bytes" when every file is byte-identical,
"pages" when the index holds the same pages, words (with their positions), filters and
languages with its pages numbered in another order (`same_pages`), "NO" otherwise.
CPU is user + system time of the whole tree (wait4): on a shared machine it moves
less than the wall time does.
The rounds alternate the ways (the order rotated by one each round); medians are shown.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import gzip
import json
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
NOW = "2026-11-30"
WAYS = ["cli", "cli-1-thread", "api", "service", "service-body", "per-language", "portal"]
DEFAULT_WAYS = ["cli", "cli-1-thread", "service", "service-body", "per-language", "portal"]
SIGNATURE = b"pagefind_dcd"  # before the CBOR of each index file
BINARY_TAG = "pagefind_bin"  # the binary's path: .../site-packages/pagefind_bin/pagefind
WINDOW = 8  # pages in flight to the service


def pages(site: Path, body_only: bool) -> list:
    """(url, path, language) of every page, with the URL Pagefind's crawl gives it, in the
    order its crawl finds them (directory order, depth first): fed in that order, the same
    pages give Pagefind's index byte for byte, so "same index" can be checked."""
    out = []

    def walk(folder: str) -> None:
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path)
            elif entry.name.endswith(".html"):
                path = Path(entry.path)
                rel = path.relative_to(site).as_posix()
                if rel.startswith("pagefind/"):
                    continue
                with open(path, encoding="utf-8") as f:
                    head = f.read(4096)
                    if body_only and "data-pagefind-body" not in head + f.read():
                        continue
                url = "/" + (rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)
                out.append((url, path, language(head)))

    walk(str(site))
    return out


def language(html: str) -> str:
    found = re.search(r"<html[^>]*\slang=\"?([A-Za-z-]+)", html[:2000])
    return found.group(1).lower() if found else "unknown"


class Service:
    """`pagefind --service`: base64 JSON messages ending in a comma, each way."""

    def __init__(self, binary: str):
        self.process = subprocess.Popen(
            [binary, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.sent = 0
        self.buffer = b""

    def send(self, payload: dict) -> None:
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}).encode("utf-8")
        self.process.stdin.write(base64.b64encode(message) + b",")
        self.process.stdin.flush()

    def receive(self) -> dict:
        while b"," not in self.buffer:
            select.select([self.process.stdout], [], [])
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                raise RuntimeError("Pagefind's service ended")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b",", 1)
        payload = json.loads(base64.b64decode(message))["payload"]
        if payload["type"] == "Error":
            raise RuntimeError(payload["message"])
        return payload

    def index(self, feed: list, into: Path) -> None:
        self.send({"type": "NewIndex", "config": None})
        index_id = self.receive()["index_id"]
        waiting = 0
        for url, path, _lang in feed:
            html = path.read_text(encoding="utf-8")  # read as sent: the feeder holds a few pages, not the site
            self.send({"type": "AddFile", "index_id": index_id, "file_path": None, "url": url, "file_contents": html})
            waiting += 1
            if waiting >= WINDOW:
                self.receive()
                waiting -= 1
        for _ in range(waiting):
            self.receive()
        self.send({"type": "WriteFiles", "index_id": index_id, "output_path": str(into)})
        self.receive()

    def close(self) -> None:
        # Pagefind 1.5 answers WriteFiles before its last writes land (tokio files, not flushed),
        # and its service exits as soon as its input ends: wait, or its last files are cut short.
        time.sleep(0.5)
        self.process.stdin.close()
        self.process.wait()


def feed(way: str, site: Path, into: Path) -> None:
    """Run one fed way (in the process measure.py watches)."""
    from pagefind.service import get_executable

    binary = str(get_executable())
    if way == "portal":
        from portal.outputs import search
        from portal.problems import Problems

        problems = Problems()
        search.index(site, problems, into=into)
        if problems.items:
            raise SystemExit(str(problems.items))
        return
    if way == "api":
        from pagefind.service import PagefindService

        async def run():
            # Not `async with PagefindIndex()`: leaving it writes the index again, to ./pagefind
            # unless told otherwise, and ends the service at once (see Service.close).
            async with PagefindService() as service:
                index = await service.create_index()
                for url, path, _lang in pages(site, body_only=False):
                    await index.add_html_file(content=path.read_text(encoding="utf-8"), url=url)
                await index.write_files(output_path=str(into))
                await asyncio.sleep(0.5)

        asyncio.run(run())
        return
    feed_pages = pages(site, body_only=way != "service")
    groups = {}
    if way == "per-language":
        for page in feed_pages:
            groups.setdefault(page[2], []).append(page)
    else:
        groups[""] = feed_pages
    del feed_pages
    languages = {}
    for lang in sorted(groups):
        service = Service(binary)
        service.index(groups.pop(lang), into)
        service.close()
        languages.update(json.loads((into / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"])
    if way == "per-language":
        entry = json.loads((into / "pagefind-entry.json").read_text(encoding="utf-8"))
        entry["languages"] = languages
        (into / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")


def command(way: str, site: Path, into: Path, python: str) -> list:
    if way in ("cli", "cli-1-thread"):
        return [python, "-m", "pagefind", "--site", str(site), "--output-path", str(into)]
    return [python, str(Path(__file__).resolve()), "--feed", way, str(site), str(into)]


def files(folder: Path) -> dict:
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in folder.rglob("*") if f.is_file()}


def _cbor(data: bytes):
    """CBOR as Pagefind's index files use it: integers, bytes, text, arrays, maps."""

    def item(at):
        major, info = data[at] >> 5, data[at] & 31
        at += 1
        if info < 24:
            n = info
        elif info <= 27:
            size = 1 << (info - 24)
            n, at = int.from_bytes(data[at : at + size], "big"), at + size
        else:
            raise ValueError(f"unexpected CBOR item {data[at - 1]:#x}")
        if major in (0, 1):
            return (n if major == 0 else -1 - n), at
        if major in (2, 3):
            return (data[at : at + n] if major == 2 else data[at : at + n].decode("utf-8")), at + n
        out = [] if major == 4 else {}
        for _ in range(n):
            if major == 4:
                value, at = item(at)
                out.append(value)
            else:
                key, at = item(at)
                out[key], at = item(at)
        return out, at

    return item(0)[0]


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    return _cbor(data[len(SIGNATURE) :])


def same_pages(folder: Path) -> dict:
    """What an index holds, whatever order its pages were numbered in: per language, the
    page count, the fragments (each page's URL, text, headings, filters), every word with
    the URLs and positions where it stands, every filter value with its URLs, the sorts
    and the metadata fields. (Words list their pages as gaps from the previous page number.)"""
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    out = {}
    for lang, info in entry["languages"].items():
        _version, pages, chunks, filters, sorts, fields = _read(folder / f"pagefind.{info['hash']}.pf_meta")
        urls = [
            json.loads(gzip.decompress((folder / "fragment" / f"{h}.pf_fragment").read_bytes())[len(SIGNATURE) :])[
                "url"
            ]
            for h, _words in pages
        ]

        def located(packed, urls=urls):
            number, got = 0, {}
            for page in packed:
                number += page[0]
                got[urls[number]] = (tuple(page[1]), tuple(page[2]))
            return got

        words = {}
        for chunk in chunks:
            for word in _read(folder / "index" / f"{chunk[2]}.pf_index")[0]:
                words[word[0]] = (located(word[1]), {v[0]: located(v[1]) for v in word[2]})
        by_filter = {}
        for _name, file in filters:
            name, values = _read(folder / "filter" / f"{file}.pf_filter")
            by_filter[name] = {value: sorted(urls[i] for i in numbers) for value, numbers in values}
        out[lang] = (info["page_count"], sorted(h for h, _ in pages), words, by_filter, sorts, fields)
    return out


def steady(folder: Path) -> None:
    from portal.outputs import search

    search.steady_filters(folder)
    search.steady_entry(folder / "pagefind-entry.json")


def measure_site(site: Path, ways: list, rounds: int, python: str, work: Path) -> dict:
    """{way: [(wall, CPU, peak, peak of Pagefind alone, same index as cli), ...]}"""
    results = {way: [] for way in ways}
    reference = None
    for round_no in range(rounds):
        order = ways[round_no % len(ways) :] + ways[: round_no % len(ways)]
        for way in order:
            into = work / f"out-{way}"
            shutil.rmtree(into, ignore_errors=True)
            env = dict(os.environ, RAYON_NUM_THREADS="1") if way == "cli-1-thread" else None
            r = measure.run(command(way, site, into, python), env=env, tag=BINARY_TAG)
            if r.returncode != 0 or not (into / "pagefind.js").is_file():
                raise SystemExit(f"pagefind_feed.py: {way} failed (exit {r.returncode}):\n{r.stderr[-3000:]}")
            steady(into)
            got = files(into)
            if reference is None:  # cli runs first
                reference = (got, same_pages(into))
            same = "bytes" if got == reference[0] else "pages" if same_pages(into) == reference[1] else "NO"
            results[way].append((r.wall, r.cpu, r.peak_memory, r.peak_memory_tagged, same))
            print(
                f"  {site} round {round_no + 1} {way}: {r.wall:.2f} s, CPU {r.cpu:.2f} s, "
                f"{measure.mb(r.peak_memory)} MB, same index: {same}",
                file=sys.stderr,
            )
    return results


def table(label: str, results: dict, stamp: str, pages_count: int) -> str:
    lines = [
        f"{stamp}\n",
        f"{label}: {pages_count:,} HTML pages. Medians of {len(next(iter(results.values())))}.\n",
        "| way | wall (s) | CPU (s) | peak memory, all processes (MB) | Pagefind alone (MB) | same index as cli |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for way, rows in results.items():
        median = [statistics.median(row[i] for row in rows) for i in range(4)]
        lines.append(
            f"| {way} | {median[0]:.2f} | {median[1]:.2f} | {measure.mb(median[2])} | {measure.mb(median[3])} | "
            f"{'/'.join(sorted({row[4] for row in rows}))} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--feed"]:
        feed(argv[1], Path(argv[2]), Path(argv[3]))
        return
    p = measure.parser(__doc__, [1000, 5000], "sizes N: news items, each in sv and en (default: 1000 5000)")
    p.add_argument("--site", type=Path, nargs="+", help="built sites to index instead of making corpora")
    p.add_argument("--ways", nargs="+", choices=WAYS, default=DEFAULT_WAYS, help="the ways to measure")
    p.add_argument("--python", default=sys.executable, help="the Python that runs Pagefind (default: this one)")
    p.add_argument("--keep", type=Path, help="make the sites in this folder and keep them")
    p.add_argument("--seed", default="portal-bench", help="corpus seed (default: portal-bench)")
    args = p.parse_args(argv)
    ways = ["cli"] + [w for w in args.ways if w != "cli"]  # cli first: the reference index
    print(
        f"# Pagefind: how it is fed\n\nStarted {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {measure.machine()}; "
        f"{measure.load_note()}.\n"
    )
    work = args.keep or Path(tempfile.mkdtemp(prefix="pagefind-feed-"))
    try:
        sites = [(str(s), s) for s in args.site or []]
        if not args.site:
            for count in args.items:
                root = work / f"site-{count}"
                if not (root / "_site" / "pagefind.js").exists() and not (root / "_site").exists():
                    shutil.rmtree(root, ignore_errors=True)
                    corpus.make(root, count, args.seed)
                    print(f"  building the corpus N={count} …", file=sys.stderr)
                    built = subprocess.run(
                        [args.python, str(REPO / "build.py"), "build", "-q", "--out", "_site", "--now", NOW], cwd=root
                    )
                    if built.returncode != 0:
                        raise SystemExit(f"pagefind_feed.py: build.py failed in {root}")
                sites.append((f"N = {count:,}", root / "_site"))
        for label, site in sites:
            count = sum(1 for f in site.rglob("*.html") if not f.is_relative_to(site / "pagefind"))
            started = time.time()
            results = measure_site(site, ways, args.rounds, args.python, work)
            stamp = (
                f"Measured {dt.datetime.fromtimestamp(started, dt.UTC):%Y-%m-%d %H:%M}–"
                f"{dt.datetime.now(dt.UTC):%H:%M} UTC; {measure.load_note().replace('at the start', 'at the end')}."
            )
            print(table(label, results, stamp, count) + "\n", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
