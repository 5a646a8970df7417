"""Record, while a page renders, everything it reads (as Lektor does).

A dependency is a key naming one thing a page read:

    ("template", "partials/footer.html")      a template, loaded directly or by extends/include/import
    ("page", "en/news/x/index.html")          the page being rendered (every field, body included)
    ("field", "nyheter/index.html", "title")  one field of another page (a link's text, its address)
    ("site", "staffing")                      a field of the Site: staffing, collaboration, config, …
    ("call", "news", ("sv",), ())             a Site method with its arguments: which pages it gave, in order
    ("source-url", "content/pages/a.sv.md")   the URL of a content file a markdown link points to

`value(site, key)` gives what the key names in a given site, so an incremental
build re-renders a page exactly when one of its keys has a different value in
the new site than in the old one. Nothing is guessed from file kinds: a page
that never read the staffing data is not redone when it changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from portal.model.site import Page

MISSING = ("missing",)  # what a key names when the thing is gone


class SiteView:
    """The Site as a template sees it: the same fields and methods, each read recorded.

    A page it hands out is a PageView, so reading another page's title records
    that one field: a page that links to the news list is not redone when the
    list gains an item, only when the list's title or address changes.
    """

    # A view lives for one page, and records each field once: what it hands out for a name is
    # kept as its own attribute, so the next read (a template reads `site.config` about 90
    # times a page) is a plain lookup, not this method again. A call is recorded each time,
    # with its arguments.

    def __init__(self, site, recorded: set):
        self._site, self._recorded = site, recorded

    def __getattr__(self, name):
        value = getattr(self._site, name)
        if not callable(value):
            self._recorded.add(("site", name))
            shown = _wrap(value, self._recorded)
        else:

            def shown(*args, **kwargs):
                self._recorded.add(("call", name, tuple(_ref(a) for a in args), tuple(sorted(kwargs.items()))))
                return _wrap(value(*map(_unwrap, args), **kwargs), self._recorded)

        object.__setattr__(self, name, shown)
        return shown


class PageView:
    """A page read by a template that is not rendering it: records each field read."""

    def __init__(self, page, recorded: set):
        self._page, self._recorded = page, recorded

    def __getattr__(self, name):  # once per field and view, as SiteView's
        self._recorded.add(("field", self._page.output, name))
        value = getattr(self._page, name)
        object.__setattr__(self, name, value)
        return value

    @property
    def __class__(self):  # isinstance(view, Page) holds, so helpers such as url() accept it
        return Page

    def __eq__(self, other):
        return self._page == _unwrap(other)

    __hash__ = None


def _wrap(value, recorded):
    if isinstance(value, Page):
        return PageView(value, recorded)
    if isinstance(value, (list, tuple)) and any(isinstance(v, Page) for v in value):
        return type(value)(_wrap(v, recorded) for v in value)
    if isinstance(value, dict) and any(isinstance(v, Page) for v in value.values()):
        return {k: _wrap(v, recorded) for k, v in value.items()}
    return value


def _unwrap(value):
    return value._page if type(value) is PageView else value


def _shape(value):
    """What a call's result is, with pages named by their address: their fields are recorded one by one."""
    if isinstance(value, Page):
        return ("page", value.output)
    if isinstance(value, (list, tuple)):
        return tuple(_shape(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _shape(v)) for k, v in value.items())
    return value


def view(site, recorded: set | None):
    """What templates get as `site`: the site itself, or a recording view of it."""
    return site if recorded is None else SiteView(site, recorded)


def _ref(arg):
    # Pages are not hashable (they hold dicts); a page argument is named by its output path.
    arg = _unwrap(arg)
    return ("page", arg.output) if isinstance(arg, Page) else arg


class Values:
    """What each dependency key names in one site, computed once per key."""

    def __init__(self, site, templates: dict):
        self.site = site
        self.templates = templates  # template name -> sha256 of its file
        self._pages = {p.output: p for p in site.pages}
        self._urls = {p.source: p.url for p in site.pages if p.source}
        self._seen = {}

    def __call__(self, key):
        if key not in self._seen:
            self._seen[key] = self._compute(key)
        return self._seen[key]

    def _compute(self, key):
        kind = key[0]
        if kind == "template":
            return self.templates.get(key[1], MISSING)
        if kind == "page":
            return self._pages.get(key[1], MISSING)
        if kind == "field":
            page = self._pages.get(key[1])
            return MISSING if page is None else getattr(page, key[2], MISSING)
        if kind == "site":
            return _shape(getattr(self.site, key[1], MISSING))
        if kind == "source-url":
            return self._urls.get(key[1], MISSING)
        if kind == "call":
            _, name, args, kwargs = key
            args = [self._pages.get(a[1], MISSING) if isinstance(a, tuple) and a[:1] == ("page",) else a for a in args]
            if any(a is MISSING for a in args):
                return MISSING
            try:
                return _shape(getattr(self.site, name)(*args, **dict(kwargs)))
            except Exception as exc:  # noqa: BLE001 - a call that fails now differs from one that worked
                return ("raised", type(exc).__name__, str(exc))
        raise ValueError(f"unknown dependency {key!r}")


def template_hashes(templates: Path) -> dict:
    """name -> sha256 of every file in the templates folder."""
    found = {}
    for path in sorted(Path(templates).rglob("*")):
        if path.is_file():
            found[path.relative_to(templates).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
