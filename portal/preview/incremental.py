"""Rebuild only what a change affects (used by `serve`).

Each rebuild loads and models the whole site (the only way to know what a
change means; about 0.15 s for 5,000 files), then renders again only the pages
whose recorded dependencies (`depends.py`) name something that differs from the
previous build: edit one news item and its page, its translation (whose
language link shows it) and the lists and home pages that show it are redone;
edit a template and only the pages that loaded it, directly or through
extends/include, are redone. Outputs made from the whole site (feeds, sitemap,
open data, charts) are cheap and always made afresh. Only the files whose
bytes changed are written, each atomically, while the preview server waits
(`lock`), so no request ever sees half an update. A build with errors writes
nothing and keeps the previous build as the reference for the next one.

Two things keep a big site quick to preview: a build writes the pages open
in a browser before the rest when a change redoes many pages, and a
build can be stopped (`stop`) when a newer save makes its work out of date.
The search index is not made here but in `index_search`, which `serve` calls
once the saves pause.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from portal import pipeline, write
from portal.output import Output
from portal.outputs import assets, registry, search
from portal.problems import Problems
from portal.render import depends
from portal.render import pages as render


def same(old, new) -> bool:
    # Unchanged files give the very same objects (load and markup remember them): no deep comparison then.
    return old is new or old == new


class Cancelled(Exception):
    """A newer save came while rendering: this build is dropped, the next one starts."""


FIRST_WHEN = 200  # pages to redo from which the pages open in a browser are done first (render_first)


@dataclass(frozen=True)
class Entry:
    output: Output
    recorded: frozenset
    problems: tuple  # warnings the page's content gave when it was rendered


class Memo:
    """The pages of the last good build and what each read; renders a page only if that changed."""

    def __init__(self):
        self.entries = {}  # output path -> Entry, from the last good build
        self.fresh = {}  # the entries of the build in progress
        self.old = None  # depends.Values of the last good build's site
        self.new = None  # depends.Values of the site being built
        self.env = None
        self.env_templates = None
        self.rendered = []  # output paths rendered (not reused) in the build in progress
        self.keys = set()  # every key some page of a good build read (the last one's at least)
        self.changed = None  # the keys whose value differs in the build in progress
        self.stop = None  # a threading.Event: set, the build in progress ends (Cancelled)
        self.first = None  # (output paths open in a browser, show(site, outputs)) for `render_first`
        self.public = None  # the published site of the build in progress (pipeline.check): its feeds and sitemap

    def environment(self, site):
        """A Jinja environment; a new one when any template changed, so no stale compiled template survives."""
        hashes = depends.template_hashes(site.templates)
        self.new = depends.Values(site, hashes)
        if self.env is None or hashes != self.env_templates:
            self.env, self.env_templates = render.environment(site.templates), hashes
        self.fresh, self.rendered = {}, []
        # Each key any page read is judged once; a page is reused if none of its keys changed.
        self.changed = None if self.old is None else {k for k in self.keys if not same(self.old(k), self.new(k))}
        return self.env

    def stale(self, page) -> bool:
        """True if the page must be rendered again: new, or something it read has changed."""
        entry = self.entries.get(page.output)
        return entry is None or self.changed is None or not entry.recorded.isdisjoint(self.changed)

    def render_first(self, site) -> None:
        """When this build redoes FIRST_WHEN pages or more, render the pages open in a
        browser now and hand them to `show`, before the rest are rendered."""
        if self.first is None:
            return
        viewed, show = self.first
        stale = [p for p in site.pages if self.stale(p)]
        first = [p for p in stale if p.output in viewed]
        if len(stale) < FIRST_WHEN or not first:
            return
        try:
            outputs = [self.render_page(self.env, site, p, Problems()) for p in first]
        except render.TemplateFailure:
            return  # the render of every page finds it again and reports it
        show(site, outputs)

    def render_page(self, env, site, page, problems: Problems):
        done = self.fresh.get(page.output)  # rendered already in this build (render_first)
        if done is not None:
            problems.items.extend(done.problems)
            return done.output
        entry = self.entries.get(page.output)
        if not self.stale(page):
            problems.items.extend(entry.problems)
            self.fresh[page.output] = entry
            return entry.output
        if self.stop is not None and self.stop.is_set():
            raise Cancelled
        own = Problems()
        env.recorded = recorded = set()
        try:
            output = render.render_page(env, site, page, own)
        finally:
            env.recorded = None
        problems.extend(own)
        self.fresh[page.output] = Entry(output, frozenset(recorded), tuple(own.items))
        self.rendered.append(page.output)
        return output

    def commit(self):
        """The build succeeded: it is the reference for the next one."""
        if self.old is None:
            self.keys = set().union(*(e.recorded for e in self.fresh.values()))
        else:  # only the pages rendered now read anything new (keys of removed pages cost a comparison, no more)
            self.keys.update(*(self.fresh[path].recorded for path in self.rendered))
        self.entries, self.old = self.fresh, self.new


@dataclass
class Result:
    problems: Problems
    site: object = None
    changed: set = field(default_factory=set)  # output paths written or removed
    rendered: list = field(default_factory=list)  # pages rendered this time (the others were reused)
    pages: int = 0  # pages in the site
    search_stale: bool = False  # pages changed since the search index was made: call `index_search`
    reload: bool = True  # serve: whether open pages must reload (not when `early` showed them already)
    cancelled: bool = False  # stopped by a newer save: nothing was written (but `early`)
    early: set = field(default_factory=set)  # output paths written first, for the pages open in a browser


class Builder:
    """Builds the site once in full, then again and again incrementally."""

    def __init__(self, options: pipeline.Options, lock=None):
        self.options = options
        self.lock = lock or contextlib.nullcontext()
        self.memo = Memo()
        self.written = None  # path -> bytes of the output folder as last written

    def build(self, stop=None, viewed=frozenset(), shown=None) -> Result:
        """Build again.

        `stop` (a threading.Event) set while pages render drops this build. When the
        change redoes many pages, the `viewed` ones (open in a browser) are rendered
        and written first and `shown()` is called, then the rest follow: an edited
        template used by 5,000 pages shows on the page the editor looks at in well
        under a second, and everywhere some seconds later.
        """
        early = set()
        self.memo.stop = stop
        if viewed and self.written is not None:
            self.memo.first = (
                viewed,
                lambda site, outputs: early.update(self._write_first(site, outputs, viewed, shown)),
            )
        try:
            result = pipeline.check(self.options, self.memo)
        except Cancelled:
            return Result(Problems(), cancelled=True, early=early)
        finally:
            self.memo.stop = self.memo.first = None
        out = Result(result.problems, result.site, early=early)
        if result.site is None or result.problems.errors:
            return out
        new = {o.path: o.data if o.data is not None else o.copy_from.read_bytes() for o in result.outputs}
        with self.lock:
            if self.written is None:
                write.write(
                    result.outputs,
                    self.options.out,
                    result.problems,
                    finish=lambda folder: search.index(folder, result.problems),
                )
                out.changed = set(new)
            else:
                out.changed = {p for p in new.keys() | self.written.keys() if new.get(p) != self.written.get(p)}
                write.update(
                    self.options.out,
                    {p: new[p] for p in out.changed if p in new},
                    [p for p in out.changed if p not in new],
                    result.problems,
                )
                # The search index follows the pages, but not here: Pagefind reads every page
                # (seconds on a big site), so `serve` runs `index_search` after the reload.
                out.search_stale = any(p.endswith(".html") for p in out.changed)
        if result.problems.errors:
            self.written = None  # the folder may hold part of this build: the next one writes it whole
            return out
        self.written = new
        self.memo.commit()
        out.rendered, out.pages = list(self.memo.rendered), len(result.site.pages)
        return out

    def _write_first(self, site, outputs: list, viewed: set, shown) -> set:
        """Write the pages rendered first, and files they need that are not there yet
        (a stylesheet's new name); the paths written. Problems are left for the build."""
        problems = Problems()
        outputs = assets.fingerprint(
            outputs + registry.site_files(site, self.memo.public), site.config.base_url, problems
        )
        new = {o.path: o.data if o.data is not None else o.copy_from.read_bytes() for o in outputs}
        write_now = {
            path: data
            for path, data in new.items()
            if (path in viewed or path not in self.written) and self.written.get(path) != data
        }
        if problems.errors or not write_now:
            return set()
        with self.lock:
            write.update(self.options.out, write_now, [], problems)
        if problems.errors:
            self.written = None  # as after any failed write: the next build writes the whole site
            return set()
        self.written.update(write_now)
        if shown is not None:
            shown()
        return set(write_now)

    def index_search(self, stop=None) -> Problems:
        """Make the search index of the written site again (call it between builds, never during one).

        Stopped early when `stop` (a threading.Event) is set: the old index then stays.
        """
        problems = Problems()
        search.refresh(self.options.out, problems, stop)
        return problems
