"""The stages in order: load → model → render → write.

Each function returns what it made and the problems it found; nothing is
written unless every stage before `write` succeeded.
"""
from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import load, model, render, write
from .problems import Problems


@dataclass
class Options:
    root: Path
    out: Path | None = None
    base_url: str | None = None


@dataclass
class Result:
    problems: Problems
    site: model.Site | None = None
    outputs: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)


def make_site(options: Options, result: Result) -> model.Site | None:
    """load → model, with the command line's base URL applied."""
    started = time.perf_counter()
    sources, problems = load.load(options.root)
    result.problems.extend(problems)
    result.timings["load"] = time.perf_counter() - started
    started = time.perf_counter()
    site = model.build(sources, result.problems)
    result.timings["model"] = time.perf_counter() - started
    if site is None or result.problems.errors:
        return None
    if options.base_url:
        base_url = options.base_url if options.base_url.endswith("/") else options.base_url + "/"
        site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=base_url))
    return site


def check(options: Options) -> Result:
    """Everything a build does except writing."""
    result = Result(Problems())
    site = make_site(options, result)
    if site is not None:
        started = time.perf_counter()
        result.outputs = render.render(site, result.problems)
        result.timings["render"] = time.perf_counter() - started
    result.site = site
    return result


def build(options: Options) -> Result:
    result = check(options)
    if result.site is None or result.problems.errors:
        return result
    started = time.perf_counter()
    write.write(result.outputs, options.out, result.problems)
    result.timings["write"] = time.perf_counter() - started
    return result
