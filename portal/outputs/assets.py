"""Cache-safe assets: stylesheets, scripts, images and fonts get content-hashed names.

`assets/site.css` is published as `assets/site.3f9a1c2b.css`, and every
reference to it in the HTML pages, in other stylesheets and (as an absolute
URL) in XML feeds and sitemaps is rewritten. A host may then let browsers keep
these files for a year: a changed file gets a new name. Pages keep their
addresses: HTML is never fingerprinted.

Runs over the rendered outputs, between render and the link check, so the
checker sees exactly the names that are published. The hash is of the
published bytes only (a stylesheet's after its own references are rewritten,
so a changed image also renames the stylesheet that uses it): the same sources
give the same names on every machine.
"""

from __future__ import annotations

import functools
import hashlib
import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from portal import caches
from portal.messages import _
from portal.output import Output
from portal.problems import Problems

FINGERPRINTED = {
    ".css",
    ".js",
    ".mjs",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".avif",
    ".svg",
    ".ico",
    ".woff",
    ".woff2",
}
# Browsers and other sites ask for these by name, so they keep it.
KEEP_NAME = re.compile(r"favicon\.ico|apple-touch-icon[\w.-]*\.png")
# The web editor's bundle (cms.py) loads its chunks by their own names, so its folder keeps
# every name; the pinned version in the folder's name does what a hash would.
KEEP_FOLDER = "admin/"
HASH_LENGTH = 8

# Attributes that hold a URL (or, for srcset, a list of them).
URL_ATTRIBUTES = {"href", "src", "srcset", "imagesrcset", "poster", "data", "content"}
_ATTRIBUTE = re.compile(r"""(\s)([^\s"'>/=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_SRCSET_URL = re.compile(r"(^|,)(\s*)([^\s,][^\s]*)")
_CSS_REFERENCE = re.compile(
    r"""url\(\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^)"'\s]*))\s*\)"""
    r"""|@import\s+(?:"(?P<idq>[^"]*)"|'(?P<isq>[^']*)')""",
    re.IGNORECASE,
)
_XML_SUFFIXES = (".xml", ".rdf", ".rss", ".atom")


def is_fingerprinted(path: str) -> bool:
    suffix = posixpath.splitext(path)[1].lower()
    return suffix in FINGERPRINTED and not KEEP_NAME.fullmatch(path) and not path.startswith(KEEP_FOLDER)


def _is_stylesheet(path: str) -> bool:
    return path.lower().endswith(".css")


def hashed_name(path: str, data: bytes) -> str:
    """`assets/site.css` → `assets/site.<first 8 hex digits of its SHA-256>.css`."""
    stem, suffix = posixpath.splitext(path)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:HASH_LENGTH]}{suffix}"


@dataclass(frozen=True)
class Plan:
    """The new name of every asset, and the output that takes each one's place."""

    renames: dict  # old path → new path, inside the output folder
    replaced: dict  # old path → the output that takes its place

    @functools.cached_property
    def in_order(self) -> tuple:
        """The renames as the page rewrite remembers them, sorted once per plan."""
        return tuple(sorted(self.renames.items()))


def plan(outputs: list[Output], base_url: str, problems: Problems) -> Plan:
    """The asset names, from the files that get them. Pages never do (HTML keeps its name),
    so the names are known before the pages are rendered."""
    base = urlsplit(base_url)
    by_path = {o.path: o for o in outputs}
    renames: dict[str, str] = {}  # old path → new path, inside the output folder
    replaced: dict[str, Output] = {}  # old path → the output that takes its place

    # Plain assets first: their names are needed inside the stylesheets.
    for o in outputs:
        if is_fingerprinted(o.path) and not _is_stylesheet(o.path):
            new = hashed_name(o.path, _bytes(o))
            renames[o.path] = new
            replaced[o.path] = Output(new, o.data, o.copy_from)

    # Stylesheets may import each other: settle each one's imports before hashing it.
    settling: list[str] = []

    def settle(path: str) -> None:
        if path in replaced:
            return
        if path in settling:
            cycle = " → ".join(settling[settling.index(path) :] + [path])
            problems.error(
                _source(by_path[path]), None, _("stylesheets import each other in a circle: {cycle}", cycle=cycle)
            )
            replaced[path] = by_path[path]
            return
        settling.append(path)
        text = _bytes(by_path[path]).decode("utf-8", errors="replace")
        here = base.path + posixpath.dirname(path)
        for raw in _css_references(text):
            target = site_path(raw, here, base)
            if target in by_path and is_fingerprinted(target) and _is_stylesheet(target):
                settle(target)
        settling.pop()
        data = rewrite_css(text, here, base, renames).encode("utf-8")
        new = hashed_name(path, data)
        renames[path] = new
        replaced[path] = Output(new, data)

    for o in outputs:
        if is_fingerprinted(o.path) and _is_stylesheet(o.path):
            settle(o.path)
    return Plan(renames, replaced)


