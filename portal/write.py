"""Stage 4, write: put the rendered outputs on disk, all or nothing.

The site is written into a fresh folder beside the target and swapped in only
when every file is written, so a failed or killed build leaves the previous
site exactly as it was. A folder that was not made by this tool is never
replaced: `--out content` must not wipe an editor's work.

With a build cache, the new site is made in the folder the site before the last one was
kept in (`staging(out, keep)`): only the files that differ are written, and the site the
swap replaces is kept there for the next build, instead of linking every file into a new
folder and removing the old one (25,000 system calls at 5,000 news items). A file in it is
never changed in place, only replaced: its unchanged files are the build cache's pages and
the published site's by other names.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from portal.messages import _
from portal.output import Output
from portal.problems import Problems

MARKER = ".portal-site"  # marks a folder this tool made and may replace
_TMP_PREFIX = ".portal-tmp-"


def safe_relative(path: str) -> bool:
    """True if path stays inside the output folder."""
    if not path or "\\" in path or "\x00" in path:
        return False
    p = PurePosixPath(path)
    return not p.is_absolute() and ".." not in p.parts


def clashes(outputs: list[Output], problems: Problems) -> None:
    """Two outputs on one path: an error naming both, never a silent overwrite (static/robots.txt)."""
    first = {}
    for o in outputs:
        if o.path in first:
            # Named at the editor's file (a static one) if there is one: that is what to rename.
            a, b = sorted((first[o.path], o), key=lambda x: x.copy_from is None or x.reused)
            problems.error(
                _origin(a),
                None,
                _("two files on one URL /{path}: {a} and {b}", path=o.path, a=_origin(a), b=_origin(b)),
            )
        first.setdefault(o.path, o)


def _origin(o: Output) -> str:
    return f"static/{o.path}" if o.copy_from is not None and not o.reused else f"the build's own /{o.path}"


def check_target(out: Path, problems: Problems) -> None:
    if out.exists() and not out.is_dir():
        problems.error(str(out), None, _("the output path is a file, not a folder"))
    elif out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        problems.error(
            str(out), None, _("refusing to replace this folder: it is not empty and was not made by build.py")
        )


def clean_leftovers(out: Path) -> None:
    """Remove temporary folders that a killed build left beside the output."""
    parent = out.resolve().parent
    if not parent.is_dir():
        return
    for child in parent.iterdir():
        if child.name.startswith(_TMP_PREFIX + out.name + "-"):
            shutil.rmtree(child, ignore_errors=True)


def _staging(out: Path, keep: Path | None = None):
    """The new site's folder beside `out`, for a build that writes its pages as they are rendered
    (`put`) before `write` adds the rest and swaps it in; removed when the block ends, swapped or
    not (after a swap it holds the old site). None when `out` would be refused or cannot be
    made: `write` says why.

    `keep` (a folder in .cache/): the folder is `keep`, the site before the last one if it
    is there, and stays when the block ends, holding the site the swap replaced (or, after a
    failed build, what it was made into). Not when another build is using it, or it is on
    another disk than `out` (a swap is a rename): then a new folder as above."""
    out = Path(out)
    if _refused(out):
        yield None
        return
    if keep is not None:
        with _kept(out, Path(keep)) as folder:
            if folder is not None:
                yield folder
                return
    try:
        out.resolve().parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(out)
        tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{out.name}-", dir=out.resolve().parent))
    except OSError:  # write tries again, without streaming, and says why it cannot
        yield None
        return
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _keep_folder(out: Path, keep: Path):
    """`keep`, made if missing and locked against another build for the block; None if it
    cannot be used."""
    try:
        keep.parent.mkdir(parents=True, exist_ok=True)
        out.resolve().parent.mkdir(parents=True, exist_ok=True)
        if os.stat(keep.parent).st_dev != os.stat(out.resolve().parent).st_dev:
            yield None
            return
        lock = os.open(keep.parent / (keep.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield None
        return
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if keep.is_symlink() or (keep.exists() and not _plain(keep)):
                # Only what a build makes, folders and files: through a link (a cache restored
                # from elsewhere is not trusted) a build would write, and remove, outside it.
                _remove(keep)
            if not keep.exists():
                keep.mkdir()
        except OSError:
            yield None
            return
        yield keep
    finally:
        os.close(lock)  # and with it the lock


# Plain generators made context managers here, not decorated where they are defined: the mutation
# tool (docs/mutation.md) makes no mutants of a decorated function, and these two hold the rules of
# the swap's new folder and of the site kept for the next build.
staging = contextlib.contextmanager(_staging)
_kept = contextlib.contextmanager(_keep_folder)


def _plain(folder: Path) -> bool:
    """Nothing under `folder` but folders and files: no link, no device, no socket."""
    folders = [folder]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    return False
                if entry.is_dir():
                    folders.append(entry.path)
                elif not entry.is_file():
                    return False
    return True


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink()
    else:
        shutil.rmtree(path)


def _refused(out: Path) -> bool:
    problems = Problems()
    check_target(out, problems)
    return bool(problems.errors)


def put(folder: Path, output: Output) -> Output:
    """Write one output into the new folder now; what stays of it is its path (`written`).
    One whose path is refused stays whole, for `write` to report."""
    if not safe_relative(output.path):
        return output
    target = folder / output.path
    _clear_way(folder, output.path)
    target.write_bytes(output.data)
    return Output(output.path, written=True)


def _clear_way(folder: Path, path: str) -> None:
    """Make room for a new file at `path`: its folders made, and whatever a kept site has there
    removed (a file is replaced, never written into: it may be the build cache's page)."""
    target = folder / path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # a kept site's file where a folder must be
        parent = folder
        for part in PurePosixPath(path).parts[:-1]:
            parent = parent / part
            if parent.is_symlink() or (parent.exists() and not parent.is_dir()):
                parent.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        target.unlink()
    except FileNotFoundError:
        pass
    except IsADirectoryError:  # a kept site's folder where this file goes
        shutil.rmtree(target)


def write(
    outputs: list[Output],
    out: Path,
    problems: Problems,
    finish: Callable[[Path], None] | None = None,
    folder: Path | None = None,
) -> None:
    """Write `outputs` and swap them in. `finish(folder)` may add files made from the
    written site (the search index) before the swap; if it reports an error, nothing is swapped.
    `folder`: the `staging` folder the outputs marked `written` are in already."""
    out = Path(out)
    check_target(out, problems)
    for o in outputs:
        if not safe_relative(o.path):
            problems.error(o.path, None, _("would be written outside the output folder; refused"))
    if problems.errors:
        return
    if folder is not None:
        _fill(folder, outputs, out, problems, finish)
        return
    out.resolve().parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{out.name}-", dir=out.resolve().parent))
    except OSError as exc:
        problems.error(shown(out), None, _("{reason}; nothing was written", reason=reason(exc)))
        return
    try:
        _fill(tmp, outputs, out, problems, finish)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # after a swap this holds the old site


def _fill(tmp: Path, outputs: list[Output], out: Path, problems: Problems, finish) -> None:
    o = None
    kept = not tmp.name.startswith(_TMP_PREFIX)  # staging's `keep`, an earlier site: only what differs
    base = str(tmp)
    try:
        for o in outputs:
            if o.written:
                continue
            # Thousands of pages a kept site has already: a path made as text, not a Path, for each.
            if kept and _same(f"{base}/{o.path}", o):
                continue
            target = tmp / o.path
            _clear_way(tmp, o.path)
            if o.data is not None:
                target.write_bytes(o.data)
            elif o.reused:
                _link(o.copy_from, target)
            else:
                shutil.copyfile(o.copy_from, target)
        o = None
        if kept:
            _remove_others(tmp, {o.path for o in outputs})
        (tmp / MARKER).unlink(missing_ok=True)
        (tmp / MARKER).write_text("made by build.py; the next build replaces this folder\n")
    except OSError as exc:  # a full disk, a folder it may not write to: said plainly, the old site kept
        problems.error(shown(out), None, not_written(exc, o.path if o is not None else MARKER))
        return
    if finish is not None:
        finish(tmp)
        if problems.errors:
            return
    try:
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a web server must read it
        swap(tmp, out.resolve())
    except OSError as exc:
        problems.error(
            shown(out),
            None,
            _("{reason} (putting the new site in place); the previous site is as it was", reason=reason(exc)),
        )


def _same(target: str, o: Output) -> bool:
    """The kept site's file at `target` is already `o`: the cache's very page (one file by two
    names), or the same bytes."""
    try:
        st = os.lstat(target)
        if o.reused:
            return os.path.samestat(st, os.stat(o.copy_from))
        if not stat.S_ISREG(st.st_mode):
            return False
        data = o.data
        size = len(data) if data is not None else os.stat(o.copy_from).st_size
        if st.st_size != size:
            return False
        return Path(target).read_bytes() == (data if data is not None else o.copy_from.read_bytes())
    except OSError:
        return False


def _remove_others(folder: Path, wanted: set) -> None:
    """Remove from a kept site every file the new one does not have (its search index among
    them: it is made again or linked anew), and the folders that leaves empty."""
    start = len(str(folder)) + 1
    left = {}  # folder -> how many entries it keeps
    order = []  # the folders, each before those inside it
    folders = [str(folder)]
    while folders:
        directory = folders.pop()
        order.append(directory)
        name = directory[start:]
        left[directory] = 0
        # scandir's entries know their kind: no call to the system per entry, as os.walk's
        # islink of each subfolder was (12,700 folders at 5,000 news items, a page in each).
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    left[directory] += 1
                    continue
                rel = f"{name}/{entry.name}" if name else entry.name
                if rel in wanted or rel == MARKER:
                    left[directory] += 1
                else:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
    for directory in reversed(order[1:]):  # each folder before the one it is in
        if left[directory] == 0:
            with contextlib.suppress(OSError):  # a page written since the walk: not empty after all
                os.rmdir(directory)
                left[os.path.dirname(directory)] -= 1


def not_written(exc: OSError, path: str) -> str:
    """The message for a file of the new site that could not be written."""
    return _("{reason} (writing {file}); the previous site is as it was", reason=reason(exc), file=path)


def shown(out: Path) -> str:
    """The output folder as the person building would name it: relative to where they are, if inside."""
    try:
        return Path(out).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(out)


def reason(exc: OSError) -> str:
    """What the system said, in a sentence's words: "no space left on device"."""
    said = exc.strerror or str(exc)
    return said[:1].lower() + said[1:]


def _link(stored: Path, target: Path) -> None:
    """A page kept by the build cache: the stored file itself, by a second name (no copy),
    or a copy where the two folders are on different disks."""
    try:
        os.link(stored, target)
    except OSError:
        shutil.copyfile(stored, target)


_RENAME_EXCHANGE = 2


def swap(new: Path, out: Path) -> None:
    """Make `new` the output folder in one step; `new` then holds the old one."""
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        return
    # No atomic exchange here (not Linux): two renames, with a tiny window.
    old = new.with_name(new.name + "-old")
    os.rename(out, old)
    os.rename(new, out)
    os.rename(old, new)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def update(out: Path, changed: dict, removed: list, problems: Problems) -> None:
    """Change a site written before, file by file: `changed` maps path -> bytes.

    Each file is written beside its target and renamed over it, so no file is
    ever half-written. The caller (`serve`) holds its lock meanwhile, so no
    request sees some files new and others old.
    """
    out = Path(out)
    if not (out / MARKER).exists():
        problems.error(str(out), None, _("the output folder was not made by build.py; refusing to update it"))
        return
    for path in [*changed, *removed]:
        if not safe_relative(path):
            problems.error(path, None, _("would be written outside the output folder; refused"))
            return
    try:
        for path, data in sorted(changed.items()):
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(prefix=".portal-part-", dir=target.parent)
            try:
                with os.fdopen(handle, "wb") as f:
                    f.write(data)
                os.chmod(tmp, 0o644)  # mkstemp makes it private; a web server must read it
                os.replace(tmp, target)
            except OSError:
                Path(tmp).unlink(missing_ok=True)  # a full disk leaves no half-written part behind
                raise
        for path in removed:
            (out / path).unlink(missing_ok=True)
            folder = (out / path).parent
            while folder != out and not any(folder.iterdir()):  # a full build would not have it either
                folder.rmdir()
                folder = folder.parent
    except OSError as exc:
        problems.error(
            str(out), None, _("could not update the output folder: {strerror}", strerror=exc.strerror or exc)
        )
