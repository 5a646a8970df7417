"""The bare Python floor: the least a Python generator must do for each page.

    .venv/bin/python bench/floor.py SITE OUT [--processes 1|2]

For every `*.md` file under SITE/content (the portal's format): read it, split
the front matter from the body and parse it with `yaml.CSafeLoader`, convert
the body with `markdown.markdown(...)` (the portal's extensions: extra,
sane_lists, toc), render one small Jinja template, write
OUT/<section>/<lang>/<stem>/index.html. Nothing else: no links checked, no
lists, no feeds, no sanitizing, no search index. With `--processes 2` the files
are split between two worker processes (multiprocessing, fork).

peers.py runs it beside the portal and the other generators as the "floor" row:
what it costs in this language to turn these files into pages at all.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from pathlib import Path

import jinja2
import markdown
import yaml

EXTENSIONS = ["extra", "sane_lists", "toc"]  # as portal/markup.py
TEMPLATE = """<!doctype html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<p>{{ date }}</p>
{{ body | safe }}
</main></body>
</html>
"""

_template = None


def _render_one(args: tuple) -> int:
    path, out = args
    global _template
    if _template is None:
        _template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    text = Path(path).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.load(front, Loader=yaml.CSafeLoader)
    html = markdown.markdown(body, extensions=EXTENSIONS)
    name = Path(path).name
    stem, lang, _ = name.rsplit(".", 2)
    target = Path(out) / Path(path).parent.name / lang / stem / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        _template.render(lang=lang, title=meta["title"], date=meta.get("date", ""), body=html), encoding="utf-8"
    )
    return 1


def build(site: Path, out: Path, processes: int = 1) -> int:
    files = sorted(str(p) for p in (site / "content").rglob("*.md"))
    work = [(f, str(out)) for f in files]
    if processes == 1:
        return sum(map(_render_one, work))
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return sum(pool.imap_unordered(_render_one, work, chunksize=64))


def main(argv=None) -> None:
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("site", type=Path, help="a folder with content/ in the portal's format")
    p.add_argument("out", type=Path, help="where to write the pages")
    p.add_argument("--processes", type=int, default=1, choices=[1, 2], help="worker processes (default 1)")
    args = p.parse_args(argv)
    pages = build(args.site, args.out, args.processes)
    print(f"Built {pages} pages into {args.out} with {args.processes} process(es)")


if __name__ == "__main__":
    sys.exit(main())