def fingerprint(outputs: list[Output], base_url: str, problems: Problems, names: Plan | None = None) -> list[Output]:
    """The outputs with assets renamed by content and every reference to them rewritten
    (`names`: the plan made before, from these outputs' assets)."""
    names = names or plan(outputs, base_url, problems)
    # No new name can be taken: every other file with such a suffix is renamed too.
    return [published(o, base_url, names) for o in outputs]


def published(o: Output, base_url: str, names: Plan, remember: bool = True) -> Output:
    """One output as published, with the names of `names` (a page alone, as soon as it is rendered:
    pages never get a new name). `remember=False`: a rendered page's rewrite is not kept in
    memory (a build rewrites each page once; `serve` meets the same bytes again)."""
    base = urlsplit(base_url)
    here = base.path + posixpath.dirname(o.path)
    if o.reused or o.written:  # published before with these very names (render/cache.py), or streamed
        return o
    if o.path in names.replaced:
        return names.replaced[o.path]
    if o.path.endswith(".html") and o.data is not None:  # a rendered page
        data = (_html_data if remember else _page_data)(o.data, here, base, names.in_order)
        return o if data is o.data else Output(o.path, data)
    if o.path.endswith(".html"):  # an HTML file from static/
        return _rewritten(o, lambda text: rewrite_html(text, here, base, names.renames))
    if o.path.endswith(_XML_SUFFIXES):
        return _rewritten(o, lambda text: rewrite_absolute(text, base_url, names.renames))
    return o


def host_files() -> list[Output]:
    """Files static hosts look for. `.nojekyll`: GitHub Pages publishing from a branch
    would otherwise run Jekyll, which drops files and folders whose names start with `_`."""
    return [Output(".nojekyll", b"")]


# --- resolving and rewriting one URL --------------------------------------------


