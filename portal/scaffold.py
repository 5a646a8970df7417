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

from portal.load import sources as load
from portal.load import strings as i18n
from portal.load.yamlnodes import Mapping
from portal.messages import _, _n

# What each language's file says until the editor writes the item, and the comments that
# guide the editor, in the file's own language: the interface strings new.* (data/i18n).
# check (checks.unfinished) reports the summary or body texts left in a published item.
TEXT_KEYS = ("summary", "body", "awaiting", "slug", "municipalities", "draft")
PLACEHOLDER_KEYS = ("new.summary", "new.body")


def placeholders(strings, codes) -> tuple:
    """The placeholder texts `new` writes, in every language of `codes`."""
    return tuple(sorted({i18n.text(strings, code, key) for code in codes for key in PLACEHOLDER_KEYS}))


def slugify(title: str) -> str:
    """'Ödeshög ansluter!' → 'odeshog-ansluter': letters a-z, digits, single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _yaml_text(value: str) -> str:
    """A single-line YAML string, quoted so that ':' or '#' in a title stays text."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _site_facts(root: Path):
    """(language codes, news section per language, municipality ids) from data/, read the way the build reads them."""
    sources, _ = load.load(root)
    codes, sections, ids = [], {}, []
    site = sources.data.get("site")
    if site and isinstance(site[1], Mapping) and "languages" in site[1]:
        codes = [str(lang["code"]) for lang in site[1]["languages"] if isinstance(lang, Mapping) and "code" in lang]
        news = site[1].get("sections", {}).get("news") if isinstance(site[1].get("sections"), Mapping) else None
        if isinstance(news, Mapping):
            sections = {str(k): str(v) for k, v in news.items()}
    collaboration = sources.data.get("collaboration")
    if collaboration and isinstance(collaboration[1], Mapping) and "municipalities" in collaboration[1]:
        ids = [str(m["id"]) for m in collaboration[1]["municipalities"] if isinstance(m, Mapping) and "id" in m]
    return codes, sections, ids


def new_news(root: Path, title: str, today: dt.date, titles: dict | None = None) -> tuple[list[Path], str | None]:
    """Write the item's files; returns (files written, or an error message and nothing written).

    `title` is in the site's first language; `titles` may give it in others (e.g.
    {"en": "Exercise in Boxholm"}). Every file is named from the first language's
    title, so the files pair as translations; each sets its own `slug:` from its own
    title. A file with no title of its own gets the first language's, under a comment
    saying it awaits translation (check refuses to publish it so).
    """
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        return [], _("the title '{title}' has no letters or digits to make a file name from", title=title)
    codes, sections, municipalities = _site_facts(root)
    if not codes:
        return [], _("data/site.yaml does not list the site's languages; run 'python build.py check' to see why")
    own = {code: " ".join(text.split()) for code, text in (titles or {}).items() if code in codes[1:]}
    for code, text in own.items():
        if not slugify(text):
            return [], _(
                "the title '{title}' (--{code}) has no letters or digits to make a slug from", title=text, code=code
            )
    stem = f"{today.isoformat()}-{slug}"
    files = [root / "content" / "news" / f"{stem}.{code}.md" for code in codes]
    existing = [f for f in files if f.exists()]
    if existing:
        names = ", ".join(f.relative_to(root).as_posix() for f in existing)
        return [], _n(
            "{names} already exists; nothing was written (choose another title, or edit the existing file)",
            "{names} already exist; nothing was written (choose another title, or edit the existing file)",
            len(existing),
            names=names,
        )
    strings = i18n.read(root)
    try:
        every = {
            code: {key: i18n.text(strings, code, "new." + key) for key in TEXT_KEYS if key != "slug"} for code in codes
        }
        for code in codes:
            i18n.text(strings, code, "new.slug", address="")
    except i18n.StringMissing as exc:
        return [], exc.message
    files[0].parent.mkdir(parents=True, exist_ok=True)
    for index, (code, path) in enumerate(zip(codes, files)):
        texts = every[code]
        awaiting = index > 0 and code not in own
        file_title = own.get(code, title)
        file_slug = slugify(file_title)
        prefix = "" if index == 0 else f"/{code}"
        address = f"{prefix}/{sections.get(code, 'news')}/{file_slug}/"
        path.write_text(
            "---\n"
            + (texts["awaiting"] + "\n" if awaiting else "")
            + f"title: {_yaml_text(file_title)}\n"
            + i18n.text(strings, code, "new.slug", address=address)
            + "\n"
            + f"slug: {file_slug}\n"
            f"date: {today.isoformat()}\n"
            f"summary: {_yaml_text(texts['summary'])}\n"
            + texts["municipalities"]
            + "\n"
            + f"municipalities: [{', '.join(municipalities)}]\n"
            + texts["draft"]
            + "\n"
            + "draft: true\n"
            "---\n"
            f"{texts['body']}\n",
            encoding="utf-8",
        )
    return files, None
