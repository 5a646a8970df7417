"""A build that runs once reads each page's markdown when it renders the page, not from load
to the end (load/body.py); a file saved in between stops the build at that file. `serve`
holds the texts, and its cache takes a build's pages as its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from portal import pipeline
from portal.preview import incremental
from portal.problems import Problems

NEWS_SV = "content/news/2020-01-10-enheten-vaxer.sv.md"
NOW = dt.date(2026, 11, 30)
CHANGED = "changed while the site was being built; build again"


def files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def once(root: Path, **more) -> pipeline.Options:
    """A build as `build.py build` runs it: once, in its own process."""
    return pipeline.Options(root=root, out=root / "_site", now=NOW, search=False, once=True, **more)


def saving_at(stage: str, path: Path):
    """A progress hook that saves the file (a sentence added at its end) when the build reaches `stage`."""

    def progress(name, done=None, total=None):
        if name == stage and done is None:
            path.write_text(path.read_text(encoding="utf-8") + "\nEn mening till.\n", encoding="utf-8")

    return progress


def test_a_build_holds_no_page_text_from_load_to_render_and_serve_holds_them(tiny):
    for builds_again in (False, True):
        site = pipeline.make_site(
            pipeline.Options(root=tiny, now=NOW, once=not builds_again), pipeline.Result(Problems())
        )
        texts = [page.body.held for page in site.pages if page.source]
        assert texts and all((text is not None) == builds_again for text in texts)
        (news,) = [p for p in site.pages if p.source == NEWS_SV]
        assert "har ett avtal" in news.markdown  # read from the file when asked, if not held


def test_the_pages_of_a_build_that_reads_texts_late_are_those_of_one_that_holds_them(tiny):
    held = pipeline.build(pipeline.Options(root=tiny, out=tiny / "_held", now=NOW, search=False, cache=False))
    late = pipeline.build(once(tiny, cache=False))
    assert not held.problems.errors and not late.problems.errors
    assert files(tiny / "_site") == files(tiny / "_held")


def test_a_page_saved_during_the_build_stops_it_at_that_file_and_leaves_the_site_as_it_was(tiny):
    assert not pipeline.build(once(tiny)).problems.errors
    before = files(tiny / "_site")
    result = pipeline.build(once(tiny, cache=False, progress=saving_at("render", tiny / NEWS_SV)))
    errors = result.problems.errors
    assert errors and {(p.path, p.message) for p in errors} == {(NEWS_SV, CHANGED)}
    assert files(tiny / "_site") == before
    assert sorted(p.name for p in tiny.iterdir() if p.name.startswith(("_site", ".")) and p.is_dir()) == [
        ".cache",
        "_site",
    ]  # no temporary folder left beside it
    again = pipeline.build(once(tiny))  # the next build takes the saved text
    assert not again.problems.errors
    assert "En mening till." in (tiny / "_site/nyheter/enheten-vaxer/index.html").read_text(encoding="utf-8")


def test_check_reports_a_page_saved_while_it_reads_the_texts(tiny):
    result = pipeline.review(once(tiny, cache=False, progress=saving_at("links", tiny / NEWS_SV)))
    assert [(p.path, p.message) for p in result.problems.errors] == [(NEWS_SV, CHANGED)]


def test_a_preview_on_the_cache_a_build_left_renders_no_unchanged_page(tiny):
    address = "http://127.0.0.1:8000/"
    built = pipeline.build(once(tiny, base_url=address, drafts=True))
    assert not built.problems.errors
    preview = pipeline.Options(root=tiny, out=tiny / "_site", base_url=address, drafts=True)
    again = incremental.Builder(preview).build()
    assert not again.problems.errors and again.rendered == []
