"""Every rule of the size-bounded caches (portal/caches.py), one small test each, in memory: how the
size of a value is counted, which entries a cache forgets and when, what a remembered function keeps,
and the smaller bound of a build that runs once (`at_most`). A wrong rule here grows `serve`'s memory
with the site, or makes a build keep what it will never read again, so each test reads as the rule it
pins. Sizes are given by hand or computed with `sys.getsizeof`, so each test asserts the exact bytes."""

from __future__ import annotations

import sys

import pytest

from portal import caches

TEXT = "x" * 1000
NAMES = ("a", "b", "c")


def filled(max_bytes=300, size=100, keys=NAMES) -> caches.SizeBoundedCache:
    """A cache holding `keys` in that order (the first is the least recently used), `size` bytes each."""
    cache = caches.SizeBoundedCache(max_bytes)
    for key in keys:
        cache.put(key, key.upper(), size)
    return cache


def kept(cache) -> list:
    """The keys a cache holds, the least recently used first."""
    return list(cache.entries)


# --- the size of a value --------------------------------------------------------------------------


@pytest.mark.parametrize("value", [TEXT, TEXT.encode(), bytearray(TEXT.encode()), "å" * 1000])
def test_a_text_counts_in_full(value):
    assert caches.size_of(value) == sys.getsizeof(value)


@pytest.mark.parametrize("kind", [tuple, list, set, frozenset])
def test_a_tuple_list_or_set_counts_itself_and_everything_in_it(kind):
    value = kind(["a" * 100, "b" * 200])
    assert caches.size_of(value) == sys.getsizeof(value) + sys.getsizeof("a" * 100) + sys.getsizeof("b" * 200)


def test_a_dict_counts_itself_its_keys_and_its_values():
    value = {"k" * 300: "v" * 100}
    assert caches.size_of(value) == sys.getsizeof(value) + sys.getsizeof("k" * 300) + sys.getsizeof("v" * 100)


def test_what_is_inside_is_counted_at_any_depth_and_in_subclasses():
    class Mapping(dict):  # parsed YAML is a subclass of dict
        pass

    inner = Mapping({"k": ("t" * 50,)})
    value = [inner]
    expected = sys.getsizeof(value) + sys.getsizeof(inner) + sys.getsizeof("k")
    expected += sys.getsizeof(("t" * 50,)) + sys.getsizeof("t" * 50)
    assert caches.size_of(value) == expected


def test_any_other_object_counts_shallow():
    class Page:
        def __init__(self):
            self.text = TEXT

    page = Page()
    assert caches.size_of(page) == sys.getsizeof(page)
    assert caches.size_of(10**100) == sys.getsizeof(10**100)  # not the size of some other object


# --- which entries a cache keeps ------------------------------------------------------------------


def test_a_cache_starts_empty_with_its_bound():
    cache = caches.SizeBoundedCache(1234)
    assert (cache.max_bytes, cache.bytes, len(cache), kept(cache)) == (1234, 0, 0, [])


def test_a_missing_key_gives_the_default():
    cache = filled()
    assert cache.get("z") is None and cache.get("z", "none") == "none"
    assert "z" not in cache and "a" in cache


def test_a_value_that_is_none_is_found_too():
    cache = caches.SizeBoundedCache(100)
    cache.put("k", None, 10)
    assert cache.get("k", "missing") is None and "k" in cache


def test_the_entries_fill_the_bound_exactly():
    cache = filled(max_bytes=300)
    assert kept(cache) == ["a", "b", "c"] and cache.bytes == 300


def test_one_byte_past_the_bound_forgets_the_least_recently_used_entry():
    cache = filled(max_bytes=300)
    cache.put("d", "D", 1)
    assert kept(cache) == ["b", "c", "d"] and cache.bytes == 201


def test_as_many_entries_go_as_the_new_one_needs_and_no_more():
    cache = filled(max_bytes=300)
    cache.put("d", "D", 150)
    assert kept(cache) == ["c", "d"] and cache.bytes == 250


def test_reading_an_entry_makes_it_the_most_recently_used():
    cache = filled(max_bytes=300)
    assert cache.get("a") == "A"
    cache.put("d", "D", 100)
    assert kept(cache) == ["c", "a", "d"]


def test_asking_whether_an_entry_is_there_does_not_count_as_using_it():
    cache = filled(max_bytes=300)
    assert "a" in cache
    cache.put("d", "D", 100)
    assert kept(cache) == ["b", "c", "d"]


def test_an_entry_the_size_of_the_whole_bound_is_kept_alone():
    cache = filled(max_bytes=300)
    cache.put("big", "BIG", 300)
    assert kept(cache) == ["big"] and cache.bytes == 300 and cache.get("big") == "BIG"


def test_an_entry_larger_than_the_whole_bound_is_not_kept_and_nothing_else_is_lost():
    cache = filled(max_bytes=300, keys=("a", "b"))
    cache.put("big", "BIG", 301)
    assert kept(cache) == ["a", "b"] and cache.bytes == 200


def test_putting_a_key_again_counts_its_new_size_only_and_makes_it_the_most_recent():
    cache = filled(max_bytes=300)
    cache.put("a", "A2", 50)
    assert kept(cache) == ["b", "c", "a"] and cache.bytes == 250 and cache.get("a") == "A2"


