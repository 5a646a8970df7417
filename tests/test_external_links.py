"""check --external asks links to other sites, bounded in time; only a local server on 127.0.0.1 here."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from conftest import run_build
from portal import cli
from portal.messages import say
from portal.problems import Problems
from portal.review import external


class _Handler(http.server.BaseHTTPRequestHandler):
    asked: list = []

    def _answer(self, body: bool):
        type(self).asked.append((self.command, self.path))
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in ("/ok", "/slow", "/no-head"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):  # noqa: N802 - http.server's names
        self._answer(False)

    def do_GET(self):  # noqa: N802
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_site():
    _Handler.asked = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_external_reports_a_dead_link_at_its_source(tiny, other_site, monkeypatch, capfd):
    page = tiny / "content/pages/kontakt.sv.md"
    page.write_text(
        page.read_text(encoding="utf-8") + f"\n[Fungerar]({other_site}/ok) och [borta]({other_site}/borta) "
        f"och [bara GET]({other_site}/no-head).\n",
        encoding="utf-8",
    )
    quiet = run_build(tiny, "check")
    assert quiet.returncode == 0, quiet.stderr
    assert _Handler.asked == []  # never in the default check
    # No network in tests: the site's real links to other sites are answered here, as if they work.
    real = external.probe
    monkeypatch.setattr(
        external, "probe", lambda url, timeout: real(url, timeout) if url.startswith(other_site) else None
    )
    monkeypatch.chdir(tiny)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    assert cli.main(["check", "--external", "--strict"]) == 1
    err = capfd.readouterr().err
    assert (
        f"content/pages/kontakt.sv.md: warning: the link to '{other_site}/borta' (on /kontakt/) does not work: HTTP 404"
        in err.splitlines()
    ), err
    assert "/ok'" not in err and "/no-head'" not in err
    assert ("GET", "/no-head") in _Handler.asked and ("HEAD", "/ok") in _Handler.asked


def test_the_check_is_bounded_in_time(other_site):
    links = {f"{other_site}/slow": {"a/index.html"}, f"{other_site}/ok": {"b/index.html"}}
    problems = Problems()
    started = time.monotonic()
    asked = external.check(
        links, {"a/index.html": "content/pages/a.sv.md"}, problems, timeout=0.5, workers=2, deadline=5
    )
    assert time.monotonic() - started < 1.9
    assert asked == 2
    assert [str(p) for p in problems.items] == [
        f"content/pages/a.sv.md: warning: the link to '{other_site}/slow' (on /a/) does not work: no answer in time"
    ]
    problems = Problems()
    external.check(links, {}, problems, timeout=5, workers=1, deadline=0.3)
    assert (
        f"the link to '{other_site}/slow' (on /a/) does not work: not checked: the check stopped after 0.3 s"
        in problems.items[0].message
    )
    # An editor who reads Swedish reads the reason in Swedish too.
    assert say(problems.items[0].message, "sv").endswith(
        "fungerar inte: inte kontrollerad: kontrollen avbröts efter 0,3 s"  # with a Swedish decimal comma
    )
