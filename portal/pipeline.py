"""The stages in order: load → model → render → write.

Each function returns what it made and the problems it found; nothing is
written unless every stage before `write` succeeded.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from portal import clock, write
from portal.load import sources as load
from portal.messages import _
from portal.model import alerts, publishing, sites
from portal.model import site as model
from portal.outputs import assets, registry, search
from portal.problems import Problems
from portal.render import markup
from portal.render import pages as render
from portal.review import checks, links


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


def make_site(options: Options, result: Result) -> model.Site | None:
    """load → model (sites.make: published, drafts, news lists, checked); the site to render."""
    options.stage("load")
    started = time.perf_counter()
    sources, problems = load.load(options.root)
    result.problems.extend(problems)
    result.timings["load"] = time.perf_counter() - started
    options.stage("model")
    started = time.perf_counter()
    today = options.now or clock.today()
    result.moment = options.moment or (clock.start_of(options.now) if options.now else clock.moment())
    result.public_site, preview = sites.make(
        sources, result.problems, today, result.moment, options.drafts, options.base_url
    )
    result.timings["model"] = time.perf_counter() - started
    return preview or result.public_site


def check(options: Options, memo=None) -> Result:
    """Everything a build does except writing; `memo` makes rendering incremental (serve)."""
    result = Result(Problems())
    site = make_site(options, result)
    result.site = site
    if site is not None:
        started = time.perf_counter()
        if memo is not None:  # its early write of the open pages makes the site's files too (outputs/registry.py)
            memo.public = result.public_site
        with markup.converting_ahead([page.body for page in site.pages], options.jobs):  # on every core
            result.outputs = render.render(site, result.problems, memo, progress=options.progress)
            if not result.problems.errors:
                result.outputs += registry.site_files(site, result.public_site, result.problems)
        result.timings["render"] = time.perf_counter() - started
        options.stage("assets")
        started = time.perf_counter()
        result.outputs = assets.fingerprint(result.outputs, site.config.base_url, result.problems)
        write.clashes(result.outputs, result.problems)
        result.timings["assets"] = time.perf_counter() - started
        options.stage("links")
        started = time.perf_counter()
        check_links(result)
        result.timings["links"] = time.perf_counter() - started
    return result


def review(options: Options) -> Result:
    """`check`: everything a build checks, then what a reviewer would (portal/checks.py)."""
    result = check(options)
    if result.site is not None and not result.problems.errors:
        result.readability = checks.run(options.root, result.site, result.outputs, result.problems)
        alerts.warn_ended(result.site.alert_schedule, result.moment, result.problems)
        publishing.warn_expired_in_menus(result.site, result.problems)
    return result


def check_links(result: Result) -> None:
    """A broken internal link is an error: it would reach citizens as a 404."""
    if result.problems.errors:
        return
    report = links.check(result.outputs, result.site.config.base_url)
    sources = {p.output: p.source for p in result.site.pages}
    for page, target, reason in report.broken:
        where = sources.get(page) or f"_site/{page}"
        result.problems.error(
            where, None, _("broken link to '{target}' (on /{page}): {reason}", target=target, page=page, reason=reason)
        )
    result.external_links = sorted(report.external)
    result.external_pages = report.external


def build(options: Options) -> Result:
    result = check(options)
    if result.site is None or result.problems.errors:
        return result
    options.stage("write")
    started = time.perf_counter()
    write.write(
        result.outputs, options.out, result.problems, finish=lambda folder: index_search(folder, result, options)
    )
    result.timings["write"] = time.perf_counter() - started - result.timings.get("search", 0)
    return result


def index_search(folder: Path, result: Result, options: Options) -> None:
    """Index the written site for search, in the temporary folder before the swap."""
    options.stage("search")
    started = time.perf_counter()
    search.index(folder, result.problems)
    result.timings["search"] = time.perf_counter() - started
