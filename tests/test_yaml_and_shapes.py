"""Load stage: YAML that remembers its lines, and the declared shapes of values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.load import shape as s
from portal.load.yamlnodes import YamlError, parse
from portal.problems import Problems


def convert(text, shp):
    problems = Problems()
    value = shp.convert(parse(text), s.Ctx("x.yaml", problems), "file")
    return value, [str(p) for p in problems.items]


def test_values_remember_their_lines():
    node = parse("a: 1\nb:\n  c: text\n")
    assert node.line_of("b") == 2 and node["b"]["c"].line == 3


def test_duplicate_keys_are_an_error():
    with pytest.raises(YamlError, match="duplicate key 'a' \\(first at line 1\\)"):
        parse("a: 1\na: 2\n")


def test_aliases_are_refused():
    with pytest.raises(YamlError, match="anchors and aliases"):
        parse("a: &x [1, 2]\nb: *x\n")


@pytest.mark.parametrize("text", ["a: 1\nb: &x 2\n", "a: 1\nb: &x [1, 2]\n", "a: 1\nb: &x {c: 1}\n"])
def test_an_anchor_alone_is_refused_at_its_line(text):
    with pytest.raises(YamlError, match="anchors and aliases") as refused:
        parse(text)
    assert refused.value.line == 2


def test_yaml_1_1_surprises_stay_text():
    value, problems = convert("code: NO\nversion: 1.10\n", s.Fields(code=s.Text(), version=s.Number()))
    assert value["code"] == "NO" and value["version"] == Decimal("1.10") and problems == []


def test_numbers_are_exact_decimals():
    value, _ = convert("v: 1.135\n", s.Fields(v=s.Number()))
    assert value["v"] == Decimal("1.135")


def test_decimal_comma_gets_a_hint():
    _, problems = convert("v: 4,7\n", s.Fields(v=s.Number()))
    assert problems == ["x.yaml:1: 'v' should be a number, not '4,7' (write decimals with a point: 4.7)"]


def test_dates_must_be_real():
    value, problems = convert("d: 2019-09-26\n", s.Fields(d=s.Date()))
    assert value["d"] == dt.date(2019, 9, 26) and problems == []
    _, problems = convert("d: 2019-02-30\n", s.Fields(d=s.Date()))
    assert problems == ["x.yaml:1: 'd' is '2019-02-30', which is not a real date"]


def test_unknown_and_missing_keys_are_both_reported():
    _, problems = convert("titel: x\n", s.Fields(title=s.Text()))
    assert "x.yaml:1: unknown key 'titel' in 'file' (known keys: title)" in problems
    assert "x.yaml:1: 'file' is missing the required key 'title'" in problems


@pytest.mark.parametrize("slug", ["../etc", "/abs", "a\\\\b", "a/b", "Stora", "a b"])
def test_slugs_cannot_escape(slug):
    _, problems = convert(f'slug: "{slug}"\n', s.Fields(slug=s.Slug()))
    assert problems and "slug is lower-case letters" in problems[0]


def test_per_language_text_needs_every_language():
    _, problems = convert("name:\n  sv: Hej\n", s.Fields(name=s.PerLanguage(("sv", "en"))))
    assert problems == ["x.yaml:2: 'name' has no text in 'en'"]
