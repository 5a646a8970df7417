"""The model stage's result: the site as published and, for a preview, the site with drafts.

`model.build` turns the sources into a Site of the pages written in content/
(and the 404 page). Here, once, the build adds the pages it makes from data/
(datapages.py), withholds what is not published yet (publishing.py), makes the
news lists from what is left (lists.py), puts the pages in their one order and
checks, on the site it will render, that no two pages, files or old addresses
share a URL and that the menus name pages that exist.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from portal.load.sources import Sources
from portal.model import alerts, aliases, datapages, lists, opendata, publishing
from portal.model import site as model
from portal.problems import Problems


def make(
    sources: Sources,
    problems: Problems,
    today: dt.date,
    moment: dt.datetime,
    drafts: bool = False,
    base_url: str | None = None,
) -> tuple:
    """(the site as published on `today`, the preview with drafts and scheduled items or None).

    Without `drafts` the build renders the published site; with it, the preview, whose feeds
    and sitemap still describe the published one. (None, None) when there are errors.
    """
    site = model.build(sources, problems)
    if site is not None and site.catalogue is not None:
        opendata.check_languages(site.config, problems)  # the catalogue can name each configured language
    if site is None or problems.errors:
        return None, None
    if base_url:  # the command line's, over data/site.yaml's
        base_url = base_url if base_url.endswith("/") else base_url + "/"
        site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=base_url))
    made = datapages.pages(site.config, site.collaboration, site.catalogue)
    site = dataclasses.replace(site, pages=site.pages + tuple(made))
    public = _published(site, today, alerts.shown(site.alert_schedule, moment, False), False)
    preview = _published(site, today, alerts.shown(site.alert_schedule, moment, True), True) if drafts else None
    # The checks run on the site the build renders: the preview is a superset of the
    # published site, and a published build still checks the items it holds back.
    shown = preview or public
    every = shown.pages + tuple(shown.withheld.values())
    model.check_urls(every, shown.static, problems)
    model.check_references(shown.config, every, problems)
    aliases.check(dataclasses.replace(shown, pages=every), problems)  # a held-back page's address is taken too
    return (None, None) if problems.errors else (public, preview)


def _published(site: model.Site, today: dt.date, shown_alerts: tuple, include_unpublished: bool) -> model.Site:
    """The site as shown on `today`, with its news lists, its pages in their one order."""
    site = publishing.select(site, today, include_unpublished)
    # After the pages they might collide with: a URL check names the list second.
    pages = list(site.pages) + lists.list_pages(site)
    order = {lang.code: i for i, lang in enumerate(site.config.languages)}
    pages.sort(key=lambda p: (order[p.lang], p.url))
    return dataclasses.replace(site, pages=tuple(pages), alerts=shown_alerts)
