"""Make a large site for benchmarks: the real portal plus generated news items.

`python bench/bigsite.py DEST --pages 5000` copies the portal's data, templates,
static files and content to DEST and adds news items (a Swedish and an English
file each) until the site has about that many pages. The text is filler made
for the benchmark, never published.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE_DIRS = ("content", "data", "templates", "static")

SV = """---
title: Testnyhet {n}
date: {date}
summary: Genererad text nummer {n} för att mäta hur snabbt bygget går.
municipalities: [mjolby]
---
Det här är stycke ett i testnyhet {n}. Den finns bara i mätningen.

## Bakgrund

Ett andra stycke, med en [länk till kontaktsidan](../pages/kontakt.sv.md).
"""

EN = """---
title: Test news {n}
date: {date}
summary: Generated text number {n} for measuring how fast the build is.
municipalities: [mjolby]
---
This is paragraph one of test news {n}. It exists only in the benchmark.

## Background

A second paragraph, with a [link to the contact page](../pages/kontakt.en.md).
"""


def copy_portal(dest: Path) -> None:
    """The real portal's sources (content, data, templates, static) into dest; corpus.py uses it too."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_DIRS:
        shutil.copytree(REPO / name, dest / name, dirs_exist_ok=True)


def make(dest: Path, pages: int) -> Path:
    copy_portal(dest)
    existing = sum(1 for _ in (dest / "content").rglob("*.md")) + 3  # + news lists and 404
    news = dest / "content" / "news"
    start = dt.date(2000, 1, 1)
    for n in range(max(0, (pages - existing) // 2)):
        date = (start + dt.timedelta(days=n)).isoformat()
        (news / f"test-{n:05d}.sv.md").write_text(SV.format(n=n, date=date), encoding="utf-8")
        (news / f"test-{n:05d}.en.md").write_text(EN.format(n=n, date=date), encoding="utf-8")
    return dest


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dest", type=Path)
    p.add_argument("--pages", type=int, default=5000)
    args = p.parse_args()
    make(args.dest, args.pages)
