"""The search index: Pagefind fed the fully written site, one language at a time.

Pagefind reads the HTML the build wrote and writes `pagefind/` beside it: a
static index split by `<html lang>`, so each language's search page finds only
that language's pages. Only what a template marks `data-pagefind-body` (the
main content) is indexed, not menus and footers. It runs on the temporary
folder before the swap (see `write.write`), so a failed index leaves the
previous site as it was. This is the only module that knows about Pagefind.

How it is fed (bench/RESULTS.md, "Pagefind: how it is fed"): Pagefind's service
(`pagefind --service`, what its Python API starts, without the API's 0.1 s wait
before each answer) is given the pages one by one, one Pagefind process per
language, one after the other. Pagefind keeps every page it parsed until it has
written the index, and a second copy of those of each language while it builds
them; a crawl of the whole folder holds both languages at once. Fed a language
at a time it holds one, and it is not sent the pages it would drop anyway (those
without `data-pagefind-body`): a third less memory than the crawl, the same
index. Pages go in sorted by path, so the index does not depend on the order
the file system lists a folder in.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import selectors
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from portal import write
from portal.messages import _
from portal.problems import Problems

OUTPUT_SUBDIR = "pagefind"  # the search page's script loads <base>/pagefind/pagefind.js
TIMEOUT = 300  # seconds: Pagefind takes a few for 5,000 pages; far more means it hangs
STOP_CHECK = 0.02  # seconds between looks at `stop` while Pagefind runs
MARK = "data-pagefind-body"  # Pagefind indexes only the pages that have it, when any page has it
WINDOW = 8  # pages sent ahead of Pagefind's answers: it parses one while the next arrives
LANG = re.compile(r"<html\b[^>]*?\slang=[\"']?([^\"'\s>]+)", re.IGNORECASE)


class Page:
    """A written page as Pagefind is given it: the URL its crawl would give, the file, the language."""

    __slots__ = ("url", "path", "lang")

    def __init__(self, url: str, path: Path, lang: str):
        self.url, self.path, self.lang = url, path, lang


def index(site: Path, problems: Problems, into: Path | None = None, stop: threading.Event | None = None) -> None:
    """Write the search index of the site in `site` into `site/pagefind/` (or `into`).

    When `stop` is set while Pagefind runs, Pagefind is ended and nothing is reported.
    """
    into = into or site / OUTPUT_SUBDIR
    try:
        run = _run(languages(site, into), into, stop)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problems.error("search index", None, _("Pagefind could not run ({exc})", exc=exc))
        return
    if run is None:  # stopped
        return
    if run.returncode != 0 or not (into / "pagefind.js").is_file():
        said = (run.stderr.strip() or run.stdout.strip()).splitlines()[-3:]
        hint = (
            _(" (is the pinned 'pagefind[bin]' installed? run scripts/setup)")
            if "No module named" in run.stderr
            else ""
        )
        problems.error(
            "search index", None, _("Pagefind failed{hint}: {said}", hint=hint, said=" / ".join(said) or _("no output"))
        )
        return
    try:
        steady_filters(into)
        steady_entry(into / "pagefind-entry.json")
    except (OSError, ValueError) as exc:  # a full disk leaves Pagefind's files cut short or empty
        problems.error(
            "search index",
            None,
            _(
                "the search index Pagefind wrote in {folder} is incomplete ({exc}); is the disk full?",
                folder=into,
                exc=exc,
            ),
        )


def languages(site: Path, into: Path) -> list[list[Page]]:
    """The pages to index, one list per language, sorted by path.

    A page without `data-pagefind-body` is left out when any page has it (Pagefind
    would parse it and drop it). If a page's language cannot be read here, all go in
    one list: Pagefind then puts pages without a language with the site's main one.
    """
    pages, marked = [], []
    for path in sorted(site.rglob("*.html")):
        if path.is_relative_to(into) or path.is_relative_to(site / OUTPUT_SUBDIR):
            continue
        rel = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        found = LANG.search(text, 0, 4096)
        url = "/" + (rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)
        page = Page(url, path, found.group(1).lower() if found else "")
        pages.append(page)
        if MARK in text:
            marked.append(page)
    pages = marked or pages
    if not pages or any(not page.lang for page in pages):
        return [pages] if pages else []
    by_lang = {}
    for page in pages:
        by_lang.setdefault(page.lang, []).append(page)
    return [by_lang[lang] for lang in sorted(by_lang)]


def _run(groups: list[list[Page]], into: Path, stop: threading.Event | None) -> subprocess.CompletedProcess | None:
    """Index each group in a Pagefind process of its own, one after the other, all into
    `into`, and join the languages their entry files list. How it went (return code 1
    and Pagefind's last words if a process failed), or None if `stop` was set first."""
    command = [sys.executable, "-m", "pagefind", "--service"]  # Pagefind's Python package runs its binary
    if not groups:
        return subprocess.CompletedProcess(command, 1, "", "Pagefind was not given any HTML page to index")
    deadline = time.monotonic() + TIMEOUT
    joined = {}
    for group in groups:
        with tempfile.TemporaryFile() as stderr:
            with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr) as process:
                try:
                    said = _Service(process, deadline, stop).index(group, into)
                    if said is None:
                        process.stdin.close()  # Pagefind's service ends when its input does
                        process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except _Stopped:
                    return None
                finally:
                    process.kill()
            stderr.seek(0)
            errors = stderr.read().decode("utf-8", "replace")
        if said is not None:  # Pagefind's last words: what it printed, then what it answered
            return subprocess.CompletedProcess(command, 1, "", "\n".join(filter(None, [errors.strip(), said])))
        try:
            entry = json.loads((into / "pagefind-entry.json").read_text(encoding="utf-8"))
            found = set(entry["languages"])
        except (OSError, ValueError, KeyError, TypeError):
            return subprocess.CompletedProcess(command, 0, "", "")  # index() says what is wrong with the files
        if found & set(joined):
            return subprocess.CompletedProcess(
                command, 1, "", f"pages read as {group[0].lang!r} were indexed as {', '.join(sorted(found))}"
            )
        joined.update(entry["languages"])
    if len(groups) > 1:
        entry["languages"] = joined
        try:
            (into / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # a full disk: index() finds the entry file cut short and says so
    return subprocess.CompletedProcess(command, 0, "", "")


class _Stopped(Exception):
    pass


class _Service:
    """One Pagefind service process: messages are base64 JSON, each ending in a comma."""

    def __init__(self, process: subprocess.Popen, deadline: float, stop: threading.Event | None):
        self.process, self.deadline, self.stop = process, deadline, stop
        self.sent, self.buffer = 0, b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(process.stdout, selectors.EVENT_READ)

    def index(self, pages: list[Page], into: Path) -> str | None:
        """Index `pages` and write the index into `into`: None, or what Pagefind said went wrong."""
        try:
            self.send({"type": "NewIndex", "config": None})
            index_id = self.receive()["index_id"]
            waiting = 0
            for page in pages:
                html = page.path.read_text(encoding="utf-8", errors="replace")
                self.send(
                    {"type": "AddFile", "index_id": index_id, "file_path": None, "url": page.url, "file_contents": html}
                )
                waiting += 1
                if waiting == WINDOW:
                    self.receive()
                    waiting -= 1
            for _ in range(waiting):
                self.receive()
            self.send({"type": "WriteFiles", "index_id": index_id, "output_path": str(into)})
            self.receive()
        except _Failed as failed:
            return str(failed)
        finally:
            self.selector.close()
        return None

    def send(self, payload: dict) -> None:
        self.check()
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}).encode("utf-8")
        try:
            self.process.stdin.write(base64.b64encode(message) + b",")
            self.process.stdin.flush()
        except BrokenPipeError:
            raise _Failed(_("no output")) from None

    def receive(self) -> dict:
        while b"," not in self.buffer:
            self.check()
            if self.selector.select(STOP_CHECK):
                chunk = os.read(self.process.stdout.fileno(), 1 << 16)
                if not chunk:
                    raise _Failed(_("no output"))
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b",", 1)
        try:
            payload = json.loads(base64.b64decode(message))["payload"]
        except (ValueError, KeyError, TypeError):  # binascii.Error is a ValueError
            raise _Failed(message[:200].decode("utf-8", "replace")) from None
        if payload.get("type") == "Error":
            raise _Failed(payload.get("message", ""))
        return payload

    def check(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise _Stopped
        if time.monotonic() > self.deadline:
            raise subprocess.TimeoutExpired(self.process.args, TIMEOUT)


class _Failed(Exception):
    pass


def refresh(site: Path, problems: Problems, stop: threading.Event | None = None) -> bool:
    """Index again a site that `serve` changed in place; True if the new index is in place.

    The new index is made beside the old one and swapped in whole, so no stale
    part of the old one stays. `serve` runs this in the background after saves
    and sets `stop` when the next save comes: the old index then stays as it was.
    """
    fresh = site / ".pagefind-new"
    shutil.rmtree(fresh, ignore_errors=True)
    before = len(problems.errors)
    index(site, problems, into=fresh, stop=stop)
    done = len(problems.errors) == before and (fresh / "pagefind.js").is_file() and not (stop and stop.is_set())
    if done:
        write.swap(fresh, site / OUTPUT_SUBDIR)
    shutil.rmtree(fresh, ignore_errors=True)
    return done


def steady_entry(entry: Path) -> None:
    """Pagefind lists the languages in its entry file in a random order; sort them,
    so the same sources give byte-identical output on every build."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data["languages"].items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


SIGNATURE = b"pagefind_dcd"  # what Pagefind writes before the CBOR of each index file


def steady_filters(folder: Path) -> None:
    """Pagefind writes each filter's values, and the filters in each language's
    metadata, in a random order (hash maps; its author says filter indexes still
    change between builds), so the filter files, their names, the metadata file that
    names them and the entry file differ on every build. Sort them, name each file by
    its new bytes and rename what refers to it, so the same sources give the same
    search index. Everything is worked out before anything is written: an index laid
    out in a way this does not know (a newer Pagefind) is left exactly as it was."""
    try:
        writes, removals, entry = _steady_filters(folder)
    except (OSError, ValueError, TypeError, IndexError, KeyError):
        return
    for path in removals:
        path.unlink()
    for path, data in writes.items():
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    if entry is not None:
        (folder / "pagefind-entry.json").write_text(
            json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )


def _steady_filters(folder: Path) -> tuple[dict, list, dict | None]:
    """(files to write, with their uncompressed bytes; files to remove; the new entry)."""
    writes, removals, renamed = {}, [], {}
    for file in sorted((folder / "filter").glob("*.pf_filter")):
        data = gzip.decompress(file.read_bytes())
        if not data.startswith(SIGNATURE):
            raise ValueError(f"{file.name} is not a Pagefind index file")
        name, values = _cbor_load(data[len(SIGNATURE) :])
        steady = SIGNATURE + _cbor_dump([name, sorted(values, key=lambda entry: entry[0])])
        new = f"{file.stem.split('_', 1)[0]}_{hashlib.sha256(steady).hexdigest()[:7]}"
        removals.append(file)
        writes[file.with_name(new + ".pf_filter")] = steady
        renamed[file.stem] = new
    if not renamed:
        return {}, [], None
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    for lang in entry["languages"].values():
        meta = folder / f"pagefind.{lang['hash']}.pf_meta"
        data = gzip.decompress(meta.read_bytes())
        if not data.startswith(SIGNATURE):
            raise ValueError(f"{meta.name} is not a Pagefind index file")
        # [version, pages, index chunks, filters as [name, file], sorts, metadata fields]
        fields = _cbor_load(data[len(SIGNATURE) :])
        fields[3] = sorted([name, renamed[file]] for name, file in fields[3])
        steady = SIGNATURE + _cbor_dump(fields)
        lang["hash"] = f"{lang['hash'].split('_', 1)[0]}_{hashlib.sha256(steady).hexdigest()[:10]}"
        removals.append(meta)
        writes[folder / f"pagefind.{lang['hash']}.pf_meta"] = steady
    return writes, removals, entry


def _cbor_load(data: bytes):
    """The part of CBOR a filter file uses: unsigned integers, text and arrays."""

    def item(at):
        major, info = data[at] >> 5, data[at] & 31
        at += 1
        if info < 24:
            n = info
        elif info <= 27:
            size = 1 << (info - 24)
            n, at = int.from_bytes(data[at : at + size], "big"), at + size
        else:
            raise ValueError(f"unexpected CBOR item {data[at - 1]:#x}")
        if major == 0:
            return n, at
        if major == 3:
            return data[at : at + n].decode("utf-8"), at + n
        if major == 4:
            out = []
            for _ in range(n):
                value, at = item(at)
                out.append(value)
            return out, at
        raise ValueError(f"unexpected CBOR major type {major}")

    value, end = item(0)
    if end != len(data):
        raise ValueError("trailing bytes after the CBOR item")
    return value


def _cbor_dump(value) -> bytes:
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if n < 1 << (8 * size):
                return bytes([major << 5 | info]) + n.to_bytes(size, "big")
        raise ValueError("number too large for CBOR")

    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    return head(4, len(value)) + b"".join(_cbor_dump(v) for v in value)
