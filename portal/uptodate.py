"""A build with nothing to do: `build.py build` run again when nothing it reads has changed.

Before anything is loaded, the build is described by its *key*: every file of the site's
data/, content/, static/ and templates/ and of the engine (portal/) by its path, size,
modification and change times and inode number (as make and ninja judge files, plus the
change time and inode, so a file replaced by another of the same size and time is new), the
versions of Python and of the libraries that make the pages, and the options and the date.
After a good build, the key is kept in .cache/ with what the build left in the output folder
(each file's path, size, times and inode), the moment it showed alerts for and the next
moment an alert starts or ends, and the warnings and notices it reported.

The next build with the same key, an output folder as that build left it and a moment
before the next alert changes has nothing to do: it says its warnings again and that the
site is up to date. Anything else builds as ever: one file saved, touched or restored,
another --base-url, the next day, an alert starting, a file in _site/ changed or deleted,
a new version of the portal or of a library, .cache/ deleted. Walking the files takes about
0.2 s for 5,000 news items in two languages, where a build that reuses every page from the
cache still reads, models and checks them all (about 10 s).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from portal import __version__
from portal.problems import Problems, message_from_json, message_json, problem_from_json, problem_json

STATE = Path(".cache") / "last-build.json"  # under the site's root; .cache/ is safe to delete
FORMAT = 1
SITE_FOLDERS = ("data", "content", "static", "templates")  # all the build reads of the site
ENGINE = Path(__file__).resolve().parent  # the portal package: its code, templates, messages
# The libraries whose versions change the output (render/cache.py's, and Pagefind's index:
# pagefind_bin is the binary that writes it, pagefind the package that runs that binary).
LIBRARIES = (
    "Markdown",
    "nh3",
    "Jinja2",
    "MarkupSafe",
    "PyYAML",
    "Babel",
    "Pillow",
    "rdflib",
    "pagefind",
    "pagefind_bin",
)


@dataclass
class Outcome:
    """What the last good build reported: said again by a build with nothing to do."""

    problems: Problems = field(default_factory=Problems)
    pages: int = 0
    files: int = 0


def key(root: Path, settings: dict) -> str:
    """The build's inputs, engine and `settings` (JSON-able: the options and the date), digested."""
    root = Path(root)
    described = {
        "format": FORMAT,
        "portal": __version__,
        "python": sys.version,
        "libraries": _versions(LIBRARIES),
        "settings": settings,
        "engine": _files(ENGINE, skip="__pycache__"),
        "site": [_files(root / folder) for folder in SITE_FOLDERS],
    }
    return _digest(described)


def nothing_to_do(root: Path, out: Path, build_key: str, moment: dt.datetime) -> Outcome | None:
    """The last good build's outcome if it had this key, its output is untouched and no alert
    has started or ended since its moment; else None (build)."""
    try:
        state = json.loads((Path(root) / STATE).read_text(encoding="utf-8"))
        if state["format"] != FORMAT or state["key"] != build_key:
            return None
        shown = dt.datetime.fromisoformat(state["moment"])
        until = state["until"] and dt.datetime.fromisoformat(state["until"])
        if moment < shown or (until and moment >= until):
            return None
        if state["output"] != _digest(_files(Path(root) / out)):
            return None
        problems = Problems([problem_from_json(p) for p in state["problems"]])
        for notice in state["notices"]:
            problems.notice(message_from_json(notice))
        if problems.errors or type(state["pages"]) is not int or type(state["files"]) is not int:
            return None
        return Outcome(problems, state["pages"], state["files"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None  # no state, or not one this engine wrote: build


def remember(root: Path, out: Path, build_key: str, moment: dt.datetime, schedule: tuple, outcome: Outcome) -> None:
    """Keep a good build's key and outcome for the next build (nothing, if .cache/ cannot be
    written: the next build then builds)."""
    upcoming = [t for alert in schedule for t in (alert.start, alert.end) if t > moment]
    state = {
        "format": FORMAT,
        "key": build_key,
        "moment": moment.isoformat(),
        "until": min(upcoming).isoformat() if upcoming else None,
        "output": _digest(_files(Path(root) / out)),
        "problems": [problem_json(p) for p in outcome.problems.items],
        "notices": [message_json(n) for n in outcome.problems.notices],
        "pages": outcome.pages,
        "files": outcome.files,
    }
    path = Path(root) / STATE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f".{path.name}.{os.getpid()}")
        part.write_text(json.dumps(state), encoding="utf-8")
        os.replace(part, path)
    except (OSError, TypeError, ValueError):
        forget(root)


def forget(root: Path) -> None:
    """No build is up to date (a build is starting that may change the output)."""
    try:
        (Path(root) / STATE).unlink(missing_ok=True)
    except OSError:
        pass


def _files(top: Path, skip: str | None = None) -> list:
    """Every file and folder under `top` with its size, times, inode and mode, in name order
    (one it cannot read: its error number; never an exception)."""
    rows, folders = [], [str(top)]
    start = len(str(top))
    while folders:
        folder = folders.pop()
        try:
            entries = os.scandir(folder)
        except OSError as exc:  # missing, or unreadable: the build says so in its own words
            rows.append((folder[start:], exc.errno))
            continue
        with entries:
            for entry in entries:
                if entry.name == skip:
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:
                    rows.append((entry.path[start:], exc.errno))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                rows.append((entry.path[start:], st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode))
    rows.sort()
    return rows


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value).encode("utf-8")).hexdigest()


def _versions(names: tuple) -> list:
    """The installed version of each library (None: not installed), from the names of the
    `name-version.dist-info` folders on sys.path, the first one found of each, as import takes
    it. importlib.metadata says the same, but importing it (the email package with it) took a
    tenth of a build with nothing to do."""
    wanted = {_normal(name): name for name in names}
    found = {}
    for place in sys.path:
        try:
            entries = os.listdir(place or ".")
        except OSError:  # a zip file, a folder that is gone
            continue
        for entry in entries:
            if entry.endswith(".dist-info") and "-" in entry:
                name, version = entry[: -len(".dist-info")].split("-", 1)
                if _normal(name) in wanted:
                    found.setdefault(wanted[_normal(name)], version)
    return [found[name] if name in found else _metadata_version(name) for name in names]


def _metadata_version(name: str) -> str | None:
    """A library installed some other way (an .egg-info, a zip): importlib.metadata finds it."""
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _normal(name: str) -> str:
    # PEP 503: PyYAML, pyyaml and py_yaml are one project.
    return re.sub(r"[-_.]+", "-", name).lower()
