"""Markdown to safe HTML: Python-Markdown, then the nh3 allow-list sanitizer.

Editors may write raw HTML in markdown; only the tags and attributes below
survive, so nothing in content can run a script on the published site.
Links to other content files (`om-samverkan.sv.md`) become the page's URL, and
links from the site root (`/en/`) get the site's base path, so content keeps
working when the site is hosted under a sub-path.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import html
import multiprocessing
import multiprocessing.connection
import os
import posixpath
import re
import signal
import threading
import time
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER, FootnoteExtension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from portal import caches
from portal.messages import _
from portal.render import workers

EXTENSIONS = ["extra", "sane_lists", "toc"]
EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode, "permalink": False}}

TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ATTRIBUTES = {
    "*": {"id", "class", "lang", "title", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_HREF = re.compile(r'(href|src)="([^"]*)"')


MARKDOWN_SECONDS = 10  # a 1 MB page converts in about 2 s; some inputs (20,000 '[') take hours
TOO_SLOW = _(
    "the markdown took more than {seconds} seconds to convert; look for a very long run of '[' or '(' "
    "or deeply nested lists",
    seconds=MARKDOWN_SECONDS,
)


STOPPING = _("not converted: the preview is stopping")


class MarkupError(Exception):
    """Markdown that cannot be converted: too slow or nested too deeply."""


def to_html(text: str) -> str:
    return convert(text)[0]


@caches.bounded(
    256 * caches.MB, size=lambda args, done: len(args[0]) + len(done[0])
)  # pages and feeds convert the same text; `serve` converts it after every save
def convert(text: str) -> tuple[str, list]:
    """(safe HTML, [(line in text or None, a warning: what the sanitizer removed, a footnote nothing refers to)])."""
    if threading.current_thread() is threading.main_thread():
        if _ahead is not None and _ahead.has(text):
            return _ahead.take(text)
        return _convert_here(text)
    raw, unreferenced = _helper.markdown(text)  # a timer signal cannot stop a thread; a process can be stopped
    return _finish(raw, unreferenced, text)


def _convert_here(text: str) -> tuple[str, list]:
    """convert(text) in this process, stopped after MARKDOWN_SECONDS. Main thread only."""
    raw, unreferenced = _markdown(text)
    return _finish(raw, unreferenced, text)


def _finish(raw: str, unreferenced: list, text: str) -> tuple[str, list]:
    """Markdown's HTML made safe, and what the editor is told about it."""
    safe = sanitize(raw)
    return label_cells(safe), removals(raw, safe, text) + unreferenced_footnotes(unreferenced, text)


def _markdown(text: str) -> tuple[str, list]:
    """(Python-Markdown's HTML for text, [footnote labels nothing refers to]), stopped after
    MARKDOWN_SECONDS. Main thread only."""
    global _parser
    # One parser for every text this process converts, reset between them as Python-Markdown
    # asks: making one (its extensions registered, its patterns compiled) cost as much as
    # converting a short page. A conversion that did not finish may leave it half way: dropped.
    md, footnotes = _parser or _new_parser()
    _parser = None
    md.reset()
    try:
        html_ = _bounded(MARKDOWN_SECONDS, md.convert, text)
    except RecursionError:
        raise MarkupError(_("the markdown is nested too deeply (lists or quotes inside each other)")) from None
    _parser = md, footnotes
    return html_, list(footnotes.labels)


_parser = None  # (markdown.Markdown, its _UnreferencedFootnotes), between two conversions


def _new_parser():
    footnotes = _UnreferencedFootnotes()
    md = markdown.Markdown(
        extensions=[*EXTENSIONS, footnotes], extension_configs=EXTENSION_CONFIGS, output_format="html"
    )
    return md, footnotes


