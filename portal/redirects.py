"""Moved pages: `aliases:` in front matter lists a page's old addresses.

Each old address gets a small redirect page (a meta refresh, a canonical link
and an ordinary link, so it works without JavaScript and tells search engines
where the page is now; noindex and outside search), and `_redirects` lists
them all for hosts that read one (Netlify, Cloudflare Pages) and answer with a
real 301. An alias that is already the address of a page, a static file or
another alias is an error naming both files: one address, one meaning.
"""

from __future__ import annotations

import html

from . import strings as i18n
from .messages import _
from .model import Page, Site
from .outputs import Output
from .problems import Problems

FILE = "_redirects"


def output_path(alias: str) -> str:
    """The file an old address is answered from: /gammal/ and /gammal → gammal/index.html; /x.html stays."""
    path = alias.strip().strip("/")
    if path.rsplit("/", 1)[-1].endswith((".html", ".htm")):
        return path
    return path + "/index.html"


def public_path(alias: str) -> str:
    """The old address as the site answers it, without the base path: gammal/ or x.html."""
    path = output_path(alias)
    return path.removesuffix("index.html")


def moves(site: Site) -> list:
    """(alias as written, output path, page) for every alias of every page this build makes."""
    out = []
    for page in site.pages:
        for alias in page.meta.get("aliases") or ():
            out.append((alias, output_path(alias), page))
    return out


def check(site: Site, problems: Problems) -> None:
    """An old address may not be a page's, a static file's or another alias's."""
    owners = {p.output: p.source or f"the generated page /{p.url}" for p in site.pages}
    owners.update({url_path: f"static/{url_path}" for url_path, _ in site.static})
    claimed = {}
    for alias, path, page in moves(site):
        line = _line(page, alias)
        if path in owners:
            problems.error(
                page.source,
                line,
                _(
                    "the alias '{alias}' is the address of a page: {owners} (/{path}); remove the alias or move that page",
                    alias=alias,
                    owners=owners[path],
                    path=path.removesuffix("index.html"),
                ),
            )
        elif any(folder in owners for folder in _folders(path)):
            folder = next(f for f in _folders(path) if f in owners)
            problems.error(
                page.source,
                line,
                _(
                    "the alias '{alias}' needs a folder /{folder}/ where {owners} is a file",
                    alias=alias,
                    folder=folder,
                    owners=owners[folder],
                ),
            )
        elif path in claimed and claimed[path] is not page:
            problems.error(
                page.source,
                line,
                _(
                    "the alias '{alias}' is also an alias of {source}; an old address can lead to one page only",
                    alias=alias,
                    source=claimed[path].source,
                ),
            )
        claimed.setdefault(path, page)


def _folders(path: str) -> list:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _line(page: Page, alias) -> int | None:
    """The alias's line in its file: model.py keeps each alias as the located text it read."""
    return getattr(alias, "line", None)


def outputs(site: Site) -> list[Output]:
    found = moves(site)
    if not found:
        return []
    base_path = site.config.base_path
    out, rules = [], []
    done = set()
    for alias, path, page in found:
        if path in done:  # /gammal and /gammal/ are one address
            continue
        done.add(path)
        out.append(Output(path, redirect_page(site, page)))
        rules.append(f"{base_path}{public_path(alias)} {base_path}{page.url} 301")
    header = "# Moved pages: old addresses from 'aliases:' in front matter (portal/redirects.py).\n"
    out.append(Output(FILE, (header + "\n".join(sorted(set(rules))) + "\n").encode("utf-8")))
    return out


def redirect_page(site: Site, page: Page) -> bytes:
    """A page that sends the reader on at once, and says where, in the page's language."""
    config = site.config
    lang = config.language(page.lang)
    title = i18n.text(config, page.lang, "redirect.title")
    text = i18n.text(config, page.lang, "redirect.text")
    target = config.base_url + page.url
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="{e(page.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'">
<meta name="robots" content="noindex">
<title>{e(title)} – {e(lang.title)}</title>
<link rel="canonical" href="{e(target)}">
<meta http-equiv="refresh" content="0; url={e(target)}">
<link rel="stylesheet" href="{e(config.base_path)}assets/site.css">
</head>
<body>
<main id="main" class="wrap content">
<h1>{e(title)}</h1>
<p>{e(text)} <a href="{e(config.base_path + page.url)}">{e(page.title)}</a></p>
</main>
</body>
</html>
""".encode()
