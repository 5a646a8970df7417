"""The stages in order: load → model → render → write.

Each function returns what it made and the problems it found; nothing is
written unless every stage before `write` succeeded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from portal import apart, caches, clock, write
from portal.load import parsed as parsed_cache
from portal.load import sources as load
from portal.load.body import Changed
from portal.messages import _
from portal.model import alerts, publishing, sites
from portal.model import site as model
from portal.outputs import assets, registry, search
from portal.problems import Problems
from portal.render import cache as page_cache
from portal.render import markup, workers
from portal.render import pages as render
from portal.review import checks, links

# What each cache of caches.py may hold in a process that builds once: enough for the texts
# the feeds and the pages both convert (the newest items), not for every page.
ONCE_CACHES = 4 * caches.MB


@dataclass
class Options:
    root: Path
    out: Path | None = None
    base_url: str | None = None
    now: dt.date | None = None  # the build's date; None: SOURCE_DATE_EPOCH or the clock (clock.py)
    drafts: bool = False  # include drafts and items dated after now (a preview)
    moment: dt.datetime | None = (
        None  # the build's moment, for alerts; None: midnight UTC of `now`, else clock.moment()
    )
    progress: object = None  # progress(stage, done=None, total=None), called as the build goes (cli.Progress)
    jobs: int = 1  # processes that convert markdown (markup.converting_ahead); the command line gives the cores
    search: bool = True  # make the search index (build --no-search: not)
    cache: bool = True  # reuse and keep unchanged pages in .cache/ (build --no-cache: not)
    once: bool = False  # a process that builds once (build, check): the caches stay small (caches.at_most)

    def stage(self, name: str) -> None:
        if self.progress:
            self.progress(name)


@dataclass
class Result:
    problems: Problems
    site: model.Site | None = None
    outputs: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    external_links: list = field(default_factory=list)
    external_pages: dict = field(default_factory=dict)  # external URL -> output paths of the pages that link it
    public_site: model.Site | None = None  # the site as published, even when previewing drafts
    moment: dt.datetime | None = None  # the moment the build showed alerts for
    readability: list = field(default_factory=list)  # check: (source, lang, readability.Score) per content page
    found: dict = field(default_factory=dict)  # output path -> (links, ids) of each page streamed (links.record)
    search_made_from: dict | None = None  # the fingerprint of the pages the search index was made from (search.py)
    sources: object = None  # what `load` read (load.Sources), kept only where builds follow (not `options.once`)
    names: object = None  # the assets' published names the pages were rendered with (assets.Plan)
    parsed: Path | None = None  # the front matters its load parsed, for the next (parsed_cache.put_in_place)


def _texts(pages):
    """The pages' markdown, for converting ahead; a file saved since it was loaded is left to
    rendering, which reports it (load/body.py)."""
    for page in pages:
        with contextlib.suppress(Changed):
            yield page.markdown


def make_site(options: Options, result: Result, earlier=None, keep: bool = False, meanwhile=None) -> model.Site | None:
    """load → model (sites.make: published, drafts, news lists, checked); the site to render.

    A process that builds again (not `options.once`: serve) keeps what it loaded in `result.sources`,
    and passes it back as `earlier`: the files not changed since are not read again. One that
    builds once makes the site in a process of its own (apart.py), which leaves this one the
    site's memory and not the loading's. `keep`: the front matters the load parsed are written
    for the next load, to be put in place if the build succeeds (`result.parsed`; build, not check).
    `meanwhile()` is called in this process while the site is made apart, if it is (apart.run)."""
    options.stage("load")
    # Its stages are not shown as they go: a line it wrote would not be the terminal's (cli.Progress).
    alone = replace(options, progress=None)
    made = apart.run(lambda: _made(alone, Result(Problems()), None, keep), meanwhile) if options.once else None
    if made is None:
        made = _made(options, result, earlier, keep)
    site, made_result = made
    if made_result is not result:
        result.problems.extend(made_result.problems)
        result.timings.update(made_result.timings)
        result.moment, result.public_site = made_result.moment, made_result.public_site
        result.parsed = made_result.parsed
    return site


def _made(options: Options, result: Result, earlier=None, keep: bool = False) -> tuple:
    """(the site, `result`): make_site's work, in this process or another."""
    started = time.perf_counter()
    # The front matters parsed before, by their files' bytes (load/parsed.py): not `serve`'s later
    # loads, which reuse the files they read themselves (`earlier`).
    parsed = None
    if options.cache and earlier is None:
        parsed = parsed_cache.Parsed(options.root / page_cache.FOLDER / parsed_cache.NAME)
    sources, problems = load.load(options.root, earlier, remember=not options.once, parsed=parsed)
    if parsed is not None and keep:
        result.parsed = parsed.write()
    result.problems.extend(problems)
    if not options.once:
        result.sources = sources
    result.timings["load"] = time.perf_counter() - started
    options.stage("model")
    started = time.perf_counter()
    today = options.now or clock.today()
    result.moment = options.moment or (clock.start_of(options.now) if options.now else clock.moment())
    result.public_site, preview = sites.make(
        sources, result.problems, today, result.moment, options.drafts, options.base_url
    )
    result.timings["model"] = time.perf_counter() - started
    return preview or result.public_site, result


