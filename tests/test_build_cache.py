"""The build cache (.cache/): an unchanged page is not rendered again, and a warm build
writes exactly the files a cold one does, whatever changed in between."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, edit, run_build
from portal import pipeline
from portal.preview import incremental
from portal.render import cache as page_cache

NEWS_SV = "content/news/2020-01-10-enheten-vaxer.sv.md"
NOW = dt.date(2026, 11, 30)


def options(root: Path, out: str = "_site", cache: bool = True, now=NOW, search: bool = False, **more):
    return pipeline.Options(root=root, out=root / out, now=now, search=search, cache=cache, **more)


def files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(root: Path, **more) -> tuple[pipeline.Result, page_cache.PageCache | None]:
    """A build as `build.py build` makes it; the cache it used (None with cache=False)."""
    opts = options(root, **more)
    cache = pipeline.open_cache(opts)
    result = pipeline.build(opts, cache)
    assert not result.problems.errors, result.problems.sorted()
    return result, cache


def warm_equals_cold(root: Path, **more) -> page_cache.PageCache:
    """Build warm into _site and cold (no cache) into _cold: the same files, byte for byte."""
    _, cache = build(root, **more)
    build(root, out="_cold", cache=False, **more)
    warm, cold = files(root / "_site"), files(root / "_cold")
    assert sorted(warm) == sorted(cold)
    assert [path for path in cold if warm[path] != cold[path]] == []
    return cache


@pytest.fixture
def warm(tiny) -> Path:
    """The tiny site built once: its cache is warm."""
    _, cache = build(tiny)
    assert len(cache.rendered) == len(cache.site.pages)
    return tiny


def test_nothing_changed_renders_nothing_and_writes_the_same_files(warm):
    before = files(warm / "_site")
    cache = warm_equals_cold(warm)
    assert cache.rendered == []
    assert files(warm / "_site") == before


def test_a_kept_page_is_the_stored_file_itself_not_a_copy(warm):
    build(warm)
    page = warm / "_site/kontakt/index.html"
    kept = [p for p in (warm / ".cache").glob("*/site/kontakt/index.html")]  # the site the build replaced
    assert len(kept) == 1 and kept[0].stat().st_ino == page.stat().st_ino
    assert page.stat().st_nlink == 3  # _site/, .cache/'s pages and the kept site share it: no copy


CHANGES = {
    "content": (NEWS_SV, "har ett avtal", "har skrivit ett avtal"),
    "data": ("data/staffing.yaml", "value: 5\n", "value: 6\n"),
    "template": ("templates/news_item.html", "<h1>", '<h1 class="news-title">'),
    "static file": ("static/assets/site.css", ":root {", ":root { --edited: 1;"),
    "i18n string": ("data/i18n/sv.yaml", "home: Startsida", "home: Förstasidan"),
}


@pytest.mark.parametrize("kind", CHANGES)
def test_a_warm_build_after_a_change_equals_a_cold_one(warm, kind):
    path, old, new = CHANGES[kind]
    edit(warm / path, old, new)
    cache = warm_equals_cold(warm)
    if kind in ("content", "template", "data"):  # only the pages that read it
        assert 0 < len(cache.rendered) < len(cache.site.pages)


def test_builds_made_in_the_site_before_last_equal_cold_ones_as_pages_come_and_go(warm):
    """From the third build on, the new site is made in the one the build before replaced
    (write.staging's `keep`): each build of a series equals a cold one, with search too."""
    item = (warm / NEWS_SV).read_text(encoding="utf-8")
    english = (warm / NEWS_SV.replace(".sv.", ".en.")).read_text(encoding="utf-8")
    steps = [
        lambda: edit(warm / NEWS_SV, "har ett avtal", "har skrivit ett avtal"),
        lambda: (warm / "content/news/2020-02-01-ny-nyhet.sv.md").write_text(
            item.replace("slug: enheten-vaxer", "slug: ny-nyhet"), encoding="utf-8"
        ),
        lambda: (warm / "content/news/2020-02-01-ny-nyhet.en.md").write_text(
            english.replace("slug: the-unit-grows", "slug: new-item"), encoding="utf-8"
        ),
        lambda: edit(warm / "templates/news_item.html", "<h1>", '<h1 class="news-title">'),
        lambda: (warm / "content/news/2020-02-01-ny-nyhet.sv.md").unlink(),
        lambda: (warm / "content/news/2020-02-01-ny-nyhet.en.md").unlink(),
    ]
    for step in steps:
        step()
        warm_equals_cold(warm, search=True)
    assert not (warm / "_site/nyheter/ny-nyhet").exists()
    for stored in (warm / ".cache").glob("*/pages/*"):  # no kept page was written into
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == stored.name


def test_the_content_change_redoes_only_the_item_its_lists_and_its_translation_link(warm):
    edit(warm / NEWS_SV, "har ett avtal", "har skrivit ett avtal")
    _, cache = build(warm)
    assert "nyheter/enheten-vaxer/index.html" in cache.rendered
    assert not {"kontakt/index.html", "om/index.html", "en/index.html"} & set(cache.rendered)


def test_the_build_date_publishes_a_scheduled_item_in_a_warm_build_as_in_a_cold_one(tiny):
    item = tiny / "content/news/2030-01-01-framtid.sv.md"
    item.write_text(
        "---\ntitle: Framtiden\ndate: 2030-01-01\nsummary: Snart.\nmunicipalities: [mjolby]\n---\nText.\n",
        encoding="utf-8",
    )
    build(tiny, now=dt.date(2029, 12, 31))
    assert not (tiny / "_site/nyheter/2030-01-01-framtid/index.html").exists()
    warm_equals_cold(tiny, now=dt.date(2030, 1, 2))
    assert (tiny / "_site/nyheter/2030-01-01-framtid/index.html").is_file()


def index(root: Path) -> Path:
    (found,) = (root / page_cache.FOLDER).glob(f"*/{page_cache.INDEX}")
    return found


@pytest.mark.parametrize(
    "spoil",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: "not json at all",
        lambda text: text.replace('"portal":', '"portal":"0.0.0-other","was":', 1),  # another version
        lambda text: text.replace('"file":["', '"file":["../../../etc/', 1),  # a path out of the cache
        lambda text: text.replace('"keys":[', '"keys":[-1,', 1),  # a row that is no row
        lambda text: text.replace('"keys":[', f'"keys":[{2**40},', 1),
    ],
    ids=["cut short", "not json", "another portal version", "a path out of the cache", "a row below", "a row past"],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_the_build_is_cold_and_right(warm, spoil):
    found = index(warm)
    found.write_text(spoil(found.read_text(encoding="utf-8")), encoding="utf-8")
    cache = warm_equals_cold(warm)
    assert len(cache.rendered) == len(cache.site.pages)


def edits(root: Path, count: int):
    """`count` saves of the news item, each a different text."""
    for n in range(count):
        edit(root / NEWS_SV, "har ett avtal", f"har ett avtal {n}")
        yield n
        edit(root / NEWS_SV, f"har ett avtal {n}", "har ett avtal")


def test_an_edit_adds_to_the_cache_index_and_the_next_process_reads_it_right(warm):
    """A few pages changed: their records go at the end of the index, not 30 MB written again."""
    before = index(warm).stat()
    for _ in edits(warm, 3):
        warm_equals_cold(warm)
        now = index(warm).stat()
        assert now.st_ino == before.st_ino and now.st_size > before.st_size
        before = now
        _, again = build(warm)  # a new process reads the index as it grew: nothing to render
        assert again.rendered == []


def test_the_cache_index_is_written_whole_once_additions_outweigh_a_quarter_of_it(warm, monkeypatch):
    monkeypatch.setattr(page_cache, "_JOURNAL_SLACK", 0)
    with open(index(warm), "rb") as held:  # held open: its inode is not given to a new file meanwhile
        first = os.fstat(held.fileno())
        sizes = []
        for _ in edits(warm, 12):
            warm_equals_cold(warm)
            sizes.append(index(warm).stat().st_size)
        assert index(warm).stat().st_ino != first.st_ino  # written whole again, in a new file
    assert max(sizes) < first.st_size * 1.5  # never much more than a quarter added to it
    build(warm)  # the item as it was before the edits
    _, again = build(warm)
    assert again.rendered == []


def test_an_index_another_process_wrote_meanwhile_is_written_whole_not_added_to(warm):
    """`serve` and a build save into the same folder: rows numbered for one file mean nothing in another."""
    opts = options(warm)
    held = pipeline.open_cache(opts)  # as serve holds it between builds
    assert not pipeline.build(opts, held).problems.errors
    english = (warm / NEWS_SV.replace(".sv.", ".en.")).read_text(encoding="utf-8")
    (warm / "content/news/2020-02-01-ny-nyhet.en.md").write_text(
        english.replace("slug: the-unit-grows", "slug: an-item-first-in-order"), encoding="utf-8"
    )
    index(warm).unlink()
    build(warm)  # another process, which found no index: it writes it whole, its keys numbered anew
    edit(warm / "data/staffing.yaml", "value: 5\n", "value: 6\n")
    assert not pipeline.build(opts, held).problems.errors
    _, again = build(warm)
    assert again.rendered == []
    # The pages that build rendered still see what they read change.
    edit(warm / "data/staffing.yaml", "value: 6\n", "value: 7\n")
    warm_equals_cold(warm)
    for kind in ("content", "template", "static file", "i18n string"):
        edit(warm / CHANGES[kind][0], *CHANGES[kind][1:])
        warm_equals_cold(warm)


def test_an_index_cut_short_after_a_line_keeps_the_pages_it_names(warm):
    whole = index(warm).read_bytes()
    edit(warm / NEWS_SV, "har ett avtal", "har skrivit ett avtal")
    build(warm)
    grown = index(warm).read_bytes()
    assert grown.startswith(whole) and len(grown) > len(whole)
    index(warm).write_bytes(whole)  # as if the process died before it added anything
    cache = warm_equals_cold(warm)
    assert 0 < len(cache.rendered) < len(cache.site.pages)


def test_a_stored_page_whose_bytes_changed_is_not_trusted(warm):
    # The output folder's page and the stored one are one file: an edit by hand changes both.
    with (warm / "_site/kontakt/index.html").open("r+b") as f:
        f.write(b"<!-- edited by hand -->")
    cache = warm_equals_cold(warm)
    assert cache.rendered == ["kontakt/index.html"]


def test_deleting_the_cache_is_safe(warm):
    shutil.rmtree(warm / page_cache.FOLDER)
    cache = warm_equals_cold(warm)
    assert len(cache.rendered) == len(cache.site.pages)


def test_a_build_with_errors_leaves_the_cache_and_the_site_as_they_were(warm):
    site, kept = files(warm / "_site"), files(warm / page_cache.FOLDER)
    edit(warm / NEWS_SV, "har ett avtal", "har ett avtal [trasig](saknas.sv.md)")
    edit(warm / "data/staffing.yaml", "value: 5\n", "value: 5,2\n")
    result = pipeline.build(options(warm))
    assert result.problems.errors
    assert files(warm / "_site") == site and files(warm / page_cache.FOLDER) == kept


def test_a_cache_restored_into_a_fresh_checkout_gives_the_cold_build(warm, tmp_path):
    """As CI does (docs/deploy.md): only .cache/ is kept between runs, with new file times."""
    fresh = tmp_path / "checkout"
    for name in ("content", "data", "templates", "static"):
        shutil.copytree(warm / name, fresh / name)
    shutil.copytree(warm / page_cache.FOLDER, fresh / page_cache.FOLDER, copy_function=shutil.copyfile)
    cache = warm_equals_cold(fresh)
    assert cache.rendered == []


def test_no_cache_neither_reads_nor_writes_it(tiny):
    build(tiny, cache=False)
    assert not (tiny / page_cache.FOLDER).exists()


def test_a_preview_started_on_a_warm_cache_renders_no_unchanged_page(tiny):
    preview = pipeline.Options(root=tiny, out=tiny / "_site", base_url="http://127.0.0.1:8000/", drafts=True)
    first = incremental.Builder(preview)
    assert len(first.build().rendered) > 0
    edit(tiny / NEWS_SV, "har ett avtal", "har skrivit ett avtal")
    assert "nyheter/enheten-vaxer/index.html" in first.build().rendered
    first.save_cache()  # serve does it when it stops
    again = incremental.Builder(preview).build()
    assert not again.problems.errors and again.rendered == []
    edit(tiny / "templates/news_item.html", "<h1>", '<h1 class="news-title">')
    second = incremental.Builder(preview)
    assert set(second.build().rendered) == {"nyheter/enheten-vaxer/index.html", "en/news/the-unit-grows/index.html"}


def test_build_no_search_skips_the_index(tiny):
    done = run_build(tiny, "--no-search")
    assert done.returncode == 0, done.stderr
    assert not (tiny / "_site/pagefind").exists() and "search index" not in done.stdout


def test_the_search_index_is_reused_only_while_the_pages_it_reads_are_the_same(tiny, monkeypatch):
    from portal.outputs import search

    runs = []
    real = search._run
    monkeypatch.setattr(search, "_run", lambda command, stop: runs.append(command) or real(command, stop))
    build(tiny, search=True)
    assert runs  # cold: Pagefind made the index
    index = tiny / "_site" / search.OUTPUT_SUBDIR
    made = files(index)
    runs.clear()
    build(tiny, search=True)  # nothing changed: the index is the one published, not made again
    assert runs == [] and files(index) == made

    edit(tiny / NEWS_SV, "Ödeshög och Mjölby har ett avtal.", "Ödeshög och Mjölby har ett nytt avtal.")
    build(tiny, search=True)  # a Swedish page changed: Pagefind reads the Swedish pages again, alone
    assert len(runs) == 1
    build(tiny, out="_cold", cache=False, search=True)
    assert files(index) == files(tiny / "_cold" / search.OUTPUT_SUBDIR) != made
    runs.clear()
    edit(tiny / "data/staffing.yaml", "value: 5\n", "value: 6\n")  # on a page in each language
    build(tiny, search=True)
    assert len(runs) == 2
    build(tiny, out="_cold", cache=False, search=True)
    assert files(index) == files(tiny / "_cold" / search.OUTPUT_SUBDIR)

    runs.clear()
    hand = next(p for p in sorted(index.rglob("*")) if p.is_file())
    hand.write_bytes(hand.read_bytes() + b"edited by hand")
    build(tiny, search=True)  # a file of the published index changed since: not trusted
    assert runs and files(index) == files(tiny / "_cold" / search.OUTPUT_SUBDIR)

    runs.clear()  # the same for the part of a language whose pages are the same, beside one whose are not
    edit(tiny / NEWS_SV, "ett nytt avtal.", "ett nyare avtal.")
    hand = sorted((index / "fragment").glob("en_*"))[0]
    hand.write_bytes(hand.read_bytes() + b"edited by hand")
    build(tiny, search=True)
    assert len(runs) == 2
    build(tiny, out="_cold", cache=False, search=True)
    assert files(index) == files(tiny / "_cold" / search.OUTPUT_SUBDIR)


def test_a_warm_build_after_a_change_to_the_engines_code_equals_a_cold_one(tiny, tmp_path):
    """The version number stays the same from commit to commit, and CI restores .cache/ into the
    next commit's checkout: pages a warm build keeps must have been made by the same code."""
    engine = tmp_path / "engine"
    shutil.copytree(REPO / "portal", engine / "portal", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "build.py", engine / "build.py")

    def run(*args):
        done = subprocess.run(
            [sys.executable, str(engine / "build.py"), "build", "--no-search", *args],
            cwd=tiny,
            capture_output=True,
            text=True,
            timeout=120,
            env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795000000", "LANG": "C.UTF-8"},
        )
        assert done.returncode == 0, done.stderr

    run()
    # A fix in the engine that changes every dated page: the news item's date, "updated", …
    edit(
        engine / "portal/render/pages.py",
        'return formatting.date(value, ctx["lang"].locale)',
        'return formatting.date(value, ctx["lang"].locale).upper()',
    )
    run()
    run("--no-cache", "--out", "_cold")
    warm, cold = files(tiny / "_site"), files(tiny / "_cold")
    assert "10 JANUARI 2020" in (tiny / "_site/nyheter/enheten-vaxer/index.html").read_text(encoding="utf-8")
    assert sorted(warm) == sorted(cold) and [path for path in cold if warm[path] != cold[path]] == []
