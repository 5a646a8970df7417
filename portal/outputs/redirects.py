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

from portal.load import strings as i18n
from portal.model.aliases import moves, public_path
from portal.model.site import Page, Site
from portal.output import Output

FILE = "_redirects"


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
    header = "# Moved pages: old addresses from 'aliases:' in front matter (portal/outputs/redirects.py).\n"
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
