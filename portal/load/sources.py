"""Stage 1, load: read every source file of the repository into memory.

Nothing here knows what the files mean. It reads bytes safely (size limit, UTF-8,
no binary, no symlinks that leave the repository), parses YAML into located
values and splits front matter from markdown. The result is a `Sources` value
that `model` turns into a site.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from portal import caches
from portal.load import yamlnodes
from portal.load.body import Body, normal
from portal.load.parsed import Parsed
from portal.messages import _
from portal.problems import Problems

MAX_FILE_BYTES = 1_000_000  # far above any real page; refuses runaway or wrong files fast

CONTENT_NAME = re.compile(r"(?P<stem>[^.]+)\.(?P<lang>[^.]+)\.md")
FILE_STEM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # the same rule as a slug


@dataclass(frozen=True)
class ContentFile:
    path: str  # repository-relative, with forward slashes
    section: str  # first folder under content/ ("pages", "news")
    stem: str
    lang: str
    front: object  # yamlnodes.Mapping
    body: Body  # the markdown below the front matter: held in memory by `serve`, else read when rendered
    body_line: int  # line of the file where the markdown body starts
    # The text before the body, exactly: with the body, it is the whole text. Two versions of a
    # file with the same front text differ only below the front matter (`serve`: reread).
    front_text: str = ""
    # (device, inode, size, modified, changed) of the file when read, if it had not changed for
    # STABLE_NS before: the next load of a process that builds again (`serve`) reuses the file
    # as read while these are the same (`load(earlier=…)`). None: read it again.
    identity: tuple | None = None


@dataclass
class Sources:
    root: Path
    data: dict = field(default_factory=dict)  # "site" -> (path, node)
    strings: dict = field(default_factory=dict)  # "sv" -> (path, node)
    content: list = field(default_factory=list)  # ContentFile
    static: list = field(default_factory=list)  # (url path, absolute Path)
    templates: Path | None = None
    broken: set = field(default_factory=set)  # data names that exist but could not be read

    def missing(self, name: str) -> bool:
        """True if data/<name>.yaml does not exist (as opposed to exists but is broken)."""
        return name not in self.data and name not in self.broken

    def data_file(self, name: str, problems, purpose: str):
        """(path, node) of data/<name>.yaml, or None: a missing file is reported with what it is for.

        A file that exists but could not be read was reported by `load` already.
        """
        if name in self.data:
            return self.data[name]
        if self.missing(name):
            problems.error(f"data/{name}.yaml", None, _("is missing: {purpose}", purpose=purpose))
        return None


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def read_text(root: Path, path: Path, problems: Problems, name: str | None = None, walked: bool = False) -> str | None:
    """The file's text, or None with a problem recorded.

    `name` is the repository-relative path when the caller knows it; `walked` says the
    file came from `_files`, which has refused links out already.
    """
    name = name or rel(root, path)
    data = _read_bytes(root, path, problems, name, walked)
    return None if data is None else _text(data, name, problems)


def _read_bytes(root: Path, path: Path, problems: Problems, name: str, walked: bool) -> bytes | None:
    try:
        if not walked and _links_out(root, path):
            problems.error(name, None, LINK_OUT)
            return None
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                problems.error(
                    name,
                    None,
                    _(
                        "file is {size:.1f} MB; the limit is {limit} MB",
                        size=size / 1_000_000,
                        limit=MAX_FILE_BYTES // 1_000_000,
                    ),
                )
                return None
            data = f.read(size + 1)  # asking for the size, not the limit: no 1 MB buffer per file
            if len(data) > size:  # it grew since fstat: read on, to the limit at most
                data += f.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as exc:
        problems.error(name, None, _("cannot be read: {strerror}", strerror=exc.strerror))
        return None
    if len(data) > MAX_FILE_BYTES:  # grew while being read
        problems.error(name, None, _("file is over the limit of {limit} MB", limit=MAX_FILE_BYTES // 1_000_000))
        return None
    return data


def _text(data: bytes, name: str, problems: Problems) -> str | None:
    if b"\x00" in data:
        problems.error(name, None, _("is a binary file, not text; only UTF-8 text belongs here"))
        return None
    try:
        text = normal(data)  # a BOM from Windows editors is fine; every line ends in \n
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(name, line, _("is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8", byte=data[exc.start]))
        return None
    if not text.strip():
        problems.error(name, None, _("file is empty"))
        return None
    return text


def _inside(folder: Path, path: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def read_yaml(root: Path, path: Path, problems: Problems):
    text = read_text(root, path, problems)
    if text is None:
        return None
    try:
        return yamlnodes.parse(text)
    except yamlnodes.YamlError as exc:
        problems.error(rel(root, path), exc.line, exc.message)
        return None


def split_front_matter(name: str, text: str, problems: Problems):
    """(front matter node, body, line where body starts), or None with a problem."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        problems.error(
            name, 1, _("the file should start with front matter: a line '---', the fields, and another '---'")
        )
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            break
    else:
        problems.error(name, 1, _("front matter is not closed: add a line '---' after the fields"))
        return None
    try:
        front = yamlnodes.parse("\n".join(lines[1:i]), line_offset=1)
    except yamlnodes.YamlError as exc:
        problems.error(name, exc.line, exc.message)
        return None
    if not isinstance(front, yamlnodes.Mapping):
        problems.error(name, 2, _("front matter should be fields written 'name: value'"))
        return None
    return front, "\n".join(lines[i + 1 :]), i + 2


