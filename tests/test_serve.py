"""`build.py serve`: a save shows in the browser, a broken save shows its errors, then recovery."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import os
import re
import threading
from pathlib import Path

from livereload.handlers import LiveReloadHandler
from tornado import httpserver, ioloop, netutil, websocket

from conftest import edit
from newsitems import write_pair
from portal.preview import serve
from servetools import fetch, serving, wait_for

TITLE_SV = "title: Bemanningen"  # the tiny site's content/pages/enheten.sv.md


def test_a_saved_change_is_served_with_the_reload_script_that_never_reaches_the_output(tiny):
    with serving(tiny) as (origin, terminal):
        status, page = fetch(origin + "/enheten/")
        assert status == 200 and "<h1>Bemanningen</h1>" in page
        assert '<script src="/livereload.js" defer></script></head>' in page
        edit(tiny / "content/pages/enheten.sv.md", TITLE_SV, "title: Enheten i dag")
        wait_for(lambda: "<h1>Enheten i dag</h1>" in fetch(origin + "/enheten/")[1], "the new title")
        on_disk = (tiny / "_site/enheten/index.html").read_text(encoding="utf-8")
        assert "<h1>Enheten i dag</h1>" in on_disk
        # The only script on disk is the page's own (it marks searched words), not the reload script.
        assert "livereload" not in on_disk and re.findall(r"<script[^>]*>", on_disk) == [
            f'<script type="module" src="/assets/{next((tiny / "_site/assets").glob("highlight.*.js")).name}">'
        ]
        assert fetch(origin + "/livereload.js")[0] == 200


def test_a_broken_save_shows_the_terminals_error_in_the_browser_then_a_good_save_recovers(tiny):
    with serving(tiny) as (origin, terminal):
        before = (tiny / "_site/en/index.html").read_bytes()
        edit(tiny / "data/staffing.yaml", "value: 5\n", "value: 5,2\n")
        message = "data/staffing.yaml:7: 'value' should be a number, not '5,2' (write decimals with a point: 4.7)"
        status, page = wait_for(lambda: (r := fetch(origin + "/en/"))[0] == 500 and r, "the error page")
        assert message in page
        assert '<html lang="en">' in page and "The page could not be built" in page
        assert any(message in line for line in terminal)  # the same text as the terminal
        status, page = fetch(origin + "/")
        assert status == 500 and '<html lang="sv">' in page and "Sidan kunde inte byggas" in page
        stylesheet = next((tiny / "_site/assets").glob("site.*.css")).name
        assert fetch(origin + "/assets/" + stylesheet)[0] == 200  # the last good site's files still serve
        assert f'<link rel="stylesheet" href="/assets/{stylesheet}">' in page  # it looks like the site
        assert (tiny / "_site/en/index.html").read_bytes() == before  # nothing half-built

        edit(tiny / "data/staffing.yaml", "value: 5,2\n", "value: 5.5\n")
        status, page = wait_for(lambda: (r := fetch(origin + "/en/"))[0] == 200 and r, "recovery")
        assert "could not be built" not in page and "5.5" in page


def test_the_error_page_speaks_the_language_of_the_broken_page(tiny):
    with serving(tiny) as (origin, _):
        edit(tiny / "content/pages/enheten.en.md", "updated: 2020-02-01", "updated: 2026-02-30")
        status, page = wait_for(lambda: (r := fetch(origin + "/"))[0] == 500 and r, "the error page")
        assert '<html lang="en">' in page  # asked for a Swedish page, but the English file is broken
        assert "content/pages/enheten.en.md:5: " in page


def test_a_browser_tab_is_told_to_reload_after_each_save_however_quick(tiny):
    """livereload's protocol over the websocket; livereload's own server would drop saves within 3 s."""
    with serving(tiny) as (origin, _):

        async def talk():
            ws = await websocket.websocket_connect(origin.replace("http", "ws") + "/livereload")
            await ws.write_message(
                json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
            )
            assert json.loads(await ws.read_message())["command"] == "hello"
            await ws.write_message(json.dumps({"command": "info", "url": origin + "/"}))
            await asyncio.sleep(0.2)
            reloads = []
            for n in range(3):
                edit(
                    tiny / "content/pages/enheten.sv.md",
                    f"title: Enheten {n - 1}" if n else TITLE_SV,
                    f"title: Enheten {n}",
                )
                reloads.append(json.loads(await asyncio.wait_for(ws.read_message(), 60)))
            ws.close()
            return reloads

        reloads = ioloop.IOLoop.current().run_sync(talk)
        assert [r["command"] for r in reloads] == ["reload"] * 3


def test_a_saved_text_shows_on_its_open_page_first_and_reloads_it_once(tiny):
    """Only the text of the open news item changed: its page is written and shown before the
    rebuild of the whole site ends; the feed that rebuild changes needs no second reload."""
    item = tiny / "content/news/2020-01-10-enheten-vaxer.sv.md"
    with serving(tiny) as (origin, terminal):

        async def talk():
            ws = await websocket.websocket_connect(origin.replace("http", "ws") + "/livereload")
            await ws.write_message(
                json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
            )
            await ws.read_message()
            await ws.write_message(json.dumps({"command": "info", "url": origin + "/nyheter/enheten-vaxer/"}))
            await asyncio.sleep(0.2)
            edit(item, "har ett avtal.", "har ett avtal om Sökordsprov.")
            messages = [json.loads(await asyncio.wait_for(ws.read_message(), 60))]
            page = fetch(origin + "/nyheter/enheten-vaxer/")[1]
            wait_for(lambda: any(line.startswith("Rendered") for line in terminal), "the whole rebuild")
            with contextlib.suppress(asyncio.TimeoutError):
                messages.append(json.loads(await asyncio.wait_for(ws.read_message(), 1)))
            ws.close()
            return messages, page

        messages, page = ioloop.IOLoop.current().run_sync(talk)
        assert [m["command"] for m in messages] == ["reload"]
        assert "har ett avtal om Sökordsprov." in page
        shown = [line for line in terminal if line.startswith("Shown first, ")]
        assert len(shown) == 1 and shown[0].rstrip().endswith("ms after the save: /nyheter/enheten-vaxer/")
        assert "Sökordsprov" in (tiny / "_site/nyheter/atom.xml").read_text(encoding="utf-8")


def test_a_stylesheet_change_is_served_under_its_new_name(tiny):
    with serving(tiny) as (origin, _):
        css = tiny / "static/assets/site.css"
        css.write_text(css.read_text() + "\n.changed-in-the-test { color: inherit }\n")

        def served_stylesheet():
            name = re.search(r'href="(/assets/site\.[0-9a-f]+\.css)"', fetch(origin + "/")[1]).group(1)
            return "changed-in-the-test" in fetch(origin + name)[1]

        wait_for(served_stylesheet, "the changed stylesheet")


def indexed_text(site) -> str:
    """The page text Pagefind's index holds: its fragments are gzip'd JSON."""
    return "\n".join(gzip.decompress(f.read_bytes()).decode("utf-8") for f in sorted(site.glob("pagefind/fragment/*")))


def test_the_search_index_follows_a_save_after_the_page_has_reloaded(tiny):
    with serving(tiny) as (origin, terminal):
        assert "Sökordsprov" not in indexed_text(tiny / "_site")
        edit(tiny / "content/pages/enheten.sv.md", TITLE_SV, "title: Enheten och Sökordsprov")
        wait_for(lambda: any(line.startswith("Search index updated.") for line in terminal), "the search index")
        rebuilt = next(i for i, line in enumerate(terminal) if line.startswith("Rendered"))
        indexed = next(i for i, line in enumerate(terminal) if line.startswith("Search index updated."))
        assert rebuilt < indexed  # the page first, the index afterwards
        assert "Enheten och Sökordsprov" in indexed_text(tiny / "_site")
        assert not (tiny / "_site/.pagefind-new").exists()


def pagefind_processes_in(root) -> list:
    """Running Pagefind processes started in `root` (serve runs it there, on its output folder)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            command = (proc / "cmdline").read_bytes()
            if b"pagefind" in command and os.readlink(proc / "cwd") == str(root):
                found.append(proc.name)
        except OSError:
            pass  # ended meanwhile, or not ours to read
    return found


