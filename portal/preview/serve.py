"""`build.py serve`: build, serve the output on 127.0.0.1 and rebuild on change.

The only module that imports livereload. It uses livereload's websocket
protocol and browser client (`/livereload.js`) but not its Server: that server
polls every 0.8 s, silently drops a reload asked for within 3 s of the
previous one, and injects an inline script that the site's own CSP
(`default-src 'self'`) blocks. Here instead:

- the kernel reports saves at once (`watch.py`); a burst of saves becomes one
  rebuild, done by `incremental.Builder` in a worker thread;
- every rebuild that changed something reloads the browser, however soon;
- HTML is served with `<script src="/livereload.js">` added, a same-origin
  file the CSP allows. Only this server adds it, while serving: nothing
  preview-only is ever written to the output folder;
- a failed rebuild leaves the last good site in place and every page shows
  the problems (`path:line: message`, as in the terminal) in the language of
  the page being edited, until a good save brings the site back;
- only files inside the output folder are served: `..`, encoded `%2e%2e`,
  backslashes and absolute paths get 404.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import gc
import html
import json
import mimetypes
import signal
import sys
import threading
import time
import webbrowser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, ioloop, netutil, web
from tornado.websocket import WebSocketHandler

from portal import pipeline
from portal.load import strings as i18n
from portal.messages import _, say
from portal.preview import cmsbackend, incremental, watch
from portal.problems import Problems
from portal.render import markup
from portal.review import checks

WATCHED = ("content", "data", "templates", "static")
QUIET = 0.03  # seconds without a new save before a rebuild starts: one rebuild per burst
IDLE = 1.0  # seconds without a new save before the idle work: garbage collection, the search index
BACKLOG = 1024  # pending connections the kernel queues; tornado's default (128) is small for a burst
SCRIPT = b'<script src="/livereload.js" defer></script>'
CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'"
# The header sent with every response: the pages' policy, allowing what any page of the site
# allows (the search page: Pagefind's WebAssembly, templates/search.html). A browser applies the
# header and a page's own meta policy both, so each page is still held to its own; a header as
# strict as the others' made search fail in the preview alone.
HEADER_CSP = CSP + "; script-src 'self' 'wasm-unsafe-eval'"
mimetypes.add_type("text/yaml", ".yml")  # the editor's config.yml; Decap warns on anything else
NOT_SHOWN = (".html", ".xml", ".json", ".csv", ".ttl", ".jsonld", ".txt")  # a page loads none of these: no reload
EDITOR = "/admin/"  # the web editor (cms.py): its page's own CSP, no live reload, shown even while the build is broken


def error_text(strings, lang: str) -> tuple[str, str]:
    """The error page's title and lead in `lang`, from data/i18n (preview.error_title, preview.error_lead);
    the problems themselves are the terminal's text. A language without them borrows another's."""
    table = getattr(strings, "strings", strings)
    for code in dict.fromkeys([lang, *table]):
        try:
            return i18n.text(table, code, "preview.error_title"), i18n.text(table, code, "preview.error_lead")
        except i18n.StringMissing:
            continue
    # data/i18n gives neither (its files do not parse): the build's own words, which always exist.
    return say(_("The page could not be built"), lang), say(
        _("The preview shows the problems below, with file and line; the terminal shows them too."), lang
    )


@dataclasses.dataclass
class State:
    """What the handlers read and the rebuild thread updates (under `lock`)."""

    out: Path
    lock: threading.Lock
    languages: tuple = ()  # language codes, default first, of the last build that read them
    strings: dict = dataclasses.field(default_factory=dict)  # the interface strings of that build (data/i18n)
    problems: list = dataclasses.field(default_factory=list)  # of the last rebuild; empty when it was good
    told: set = dataclasses.field(default_factory=set)  # notices said already (every rebuild repeats them)
    root: Path | None = None  # the site's folder, for the web editor's local backend (cmsbackend.py)


def resolve(out: Path, raw_path: str) -> Path | None:
    """The file under `out` that a request path names, or None if it names nothing there.

    Works on the raw path, so `%2e%2e` is decoded before it is judged: any `..`
    or `.` segment, empty segment (`//etc`), backslash or NUL is refused, and
    the resolved file must still be inside the output folder (no link out).
    """
    path = unquote(raw_path.split("?", 1)[0])
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    parts = path[1:].split("/")
    if any(part in ("", ".", "..") for part in parts[:-1]) or parts[-1] in (".", ".."):
        return None
    target = out.joinpath(*parts) if parts[-1] else out.joinpath(*parts[:-1], "index.html")
    try:
        real, root = target.resolve(strict=True), out.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != root and root not in real.parents:
        return None
    return real


class PageHandler(web.RequestHandler):
    """Serves the output folder, or the error page while the last rebuild failed."""

    def initialize(self, state: State):
        self.state = state

    def set_default_headers(self):
        self.set_header("Cache-Control", "no-store")  # a reload always shows the newest build
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Security-Policy", HEADER_CSP)

    def head(self, _=None):
        self.get(_)

    def get(self, _=None):
        raw = self.request.path
        editor = raw.startswith(EDITOR)
        if editor:
            self.clear_header("Content-Security-Policy")  # the editor's page carries its own (a meta tag)
        with self.state.lock:  # a rebuild never shows half-written: it holds the lock while writing
            problems = list(self.state.problems)
            target = resolve(self.state.out, raw)
            if target is not None and target.is_dir():
                return self.redirect(raw + "/", permanent=False)
            is_page = raw.endswith("/") or raw.endswith(".html")
            if problems and is_page and not editor:  # the editor stays usable to fix the mistake
                return self.error_page(problems, raw)
            if target is None or not target.is_file():
                missing = self.state.out / "404.html"
                self.set_status(404)
                if missing.is_file():
                    return self.send(missing.read_bytes(), "text/html; charset=utf-8")
                return self.send(b"Not found\n", "text/plain; charset=utf-8")
            data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml", "application/xml"):
            kind += "; charset=utf-8"
        self.send(data, kind, reload=not editor)

    def send(self, data: bytes, kind: str, reload: bool = True):
        if kind.startswith("text/html") and reload:  # a reload would drop what the editor is typing
            data = data.replace(b"</head>", SCRIPT + b"</head>", 1)
        self.set_header("Content-Type", kind)
        if self.request.method != "HEAD":
            self.write(data)
        else:
            self.set_header("Content-Length", str(len(data)))

    def error_page(self, problems, raw_path: str):
        strings = self.state.strings or (i18n.read(self.state.root) if self.state.root else {})
        lang = language_of(problems, raw_path, self.state.languages or tuple(strings) or ("en",))
        title, lead = error_text(strings, lang)
        # One list item each: long lines wrap on a phone, where a <pre> would run off the screen.
        items = "".join(f"<li><code>{html.escape(p.text(lang), quote=False)}</code></li>\n" for p in problems)
        page = (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f"<title>{html.escape(title)}</title>\n{_stylesheet_link(self.state.out)}"
            "</head>\n<body>\n"
            f'<main id="main" class="wrap content build-error">\n<h1>{html.escape(title)}</h1>\n'
            f'<p>{html.escape(lead)}</p>\n<ul class="problems">\n{items}</ul>\n</main>\n</body>\n</html>\n'
        )
        self.set_status(500)
        self.send(page.encode("utf-8"), "text/html; charset=utf-8")


def _stylesheet_link(out: Path) -> str:
    """The last good build's stylesheet, so the error page looks like the site (none: plain)."""
    found = sorted(out.glob("assets/site.*.css"))
    return f'<link rel="stylesheet" href="/assets/{html.escape(found[0].name)}">\n' if found else ""


