"""Saves are seen at once, and a burst of saves becomes one rebuild."""

from __future__ import annotations

import asyncio
import threading

from tornado import ioloop

from portal import problems
from portal.preview import incremental, serve, watch
from servetools import wait_for


def test_inotify_reports_saved_created_and_removed_files_but_not_editor_swap_files(tmp_path):
    (tmp_path / "content/news").mkdir(parents=True)
    (tmp_path / "content/news/a.sv.md").write_text("a")
    watcher = watch.watcher(tmp_path, ["content", "data"])
    try:
        assert isinstance(watcher, watch.Inotify)
        (tmp_path / "content/news/a.sv.md").write_text("changed")
        (tmp_path / "content/news/.a.sv.md.swp").write_text("swap")
        assert wait_for(watcher.read, "the save") == {"content/news/a.sv.md"}
        (tmp_path / "content/new").mkdir()
        wait_for(watcher.read, "the new folder")
        (tmp_path / "content/new/b.en.md").write_text("b")  # a file in a folder made after the start
        assert "content/new/b.en.md" in wait_for(watcher.read, "the file in the new folder")
        (tmp_path / "content/news/a.sv.md").unlink()
        assert wait_for(watcher.read, "the removal") == {"content/news/a.sv.md"}
    finally:
        watcher.close()


def test_polling_fallback_sees_the_same_changes(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/site.yaml").write_text("a: 1")
    watcher = watch.Poll(tmp_path, ["data"])
    assert watcher.read() == set()
    (tmp_path / "data/site.yaml").write_text("a: 22")
    assert watcher.read() == {"data/site.yaml"}


class CountingBuilder:
    """Stands in for incremental.Builder: counts builds; each may be held open by the test."""

    def __init__(self):
        self.builds = 0
        self.saved = []  # the files each build was told were saved
        self.answers = []  # results to give instead of the usual one, in order
        self.release = threading.Event()
        self.release.set()

    def build(self, stop=None, viewed=frozenset(), shown=None, saved=frozenset()):
        self.builds += 1
        self.saved.append(saved)
        if self.answers:  # what the test has this build answer
            return self.answers.pop(0)
        self.release.wait(30)
        return incremental.Result(problems.Problems(), changed={"index.html"}, rendered=["index.html"], pages=1)


def run_rebuilds(script):
    loop = ioloop.IOLoop()
    builder = CountingBuilder()
    state = serve.State(out=None, lock=threading.Lock())
    rebuilds = serve.Rebuilds(builder, state, loop)
    loop.run_sync(lambda: script(rebuilds, builder), timeout=60)
    loop.close()
    return builder.builds


async def settle(rebuilds):
    while rebuilds.timer is not None or rebuilds.running:
        await asyncio.sleep(0.01)


def test_a_burst_of_saves_is_one_rebuild():
    told = []

    async def script(rebuilds, builder):
        for n in range(20):
            rebuilds.changed({f"content/news/{n}.sv.md"})
        await settle(rebuilds)
        told.extend(builder.saved)

    assert run_rebuilds(script) == 1
    assert told == [{f"content/news/{n}.sv.md" for n in range(20)}]  # its page is shown first if only its text changed


def test_saves_during_a_rebuild_cause_exactly_one_more():
    async def script(rebuilds, builder):
        builder.release.clear()
        rebuilds.changed({"content/a.sv.md"})
        while builder.builds == 0:
            await asyncio.sleep(0.01)
        for n in range(5):  # saved while the first rebuild is still running
            rebuilds.changed({f"content/{n}.sv.md"})
            await asyncio.sleep(0.05)
        builder.release.set()
        await settle(rebuilds)

    assert run_rebuilds(script) == 2


def test_a_page_shown_first_by_a_build_a_newer_save_stopped_is_indexed_for_search():
    state = {}

    async def script(rebuilds, builder):
        builder.answers = [
            incremental.Result(problems.Problems(), cancelled=True, early={"a/index.html"}, search_stale=True)
        ]
        rebuilds.changed({"content/a.sv.md"})
        await settle(rebuilds)
        state["stale"] = rebuilds.search_stale

    assert run_rebuilds(script) == 1
    assert state["stale"] is True
