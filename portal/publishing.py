"""Which news items a build publishes: drafts and items dated after "now" wait.

A normal build leaves them out entirely, so nothing about them reaches
`_site/` (no page, no list entry, no feed entry, no sitemap line). A preview
(`serve`, `build --drafts`) keeps them, marked with their status so the
templates can say so on the page.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath

from .model import Page, Site
from .messages import _

PUBLISHED, DRAFT, SCHEDULED = "published", "draft", "scheduled"


def status(page: Page, today: dt.date) -> str:
    if page.kind != "news":
        return PUBLISHED
    if page.meta.get("draft"):
        return DRAFT
    if page.date > today:
        return SCHEDULED
    return PUBLISHED


def select(site: Site, today: dt.date, include_unpublished: bool) -> Site:
    """The site as published on `today`; with include_unpublished, the preview of it."""
    pages, withheld = [], {}
    for page in site.pages:
        state = status(page, today)
        if state == PUBLISHED:
            pages.append(page)
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
        return _("links to '{target}', which is a draft ('draft: true'): publish it first, or remove the link", target=target)
    return _("links to '{target}', which is dated {date} and not published before then: add the link on that day, or give the item an earlier date",
             target=target, date=waiting.date.isoformat())


def is_public(page: Page) -> bool:
    """Pages that belong in feeds and the sitemap: published ones, and never the 404 page."""
    return page.status == PUBLISHED and page.kind != "not-found"
