"""The build cache: a page whose inputs did not change is not rendered again.

A page's inputs are the dependency keys it read while rendering (depends.py:
its own source, the templates it loaded, the data and other pages' fields it
read). `PageCache` is the per-page renderer that `render.render` is given:

- in one process (`serve`), a page is reused while none of its keys has a
  different value in the new site than in the last good build's (compared as
  objects, which unchanged files keep: no hashing on a save);
- between processes, the cache lives in `.cache/` under the site's root, one
  folder per kind of build (its address, with or without drafts): the keys each page read with a digest of what each named, the page's
  warnings, what the link check reads from it (its links and ids), and the page
  as published, stored by its SHA-256. A page whose every key has the same digest
  in the new site is not parsed, rendered or rewritten: its stored file is linked
  into the new output folder (write.py).

Nothing in the cache is trusted that cannot be checked: a file that is not the
engine's format, version or configuration, or that does not parse, is ignored
whole (the build is then cold); a stored page whose size or time changed is
hashed again and dropped if its bytes are not the ones recorded (someone edited
_site/ by hand: a hard link shares the file). The asset names a page was
published with (assets.py) are part of its key: a changed stylesheet name
renders the pages again. The cache is written only after a build succeeded: the
index whole, in one atomic rename, or the records of the pages that changed added
at its end (_Journal); deleting `.cache/` only makes the next build cold.
"""

from __future__ import annotations

import array
import contextlib
import dataclasses
import datetime as dt
import decimal
import enum
import fcntl
import hashlib
import importlib.metadata
import json
import os
import platform
import posixpath
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from portal import __version__, code_digest
from portal.output import Output
from portal.problems import Problems, problem_from_json, problem_json
from portal.render import depends
from portal.render import pages as render

FOLDER = ".cache"  # under the site's root; in .gitignore
FORMAT = 4  # of the files below; a change makes every older cache foreign
INDEX = "pages.json"
_DIGESTS = re.compile(rb"\.([0-9a-f]+)(?=\.)")  # what assets.hashed_name puts in a name: site.f5d1e7d4.css
OBJECTS = "pages"  # the published pages, each named by the SHA-256 of its bytes
LIBRARIES = ("Markdown", "nh3", "Jinja2", "MarkupSafe", "PyYAML", "Babel", "Pillow")  # they make the pages too
_SHA = re.compile(r"[0-9a-f]{64}")
UNDIGESTIBLE = "undigestible"  # the digest of a value with no canonical form: equal to no digest


def same(old, new) -> bool:
    # Unchanged files give the very same objects (load and markup remember them): no deep comparison then.
    return old is new or old == new


class Cancelled(Exception):
    """A newer save came while rendering: this build is dropped, the next one starts."""


class Undigestible(Exception):
    """A value with no canonical form: a page that read it is not kept between builds."""


@dataclass(frozen=True)
class Entry:
    output: Output  # as rendered in this process, or the stored page (reused=True: already published)
    # The dependency keys the page read, each once. A tuple, not a set: 73 keys on average,
    # whose set took 4 KB per page (50 MB at 5,000 news items), and only ever gone through.
    recorded: tuple
    problems: tuple  # the warnings the page's content gave when it was rendered
    rows: array.array | None = None  # for an entry read from .cache/: its rows of PageCache.table (a key, its digest)


@dataclass(frozen=True)
class Stored:
    """A page kept in .cache/: its published bytes' hash, where they are and what the link check reads."""

    sha: str
    size: int
    mtime_ns: int
    links: tuple
    ids: tuple
    assets: tuple  # the assets whose content-hashed names the page carries (assets.py), by their own path
    names: str  # digest of those names


def engine() -> dict:
    """What besides the inputs makes a page: a cache made by another engine is foreign."""
    return {
        "format": FORMAT,
        "portal": __version__,
        "code": code_digest(),  # the version stays 0.1.0 while the code changes
        "python": platform.python_version(),
        "libraries": {name: importlib.metadata.version(name) for name in LIBRARIES},
    }