class _UnreferencedFootnotes(Extension):
    """Finds the footnotes defined (`[^1]: text`) but never referred to (`[^1]`) and takes their back-link off.

    Python-Markdown lists every defined footnote, each with a link back to its mark in the
    text (`#fnref:1`); a footnote without a mark would link to nothing, a broken link on the
    page. The note is still shown, and the editor is told where it is (`unreferenced_footnotes`).
    """

    def __init__(self):
        super().__init__()
        self.labels = []

    def reset(self):
        # Markdown.reset calls it: a text with nothing to convert (blank) runs no tree processor.
        self.labels.clear()

    def extendMarkdown(self, md):
        md.registerExtension(self)  # so that Markdown.reset resets it
        notes = next(e for e in md.registeredExtensions if isinstance(e, FootnoteExtension))
        # After the inline patterns (20), which find the marks, and the footnotes' own back-links (15).
        md.treeprocessors.register(_DropDanglingBacklinks(md, notes, self.labels), "unreferenced-footnotes", 14)


class _DropDanglingBacklinks(Treeprocessor):
    def __init__(self, md, notes: FootnoteExtension, labels: list):
        super().__init__(md)
        self.notes, self.labels = notes, labels

    def run(self, root):
        self.labels[:] = [label for label in self.notes.footnotes if label not in self.notes.footnote_order]
        notes = {self.notes.makeFootnoteId(label) for label in self.labels}
        for li in root.iter("li"):
            if li.get("id") not in notes:
                continue
            for p in list(li):  # the back-link ends the note's last paragraph, or is a paragraph of its own
                for a in list(p):
                    if a.tag == "a" and a.get("class") == "footnote-backref":
                        p.remove(a)
                        before = p[-1] if len(p) else None  # the no-break space before the back-link goes too
                        if before is not None:
                            before.tail = (before.tail or "").removesuffix(NBSP_PLACEHOLDER) or None
                        else:
                            p.text = (p.text or "").removesuffix(NBSP_PLACEHOLDER) or None
                if p.tag == "p" and not len(p) and not (p.text or "").strip():
                    li.remove(p)


# What may come before a footnote's definition on its line: indentation, quote marks and list
# markers (`- [^1]: …` and `1. [^1]: …` define one inside a list item, as Python-Markdown reads them).
_BEFORE_A_DEFINITION = r"^(?:[ \t>]|[-*+][ \t]|\d{1,9}\.[ \t])*"


def unreferenced_footnotes(labels: list, text: str) -> list:
    """(line in text or None, a warning) for each footnote defined in text that nothing refers to."""
    found = []
    for label in labels:
        definition = re.compile(_BEFORE_A_DEFINITION + r"\[\^" + re.escape(label) + r"\]:", re.M).search(text)
        line = text.count("\n", 0, definition.start()) + 1 if definition else None
        found.append(
            (
                line,
                _(
                    "the footnote [^{label}] is never referred to in the text, so it is shown without a mark: "
                    "write [^{label}] where it belongs, or remove the footnote",
                    label=label,
                ),
            )
        )
    return found


class _TooSlow(Exception):
    pass


def _bounded(seconds: float, fn, *args):
    """fn(*args), stopped after `seconds` by a timer signal (Python-Markdown is quadratic on some inputs)."""
    if not hasattr(signal, "setitimer"):
        return fn(*args)

    def stop(signum, frame):
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    except _TooSlow:
        raise MarkupError(TOO_SLOW) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Helper:
    """A child process that converts markdown for threads (the preview's rebuilds).

    In its own main thread the timer signal works, so a hostile page is stopped
    there after MARKDOWN_SECONDS; if the child does not answer even then, it is
    killed. `stop()` kills it from any thread, so a server that is stopping never
    waits for a conversion. Started on first use, and again after a kill.
    """

    GRACE = 5  # seconds past the child's own limit before it is killed

    def __init__(self):
        self.lock = threading.Lock()  # one conversion at a time through the one pipe
        self.process = self.conn = None
        self.stopped = False
        # The last texts it could not convert, and why: `serve` may convert a saved page's text
        # twice (its page first, then the whole site), and a text that took 10 s once would again.
        self.failed = {}

    def markdown(self, text: str) -> tuple[str, list]:
        with self.lock:
            if self.stopped:
                raise MarkupError(STOPPING)
            if text in self.failed:
                raise MarkupError(self.failed[text])
            if self.process is None:
                self._start()
            try:
                self.conn.send(text)
                if not self.conn.poll(MARKDOWN_SECONDS + self.GRACE):
                    self._kill()
                    self._failed(text, TOO_SLOW)
                ok, value = self.conn.recv()
            except (EOFError, OSError):  # killed by stop(), or died
                self._kill()
                raise MarkupError(
                    STOPPING if self.stopped else _("the markdown could not be converted (the converter stopped)")
                ) from None
            if not ok:
                self._failed(text, value)
        return value

    def _failed(self, text: str, message: str):
        if len(self.failed) >= 8:
            del self.failed[next(iter(self.failed))]
        self.failed[text] = message
        raise MarkupError(message)

    def _start(self):
        # spawn, not fork: the parent has threads (the server), and a forked lock could be held forever.
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_helper_main, args=(child,), daemon=True, name="portal-markdown")
        self.process.start()
        child.close()

    def _kill(self):
        process, conn = self.process, self.conn
        self.process = self.conn = None
        if process is not None:
            process.kill()
            process.join()
        if conn is not None:
            conn.close()

    def stop(self):
        """Kill the child now (from any thread); later conversions off the main thread fail at once."""
        self.stopped = True
        process = self.process
        if process is not None:
            process.kill()  # the waiting thread wakes with EOFError and cleans up


