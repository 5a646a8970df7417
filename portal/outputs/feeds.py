"""An Atom 1.0 feed per language, beside its news list: /nyheter/atom.xml, /en/news/atom.xml.

A feed holds the newest `news.feed_size` items (data/site.yaml, 20 unless
set): feed readers fetch the whole file again and again, so it stays small
whatever the archive holds; the news archive lists every item. Entries carry
the full text with every link made absolute (feed readers show
it away from the site). Ids are UUIDs derived from the fixed `feed_namespace`
in data/site.yaml and the item's translation key and language, so they stay
the same when the base URL or a title changes. Times are the items' own dates,
never the time of the build, so a rebuild gives the same bytes. The alerts a build shows
(data/alerts.yaml, alerts.py) are entries too, first, dated by their start. Written with
ElementTree, so the XML is well-formed whatever the text holds.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from portal import formatting
from portal.load import strings as i18n
from portal.model.publishing import is_public
from portal.model.site import Page, Site
from portal.output import Output
from portal.render import citations, markup

ATOM = "http://www.w3.org/2005/Atom"
FILE = "atom.xml"  # beside the first page of each language's news list
_LINK = re.compile(r'(href|src)="([^"]*)"')


def feed_id(site: Site, *parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.UUID(site.config.news.feed_namespace), "/".join(parts)))


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def absolute_html(site: Site, item: Page, page_url: str) -> str:
    """The item's text as HTML with every href and src absolute."""
    by_source = site.url_by_source
    fragment = markup.to_html(item.markdown)
    fragment, _ = markup.rewrite_links(fragment, item.source, by_source.get, site.config.base_url)

    def absolute(match):
        return f'{match.group(1)}="{html.escape(urljoin(page_url, html.unescape(match.group(2))))}"'

    return _LINK.sub(absolute, fragment)


def source_line(site: Site, item: Page, lang) -> str:
    config = site.config
    if item.meta.get("sources"):  # ids in data/sources.yaml, cited as on the item's page
        cited = [citations.cite(site.source(sid), config, lang.code, citations.FEED) for sid in item.meta["sources"]]
        label = i18n.text(config, lang.code, "news.source" if len(cited) == 1 else "sources.several")
        return f"<p>{html.escape(label)}: {'; '.join(cited)}.</p>"
    src = item.meta.get("source")
    if not src:
        return ""
    label = i18n.text(config, lang.code, "news.source")
    parts = [html.escape(src["publisher"])]
    if src.get("title"):
        title = html.escape(src["title"])
        parts.append(f'<a href="{html.escape(src["url"])}">{title}</a>' if src.get("url") else f"<cite>{title}</cite>")
    if src.get("date"):
        parts.append(html.escape(formatting.date(src["date"], lang.locale)))
    return f"<p>{html.escape(label)}: {', '.join(parts)}.</p>"


def _sub(parent, tag, text=None, **attrs):
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def moment_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def alert_entry(root, site: Site, alert, lang) -> None:
    """An alert the build shows, as an entry: its level and text, its link (or the home page), the emergency numbers."""
    base = site.config.base_url
    level = i18n.text(site.config, lang.code, f"alert.{alert.level}")
    text = alert.text[lang.code]
    target = alert.link[lang.code] if alert.link else "/" + lang.prefix
    href = base + target.lstrip("/") if target.startswith("/") else target
    entry = _sub(root, "entry")
    _sub(entry, "id", feed_id(site, "alert", alert.id, lang.code))
    _sub(entry, "title", f"{level}: {text}")
    _sub(entry, "link", rel="alternate", type="text/html", hreflang=lang.code, href=href)
    _sub(entry, "published", moment_stamp(alert.start))
    _sub(entry, "updated", moment_stamp(alert.start))
    _sub(entry, "category", term=f"alert-{alert.level}", label=level)
    _sub(entry, "summary", text, type="text")
    numbers = [("112", "112", "alert.n112"), ("11313", "113 13", "alert.n11313"), ("11414", "114 14", "alert.n11414")]
    items = "".join(
        f'<li><a href="tel:{tel}">{shown}</a> {html.escape(i18n.text(site.config, lang.code, key))}'
        + (
            f' <a href="{html.escape(i18n.text(site.config, lang.code, "alert.krisinformation_url"))}">krisinformation.se</a>'
            if tel == "11313"
            else ""
        )
        + "</li>"
        for tel, shown, key in numbers
    )
    more = (
        f'<p><a href="{html.escape(href)}">{html.escape(i18n.text(site.config, lang.code, "alert.more"))}</a></p>'
        if alert.link
        else ""
    )
    _sub(entry, "content", f"<p>{html.escape(text)}</p>{more}<ul>{items}</ul>", type="html")


def feed(site: Site, lang, news_page: Page) -> bytes:
    base = site.config.base_url
    items = [i for i in site.news(lang.code) if is_public(i)][: site.config.news.feed_size]
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang.code})
    _sub(root, "id", feed_id(site, "feed", lang.code))
    _sub(root, "title", f"{news_page.title} – {lang.title}")
    _sub(root, "link", rel="self", type="application/atom+xml", href=base + news_page.url + FILE)
    _sub(root, "link", rel="alternate", type="text/html", hreflang=lang.code, href=base + news_page.url)
    dates = [i.meta.get("updated") or i.date for i in items]
    # A feed without entries still needs <updated>: the newest page of its language, not the clock.
    dates = dates or [p.updated for p in site.pages if p.lang == lang.code and p.updated] or [dt.date(1970, 1, 1)]
    updated = timestamp(max(dates))
    # The alerts the build shows come first and make the feed as new as the newest of them.
    running = [a for a in site.alerts if not a.scheduled]
    updated = max([updated] + [moment_stamp(a.start) for a in running])
    _sub(root, "updated", updated)
    author = _sub(root, "author")
    unit = site.collaboration.unit_name[lang.code] if site.collaboration else lang.title
    _sub(author, "name", unit)
    for alert in running:
        alert_entry(root, site, alert, lang)
    for item in items:
        url = base + item.url
        entry = _sub(root, "entry")
        _sub(entry, "id", feed_id(site, "news", item.key, lang.code))
        _sub(entry, "title", item.title)
        _sub(entry, "link", rel="alternate", type="text/html", hreflang=lang.code, href=url)
        for code, other in site.translations(item).items():
            if code != lang.code and is_public(other):
                _sub(entry, "link", rel="alternate", type="text/html", hreflang=code, href=base + other.url)
        _sub(entry, "published", timestamp(item.date))
        _sub(entry, "updated", timestamp(item.meta.get("updated") or item.date))
        if site.collaboration:
            for mid in item.meta["municipalities"]:
                m = site.collaboration.municipality(mid)
                _sub(entry, "category", term=mid, label=m.place or m.name[lang.code])
        _sub(entry, "summary", item.meta["summary"], type="text")
        _sub(entry, "content", absolute_html(site, item, url) + source_line(site, item, lang), type="html")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def outputs(site: Site) -> list[Output]:
    out = []
    for lang in site.config.languages:
        news_page = site.page("news", lang.code)
        if news_page is not None:
            out.append(Output(news_page.url + FILE, feed(site, lang, news_page)))
    return out