def language_of(problems, raw_path: str, languages) -> str:
    """The language of the page being edited: the broken content file's, else the page shown."""
    for problem in problems:
        name = problem.path.rsplit("/", 1)[-1]
        parts = name.split(".")
        if len(parts) >= 3 and parts[-1] == "md" and parts[-2] in languages:
            return parts[-2]
    first = unquote(raw_path).lstrip("/").split("/", 1)[0]
    return first if first in languages[1:] else languages[0]


class ReloadSocket(LiveReloadHandler):
    """livereload's websocket, but only for pages of this server (tornado's origin check).

    livereload.js says which page it is on (`info`); `open_pages` reads that, so a
    change that redoes many pages redoes these first.
    """

    check_origin = WebSocketHandler.check_origin
    url = None

    def on_message(self, message):
        super().on_message(message)
        try:
            said = json.loads(message)
        except ValueError:
            return
        if isinstance(said, dict) and said.get("command") == "info" and isinstance(said.get("url"), str):
            self.url = said["url"]


def open_pages() -> set:
    """The output paths of the pages open in a browser right now."""
    found = set()
    for waiter in list(LiveReloadHandler.waiters):
        url = getattr(waiter, "url", None)
        if url:
            path = unquote(urlsplit(url).path).lstrip("/")
            found.add(path + "index.html" if path == "" or path.endswith("/") else path)
    return found


