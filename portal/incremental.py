"""Rebuild only what a change affects (used by `serve`).

First version: every build is a full build; `changed` lists the outputs whose
bytes differ from the previous build.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from . import pipeline


@dataclass
class Result:
    problems: object
    site: object = None
    changed: set = field(default_factory=set)  # output paths written or removed
    rendered: int = 0  # pages rendered this time
    pages: int = 0  # pages in the site


class Builder:
    def __init__(self, options: pipeline.Options, lock=None):
        self.options = options
        self.lock = lock or contextlib.nullcontext()
        self.outputs = {}  # path -> bytes (or the static file's path)

    def build(self) -> Result:
        result = pipeline.check(self.options)
        out = Result(result.problems, result.site)
        if result.site is None or result.problems.errors:
            return out
        new = {o.path: (o.data if o.data is not None else o.copy_from.read_bytes()) for o in result.outputs}
        out.changed = {p for p in new.keys() | self.outputs.keys() if new.get(p) != self.outputs.get(p)}
        with self.lock:
            pipeline.write.write(result.outputs, self.options.out, result.problems)
        self.outputs = new
        out.pages = out.rendered = len(result.site.pages)
        return out
