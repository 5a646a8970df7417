"""`serve` rebuilds only what a change affects, and the result equals a full build byte for byte."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from conftest import edit
from portal import pipeline
from portal.load import sources as load
from portal.preview import incremental
from portal.review import links

BASE = "http://127.0.0.1:8000/"
NEWS_SV = "content/news/2020-01-10-enheten-vaxer.sv.md"


def options(root: Path, out: str) -> pipeline.Options:
    return pipeline.Options(root=root, out=root / out, base_url=BASE, drafts=True)  # as serve builds


def files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def same_as_full_build(root: Path, builder: incremental.Builder) -> None:
    """The incremental output, once serve has made its search index again, equals a full build's."""
    assert not builder.index_search().errors
    full = pipeline.build(options(root, "_full"))
    assert not full.problems.errors, full.problems.sorted()
    incremental_files, full_files = files(root / "_inc"), files(root / "_full")
    assert sorted(incremental_files) == sorted(full_files)
    assert [p for p in full_files if incremental_files[p] != full_files[p]] == []


@pytest.fixture
def builder(tiny):
    b = incremental.Builder(options(tiny, "_inc"))
    first = b.build()
    assert not first.problems.errors, first.problems.sorted()
    assert len(first.rendered) == first.pages  # the first build renders everything
    return b


def pages_of(result) -> set:
    return set(result.rendered)


def test_nothing_changed_renders_nothing_and_writes_nothing(tiny, builder):
    result = builder.build()
    assert result.rendered == [] and result.changed == set()


def test_editing_a_news_item_redoes_it_its_lists_and_its_feed_only(tiny, builder):
    edit(tiny / NEWS_SV, "har ett avtal", "har skrivit ett avtal")
    result = builder.build()
    rendered = pages_of(result)
    assert "nyheter/enheten-vaxer/index.html" in rendered
    assert {"nyheter/index.html", "nyheter/arkiv/2020/index.html", "nyheter/kommun/odeshog/index.html"} <= rendered
    assert not rendered & {"kontakt/index.html", "om/index.html", "en/index.html", "enheten/index.html"}
    assert not any(p.startswith("en/") for p in rendered)  # the English pages show nothing that changed
    assert "nyheter/atom.xml" in result.changed
    same_as_full_build(tiny, builder)


def test_a_new_address_for_a_news_item_redoes_its_translation_and_removes_the_old_page(tiny, builder):
    edit(tiny / NEWS_SV, "slug: enheten-vaxer", "slug: enheten-ar-storre")
    result = builder.build()
    rendered = pages_of(result)
    assert "nyheter/enheten-ar-storre/index.html" in rendered
    assert "en/news/the-unit-grows/index.html" in rendered  # its language link changed
    assert "nyheter/enheten-vaxer/index.html" in result.changed
    assert not (tiny / "_inc/nyheter/enheten-vaxer").exists()
    same_as_full_build(tiny, builder)


def test_editing_a_template_redoes_only_the_pages_that_use_it(tiny, builder):
    edit(tiny / "templates/news_item.html", "<h1>", '<h1 class="news-title">')
    assert pages_of(builder.build()) == {"nyheter/enheten-vaxer/index.html", "en/news/the-unit-grows/index.html"}
    same_as_full_build(tiny, builder)


def test_editing_an_included_template_redoes_every_page_that_includes_it(tiny, builder):
    edit(tiny / "templates/partials/footer.html", "<footer", '<footer data-edited="yes"')
    result = builder.build()
    html_pages = {p for p in result.changed if p.endswith(".html")}
    assert pages_of(result) == html_pages and len(html_pages) == result.pages
    same_as_full_build(tiny, builder)


def test_editing_data_redoes_only_the_pages_that_read_it(tiny, builder):
    edit(tiny / "data/staffing.yaml", "value: 5\n", "value: 6\n")
    rendered = pages_of(builder.build())
    assert {"enheten/index.html", "en/staffing/index.html", "index.html"} <= rendered
    assert not rendered & {"kontakt/index.html", "nyheter/enheten-vaxer/index.html", "om/index.html"}
    same_as_full_build(tiny, builder)


