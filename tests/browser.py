"""Serve a built site on 127.0.0.1 and drive Debian's Chromium over it.

Playwright drives /usr/bin/chromium (never `playwright install`, which would
download a browser). Every HTML file of the output is a page to check, found
by walking the folder, so pages that later work adds are checked too.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from servetools import running

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach the internet by itself.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE = REPO / "node_modules/axe-core/axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = REPO / "test-artifacts/screenshots"
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
# The web editor (Decap CMS) is not a page of the site: it has its own CSP and its own
# accessibility faults, which tests/test_cms_browser.py reports (docs/web-editor.md) instead of failing on.
EDITOR = "admin/"


@dataclass(frozen=True)
class Site:
    folder: Path  # the output folder
    origin: str  # http://127.0.0.1:PORT
    prefix: str = "/"  # where the site lives on the server ("/trygghet/" under a sub-path)

    def url(self, path: str) -> str:
        return self.origin + self.prefix + path.lstrip("/")

    def pages(self) -> list[str]:
        """Every HTML page of the output, as a path under the site ("", "en/", "404.html")."""
        found = []
        for file in sorted(self.folder.rglob("*.html")):
            rel = file.relative_to(self.folder).as_posix()
            if rel.startswith(EDITOR):
                continue
            found.append(rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
        return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the tests report what matters
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a browser that drops a connection early is not a test failure


@contextlib.contextmanager
def serve(root: Path):
    """Serve `root` on 127.0.0.1 on a free port; yields the origin."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    with running(_Server(("127.0.0.1", 0), handler)) as port:
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """What a page did while it loaded: requests, console errors, uncaught exceptions."""

    requests: list
    errors: list


def watch(page) -> Watch:
    seen = Watch([], [])
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    return seen


# True once the page's own script is done changing it: the search page swaps its
# fallback links for a form when Pagefind has loaded (or says search failed).
SETTLED = """() => {
  const form = document.querySelector('.search-form');
  return !form || !form.hidden || document.getElementById('search-status').textContent !== '';
}"""


def visit(page, url: str) -> None:
    """Open `url` and wait until the page has settled, so a Tab walk, axe or a
    screenshot sees the page a reader sees, not the swap half done."""
    page.goto(url)
    page.wait_for_function(SETTLED)


def axe_violations(page) -> list[str]:
    """Run axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules; one line per violating element."""
    if not AXE.is_file():
        raise AssertionError(f"{AXE} is missing: run scripts/test (it runs `npm ci`)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}"
        for v in result["violations"]
        for node in v["nodes"]
    ]


def shot_name(site: Site, path: str) -> str:
    return (path.strip("/").replace("/", "__").removesuffix(".html") or "index") + ".png"