def _helper_main(conn) -> None:
    while True:
        try:
            text = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        try:
            conn.send((True, _markdown(text)))
        except MarkupError as exc:
            conn.send((False, exc.args[0]))  # a messages.Message: it pickles with its msgid, to be said in Swedish too


_helper = _Helper()


def stop_helper() -> None:
    """Stop converting off the main thread (the preview calls this when it stops)."""
    _helper.stop()


# --- converting ahead, in a pool of processes ---------------------------------------

POOL_FROM = 500_000  # characters of markdown (about half a second of work): less is not worth starting processes for


@contextlib.contextmanager
def converting_ahead(texts, jobs: int):
    """Within the block, `convert` takes these texts from `jobs` processes that convert them ahead.

    A build converts every page's markdown, about 40 % of its time, and each text is a pure
    function of itself: the processes convert the texts in the order given while this one
    renders, so rendering is unchanged and its output byte for byte the same. Each process
    converts in its own main thread, where the time limit's timer signal holds; one that does
    not answer in time is stopped, one that dies is reported at its text's page. With one job,
    off the main thread (`serve` converts through its helper) or for little text, nothing changes.
    """
    global _ahead
    alone = jobs <= 1 or _ahead is not None or threading.current_thread() is not threading.main_thread()
    # Texts read from their files (load/body.py) are read only when there are processes for them.
    todo = [] if alone else list(dict.fromkeys(text for text in texts if text.strip() and (text,) not in convert.cache))
    if alone or sum(map(len, todo)) < POOL_FROM:
        yield
        return
    try:
        _ahead = _Pool(todo, jobs)
    except OSError:  # no process could start (memory, a full /dev/shm): convert here, as with one job
        yield
        return
    try:
        yield
    finally:
        pool, _ahead = _ahead, None
        pool.close()


class _Worker:
    """One process of the pool, and the texts sent to it that have not come back, oldest first."""

    DEPTH = 4  # texts sent to one process at most, so that it never waits for the pool...
    IN_PIPE = 16_000  # ...and characters (UTF-8: up to 4 bytes each) well within a pipe's 64 kB buffer

    def __init__(self, context):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_pool_main, args=(child, os.getpid()), daemon=True, name="portal-markdown"
        )
        self.process.start()
        child.close()
        self.texts = collections.deque()
        self.started = 0.0  # when the oldest text began to convert (at the latest)

    def room(self, text: str) -> bool:
        """Whether text may go now: a process never waits for this one between texts, and this
        one never waits to send (unread texts stay within the pipe's buffer) while the process
        waits to send it a result."""
        if not self.texts:
            return True
        return len(self.texts) < self.DEPTH and sum(map(len, self.texts)) + len(text) <= self.IN_PIPE

    def send(self, text: str) -> None:
        if not self.texts:
            self.started = time.monotonic()
        self.texts.append(text)
        self.conn.send(text)

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