def reload_browsers(path: str = "*") -> None:
    """Tell every open page to reload (livereload protocol).

    Always the whole page: a changed stylesheet gets a new content-hashed name
    (assets.py), so the pages that link it change too.
    """
    message = {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(message)
        except Exception:  # noqa: BLE001 - a closed tab must not stop the others
            LiveReloadHandler.waiters.discard(waiter)


class BackendHandler(web.RequestHandler):
    """POST /api/v1: the web editor's local backend (cmsbackend.py answers it)."""

    def initialize(self, repository: cmsbackend.Repository):
        self.repository = repository

    def set_default_headers(self):
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")

    def post(self):
        status, answer = cmsbackend.answer(
            self.repository,
            self.request.host,
            self.request.headers.get("Origin"),
            self.request.headers.get("Content-Type", ""),
            self.request.body,
        )
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.write(json.dumps(answer))


def application(state: State) -> web.Application:
    return web.Application(
        [
            *(
                [(r"/api/v1", BackendHandler, {"repository": cmsbackend.Repository(state.root)})]
                if state.root is not None
                else []
            ),
            (r"/livereload", ReloadSocket),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r"/.*", PageHandler, {"state": state}),
        ],
        compress_response=False,
    )


class Rebuilds:
    """Turns file changes into rebuilds: one per burst of saves, one at a time, off the server's thread.

    Work that can wait is done once the browser has reloaded and the saves have
    paused (IDLE), in the same worker as the rebuilds, so it never reads a page
    while one is written:
    - Python's garbage collector is off during a rebuild and runs here: on a big
      site a collection in the middle of a rebuild scanned every page of the
      last one, a few hundred milliseconds the editor would wait for;
    - the search index is made again: Pagefind reads every page, seconds on a
      big site, and an editor waits for the page, not for search. The next save
      stops it (the old index stays until a later one finishes).
    """

    def __init__(self, builder: incremental.Builder, state: State, loop: ioloop.IOLoop):
        self.builder, self.state, self.loop = builder, state, loop
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.timer = None
        self.running = False
        self.pending = False
        self.first_change = None
        self.idle_timer = None
        self.build_stop = threading.Event()
        self.search_stop = threading.Event()
        self.search_stale = False
        self.saved = set()  # repository paths saved since the last finished build (for `saved_warnings`)

    def changed(self, paths) -> None:
        if not paths:
            return
        self.saved.update(paths)
        self.first_change = self.first_change or time.perf_counter()
        if self.timer is not None:
            self.loop.remove_timeout(self.timer)
        self.timer = self.loop.call_later(QUIET, self.start)
        self.stop_idle_work()
        if self.running:
            self.build_stop.set()  # the pages it renders are already out of date: start again

    def stop_idle_work(self) -> None:
        if self.idle_timer is not None:
            self.loop.remove_timeout(self.idle_timer)
            self.idle_timer = None
        self.search_stop.set()

    def schedule_idle_work(self) -> None:
        self.stop_idle_work()
        self.idle_timer = self.loop.call_later(IDLE, self.idle_work)

    def idle_work(self) -> None:
        self.idle_timer = None
        if self.running or self.timer is not None:
            return  # a rebuild is coming; it schedules this again
        stop = self.search_stop = threading.Event()
        future = self.loop.run_in_executor(self.pool, self.collect_and_index, self.search_stale, stop)
        self.loop.add_future(future, lambda f: self.indexed(f, stop))

    def collect_and_index(self, stale: bool, stop: threading.Event):
        gc.collect()
        return self.builder.index_search(stop) if stale else None

    def indexed(self, future, stop) -> None:
        try:
            problems = future.result()
        except Exception as exc:  # noqa: BLE001 - the preview goes on without a fresh index
            print(
                say(
                    _(
                        "build.py: internal error while indexing for search ({kind}: {exc})",
                        kind=type(exc).__name__,
                        exc=exc,
                    )
                ),
                file=sys.stderr,
            )
            return
        if problems is None:
            return
        for problem in problems.sorted():
            print(problem.text(), file=sys.stderr)
        if not stop.is_set() and not problems.errors:
            self.search_stale = False
            print(say(_("Search index updated.")), file=sys.stderr)
        sys.stderr.flush()

    def build(self, stop: threading.Event, saved=frozenset()):
        gc.disable()  # collected in the idle work instead
        try:
            viewed = open_pages()  # read in this thread: a set of strings, no tornado state is changed
            shown_at = []

            def shown():
                shown_at.append(time.perf_counter())
                self.loop.add_callback(reload_browsers)

            result = self.builder.build(stop, viewed, shown=shown, saved=frozenset(saved))
            result.shown_at = shown_at[0] if shown_at else None
            # Reload again only if something a browser shows changed after the early pages: an
            # open page, or a file pages load (a stylesheet's new name); not a feed or open data.
            result.reload = (
                not result.early
                or bool(result.changed & (viewed | open_pages()))
                or any(not p.endswith(NOT_SHOWN) for p in result.changed)
            )
            return result
        finally:
            gc.enable()

    def start(self) -> None:
        self.timer = None
        if self.running:
            self.pending = True  # changed while building: build once more afterwards
            return
        self.running, self.pending = True, False
        started, self.first_change = self.first_change, None
        saved, self.saved = self.saved, set()
        self.build_stop = threading.Event()
        future = self.loop.run_in_executor(self.pool, self.build, self.build_stop, saved)
        self.loop.add_future(future, lambda f: self.done(f, started, saved))

    def done(self, future, started, saved=frozenset()) -> None:
        self.running = False
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - the server keeps running; say what happened
            print(
                say(_("build.py: internal error while rebuilding ({kind}: {exc})", kind=type(exc).__name__, exc=exc)),
                file=sys.stderr,
            )
        else:
            if result.cancelled:  # a newer save came: its build reports (now, or when its timer fires)
                self.first_change = started or self.first_change
                self.saved |= saved
                self.search_stale = self.search_stale or result.search_stale  # pages it showed first
                if self.pending:
                    self.start()
                return
            was_broken = bool(self.state.problems)  # then a good build must replace the error page
            options = getattr(self.builder, "options", None)  # (a test's stand-in builder has none)
            warnings = saved_warnings(options.root, result, saved) if options is not None else []
            report(result, self.state, started, was_broken, warnings)
            if result.problems.errors or was_broken or (result.changed and result.reload):
                reload_browsers()
            self.search_stale = self.search_stale or result.search_stale
        if self.pending:
            self.start()
        else:
            self.schedule_idle_work()


