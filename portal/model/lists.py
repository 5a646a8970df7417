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
    /nyheter/kommun/odeshog/sida/2/  key "news-municipality-odeshog-page-2" …

The main list and each municipality's list are paginated (`news.page_size`);
a year of the archive is one page.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.load import strings as i18n
from portal.model.site import Kind, Page, Site


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

    def window(self, around: int = 2) -> tuple:
        """The page links to show: the first, the last and `around` on each side of this one;
        None where numbers are left out. A list of 300 pages then has 9 links, not 300."""
        keep = {1, len(self.pages), *range(self.number - around, self.number + around + 1)}
        shown, last = [], 0
        for number, path in self.pages:
            if number in keep:
                if number > last + 1:
                    shown.append(None)
                shown.append((number, path))
                last = number
        return tuple(shown)


def _t(site: Site, lang: str, key: str, **values) -> str:
    return i18n.text(site.config, lang, key, **values)


def _newest(items) -> object:
    dates = [i.meta.get("updated") or i.date for i in items]
    return max(dates) if dates else None


def list_pages(site: Site) -> list:
    """Every news list page of every language (made once per site, by sites.make)."""
    if site.config.news is None:
        return []
    config, settings = site.config, site.config.news
    items = {lang.code: site.news(lang.code) for lang in config.languages}
    municipalities = site.collaboration.municipalities if site.collaboration else ()
    about = {
        code: {m.id: tuple(i for i in news if m.id in i.meta["municipalities"]) for m in municipalities}
        for code, news in items.items()
    }
    # As many pages, years and municipality lists in every language, so all pair up.
    page_count = _page_count(settings.page_size, items.values())
    years = sorted({i.date.year for news in items.values() for i in news}, reverse=True)
    out = []
    for lang in config.languages:
        code, news = lang.code, items[lang.code]
        root = f"{lang.prefix}{config.sections['news'][code]}/"
        out += _paged(site, news, page_count, root, code, "news", Kind.NEWS_LIST, ("news.title", "news.page_title"))
        archive = f"{root}{settings.paths['archive'][code]}/"
        year_pages = []
        for year in years:
            chunk = tuple(i for i in news if i.date.year == year)
            year_pages.append(
                Page(
                    key=f"news-year-{year}",
                    lang=code,
                    kind=Kind.NEWS_YEAR,
                    url=f"{archive}{year}/",
                    title=_t(site, code, "news.year", year=year),
                    template="news_list.html",
                    updated=_newest(chunk),
                    meta={"news": chunk, "year": year, "pagination": None},
                )
            )
        municipality_pages, firsts = [], []
        for m in municipalities:
            place = m.place or m.name[code]
            count = _page_count(settings.page_size, (chosen[m.id] for chosen in about.values()))
            pages = _paged(
                site,
                about[code][m.id],
                count,
                f"{root}{settings.paths['municipality'][code]}/{m.id}/",
                code,
                f"news-municipality-{m.id}",
                Kind.NEWS_MUNICIPALITY,
                ("news.about", "news.about_page_title"),
                place=place,
            )
            municipality_pages += pages
            firsts.append(pages[0])
        out.append(
            Page(
                key="news-archive",
                lang=code,
                kind=Kind.NEWS_ARCHIVE,
                url=archive,
                title=_t(site, code, "news.archive"),
                template="news_archive.html",
                updated=_newest(news),
                meta={"years": tuple(year_pages), "municipalities": tuple(firsts)},
            )
        )
        out += year_pages + municipality_pages
    return out


def _page_count(size: int, lists) -> int:
    """Pages for the longest of the lists (one language's each), at least one."""
    return max([1] + [-(-len(chosen) // size) for chosen in lists])


def _paged(
    site: Site, news, page_count: int, root: str, lang: str, key: str, kind: Kind, titles: tuple, **values
) -> list:
    """A list of items as `page_count` pages: root, root/sida/2/, … under keys key, key-page-2, …

    `titles` are the string keys of the first page's title and the later pages' ("… – page 2 of 3").
    """
    size, word = site.config.news.page_size, site.config.news.paths["page"][lang]
    urls = tuple((n, root if n == 1 else f"{root}{word}/{n}/") for n in range(1, page_count + 1))
    pages = []
    for n, url in urls:
        chunk = tuple(news[(n - 1) * size : n * size])
        title = (
            _t(site, lang, titles[0], **values)
            if n == 1
            else _t(site, lang, titles[1], number=n, total=page_count, **values)
        )
        pages.append(
            Page(
                key=key if n == 1 else f"{key}-page-{n}",
                lang=lang,
                kind=kind,
                url=url,
                title=title,
                template="news_list.html",
                updated=_newest(chunk),
                meta={**values, "news": chunk, "pagination": Pagination(n, urls) if page_count > 1 else None},
            )
        )
    return pages