def test_stopping_the_server_while_it_indexes_leaves_no_pagefind_behind(tiny):
    for n in range(150):  # enough pages that Pagefind runs long enough to be caught running
        write_pair(tiny, f"2020-01-01-n{n}", "2020-01-01")
    with serving(tiny) as (origin, terminal):
        edit(tiny / "content/pages/enheten.sv.md", TITLE_SV, "title: Enheten i dag")
        wait_for(lambda: any(line.startswith("Rendered") for line in terminal), "the rebuild")
        # The idle work starts IDLE seconds after the rebuild: stop the server while Pagefind runs.
        wait_for(lambda: pagefind_processes_in(tiny), "Pagefind to start")
    # serving() sent SIGTERM and waited for the server to exit. A Pagefind left running
    # would go on to write its index into a folder nobody removes.
    wait_for(lambda: pagefind_processes_in(tiny) == [], "no Pagefind")
    assert not (tiny / "_site/.pagefind-new").exists()
    assert "Search index updated.\n" not in terminal


def test_the_pages_open_in_browsers_are_known_from_livereloads_info(tiny):
    async def session(origin):
        sockets = []
        for url in ("/kontakt/", "/", "/en/news/?x=1#top"):
            ws = await websocket.websocket_connect(origin.replace("http", "ws") + "/livereload")
            await ws.write_message(
                json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
            )
            await ws.read_message()
            await ws.write_message(json.dumps({"command": "info", "url": origin + url}))
            sockets.append(ws)
        return sockets

    # In-process, to read what the server holds.
    loop = ioloop.IOLoop()
    state = serve.State(out=tiny, lock=threading.Lock())
    [sock] = netutil.bind_sockets(0, "127.0.0.1")
    server = httpserver.HTTPServer(serve.application(state))
    server.add_sockets([sock])
    origin = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        sockets = loop.run_sync(lambda: session(origin), timeout=30)
        loop.run_sync(lambda: asyncio.sleep(0.2))
        assert serve.open_pages() == {"kontakt/index.html", "index.html", "en/news/index.html"}
        for ws in sockets:
            ws.close()
    finally:
        server.stop()
        LiveReloadHandler.waiters.clear()
        loop.close(all_fds=True)
