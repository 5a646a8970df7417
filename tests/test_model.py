"""Model stage: pages, translations and figures from the real portal's sources."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from conftest import REPO, copy_portal
from portal import load, model
from portal.problems import Problems


def site_of(root):
    sources, problems = load.load(root)
    site = model.build(sources, problems)
    return site, problems


def test_translations_pair_by_file_name_and_slug_gives_english_urls():
    site, problems = site_of(REPO)
    assert problems.errors == []
    sv = site.page("om-samverkan", "sv")
    assert sv.url == "om-samverkan/"
    assert site.translations(sv)["en"].url == "en/about-the-collaboration/"


def test_translation_key_pairs_files_with_different_names(tmp_path):
    root = copy_portal(tmp_path / "p")
    src = root / "content/pages/kontakt.en.md"
    src.rename(root / "content/pages/contact.en.md")
    text = (root / "content/pages/contact.en.md").read_text()
    (root / "content/pages/contact.en.md").write_text(text.replace("slug: contact\n", "slug: contact\ntranslation_key: kontakt\n"))
    site, problems = site_of(root)
    assert problems.errors == []
    assert site.translations(site.page("kontakt", "sv"))["en"].url == "en/contact/"


def test_derived_figure_is_computed_not_typed():
    site, _ = site_of(REPO)
    derived = site.figure("posts-not-paid-by-odeshog")
    assert derived.value == Decimal("3.565")
    assert derived.derived == ("total-posts", ("odeshog-posts",))
    assert site.figure("mjolby-posts").value is None


def test_parts_larger_than_the_total_are_an_error(tmp_path):
    root = copy_portal(tmp_path / "p")
    path = root / "data/staffing.yaml"
    path.write_text(path.read_text().replace("value: 1.135", "value: 5.0"))
    _, problems = site_of(root)
    assert any("comes out negative" in p.message for p in problems.errors)


def test_news_are_newest_first():
    """Several items, given oldest first and mixed: newest first, one date's items by URL, one language."""
    def news(url, date, lang="sv"):
        return model.Page(key=url, lang=lang, kind="news", url=url, title=url, template="news.html", date=date)

    pages = (news("b/", dt.date(2019, 1, 1)), news("c/", dt.date(2020, 6, 1)), news("en/x/", dt.date(2021, 1, 1), "en"),
             news("a/", dt.date(2020, 6, 1)), news("d/", dt.date(2019, 12, 31)),
             model.Page(key="p", lang="sv", kind="page", url="p/", title="p", template="page.html"))
    site = model.Site(config=None, pages=pages, collaboration=None, figures=(), sources=(), static=(), templates=None)
    assert [p.url for p in site.news("sv")] == ["c/", "a/", "d/", "b/"]
    assert [p.url for p in site.news("en")] == ["en/x/"]
