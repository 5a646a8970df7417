"""Moved pages, as the model sees them: `aliases:` in front matter lists a page's old
addresses, each answered from a file of its own (outputs/redirects.py writes them).
An alias that is already the address of a page, a static file or another alias is an
error naming both files: one address, one meaning.
"""

from __future__ import annotations

from portal.messages import _
from portal.model.site import Page, Site
from portal.problems import Problems


def output_path(alias: str) -> str:
    """The file an old address is answered from: /gammal/ and /gammal → gammal/index.html; /x.html stays."""
    path = alias.strip().strip("/")
    if path.rsplit("/", 1)[-1].endswith((".html", ".htm")):
        return path
    return path + "/index.html"


def public_path(alias: str) -> str:
    """The old address as the site answers it, without the base path: gammal/ or x.html."""
    return _public(output_path(alias))


def _public(path: str) -> str:
    # Only a whole last segment index.html goes: /sidindex.html is a file of its own, not /sid.
    if path == "index.html" or path.endswith("/index.html"):
        return path.removesuffix("index.html")
    return path


def moves(site: Site) -> list:
    """(alias as written, output path, page) for every alias of every page this build makes."""
    out = []
    for page in site.pages:
        for alias in page.meta.get("aliases") or ():
            out.append((alias, output_path(alias), page))
    return out


def check(site: Site, problems: Problems) -> None:
    """An old address may not be a page's, a static file's or another alias's, nor need a folder
    where one of them is a file, nor be a file where one of them needs a folder."""
    every = moves(site)
    if not every:  # most builds: no map of every page's folders for nothing (12,000 pages at 5,000 items)
        return
    owners = {p.output: p.source or _("the generated page /{url}", url=p.url) for p in site.pages}
    owners.update({url_path: f"static/{url_path}" for url_path, _ in site.static})
    inside = {}  # folder -> the first page or static file written inside it
    for path, owner in owners.items():
        for folder in _folders(path):
            inside.setdefault(folder, owner)
    # Each alias's file, as the folder another alias may need (named by the first alias that has it).
    files = {}
    for alias, path, page in every:
        files.setdefault(path, (alias, page))
    claimed = {}
    for alias, path, page in every:
        line = _line(page, alias)
        in_the_way = _file_in_the_way(path, owners, files)
        if path in owners:
            problems.error(
                page.source,
                line,
                _(
                    "the alias '{alias}' is the address of a page: {owners} (/{path}); remove the alias or move that page",
                    alias=alias,
                    owners=owners[path],
                    path=_public(path),
                ),
            )
        elif path in inside:
            problems.error(
                page.source,
                line,
                _(
                    "the alias '{alias}' is answered from the file /{path}, where {owners} needs a folder; "
                    "remove the alias or move that file",
                    alias=alias,
                    path=path,
                    owners=inside[path],
                ),
            )
        elif in_the_way is not None:
            folder, owner = in_the_way
            problems.error(
                page.source,
                line,
                _(
                    "the alias '{alias}' needs a folder /{folder}/ where {owners} is a file",
                    alias=alias,
                    folder=folder,
                    owners=owner,
                ),
            )
        elif path in claimed and claimed[path] is not page:
            problems.error(
                page.source,
                line,
                _(
                    "the alias '{alias}' is also an alias of {source}; an old address can lead to one page only",
                    alias=alias,
                    source=claimed[path].source,
                ),
            )
        claimed.setdefault(path, page)


def _file_in_the_way(path: str, owners: dict, files: dict):
    """(folder, what is a file there) for the first folder `path` needs where a page, a static
    file or another alias is a file; None if there is none."""
    for folder in _folders(path):
        if folder in owners:
            return folder, owners[folder]
        if folder in files:
            alias, page = files[folder]
            return folder, _("the alias '{alias}' of {source}", alias=alias, source=page.source)
    return None


def _folders(path: str) -> list:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _line(page: Page, alias) -> int | None:
    """The alias's line in its file: model/site.py keeps each alias as the located text it read."""
    return getattr(alias, "line", None)
