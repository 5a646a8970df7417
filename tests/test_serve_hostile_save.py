"""`serve` survives a save that Python-Markdown cannot finish (it is quadratic on some inputs).

The build's 10-second limit is a timer signal, which only the main thread can
receive; the preview rebuilds in a worker thread, so its conversions run in a
child process that can be stopped. Before, one such save hung the preview for
hours and SIGTERM could not stop it.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from servetools import fetch, serving, serving_process, wait_for

PAGE = "content/pages/enheten.sv.md"
HOSTILE = "\n" + "[" * 20000 + "\n"


def helper_processes_of(pid: int) -> list:
    """Child processes of `pid` (the markdown helper is one)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(proc.name))
        except (OSError, ValueError, IndexError):
            pass  # ended meanwhile
    return found


def test_a_save_markdown_cannot_finish_shows_the_error_page_then_a_good_save_recovers(tiny):
    page = tiny / PAGE
    good = page.read_text(encoding="utf-8")
    with serving(tiny) as (origin, terminal):
        page.write_text(good + HOSTILE, encoding="utf-8")
        status, body = wait_for(lambda: (r := fetch(origin + "/enheten/"))[0] == 500 and r, "the error page", limit=20)
        # The error page speaks the language of the page being edited (Swedish); the terminal, its own.
        assert f"{PAGE}:" in body and "tog mer än 10 sekunder att omvandla" in body
        assert any(PAGE in line and "took more than 10 seconds" in line for line in terminal)

        page.write_text(good, encoding="utf-8")
        status, body = wait_for(lambda: (r := fetch(origin + "/enheten/"))[0] == 200 and r, "recovery", limit=20)
        assert "<h1>Bemanningen</h1>" in body  # the tiny site's page, whole again


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_the_server_stops_within_5_seconds_while_a_conversion_is_stuck(tiny, how):
    page = tiny / PAGE
    with serving_process(tiny) as (process, origin, terminal):
        helpers_before = helper_processes_of(process.pid)
        page.write_text(page.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
        # The rebuild starts 0.03 s after the save and then waits on the stuck conversion.
        wait_for(lambda: len(helper_processes_of(process.pid)) > len(helpers_before), "the markdown helper", limit=20)
        time.sleep(1)
        assert process.poll() is None and not any("took more than" in line for line in terminal)
        helpers = helper_processes_of(process.pid)
        started = time.monotonic()
        os.kill(process.pid, how)
        process.wait(timeout=30)
        stopped_after = time.monotonic() - started
    assert stopped_after < 5, f"took {stopped_after:.1f} s to stop"
    assert process.returncode == 0
    # Nothing is left converting: the helper (and multiprocessing's tracker) end with the server.
    wait_for(lambda: not any(alive(pid) for pid in helpers), "the server's child processes to end", limit=5)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class _Pipe:
    """The helper process's end as the preview sees it, answering as the child does for a text it gave up on."""

    def __init__(self):
        self.sent = []

    def send(self, text):
        self.sent.append(text)

    def poll(self, timeout):
        return True

    def recv(self):
        return False, "took more than 10 seconds"


def test_a_text_the_preview_could_not_convert_is_not_converted_again():
    """`serve` converts a saved page's text for its open page first, then in the whole build:
    a hostile text must cost the 10 seconds once, not twice."""
    from portal.render import markup

    helper = markup._Helper()
    helper.process, helper.conn = object(), _Pipe()  # started: the child's answers come through the pipe
    for _ in range(2):
        with pytest.raises(markup.MarkupError, match="took more than 10 seconds"):
            helper.markdown(HOSTILE)
    assert helper.conn.sent == [HOSTILE]
    with pytest.raises(markup.MarkupError):
        helper.markdown("another text")
    assert helper.conn.sent == [HOSTILE, "another text"]
