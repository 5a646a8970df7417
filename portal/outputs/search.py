"""The search index: Pagefind run over the fully written site, one language at a time.

Pagefind reads the HTML the build wrote and writes `pagefind/` beside it: a
static index split by `<html lang>`, so each language's search page finds only
that language's pages. Only what a template marks `data-pagefind-body` (the
main content) is indexed, not menus and footers. It runs on the temporary
folder before the swap (see `write.write`), so a failed index leaves the
previous site as it was. This is the only module that knows about Pagefind.

How it is fed (bench/RESULTS.md, "Pagefind: how it is fed"): Pagefind keeps
every page it parsed until it has written the index, and a second copy of each
language's pages while it builds that language; a crawl of the whole site holds
both languages at once. So each language is indexed by a Pagefind process of its
own, one after the other, all writing into the same folder: each crawls a folder
of hard links to that language's pages, and only those that mark their content
(Pagefind would parse the others and drop them). The index is the same, its
languages listed in one entry file; the peak is about a third lower. (Its
service, which its Python API drives, holds the same; and it answers that the
index is written before its last files are, so ending it then cuts them short.)

A build with a cache (pipeline.index_search) reuses the published index whole when
every page Pagefind reads is as it was (`reuse`), and else each language's part of it
whose pages are (`reusable`): its files are named for that language and made from
its pages alone, so linking them gives what Pagefind would write again. Pagefind
then runs for the other languages only: an edit in Swedish re-indexes Swedish.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import os
import re
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
VIEW_PREFIX = ".pagefind-"  # hard links to one language's pages, inside the site while Pagefind runs
TIMEOUT = 300  # seconds for one Pagefind run: it takes a few for 5,000 pages; far more means it hangs
STOP_CHECK = 0.02  # seconds between looks at `stop` while Pagefind runs
MARK = "data-pagefind-body"  # Pagefind indexes only the pages that have it, when any page has it
LANG = re.compile(r"<html\b[^>]*?\slang=[\"']?([^\"'\s>]+)", re.IGNORECASE)


def index(
    site: Path,
    problems: Problems,
    into: Path | None = None,
    stop: threading.Event | None = None,
    keep: dict | None = None,
) -> None:
    """Write the search index of the site in `site` into `site/pagefind/` (or `into`).

    When `stop` is set while Pagefind runs, Pagefind is ended and nothing is reported.
    `keep` (from `reusable`): languages whose index is taken from the published one, not made again.
    """
    into = into or site / OUTPUT_SUBDIR
    try:
        run = _by_language(site, into, stop, keep or {})
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


def fingerprint(site: Path) -> dict:
    """What the index of the site in `site` is made from: for each language (its code; "" when
    one crawl indexes every page, see `languages`), a digest of the pages Pagefind reads, each
    with its bytes' digest, and of the Pagefind that reads them. One fingerprint, one index."""
    tool = json.dumps([_command(Path("site"), Path("into")), _pagefind_version()]).encode("utf-8")
    made_from = {}
    digests = {}  # each page read once, for its language and its digest
    for lang, group in _groups(site, site / OUTPUT_SUBDIR, digests):
        sha = hashlib.sha256(tool)
        for rel in group:
            sha.update(rel.encode("utf-8") + b"\x00" + digests[rel])
        made_from[lang] = sha.hexdigest()
    return made_from