def check(options: Options, cache: page_cache.PageCache | None = None) -> Result:
    """Everything a build does except writing; `cache` reuses the pages whose inputs did not change."""
    result = Result(Problems())
    site = make_site(options, result)
    result.site = site
    if site is not None:
        produce(site, result, options, cache)
    return result


def produce(
    site: model.Site,
    result: Result,
    options: Options,
    cache: page_cache.PageCache | None = None,
    folder: Path | None = None,
) -> None:
    """render → assets → links: the site's files in `result.outputs`, checked.

    `folder` (write.staging): each page rendered is published at once (its assets' names
    rewritten, what the link check reads of it kept in `result.found`) and written there;
    `result.outputs` then holds only its path (`written`), not its bytes."""
    options.stage("render")
    started = time.perf_counter()
    # Markdown on every core, for the pages this build renders (not those the cache reuses);
    # the feeds among the site's files take their texts from the same processes, unless the
    # files were made apart while the pages were judged.
    judge = (lambda: site.pages) if cache is None else (lambda: cache.likely_stale(site))
    if result.problems.errors:
        made, rendered = ([], Problems()), judge()
    else:
        made, rendered = _files_while_judging(site, result.public_site, options, cache, judge)
    # Many pages to render, in a build that runs once: each is rendered whole, markdown and
    # all, by one of `jobs` processes (render/workers.py); else the markdown alone is.
    jobs = options.jobs
    pooled = options.once and workers.usable(jobs, len(rendered))
    with markup.converting_ahead(() if pooled else _texts(rendered), jobs):
        # The site's other files first: they settle the asset names, which the cache's pages carry.
        files, found = made if made is not None else _files(site, result.public_site)
        names = result.names = assets.plan(files, site.config.base_url, found)
        if cache is not None:
            cache.renames = names.renames
        each = None if folder is None else _Stream(folder, options.out, site.config.base_url, names, result, cache)
        result.outputs = render.render(
            site, result.problems, cache, progress=options.progress, each=each, jobs=jobs if pooled else 1
        )
    if not result.problems.errors:  # what the files found counts once the pages are good, as before
        result.problems.extend(found)
        result.outputs += files
    result.timings["render"] = time.perf_counter() - started
    options.stage("assets")
    started = time.perf_counter()
    result.outputs = assets.fingerprint(result.outputs, site.config.base_url, result.problems, names)
    write.clashes(result.outputs, result.problems)
    result.timings["assets"] = time.perf_counter() - started
    options.stage("links")
    started = time.perf_counter()
    check_links(result, cache)
    result.timings["links"] = time.perf_counter() - started


def _files_while_judging(site, public, options: Options, cache, judge) -> tuple:
    """((the site's other files, the problems they gave) or None, `judge()`: the pages to render).

    A warm build that runs once makes the files (feeds, sitemap, share pictures, …) in a process
    apart while this one judges which pages the cache keeps: its two longest steps, 0.8 and
    1.3 s at 5,000 news items, on two cores; not with --jobs 1, which spares the memory the
    process apart comes to copy (45 MB). Not worth a process when there is nothing to judge (no
    cache, or an empty one: a cold build). None: the files are to be made here (`_files`)."""
    judged = []
    worth = options.once and options.jobs > 1 and cache is not None and bool(cache.entries)
    made = apart.run(lambda: _files(site, public), lambda: judged.append(judge())) if worth else None
    return made, judged[0] if judged else judge()


def _files(site, public) -> tuple:
    found = Problems()
    return registry.site_files(site, public, found), found