class PageCache:
    """The pages of the last good build and what each read; renders a page only if that changed.

    `folder` (None: in memory only) is this output's folder in .cache/, read now.
    """

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self.entries = {}  # output path -> Entry, from the last good build
        self.stored = {}  # output path -> (Entry, Stored): what .cache/ holds of that entry
        self.fresh = {}  # the entries of the build in progress
        self.old = None  # depends.Values of the last good build's site (this process)
        self.new = None  # depends.Values of the site being built
        self.site = None  # the site being built
        self.env = None
        self.env_templates = None
        self.rendered = []  # output paths rendered (not reused) in the build in progress
        self.keys = set()  # every key some page of a good build read (the last one's at least)
        self.changed = None  # the keys whose value differs in the build in progress
        self.digests = {}  # key -> digest in the site being built
        self.nested = {}  # id -> (object, digest) of the objects inside those values (digest)
        self.names_seen = {}  # (the renames, a page's assets) -> digest of their names, in this build
        self.stop = None  # a threading.Event: set, the build in progress ends (Cancelled)
        self.renames = {}  # asset path -> its published name in this build (assets.Plan, set by pipeline)
        self.dirty = False  # something to save since the last save
        self.records = {}  # output path -> (Stored, its file in .cache/ until save names it): pages kept as written
        self.sent = set()  # in a process rendering pages for the build: the keys whose digests it sent
        self._asset_index = None  # (renames, name -> asset paths, digest -> names): _assets_in
        self.kept_count = 0  # pages kept by this process in this build (their files' names)
        self.key_objects = {}  # key -> the one object for it, of the keys received from other processes
        self.checked_templates = None  # name -> sha256 of the templates of the build in .cache/
        self.table = []  # (key, digest) of every key the pages in .cache/ read: their rows
        self.fine, self.moved = set(), set()  # the rows judged in this build: same digest, another
        self.intact = set()  # the output paths whose stored page was found intact in this build (until discard)
        self.journal = None  # the index file as this process read or wrote it last (_Journal)
        if folder is not None:
            self._read()

    # --- the renderer that render.render is given --------------------------------

    def environment(self, site):
        """A Jinja environment for `site`; a new one when any template changed, so no stale
        compiled template survives. Called again for the same site, it keeps what was rendered."""
        if site is self.site:
            return self.env
        hashes = depends.template_hashes(site.templates)
        self.site, self.new = site, depends.Values(site, hashes)
        if self.env is None or hashes != self.env_templates:
            self.env, self.env_templates = render.environment(site.templates), hashes
            if hashes == self.checked_templates:  # each one compiled without error for the cached build
                self.env.template_problems = Problems()
        self.fresh, self.rendered, self.digests, self.names_seen, self.nested = {}, [], {}, {}, {}
        self.records, self.sent, self.key_objects, self.kept_count = {}, set(), {}, 0
        self.fine, self.moved = set(), set()
        # Each key any page read is judged once; a page is reused if none of its keys changed.
        self.changed = None if self.old is None else self._changed_keys()
        return self.env

    def _changed_keys(self) -> set:
        changed = set()
        for n, key in enumerate(self.keys):
            if not n % 4096:  # a second's work on a big site: a newer save stops it too
                self.stopped()
            if not same(self.old(key), self.new(key)):
                changed.add(key)
        return changed

    def stopped(self) -> None:
        """Raises Cancelled when the build in progress is to end (`stop` set: a newer save)."""
        if self.stop is not None and self.stop.is_set():
            raise Cancelled

    def stale(self, page, assets: bool = True) -> bool:
        """True if the page must be rendered again: new, or something it read has changed
        (`assets=False`: leaving out the names of the assets it shows, not settled yet)."""
        entry = self.entries.get(page.output)
        if entry is None:
            return True
        if assets and entry.output.reused and self.stored.get(page.output, (None,))[0] is entry:
            record = self.stored[page.output][1]
            if self._names(record.assets) != record.names:
                return True  # an asset it shows has another name now
        if entry.rows is not None:
            return self._rows_changed(entry.rows) or not self._intact(page.output)
        return self.changed is None or not self.changed.isdisjoint(entry.recorded)

    def likely_stale(self, site) -> list:
        """The pages of `site` that will be rendered, before the asset names are settled (the
        pool converts their markdown ahead; a page redone for an asset's new name alone is
        converted when it renders)."""
        self.environment(site)
        return [page for page in site.pages if self.stale(page, assets=False)]

    def render_page(self, env, site, page, problems: Problems):
        done = self.fresh.get(page.output)  # rendered already in this build (the open pages, first)
        if done is not None:
            problems.items.extend(done.problems)
            return done.output
        entry = self.entries.get(page.output)
        if not self.stale(page):
            problems.items.extend(entry.problems)
            self.fresh[page.output] = entry
            return entry.output
        self.stopped()
        own = Problems()
        env.recorded = recorded = set()
        try:
            output = render.render_page(env, site, page, own)
        finally:
            env.recorded = None
        problems.extend(own)
        self.fresh[page.output] = Entry(output, tuple(recorded), tuple(own.items))
        self.rendered.append(page.output)
        return output

    def carry(self, path: str):
        """In a process that rendered the page for `path` for this build (workers.py): what this
        cache learnt of it, for `receive` in the build's own process. The digests of the keys
        the page read are worked out here too, on every core, each sent once."""
        entry = self.fresh.get(path)
        if entry is not None and entry is self.entries.get(path):
            return "reused", None, None, {}  # named, not sent: the build's process holds this very entry
        how = "rendered" if self.rendered and self.rendered[-1] == path else "read"
        digests = {}
        if how == "rendered" and self.folder is not None:
            for key in entry.recorded:
                if key not in self.sent:
                    digests[key] = self._digest(key)
            self.sent.update(digests)
        # Handed over, not kept here too: this process renders each page once.
        self.fresh.pop(path, None)
        return how, entry, self.records.pop(path, None), digests

    def receive(self, path: str, carried) -> None:
        how, entry, record, digests = carried
        if how == "reused":
            self.fresh[path] = self.entries[path]
            return
        if entry is not None:
            # Each key came as a new object with every page that read it (a menu's link: every
            # page): one object per key, as when rendered here.
            keys = self.key_objects
            recorded = tuple(keys.setdefault(key, key) for key in entry.recorded)
            self.fresh[path] = dataclasses.replace(entry, recorded=recorded)
        if how == "rendered":
            self.rendered.append(path)
        if record is not None:  # its texts one object each again, shared with the link check's (pipeline._Stream)
            stored, name = record
            links, ids = tuple(map(sys.intern, stored.links)), tuple(map(sys.intern, stored.ids))
            self.records[path] = (dataclasses.replace(stored, links=links, ids=ids), name)
        for key, found in digests.items():
            self.digests[self.key_objects.setdefault(key, key)] = found

    def written(self, path: str, output: Output, data: bytes | None = None, file: Path | None = None, found=None):
        """The page rendered for `path` was written into the build's new folder (`output`:
        `written`): its bytes are not held here either. Given its bytes as published, the
        file they were written to and what the link check reads of them (`found`), the page
        is kept in .cache/ now, by the process that rendered it; else `save` keeps it."""
        entry = self.fresh.get(path)
        if entry is not None and entry.output.data is not None and not entry.output.reused:
            self.fresh[path] = dataclasses.replace(entry, output=output)
            if found is not None and self.folder is not None:  # (a page the link check reads: HTML)
                with contextlib.suppress(OSError):  # not kept now: save tries again
                    self.records[path] = self._keep(data, file, found)

    def _keep(self, data: bytes, file: Path, found) -> Stored:
        """The page's bytes in .cache/, by a second name of the file written (no second copy)."""
        objects = self.folder / OBJECTS
        objects.mkdir(parents=True, exist_ok=True)
        sha = hashlib.sha256(data).hexdigest()
        # Named as kept only when the build has succeeded (save); a failed build's are removed
        # (discard), and what a killed one left is removed by the next save. One name per page
        # and process: two pages, or two processes, may keep the same bytes.
        self.kept_count += 1
        tmp = objects / f".new-{sha}-{os.getpid()}-{self.kept_count}"
        tmp.unlink(missing_ok=True)
        try:
            os.link(file, tmp)
        except OSError:
            tmp.write_bytes(data)
        st = tmp.stat()
        links, ids = found
        shown = self._assets_in(data)
        record = Stored(sha, st.st_size, st.st_mtime_ns, tuple(links), tuple(sorted(ids)), shown, self._names(shown))
        return record, tmp.name

    def discard(self) -> None:
        """After a build: what a failed (or stopped) one kept on its way is not kept (its pages and
        index stay as they were; the site kept for the next build to make its site in may be half
        made), and the next build looks at the stored pages again."""
        if self.folder is not None:
            for _record, name in self.records.values():
                (self.folder / OBJECTS / name).unlink(missing_ok=True)
        self.records, self.intact = {}, set()

    def check_stored(self) -> None:
        """Look at every stored page as `stale` will (`_intact`), before the site is there to judge
        them by: a build does this while its site is made apart (pipeline)."""
        for path, (entry, _record) in self.stored.items():
            if entry.rows is not None:
                self._intact(path)

    def _assets_in(self, data: bytes) -> tuple:
        """The assets whose published names the page's bytes carry, by their own paths. Each
        name has its digest between dots (site.f5d1e7d4.css): one fast search for such digests,
        then only their names are looked for (a search for all names at once: 40 times slower)."""
        if self._asset_index is None or self._asset_index[0] is not self.renames:
            shown, by_digest = {}, {}
            for old, new in self.renames.items():
                name = posixpath.basename(new).encode("utf-8")
                shown.setdefault(name, []).append(old)
                stem, suffix = posixpath.splitext(old)
                by_digest.setdefault(new[len(stem) + 1 : len(new) - len(suffix)].encode("utf-8"), set()).add(name)
            self._asset_index = (self.renames, shown, by_digest)
        _renames, shown, by_digest = self._asset_index
        names = {name for found in set(_DIGESTS.findall(data)) for name in by_digest.get(found, ()) if name in data}
        return tuple(sorted({old for name in names for old in shown[name]}))

    def commit(self):
        """The build succeeded: it is the reference for the next one."""
        if self.old is None:
            self.keys = set().union(*(e.recorded for e in self.fresh.values()))
        else:  # only the pages rendered now read anything new (keys of removed pages cost a comparison, no more)
            self.keys.update(*(self.fresh[path].recorded for path in self.rendered))
        # An entry read from .cache/ held in this build: from now on it is compared as the others.
        for path, entry in self.fresh.items():
            if entry.rows is not None:
                self.fresh[path] = plain = dataclasses.replace(entry, rows=None)
                if self.stored.get(path, (None,))[0] is entry:
                    self.stored[path] = (plain, self.stored[path][1])
        self.dirty = self.dirty or bool(self.rendered) or self.entries.keys() != self.fresh.keys()
        self.entries, self.old = self.fresh, self.new

    def links(self) -> dict:
        """Output path -> (links, ids) of the pages reused as stored, for the link check: read when
        they were written, not parsed again (`serve` holds their bytes too: 12,000 pages parsed on
        its first rebuild, 3 s at 5,000 news items)."""
        return {
            path: (record.links, record.ids)
            for path, (entry, record) in self.stored.items()
            if self.fresh.get(path) is entry and entry.output.reused
        }

    def hold(self) -> None:
        """Read the stored pages this process reuses into memory (`serve`: compared on every save)."""
        for path, entry in list(self.entries.items()):
            if entry.output.reused and entry.output.data is None:
                held = dataclasses.replace(entry, output=Output(path, entry.output.copy_from.read_bytes(), reused=True))
                self.entries[path] = held
                if self.stored.get(path, (None,))[0] is entry:
                    self.stored[path] = (held, self.stored[path][1])

    # --- .cache/ ------------------------------------------------------------------------

    def save(self, outputs: list, out: Path, describe, known: dict | None = None) -> None:
        """Keep the last good build (its `outputs` as published in `out`) in .cache/.

        `describe(data)` gives (links, ids) of a page, as the link check reads them (`known`:
        path -> the same, read already). A page the build wrote as it rendered it (`written`)
        is from now on its stored file, as if read from .cache/; one that cannot be kept is
        forgotten (rendered again by the next build in this process).

        The index is a journal: a build that changed a few pages adds their records (and the
        keys' new digests) at its end, instead of writing 30 MB again for 12,000 pages at
        5,000 news items (a second of a warm build). It is written whole when this process did
        not read or write the file as it is now, when the templates changed, or when what was
        added to it outweighs a quarter of what it held when last written whole.
        """
        if self.folder is None or not self.dirty:
            return
        objects = self.folder / OBJECTS
        objects.mkdir(parents=True, exist_ok=True)
        head = _json(["head", {"format": FORMAT, "engine": engine(), "templates": self.env_templates}])
        pages = self._kept_pages({o.path: o for o in outputs}, Path(out), objects, describe, known or {})
        journal, self.journal = self.journal, None  # until written: a failure leaves none to add to
        with self._locked():
            index = self.folder / INDEX
            if not (journal and journal.head == head and journal.identity == _identity(index)):
                journal = None
            if journal is None or not journal.append(index, pages, self._digest):
                journal = _Journal.write(self.folder, head, pages, self._digest)
        self.journal = journal
        kept = {record.sha for _entry, record in self.stored.values()}
        for stale in objects.iterdir():
            if stale.name not in kept:
                stale.unlink(missing_ok=True)
        self.dirty = False

    def _kept_pages(self, published: dict, out: Path, objects: Path, describe, known: dict) -> list:
        """(path, entry, record, whether its record is new) of each page kept, in order (a record
        not new is in .cache/ already). `self.stored` then holds them all."""
        stored, self.stored, pages = self.stored, {}, []
        writable = set()  # the keys seen to have a JSON form (thousands of pages read each menu's)
        for path, entry in sorted(self.entries.items()):
            output = published.get(path)
            if output is None:
                continue
            held = stored.get(path)
            try:
                record = None
                if entry.output.written and path in self.records:
                    record, name = self.records.pop(path)
                    os.replace(objects / name, objects / record.sha)
                if record is None:
                    record = self._record(path, entry, output, out, objects, describe, known, held)
                new = held is None or held[1] is not record or held[0] is not entry
                if new:
                    _fields(entry, record)  # TypeError if it cannot be written (made again then, not held)
                    for key in entry.recorded:
                        if key not in writable:
                            _key_json(key)  # Undigestible if it cannot be written
                            # Nor if what it names cannot be: the next process would find the
                            # same "undigestible" for another value and show the page as stored.
                            if self._digest(key) == UNDIGESTIBLE:
                                raise Undigestible(repr(key))
                            writable.add(key)
            except (Undigestible, OSError, TypeError):
                if entry.output.written:
                    del self.entries[path]
                continue  # not kept: the next build renders this page
            if entry.output.written:
                entry = self.entries[path] = dataclasses.replace(
                    entry, output=Output(path, copy_from=objects / record.sha, reused=True)
                )
            self.stored[path] = (entry, record)
            pages.append((path, entry, record, new))
        return pages

    @contextlib.contextmanager
    def _locked(self):
        """The index, for this process alone while it writes (another build or `serve` may save
        into the same folder: an addition to a file another process rewrote would be nonsense)."""
        with open(self.folder / (INDEX + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _record(self, path, entry, output, out: Path, objects: Path, describe, known: dict, held) -> Stored:
        if held is not None and held[0] is entry:
            if entry.output.reused or held[1].names == self._names(held[1].assets):
                return held[1]
        if output.data is not None:
            data = output.data
        else:
            data = (out / path if output.written else output.copy_from).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        target = objects / sha
        tmp = objects / f".part-{sha}"
        tmp.unlink(missing_ok=True)
        try:  # the written page itself, by a second name: no second copy on disk
            os.link(out / path, tmp)
            if (out / path).read_bytes() != data:
                raise OSError("changed")
        except OSError:
            tmp.unlink(missing_ok=True)
            tmp.write_bytes(data)
        os.replace(tmp, target)
        st = target.stat()
        links, ids = known[path] if path in known else describe(data)
        shown = self._assets_in(data)
        return Stored(sha, st.st_size, st.st_mtime_ns, tuple(links), tuple(sorted(ids)), shown, self._names(shown))

    def _read(self) -> None:
        """The entries of .cache/, or none if anything in it is not what this engine writes."""
        try:
            with self._reading() as f:
                identity = _identity_of(os.fstat(f.fileno()))
                data = f.read()
            if not data.endswith(b"\n"):  # cut short inside a line: another process died writing it
                return
            whole = 0  # its size when written whole: the head, the pages, the keys
            for _line in range(3):
                whole = data.find(b"\n", whole) + 1 or len(data)
            lines = data.decode("utf-8").split("\n")
            del data  # (30 MB at 5,000 news items, as the text is)
            kind, found = json.loads(lines[0])
            if kind != "head" or found["format"] != FORMAT or found["engine"] != engine():
                return
            head = lines[0]
            templates = {_text(name): _text(sha) for name, sha in found["templates"].items()}
            table, pages = [], {}
            for n in range(1, len(lines) - 1):  # each line after the head, parsed and then let go
                kind, value = json.loads(lines[n])
                lines[n] = None
                if kind == "keys":
                    table.extend((_key(key), _text(digest)) for key, digest in value)
                elif kind == "pages":
                    pages.update(value)
                elif kind == "gone":
                    for path in value:
                        pages.pop(path, None)
                else:
                    return
            entries, stored = {}, {}
            objects = self.folder / OBJECTS
            keys = [key for key, _digest in table]
            for path in list(pages):
                page = pages.pop(path)  # its parsed form let go as its entry is made
                sha, size, mtime_ns = page["file"]
                if not (isinstance(path, str) and _SHA.fullmatch(sha) and type(size) is type(mtime_ns) is int):
                    return
                # Four bytes a row, not a number object each: 930,000 rows at 5,000 news items
                # (OverflowError: a row that is no row).
                numbers = array.array("I", page["keys"])
                entry = Entry(
                    Output(path, copy_from=objects / sha, reused=True),
                    tuple(map(keys.__getitem__, numbers)),
                    tuple(problem_from_json(p) for p in page["problems"]),
                    numbers,
                )
                record = Stored(
                    sha,
                    size,
                    mtime_ns,
                    _texts(page["links"]),
                    _texts(page["ids"]),
                    _texts(page["assets"]),
                    _text(page["names"]),
                )
                entries[path], stored[path] = entry, (entry, record)
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, OverflowError):
            return
        self.entries, self.stored, self.checked_templates = entries, stored, templates
        self.table = table
        self.journal = _Journal(head, identity, list(table), set(entries), whole)

    @contextlib.contextmanager
    def _reading(self):
        """The index, open, while no other process adds to it (if the lock can be had)."""
        with contextlib.ExitStack() as stack:
            try:
                lock = stack.enter_context(open(self.folder / (INDEX + ".lock"), "a"))
                fcntl.flock(lock, fcntl.LOCK_SH)
            except OSError:  # a folder this process cannot write into: read as it is
                pass
            yield stack.enter_context(open(self.folder / INDEX, "rb"))

    def _rows_changed(self, rows: tuple) -> bool:
        # Each row (a key and its digest then) is judged once per build; a page then costs one
        # subset test, not a comparison per key it read (73 on average, 1.8 million at 5,000
        # items: 2 s of a warm build).
        if self.fine.issuperset(rows):
            return False
        if not self.moved.isdisjoint(rows):
            return True
        for row in rows:
            if row in self.fine:
                continue
            key, digest = self.table[row]
            if self._digest(key) != digest:
                self.moved.add(row)
                return True
            self.fine.add(row)
        return False

    def _intact(self, path: str) -> bool:
        """The stored page is there with the bytes recorded (hashed again only if its size or time
        changed); once found so, not looked at again in this build (each page is judged twice:
        before the asset names are settled and when it is rendered)."""
        if path in self.intact:
            return True
        entry, record = self.stored[path]
        # Its stored file, objects/<sha>, as _read made it for an entry with rows (the only kind
        # asked): a path made again here for each of 12,686 pages was most of this check's time.
        target = entry.output.copy_from
        try:
            st = target.stat()
            if (st.st_size, st.st_mtime_ns) == (record.size, record.mtime_ns) or (
                hashlib.sha256(target.read_bytes()).hexdigest() == record.sha
            ):
                self.intact.add(path)
                return True
            return False
        except OSError:
            return False

    def _names(self, assets) -> str:
        # Thousands of pages show the same few assets: each set is digested once per set of names.
        key = (id(self.renames), tuple(assets))
        found = self.names_seen.get(key)
        if found is None:
            found = self.names_seen[key] = digest([(path, self.renames.get(path)) for path in assets])
        return found

    def _digest(self, key) -> str:
        found = self.digests.get(key)
        if found is None:
            try:
                found = digest(self.new(key), self.nested)
            except Undigestible:
                found = UNDIGESTIBLE  # never equal to a digest: the page is rendered (and not kept: save)
            self.digests[key] = found
        return found


class _Journal:
    """The index file as this process read or wrote it last: a line of JSON each for its head,
    for rows of keys (a key and its digest, numbered in order over every such line), for page
    records (by output path, each naming its rows; a later record of a path replaces an earlier
    one) and for pages gone. Anything appended stays consistent on its own: a record names only
    rows written before it, and the pages it names are removed only after it is written, so a
    file cut short after any line is a good cache of fewer pages, and one cut inside a line
    does not parse and is ignored."""

    def __init__(self, head: str, identity, table: list, paths: set, whole: int):
        self.head = head  # its first line
        self.identity = identity  # (inode, size, mtime_ns) as this process left it
        self.table = table  # (key, digest) of each row, in order
        self.rows = None  # (key, digest) -> its row: made when first added to
        self.paths = paths  # the output paths it has a record of
        self.whole = whole  # its size in bytes when last written whole (the rest was added since)

    @classmethod
    def write(cls, folder: Path, head: str, pages: list, digest) -> _Journal:
        """The index written whole, one page at a time (json.dump of the whole index made a
        string for every link of every page at once: the peak memory of a cold build)."""
        rows = {}
        handle, tmp = tempfile.mkstemp(prefix=".index-", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                f.write(head + '\n["pages",{')
                for n, (path, entry, record, _new) in enumerate(pages):
                    numbers = []
                    for key in entry.recorded:
                        row = rows.get(key)
                        if row is None:
                            row = rows[key] = (len(rows), digest(key))
                        numbers.append(row[0])
                    page = {"keys": sorted(numbers), **_fields(entry, record)}
                    f.write(("," if n else "") + _json(path) + ":" + _json(page))
                f.write('}]\n["keys",' + _json([[_key_json(key), found] for key, (_, found) in rows.items()]) + "]\n")
                f.flush()
                identity = _identity_of(os.fstat(f.fileno()))
            os.replace(tmp, folder / INDEX)
        finally:
            Path(tmp).unlink(missing_ok=True)
        table = [(key, found) for key, (_, found) in rows.items()]
        return cls(head, identity, table, {path for path, *_ in pages}, identity[1])

    def append(self, index: Path, pages: list, digest) -> bool:
        """Add what changed to the end of the file; False (nothing written) if that would make
        it too long for what it holds (more than a quarter added since it was written whole)."""
        records = {path: (entry, record) for path, entry, record, new in pages if new or path not in self.paths}
        gone = self.paths - {path for path, *_ in pages}
        if self.rows is None:
            self.rows = {row: n for n, row in enumerate(self.table)}
        new_rows, lines = [], []
        for path, (entry, record) in records.items():
            numbers = []
            for key in entry.recorded:
                row = (key, digest(key))
                number = self.rows.get(row)
                if number is None:
                    number = self.rows[row] = len(self.table)
                    self.table.append(row)
                    new_rows.append(row)
                numbers.append(number)
            lines.append(_json(path) + ":" + _json({"keys": sorted(numbers), **_fields(entry, record)}))
        text = ""
        if new_rows:
            text += '["keys",' + _json([[_key_json(key), found] for key, found in new_rows]) + "]\n"
        if lines:
            text += '["pages",{' + ",".join(lines) + "}]\n"
        if gone:
            text += '["gone",' + _json(sorted(gone)) + "]\n"
        data = text.encode("utf-8")
        if self.identity[1] + len(data) - self.whole > max(_JOURNAL_SLACK, self.whole // 4):
            return False  # this journal is dropped: the index is written whole, renumbered
        with open(index, "ab") as f:
            f.write(data)
            f.flush()
            self.identity = _identity_of(os.fstat(f.fileno()))
        self.paths = {path for path, *_ in pages}
        return True


_JOURNAL_SLACK = 256 * 1024  # bytes a small site's index may gain before it is written whole


def _fields(entry: Entry, record: Stored) -> dict:
    """A page's record in the index, but the rows of the keys it read."""
    return {
        "problems": [problem_json(p) for p in entry.problems],
        "file": [record.sha, record.size, record.mtime_ns],
        "links": list(record.links),
        "ids": list(record.ids),
        "assets": list(record.assets),
        "names": record.names,
    }


def _identity(path: Path):
    try:
        return _identity_of(os.stat(path))
    except OSError:
        return None


def _identity_of(st) -> tuple:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def folder(root: Path, base_url: str | None, drafts: bool) -> Path:
    """The folder in .cache/ for builds for one address, with or without drafts: a preview and a
    build do not share pages (they would replace each other's). Where the site or its output
    folder is does not matter: a cache restored into another checkout is used."""
    name = json.dumps([base_url, drafts])
    return Path(root) / FOLDER / hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def clear(root: Path) -> None:
    shutil.rmtree(Path(root) / FOLDER, ignore_errors=True)


# --- canonical digests: the same value gives the same digest in every process ----------


def digest(value, nested: dict | None = None) -> str:
    """`nested`: id -> (object, digest) of the dataclasses and long tuples met inside values,
    kept for one site: each is digested once and stands in others by its digest (a year's
    archive page holds every item of that year, and each page of a news list the addresses of
    all of them: digested whole, every item's text was hashed again for each list, and each
    list's addresses once per page of it)."""
    remembered = nested is not None and _shared(value)
    if remembered and id(value) in nested:
        return nested[id(value)][1]
    parts = _Hashing()
    _canonical(value, parts, nested)
    found = parts.hexdigest()[:32]
    if remembered:  # the object is kept with its digest, so its id is not reused meanwhile
        nested[id(value)] = (value, found)
    return found


def _shared(value) -> bool:
    """Worth digesting once per site and naming by its digest where it is met again."""
    if type(value) is tuple:
        return len(value) >= 16
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


class _Hashing:
    """The canonical form's parts, hashed a few thousand at a time: the same digest as of all of
    them joined, without the whole form in memory at once (a news archive's is every item's text).
    `_canonical` appends to `parts` itself and calls `spill` after each item of a container."""

    def __init__(self):
        self.sha, self.parts = hashlib.sha256(), []

    def spill(self) -> None:
        if len(self.parts) >= 4096:
            self._hash()

    def hexdigest(self) -> str:
        self._hash()
        return self.sha.hexdigest()

    def _hash(self) -> None:
        self.sha.update("".join(self.parts).encode("utf-8", "surrogatepass"))
        self.parts.clear()


def _canonical(value, parts: _Hashing, nested: dict | None = None, top: bool = True) -> None:
    # Never hash() or the order of a set: both differ between processes. The common kinds are
    # tried first, by exact type (a str enum is not a str here): 75,000 values, 600,000 parts
    # at 5,000 news items, judged on every warm build.
    kind = type(value)
    add = parts.parts.append
    if kind is str:
        add(f"s{len(value)}:{value};")
    elif value is None or kind is bool or kind is int or kind is float:
        add(f"{kind.__name__}:{value!r};")
    elif kind is tuple or kind is list:
        _sequence(value, parts, nested, top)
    elif _is_dataclass(kind):
        if nested is not None and not top:
            add(f"#{digest(value, nested)};")
            return
        add(f"C{kind.__qualname__}(")
        for name in _field_names(kind):
            add(name + "=")
            _canonical(getattr(value, name), parts, nested, False)
            parts.spill()
        add(")")
    elif isinstance(value, enum.Enum):
        add(f"E{kind.__qualname__}:{value.value!r};")
    elif isinstance(value, (bool, int, float)):
        add(f"{kind.__name__}:{value!r};")
    elif isinstance(value, str):
        add(f"s{len(value)}:{value};")
    elif isinstance(value, bytes):
        add(f"b{hashlib.sha256(value).hexdigest()};")
    elif isinstance(value, (dt.date, dt.time)):
        add(f"{kind.__name__}:{value.isoformat()};")
    elif isinstance(value, decimal.Decimal):
        add(f"D{value};")
    elif isinstance(value, PurePath):
        add(f"p{value.as_posix()};")
    elif isinstance(value, (list, tuple)):
        _sequence(value, parts, nested, top)
    elif isinstance(value, dict):
        add("{")
        for key, item in sorted(((_sort_form(k, nested), v) for k, v in value.items()), key=lambda pair: pair[0]):
            add(key)
            _canonical(item, parts, nested, False)
            parts.spill()
        add("}")
    elif isinstance(value, (set, frozenset)):
        add("set{" + ",".join(sorted(_sort_form(item, nested) for item in value)) + "}")
    else:
        raise Undigestible(type(value).__name__)


def _sequence(value, parts: _Hashing, nested: dict | None, top: bool) -> None:
    add = parts.parts.append
    if nested is not None and not top and _shared(value):
        add(f"#{digest(value, nested)};")
        return
    add(f"{type(value).__name__}[")
    for item in value:
        if type(item) is str:  # most items are: no call for each
            add(f"s{len(item)}:{item};")
        else:
            _canonical(item, parts, nested, False)
            parts.spill()
    add("]")
    parts.spill()


_DATACLASS = {}  # type -> whether it is a dataclass (asked of every value digested)


def _is_dataclass(kind) -> bool:
    # A dataclass that is also one of the kinds tried before it in the order kept from earlier
    # (an enum, a number, a text, bytes, a date, a path) is digested as that kind, as before.
    found = _DATACLASS.get(kind)
    if found is None:
        found = _DATACLASS[kind] = dataclasses.is_dataclass(kind) and not issubclass(kind, _BEFORE_DATACLASS)
    return found


_BEFORE_DATACLASS = (enum.Enum, bool, int, float, str, bytes, dt.date, dt.time, decimal.Decimal, PurePath)


def _sort_form(value, nested: dict | None) -> str:
    """A dict's key or a set's item as it is sorted and hashed: a plain string as itself (most
    are; a digest of each cost a new hash apiece), anything else by its digest."""
    if type(value) is str:
        return f"s{len(value)}:{value};"
    return "#" + digest(value, nested)


_FIELDS = {}


def _field_names(kind) -> tuple:
    names = _FIELDS.get(kind)
    if names is None:
        # A field left out of equality is left out here too: a page's body is its text's digest,
        # whether the text is held or read when rendered (load/body.py).
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.compare)
    return names


# --- the JSON of .cache/: only plain values go in, and only what was checked comes out ----


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _key_json(key):
    if isinstance(key, tuple):
        return [_key_json(part) for part in key]
    if key is None or type(key) in (str, int, bool, float):
        return key
    raise Undigestible(type(key).__name__)


def _key(value):
    if type(value) is list:
        if set(map(type, value)) <= _SCALARS:  # most keys: a flat list
            return tuple(map(_one, value))
        return tuple(map(_key, value))
    if type(value) in _SCALARS:
        return _one(value)
    raise ValueError("not a key")


def _one(value):
    # One object per text: JSON gives each its own, and 75,000 keys at 5,000 news items name the
    # same few kinds ("field", "page") and fields, and each page's path several times (13 MB).
    return sys.intern(value) if type(value) is str else value


_SCALARS = frozenset((str, int, bool, float, type(None)))


def _texts(values) -> tuple:
    """A JSON list of texts, one object per text (the menus' links are on every page)."""
    if type(values) is not list:
        raise ValueError("not texts")
    return tuple(map(sys.intern, values))  # TypeError for anything but a text


def _text(value) -> str:
    if type(value) is not str:
        raise ValueError("not a text")
    return value