def site_path(raw: str, here: str, base) -> str | None:
    """The output path a URL points at (from a file in the folder `here`), or None if it leaves the site."""
    parts = urlsplit(raw.strip())
    if parts.scheme or parts.netloc:
        if ((parts.scheme or base.scheme).lower(), parts.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
            return None
    path = unquote(parts.path)
    if not path:
        return None
    absolute = posixpath.normpath(path if path.startswith("/") else posixpath.join(here.rstrip("/") + "/", path))
    if not absolute.startswith(base.path):
        return None
    return absolute[len(base.path) :]


def _rewrite_url(raw: str, here: str, base, renames: dict) -> str:
    """The same URL, written the same way (relative or absolute), with the asset's new file name."""
    target = site_path(raw, here, base)
    if target not in renames:
        return raw
    parts = urlsplit(raw.strip())
    folder = parts.path.rpartition("/")[0]
    new_name = quote(posixpath.basename(renames[target]))
    return urlunsplit(parts._replace(path=f"{folder}/{new_name}" if "/" in parts.path else new_name))


# --- HTML ------------------------------------------------------------------------

# What rewrite_html reads, left to right: a comment (skipped whole), a raw-text
# element such as <script> (its start tag is read, its content skipped), or any other
# start tag. Quoted attribute values may hold ">". One regular expression, not
# html.parser: same output on the 1,100-page benchmark site, 0.5 s instead of 2.6 s.
_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_HTML_TOKEN = re.compile(
    r"<!--.*?-->"
    rf"|(?P<rawtag><(?P<raw>script|style|textarea|title)\b{_ATTRIBUTES}>).*?(?=</(?P=raw)\s*>|\Z)"
    rf"|(?P<tag><[a-zA-Z][^\s/>]*{_ATTRIBUTES}>)",
    re.DOTALL | re.IGNORECASE,
)


def rewrite_html(text: str, here: str, base, renames: dict) -> str:
    """Rewrite asset URLs in tag attributes only; text, scripts and comments stay as they are."""
    if not renames:
        return text
    return _rewrite_html(text, here, base, tuple(sorted(renames.items())))


def _letters(name: str, closing: bool = False) -> str:
    """`name` in any ASCII case; closing, also as _HTML_TOKEN's back-reference (?P=raw) matches it,
    which compares letters by str.lower() ("İ" closes an "i"), where re.IGNORECASE reads more."""
    return "".join(f"[{c}{c.upper()}{'İ' if closing and c == 'i' else ''}]" for c in name)


# What cannot hold a renamed file's name, and so is passed by in one C-level match: text,
# a "<" that starts no token, comments, and tags (a <script>'s or <title>'s with its content)
# whose start tag has no dot, for every renamed name has one (its suffix, FINGERPRINTED).
# Each tag or comment passed is exactly the token _HTML_TOKEN finds at that place: the tag
# name is plain, and attributes are read the same way, without dots. Only the tags with a
# dot (about one in eight) come back to Python. tests/test_assets_rewrite_pass.py holds it to the old
# token-by-token rewrite. (No capturing group inside the possessive repetition: Python 3.11's
# re fails on one; so each raw-text element is written out, in ASCII letters: other names go
# to _HTML_TOKEN.)
_NO_DOT_ATTRIBUTES = r"""(?:[^>"'.]|"[^".]*"|'[^'.]*')*"""
_PASSED = re.compile(
    r"(?:[^<]+"
    r"|<(?![!a-zA-Z])|<!(?!--)"
    r"|<!--.*?-->"
    + "".join(
        rf"|<(?-i:{_letters(raw)})\b{_NO_DOT_ATTRIBUTES}>.*?(?=</(?-i:{_letters(raw, closing=True)})\s*>|\Z)"
        for raw in ("script", "style", "textarea", "title")
    )
    + rf"|<(?!(?:script|style|textarea|title)\b)[a-zA-Z][^\s/>\"'.]*(?=[\s/>]){_NO_DOT_ATTRIBUTES}>"
    r")*+",
    re.DOTALL | re.IGNORECASE,
)


def _rewrite_html(text: str, here: str, base, renames: tuple) -> str:
    # Not remembered here: rendered pages are, by their bytes, in _html_data (one copy, not two).
    names = _names(renames)
    renames = dict(renames)

    def fix(match: re.Match) -> str:
        tag = match.group("tag") or match.group("rawtag")
        if tag is None or not names.search(tag):
            return match.group(0)
        new_tag = _ATTRIBUTE.sub(lambda m: _rewrite_attribute(m, here, base, renames), tag)
        return new_tag + match.group(0)[len(tag) :]

    parts, position, size = [], 0, len(text)
    while True:
        passed = _PASSED.match(text, position).end()
        parts.append(text[position:passed])
        if passed >= size:
            return "".join(parts)
        token = _HTML_TOKEN.match(text, passed)
        if token is None:  # a "<" that starts no token: read on from the next character, as re.sub would
            parts.append(text[passed])
            position = passed + 1
        else:
            parts.append(fix(token))
            position = token.end()


@functools.lru_cache(maxsize=4)  # one set of renames per build
def _names(renames: tuple) -> re.Pattern:
    """Finds any renamed file's name (as written, or percent-encoded): one search, not one per name."""
    names = {n for old, _new in renames for n in (posixpath.basename(old), quote(posixpath.basename(old)))}
    return re.compile("|".join(re.escape(n) for n in sorted(names)) or "(?!)")


def _rewrite_attribute(match: re.Match, here: str, base, renames: dict) -> str:
    space, name, equals, quoted = match.groups()
    name = name.lower()
    if name not in URL_ATTRIBUTES and not name.startswith("data-"):
        return match.group(0)
    quote_char = quoted[0] if quoted[0] in "\"'" else ""
    value = html.unescape(quoted[1:-1] if quote_char else quoted)
    if name in ("srcset", "imagesrcset"):
        new = _SRCSET_URL.sub(lambda m: m.group(1) + m.group(2) + _rewrite_url(m.group(3), here, base, renames), value)
    else:
        new = _rewrite_url(value, here, base, renames)
    if new == value:
        return match.group(0)
    return f'{space}{name}{equals}"{html.escape(new, quote=True)}"'


# --- CSS and XML -----------------------------------------------------------------


def _css_references(text: str):
    for match in _CSS_REFERENCE.finditer(text):
        yield next(v for v in match.groupdict().values() if v is not None)


def rewrite_css(text: str, here: str, base, renames: dict) -> str:
    def fix(match: re.Match) -> str:
        for group, value in match.groupdict().items():
            if value is not None:
                start, end = match.span(group)
                start -= match.start()
                end -= match.start()
                whole = match.group(0)
                return whole[:start] + _rewrite_url(value, here, base, renames) + whole[end:]
        return match.group(0)

    return _CSS_REFERENCE.sub(fix, text)


def rewrite_absolute(text: str, base_url: str, renames: dict) -> str:
    """Feeds and sitemaps name files by absolute URL only; replace exactly those."""
    for old, new in renames.items():
        for written in dict.fromkeys((old, quote(old))):  # as a template wrote it, or percent-encoded
            pattern = re.escape(base_url + written) + r"(?![\w.~%/-])"
            text = re.sub(pattern, lambda _match, new=new: base_url + quote(new), text)
    return text


# --- helpers ---------------------------------------------------------------------


def _bytes(o: Output) -> bytes:
    return o.data if o.data is not None else o.copy_from.read_bytes()


def _page_data(data: bytes, here: str, base, renames: tuple) -> bytes:
    """A rendered page's bytes with asset names rewritten; the same `data` object when nothing changed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    new = _rewrite_html(text, here, base, renames) if renames else text
    return data if new == text else new.encode("utf-8")


# Remembered by the page's bytes (an entry's size: the page, and its rewrite): `serve` reuses
# the bytes of every page it did not render again, and bytes keep their hash, so an unchanged
# page costs a lookup.
_html_data = caches.bounded(512 * caches.MB, size=lambda args, new: 2 * len(args[0]))(_page_data)


def _rewritten(o: Output, fix) -> Output:
    """The output with `fix` applied to its text; unchanged (even not UTF-8) it stays as it was."""
    try:
        text = _bytes(o).decode("utf-8")
    except UnicodeDecodeError:
        return o
    new = fix(text)
    return o if new == text else Output(o.path, new.encode("utf-8"))


def _source(o: Output) -> str:
    return f"static/{o.path}" if o.copy_from is not None else f"_site/{o.path}"