def _front_matter(name: str, text: str, problems: Problems):
    """split_front_matter, remembered by the file's text: `serve` loads the site again after
    every save, and parsing YAML is the slow part of loading thousands of unchanged files."""
    split, found = _split_remembered(name, text)
    problems.items.extend(found)
    return split


@caches.bounded(256 * caches.MB, size=lambda args, split: 3 * len(args[1]))  # the text, its front matter and body
def _split_remembered(name: str, text: str):
    found = Problems()
    return split_front_matter(name, text, found), tuple(found.items)


def _files(root: Path, folder: Path, problems: Problems) -> list:
    """(repository-relative name, Path) of every file below folder, in a stable order,
    following no directory links.

    A link (to a file or a folder) that leads out of the repository is refused
    here, once for every stage: through it a commit could publish, or feed a
    template, any file of the machine that builds the site. Names are made from
    strings, not Path arithmetic: `serve` walks thousands of files after every save.
    """
    found = []
    if _links_out(root, folder):
        problems.error(rel(root, folder), None, LINK_OUT)
        return found

    def walk(directory: str, name: str) -> None:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            entry_name = f"{name}/{entry.name}"
            if entry.is_symlink():  # from the directory listing itself: no extra system call
                if _links_out(root, Path(entry.path)):
                    problems.error(entry_name, None, LINK_OUT)
                    continue
                if entry.is_dir():
                    continue  # a folder link inside the site: its files are reached by their own path
                found.append((entry_name, Path(entry.path)))
            elif entry.is_dir(follow_symlinks=False):
                walk(entry.path, entry_name)
            else:
                found.append((entry_name, Path(entry.path)))

    walk(str(folder), rel(root, folder))
    return found


LINK_OUT = _(
    "is a link to a file outside the repository's content/, data/, templates/ and static/ folders; copy the file in instead"
)
SITE_FOLDERS = ("content", "data", "templates", "static")


def _links_out(root: Path, path: Path) -> bool:
    """True for a link that leads out of the site's four folders.

    Not only out of the repository: a link into .git/ could publish the
    credentials CI keeps in .git/config.
    """
    if not path.is_symlink():
        return False
    target = path.resolve()
    # The folders as they stand in the repository, not where they lead: a static/ that
    # is itself a link out must not make everything it leads to count as inside.
    real_root = root.resolve()
    return not any(_inside(real_root / folder, target) for folder in SITE_FOLDERS)


