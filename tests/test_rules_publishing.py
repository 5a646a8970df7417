"""Every rule of publishing (portal/publishing.py): which news a build publishes, one small test each."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest

from portal.load import shape as s
from portal.load import yamlnodes
from portal.model import publishing
from portal.model import site as model
from portal.model.site import Page, Site
from portal.problems import Problems

TODAY = dt.date(2026, 11, 30)


def news(name, date=TODAY, **meta):
    return Page(
        key=name,
        lang="sv",
        kind="news",
        url=f"nyheter/{name}/",
        title=name,
        template="news.html",
        source=f"content/news/{name}.sv.md",
        date=date,
        meta=meta,
    )


def other(kind, name="x"):
    return Page(
        key=name,
        lang="sv",
        kind=kind,
        url=f"{name}/",
        title=name,
        template="page.html",
        source=None,
        date=TODAY + dt.timedelta(days=9),
        meta={"draft": True},
    )


def site(*pages):
    return Site(config=None, pages=tuple(pages), collaboration=None, sources=(), static=(), templates=None)


def test_news_dated_today_or_earlier_is_published():
    assert publishing.status(news("a", TODAY), TODAY) == publishing.PUBLISHED
    assert publishing.status(news("a", TODAY - dt.timedelta(days=1)), TODAY) == publishing.PUBLISHED


def test_news_dated_tomorrow_is_scheduled():
    assert publishing.status(news("a", TODAY + dt.timedelta(days=1)), TODAY) == publishing.SCHEDULED


def test_a_draft_is_a_draft_whatever_its_date():
    assert publishing.status(news("a", TODAY + dt.timedelta(days=1), draft=True), TODAY) == publishing.DRAFT
    assert publishing.status(news("a", TODAY - dt.timedelta(days=1), draft=True), TODAY) == publishing.DRAFT


def test_draft_false_is_published():
    assert publishing.status(news("a", draft=False), TODAY) == publishing.PUBLISHED


@pytest.mark.parametrize("kind", ["page", "news-list", "not-found"])
def test_only_news_can_wait(kind):
    assert publishing.status(other(kind), TODAY) == publishing.PUBLISHED


@pytest.mark.parametrize(
    "written, state",
    [
        ("True", publishing.DRAFT),
        ("TRUE", publishing.DRAFT),
        ("true", publishing.DRAFT),
        ("False", publishing.PUBLISHED),
        ("~", publishing.PUBLISHED),
    ],
)
def test_draft_in_front_matter_in_any_case(written, state):
    problems = Problems()
    node = yamlnodes.parse(f"title: A\ndate: 2026-11-30\nsummary: S\nmunicipalities: [mjolby]\ndraft: {written}\n")
    front = s.convert(node, model._page_shape("news"), s.Ctx("a.md", problems), "front matter")
    assert problems.items == []
    assert publishing.status(news("a", draft=front["draft"]), TODAY) == state


def test_a_build_leaves_waiting_news_out_and_remembers_why():
    published, draft, later, page = (
        news("a"),
        news("b", draft=True),
        news("c", TODAY + dt.timedelta(days=1)),
        other("page"),
    )
    result = publishing.select(site(published, draft, later, page), TODAY, include_unpublished=False)
    assert result.pages == (published, page)
    assert {k: v.status for k, v in result.withheld.items()} == {
        "content/news/b.sv.md": publishing.DRAFT,
        "content/news/c.sv.md": publishing.SCHEDULED,
    }


def test_a_preview_keeps_waiting_news_marked_with_its_status():
    published, draft, later = news("a"), news("b", draft=True), news("c", TODAY + dt.timedelta(days=1))
    result = publishing.select(site(published, draft, later), TODAY, include_unpublished=True)
    assert [p.status for p in result.pages] == [publishing.PUBLISHED, publishing.DRAFT, publishing.SCHEDULED]
    assert result.withheld == {}


def test_a_link_to_a_missing_file():
    page = news("a")
    assert (
        publishing.missing_link(site(page), page, "saknas.sv.md#x")
        == "links to 'saknas.sv.md#x', which is not a content file"
    )


def test_a_link_to_a_draft():
    page = news("a")
    selected = publishing.select(site(page, news("b", draft=True)), TODAY, False)
    assert publishing.missing_link(selected, page, "b.sv.md") == (
        "links to 'b.sv.md', which is a draft ('draft: true'): publish it first, or remove the link"
    )


def test_a_link_to_a_scheduled_item_names_its_date():
    page = news("a")
    selected = publishing.select(site(page, news("c", dt.date(2026, 12, 24))), TODAY, False)
    assert publishing.missing_link(selected, page, "../news/c.sv.md#top") == (
        "links to '../news/c.sv.md#top', which is dated 2026-12-24 and not published before then: "
        "add the link on that day, or give the item an earlier date"
    )


def test_public_pages_are_published_and_not_the_404_page():
    assert publishing.is_public(news("a"))
    assert not publishing.is_public(other("not-found"))
    assert not publishing.is_public(publishing.select(site(news("b", draft=True)), TODAY, True).pages[0])


# --- expiry ---------------------------------------------------------------------------------------


def page_(name, kind="page", **meta):
    return Page(
        key=name,
        lang="sv",
        kind=kind,
        url=f"{name}/",
        title=name,
        template="page.html",
        source=f"content/pages/{name}.sv.md",
        date=TODAY,
        meta=meta,
    )


@pytest.mark.parametrize("kind", ["page", "news"])
def test_a_page_or_news_item_past_its_expiry_day_is_expired(kind):
    assert publishing.status(page_("a", kind, expires=TODAY - dt.timedelta(days=1)), TODAY) == publishing.EXPIRED


@pytest.mark.parametrize("kind", ["page", "news"])
def test_on_its_expiry_day_it_is_still_published(kind):
    assert publishing.status(page_("a", kind, expires=TODAY), TODAY) == publishing.PUBLISHED


def test_other_kinds_never_expire():
    assert (
        publishing.status(page_("a", "news-list", expires=TODAY - dt.timedelta(days=1)), TODAY) == publishing.PUBLISHED
    )


def test_a_draft_or_scheduled_item_is_that_before_it_is_expired():
    old = TODAY - dt.timedelta(days=1)
    assert publishing.status(news("a", draft=True, expires=old), TODAY) == publishing.DRAFT
    assert publishing.status(news("a", TODAY + dt.timedelta(days=1), expires=old), TODAY) == publishing.SCHEDULED


def test_an_expired_page_stays_in_every_build_marked():
    expired = page_("a", expires=TODAY - dt.timedelta(days=1))
    for preview in (False, True):
        result = publishing.select(site(expired), TODAY, include_unpublished=preview)
        assert [p.status for p in result.pages] == [publishing.EXPIRED] and result.withheld == {}
    assert not publishing.is_public(result.pages[0])


def menu_site(*pages):
    config = SimpleNamespace(
        nav=["a"],
        footer=["b"],
        contact="c",
        feedback="d#form",
        languages=[SimpleNamespace(code="sv"), SimpleNamespace(code="en")],
    )
    return dataclasses.replace(site(*pages), config=config)


@pytest.mark.parametrize("where, key", [("nav", "a"), ("footer", "b"), ("contact", "c"), ("feedback", "d")])
def test_check_warns_about_a_menu_that_leads_to_an_expired_page(where, key):
    expired = dataclasses.replace(page_(key, expires=dt.date(2026, 1, 31)), status=publishing.EXPIRED)
    problems = Problems()
    publishing.warn_expired_in_menus(menu_site(expired, page_("x")), problems)
    assert [str(p) for p in problems.items] == [
        (
            f"data/site.yaml: warning: {where} names the page '{key}', whose sv version content/pages/{key}.sv.md expired "
            "after 2026-01-31: take it out of the menu, or change its 'expires'"
        )
    ]


def test_check_says_nothing_about_menus_of_current_pages():
    problems = Problems()
    publishing.warn_expired_in_menus(menu_site(page_("a"), page_("b")), problems)
    assert problems.items == []