def test_renaming_a_page_redoes_the_pages_that_show_its_title(tiny, builder):
    edit(tiny / "content/pages/kontakt.sv.md", "title: Kontakt", "title: Kontakta oss")
    rendered = pages_of(builder.build())
    assert "kontakt/index.html" in rendered and "index.html" in rendered  # the footer of every Swedish page names it
    assert "en/contact/index.html" not in rendered  # the English pages name the English page
    same_as_full_build(tiny, builder)


def test_adding_and_removing_a_news_item(tiny, builder):
    new = tiny / "content/news/2020-02-01-prov.sv.md"
    new.write_text(
        "---\ntitle: Ett prov\ndate: 2020-02-01\nsummary: En kort text.\nmunicipalities: [mjolby]\n---\nText.\n",
        encoding="utf-8",
    )
    result = builder.build()
    assert not result.problems.errors, result.problems.sorted()
    assert {"nyheter/2020-02-01-prov/index.html", "nyheter/index.html", "index.html"} <= pages_of(result)
    same_as_full_build(tiny, builder)
    new.unlink()
    result = builder.build()
    assert "nyheter/2020-02-01-prov/index.html" in result.changed
    same_as_full_build(tiny, builder)


def test_a_broken_edit_writes_nothing_and_the_fix_brings_back_the_same_site(tiny, builder):
    before = files(tiny / "_inc")
    edit(tiny / NEWS_SV, "date: 2020-01-10", "date: 2020-02-30")
    broken = builder.build()
    assert [str(p) for p in broken.problems.errors] == [
        f"{NEWS_SV}:4: 'date' is '2020-02-30', which is not a real date"
    ]
    assert files(tiny / "_inc") == before
    edit(tiny / NEWS_SV, "date: 2020-02-30", "date: 2020-01-10")
    fixed = builder.build()
    assert not fixed.problems.errors and fixed.changed == set()
    same_as_full_build(tiny, builder)


def test_a_change_to_many_pages_writes_the_open_page_first_then_the_rest(tiny, builder, monkeypatch):
    monkeypatch.setattr(incremental, "FIRST_WHEN", 10)  # the tiny site has 30 pages; a real site 200 and more
    edit(tiny / "templates/partials/footer.html", "<footer", '<footer data-edited="yes"')
    seen = {}

    def shown():  # what a browser would load when told to reload, while the rest still renders
        seen.update(
            {
                name: (tiny / "_inc" / name).read_text(encoding="utf-8")
                for name in ("kontakt/index.html", "om/index.html")
            }
        )

    result = builder.build(viewed={"kontakt/index.html"}, shown=shown)
    assert result.early == {"kontakt/index.html"}
    assert 'data-edited="yes"' in seen["kontakt/index.html"]
    assert 'data-edited="yes"' not in seen["om/index.html"]  # not yet
    assert "kontakt/index.html" not in result.changed  # written already, and the same
    assert "om/index.html" in result.changed
    assert result.rendered.count("kontakt/index.html") == 1  # rendered once, not twice
    same_as_full_build(tiny, builder)


def test_a_change_to_a_few_pages_is_not_split(tiny, builder):
    edit(tiny / NEWS_SV, "har ett avtal", "har skrivit ett avtal")
    result = builder.build(viewed={"nyheter/enheten-vaxer/index.html"}, shown=lambda: pytest.fail("split"))
    assert result.early == set() and "nyheter/enheten-vaxer/index.html" in result.changed


NEWS_PAGE = "nyheter/enheten-vaxer/index.html"


def shows_first(tiny: Path, builder, monkeypatch, saved: set, viewed: set) -> tuple:
    """Build after a save as serve does; (the result, each viewed page as it was when shown() was
    called, whether the site had been loaded again by then)."""
    loaded, seen = [], {}
    make_site = pipeline.make_site

    def counting(*args, **kwargs):
        loaded.append(True)
        return make_site(*args, **kwargs)

    def shown():  # what a browser would load when told to reload, while the rest still renders
        seen.update({name: (tiny / "_inc" / name).read_text(encoding="utf-8") for name in viewed})
        seen["loaded again"] = bool(loaded)

    monkeypatch.setattr(pipeline, "make_site", counting)
    result = builder.build(viewed=viewed, shown=shown, saved=saved)
    return result, seen


