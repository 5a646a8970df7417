"""How long from saving a file to the browser showing the change, with `build.py serve`.

    .venv/bin/python bench/reload_latency.py                 # the portal itself
    .venv/bin/python bench/reload_latency.py --pages 5000    # a generated 5,000-page site
    .venv/bin/python bench/reload_latency.py --items 5000    # corpus.py's 5,000 bilingual items

Copies the portal (or generates a large site with bigsite.py) into a temporary
folder, starts `build.py serve` there, connects to its live-reload websocket
as livereload.js does, then saves a news item again and again. Each sample is
the time from the save until the reload message has arrived and a fresh GET
of the page returns the new text: what a browser does before it paints. The
browser's own paint (a few milliseconds for these pages) is not included.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from tornado import websocket

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bigsite  # noqa: E402
import corpus  # noqa: E402


def start(root: Path):
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", "0"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True).start()
    while not any("Serving on" in line for line in lines):
        if process.poll() is not None:
            raise SystemExit("".join(lines))
        time.sleep(0.05)
    origin = re.search(r"Serving on (http://\S+?)/ ", "".join(lines)).group(1)
    return process, origin, lines


def edited(kind: str, original: str, marker: str) -> str:
    """The file's text with the marker in it, where it shows on the page."""
    if kind == "template":  # every page includes the footer
        return original.replace('<footer class="site-footer">', f'<footer class="site-footer" data-m="{marker}">', 1)
    return original + f"\n{marker}\n"


async def measure(origin: str, item: Path, url: str, samples: int, pause: float, kind: str) -> list[float]:
    ws = await websocket.websocket_connect(origin.replace("http", "ws") + "/livereload")
    await ws.write_message(
        json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
    )
    await ws.read_message()
    await ws.write_message(json.dumps({"command": "info", "url": origin + url}))
    await asyncio.sleep(0.5)
    original = item.read_text(encoding="utf-8")
    times = []
    for n in range(samples):
        marker = f"Mätning {n} {time.time_ns()}"
        started = time.perf_counter()
        item.write_text(edited(kind, original, marker), encoding="utf-8")
        while True:
            message = json.loads(await asyncio.wait_for(ws.read_message(), 120))
            if message.get("command") != "reload":
                continue
            with urllib.request.urlopen(origin + url) as response:
                if marker in response.read().decode("utf-8"):
                    break
        times.append(time.perf_counter() - started)
        await asyncio.sleep(pause)  # an editor does not save ten times a second
    item.write_text(original, encoding="utf-8")
    ws.close()
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--pages", type=int, default=0, help="generate a site of about this many pages (default: the portal)"
    )
    p.add_argument(
        "--items", type=int, default=0, help="corpus.py's realistic site of this many bilingual news items instead"
    )
    p.add_argument("--samples", type=int, default=20)
    p.add_argument(
        "--edit",
        choices=["news", "template"],
        default="news",
        help="what each save changes: a news item's text (default), or the footer template every page uses",
    )
    p.add_argument(
        "--pause",
        type=float,
        default=0.3,
        help="seconds between saves (default 0.3); over 1 s, each save lands while serve does its idle "
        "work (garbage collection, then the search index) and has to stop it first",
    )
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="reload-bench-") as tmp:
        root = Path(tmp) / "site"
        if args.items:
            first = corpus.make(root, args.items)[0]
            item, url = root / f"content/news/{first.stem}.sv.md", f"/nyheter/{first.sv.slug}/"
        elif args.pages:
            bigsite.make(root, args.pages)
            item, url = root / "content/news/test-01000.sv.md", "/nyheter/test-01000/"
        else:
            root.mkdir()
            for name in bigsite.SITE_DIRS:
                shutil.copytree(REPO / name, root / name)
            item, url = root / "content/news/2019-09-26-odeshog-ansluter.sv.md", "/nyheter/odeshog-ansluter/"
        if args.edit == "template":
            item = root / "templates/partials/footer.html"
        started = time.perf_counter()
        process, origin, lines = start(root)
        first = time.perf_counter() - started
        try:
            times = asyncio.run(measure(origin, item, url, args.samples, args.pause, args.edit))
        finally:
            process.terminate()
            process.wait()
        if args.items:
            site = f"corpus.py, {args.items} bilingual news items"
        elif args.pages:
            site = f"generated, {args.pages} pages asked"
        else:
            site = "the portal"
        pages = next((m.group(1) for m in map(re.compile(r"of (\d+) pages").search, lines) if m), "?")
        ms = sorted(t * 1000 for t in times)
        print(
            f"site: {site}; {pages} pages built; "
            f"first build and start: {first:.1f} s; each save edits {item.relative_to(root)}, {args.pause} s apart"
        )
        print(
            f"save → page updated, {len(ms)} saves: median {statistics.median(ms):.0f} ms, "
            f"90th percentile {ms[int(len(ms) * 0.9) - 1]:.0f} ms, best {ms[0]:.0f} ms, worst {ms[-1]:.0f} ms"
        )
        print("each save in order (ms):", " ".join(f"{t * 1000:.0f}" for t in times))
        print(
            "rebuild lines from the server:",
            *[line.strip() for line in lines if line.startswith("Rendered")][-3:],
            sep="\n  ",
        )


if __name__ == "__main__":
    main()