class _Stream:
    """What `render` keeps of each page while a build streams: the page published into `folder`."""

    def __init__(self, folder: Path, out: Path, base_url: str, names: assets.Plan, result: Result, cache):
        self.folder, self.out, self.base_url, self.names = folder, out, base_url, names
        self.result, self.cache = result, cache
        self.failed = None  # a full disk: said once, and nothing more is streamed (the build has failed)

    def __call__(self, output):
        if output.data is None or output.reused:  # a page the cache kept: linked into the folder by write
            return output
        page = assets.published(output, self.base_url, self.names, remember=False)
        if self.failed:
            return page
        try:
            light = write.put(self.folder, page)
        except OSError as exc:
            self.failed = write.not_written(exc, page.path)
            self.result.problems.error(write.shown(self.out), None, self.failed)
            return page
        if not light.written:  # refused (write says why): kept whole
            return page
        found = None
        if page.path.endswith(".html"):
            found = self.result.found[page.path] = links.record(page.data)
        if self.cache is not None:
            self.cache.written(output.path, light, page.data, self.folder / page.path, found)
        return light

    def carry(self, path: str):
        """In a process that rendered the page (render/workers.py): what the link check reads of
        it, and whether the disk is full. Handed over, not kept here too (20 MB in each process
        at 5,000 news items)."""
        return self.result.found.pop(path, None), self.failed

    def receive(self, path: str, carried) -> None:
        found, failed = carried
        if found is not None:  # its texts one object each again, shared with the other pages' (links.record)
            links_, ids = found
            self.result.found[path] = tuple(map(sys.intern, links_)), frozenset(map(sys.intern, ids))
        if failed and not self.failed:
            self.failed = failed
            self.result.problems.error(write.shown(self.out), None, failed)


def review(options: Options) -> Result:
    """`check`: everything a build checks, then what a reviewer would (portal/checks.py)."""
    with _caches(options):
        result = check(options)
    if result.site is not None:  # with errors too: an editor sees every finding in one run
        try:
            result.readability = checks.run(options.root, result.site, result.outputs, result.problems)
        except Changed as exc:  # the checks read each page's markdown again (load/body.py)
            result.problems.error(exc.name, None, exc.message)
            return result
        alerts.warn_ended(result.site.alert_schedule, result.moment, result.problems)
        publishing.warn_expired_in_menus(result.site, result.problems)
    return result


def check_links(result: Result, cache: page_cache.PageCache | None = None) -> None:
    """A broken internal link is an error: it would reach citizens as a 404."""
    if result.problems.errors:
        return
    known = (cache.links() if cache else {}) | result.found
    report = links.check(result.outputs, result.site.config.base_url, known)
    pages = {p.output: p for p in result.site.pages}
    for page, target, reason in report.broken:
        shown = pages.get(page)
        where = (shown and shown.source) or f"_site/{page}"
        result.problems.error(
            where,
            _line_of(shown, target),
            _("broken link to '{target}' (on /{page}): {reason}", target=target, page=page, reason=reason),
        )
    result.external_links = sorted(report.external)
    result.external_pages = report.external


def _line_of(page, target: str) -> int | None:
    """The line of the page's markdown that writes a link to `target`, so the editor is sent to
    it; None when the markdown does not write it (a link a template makes, or one the markdown
    wrote another way) or the file was saved since."""
    if page is None or not page.source:
        return None
    try:
        text = page.markdown
    except Changed:
        return None
    written = (f"]({target}", f"]( {target}", f"]: {target}", f"<{target}>", f'"{target}"', f"'{target}'")
    if "#" in target:  # a link to a file's heading: the markdown names the file, not the address
        written += (f"#{target.split('#', 1)[1]})",)
    for n, line in enumerate(text.splitlines()):
        if any(form in line for form in written):
            return page.body_line + n
    return None


SEARCH_STATE = "search.json"  # in the build cache's folder: what the published search index was made from
KEPT_SITE = "site"  # in the build cache's folder: the site the last build replaced (write.staging)


def open_cache(options: Options) -> page_cache.PageCache | None:
    """The build cache in .cache/ for this output (None: --no-cache)."""
    if not options.cache:
        return None
    return page_cache.PageCache(page_cache.folder(options.root, options.base_url, options.drafts))


def build(options: Options, cache: page_cache.PageCache | None = None) -> Result:
    """check, then write: the build, and the preview's first build (`cache`: the preview's own)."""
    try:
        with _caches(options):
            return _build(options, cache)
    finally:
        if options.once:  # what _made_to_last froze may go now (a test builds many sites in one process)
            gc.unfreeze()