def test_a_saved_text_shows_on_its_open_page_before_the_site_is_loaded_again(tiny, builder, monkeypatch):
    edit(tiny / NEWS_SV, "har ett avtal.", "har ett avtal.\n\nEtt *nytt* stycke.")
    result, seen = shows_first(tiny, builder, monkeypatch, {NEWS_SV}, {NEWS_PAGE})
    assert result.early == {NEWS_PAGE}
    assert seen["loaded again"] is False
    assert "Ett <em>nytt</em> stycke." in seen[NEWS_PAGE]
    assert NEWS_PAGE not in result.changed  # the whole build made the very page shown first
    assert "nyheter/atom.xml" in result.changed  # and the rest the text shows in
    assert result.search_stale  # the page shown first changed the index too
    same_as_full_build(tiny, builder)


@pytest.mark.parametrize(
    "old, new",
    [
        ("title: Enheten växer", "title: Enheten växer mer"),  # a field: lists and translations show it
        ("updated: 2020-01-12", "updated: 2020-01-13"),
        ("har ett avtal.", "har ett avtal med [en sida som inte finns](saknas.sv.md)."),  # a problem
    ],
    ids=["title", "date", "broken link"],
)
def test_a_save_that_changes_more_than_its_text_waits_for_the_whole_build(tiny, builder, monkeypatch, old, new):
    edit(tiny / NEWS_SV, old, new)
    edit(tiny / NEWS_SV, "Ödeshög och Mjölby", "Ödeshög och Mjölby kommun")  # and the text, in the same save
    before = (tiny / "_inc" / NEWS_PAGE).read_text(encoding="utf-8")
    result, seen = shows_first(tiny, builder, monkeypatch, {NEWS_SV}, {NEWS_PAGE})
    assert result.early == set() and seen == {}
    if "saknas" in new:
        assert [p.path for p in result.problems.errors] == [NEWS_SV]
        assert (tiny / "_inc" / NEWS_PAGE).read_text(encoding="utf-8") == before  # the last good page stays
    else:
        assert NEWS_PAGE in result.changed
        same_as_full_build(tiny, builder)


def test_a_page_shown_first_makes_the_search_index_stale_even_when_the_whole_build_fails(tiny, builder, monkeypatch):
    """A link to no page is found by the whole build's link check only, after the page was shown."""
    edit(tiny / NEWS_SV, "har ett avtal.", "har ett avtal, [se här](/finns-inte/).")
    result, seen = shows_first(tiny, builder, monkeypatch, {NEWS_SV}, {NEWS_PAGE})
    assert result.early == {NEWS_PAGE} and result.problems.errors
    assert result.search_stale  # serve makes the index again once the saves pause


def test_a_page_shown_first_makes_the_search_index_stale_even_when_a_newer_save_stops_the_build(tiny, builder):
    edit(tiny / NEWS_SV, "har ett avtal.", "har ett nytt avtal.")
    stop = threading.Event()
    stop.set()
    stopped = builder.build(stop, viewed={NEWS_PAGE}, saved={NEWS_SV})
    assert stopped.cancelled and stopped.early == {NEWS_PAGE} and stopped.search_stale


def test_a_saved_template_shows_on_the_open_page_before_the_site_is_loaded_again(tiny, builder, monkeypatch):
    edit(tiny / "templates/partials/footer.html", "<footer", '<footer data-edited="yes"')
    result, seen = shows_first(tiny, builder, monkeypatch, {"templates/partials/footer.html"}, {"kontakt/index.html"})
    assert result.early == {"kontakt/index.html"} and seen["loaded again"] is False
    assert 'data-edited="yes"' in seen["kontakt/index.html"]
    assert "kontakt/index.html" not in result.changed and "om/index.html" in result.changed
    same_as_full_build(tiny, builder)


