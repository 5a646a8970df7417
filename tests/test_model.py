"""Model stage: pages, translations and figures from the tiny site's sources."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import REPO
from newsitems import write_pair
from portal.load import sources as load
from portal.model import site as model
from portal.model import sites


def site_of(root):
    sources, problems = load.load(root)
    site = model.build(sources, problems)
    return site, problems


def test_translations_pair_by_file_name_and_slug_gives_english_urls(tiny):
    site, problems = site_of(tiny)
    assert problems.errors == []
    sv = site.page("om", "sv")
    assert sv.url == "om/"
    assert site.translations(sv)["en"].url == "en/about/"


def test_translation_key_pairs_files_with_different_names(tiny):
    root = tiny
    src = root / "content/pages/kontakt.en.md"
    src.rename(root / "content/pages/contact.en.md")
    text = (root / "content/pages/contact.en.md").read_text()
    (root / "content/pages/contact.en.md").write_text(
        text.replace("slug: contact\n", "slug: contact\ntranslation_key: kontakt\n")
    )
    site, problems = site_of(root)
    assert problems.errors == []
    assert site.translations(site.page("kontakt", "sv"))["en"].url == "en/contact/"


def test_derived_figure_is_computed_not_typed(tiny):
    site, _ = site_of(tiny)
    derived = site.figure("posts-not-paid-by-odeshog")
    assert derived.value == Decimal("3")  # 5 in total, 2 of them Ödeshög's
    assert derived.derived == ("total-posts", ("odeshog-posts",))
    assert site.figure("mjolby-posts").value is None


def test_the_site_holds_its_figures_once_in_staffing(tiny):
    site, _ = site_of(tiny)
    # A second copy (Site.figures) could be left behind when a stage replaces the staffing.
    assert not hasattr(site, "figures")
    assert site.figure("total-posts") in site.staffing.figures
    assert site.staffing.figures[-1].derived  # every entry, derived ones last


def test_parts_larger_than_the_total_are_an_error(tiny):
    path = tiny / "data/staffing.yaml"
    path.write_text(path.read_text().replace("value: 2\n", "value: 5.5\n"))
    _, problems = site_of(tiny)
    assert any("comes out negative" in p.message for p in problems.errors)


def test_news_are_newest_first(tiny):
    write_pair(tiny, "2020-03-01-senare", "2020-03-01")
    write_pair(tiny, "2019-12-01-tidigare", "2019-12-01")
    site, _ = site_of(tiny)
    dates = [p.date for p in site.news("sv")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 3


def test_every_page_kind_is_one_of_the_enum_and_a_string_naming_none_is_refused():
    sources, problems = load.load(REPO)
    public, preview = sites.make(sources, problems, dt.date(2026, 11, 30), dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    assert problems.errors == [] and preview is None
    assert {type(p.kind) for p in public.pages} == {model.Kind}
    assert {p.kind for p in public.pages} == set(model.Kind)  # the real portal has a page of every kind
    assert model.Page(key="k", lang="sv", kind="news", url="x/", title="t", template="t.html").kind is model.Kind.NEWS
    with pytest.raises(ValueError):
        model.Page(key="k", lang="sv", kind="newz", url="x/", title="t", template="t.html")


def test_news_are_newest_first_and_one_dates_items_by_url():
    """Several items, given oldest first and mixed: newest first, one date's items by URL, one language."""

    def news(url, date, lang="sv"):
        return model.Page(key=url, lang=lang, kind="news", url=url, title=url, template="news.html", date=date)

    pages = (
        news("b/", dt.date(2019, 1, 1)),
        news("c/", dt.date(2020, 6, 1)),
        news("en/x/", dt.date(2021, 1, 1), "en"),
        news("a/", dt.date(2020, 6, 1)),
        news("d/", dt.date(2019, 12, 31)),
        model.Page(key="p", lang="sv", kind="page", url="p/", title="p", template="page.html"),
    )
    site = model.Site(config=None, pages=pages, collaboration=None, sources=(), static=(), templates=None)
    assert [p.url for p in site.news("sv")] == ["c/", "a/", "d/", "b/"]
    assert [p.url for p in site.news("en")] == ["en/x/"]
