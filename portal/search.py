"""The search index: Pagefind run over the fully written site.

Pagefind reads the HTML the build wrote and writes `pagefind/` beside it: a
static index split by `<html lang>`, so each language's search page finds only
that language's pages. Only what a template marks `data-pagefind-body` (the
main content) is indexed, not menus and footers. It runs on the temporary
folder before the swap (see `write.write`), so a failed index leaves the
previous site as it was. This is the only module that knows about Pagefind.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import write
from .problems import Problems
from .messages import _

OUTPUT_SUBDIR = "pagefind"  # the search page's script loads <base>/pagefind/pagefind.js
TIMEOUT = 300  # seconds: Pagefind takes a few for 5,000 pages; far more means it hangs
STOP_CHECK = 0.02  # seconds between looks at `stop` while Pagefind runs


def index(site: Path, problems: Problems, into: Path | None = None, stop: threading.Event | None = None) -> None:
    """Write the search index of the site in `site` into `site/pagefind/` (or `into`).

    When `stop` is set while Pagefind runs, Pagefind is ended and nothing is reported.
    """
    into = into or site / OUTPUT_SUBDIR
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(into)]
    try:
        run = _run(command, stop)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problems.error("search index", None, _("Pagefind could not run ({exc})", exc=exc))
        return
    if run is None:  # stopped
        return
    if run.returncode != 0 or not (into / "pagefind.js").is_file():
        said = (run.stderr.strip() or run.stdout.strip()).splitlines()[-3:]
        hint = _(" (is the pinned 'pagefind[bin]' installed? run scripts/setup)") if "No module named" in run.stderr else ""
        problems.error("search index", None, _("Pagefind failed{hint}: {said}", hint=hint, said=' / '.join(said) or _("no output")))
        return
    steady_entry(into / "pagefind-entry.json")


def _run(command: list, stop: threading.Event | None) -> subprocess.CompletedProcess | None:
    """Run Pagefind to the end (at most TIMEOUT seconds), or None if `stop` was set first."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                stdout, stderr = process.communicate(timeout=STOP_CHECK)
                return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
            except subprocess.TimeoutExpired:
                if stop is not None and stop.is_set():
                    process.kill()
                    process.communicate()
                    return None
                if time.monotonic() > deadline:
                    process.kill()
                    process.communicate()
                    raise subprocess.TimeoutExpired(command, TIMEOUT) from None


def refresh(site: Path, problems: Problems, stop: threading.Event | None = None) -> bool:
    """Index again a site that `serve` changed in place; True if the new index is in place.

    The new index is made beside the old one and swapped in whole, so no stale
    part of the old one stays. `serve` runs this in the background after saves
    and sets `stop` when the next save comes: the old index then stays as it was.
    """
    fresh = site / ".pagefind-new"
    shutil.rmtree(fresh, ignore_errors=True)
    before = len(problems.errors)
    index(site, problems, into=fresh, stop=stop)
    done = len(problems.errors) == before and (fresh / "pagefind.js").is_file() and not (stop and stop.is_set())
    if done:
        write.swap(fresh, site / OUTPUT_SUBDIR)
    shutil.rmtree(fresh, ignore_errors=True)
    return done


def steady_entry(entry: Path) -> None:
    """Pagefind lists the languages in its entry file in a random order; sort them,
    so the same sources give byte-identical output on every build."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data["languages"].items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
