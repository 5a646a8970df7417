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

Three things keep a big site quick to preview. A save that changed only the
text below a content file's front matter, or a template, shows on the open
pages at once: they are rendered with the last good site, written and shown
before the site is loaded again (as Hugo's fast render mode does); the whole
build follows and puts right anything else the change shows in (the feeds,
the other pages, the search index). A
build writes the pages open in a browser before the rest when a change redoes
many pages. And a build can be stopped (`stop`) when a newer save makes its
work out of date.
The search index is not made here but in `index_search`, which `serve` calls
once the saves pause.

The first build is `pipeline.build`, as `build.py build` makes it, with the
build cache of the preview's address (render/cache.py): started again on an
unchanged site, the preview renders no page. `save_cache` keeps the last good
build there again (`serve` calls it when it stops).
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass, field

from portal import pipeline, write
from portal.load import sources as load
from portal.output import Output
from portal.outputs import assets, registry, search
from portal.problems import Problems
from portal.render import cache as page_cache
from portal.render import pages as render
from portal.render.cache import Cancelled
from portal.review import links

FIRST_WHEN = 200  # pages to redo from which the pages open in a browser are done first


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
    shown_at: float | None = None  # serve: when (time.perf_counter) `early` was written and the browsers told


class Builder:
    """Builds the site once in full, then again and again incrementally."""

    def __init__(self, options: pipeline.Options, lock=None):
        self.options = options
        self.lock = lock or contextlib.nullcontext()
        # The pages of the last good build; the first build takes those of .cache/ (a build
        # cache of the preview's own address), and `save_cache` keeps them there again.
        self.cache = pipeline.open_cache(options) or page_cache.PageCache()
        self.written = None  # path -> bytes of the output folder as last written
        self.outputs = []  # the outputs of the last good build
        self.good = None  # what the last good build rendered with (Good), for `_saved_first`
        self.loaded = None  # the sources the last build loaded (load.Sources), lent to the next load

    def build(self, stop=None, viewed=frozenset(), shown=None, saved=frozenset()) -> Result:
        """Build again.

        `stop` (a threading.Event) set while pages render drops this build. When the
        `saved` files (repository paths) changed only the text of pages open in a
        browser (`viewed`), or when the change redoes many pages, the viewed pages are
        rendered and written first and `shown()` is called, then the rest follow: an
        edited news item or template shows on the page the editor looks at in well
        under a second on a 5,000-item site, and everywhere some seconds later.
        """
        early = set()
        self.cache.stop = stop
        result = pipeline.Result(Problems())
        good = self.good
        try:
            if self.written is None:
                return self._build_whole()
            early = self._saved_first(saved, viewed, shown)
            self.good = None  # until this build is good: it may not be
            # A newer save stops this build at its next stage too, not only while pages render:
            # on a big site each stage takes up to a second, and that save's page waits for it.
            options = dataclasses.replace(self.options, progress=self._stopping(self.options.progress))
            # The files loaded last time lend themselves where unchanged (even after a broken build).
            site = result.site = pipeline.make_site(options, result, self.loaded)
            self.loaded = result.sources
            if site is not None and viewed and not early and not result.problems.errors:
                early = self._open_pages_first(site, result.public_site, viewed, shown)
            if site is not None:
                pipeline.produce(site, result, options, self.cache)
        except Cancelled:
            # Still the last good site: serve hands this build's saves on to the next build.
            self.good = good
            return Result(Problems(), cancelled=True, early=early, search_stale=_pages_in(early))
        finally:
            self.cache.stop = None
        # The pages written first changed what the search index holds, whatever comes next.
        out = Result(result.problems, result.site, early=early, search_stale=_pages_in(early))
        if result.site is None or result.problems.errors:
            return out
        new = {o.path: o.data if o.data is not None else o.copy_from.read_bytes() for o in result.outputs}
        with self.lock:
            out.changed = {p for p in new.keys() | self.written.keys() if new.get(p) != self.written.get(p)}
            write.update(
                self.options.out,
                {p: new[p] for p in out.changed if p in new},
                [p for p in out.changed if p not in new],
                result.problems,
            )
        # The search index follows the pages, but not here: Pagefind reads every page
        # (seconds on a big site), so `serve` runs `index_search` after the reload.
        out.search_stale = out.search_stale or _pages_in(out.changed)
        if result.problems.errors:
            self.written = None  # the folder may hold part of this build: the next one writes it whole
            return out
        self.written, self.outputs = new, result.outputs
        self.cache.commit()
        self.good = Good.of(result, self.cache)
        out.rendered, out.pages = list(self.cache.rendered), len(result.site.pages)
        return out

    def _stopping(self, progress):
        """`progress` (or nothing), then Cancelled if a newer save came (`stop`)."""

        def told(*args):
            if progress is not None:
                progress(*args)
            self.cache.stopped()

        return told

    def _build_whole(self) -> Result:
        """The first build, or the one after a failed write: the site written whole, as `build` does."""
        result = pipeline.build(self.options, self.cache)
        self.loaded = result.sources
        out = Result(result.problems, result.site)
        if result.site is None or result.problems.errors:
            return out
        self.cache.hold()  # compared on every save: read the stored pages once
        self.outputs = [self._held(o) for o in result.outputs]
        self.written = {o.path: o.data if o.data is not None else o.copy_from.read_bytes() for o in self.outputs}
        self.good = Good.of(result, self.cache)
        out.changed = set(self.written)
        out.rendered, out.pages = list(self.cache.rendered), len(result.site.pages)
        return out

    def _held(self, output: Output) -> Output:
        """An output of the first build with its bytes: the cache's (one copy), or, for a page
        the build wrote as it rendered it and the cache could not keep, the written file's."""
        if output.data is not None or not (output.reused or output.written):
            return output
        entry = self.cache.entries.get(output.path)
        if entry is not None and entry.output.data is not None:
            return entry.output
        return Output(output.path, (self.options.out / output.path).read_bytes())

    def _saved_first(self, saved, viewed: set, shown) -> set:
        """When every saved file is a template, or a content file of the last good build whose
        front matter is as it was, render the pages open in a browser that these change with
        the last good site (and the templates as saved), write them if they changed, call
        `shown`; the paths written.

        The model reads neither a page's markdown nor the templates (only that a page's template
        is there), so the site is the same but for those pages' markdown: each page comes out as
        the whole build will make it, and the whole build, which follows, makes what else the
        change shows in (the feeds, every other page a template makes). A change with a problem
        (a link to no file, a template that does not compile) is left to the whole build, which
        reports it."""
        good = self.good
        if not saved or not viewed or good is None:
            return set()
        templates = {path for path in saved if path.startswith("templates/")}
        if not (saved - templates) <= good.files.keys():
            return set()
        if any(not (self.options.root / path).is_file() for path in templates):
            return set()  # a template removed (or a folder): which pages that breaks is the whole build's to say
        problems, pages = Problems(), {}
        for path in sorted(saved - templates):
            old = good.files[path]
            new = load.reread(self.options.root, old, problems)
            if new is None or new.front_text != old.front_text:
                return set()  # unreadable, or its fields changed: what they change is the whole build's to say
            page = good.pages.get(path)
            if new.body != old.body and page is not None and page.output in viewed:
                pages[page.output] = dataclasses.replace(page, body=new.body, body_line=new.body_line)
        env = good.env
        if templates:  # every open page may show them, through the templates it loads
            env = render.environment(good.site.templates)  # one that fails to compile fails render_page
            for page in good.site.pages:
                if page.output in viewed:
                    pages.setdefault(page.output, page)
        write_now = {}
        for page in pages.values():
            try:
                output = render.render_page(env, good.site, page, problems)
            except render.TemplateFailure:
                return set()
            output = assets.published(output, good.site.config.base_url, good.names, remember=False)
            if self.written.get(output.path) != output.data:
                write_now[output.path] = output.data
        return self._write_first(write_now, problems, shown)

    def _open_pages_first(self, site, public, viewed: set, shown) -> set:
        """When this build redoes FIRST_WHEN pages or more, render the pages open in a browser
        and write them, and files they need that are not there yet (a stylesheet's new name),
        then call `shown`; the paths written. Their problems are left for the whole build."""
        # Counted with the last build's asset names: enough to choose, and the site's files
        # (seconds on a big site) are made only when this build is split.
        self.cache.environment(site)
        stale = [p for p in site.pages if self.cache.stale(p)]
        first = [p for p in stale if p.output in viewed]
        if len(stale) < FIRST_WHEN or not first:
            return set()
        problems = Problems()
        files = registry.site_files(site, public)
        names = assets.plan(files, site.config.base_url, problems)
        self.cache.renames = names.renames  # render_page judges each page again with these
        outputs = render.render(site, problems, self.cache, pages=first)
        if problems.errors:
            return set()  # the whole build finds them again and reports them
        outputs = assets.fingerprint(outputs + files, site.config.base_url, problems, names)
        new = {o.path: o.data if o.data is not None else o.copy_from.read_bytes() for o in outputs}
        write_now = {
            path: data
            for path, data in new.items()
            if (path in viewed or path not in self.written) and self.written.get(path) != data
        }
        return self._write_first(write_now, problems, shown)

    def _write_first(self, write_now: dict, problems: Problems, shown) -> set:
        """Write the pages to show first (path -> bytes), if nothing went wrong making them, and
        call `shown`; the paths written."""
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

    def save_cache(self) -> None:
        """Keep the last good build in .cache/ (between builds; `serve` does it when the saves pause)."""
        if self.written is not None:
            self.cache.save(self.outputs, self.options.out, links.found)

    def index_search(self, stop=None) -> Problems:
        """Make the search index of the written site again (call it between builds, never during one).

        Stopped early when `stop` (a threading.Event) is set: the old index then stays.
        """
        problems = Problems()
        search.refresh(self.options.out, problems, stop)
        return problems


def _pages_in(paths) -> bool:
    return any(p.endswith(".html") for p in paths)


@dataclass(frozen=True)
class Good:
    """What a good build rendered its pages with: `_saved_first` renders a page again with it."""

    site: object  # the site rendered (the preview's, drafts included)
    env: object  # the Jinja environment the build cache rendered with
    names: object  # the assets' published names (assets.Plan)
    files: dict  # repository path -> load.ContentFile of every content file
    pages: dict  # repository path of a content file -> its page

    @classmethod
    def of(cls, result: pipeline.Result, cache: page_cache.PageCache):
        if result.sources is None or result.names is None or cache.env is None or cache.site is not result.site:
            return None
        files = {f.path: f for f in result.sources.content}
        pages = {p.source: p for p in result.site.pages if p.source}
        return cls(result.site, cache.env, result.names, files, pages)
