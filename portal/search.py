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
from pathlib import Path

from . import write
from .problems import Problems

OUTPUT_SUBDIR = "pagefind"  # the search page's script loads <base>/pagefind/pagefind.js


def index(site: Path, problems: Problems, into: Path | None = None) -> None:
    """Write the search index of the site in `site` into `site/pagefind/` (or `into`)."""
    into = into or site / OUTPUT_SUBDIR
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(into)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problems.error("search index", None, f"Pagefind could not run ({exc})")
        return
    if run.returncode != 0 or not (into / "pagefind.js").is_file():
        said = (run.stderr.strip() or run.stdout.strip()).splitlines()[-3:]
        hint = " (is the pinned 'pagefind[bin]' installed? run scripts/setup)" if "No module named" in run.stderr else ""
        problems.error("search index", None, f"Pagefind failed{hint}: {' / '.join(said) or 'no output'}")
        return
    steady_entry(into / "pagefind-entry.json")


def refresh(site: Path, problems: Problems) -> None:
    """Index again a site that `serve` changed in place: the new index is made beside
    the old one and swapped in whole, so no stale part of the old one stays."""
    fresh = site / ".pagefind-new"
    shutil.rmtree(fresh, ignore_errors=True)
    index(site, problems, into=fresh)
    if not problems.errors:
        write.swap(fresh, site / OUTPUT_SUBDIR)
    shutil.rmtree(fresh, ignore_errors=True)


def steady_entry(entry: Path) -> None:
    """Pagefind lists the languages in its entry file in a random order; sort them,
    so the same sources give byte-identical output on every build."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data["languages"].items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
