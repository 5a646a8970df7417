"""Caches bounded by the bytes they hold, not by how many whole texts they hold.

A function remembered by its inputs (a page's markdown, a rendered page's bytes)
keeps `serve` quick: after a save, most of thousands of files have not changed.
A count of entries says nothing about memory when one entry is a 200-byte note
and the next a 1 MB page, so each cache here is given a number of bytes and
forgets its least recently used entries beyond it.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from collections import OrderedDict

MB = 1024 * 1024


def size_of(value) -> int:
    """An estimate of the bytes `value` holds: strings and bytes in full, lists, tuples, sets and
    dicts (and their subclasses, such as parsed YAML) with everything in them, other objects shallow."""
    if isinstance(value, (str, bytes, bytearray)):
        return sys.getsizeof(value)
    if isinstance(value, (tuple, list, set, frozenset)):
        return sys.getsizeof(value) + sum(size_of(item) for item in value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(size_of(k) + size_of(v) for k, v in value.items())
    return sys.getsizeof(value)


class SizeBoundedCache:
    """Least recently used entries go first, once the sizes of keys and values pass `max_bytes`.

    An entry larger than the whole bound is not kept. Safe to use from several threads
    (`serve` renders in one thread while its server answers in another).
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries = OrderedDict()  # key -> (value, size)
        self.lock = threading.Lock()

    def get(self, key, default=None):
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return default
            self.entries.move_to_end(key)
            return found[0]

    def __contains__(self, key) -> bool:
        with self.lock:
            return key in self.entries

    def put(self, key, value, size: int) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            if size > self.max_bytes:
                return
            self.entries[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.bytes -= dropped

    def bound(self, max_bytes: int) -> None:
        """Keep at most `max_bytes` from now on (the least recently used entries beyond it go now)."""
        with self.lock:
            self.max_bytes = max_bytes
            while self.bytes > self.max_bytes:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.bytes -= dropped

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self.entries)


_MISSING = object()
_EVERY = []  # each cache `bounded` made


@contextlib.contextmanager
def at_most(max_bytes: int):
    """Each cache keeps at most `max_bytes` while the block runs, then its own bound again.

    For a build that runs once (`build.py build`, `check`): it reads each text once, so what
    the caches would keep is for a rebuild that never comes (`serve`'s), and holding it
    would grow the build's memory with the site (64 MB a cache)."""
    bounds = [(cache, cache.max_bytes) for cache in _EVERY]
    for cache, own in bounds:
        cache.bound(min(own, max_bytes))
    try:
        yield
    finally:
        for cache, own in bounds:
            cache.bound(own)


def _size(args: tuple, value) -> int:
    return size_of(args) + (0 if any(value is arg for arg in args) else size_of(value))


def bounded(max_bytes: int, size=None):
    """Remember a function's results by its (hashable, positional) arguments in a SizeBoundedCache.

    An entry's size is `size(args, result)` if given, else that of its arguments and its
    result (`size_of`; a result that is one of the arguments is not counted twice).
    Exceptions are not remembered. The function gets `.cache` and `.cache_clear()`."""

    def decorate(fn):
        cache = SizeBoundedCache(max_bytes)
        _EVERY.append(cache)

        @functools.wraps(fn)
        def remembered(*args):
            value = cache.get(args, _MISSING)
            if value is _MISSING:
                value = fn(*args)
                cache.put(args, value, size(args, value) if size else _size(args, value))
            return value

        remembered.cache = cache
        remembered.cache_clear = cache.clear
        return remembered

    return decorate