def test_a_template_that_does_not_compile_waits_for_the_whole_build(tiny, builder, monkeypatch):
    before = (tiny / "_inc/kontakt/index.html").read_text(encoding="utf-8")
    edit(tiny / "templates/partials/footer.html", "<footer", "{% if %}<footer")
    result, seen = shows_first(tiny, builder, monkeypatch, {"templates/partials/footer.html"}, {"kontakt/index.html"})
    assert result.early == set() and seen == {}
    assert [p.path for p in result.problems.errors] == ["templates/partials/footer.html"]
    assert (tiny / "_inc/kontakt/index.html").read_text(encoding="utf-8") == before


def test_a_saved_text_shows_first_only_on_a_page_a_browser_has_open(tiny, builder, monkeypatch):
    edit(tiny / NEWS_SV, "har ett avtal.", "har ett nytt avtal.")
    result, seen = shows_first(tiny, builder, monkeypatch, {NEWS_SV}, {"kontakt/index.html"})
    assert result.early == set() and seen == {}
    assert NEWS_PAGE in result.changed


def test_a_saved_text_after_a_broken_build_waits_for_the_whole_build(tiny, builder, monkeypatch):
    edit(tiny / NEWS_SV, "date: 2020-01-10", "date: 2020-02-30")
    assert builder.build().problems.errors
    edit(tiny / NEWS_SV, "date: 2020-02-30", "date: 2020-01-10")
    edit(tiny / NEWS_SV, "har ett avtal.", "har ett nytt avtal.")
    result, seen = shows_first(tiny, builder, monkeypatch, {NEWS_SV}, {NEWS_PAGE})
    assert result.early == set() and not result.problems.errors
    assert "har ett nytt avtal." in (tiny / "_inc" / NEWS_PAGE).read_text(encoding="utf-8")
    same_as_full_build(tiny, builder)


def reads_during(builder, monkeypatch) -> tuple:
    """(the result of building again, the content files read from disk for it)."""
    read = []
    real = load._read_bytes

    def reading(root, path, problems, name, walked):
        if name.startswith("content/"):
            read.append(name)
        return real(root, path, problems, name, walked)

    monkeypatch.setattr(load, "_read_bytes", reading)
    result = builder.build()
    monkeypatch.setattr(load, "_read_bytes", real)
    return result, read