def saved_warnings(root: Path, result, saved) -> list:
    """What `check` would say about the content files just saved (a missing or outdated
    translation, the scaffold's text left in an item to publish), so an editor hears it
    while previewing, not only from check."""
    if result.site is None or result.problems.errors:
        return []
    sources = {p.source for p in result.site.pages if p.source}
    only = {path for path in saved if path in sources}
    # The translation of a saved original may be outdated now: look at the pages that share its key.
    keys = {(p.key, p.kind) for p in result.site.pages if p.source in only}
    only |= {p.source for p in result.site.pages if p.source and (p.key, p.kind) in keys}
    if not only:
        return []
    found = Problems()
    checks.translations(root, result.site, found, only)
    checks.unfinished(root, result.site, found, only)
    return found.sorted()


def report(result, state: State, started: float | None, was_broken: bool = False, warnings=()) -> None:
    with state.lock:
        state.problems = result.problems.sorted() if result.problems.errors else []
        if result.site is not None:
            state.languages = tuple(lang.code for lang in result.site.config.languages)
            state.strings = result.site.config.strings
    for message in result.problems.notices:
        if message not in state.told:
            state.told.add(message)
            print(f"build.py: {say(message)}", file=sys.stderr)
    for problem in result.problems.sorted():
        print(problem.text(), file=sys.stderr)
    for problem in warnings:
        print(problem.text(), file=sys.stderr)
    took = say(_(" in {ms:.0f} ms", ms=(time.perf_counter() - started) * 1000)) if started else ""
    if result.problems.errors:
        print(
            say(_("The site was not updated; the browser shows the errors. Fix them and save again.")), file=sys.stderr
        )
    else:
        if was_broken:
            print(say(_("Fixed: the site is up to date again.")), file=sys.stderr)
        if result.shown_at and started:  # (the first build answers no save)
            print(
                say(
                    _(
                        "Shown first, {ms:.0f} ms after the save: {pages}",
                        ms=(result.shown_at - started) * 1000,
                        pages=" ".join(sorted("/" + p.removesuffix("index.html") for p in result.early)),
                    )
                ),
                file=sys.stderr,
            )
        print(
            say(
                _(
                    "Rendered {rendered} of {pages} pages, {changed} files changed{took}.",
                    rendered=len(result.rendered),
                    pages=result.pages,
                    changed=len(result.changed),
                    took=took,
                )
            ),
            file=sys.stderr,
        )
    sys.stderr.flush()


