"""Pages rendered on every core (issue #14): a build that runs once renders many pages in
forked processes (render/workers.py). The same bytes as one process, cold and from the
build cache; a page that cannot finish or whose process dies is reported at its page, and
the build goes on to report the others."""

from __future__ import annotations

import datetime as dt
import filecmp
import gc
import os
import time

import pytest

from conftest import edit
from newsitems import write_pair
from portal import cli, pipeline
from portal.render import markup, workers
from portal.render import pages as render

NOW = "2026-11-30"
HOSTILE = "\n" + "[" * 20000 + "\n"


@pytest.fixture
def pooled(tiny, monkeypatch, alone):
    """The tiny site with a few news items, its pages rendered by processes whatever their number;
    `started` lists the pools begun (how many pages, how many processes). (None, None): the test
    ran in a process of its own (conftest.alone), and passed there."""
    if not alone:
        yield None, None
        return
    for i in range(4):
        write_pair(tiny, f"2025-01-0{1 + i}-nyhet-{i}", f"2025-01-0{1 + i}", body=f"Text {i} om **trygghet**.\n")
    monkeypatch.setattr(workers, "FROM", 1)
    started = []
    real = workers.ordered

    def ordered(count, work, jobs, limit):
        started.append((count, jobs))
        return real(count, work, jobs, limit)

    monkeypatch.setattr(workers, "ordered", ordered)
    monkeypatch.chdir(tiny)
    markup.convert.cache_clear()
    yield tiny, started
    markup.convert.cache_clear()


def build(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["build", "--lang", "en", "--now", NOW, "--no-search", *args])
    return code, capsys.readouterr().err


def same_files(a, b) -> bool:
    names = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    if names != sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()):
        return False
    _same, different, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return different == [] and errors == []


def test_pages_rendered_by_processes_are_byte_identical_to_one_process(pooled, capsys):
    root, started = pooled
    if root is None:
        return
    code, err = build(capsys, "--no-cache", "--jobs", "1", "--out", "one")
    assert code == 0 and started == [], err
    code, err = build(capsys, "--no-cache", "--jobs", "2", "--out", "two")
    assert code == 0, err
    assert started and started[0][1] == 2
    assert same_files(root / "one", root / "two")


def test_a_build_leaves_the_collector_as_it_found_it(pooled, capsys, monkeypatch):
    """A build that runs once holds the collector back while it loads, then freezes what it
    loaded (pipeline._made_to_last) and its processes fork from that: after it, nothing stays
    frozen (a process that builds many sites would keep every one) and the collector runs."""
    root, _started = pooled
    if root is None:
        return
    seen = []
    real = pipeline.make_site

    def make_site(options, result, **kwargs):
        seen.append(gc.isenabled())
        return real(options, result, **kwargs)

    monkeypatch.setattr(pipeline, "make_site", make_site)
    for jobs in ("1", "2"):
        code, err = build(capsys, "--no-cache", "--jobs", jobs, "--out", f"out-{jobs}")
        assert code == 0, err
        assert gc.isenabled() and gc.get_freeze_count() == 0
    assert seen == [False, False]


def test_processes_and_the_build_cache_give_what_a_cold_build_gives(pooled, capsys):
    root, started = pooled
    if root is None:
        return
    assert build(capsys, "--jobs", "2")[0] == 0  # cold, keeps .cache/
    item = next((root / "content/news").glob("*nyhet-2.sv.md"))
    edit(item, "Text 2 om", "Ny text 2 om")
    started.clear()
    code, err = build(capsys, "--jobs", "2")  # warm: most pages from the cache, through the processes
    assert code == 0 and started, err
    assert build(capsys, "--no-cache", "--jobs", "1", "--out", "cold")[0] == 0
    assert same_files(root / "_site", root / "cold")
    code, err = build(capsys, "--jobs", "2")  # nothing changed since: the cache learnt the last build
    assert code == 0 and same_files(root / "_site", root / "cold")


def test_a_page_whose_markdown_cannot_finish_is_stopped_in_its_process(pooled, capsys, monkeypatch):
    root, _started = pooled
    if root is None:
        return
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 1)  # forked: the processes see it
    page = root / "content/pages/enheten.sv.md"
    page.write_text(page.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    other = root / "content/pages/om.sv.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n[saknas](finns-inte.sv.md)\n", encoding="utf-8")
    code, err = build(capsys, "--jobs", "2")
    lines = err.strip().splitlines()
    assert code == 1
    assert any(
        line.startswith("content/pages/enheten.sv.md:") and "took more than 10 seconds" in line for line in lines
    ), err
    assert any(line.startswith("content/pages/om.sv.md:") and "finns-inte.sv.md" in line for line in lines), err
    assert "Traceback" not in err


def test_a_process_stuck_past_the_limit_is_stopped_and_its_page_reported(pooled, capsys, monkeypatch):
    root, _started = pooled
    if root is None:
        return
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 1)
    monkeypatch.setattr(workers, "GRACE", 0.5)
    real = render.render_page

    def stuck_on_one_page(env, site, page, problems):
        if page.source == "content/pages/enheten.sv.md":
            for _ in range(120):  # not in markdown: no timer stops it, only the build (bounded:
                time.sleep(1)  # were it rendered in this process, the test fails, not hangs)
        return real(env, site, page, problems)

    monkeypatch.setattr(render.Fresh, "render_page", staticmethod(stuck_on_one_page))
    started = time.monotonic()
    code, err = build(capsys, "--no-cache", "--jobs", "2")
    assert time.monotonic() - started < 60
    assert code == 1
    [line] = [line for line in err.splitlines() if "content/pages/enheten.sv.md" in line]
    assert line.startswith("content/pages/enheten.sv.md:") and "took more than 10 seconds" in line, err
    assert "Traceback" not in err


def test_a_process_that_dies_is_reported_at_its_page_and_the_others_are_made(pooled, capsys, monkeypatch):
    root, _started = pooled
    if root is None:
        return
    real = render.render_page

    def dies_on_one_page(env, site, page, problems):
        if page.source == "content/pages/enheten.sv.md":
            os._exit(9)  # as if the system had killed it for its memory
        return real(env, site, page, problems)

    monkeypatch.setattr(render.Fresh, "render_page", staticmethod(dies_on_one_page))
    result = pipeline.check(
        pipeline.Options(root=root, now=dt.date(2026, 11, 30), jobs=2, once=True, cache=False, search=False)
    )
    said = [str(problem) for problem in result.problems.errors]
    line = result.site.page("enheten", "sv").body_line
    assert said == [f"content/pages/enheten.sv.md:{line}: the page could not be rendered (its process stopped)"]
    assert len(result.outputs) > 20  # every other page was made


def test_a_small_site_or_one_job_renders_in_the_build_itself(tiny, capsys, monkeypatch):
    started = []
    monkeypatch.setattr(workers, "ordered", lambda *args: started.append(args))
    monkeypatch.chdir(tiny)
    assert build(capsys, "--no-cache", "--jobs", "8")[0] == 0  # the tiny site: fewer pages than FROM
    assert started == []


def test_processes_that_cannot_start_leave_the_pages_to_the_build_itself(pooled, capsys, monkeypatch):
    root, _started = pooled
    if root is None:
        return
    assert build(capsys, "--no-cache", "--jobs", "1", "--out", "one")[0] == 0

    def cannot_fork(work):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(workers, "_Worker", cannot_fork)
    code, err = build(capsys, "--no-cache", "--jobs", "2", "--out", "two")
    assert code == 0 and err == "", err
    assert same_files(root / "one", root / "two")