class _Pool:
    """The processes of `converting_ahead`, driven from this thread each time `convert` asks.

    Texts go out in order, a few at a time to each process, at most AHEAD characters beyond
    what has been taken, so memory stays bounded whatever the size of the site.
    """

    GRACE = 5  # seconds past a process's own time limit before it is killed
    AHEAD = 4_000_000  # characters of text sent out or converted and not yet taken

    def __init__(self, texts: list, jobs: int):
        # fork is quick and safe in a process with one thread (build, check); else start afresh.
        alone = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
        self.forks = alone
        self.context = multiprocessing.get_context("fork" if alone else "spawn")
        self.queue = collections.deque(texts)
        self.waiting = set(texts)  # queued or being converted
        self.ready = {}  # text -> (ok, (html, removed) or message)
        self.held = 0  # characters sent out or ready, not yet taken
        self.workers = [self._start() for _ in range(jobs)]

    def _start(self) -> _Worker:
        if not self.forks:
            return _Worker(self.context)
        frozen = gc.get_freeze_count()  # by the build (pipeline._made_to_last): they stay so
        gc.freeze()  # a forked process's collector then leaves the build's objects alone, so they stay shared
        try:
            return _Worker(self.context)
        finally:
            if not frozen:
                gc.unfreeze()

    def has(self, text: str) -> bool:
        return text in self.ready or text in self.waiting

    def take(self, text: str) -> tuple[str, list]:
        while text not in self.ready:
            if text in self.queue:  # asked for before its turn: it goes next
                self.queue.remove(text)
                self.queue.appendleft(text)
                self._send(force=True)
            self._step(MARKDOWN_SECONDS)
        ok, value = self.ready.pop(text)
        self.held -= len(text)
        self._step(0)  # keep every process busy while this one renders
        if ok is None:
            raise RuntimeError(value)  # a fault in the code, as it would be in one process
        if not ok:
            raise MarkupError(value)
        return value

    def _send(self, force: bool = False) -> None:
        for worker in sorted(self.workers, key=lambda w: len(w.texts)):
            while self.queue and worker.room(self.queue[0]) and (force or self.held < self.AHEAD):
                text = self.queue.popleft()
                self.held += len(text)
                worker.send(text)
                force = False

    def _step(self, timeout: float) -> None:
        """Send out what may go, collect what has come back, stop what took too long."""
        self._send()
        busy = {worker.conn: worker for worker in self.workers if worker.texts}
        if not busy:
            return
        limit = MARKDOWN_SECONDS + self.GRACE
        first_due = min(worker.started for worker in busy.values()) + limit
        timeout = max(0.0, min(timeout, first_due - time.monotonic()))
        for conn in multiprocessing.connection.wait(list(busy), timeout):
            worker = busy[conn]
            try:
                while worker.texts and conn.poll():
                    self._done(worker, conn.recv())
            except (EOFError, OSError):  # the process died (out of memory, killed) on its oldest text
                self._replace(worker)
                self._done(worker, (False, _("the markdown could not be converted (the converter stopped)")))
        now = time.monotonic()
        for worker in busy.values():
            if worker.texts and now - worker.started > limit:
                self._replace(worker)
                self._done(worker, (False, TOO_SLOW))
        self._send()

    def _done(self, worker: _Worker, outcome: tuple) -> None:
        """The oldest text of the worker has its outcome; the others, if it was replaced, go back in the queue."""
        text = worker.texts.popleft()
        self.waiting.discard(text)
        self.ready[text] = outcome
        worker.started = time.monotonic()
        if worker.conn.closed:
            while worker.texts:
                again = worker.texts.pop()
                self.held -= len(again)
                self.queue.appendleft(again)

    def _replace(self, worker: _Worker) -> None:
        """A fresh process in place of one that died or took too long (its texts stay with it, for _done)."""
        worker.kill()
        self.workers[self.workers.index(worker)] = self._start()

    def close(self) -> None:
        for worker in self.workers:
            if worker.texts:  # the build ended early: what it still converts is not needed
                worker.kill()
            else:
                with contextlib.suppress(OSError):  # (a forked process shares the pipes: it would not see them closed)
                    worker.conn.send(None)
        for worker in self.workers:
            worker.process.join(1)
            if worker.process.is_alive():
                worker.kill()
            worker.conn.close()


