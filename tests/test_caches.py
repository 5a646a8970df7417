"""The caches that keep `serve` quick are bounded by bytes, not by a count of whole texts (issue #14)."""

from __future__ import annotations

import sys

from portal import caches
from portal.render import markup


def test_the_least_recently_used_entries_go_once_the_bytes_pass_the_bound():
    cache = caches.SizeBoundedCache(max_bytes=1000)
    cache.put("a", "A", 400)
    cache.put("b", "B", 400)
    assert cache.get("a") == "A"  # now "b" is the least recently used
    cache.put("c", "C", 400)
    assert "b" not in cache and cache.get("a") == "A" and cache.get("c") == "C"
    assert cache.bytes == 800 and len(cache) == 2


def test_many_small_entries_fit_where_one_large_one_would_not():
    cache = caches.SizeBoundedCache(max_bytes=10_000)
    for i in range(500):
        cache.put(i, i, 10)
    assert len(cache) == 500
    cache.put("big", "x", 10_001)  # larger than the whole bound: not kept, nothing else lost
    assert "big" not in cache and len(cache) == 500
    cache.put("large", "x", 9_000)
    assert "large" in cache and len(cache) == 1 + 100 and cache.bytes == 10_000


def test_putting_a_key_again_counts_its_new_size_only():
    cache = caches.SizeBoundedCache(max_bytes=100)
    cache.put("a", 1, 60)
    cache.put("a", 2, 30)
    assert cache.bytes == 30 and cache.get("a") == 2


def test_the_size_of_a_value_counts_what_is_inside_it():
    text = "å" * 10_000
    assert caches.size_of(text) >= 10_000
    assert caches.size_of((text, [text, {"k": text}])) >= 30_000
    assert caches.size_of(b"x" * 5000) >= 5000


def test_a_remembered_function_forgets_by_the_bytes_of_its_texts():
    calls = []

    @caches.bounded(max_bytes=100_000)
    def upper(text):
        calls.append(text)
        return text.upper()

    texts = [f"{i:03d}" + "x" * 20_000 for i in range(4)]  # about 40 kB an entry (text and result)
    for text in texts:
        upper(text)
    upper(texts[-1])
    assert len(calls) == 4  # the last one was remembered
    upper(texts[0])
    assert len(calls) == 5  # the first one had been forgotten: two such entries fill the bound
    assert upper.cache.bytes <= 100_000
    upper.cache_clear()
    assert len(upper.cache) == 0 and upper.cache.bytes == 0


def test_a_failure_is_not_remembered():
    calls = []

    @caches.bounded(max_bytes=1000)
    def fails(text):
        calls.append(text)
        raise ValueError(text)

    for _ in range(2):
        try:
            fails("x")
        except ValueError:
            pass
    assert calls == ["x", "x"]


def test_the_markdown_cache_is_bounded_by_bytes():
    markup.convert.cache_clear()
    page = "Text " * 2000 + "\n"
    for i in range(20):
        markup.convert(f"## {i}\n\n{page}")
    cache = markup.convert.cache
    assert len(cache) == 20 and cache.bytes >= 20 * 2 * 10_000  # the markdown and its HTML, each 10 kB
    assert cache.max_bytes < sys.maxsize
    markup.convert.cache_clear()
