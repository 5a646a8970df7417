"""What a reviewer would find: the rules `build.py check` adds to a build's own checks.

A build already fails on data and front matter errors and on broken internal
links and anchors. These rules read the model and the rendered pages for what
a build lets through but a careful reviewer would not: pages with no
translation or with an outdated one, images without alt text, headings that
skip a level, and links whose text says nothing out of context. Each problem
points at the markdown file and line that caused it when it can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from portal import scaffold
from portal.load import strings as i18n
from portal.messages import _
from portal.model.site import Kind, Page, Site
from portal.output import Output
from portal.problems import Problems
from portal.render import markup
from portal.review import readability as lix

_HASHED = re.compile(r"\.[0-9a-f]{8}(?=\.[A-Za-z0-9]+$)")  # site.3f9a1c2b.css: a content-hashed name

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


@dataclass
class _Seen:
    images: list = field(default_factory=list)  # (src, alt or None)
    headings: list = field(default_factory=list)  # (level, text)
    links: list = field(default_factory=list)  # (href, text)


class _Reader(HTMLParser):
    """Collects images, headings and link texts of one page, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.seen = _Seen()
        self._heading = None  # [level, text parts] while inside a heading
        self._link = None  # [href, text parts] while inside a link

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.seen.images.append((attrs.get("src") or "", attrs.get("alt")))
            if self._link is not None and attrs.get("alt"):
                self._link[1].append(attrs["alt"])  # an image's alt text names the link it sits in
        elif tag in HEADINGS:
            self._heading = [HEADINGS[tag], []]
        elif tag == "a" and "href" in attrs:
            self._link = [attrs["href"], []]

    def handle_endtag(self, tag):
        if tag in HEADINGS and self._heading is not None:
            self.seen.headings.append((self._heading[0], _squash("".join(self._heading[1]))))
            self._heading = None
        elif tag == "a" and self._link is not None:
            self.seen.links.append((self._link[0], _squash("".join(self._link[1]))))
            self._link = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1].append(data)
        if self._link is not None:
            self._link[1].append(data)


def _squash(text: str) -> str:
    return " ".join(text.split())


def read(data: bytes) -> _Seen:
    reader = _Reader()
    reader.feed(data.decode("utf-8", errors="replace"))
    reader.close()
    return reader.seen


def run(root: Path, site: Site, outputs: list[Output], problems: Problems) -> list:
    """Add every rule's findings to `problems`; `root` is the repository.

    Returns the readability of each page written from a content file: (source, lang, readability.Score).
    """
    translations(root, site, problems)
    unfinished(root, site, problems)
    by_output = {p.output: p for p in site.pages}
    vague = vague_link_texts(site.config)
    scores = []
    for output in outputs:
        page = by_output.get(output.path)
        if page is None or output.data is None:
            continue
        seen = read(output.data)
        images(page, seen, problems)
        headings(page, seen, problems)
        link_texts(page, seen, problems, vague)
        found = readability(site, page, output.data, problems)
        if found is not None:
            scores.append((page.source, page.lang, found))
    return sorted(scores, key=lambda s: s[0])


def _where(page: Page, needle: str | None) -> tuple[str, int | None]:
    """The markdown file and line that wrote `needle`, or the page's file if a template did."""
    line = markup.first_line_with(page.markdown, needle) if needle else None
    return page.source or f"the generated page /{page.url}", None if line is None else page.body_line + line - 1


# --- the rules ---------------------------------------------------------------------


def translations(root: Path, site: Site, problems: Problems, only=None) -> None:
    """A page with no version in another language, or a version older than its original.

    `only`: the source files to look at (serve: those just saved), else all."""
    default = site.config.default
    for page in site.pages:
        if page.source is None or (only is not None and page.source not in only):
            continue  # generated pages (news lists, 404) exist in every language by construction
        versions = site.translations(page)
        if page.lang == default.code:
            if page.key == site.config.easy_read:
                continue  # the easy-to-read page is Swedish by design
            for lang in site.config.languages[1:]:
                if lang.code not in versions:
                    problems.warn(
                        page.source,
                        None,
                        _(
                            "has no translation into '{code}' (add {page})",
                            code=lang.code,
                            page=_translation_name(page, lang.code),
                        ),
                    )
            continue
        original = versions.get(default.code)
        if original is None:
            problems.warn(
                page.source,
                None,
                _(
                    "is a translation of nothing: there is no '{code}' page with the key '{key}'",
                    code=default.code,
                    key=page.key,
                ),
            )
        elif original.updated and page.updated and page.updated < original.updated:
            problems.warn(
                page.source,
                _line_of(root, page, "updated") or _line_of(root, page, "date"),
                _(
                    "may be outdated: it was updated {updated}, but the original {source} was updated {updated2}; bring the translation up to date and change its 'updated' date",
                    updated=page.updated.isoformat(),
                    source=original.source,
                    updated2=original.updated.isoformat(),
                ),
            )