def test_a_rebuild_reads_again_only_the_content_files_changed_since_the_last_load(tiny, builder, monkeypatch):
    monkeypatch.setattr(load, "STABLE_NS", 0)  # the fixture's files were written just now
    everything = len(list((tiny / "content").rglob("*.md")))
    assert len(reads_during(builder, monkeypatch)[1]) == everything  # read once with their identities
    time.sleep(0.05)  # past the file system clock's tick: the save below gets a new time
    edit(tiny / NEWS_SV, "har ett avtal.", "har ett nytt avtal.")
    result, read = reads_during(builder, monkeypatch)
    assert read == [NEWS_SV] and NEWS_PAGE in result.changed
    # The same size and the old modification time put back (as a copy keeping times does): the
    # change time still tells.
    stat = (tiny / NEWS_SV).stat()
    edit(tiny / NEWS_SV, "har ett nytt avtal.", "har ett gott avtal.")
    os.utime(tiny / NEWS_SV, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result, read = reads_during(builder, monkeypatch)
    assert read == [NEWS_SV] and "har ett gott avtal." in (tiny / "_inc" / NEWS_PAGE).read_text(encoding="utf-8")
    same_as_full_build(tiny, builder)


def test_a_file_changed_just_before_it_was_read_is_read_again(tiny, builder, monkeypatch):
    """Within a tick of the file system's clock a second save could keep the time and the size."""
    everything = len(list((tiny / "content").rglob("*.md")))
    assert len(reads_during(builder, monkeypatch)[1]) == everything  # all written by the fixture just now
    assert len(reads_during(builder, monkeypatch)[1]) == everything


def test_a_build_stopped_by_a_newer_save_writes_nothing_and_the_next_one_is_whole(tiny, builder):
    before = files(tiny / "_inc")
    edit(tiny / "templates/partials/footer.html", "<footer", '<footer data-edited="yes"')
    stop = threading.Event()
    stop.set()  # serve sets it when a save comes while pages render
    result = builder.build(stop)
    assert result.cancelled and not result.changed
    assert files(tiny / "_inc") == before
    result = builder.build()
    assert not result.cancelled and len(result.rendered) == result.pages
    same_as_full_build(tiny, builder)


def test_a_rebuild_checks_the_links_of_the_pages_it_reused_without_parsing_them_again(tiny, builder, monkeypatch):
    parsed = []
    real = links._parse
    monkeypatch.setattr(links, "_parse", lambda data: parsed.append(data) or real(data))
    edit(tiny / NEWS_SV, "har ett avtal.", "har ett nytt avtal.")
    result = builder.build()
    assert not result.problems.errors
    pages = {page.output for page in result.site.pages}
    others = [p for p in files(tiny / "_inc") if p.endswith(".html") and p not in pages and "pagefind" not in p]
    # What it rendered, and the site's HTML files that are not pages (the web editor's, when installed).
    assert 0 < len(parsed) == len([p for p in result.rendered if p.endswith(".html")]) + len(others)
    assert len(parsed) < len(pages) / 2
    same_as_full_build(tiny, builder)


def test_a_newer_save_stops_a_build_at_its_next_stage(tiny, builder, monkeypatch):
    """Each stage takes up to a second on a big site: a save that came meanwhile does not wait
    for the rest (serve then shows its page first)."""
    stop = threading.Event()
    modelled, checked = [], []
    make, load_site = pipeline.sites.make, pipeline.load.load

    def loading(*args, **kwargs):  # the save comes while the files are read
        stop.set()
        return load_site(*args, **kwargs)

    monkeypatch.setattr(pipeline.load, "load", loading)
    monkeypatch.setattr(pipeline.sites, "make", lambda *args: modelled.append(1) or make(*args))
    assert builder.build(stop).cancelled and modelled == []
    monkeypatch.setattr(pipeline.load, "load", load_site)

    stop.clear()
    clashes = pipeline.write.clashes

    def naming(*args):  # the save comes while the asset names are settled, after the pages rendered
        stop.set()
        return clashes(*args)

    monkeypatch.setattr(pipeline.write, "clashes", naming)
    monkeypatch.setattr(pipeline.links, "check", lambda *args: checked.append(1))
    edit(tiny / NEWS_SV, "har ett avtal.", "har ett nytt avtal.")
    assert builder.build(stop).cancelled and checked == []


ALERT = """\
- level: information
  start: 2000-01-01T00:00+01:00
  end: 2999-01-01T00:00+01:00
  text:
    sv: Testmeddelande.
    en: Test message.
"""


def test_an_alert_redoes_every_page_when_it_comes_and_when_it_goes(tiny, builder):
    shipped = (tiny / "data/alerts.yaml").read_text(encoding="utf-8")
    (tiny / "data/alerts.yaml").write_text(ALERT, encoding="utf-8")
    result = builder.build()
    assert len(result.rendered) == result.pages  # every page shows it
    assert "Testmeddelande." in (tiny / "_inc/kontakt/index.html").read_text(encoding="utf-8")
    same_as_full_build(tiny, builder)
    (tiny / "data/alerts.yaml").write_text(shipped, encoding="utf-8")
    result = builder.build()
    assert len(result.rendered) == result.pages
    assert "Testmeddelande." not in (tiny / "_inc/kontakt/index.html").read_text(encoding="utf-8")
    same_as_full_build(tiny, builder)


def test_aliases_and_expiry_come_and_go_as_in_a_full_build(tiny, builder):
    page = tiny / "content/pages/kontakt.sv.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(
        original.replace("---\n", "---\naliases: [/gammal-kontakt/]\nexpires: 2020-01-01\n", 1), encoding="utf-8"
    )
    builder.build()
    assert (tiny / "_inc/gammal-kontakt/index.html").is_file() and (tiny / "_inc/_redirects").is_file()
    same_as_full_build(tiny, builder)
    page.write_text(original, encoding="utf-8")
    builder.build()
    assert not (tiny / "_inc/gammal-kontakt/index.html").exists() and not (tiny / "_inc/_redirects").exists()
    same_as_full_build(tiny, builder)