def test_putting_a_key_again_too_large_to_keep_forgets_its_old_value():
    cache = filled(max_bytes=300)
    cache.put("a", "A2", 301)
    assert kept(cache) == ["b", "c"] and cache.bytes == 200 and cache.get("a") is None


def test_clearing_forgets_every_entry_and_its_bytes():
    cache = filled()
    cache.clear()
    assert (kept(cache), cache.bytes, len(cache), cache.max_bytes) == ([], 0, 0, 300)


def test_len_counts_the_entries():
    assert len(filled(keys=("a", "b"))) == 2


# --- a new bound ----------------------------------------------------------------------------------


def test_a_lower_bound_forgets_the_least_recently_used_entries_at_once():
    cache = filled(max_bytes=300)
    cache.bound(250)
    assert cache.max_bytes == 250 and kept(cache) == ["b", "c"] and cache.bytes == 200
    cache.bound(99)
    assert kept(cache) == [] and cache.bytes == 0


def test_a_bound_equal_to_what_is_held_keeps_everything():
    cache = filled(max_bytes=1000)
    cache.bound(300)
    assert kept(cache) == ["a", "b", "c"] and cache.bytes == 300


def test_the_new_bound_holds_for_the_entries_put_later():
    cache = filled(max_bytes=1000)
    cache.bound(300)
    cache.put("d", "D", 100)
    assert kept(cache) == ["b", "c", "d"] and cache.bytes == 300
    cache.bound(1000)
    cache.put("e", "E", 100)
    assert kept(cache) == ["b", "c", "d", "e"] and cache.bytes == 400


# --- a remembered function ------------------------------------------------------------------------


def remembered(max_bytes=1_000_000, size=None, fn=None):
    """A function remembered by `bounded`, with the list of the calls that ran it."""
    calls = []

    def upper(*args):
        calls.append(args)
        return fn(*args) if fn else "".join(args).upper()

    return caches.bounded(max_bytes, size)(upper), calls


def test_a_function_runs_once_for_the_same_arguments():
    upper, calls = remembered()
    assert upper("ab") == "AB" and upper("ab") == "AB" and upper("cd") == "CD" and upper("ab") == "AB"
    assert calls == [("ab",), ("cd",)]


def test_an_entry_counts_its_arguments_and_its_result():
    upper, _ = remembered()
    upper(TEXT, "y")
    assert upper.cache.bytes == caches.size_of((TEXT, "y")) + caches.size_of(TEXT.upper() + "Y")


def test_a_result_that_is_one_of_the_arguments_is_not_counted_twice():
    same, _ = remembered(fn=lambda text: text)
    same(TEXT)
    assert same.cache.bytes == caches.size_of((TEXT,))


def test_a_result_equal_to_an_argument_but_not_the_same_object_is_counted():
    copy, _ = remembered(fn=lambda text: "".join(list(text)))
    copy(TEXT)
    assert copy.cache.bytes == caches.size_of((TEXT,)) + caches.size_of(TEXT)


def test_a_size_function_when_given_decides_the_size():
    upper, _ = remembered(size=lambda args, result: len(args[0]) + 2 * len(result))
    upper("abc")
    assert upper.cache.bytes == 9


def test_a_remembered_function_forgets_beyond_its_bound():
    upper, calls = remembered(max_bytes=200, size=lambda args, result: 100)
    for text in ("a", "b", "c", "a"):
        upper(text)
    assert calls == [("a",), ("b",), ("c",), ("a",)] and kept(upper.cache) == [("c",), ("a",)]


def test_a_failure_is_not_remembered():
    def fails(text):
        raise ValueError(text)

    failing, calls = remembered(fn=fails)
    for _ in range(2):
        with pytest.raises(ValueError):
            failing("x")
    assert calls == [("x",), ("x",)] and len(failing.cache) == 0


def test_a_remembered_function_keeps_its_name_and_can_be_cleared():
    upper, calls = remembered()
    upper("a")
    assert upper.__name__ == "upper" and upper.cache.max_bytes == 1_000_000
    upper.cache_clear()
    assert len(upper.cache) == 0 and upper.cache.bytes == 0
    upper("a")
    assert calls == [("a",), ("a",)]


def test_each_remembered_function_has_a_cache_of_its_own():
    first, _ = remembered()
    second, _ = remembered()
    first("a")
    assert first.cache is not second.cache and len(second.cache) == 0


# --- a build that runs once: at_most --------------------------------------------------------------


def test_while_a_build_runs_once_every_cache_keeps_at_most_the_smaller_bound_then_its_own_again():
    upper, _ = remembered(max_bytes=300, size=lambda args, result: 100)
    small, _ = remembered(max_bytes=50, size=lambda args, result: 10)
    for text in NAMES:
        upper(text)
    with caches.at_most(200):
        assert upper.cache.max_bytes == 200 and kept(upper.cache) == [("b",), ("c",)]
        assert small.cache.max_bytes == 50  # its own bound is smaller still
        upper("d")
        assert kept(upper.cache) == [("c",), ("d",)]
    assert upper.cache.max_bytes == 300 and small.cache.max_bytes == 50
    assert kept(upper.cache) == [("c",), ("d",)]  # what went is not brought back


def test_a_cache_gets_its_own_bound_back_when_the_build_fails():
    upper, _ = remembered(max_bytes=300)
    with pytest.raises(RuntimeError), caches.at_most(10):
        assert upper.cache.max_bytes == 10
        raise RuntimeError
    assert upper.cache.max_bytes == 300