def unfinished(root: Path, site: Site, problems: Problems, only=None) -> None:
    """What `build.py new` wrote and a proofreader would not let through, in an item that will
    be published (now or on its date): the scaffold's placeholder texts, a translation
    whose title is still the original's, and an address made from the original's title.
    A draft may have all of them. `only`: the source files to look at (serve), else all.
    """
    default = site.config.default.code
    every = list(site.pages) + list(site.withheld.values())
    originals = {(p.key, p.kind): p for p in every if p.lang == default and p.source}
    placeholders = scaffold.placeholders(site.config, [lang.code for lang in site.config.languages])
    for page in every:
        if (
            page.source is None
            or page.kind != Kind.NEWS
            or page.meta.get("draft")
            or (only is not None and page.source not in only)
        ):
            continue
        summary, body = page.meta.get("summary") or "", page.markdown
        for text in placeholders:
            if text in summary:
                problems.error(
                    page.source,
                    _line_of(root, page, "summary"),
                    _(
                        "the summary is still the placeholder '{text}': write the summary, or keep 'draft: true' until it is ready",
                        text=text,
                    ),
                )
            if text in body:
                path, line = _where(page, text)
                problems.error(
                    path,
                    line,
                    _(
                        "the text is still the placeholder '{text}': write the item, or keep 'draft: true' until it is ready",
                        text=text,
                    ),
                )
        original = originals.get((page.key, page.kind))
        if page.lang == default or original is None:
            continue
        if " ".join(page.title.split()).casefold() == " ".join(original.title.split()).casefold():
            problems.error(
                page.source,
                _line_of(root, page, "title"),
                _(
                    "the title is the same as in {source} ('{title}'): translate it, or keep 'draft: true' until the translation is ready",
                    source=original.source,
                    title=page.title,
                ),
            )
        elif (
            page.url.rstrip("/").rsplit("/", 1)[-1] == scaffold.slugify(original.title) != scaffold.slugify(page.title)
        ):
            problems.warn(
                page.source,
                _line_of(root, page, "slug"),
                _(
                    "the address /{url} is made from the title in {source}: write the slug from this file's title (slug: {slug})",
                    url=page.url,
                    source=original.source,
                    slug=scaffold.slugify(page.title),
                ),
            )


def readability(site: Site, page: Page, data: bytes, problems: Problems):
    """LIX of a content page's text; a warning above data/site.yaml's threshold (stricter for Lättläst)."""
    if page.source is None:
        return None
    found = lix.score(lix.blocks_of(data.decode("utf-8", errors="replace")))
    limits = site.config.readability
    if found is None or not limits:
        return found
    easy = page.key == site.config.easy_read and page.kind == Kind.PAGE
    limit = limits["easy_read_warn_above"] if easy else limits["warn_above"]
    if found.lix > limit:
        words = len(lix._WORD.findall(found.longest))
        shown = found.longest if len(found.longest) <= 160 else found.longest[:157] + "…"
        path, line = _where(page, " ".join(found.longest.split()[:4]))
        setting = "easy_read_warn_above" if easy else "warn_above"
        problems.warn(
            path,
            line,
            _(
                "LIX {rounded} is above {limit} ({setting} in data/site.yaml): the text is hard to read; shorten the sentences and the long words. The longest sentence has {words} words: '{shown}'",
                rounded=found.rounded,
                limit=_number(limit),
                setting=setting,
                words=words,
                shown=shown,
            ),
        )
    return found


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _translation_name(page: Page, lang: str) -> str:
    folder, _sep, name = page.source.rpartition("/")
    stem = name.split(".")[0]
    return f"{folder}/{stem}.{lang}.md"


def _line_of(root: Path, page: Page, key: str) -> int | None:
    """Line of `key:` in the page's front matter, read from the file."""
    try:
        text = (root / page.source).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.strip() == "---":
            return None
        if line.startswith(f"{key}:"):
            return number
    return None


def images(page: Page, seen: _Seen, problems: Problems) -> None:
    for src, alt in seen.images:
        if not (alt or "").strip():  # markdown's ![](x.png) gives alt="": the editor wrote none
            src = _HASHED.sub("", src)  # the name the editor wrote, not the published one (assets.py)
            path, line = _where(page, src)
            problems.error(
                path,
                line,
                _(
                    "the image '{src}' has no alt text: describe what it shows between the brackets, ![like this]({src})",
                    src=src,
                ),
            )


def headings(page: Page, seen: _Seen, problems: Problems) -> None:
    previous = 0
    for level, text in seen.headings:
        if level > previous + 1:
            path, line = _where(page, text)
            before = f"h{previous}" if previous else _("the start of the page")
            problems.warn(
                path,
                line,
                _(
                    "the heading '{text}' is h{level} right after {before}: it skips a level (in markdown, use one more # than the heading above)",
                    text=text,
                    level=level,
                    before=before,
                ),
            )
        previous = level


def vague_link_texts(config) -> set:
    """Link texts that mean nothing when a screen reader lists the page's links, in every
    language of the site (the interface string check.vague_link_texts)."""
    return {
        word.lower() for lang in config.languages for word in i18n.words(config, lang.code, "check.vague_link_texts")
    }


def link_texts(page: Page, seen: _Seen, problems: Problems, vague: set) -> None:
    for href, text in seen.links:
        if text.lower().strip(" .:!…→»") in vague:
            path, line = _where(page, f"[{text}]") if f"[{text}]" in page.markdown else _where(page, text)
            problems.warn(
                path,
                line,
                _(
                    "the link text '{text}' says nothing out of context: name where the link goes (it points to {href})",
                    text=text,
                    href=href,
                ),
            )