@contextlib.contextmanager
def _made_to_last(options: Options):
    """The block makes objects that live to the end of a build that runs once (every file's
    front matter, the site, the build cache's index: millions at 5,000 news items). Python's collector
    would go over all of them again and again as they are made, and again after: a fifth of a
    warm build. It waits while they are made, and then leaves them be (gc.freeze: still freed
    when no longer used, only never searched for cycles). `serve` keeps its collector as it is:
    it builds again and again in one process, and each site must go once the next one is made."""
    if not options.once:
        yield
        return
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def _caches(options: Options):
    return caches.at_most(ONCE_CACHES) if options.once else contextlib.nullcontext()


def _build(options: Options, cache: page_cache.PageCache | None) -> Result:
    result = Result(Problems())
    try:
        _build_into(result, options, cache)
        if not result.problems.errors:
            parsed_cache.put_in_place(result.parsed)
            result.parsed = None
    finally:
        parsed_cache.drop(result.parsed)  # not put in place: a failed build leaves .cache/ as it was
    return result


def _build_into(result: Result, options: Options, cache: page_cache.PageCache | None) -> None:
    with _made_to_last(options):
        # The site first: its process apart (apart.py) then forks from this one as small as it
        # gets. With more than one job, this one reads the build cache's index while that one
        # loads and models (0.6 s of a warm build at 5,000 news items, on the other core; and
        # 60 MB held the while, which --jobs 1 spares).
        opened = []

        def read_cache():
            opened.append(cache or open_cache(options))
            if opened[0] is not None:
                opened[0].check_stored()  # 12,686 files looked at, while the site is still being made

        meanwhile = read_cache if options.jobs > 1 else None
        site = result.site = make_site(options, result, keep=True, meanwhile=meanwhile)
        if site is None:
            return
        cache = opened[0] if opened else cache or open_cache(options)
    # The pages go into the new folder as they are rendered, not held to the end (write.staging;
    # not with a cache in memory only, `serve --no-cache`: its pages are what it compares with).
    streams = not result.problems.errors and (cache is None or cache.folder is not None)
    # With a cache in .cache/, the new site is made in the site before last, kept there (write.py).
    keep = None if cache is None else cache.folder / KEPT_SITE
    staging = write.staging(options.out, keep) if streams else contextlib.nullcontext()
    try:
        with staging as folder:
            produce(site, result, options, cache, folder)
            if result.problems.errors:
                return
            write_site(result, options, folder, cache)
        if cache is not None and not result.problems.errors:
            if result.search_made_from is not None:  # for the next build, whose pages may all be the same
                with contextlib.suppress(OSError):  # not remembered: the next build runs Pagefind
                    search.remember(options.out, cache.folder / SEARCH_STATE, result.search_made_from)
            cache.commit()
            options.stage("cache")
            started = time.perf_counter()
            try:
                cache.save(result.outputs, options.out, links.found, result.found)
            except OSError as exc:  # the site is built and in place; only the next build is slower
                result.problems.notice(
                    _(
                        "the build cache in .cache/ could not be kept ({reason}); the next build renders every page",
                        reason=write.reason(exc),
                    )
                )
            result.timings["cache"] = time.perf_counter() - started
    finally:
        if cache is not None:
            cache.discard()  # what a failed (or stopped) build kept on its way: the cache stays as it was


def write_site(result: Result, options: Options, folder: Path | None = None, cache=None) -> None:
    """Write every output into a new folder (`folder`: the one the pages are in already), index it
    for search (unless --no-search), swap it in."""
    options.stage("write")
    started = time.perf_counter()
    finish = (lambda folder: index_search(folder, result, options, cache)) if options.search else None
    write.write(result.outputs, options.out, result.problems, finish=finish, folder=folder)
    result.timings["write"] = time.perf_counter() - started - result.timings.get("search", 0)


def index_search(folder: Path, result: Result, options: Options, cache=None) -> None:
    """Index the written site for search, in the temporary folder before the swap. With a build
    cache in .cache/, the published site's index is reused when it was made from the very pages
    Pagefind would read now (search.reuse), and so is each language's part of it whose pages
    are the same (search.reusable)."""
    options.stage("search")
    started = time.perf_counter()
    state = None if cache is None or cache.folder is None else cache.folder / SEARCH_STATE
    made_from = None
    if state is not None:
        try:
            made_from = search.fingerprint(folder)
        except OSError:  # a page it cannot read again: Pagefind indexes, and says what it cannot read
            state = None
    if state is None or not search.reuse(options.out, state, made_from, folder / search.OUTPUT_SUBDIR):
        before = len(result.problems.errors)
        keep = {} if state is None else search.reusable(options.out, state, made_from)
        search.index(folder, result.problems, keep=keep)
        if len(result.problems.errors) > before:
            made_from = None
    result.search_made_from = made_from
    result.timings["search"] = time.perf_counter() - started
