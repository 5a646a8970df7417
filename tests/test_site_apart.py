"""A build that runs once loads and models its site in a process of its own (apart.py), and
gets back only the site: the same pages, problems and timings as made in its own process,
which it falls back to whenever the other process gives nothing."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest

from conftest import edit
from portal import apart, pipeline
from portal.load import sources as load
from portal.model import sites
from portal.outputs import registry
from portal.render import cache as page_cache
from portal.render import shareimages

NEWS_SV = "content/news/2020-01-10-enheten-vaxer.sv.md"
NOW = dt.date(2026, 11, 30)


def files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def once(root: Path, out: str = "_site", **more) -> pipeline.Options:
    settings = {"now": NOW, "search": False, "cache": False, "once": True, **more}
    return pipeline.Options(root=root, out=root / out, **settings)


class Unloadable:
    """Pickled, but cannot be unpickled."""

    def __reduce__(self):
        return _refuse, ()


def _refuse():
    raise ValueError("not here")


def ran_in(monkeypatch, record: Path, owner, name: str):
    """`owner.name` made to write the id of each process it runs in to `record` (one forked
    writes there too); what is given back reads them, and empties the record."""
    real = getattr(owner, name)

    def recording(*args, **kwargs):
        with open(record, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)

    def pids() -> list:
        found = record.read_text().split() if record.exists() else []
        record.unlink(missing_ok=True)
        return [int(pid) for pid in found]

    return pids


@pytest.fixture
def loaded_in(monkeypatch, tmp_path):
    """The ids of the processes `load` ran in."""
    return ran_in(monkeypatch, tmp_path / "loaded-in", load, "load")


def test_a_build_that_runs_once_makes_its_site_apart_and_its_pages_are_those_made_here(
    alone, tiny, loaded_in, monkeypatch
):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    apart_build = pipeline.build(once(tiny))
    (pid,) = loaded_in()
    assert pid != os.getpid()
    monkeypatch.setattr(apart, "usable", lambda: False)
    here = pipeline.build(once(tiny, "_here"))
    assert loaded_in() == [os.getpid()]
    assert not apart_build.problems.errors and not here.problems.errors
    assert files(tiny / "_site") == files(tiny / "_here")
    assert set(apart_build.timings) >= {"load", "model"} and apart_build.moment == here.moment
    assert apart_build.public_site == here.public_site


def test_a_site_comes_back_whole_with_the_lines_of_the_values_it_keeps(alone, tiny, loaded_in, monkeypatch):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    edit(tiny / NEWS_SV, "date: 2020-01-10", "date: 2020-01-10\naliases: [/gammal/, '/k.html']")

    def made() -> tuple:
        result = pipeline.Result(pipeline.Problems())
        return pipeline.make_site(pipeline.Options(root=tiny, now=NOW, once=True), result), result

    (apart_site, apart_result), (pid,) = made(), loaded_in()
    monkeypatch.setattr(apart, "usable", lambda: False)
    here_site, here_result = made()
    assert pid != os.getpid() and loaded_in() == [os.getpid()]
    assert apart_site == here_site and apart_result.problems.items == here_result.problems.items

    def aliases(site) -> list:  # each old address keeps its line and quoting (redirects.py's messages)
        return [(p.url, a, a.line, a.plain) for p in site.pages for a in p.meta.get("aliases") or ()]

    assert (
        aliases(apart_site)
        == aliases(here_site)
        == [
            ("nyheter/enheten-vaxer/", "/gammal/", 5, True),
            ("nyheter/enheten-vaxer/", "/k.html", 5, False),
        ]
    )


def test_serve_makes_its_site_in_its_own_process(alone, tiny, loaded_in):
    if not alone:  # where it could fork: run in a pytest process of its own, and passed there (conftest.alone)
        return
    pipeline.make_site(pipeline.Options(root=tiny, now=NOW), pipeline.Result(pipeline.Problems()))
    assert loaded_in() == [os.getpid()]  # it keeps what it loaded, for the next build


def test_the_problems_found_apart_are_the_build_s(alone, tiny):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    edit(tiny / NEWS_SV, "date: 2020-01-10", "date: 2020-02-30")
    result = pipeline.build(once(tiny))
    assert [str(p) for p in result.problems.errors] == [
        f"{NEWS_SV}:4: 'date' is '2020-02-30', which is not a real date"
    ]
    assert not (tiny / "_site").exists()


def test_a_fault_apart_makes_the_site_here_and_a_fault_here_is_reported_as_ever(alone, tiny, monkeypatch):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    parent, real = os.getpid(), sites.make

    def fails_apart(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("a fault in the process apart")
        return real(*args, **kwargs)

    monkeypatch.setattr(sites, "make", fails_apart)
    result = pipeline.build(once(tiny))
    assert not result.problems.errors and (tiny / "_site/nyheter/enheten-vaxer/index.html").is_file()

    def fails(*args, **kwargs):
        raise RuntimeError("a fault in the model")

    monkeypatch.setattr(sites, "make", fails)
    with pytest.raises(RuntimeError, match="a fault in the model"):  # the CLI's "internal error"
        pipeline.build(once(tiny, "_again"))


def test_nothing_comes_back_from_an_unpicklable_result_a_process_that_dies_or_a_fork_with_threads(alone):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    assert apart.run(lambda: {"pages": 3}) == {"pages": 3}
    assert apart.run(lambda: lambda: 3) is None
    assert apart.run(Unloadable) is None
    assert apart.run(lambda: os._exit(0)) is None
    assert apart.run(lambda: os.kill(os.getpid(), 9)) is None
    other = threading.Event()  # a thread running here: a fork would copy the locks it holds
    waiting = threading.Thread(target=other.wait)
    waiting.start()
    try:
        assert apart.run(lambda: 3) is None
    finally:
        other.set()
        waiting.join()


def test_a_result_cut_short_is_none_and_an_interrupt_stops_the_process_apart(alone, tmp_path, monkeypatch):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    # Pickled to the pipe as it is made: the megabyte goes out before the function stops it.
    assert apart.run(lambda: [b"x" * 1_000_000, lambda: 3]) is None
    finished = tmp_path / "finished"

    def slow():
        time.sleep(3)
        finished.touch()

    def interrupted(fd, mode):
        if mode == "rb":  # Ctrl-C while the build's process waits for the site
            os.close(fd)
            raise KeyboardInterrupt
        return open(fd, mode)

    monkeypatch.setattr(apart, "open", interrupted, raising=False)
    with pytest.raises(KeyboardInterrupt):
        apart.run(slow)
    assert not finished.exists()  # stopped, not waited for


def test_meanwhile_runs_here_while_the_work_runs_apart(alone, tmp_path, monkeypatch):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    sign = tmp_path / "meanwhile"

    def work():  # waits for what `meanwhile` writes: had it run only after, this would give None
        for _ in range(1000):
            # Read until the text is there: the file exists a moment before its text does (a
            # fresh-clone run read it empty once, with the browser tests busy beside it).
            text = sign.read_text() if sign.exists() else ""
            if text:
                return text
            time.sleep(0.01)
        return None

    calls = []

    def meanwhile():
        calls.append(os.getpid())
        sign.write_text(f"{os.getpid()}")

    assert apart.run(work, meanwhile) == f"{os.getpid()}" and calls == [os.getpid()]

    def fails():
        raise OSError("a fault here")

    finished = tmp_path / "finished"

    def slow():
        time.sleep(3)
        finished.touch()

    with pytest.raises(OSError, match="a fault here"):
        apart.run(slow, fails)
    assert not finished.exists()  # stopped, not waited for
    monkeypatch.setattr(apart, "usable", lambda: False)
    assert apart.run(work, meanwhile) is None and calls == [os.getpid()]  # no process apart: not called


def test_a_warm_build_reads_its_cache_here_while_the_site_is_made_apart(alone, tiny, loaded_in, monkeypatch):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    pipeline.build(once(tiny, cache=True, jobs=2))
    loaded_in()
    events, read, make_site = [], page_cache.PageCache._read, pipeline.make_site

    def reading(self):
        events.append(("index read in", os.getpid()))
        read(self)

    def making(*args, **kwargs):
        site = make_site(*args, **kwargs)
        events.append("site made")
        return site

    monkeypatch.setattr(page_cache.PageCache, "_read", reading)
    monkeypatch.setattr(pipeline, "make_site", making)
    edit(tiny / NEWS_SV, "title: Enheten", "title: Den gemensamma enheten")
    warm = pipeline.build(once(tiny, cache=True, jobs=2))
    (pid,) = loaded_in()
    assert pid != os.getpid() and events == [("index read in", os.getpid()), "site made"]
    assert not warm.problems.errors
    events.clear()  # --jobs 1: one process at a time, the index read after the site is made apart
    edit(tiny / NEWS_SV, "title: Den gemensamma enheten", "title: Enheten")
    pipeline.build(once(tiny, cache=True, jobs=1))
    (pid,) = loaded_in()
    assert pid != os.getpid() and events == ["site made", ("index read in", os.getpid())]
    monkeypatch.setattr(apart, "usable", lambda: False)  # made here: the index is read after it
    events.clear()
    edit(tiny / NEWS_SV, "title: Enheten", "title: Den gemensamma enheten")
    pipeline.build(once(tiny, cache=True, jobs=2))
    assert loaded_in() == [os.getpid()] and events == ["site made", ("index read in", os.getpid())]
    cold = pipeline.build(once(tiny, "_cold"))
    assert not cold.problems.errors and files(tiny / "_site") == files(tiny / "_cold")


def test_a_warm_build_makes_its_other_files_apart_while_it_judges_its_pages(alone, tiny, monkeypatch):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    judged_in, likely_stale = [], page_cache.PageCache.likely_stale

    def judging(self, site):
        judged_in.append(os.getpid())
        return likely_stale(self, site)

    made = ran_in(monkeypatch, tiny.parent / "files-made-in", registry, "site_files")
    making = registry.site_files
    monkeypatch.setattr(page_cache.PageCache, "likely_stale", judging)
    pipeline.build(once(tiny, cache=True, jobs=2))  # cold: nothing to judge, all made here
    assert made() == [os.getpid()] and judged_in == [os.getpid()]
    edit(tiny / NEWS_SV, "title: Enheten", "title: Den gemensamma enheten")
    warm = pipeline.build(once(tiny, cache=True, jobs=2))
    (pid,) = made()
    assert pid != os.getpid() and judged_in == [os.getpid()] * 2 and not warm.problems.errors
    pipeline.build(once(tiny, "_cold"))  # no cache: made here
    assert made() == [os.getpid()] and files(tiny / "_site") == files(tiny / "_cold")
    edit(tiny / NEWS_SV, "title: Den gemensamma enheten", "title: Enheten")
    pipeline.build(once(tiny, cache=True, jobs=1))  # one process at a time: made here
    assert made() == [os.getpid()]
    edit(tiny / NEWS_SV, "title: Enheten", "title: Den gemensamma enheten")

    parent = os.getpid()  # a fault apart: made here, as ever

    def fails_apart(*args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("a fault in the process apart")
        return making(*args, **kwargs)

    monkeypatch.setattr(registry, "site_files", fails_apart)
    edit(tiny / NEWS_SV, "title: Den gemensamma enheten", "title: Enheten")
    again = pipeline.build(once(tiny, cache=True, jobs=2))
    assert made() == [os.getpid()] and not again.problems.errors
    assert not pipeline.build(once(tiny, "_cold2")).problems.errors
    assert files(tiny / "_site") == files(tiny / "_cold2")


def test_what_the_other_files_find_apart_is_the_build_s(alone, tiny, monkeypatch):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    pipeline.build(once(tiny, cache=True, jobs=2))
    before = files(tiny / "_site")
    monkeypatch.setattr(shareimages, "font_files", lambda: None)  # no font to draw the share pictures
    edit(tiny / NEWS_SV, "title: Enheten", "title: Den gemensamma enheten")
    result = pipeline.build(once(tiny, cache=True, jobs=2))
    assert [str(p) for p in result.problems.errors] == [
        "share images: no font to draw them with: install Liberation Sans "
        "(/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf) or DejaVu Sans "
        "(/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf); on Debian: apt-get install fonts-liberation"
    ]
    assert files(tiny / "_site") == before


def test_a_stored_page_changed_by_hand_is_found_while_the_site_is_made(alone, tiny):
    if not alone:  # run in a pytest process of its own, and passed there (conftest.alone)
        return
    pipeline.build(once(tiny, cache=True, jobs=2))
    # The output folder's page and the stored one are one file: an edit by hand changes both.
    with (tiny / "_site/kontakt/index.html").open("r+b") as f:
        f.write(b"<!-- edited by hand -->")
    edit(tiny / NEWS_SV, "title: Enheten", "title: Den gemensamma enheten")
    assert not pipeline.build(once(tiny, cache=True, jobs=2)).problems.errors
    assert not pipeline.build(once(tiny, "_cold")).problems.errors
    assert files(tiny / "_site") == files(tiny / "_cold")