def _pagefind_version() -> str:
    """The versions of Pagefind's Python package and of the binary it runs, which writes the
    index (pagefind_bin): either can be upgraded alone."""
    found = []
    for name in ("pagefind", "pagefind_bin"):
        try:
            found.append(importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            found.append("?")
    return " ".join(found)


def reuse(previous: Path, state: Path, made_from: dict, into: Path) -> bool:
    """Put the index of the site published in `previous` into `into` (hard links), if `state`
    (written by `remember`) says it was made from the same pages, `made_from`, and its files
    are still those it describes; else nothing, and False. A warm build whose pages are all as
    they were then skips Pagefind, the slowest part of it."""
    try:
        saved = json.loads(state.read_text(encoding="utf-8"))
        old = previous.resolve() / OUTPUT_SUBDIR
        if saved["made_from"] != made_from or saved["folder"] != str(old):
            return False
        files = {rel: tuple(stat) for rel, stat in saved["files"].items()}
        there = {p.relative_to(old).as_posix(): p for p in old.rglob("*") if p.is_file()}
        if not files or there.keys() != files.keys():
            return False
        for rel, path in there.items():
            st = path.stat()
            if (st.st_size, st.st_mtime_ns) != files[rel]:
                return False  # changed since (by hand?): not trusted
        for rel, path in sorted(there.items()):
            (into / rel).parent.mkdir(parents=True, exist_ok=True)
            _link(path, into / rel)
        return True
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        shutil.rmtree(into, ignore_errors=True)
        return False


def reusable(previous: Path, state: Path, made_from: dict) -> dict:
    """The languages whose pages are those the index published in `previous` was made from
    (`state`, written by `remember`), and whose files in it are still those it describes:
    lang -> (that index's folder, the language's files in it, its entry). A warm build after
    an edit in one language runs Pagefind for that language alone."""
    try:
        saved = json.loads(state.read_text(encoding="utf-8"))
        old = previous.resolve() / OUTPUT_SUBDIR
        if saved["folder"] != str(old) or type(saved["made_from"]) is not dict:
            return {}
        entry = json.loads((old / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
        found = {}
        for lang, digest in made_from.items():
            if not lang or saved["made_from"].get(lang) != digest or lang not in entry:
                continue
            files = {rel: stat for rel, stat in saved["files"].items() if _of_language(rel, lang)}
            if files and all(_same_file(old / rel, stat) for rel, stat in files.items()):
                found[lang] = (old, sorted(files), entry[lang])
        return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _of_language(rel: str, lang: str) -> bool:
    """Whether a file of a Pagefind index belongs to one language's part of it (the rest, its
    scripts and the entry file, is the same for all)."""
    name = rel.rsplit("/", 1)[-1]
    if "/" in rel:  # index/, fragment/, filter/: <lang>_<hash>.pf_…
        return name.startswith(lang + "_")
    return name.startswith(f"pagefind.{lang}_") or name == f"wasm.{lang}.pagefind"


def _same_file(path: Path, stat) -> bool:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns] == list(stat)


def remember(site: Path, state: Path, made_from: dict) -> None:
    """Describe in `state` the index published in `site`, made from `made_from`, for `reuse`."""
    folder = site.resolve() / OUTPUT_SUBDIR
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            st = path.stat()
            files[path.relative_to(folder).as_posix()] = [st.st_size, st.st_mtime_ns]
    text = json.dumps({"made_from": made_from, "folder": str(folder), "files": files})
    state.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".search-", dir=state.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, state)
    finally:
        Path(tmp).unlink(missing_ok=True)


def languages(site: Path, into: Path) -> list[list[str]]:
    """The pages to index (paths relative to `site`), one sorted list per language.

    A page without `data-pagefind-body` is left out when any page has it (Pagefind
    would parse it and drop it). If a page's language cannot be read here, all go in
    one list: Pagefind then puts pages without a language with the site's main one.
    """
    return [group for _lang, group in _groups(site, into)]


def _pages(site: Path, into: Path) -> list[str]:
    """The site's HTML files Pagefind reads, by their paths inside it, in the order of their
    Paths (part by part): not the index's own folders, nor the language views it is shown."""
    skip = {os.path.normpath(into.resolve()), os.path.normpath((site / OUTPUT_SUBDIR).resolve())}
    top = os.path.normpath(site.resolve())
    found = []
    for folder, subfolders, files in os.walk(top):
        if folder == top:
            subfolders[:] = [d for d in subfolders if not d.startswith(VIEW_PREFIX)]
        subfolders[:] = [d for d in subfolders if os.path.join(folder, d) not in skip]
        inside = os.path.relpath(folder, top)
        prefix = "" if inside == "." else inside.replace(os.sep, "/") + "/"
        found.extend(prefix + name for name in files if name.endswith(".html"))
    return sorted((rel for rel in found if not rel.startswith(VIEW_PREFIX)), key=lambda rel: rel.split("/"))


def _groups(site: Path, into: Path, digests: dict | None = None, stop=None) -> list[tuple[str, list[str]]] | None:
    """`languages`, each list with its language's code ("" for the one list of every page).
    `digests`: filled with each page's sha256 (bytes), from the one read of it. None if `stop`
    was set first (reading every page takes a second or more on a big site)."""
    pages, marked = [], []
    mark = MARK.encode("ascii")
    for rel in _pages(site, into):
        if stop is not None and stop.is_set():
            return None
        data = (site / rel).read_bytes()
        if digests is not None:
            digests[rel] = hashlib.sha256(data).digest()
        # The language is in the first 4,096 characters, which 16 KB of UTF-8 holds at least.
        found = LANG.search(data[: 4 * 4096].decode("utf-8", errors="replace"), 0, 4096)
        page = (found.group(1).lower() if found else "", rel)
        pages.append(page)
        if mark in data:  # ASCII: found in the bytes exactly where it is in the text
            marked.append(page)
    pages = marked or pages
    if not pages or any(not lang for lang, _rel in pages):
        return [("", [rel for _lang, rel in pages])] if pages else []
    by_lang = {}
    for lang, rel in pages:
        by_lang.setdefault(lang, []).append(rel)
    return [(lang, by_lang[lang]) for lang in sorted(by_lang)]


def _by_language(
    site: Path, into: Path, stop: threading.Event | None, keep: dict
) -> subprocess.CompletedProcess | None:
    """Run Pagefind once per language into `into` and list all the languages in its entry file;
    a language in `keep` is linked from the index it names instead. How the runs went (the first
    that failed), or None if `stop` was set first."""
    groups = _groups(site, into, stop=stop)
    if groups is None:  # stopped
        return None
    if len(groups) < 2:  # one language, or pages whose language is not read here: one crawl of it all
        return _run(_command(site, into), stop)
    if all(lang in keep for lang, _group in groups):  # Pagefind's own files come from one run at least
        keep = {}
    joined = {}
    for lang, group in groups:
        if lang in keep:
            old, files, kept = keep[lang]
            for rel in files:
                (into / rel).parent.mkdir(parents=True, exist_ok=True)
                _link(old / rel, into / rel)
            joined[lang] = kept
            continue
        view = Path(tempfile.mkdtemp(prefix=VIEW_PREFIX, dir=site))  # its own, should two runs meet
        try:
            for rel in group:
                (view / rel).parent.mkdir(parents=True, exist_ok=True)
                _link(site / rel, view / rel)
                if stop is not None and stop.is_set():
                    return None
            run = _run(_command(view, into), stop)
        finally:
            shutil.rmtree(view, ignore_errors=True)
        if run is None or run.returncode != 0:
            return run
        try:
            entry = json.loads((into / "pagefind-entry.json").read_text(encoding="utf-8"))
            found = set(entry["languages"])
        except (OSError, ValueError, KeyError, TypeError):
            return run  # index() says what is wrong with the files
        if found & set(joined):
            said = f"{group[0]}'s language was indexed again, as {', '.join(sorted(found))}"
            return subprocess.CompletedProcess(run.args, 1, run.stdout, said)
        joined.update(entry["languages"])
    entry["languages"] = joined
    try:
        (into / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # a full disk: index() finds the entry file cut short and says so
    return run


def _link(source: Path, target: Path) -> None:
    """A hard link: no copy of the page. A copy where the file system has none."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _command(site: Path, into: Path) -> list:
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(into)]


def _run(command: list, stop: threading.Event | None) -> subprocess.CompletedProcess | None:
    """Run Pagefind to the end (at most TIMEOUT seconds), or None if `stop` was set first."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                stdout, stderr = process.communicate(timeout=STOP_CHECK)
                return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
            except subprocess.TimeoutExpired:
                if stop is not None and stop.is_set():
                    process.kill()
                    process.communicate()
                    return None
                if time.monotonic() > deadline:
                    process.kill()
                    process.communicate()
                    raise subprocess.TimeoutExpired(command, TIMEOUT) from None


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
