"""Share images: the picture a link preview shows (Open Graph's og:image), drawn at build time.

One PNG per language and section (the first segment of a page's address: the start
page, "nyheter", "om-samverkan", …), not one per page: a section's pages share a picture,
so a big site draws a handful (a section with no page at its root, "kommuner/", has one
per page, each with its page's title). Each is remembered by what it shows, so `serve`
draws it again only when its text, colours or font change. The picture is the
site's own: its stylesheet's colours (`--brand`, `--paper`, `--focus` in
static/assets/site.css) and the font the stylesheet names (Liberation Sans, from
Debian's fonts-liberation; DejaVu Sans from fonts-dejavu-core if that is missing).
Its text is the section's title and the site's title, which the page's
og:image:alt repeats in words.

Reproducible: Pillow writes no time or software name into the PNG unless asked,
so the same text, colours and font give the same bytes. This is the only module
that imports Pillow.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from portal.messages import _
from portal.model.site import Kind
from portal.output import Output
from portal.problems import Problems

SIZE = (1200, 630)  # what Open Graph consumers crop least (1.91:1)
MARGIN = 80
# Bold for the big line, regular for the site's name; the first family found wins.
FONTS = (
    (
        "Liberation Sans",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ),
    (
        "DejaVu Sans",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ),
)
# Used when the stylesheet does not set these custom properties.
DEFAULT_COLOURS = {"brand": "#0b4a6f", "paper": "#ffffff", "focus": "#ffbf47"}
STYLESHEET = "assets/site.css"
_CUSTOM_PROPERTY = re.compile(r"--(brand|paper|focus)\s*:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\s*;")


def section(page, lang) -> str:
    """The first segment of the page's address inside its language: "" for the start page."""
    rest = page.url[len(lang.prefix) :] if page.url.startswith(lang.prefix) else page.url
    first = rest.split("/", 1)[0]
    return "" if first.endswith(".html") else first


def picture(site, page, lang) -> tuple:
    """(path, big line, small line) of the page's picture. A section with a page at its root
    ("nyheter/") has one picture, with that page's title, for all its pages; in a section
    without one ("kommuner/boxholm/", "kommuner/mjolby/") each page has its own, with its
    own title. The site's title is the small line; the start page's picture shows it alone.
    `site` may be a template's recording view: the lookups are then the page's dependencies."""
    name = section(page, lang)
    if not name:
        return path(lang, ""), lang.title, ""
    owner = site.page_at(f"{lang.prefix}{name}/") or page
    return path(lang, owner.url[len(lang.prefix) :].strip("/")), owner.title, lang.title


def path(lang, name: str) -> str:
    """Where a picture lives: share/sv/index.png (start page), share/en/news.png,
    share/sv/kommuner/boxholm.png. No section is called "index": a page with that slug is
    its language's start page."""
    return f"share/{lang.code}/{name or 'index'}.png"


def alt(big: str, small: str) -> str:
    """The picture's text alternative: what it says, the big line first (a reader wants to
    know which page it is before whose site)."""
    return f"{big} – {small}" if small else big


def colours(static) -> dict:
    """The stylesheet's brand colours (static: the site's (url path, file) pairs); the first
    declaration of each custom property wins."""
    found = {}
    for url_path, file in static:
        if url_path == STYLESHEET:
            for name, value in _CUSTOM_PROPERTY.findall(Path(file).read_text(encoding="utf-8")):
                found.setdefault(name, value)
    return {**DEFAULT_COLOURS, **found}


def font_files() -> tuple | None:
    """(bold, regular) font files of the first family installed, or None."""
    for _family, bold, regular in FONTS:
        if Path(bold).is_file() and Path(regular).is_file():
            return bold, regular
    return None


def outputs(site, problems: Problems | None = None) -> list:
    fonts = font_files()
    if fonts is None:
        if problems is not None:
            names = " or ".join(f"{family} ({bold})" for family, bold, _ in FONTS)
            problems.error(
                "share images",
                None,
                _(
                    "no font to draw them with: install {names}; on Debian: apt-get install fonts-liberation",
                    names=names,
                ),
            )
        return []
    palette = colours(site.static)
    wanted = {}
    for page in site.pages:
        if page.kind == Kind.NOT_FOUND:
            continue
        where, big, small = picture(site, page, lang := site.config.language(page.lang))
        wanted.setdefault(where, (big, small))
    # The 404 page is bilingual and has no section: it shows the default language's start picture.
    default = site.config.default
    wanted.setdefault(path(default, ""), (default.title, ""))
    return [
        Output(where, draw(big, small, tuple(sorted(palette.items())), fonts))
        for where, (big, small) in sorted(wanted.items())
    ]


@functools.lru_cache(maxsize=256)
def draw(big: str, small: str, palette: tuple, fonts: tuple) -> bytes:
    """The picture as PNG bytes: the section's title large and bold, the site's name above
    it, in the stylesheet's paper colour on its brand colour, with a band in its focus colour.

    Drawn as one byte per pixel, a blend from brand (0) to paper (254), with 255 for the
    band, and written with a palette: a third of the bytes and the time of RGB."""
    colour = {name: _rgb(value) for name, value in palette}
    width, height = SIZE
    image = Image.new("L", SIZE, 0)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, height - 24, width, height), fill=255)
    bold, regular = fonts
    room = width - 2 * MARGIN
    y = MARGIN
    if small:
        font = ImageFont.truetype(regular, 40)
        for line in _wrap(small, font, room)[:2]:
            pen.text((MARGIN, y), line, font=font, fill=254)
            y += 52
        y += 40
    # The big line shrinks until it fits in four lines.
    for size in (96, 84, 72, 60, 52, 44):
        font = ImageFont.truetype(bold, size)
        lines = _wrap(big, font, room)
        if len(lines) <= 4 and y + len(lines) * size * 1.2 <= height - 24 - MARGIN // 2:
            break
    for line in lines[:4]:
        pen.text((MARGIN, y), line, font=font, fill=254)
        y += int(size * 1.2)
    indexed = Image.frombytes("P", SIZE, image.tobytes())
    brand, paper = colour["brand"], colour["paper"]
    blend = [round(b + (p - b) * i / 254) for i in range(255) for b, p in zip(brand, paper)]
    indexed.putpalette(blend + list(colour["focus"]))
    out = io.BytesIO()
    indexed.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def _rgb(value: str) -> tuple:
    value = value.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def _wrap(text: str, font, room: float) -> list:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate) > room:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines
