"""The build cache's digests (render/cache.py `digest`): two values get the same digest exactly
when they are the same, kind by kind, in any process; the order of a dict or a set does not
count, and nothing of a long value is left out."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from portal.render import cache as page_cache


@dataclass(frozen=True)
class Item:
    title: str
    when: object


class Kind(enum.Enum):
    NEWS = "news"
    PAGE = "page"


class Named(enum.StrEnum):  # an enum that is also a text: digested as the enum it is
    A = "a"


def same(a, b) -> bool:
    """Equal, and of the same kind all the way down (1, 1.0 and True are three values here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, Item):
        return same(a.title, b.title) and same(a.when, b.when)
    return a == b


SCALARS = st.one_of(
    st.text(alphabet="abå1s:;", max_size=6),  # texts that look like the canonical form itself
    st.sampled_from([0, 1, 2]),
    st.sampled_from([0.0, 1.0, 1.5]),
    st.booleans(),
    st.none(),
    st.sampled_from([dt.date(2020, 1, 1), dt.date(2020, 1, 2)]),
    st.sampled_from(list(Kind)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
        st.builds(Item, st.sampled_from(["a", "b"]), inner),
    ),
    max_leaves=12,
)


@fuzz(examples=400, seconds=60)
@given(VALUES, VALUES)
def test_two_values_get_one_digest_exactly_when_they_are_the_same(a, b):
    assert (page_cache.digest(a) == page_cache.digest(b)) == same(a, b)


@fuzz(examples=200, seconds=60)
@given(VALUES)
def test_a_value_digested_inside_another_site_value_is_named_the_same(value):
    # `nested` names a dataclass or a long tuple met inside a value by its digest, once per site.
    assert page_cache.digest(value, {}) == page_cache.digest(value, {})
    assert page_cache.digest((value,) * 20, {}) != page_cache.digest((value,) * 21, {})


def test_order_of_a_dict_or_a_set_does_not_count():
    assert page_cache.digest({"b": 1, "a": {3, 2, 1}}) == page_cache.digest({"a": frozenset({1, 2, 3}), "b": 1})
    assert page_cache.digest((1, "1")) != page_cache.digest(("1", 1))
    assert page_cache.digest(dt.date(2020, 1, 1)) != page_cache.digest("2020-01-01")


def test_a_value_with_no_canonical_form_is_refused():
    with pytest.raises(page_cache.Undigestible):
        page_cache.digest(object())
    with pytest.raises(page_cache.Undigestible):
        page_cache.digest([Item("a", object())])


def test_a_long_value_counts_to_its_last_part():
    # Hashed a few thousand parts at a time: a difference anywhere in 30,000 parts still shows.
    texts = [f"t{i}" for i in range(10_000)]
    digests = set()
    for where in (0, 4095, 4096, 5000, 9999):
        changed = list(texts)
        changed[where] = "other"
        digests.add(page_cache.digest(changed))
        digests.add(page_cache.digest([Item(t, i) for i, t in enumerate(changed)]))
    assert len(digests) == 10 and page_cache.digest(texts) not in digests


def test_an_enum_that_is_a_text_is_digested_as_the_enum():
    assert page_cache.digest(Named.A) != page_cache.digest("a")
    assert page_cache.digest([Named.A]) != page_cache.digest(["a"])


@fuzz(examples=200, seconds=60)
@given(st.lists(st.text(alphabet="ab;:s1", max_size=4), min_size=2, max_size=4))
def test_texts_cut_at_other_places_are_other_values(texts):
    # However a text is written (even like the digest's own form), it cannot pass for several.
    for joiner in (";", ";s:", ";s1:", ""):
        joined = [joiner.join(texts)]
        assert page_cache.digest(texts) != page_cache.digest(joined)
        assert page_cache.digest(tuple(texts)) != page_cache.digest(tuple(joined))


@fuzz(examples=100, seconds=60)
@given(st.text(alphabet="ab;:s1", max_size=4), st.text(alphabet="ab;:s1", max_size=4))
def test_a_text_cannot_pass_for_two_fields(first, second):
    two = {"a": first, "b": second}
    for written in (f"{first};s1:b;s:{second}", f"{first};s1:b;s{len(second)}:{second}"):
        assert page_cache.digest(two) != page_cache.digest({"a": written})
        assert page_cache.digest(Item(first, second)) != page_cache.digest(Item(written, None))