_MARKUP_SUFFIXES = {".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".xml", ".xsl", ".xslt"}
_SCRIPT_IN_MARKUP = re.compile(
    r"<(script|iframe|frame|object|embed|base)\b|\son[a-z]+\s*=|j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:",
    re.IGNORECASE,
)


def _static_runs_script(root: Path, path: Path, problems: Problems) -> bool:
    """True (with a problem) for a static page or image that would run a script.

    Files from static/ are copied as they are: no sanitizer and no Content-Security-Policy
    stands between their scripts and the site's address. Entities are decoded first, so
    `&#106;avascript:` is found too.
    """
    if path.suffix.lower() not in _MARKUP_SUFFIXES:
        return False
    name = rel(root, path)
    text = read_text(root, path, problems)
    if text is None:
        return True
    match = _SCRIPT_IN_MARKUP.search(html.unescape(text))
    if match:
        line = html.unescape(text)[: match.end()].count("\n") + 1
        problems.error(
            name,
            line,
            _(
                "contains a script or a frame (<script>, <iframe>, <object>, an on…= attribute or a javascript: address), which would run on the site's address"
            ),
        )
        return True
    return False


# A file changed less than this long before it was read could change again within the same tick
# of the file system's clock, and keep its size: its identity would not tell (as git's "racily
# clean" entries). Such a file is read again by the next load.
STABLE_NS = 2_000_000_000


def _content_file(
    root, path, name, section, stem, lang, problems, walked=False, remember=False, hold=False, parsed=None
):
    """The ContentFile, or None with a problem. `remember`: its identity is kept (load);
    `hold`: its body is kept in memory, not read again when rendered (body.py); `parsed`:
    the front matters parsed before (parsed.py), which this file's is taken from or added to."""
    identity = _identity(path) if remember else None
    data = _read_bytes(root, path, problems, name, walked)
    if data is None:
        return None
    digest = hashlib.sha256(data).hexdigest() if parsed is not None else None
    known = None if parsed is None else parsed.get(digest)
    if known is not None:  # these very bytes loaded before, without a problem: as then
        front, body_line, front_text, body_digest = known
        if hold:
            body = Body.of(normal(data)[len(front_text) :])
        else:
            body = Body(body_digest, path=os.path.abspath(path), start=len(front_text), name=name)
    else:
        text = _text(data, name, problems)
        if text is None:
            return None
        split = _front_matter(name, text, problems)
        if split is None:
            return None
        front, body, body_line = split
        front_text = text[: len(text) - len(body)]
        body = Body.in_file(body, os.path.abspath(path), len(front_text), name, hold)
        if parsed is not None:
            parsed.keep(digest, front, body_line, front_text, body.digest)
    return ContentFile(name, section, stem, lang, front, body, body_line, front_text, identity)


def _identity(path: Path, now: int | None = None) -> tuple | None:
    """What tells that a file is as read before; None if it changed too recently to tell (STABLE_NS)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if max(st.st_mtime_ns, st.st_ctime_ns) > (now or time.time_ns()) - STABLE_NS:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _unchanged(path: Path, earlier: ContentFile | None) -> bool:
    if earlier is None or earlier.identity is None:
        return False
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) == earlier.identity


def reread(root: Path, old: ContentFile, problems: Problems) -> ContentFile | None:
    """A content file `load` read before, read again as `load` would read it now."""
    return _content_file(root, root / old.path, old.path, old.section, old.stem, old.lang, problems, hold=True)


def load(
    root: Path, earlier: Sources | None = None, remember: bool = False, parsed: Parsed | None = None
) -> tuple[Sources, Problems]:
    """Every source file, read and checked. `remember`: each content file's identity and body
    are kept (ContentFile.identity, body.Body.held), and `earlier` (such a load's sources, of the
    same root) lends the files that are as it read them: `serve` reads again only what was saved
    since. Without it (a build that runs once), a body is read again when its page is rendered.
    `parsed` (parsed.py): a content file whose bytes an earlier load parsed is not parsed again,
    and what this load parsed is added to it (`Parsed.write` keeps it for the next load)."""
    root = Path(root)
    problems = Problems()
    sources = Sources(root=root)
    lent = {} if earlier is None else {f.path: f for f in earlier.content}

    data_dir = root / "data"
    for name, path in _files(root, data_dir, problems) if data_dir.is_dir() else []:
        if path.suffix != ".yaml":
            if path.suffix == ".yml":
                problems.error(name, None, _("data files end in .yaml; rename it"))
            continue
        node = read_yaml(root, path, problems)
        parts = tuple(name.removeprefix("data/").removesuffix(".yaml").split("/"))
        if node is None:
            sources.broken.add("/".join(parts))
            continue
        if parts[0] == "i18n" and len(parts) == 2:
            sources.strings[parts[1]] = (name, node)
        else:
            sources.data["/".join(parts)] = (name, node)

    content_dir = root / "content"
    for name, path in _files(root, content_dir, problems) if content_dir.is_dir() else []:
        parts = name.split("/")[1:]
        match = CONTENT_NAME.fullmatch(parts[-1])
        if not name.endswith(".md"):
            problems.error(
                name, None, _("only markdown files (.md) belong in content/; put images and files in static/")
            )
            continue
        if not match:
            problems.error(name, None, _("a content file is named name.LANG.md, e.g. om-samverkan.sv.md"))
            continue
        if not FILE_STEM.fullmatch(match["stem"]):
            problems.error(
                name,
                None,
                _(
                    "a content file's name becomes its address: use lower-case letters a-z, digits and hyphens, e.g. om-samverkan.sv.md"
                ),
            )
            continue
        if len(parts) < 2:
            problems.error(name, None, _("put content files in a section folder: content/pages/ or content/news/"))
            continue
        found = lent.get(name)
        if not _unchanged(path, found):
            found = _content_file(
                root,
                path,
                name,
                parts[0],
                match["stem"],
                match["lang"],
                problems,
                walked=True,
                remember=remember,
                hold=remember,
                parsed=parsed,
            )
        if found is not None:
            sources.content.append(found)

    static_dir = root / "static"
    for name, path in _files(root, static_dir, problems) if static_dir.is_dir() else []:
        if _static_runs_script(root, path, problems):
            continue
        sources.static.append((name.removeprefix("static/"), path))

    if (root / "templates").is_dir():
        sources.templates = root / "templates"
        _files(root, sources.templates, problems)  # Jinja would follow a link out
    else:
        problems.error("templates", None, _("the templates/ folder is missing"))
    return sources, problems
