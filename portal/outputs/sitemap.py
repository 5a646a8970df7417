"""sitemap.xml (every public page, its translations as hreflang alternates, lastmod)
and robots.txt pointing to it. Drafts, scheduled items and the 404 page are never listed.
"""

from __future__ import annotations

import html

from portal.model.publishing import is_public
from portal.model.site import Site
from portal.output import Output

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def sitemap(site: Site) -> bytes:
    # Written as text, not with ElementTree: it is made again after every save in `serve`,
    # and for 5,000 pages ElementTree took 50 ms of it. Every value is escaped.
    base = site.config.base_url
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f'<urlset xmlns="{SITEMAP}" xmlns:xhtml="{XHTML}">']
    for page in site.pages:
        if not is_public(page):
            continue
        lines += ["  <url>", f"    <loc>{_escape(base + page.url)}</loc>"]
        if page.updated:
            lines.append(f"    <lastmod>{page.updated.isoformat()}</lastmod>")
        translations = {code: p for code, p in site.translations(page).items() if is_public(p)}
        if len(translations) > 1:
            for lang in site.config.languages:  # the site's language order, the page itself included
                if lang.code in translations:
                    href = _escape(base + translations[lang.code].url)
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="{_escape(lang.code)}" href="{href}" />')
            # Readers whose language is none of these get the default language's page.
            default = translations.get(site.config.default.code)
            if default is not None:
                href = _escape(base + default.url)
                lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href="{href}" />')
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def robots(site: Site) -> bytes:
    # Crawlers read robots.txt only at a host's root; under a sub-path it is a hint for the host.
    return (
        "# Everything here is public; the sitemap lists every page in both languages.\n"
        "User-agent: *\n"
        "Allow: /\n"
        f"Sitemap: {site.config.base_url}sitemap.xml\n"
    ).encode()


def outputs(site: Site) -> list[Output]:
    return [Output("sitemap.xml", sitemap(site)), Output("robots.txt", robots(site))]