def _pool_main(conn, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the build, which ends its processes
    for text in workers.requests(conn, parent):  # ends with the build, even a killed one
        try:
            outcome = (True, _convert_here(text))
        except MarkupError as exc:
            outcome = (False, exc.args[0])  # a messages.Message: it pickles with its msgid
        except Exception as exc:  # noqa: BLE001 - a fault in the code reaches the build, not a traceback here
            outcome = (None, f"{type(exc).__name__}: {exc}")
        if not workers.answer(conn, outcome):
            return


_ahead = None  # the _Pool of the converting_ahead block in progress, if any


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
_HEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.S)
_BODY = re.compile(r"<(tbody|tfoot)\b[^>]*>(.*?)</\1>", re.S)
_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)</tr>", re.S)
_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1>", re.S)
_SPAN = re.compile(r'\bcolspan="(\d+)"')
_TAG = re.compile(r"<[^>]*>")


def label_cells(fragment: str) -> str:
    """Give every body cell of a table with a header row its column's header as
    `data-label`, so that on a phone, where the stylesheet reflows each row into a
    block, every value is shown after its header. Runs on the sanitized HTML, so the
    label is made of text that is already safe; tables inside tables are left alone."""
    if "<table" not in fragment:
        return fragment

    def one_table(match):
        table = match.group(0)
        head = _HEAD.search(table)
        if table.count("<table") > 1 or not head:
            return table
        headers = []
        for cell in _CELL.finditer(head.group(1)):
            text = html.escape(" ".join(html.unescape(_TAG.sub("", cell.group(3))).split()), quote=True)
            span = _SPAN.search(cell.group(2))
            headers += [text] * (int(span.group(1)) if span else 1)

        def one_row(row):
            column = 0
            cells = []
            for cell in _CELL.finditer(row.group(2)):
                tag, attrs, inner = cell.groups()
                span = _SPAN.search(attrs)
                if tag == "td" and column < len(headers) and headers[column] and "data-label=" not in attrs:
                    attrs += f' data-label="{headers[column]}"'
                cells.append(f"<{tag}{attrs}>{inner}</{tag}>")
                column += int(span.group(1)) if span else 1
            between = _CELL.split(row.group(2))[::4]  # the whitespace between cells
            return row.group(1) + "".join(b + c for b, c in zip(between, cells + [""])) + "</tr>"

        def one_body(body):
            return body.group(0).replace(body.group(2), _ROW.sub(one_row, body.group(2)), 1)

        return table[: head.end()] + _BODY.sub(one_body, table[head.end() :])

    return _TABLE.sub(one_table, fragment)


# An href= or src= whose value starts with a space or an entity: `removed` reads a scheme after
# any space, nh3 (the url crate) only after ASCII ones, so such a value may be reported though kept.
_SPACE_BEFORE_URL = re.compile(r'\s(?:href|src)="(?:\s|&)')
# How Python-Markdown aligns a table's cells. nh3 takes it out (style= is not allowed), and
# `removed` reports it only if the editor wrote style= (a raw tag, or {: style=…}).
_ALIGNED_CELL = re.compile(r'<(t[hd]) style="text-align: (?:left|right|center);"')


def removals(raw: str, safe: str, source: str) -> list:
    """`removed(raw, source)`, without reading the HTML again when nh3 gave it back unchanged.

    That is the usual page. nh3 writes HTML in one canonical way (every attribute as
    name="value", only &amp; &lt; &gt; &quot; &nbsp;, no comments), so HTML it gave back
    byte for byte had no tag or attribute it takes out, and html.parser would read the
    same tags in it: `removed` would find nothing. The alignment markdown gives a table's
    cells is set aside first: nh3 takes it out, but `removed` would not report it.
    """
    made = raw if "style=" in source else _ALIGNED_CELL.sub(r"<\1", raw)
    if safe == made and not _SPACE_BEFORE_URL.search(raw):
        return []
    return removed(raw, source)


