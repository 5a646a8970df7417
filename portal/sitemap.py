"""sitemap.xml (every public page, its translations as hreflang alternates, lastmod)
and robots.txt pointing to it. Drafts, scheduled items and the 404 page are never listed.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from .model import Site
from .publishing import is_public
from .render import Output

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def sitemap(site: Site) -> bytes:
    base = site.config.base_url
    root = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML})
    for page in site.pages:
        if not is_public(page):
            continue
        entry = ET.SubElement(root, "url")
        ET.SubElement(entry, "loc").text = base + page.url
        if page.updated:
            ET.SubElement(entry, "lastmod").text = page.updated.isoformat()
        translations = {code: p for code, p in site.translations(page).items() if is_public(p)}
        if len(translations) > 1:
            for lang in site.config.languages:  # the site's language order, the page itself included
                if lang.code in translations:
                    ET.SubElement(entry, "xhtml:link", {"rel": "alternate", "hreflang": lang.code,
                                                        "href": base + translations[lang.code].url})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(site: Site) -> bytes:
    # Crawlers read robots.txt only at a host's root; under a sub-path it is a hint for the host.
    return (
        "# Everything here is public; the sitemap lists every page in both languages.\n"
        "User-agent: *\n"
        "Allow: /\n"
        f"Sitemap: {site.config.base_url}sitemap.xml\n"
    ).encode("utf-8")


def outputs(site: Site) -> list[Output]:
    return [Output("sitemap.xml", sitemap(site)), Output("robots.txt", robots(site))]
