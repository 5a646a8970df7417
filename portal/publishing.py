"""Which news items a build publishes: drafts and items dated after "now" wait.

A normal build leaves them out entirely, so nothing about them reaches
`_site/` (no page, no list entry, no feed entry, no sitemap line). A preview
(`serve`, `build --drafts`) keeps them, marked with their status so the
templates can say so on the page.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from .model import Page, Site

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
    pages = []
    for page in site.pages:
        state = status(page, today)
        if state == PUBLISHED:
            pages.append(page)
        elif include_unpublished:
            pages.append(dataclasses.replace(page, status=state))
    return dataclasses.replace(site, pages=tuple(pages))


def is_public(page: Page) -> bool:
    """Pages that belong in feeds and the sitemap: published ones, and never the 404 page."""
    return page.status == PUBLISHED and page.kind != "not-found"