def removed(raw: str, source: str) -> list:
    """What `sanitize` takes out of `raw` that the editor wrote in `source`.

    Each item is (1-based line in source or None, message). Attributes that
    markdown itself generated (not found in the source) are not reported.
    """
    finder = _Removed(source)
    finder.feed(raw)
    finder.close()
    return finder.found


class _Removed(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.cursor = {}  # needle -> where to search for its next occurrence
        self.found = []

    def locate(self, *needles):
        """Line of the next occurrence of the first needle found (a str, or a compiled pattern)."""
        for needle in needles:
            if not needle:
                continue
            start = self.cursor.get(needle, 0)
            if isinstance(needle, str):
                index = self.source.find(needle, start)
                if index < 0:
                    continue
                end = index + len(needle)
            else:
                match = needle.search(self.source, start)
                if match is None:
                    continue
                index, end = match.span()
            self.cursor[needle] = end  # the next occurrence starts after this one: `{{: a=` is one
            return self.source.count("\n", 0, index) + 1
        return None

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        if tag == "h1" and raw not in self.source:
            line = self.locate(re.compile(r"^# ", re.M), re.compile(r"^=+\s*$", re.M))
            self.found.append(
                (
                    line,
                    _("a level-1 heading (# …) became plain text: the page title is the only one; use ## for headings"),
                )
            )
            return
        if tag not in TAGS:
            line = self.locate(raw, f"<{tag}")
            if line is not None:
                self.found.append((line, _("raw HTML <{tag}> was removed: it is not allowed on the site", tag=tag)))
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        raw_line = self.locate(raw)  # None: markdown made this tag, from its own syntax
        for name, value in attrs:
            if name not in allowed:
                # Written as raw HTML, in a tag markdown="1" makes markdown write anew, or as an attribute
                # list {: name=…}; not what markdown adds itself.
                line = raw_line or self.locate(
                    re.compile(rf"<{re.escape(tag)}\b(?=[^>]*\smarkdown\s*=)[^>]*\s{re.escape(name)}\s*=", re.I),
                    re.compile(r"\{:?[^}\n]*\b" + re.escape(name) + "="),
                )
                if line is not None:
                    self.found.append(
                        (
                            line,
                            _(
                                "the attribute {name}= on <{tag}> was removed: it is not allowed on the site",
                                name=name,
                                tag=tag,
                            ),
                        )
                    )
            elif name in ("href", "src") and value:
                # A browser drops tabs and line breaks anywhere in an address: java&#9;script: is javascript:.
                scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", re.sub(r"[\t\n\r]", "", value))
                if scheme and scheme[1].lower() not in URL_SCHEMES:
                    line = raw_line or self.locate(value, scheme[0].strip())
                    self.found.append(
                        (
                            line,
                            _(
                                "the {scheme}: address in {name}= on <{tag}> was removed: only {schemes} addresses are allowed",
                                scheme=scheme[1].lower(),
                                name=name,
                                tag=tag,
                                schemes=", ".join(sorted(URL_SCHEMES)),
                            ),
                        )
                    )

    handle_startendtag = handle_starttag


def rewrite_links(fragment: str, source: str, resolve, base_path: str):
    """Point links at content files and site-root paths to real URLs.

    `resolve(content_path)` gives the URL path of a content file or None.
    Returns (html, [targets that could not be resolved]).
    """
    missing = []
    folder = posixpath.dirname(source)

    def fix(match):
        attr, raw = match.group(1), html.unescape(match.group(2))
        target, hash_, anchor = raw.partition("#")
        if target.endswith(".md") and "://" not in target:
            path = posixpath.normpath(posixpath.join(folder, target))
            url = resolve(path)
            if url is None:
                missing.append(raw)
                return match.group(0)
            return f'{attr}="{html.escape(base_path + url + hash_ + anchor)}"'
        if raw.startswith("/") and not raw.startswith("//"):
            return f'{attr}="{html.escape(base_path + raw[1:])}"'
        return match.group(0)

    return _HREF.sub(fix, fragment), missing


def first_line_with(text: str, needle: str) -> int | None:
    """1-based line of the first occurrence of needle in text, for error messages."""
    index = text.find(needle)
    return None if index < 0 else text.count("\n", 0, index) + 1