def serve(options: pipeline.Options, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    sockets = netutil.bind_sockets(port, address=host, backlog=BACKLOG)
    port = sockets[0].getsockname()[1]  # the real port when 0 asked for any free one
    shown = f"[{host}]" if ":" in host else host
    # Links must point at the preview, not at the public address.
    options = dataclasses.replace(
        options, base_url=f"http://{shown}:{port}/", drafts=True
    )  # previews show drafts and scheduled items
    state = State(out=Path(options.out).resolve(), lock=threading.Lock(), root=Path(options.root))
    builder = incremental.Builder(options, state.lock)
    first = builder.build()
    if options.progress:  # the first build's progress line; rebuilds are quick and report in one line
        options.progress.done()
        builder.options = dataclasses.replace(options, progress=None)
    report(first, state, None)

    loop = ioloop.IOLoop.current()
    server = httpserver.HTTPServer(application(state))
    server.add_sockets(sockets)
    rebuilds = Rebuilds(builder, state, loop)
    watcher = watch.watcher(options.root, WATCHED)
    if watcher.fd is not None:
        loop.add_handler(watcher.fd, lambda fd, events: rebuilds.changed(watcher.read()), ioloop.IOLoop.READ)
    else:
        ioloop.PeriodicCallback(lambda: rebuilds.changed(watcher.read()), 300).start()
    # SIGTERM (a process manager, a test) stops the server as Ctrl+C does, so the finally
    # below runs and no Pagefind is left writing into the output folder.
    signal.signal(signal.SIGTERM, lambda *_: loop.add_callback_from_signal(loop.stop))
    print(say(_("Serving on {url} (Ctrl+C stops)", url=f"http://{shown}:{port}/")), file=sys.stderr)
    if (state.out / "admin" / "index.html").is_file():
        print(
            say(_("Web editor on {url}admin/ (it saves into content/)", url=f"http://{shown}:{port}/")), file=sys.stderr
        )
    sys.stderr.flush()
    if open_browser:
        webbrowser.open(f"http://{shown}:{port}/")
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.close()
        rebuilds.build_stop.set()  # a running rebuild stops at its next page...
        markup.stop_helper()  # ...and at once if it waits for a slow conversion
        rebuilds.stop_idle_work()  # ends a running Pagefind
        rebuilds.pool.shutdown(wait=True, cancel_futures=True)
        # The pages of the last good build, for the next start (.cache/); after the first
        # build it is kept at once, so a preview that is killed loses only the later saves.
        builder.save_cache()
    return 0
