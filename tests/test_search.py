"""Search on static hosting: Pagefind's index is built with the site, one search page per language."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from test_accessibility import tab_through

from browser import DESKTOP, Site, axe_violations, serve, watch
from conftest import run_build
from portal import write
from portal.output import Output
from portal.outputs import search as search_index
from portal.problems import Problems

SV_SEARCH, EN_SEARCH = "sok/", "en/search/"


def test_the_build_writes_a_search_index_per_language_and_times_it(tiny):
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    assert "search index:" in result.stdout  # its time is part of the build summary
    entry = json.loads((tiny / "_site/pagefind/pagefind-entry.json").read_text())
    # Only pages that mark their main content are indexed: not the 404, the search pages or the news lists.
    marked = {"sv": 0, "en": 0}
    for page in (tiny / "_site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            marked["en" if '<html lang="en">' in html else "sv"] += 1
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == marked
    assert marked["sv"] >= 7 and marked["en"] >= 7


def test_a_failed_index_leaves_the_previous_site_as_it_was(tmp_path):
    out = tmp_path / "_site"
    write.write([Output("index.html", b"old")], out, Problems())
    problems = Problems()
    write.write(
        [Output("index.html", b"new")],
        out,
        problems,
        finish=lambda folder: problems.error("search index", None, "Pagefind failed"),
    )
    assert problems.errors and (out / "index.html").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]  # no temporary folder left behind


def test_a_refresh_stopped_by_the_next_save_leaves_the_old_index_whole(tiny):
    assert run_build(tiny).returncode == 0
    site = tiny / "_site"
    before = {f.relative_to(site): f.read_bytes() for f in (site / "pagefind").rglob("*") if f.is_file()}
    (site / "index.html").write_text("<html lang=sv><body data-pagefind-body>Ny text</body></html>", encoding="utf-8")
    stop = threading.Event()
    stop.set()  # what `serve` does when a save comes while Pagefind runs
    problems = Problems()
    assert search_index.refresh(site, problems, stop) is False
    assert not problems.items
    assert {f.relative_to(site): f.read_bytes() for f in (site / "pagefind").rglob("*") if f.is_file()} == before
    assert not (site / ".pagefind-new").exists()
    assert search_index.refresh(site, problems) is True and not problems.items  # unstopped, it makes the new one
    assert {f.relative_to(site): f.read_bytes() for f in (site / "pagefind").rglob("*") if f.is_file()} != before


def search(page, query: str) -> list[str]:
    """Type a query as a person would; the pages found (without the words to highlight)
    once the status announces them."""
    page.fill("#search-input", query)
    page.wait_for_function("q => document.getElementById('search-status').textContent.includes(q)", arg=query)
    return page.eval_on_selector_all("#search-results > li > h2 a", "links => links.map(a => a.origin + a.pathname)")


@pytest.mark.browser
def test_swedish_search_finds_the_2019_news_item_and_the_staffing_page(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    seen = watch(page)
    page.goto(live_site.url(SV_SEARCH))
    found = search(page, "Ödeshög")
    assert live_site.url("nyheter/odeshog-ansluter/") in found
    assert live_site.url("enheten/") in search(page, "bemanning")
    assert "träffar" in page.text_content("#search-status")
    for url in set(found + search(page, "bemanning")):
        assert context.request.get(url).status == 200, url
        assert not url.startswith(live_site.url("en/"))
    assert search(page, "hoppa") == []  # the skip link's words: menus are not indexed
    assert seen.errors == []
    context.close()


@pytest.mark.browser
def test_english_search_finds_english_pages_only(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_site.url(EN_SEARCH))
    found = search(page, "staffing")
    assert live_site.url("en/the-unit-and-its-staffing/") in found
    for word in ("bemanning", "samarbetsavtal", "heltidstjänster", "Ödeshög"):
        wrong = [url for url in search(page, word) if not url.startswith(live_site.url("en/"))]
        assert wrong == [], f"'{word}' on the English search page found Swedish pages: {wrong}"
    # Menus are not indexed: a phrase from the page finds it, the skip link's words find nothing.
    assert live_site.url("en/the-unit-and-its-staffing/") in search(page, '"the unit and its staffing"')
    assert search(page, '"Skip to content"') == []
    for url in found:
        assert context.request.get(url).status == 200, url
    context.close()


@pytest.mark.browser
def test_search_works_by_keyboard_and_announces_results(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP, bypass_csp=True)  # bypass only to inject axe
    page = context.new_page()
    page.goto(live_site.url(SV_SEARCH))
    box = page.get_by_label("Sök på webbplatsen")  # the input has a real label
    box.wait_for()
    stops = tab_through(page)
    assert any(stop["what"].startswith("input") for stop in stops), [s["what"] for s in stops]
    box.focus()
    page.keyboard.type("bemanning")
    page.keyboard.press("Enter")
    status = page.get_by_role("status")  # a live region: screen readers read out the count
    status.filter(has_text="bemanning").wait_for()
    assert page.url.endswith("/sok/?q=bemanning")
    # The results are links in the Tab order, and focus still leaves the page at the end.
    stops = tab_through(page)
    assert "a /enheten/?pagefind-highlight=bemanning" in [stop["what"] for stop in stops]
    assert axe_violations(page) == []
    context.close()


@pytest.mark.browser
def test_without_javascript_the_page_says_so_and_offers_links(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    for path, needs, archive in (
        (SV_SEARCH, "behöver JavaScript", "Nyhetsarkivet"),
        (EN_SEARCH, "needs JavaScript", "The news archive"),
    ):
        page.goto(live_site.url(path))
        assert not page.is_visible(".search-form")
        assert needs in page.inner_text("#search-nojs")
        assert (
            page.get_by_role("link", name=archive)
            .get_attribute("href")
            .endswith(("/nyheter/arkiv/", "/en/news/archive/"))
        )
        assert page.locator("#search-nojs li a").count() >= 6  # the start page, the news and every page
    context.close()


@pytest.mark.browser
def test_search_works_under_a_sub_path(tmp_path, portal, chromium):
    result = run_build(portal, "--base-url", "https://example.org/trygghet/", "--out", str(tmp_path / "srv/trygghet"))
    assert result.returncode == 0, result.stderr
    with serve(tmp_path / "srv") as origin:
        site = Site(tmp_path / "srv/trygghet", origin, "/trygghet/")
        context = chromium.new_context(viewport=DESKTOP)
        page = context.new_page()
        seen = watch(page)
        page.goto(site.url(SV_SEARCH))
        found = search(page, "bemanning")
        assert site.url("enheten/") in found
        assert all(context.request.get(url).status == 200 for url in found)
        assert seen.errors == [] and all(url.startswith(origin + "/trygghet/") for url in seen.requests)
        context.close()


@pytest.mark.browser
def test_a_reader_tabbing_in_the_fallback_links_when_search_arrives_lands_in_the_search_box(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    held = []  # Pagefind is held back until the reader has tabbed into the fallback links
    page.route("**/pagefind/pagefind.js", lambda route: held.append(route))
    page.goto(live_site.url(SV_SEARCH))
    page.get_by_role("link", name="Nyhetsarkivet").focus()
    for _ in range(100):  # the held request reaches this thread while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page never asked for Pagefind"
    held[0].continue_()
    page.locator(".search-form").wait_for()  # the links are swapped for the form
    assert page.locator("#search-nojs").is_hidden()
    assert page.evaluate("document.activeElement.id") == "search-input"
    context.close()


@pytest.mark.browser
def test_a_search_whose_webassembly_cannot_load_says_so_and_shows_the_links(live_site, chromium):
    """Pagefind loads its WebAssembly at the first search, not when it starts: a server whose
    Content-Security-Policy header forbids it, or a failed download, fails there. The reader
    is told so and gets the links back, instead of a search that silently finds nothing."""
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.route("**/pagefind/wasm.*.pagefind", lambda route: route.abort())
    page.goto(live_site.url(SV_SEARCH))
    page.locator(".search-form").wait_for()
    assert page.locator("#search-nojs").is_hidden()
    page.fill("#search-input", "bemanning")
    page.locator("#search-nojs").wait_for()
    assert page.inner_text("#search-status") == "Sökningen kunde inte starta. Använd länkarna nedan i stället."
    assert page.locator("#search-results li").count() == 0
    assert page.get_by_role("link", name="Nyhetsarkivet").is_visible()
    context.close()


def test_every_page_says_what_search_may_filter_it_by(tiny_built):
    def filters(path):
        return sorted(re.findall(r'data-pagefind-filter="([^"]*)"', (tiny_built / path).read_text(encoding="utf-8")))

    assert filters("nyheter/enheten-vaxer/index.html") == ["kind:news", "municipality:odeshog"]
    assert filters("kommuner/mjolby/index.html") == ["kind:data", "municipality:mjolby"]
    assert filters("en/staffing/index.html") == ["kind:data", "municipality:mjolby", "municipality:odeshog"]
    assert filters("kontakt/index.html")[0] == "kind:page"
    # The search page offers them, labelled, in its language.
    html = (tiny_built / "en/search/index.html").read_text(encoding="utf-8")
    assert (
        '<label for="search-municipality">Municipality</label>' in html and '<option value="news">News</option>' in html
    )


def test_no_languages_index_is_reused_once_pagefind_or_only_its_binary_is_upgraded(tiny_built, monkeypatch):
    before = search_index.fingerprint(tiny_built)
    real = search_index.importlib.metadata.version
    for upgraded in ("pagefind", "pagefind_bin"):  # the binary writes the index and is a package of its own
        monkeypatch.setattr(
            search_index.importlib.metadata,
            "version",
            lambda name, new=upgraded: "9.9.9" if name == new else real(name),
        )
        after = search_index.fingerprint(tiny_built)
        assert after.keys() == before.keys() and all(after[lang] != before[lang] for lang in before), upgraded


def test_pagefinds_filter_index_is_sorted_so_builds_stay_byte_identical(tiny_built, tmp_path):
    index = tmp_path / "pagefind"
    shutil.copytree(tiny_built / "pagefind", index)
    before = {f.relative_to(index): f.read_bytes() for f in index.rglob("*") if f.is_file()}
    assert list(index.glob("filter/*.pf_filter")), "no filter index was written"
    # Shuffle as Pagefind does from one run to the next: values and filters in another order.
    for file in index.glob("filter/*.pf_filter"):
        name, values = search_index._cbor_load(gzip.decompress(file.read_bytes())[len(search_index.SIGNATURE) :])
        file.write_bytes(gzip.compress(search_index.SIGNATURE + search_index._cbor_dump([name, values[::-1]])))
    for meta in index.glob("*.pf_meta"):
        fields = search_index._cbor_load(gzip.decompress(meta.read_bytes())[len(search_index.SIGNATURE) :])
        fields[3] = fields[3][::-1]
        meta.write_bytes(gzip.compress(search_index.SIGNATURE + search_index._cbor_dump(fields)))
    search_index.steady_filters(index)
    search_index.steady_entry(index / "pagefind-entry.json")
    assert {f.relative_to(index): f.read_bytes() for f in index.rglob("*") if f.is_file()} == before


def results(page) -> list[dict]:
    """Each result: its page, the links under it (to headings) and their texts."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('#search-results > li')).map(li => ({
      page: li.querySelector('h2 a').pathname,
      href: li.querySelector('h2 a').href,
      sections: Array.from(li.querySelectorAll('.search-sections a')).map(a => ({href: a.href, text: a.textContent})),
    }))""")


def choose(page, label: str, option: str, query: str) -> None:
    """Pick a filter by its label, as a person would; wait for the status to say so."""
    page.get_by_label(label).select_option(label=option)
    page.wait_for_function(
        "([q, o]) => { const s = document.getElementById('search-status').textContent;"
        " return s.includes(q) && (s.includes(o) || !o); }",
        arg=[query, "" if option.startswith("Alla") else option],
    )


@pytest.mark.browser
def test_filters_narrow_the_results_by_municipality_and_kind(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    seen = watch(page)
    page.goto(live_site.url(SV_SEARCH))
    everything = search(page, "kommun")
    assert live_site.url("kommuner/odeshog/") in everything and live_site.url("kommuner/boxholm/") in everything

    choose(page, "Kommun", "Boxholms kommun", "kommun")
    boxholm = [r["page"] for r in results(page)]
    assert (
        "/kommuner/boxholm/" in boxholm and "/kommuner/odeshog/" not in boxholm and "/kommuner/mjolby/" not in boxholm
    )
    assert "/enheten/" in boxholm  # pages about the joint unit concern all three
    assert "Filter: Boxholms kommun." in page.text_content("#search-status")  # the live region says what narrows it
    assert "municipality=boxholm" in page.url

    choose(page, "Kommun", "Alla kommuner", "kommun")
    choose(page, "Typ av sida", "Nyheter", "kommun")
    news = [r["page"] for r in results(page)]
    assert news and all(p.startswith("/nyheter/") for p in news), news
    choose(page, "Typ av sida", "Siffror och data", "kommun")
    data = [r["page"] for r in results(page)]
    assert "/enheten/" in data and "/kommuner/odeshog/" in data and not any(p.startswith("/nyheter/") for p in data)

    # A shared address brings the same filters back.
    page.goto(live_site.url(SV_SEARCH + "?q=kommun&municipality=boxholm&kind=news"))
    page.get_by_role("status").filter(has_text="Filter:").wait_for()
    assert (
        page.get_by_label("Kommun").input_value() == "boxholm"
        and page.get_by_label("Typ av sida").input_value() == "news"
    )
    assert all(r["page"].startswith("/nyheter/") for r in results(page))
    assert seen.errors == []
    context.close()


@pytest.mark.browser
def test_results_link_to_the_headings_where_the_words_stand_and_the_page_marks_them(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    seen = watch(page)
    page.goto(live_site.url(SV_SEARCH))
    search(page, "beredskap")
    found = results(page)
    sections = [s for r in found if r["page"] == "/om-samverkan/" for s in r["sections"]]
    assert sections, found
    target = sections[0]
    assert "pagefind-highlight=beredskap" in target["href"] and "#" in target["href"]
    assert page.get_by_role("list", name="Rubriker på sidan där orden finns").count() >= 1  # named for screen readers

    page.get_by_role("link", name=target["text"]).first.click()
    page.wait_for_selector("mark.pagefind-highlight")
    heading = page.evaluate(
        "() => { const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));"
        " return el && [el.tagName, el.textContent.trim()]; }"
    )
    assert heading and heading[0] in ("H2", "H3") and heading[1] == target["text"]
    marks = page.eval_on_selector_all("mark.pagefind-highlight", "ms => ms.map(m => m.textContent.toLowerCase())")
    assert marks and all("beredskap" in m for m in marks)
    # Pagefind's highlight script came from this site, and its inline <style> was not added.
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert (
        page.evaluate("getComputedStyle(document.querySelector('mark.pagefind-highlight')).backgroundColor")
        != "rgba(0, 0, 0, 0)"
    )
    assert any(url.endswith("/pagefind/pagefind-highlight.js") for url in seen.requests)
    assert all(url.startswith(live_site.origin) for url in seen.requests)
    assert seen.errors == []  # a CSP violation would be a console error
    # Without the words in the address the page loads nothing more.
    seen.requests.clear()
    page.goto(live_site.url("om-samverkan/"))
    assert page.locator("mark").count() == 0 and not any("pagefind" in url for url in seen.requests)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 320, "height": 640}, DESKTOP], ids=["320px", "1280px"])
def test_filters_and_sub_results_work_by_keyboard_and_pass_axe(live_site, chromium, viewport):
    context = chromium.new_context(viewport=viewport, bypass_csp=True)  # bypass only to inject axe
    page = context.new_page()
    page.goto(live_site.url(SV_SEARCH))
    box = page.get_by_label("Sök på webbplatsen")
    box.wait_for()
    box.focus()
    page.keyboard.type("samarbete")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="samarbete").wait_for()
    # Tab from the box: the button, then the two filters, then the results.
    stops = [s["what"] for s in tab_through(page)]
    assert stops[:3] == ["button Sök", "select search-municipality", "select search-kind"], stops
    assert any("#" in s for s in stops if s.startswith("a ")), "no link to a heading is in the Tab order"
    # A filter changes with the arrow keys alone, and the live region says so.
    page.get_by_label("Kommun").focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("status").filter(has_text="Filter:").wait_for()
    assert axe_violations(page) == []
    context.close()


@pytest.mark.browser
def test_result_excerpts_start_where_a_sentence_starts_and_show_no_footnote_markers(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    seen = watch(page)
    page.goto(live_site.url(SV_SEARCH))
    assert search(page, "heltidstjänster")
    excerpts = page.locator("#search-results > li > p").all_text_contents()
    assert excerpts
    for text in excerpts:
        assert text[:1].isupper() or text[:1].isdigit(), text  # a sentence's start, not the middle of one
        assert "[1]" not in text and not text.startswith("…"), text
    assert seen.errors == []
    context.close()


def test_an_index_cut_short_by_a_full_disk_is_a_plain_problem_not_a_crash(tmp_path, monkeypatch):
    # What Pagefind leaves when the disk fills: its script written, its entry file empty.
    def run_out_of_space(command, stop):
        into = Path(command[command.index("--output-path") + 1])
        into.mkdir(parents=True)
        (into / "pagefind.js").write_text("// pagefind")
        (into / "pagefind-entry.json").write_text("")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(search_index, "_run", run_out_of_space)
    problems = Problems()
    search_index.index(tmp_path, problems)
    [problem] = problems.errors
    assert problem.path == "search index"
    assert "is incomplete" in problem.message and "is the disk full?" in problem.message


def test_pagefind_is_run_once_per_language_on_the_marked_pages_only(tmp_path):
    def page(rel, lang, marked=True):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        body = "<main data-pagefind-body>x</main>" if marked else "<main>x</main>"
        (tmp_path / rel).write_text(f'<!DOCTYPE html>\n<html lang="{lang}"><body>{body}</body></html>')

    page("index.html", "sv")
    page("en/index.html", "en")
    page("b/index.html", "sv")
    page("a.html", "sv")
    page("sok/index.html", "sv", marked=False)  # Pagefind would parse it and drop it
    page("pagefind/x.html", "sv")  # the index's own folder
    page(".pagefind-x1y2/a.html", "sv")  # what a killed run left
    assert search_index.languages(tmp_path, tmp_path / "pagefind") == [
        ["en/index.html"],
        ["a.html", "b/index.html", "index.html"],
    ]
    # A page whose language cannot be read here: all in one run, as Pagefind's crawl would have them.
    (tmp_path / "c.html").write_text("<html><body data-pagefind-body>y</body></html>")
    assert search_index.languages(tmp_path, tmp_path / "pagefind") == [
        ["a.html", "b/index.html", "c.html", "en/index.html", "index.html"]
    ]
    # Indexed, the languages are listed together, and the folders Pagefind crawled are gone.
    (tmp_path / "c.html").unlink()
    shutil.rmtree(tmp_path / ".pagefind-x1y2")
    problems = Problems()
    search_index.index(tmp_path, problems)
    assert not problems.items
    entry = json.loads((tmp_path / "pagefind/pagefind-entry.json").read_text())
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {"en": 1, "sv": 3}
    assert not list(tmp_path.glob(".pagefind-*"))


def test_the_next_save_stops_the_previews_indexing_before_it_reads_or_links_the_pages(tmp_path, monkeypatch):
    """Reading every page, and linking one language's into the folder Pagefind crawls, take a
    second or more each on a big site: the save that stops them should not wait for either."""
    for rel, lang in (("index.html", "sv"), ("a/index.html", "sv"), ("en/index.html", "en")):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f'<html lang="{lang}"><body data-pagefind-body>x</body></html>')
    monkeypatch.setattr(search_index, "_run", lambda *args: pytest.fail("Pagefind ran"))
    read = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path.name) or real_read(path))
    stop = threading.Event()
    stop.set()
    assert search_index.refresh(tmp_path, Problems(), stop) is False
    assert [name for name in read if name.endswith(".html")] == []

    stop.clear()
    real_link = search_index._link
    monkeypatch.setattr(search_index, "_link", lambda *args: stop.set() or real_link(*args))  # saved meanwhile
    assert search_index.refresh(tmp_path, Problems(), stop) is False
    assert not list(tmp_path.glob(".pagefind-*"))
