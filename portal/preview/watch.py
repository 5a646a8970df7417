"""Tell the preview server, at once, that a file under the watched folders changed.

livereload's own watcher polls every 0.8 s; on Linux the kernel can tell us
instead (inotify, through ctypes: no extra package), so a save is seen within
a millisecond and an idle server costs nothing. Elsewhere a stat-based poll is
the fallback. Either way the caller gets the changed repository paths and
decides when to rebuild (`serve` waits for a burst of saves to end).
"""

from __future__ import annotations

import ctypes
import os
import struct
from pathlib import Path

# inotify(7) event bits: content written, file created, deleted or renamed.
_MODIFY, _CLOSE_WRITE, _MOVED_FROM, _MOVED_TO = 0x2, 0x8, 0x40, 0x80
_CREATE, _DELETE, _DELETE_SELF, _MOVE_SELF = 0x100, 0x200, 0x400, 0x800
_IGNORED, _ISDIR = 0x8000, 0x40000000
_MASK = _MODIFY | _CLOSE_WRITE | _MOVED_FROM | _MOVED_TO | _CREATE | _DELETE | _DELETE_SELF | _MOVE_SELF
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name


def ignored(name: str) -> bool:
    """Editor swap and backup files: the build never reads them (load skips dot files)."""
    return name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp"))


class Inotify:
    """Watches folders (and every folder below them) with Linux inotify."""

    def __init__(self, root: Path, folders):
        self.root = Path(root)
        self._libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._dirs = {}  # watch descriptor -> folder
        for folder in folders:
            if (self.root / folder).is_dir():
                self._add_tree(self.root / folder)

    def _add_tree(self, top: Path) -> None:
        for dirpath, dirnames, _ in os.walk(top):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            wd = self._libc.inotify_add_watch(self.fd, os.fsencode(dirpath), _MASK)
            if wd >= 0:
                self._dirs[wd] = Path(dirpath)

    def read(self) -> set[str]:
        """The repository paths that changed since the last call (empty if none)."""
        changed = set()
        while True:
            try:
                data = os.read(self.fd, 64 * 1024)
            except BlockingIOError:
                return changed
            offset = 0
            while offset < len(data):
                wd, mask, _, length = _EVENT.unpack_from(data, offset)
                name = (
                    data[offset + _EVENT.size : offset + _EVENT.size + length].rstrip(b"\0").decode("utf-8", "replace")
                )
                offset += _EVENT.size + length
                folder = self._dirs.get(wd)
                if mask & _IGNORED:
                    self._dirs.pop(wd, None)
                if folder is None or (name and ignored(name)):
                    continue
                path = folder / name if name else folder
                if mask & _ISDIR and mask & (_CREATE | _MOVED_TO):
                    self._add_tree(path)  # a new folder: watch it and what it holds
                changed.add(path.relative_to(self.root).as_posix())

    def close(self) -> None:
        os.close(self.fd)


class Poll:
    """The fallback where inotify is missing: compare (mtime, size) of every file."""

    def __init__(self, root: Path, folders):
        self.root, self.folders = Path(root), tuple(folders)
        self.fd = None
        self._seen = self._scan()

    def _scan(self) -> dict:
        seen = {}
        for folder in self.folders:
            for dirpath, dirnames, filenames in os.walk(self.root / folder):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    if not ignored(name):
                        path = Path(dirpath) / name
                        try:
                            st = path.stat()
                        except OSError:
                            continue
                        seen[path.relative_to(self.root).as_posix()] = (st.st_mtime_ns, st.st_size)
        return seen

    def read(self) -> set[str]:
        now = self._scan()
        changed = {p for p in now.keys() | self._seen.keys() if now.get(p) != self._seen.get(p)}
        self._seen = now
        return changed

    def close(self) -> None:
        pass


def watcher(root: Path, folders):
    """An Inotify watcher where the kernel has it, else a Poll; both have read() and fd."""
    try:
        return Inotify(root, folders)
    except (OSError, AttributeError):
        return Poll(root, folders)
