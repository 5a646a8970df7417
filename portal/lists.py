"""The news lists the build makes: paginated per language, by year, per municipality.

Every list exists in every language under the same translation key, so each
list page links its counterpart in the other language even where one language
has fewer items (that page then says it has none). The items a list shows, its
pagination and what it is about travel in the page's `meta`; templates only
read them.

    /nyheter/                 key "news"                  the newest items, page 1
    /nyheter/sida/2/          key "news-page-2"           page 2 …
    /nyheter/arkiv/           key "news-archive"          the years and municipalities
    /nyheter/arkiv/2019/      key "news-year-2019"        every item of 2019
    /nyheter/kommun/odeshog/  key "news-municipality-odeshog"
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import model
from .model import Page, Site
from .problems import Problems

LIST_KINDS = ("news-list", "news-archive", "news-year", "news-municipality")


@dataclass(frozen=True)
class Pagination:
    number: int  # this page, from 1
    pages: tuple  # (number, site path) of every page, in order

    @property
    def previous(self):
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self):
        return self.pages[self.number] if self.number < len(self.pages) else None


def _t(site: Site, lang: str, key: str, **values) -> str:
    text = site.config.strings.get(lang, {}).get(key, key)
    return text.format(**values) if values else text


def _newest(items) -> object:
    dates = [i.meta.get("updated") or i.date for i in items]
    return max(dates) if dates else None


def list_pages(site: Site) -> list:
    """Every news list page of every language."""
    config, settings = site.config, site.config.news
    items = {lang.code: site.news(lang.code) for lang in config.languages}
    size = settings.page_size
    # As many pages, years and municipality lists in every language, so all pair up.
    page_count = max([1] + [-(-len(news) // size) for news in items.values()])
    years = sorted({i.date.year for news in items.values() for i in news}, reverse=True)
    out = []
    for lang in config.languages:
        code, news = lang.code, items[lang.code]
        root = f"{lang.prefix}{config.sections['news'][code]}/"
        paths = settings.paths
        page_urls = tuple((n, root if n == 1 else f"{root}{paths['page'][code]}/{n}/") for n in range(1, page_count + 1))
        for n, url in page_urls:
            chunk = tuple(news[(n - 1) * size: n * size])
            title = _t(site, code, "news.title")
            if page_count > 1 and n > 1:
                title = _t(site, code, "news.page_title", number=n, total=page_count)
            out.append(Page(key="news" if n == 1 else f"news-page-{n}", lang=code, kind="news-list", url=url,
                            title=title, template="news_list.html", updated=_newest(chunk),
                            meta={"news": chunk, "pagination": Pagination(n, page_urls) if page_count > 1 else None}))
        archive = f"{root}{paths['archive'][code]}/"
        year_pages = []
        for year in years:
            chunk = tuple(i for i in news if i.date.year == year)
            year_pages.append(Page(key=f"news-year-{year}", lang=code, kind="news-year", url=f"{archive}{year}/",
                                   title=_t(site, code, "news.year", year=year), template="news_list.html",
                                   updated=_newest(chunk), meta={"news": chunk, "year": year, "pagination": None}))
        municipality_pages = []
        for m in site.collaboration.municipalities if site.collaboration else ():
            chunk = tuple(i for i in news if m.id in i.meta["municipalities"])
            place = m.place or m.name[code]
            municipality_pages.append(Page(
                key=f"news-municipality-{m.id}", lang=code, kind="news-municipality",
                url=f"{root}{paths['municipality'][code]}/{m.id}/", title=_t(site, code, "news.about", place=place),
                template="news_list.html", updated=_newest(chunk), meta={"news": chunk, "place": place, "pagination": None},
            ))
        out.append(Page(key="news-archive", lang=code, kind="news-archive", url=archive, title=_t(site, code, "news.archive"),
                        template="news_archive.html", updated=_newest(news),
                        meta={"years": tuple(year_pages), "municipalities": tuple(municipality_pages)}))
        out += year_pages + municipality_pages
    return out


def add(site: Site, problems: Problems) -> Site:
    """The site with its news lists made from the items it publishes."""
    if site.config.news is None:
        return site
    pages = [p for p in site.pages if p.kind not in LIST_KINDS] + list_pages(site)
    # A news item's slug may take a list's URL ("arkiv"): say so rather than overwrite.
    model.check_urls(pages, site.static, problems)
    order = {lang.code: i for i, lang in enumerate(site.config.languages)}
    pages.sort(key=lambda p: (order[p.lang], p.url))
    return dataclasses.replace(site, pages=tuple(pages))
