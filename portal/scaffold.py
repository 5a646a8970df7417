"""`build.py new news "Titel"`: start a news item in every language.

Writes content/news/<date>-<slug>.<lang>.md for each language, dated with the
build's today (so --now and SOURCE_DATE_EPOCH apply), marked `draft: true` so
an unfinished item is never published by accident, and never overwrites: an
existing file is the editor's work.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from . import load
from .yamlnodes import Mapping

KINDS = ("news",)

# What each language's file says until the editor writes the item.
_PLACEHOLDERS = {
    "sv": ("Skriv en sammanfattning på en eller två meningar.", "Skriv nyheten här."),
    "en": ("Write a summary of one or two sentences.", "Write the news item here."),
}
_DEFAULT_PLACEHOLDERS = _PLACEHOLDERS["en"]


def slugify(title: str) -> str:
    """'Ödeshög ansluter!' → 'odeshog-ansluter': letters a-z, digits, single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _yaml_text(value: str) -> str:
    """A single-line YAML string, quoted so that ':' or '#' in a title stays text."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _site_facts(root: Path):
    """(language codes, municipality ids) from data/, read the way the build reads them."""
    sources, _ = load.load(root)
    codes, ids = [], []
    site = sources.data.get("site")
    if site and isinstance(site[1], Mapping) and "languages" in site[1]:
        codes = [str(lang["code"]) for lang in site[1]["languages"] if isinstance(lang, Mapping) and "code" in lang]
    collaboration = sources.data.get("collaboration")
    if collaboration and isinstance(collaboration[1], Mapping) and "municipalities" in collaboration[1]:
        ids = [str(m["id"]) for m in collaboration[1]["municipalities"] if isinstance(m, Mapping) and "id" in m]
    return codes, ids


def new_news(root: Path, title: str, today: dt.date) -> tuple[list[Path], str | None]:
    """Write the item's files; returns (files written, or an error message and nothing written)."""
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        return [], f"the title '{title}' has no letters or digits to make a file name from"
    codes, municipalities = _site_facts(root)
    if not codes:
        return [], "data/site.yaml does not list the site's languages; run 'python build.py check' to see why"
    stem = f"{today.isoformat()}-{slug}"
    files = [root / "content" / "news" / f"{stem}.{code}.md" for code in codes]
    existing = [f for f in files if f.exists()]
    if existing:
        names = ", ".join(f.relative_to(root).as_posix() for f in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        return [], f"{names} already {verb}; nothing was written (choose another title, or edit the existing file)"
    files[0].parent.mkdir(parents=True, exist_ok=True)
    for code, path in zip(codes, files):
        summary, body = _PLACEHOLDERS.get(code, _DEFAULT_PLACEHOLDERS)
        path.write_text(
            "---\n"
            f"title: {_yaml_text(title)}\n"
            f"slug: {slug}\n"
            f"date: {today.isoformat()}\n"
            f"summary: {_yaml_text(summary)}\n"
            "# The municipalities the item concerns; remove those it does not.\n"
            f"municipalities: [{', '.join(municipalities)}]\n"
            "# Remove the next line when the item is ready; it is published on its date.\n"
            "draft: true\n"
            "---\n"
            f"{body}\n",
            encoding="utf-8",
        )
    return files, None
