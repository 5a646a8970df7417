"""Which news items a build publishes: drafts and items dated after "now" wait.

A normal build leaves them out entirely, so nothing about them reaches
`_site/` (no page, no list entry, no feed entry, no sitemap line). A preview
(`serve`, `build --drafts`) keeps them, marked with their status so the
templates can say so on the page.

A news item or page past its `expires:` day is kept in every build, marked
"expired": its page says so (noindex), and it leaves the lists, feeds, sitemap
and search index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath

from portal.messages import _
from portal.model.site import Kind, Page, Site

PUBLISHED, DRAFT, SCHEDULED = "published", "draft", "scheduled"
# After its `expires:` day a news item or page keeps its page, so a link from elsewhere
# still leads somewhere true, but says it is no longer current, asks search engines not
# to index it, and leaves the lists, feeds, sitemap and search index.
EXPIRED = "expired"


def status(page: Page, today: dt.date) -> str:
    if page.kind == Kind.NEWS:
        if page.meta.get("draft"):
            return DRAFT
        if page.date > today:
            return SCHEDULED
    expires = page.meta.get("expires") if page.kind in (Kind.NEWS, Kind.PAGE) else None
    if expires is not None and today > expires:
        return EXPIRED
    return PUBLISHED


def select(site: Site, today: dt.date, include_unpublished: bool) -> Site:
    """The site as published on `today`; with include_unpublished, the preview of it."""
    pages, withheld = [], {}
    for page in site.pages:
        state = status(page, today)
        if state == PUBLISHED:
            pages.append(page)
        elif state == EXPIRED:  # in every build: its page stays, marked
            pages.append(dataclasses.replace(page, status=state))
        elif include_unpublished:
            pages.append(dataclasses.replace(page, status=state))
        else:
            withheld[page.source] = dataclasses.replace(page, status=state)
    return dataclasses.replace(site, pages=tuple(pages), withheld=withheld)


def missing_link(site: Site, page: Page, target: str) -> str:
    """Why a link to a content file has no page: the file is missing, or it is not published yet."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page.source), target.partition("#")[0]))
    waiting = site.withheld.get(path)
    if waiting is None:
        return _("links to '{target}', which is not a content file", target=target)
    if waiting.status == DRAFT:
        return _(
            "links to '{target}', which is a draft ('draft: true'): publish it first, or remove the link", target=target
        )
    return _(
        "links to '{target}', which is dated {date} and not published before then: add the link on that day, or give the item an earlier date",
        target=target,
        date=waiting.date.isoformat(),
    )


def is_public(page: Page) -> bool:
    """Pages that belong in feeds and the sitemap: published ones, and never the 404 page."""
    return page.status == PUBLISHED and page.kind != Kind.NOT_FOUND


def warn_expired_in_menus(site: Site, problems) -> None:
    """`check`: a menu that leads to a page saying it is no longer current is a mistake to fix."""
    refs = [("nav", k) for k in site.config.nav] + [("footer", k) for k in site.config.footer]
    refs += [("contact", site.config.contact), ("feedback", site.config.feedback.split("#")[0])]
    for where, key in refs:
        for lang in site.config.languages:
            page = site.page(key, lang.code)
            if page is not None and page.status == EXPIRED:
                problems.warn(
                    "data/site.yaml",
                    None,
                    _(
                        "{where} names the page '{key}', whose {code} version {source} expired after {expires}: take it out of the menu, or change its 'expires'",
                        where=where,
                        key=key,
                        code=lang.code,
                        source=page.source,
                        expires=page.meta["expires"].isoformat(),
                    ),
                )
