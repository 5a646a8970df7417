"""Every rule of the declared shapes (portal/shape.py, portal/yamlnodes.py), one small test each.

Each test converts a few lines of YAML and asserts the exact `path:line: message`, so
deleting or bending the rule makes it fail (see docs/mutation.md). The null rules run
with both YAML loaders: libyaml's CSafeLoader marks a plain scalar with the style '',
the pure-Python loader with None, and both must mean "plain".
"""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest
import yaml

from portal.load import shape as s
from portal.load import sources as load
from portal.load import strings, yamlnodes
from portal.model import site as model
from portal.problems import Problems

LOADERS = [pytest.param(yaml.CSafeLoader, id="libyaml"), pytest.param(yaml.SafeLoader, id="pure")]


@pytest.fixture(params=LOADERS)
def loader(request, monkeypatch):
    monkeypatch.setattr(yamlnodes, "_Loader", request.param)
    return request.param


def convert(text, shp, name="file"):
    problems = Problems()
    value = shp.convert(yamlnodes.parse(text), s.Ctx("x.yaml", problems), name)
    return value, [str(p) for p in problems.items]


def one(text, shp):
    """The value (or the problems) of `v: shp` in `text`; a line `a: …` may stand before it."""
    value, problems = convert(text, s.Fields(a=s.Field(s.Text(), required=False), v=shp))
    assert (value is s.INVALID) == bool(problems)
    return value["v"] if problems == [] else problems


# --- null, empty and whitespace in required text: with either loader -------------------------

NULLS = [
    ("~", "'title' should be text, not '~', which YAML reads as no value"),
    ("null", "'title' should be text, not 'null', which YAML reads as no value"),
    ("Null", "'title' should be text, not 'Null', which YAML reads as no value"),
    ("NULL", "'title' should be text, not 'NULL', which YAML reads as no value"),
    ("", "'title' should be text, not an empty value"),
    ('""', "'title' is empty"),
    ("''", "'title' is empty"),
    ('"   "', "'title' is empty"),
    ('"\\t"', "'title' is empty"),
]


@pytest.mark.parametrize("value, message", NULLS)
def test_a_null_or_empty_title_in_front_matter_is_an_error_at_its_line(loader, value, message):
    problems = Problems()
    front, _, _ = load.split_front_matter(
        "content/pages/a.sv.md", f"---\nupdated: 2026-01-01\ntitle: {value}\n---\nText\n", problems
    )
    assert (
        s.convert(front, model._page_shape("pages"), s.Ctx("content/pages/a.sv.md", problems), "front matter")
        is s.INVALID
    )
    assert [str(p) for p in problems.items] == [f"content/pages/a.sv.md:3: {message}"]


@pytest.mark.parametrize("value, message", NULLS)
def test_a_null_or_empty_title_in_a_data_file_is_an_error_at_its_line(tmp_path, loader, value, message):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/languages.yaml").write_text(f"- code: sv\n  name: Svenska\n  locale: sv\n  title: {value}\n")
    problems = Problems()
    node = load.read_yaml(tmp_path, tmp_path / "data/languages.yaml", problems)
    assert s.convert(node, model.LANGUAGES_SHAPE, s.Ctx("data/languages.yaml", problems)) is s.INVALID
    assert [str(p) for p in problems.items] == [f"data/languages.yaml:4: {message}"]


@pytest.mark.parametrize("value", ["~", "null", "", "'  '"])
def test_a_null_or_empty_interface_string_is_an_error_at_its_line(loader, value):
    problems, out = Problems(), {}
    strings.flatten(
        yamlnodes.parse(f"nav:\n  home: Hem\n  news: {value}\n"), "", s.Ctx("data/i18n/sv.yaml", problems), out
    )
    assert out == {"nav.home": ("Hem", 2)}
    assert [str(p) for p in problems.items] == ["data/i18n/sv.yaml:3: string 'nav.news' should be text"]


@pytest.mark.parametrize("text", ["v: ~\n", "v: null\n", "v:\n"])
def test_null_in_an_optional_field_takes_the_default(loader, text):
    value, problems = convert(text, s.Fields(v=s.Field(s.Bool(), required=False, default=False)))
    assert problems == [] and value["v"] is False


def test_a_quoted_null_is_text(loader):
    assert one('v: "~"\n', s.Text()) == "~"
    assert one("v: 'null'\n", s.Text()) == "null"


def test_a_block_scalar_is_not_plain(loader):
    node = yamlnodes.parse("v: |\n  x\n")
    assert node["v"].plain is False and one("v: |\n  x\n", s.Text()) == "x"


def test_plain_scalars_are_plain_with_either_loader(loader):
    node = yamlnodes.parse("a: ~\nb:\n'c': 1\n")
    assert node["a"].plain and node["a"].is_null and node["b"].is_null
    assert not yamlnodes.parse("'c'\n").plain


def test_a_merge_key_is_refused_with_either_loader(loader):
    with pytest.raises(yamlnodes.YamlError, match=r"merge keys \(<<\) are not allowed") as exc:
        yamlnodes.parse("a: 1\n<<: {b: 2}\n")
    assert exc.value.line == 2


def test_a_quoted_merge_key_is_an_ordinary_key(loader):
    assert yamlnodes.parse("'<<': 1\n") == {"<<": "1"}


# --- Text ---------------------------------------------------------------------------------------


def test_text_is_stripped():
    assert one("v: '  Hej  '\n", s.Text()) == "Hej"


def test_a_two_line_title_is_refused():
    assert one('a: 1\nv: "Rad ett\\nrad två"\n', s.Text()) == ["x.yaml:2: 'v' should be a single line"]


def test_multiline_text_keeps_its_lines():
    assert one('v: "Rad ett\\nrad två"\n', s.Text(multiline=True)) == "Rad ett\nrad två"


def test_a_nul_character_is_refused():
    assert one('v: "a\\0b"\n', s.Text(multiline=True)) == ["x.yaml:1: 'v' contains a NUL character"]


def test_text_that_is_a_mapping_is_refused_at_its_line():
    assert one("a: 1\nv:\n  x: 1\n", s.Text()) == ["x.yaml:3: 'v' should be text, not a mapping (key: value)"]


def test_text_that_is_a_list_is_refused():
    assert one("v: [a]\n", s.Text()) == ["x.yaml:1: 'v' should be text, not a list"]


def test_a_pattern_must_match_the_whole_value():
    assert one("v: ab-c\n", s.Id()) == "ab-c"
    assert one("v: ab-c!\n", s.Id()) == ["x.yaml:1: 'v' is 'ab-c!': use lower-case letters a-z, digits and hyphens"]


def test_an_id_may_use_underscores_but_a_slug_may_not():
    assert one("v: a_b\n", s.Id()) == "a_b"
    assert one("v: a_b\n", s.Slug())[0].startswith("x.yaml:1: 'v' is 'a_b': a slug is lower-case")


@pytest.mark.parametrize("url", ["https://example.org/x", "http://example.org"])
def test_web_addresses_are_accepted(url):
    assert one(f"v: {url}\n", s.Url()) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x", "https://a b", 'https://x"y', "//x"])
def test_other_addresses_are_refused(url):
    assert one(f"v: '{url}'\n", s.Url()) == [
        f"x.yaml:1: 'v' is '{url}': write a full address starting with https:// or http://"
    ]


# --- Number, Date, Bool -------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [("4.7", Decimal("4.7")), ("-2", Decimal(-2)), ("1.10", Decimal("1.10"))])
def test_numbers_are_exact(text, value):
    result = one(f"v: {text}\n", s.Number())
    assert result == value and isinstance(result, Decimal) and str(result) == text


@pytest.mark.parametrize("text", ["1e3", ".5", "5.", "0x1F", "1 000", "abc"])
def test_other_numbers_are_refused(text):
    assert one(f"v: '{text}'\n", s.Number()) == [f"x.yaml:1: 'v' should be a number, not '{text}'"]


def test_a_null_number_is_refused(loader):
    assert one("a: 1\nv: ~\n", s.Number()) == [
        "x.yaml:2: 'v' should be a number, not '~', which YAML reads as no value"
    ]


def test_a_list_is_not_a_number():
    assert one("v: [1]\n", s.Number()) == ["x.yaml:1: 'v' should be a number, not a list"]


def test_a_null_date_is_refused(loader):
    assert one("a: 1\nv:\n", s.Date()) == ["x.yaml:2: 'v' should be a date (YYYY-MM-DD), not an empty value"]


@pytest.mark.parametrize("text", ["2019-9-26", "20190926", "2019-09-26x", "x2019-09-26"])
def test_a_date_is_written_yyyy_mm_dd(text):
    assert one(f"v: {text}\n", s.Date()) == [f"x.yaml:1: 'v' should be a date written YYYY-MM-DD, not '{text}'"]


def test_a_date_is_a_date():
    assert one("v: 2019-09-26\n", s.Date()) == dt.date(2019, 9, 26)


@pytest.mark.parametrize(
    "text, value", [("true", True), ("false", False), ("True", True), ("FALSE", False), ("'true'", True)]
)
def test_true_and_false_in_any_case(text, value):
    assert one(f"v: {text}\n", s.Bool()) is value


@pytest.mark.parametrize("text", ["yes", "no", "1", "on", "NO"])
def test_yaml_1_1_booleans_are_refused(text):
    assert one(f"a: 1\nv: {text}\n", s.Bool()) == [f"x.yaml:2: 'v' should be true or false, not '{text}'"]


def test_a_list_is_not_a_boolean():
    assert one("v: [true]\n", s.Bool()) == ["x.yaml:1: 'v' should be true or false, not a list"]


# --- OneOf, ListOf ------------------------------------------------------------------------------


def test_one_of_names_the_choices():
    assert one("v: host\n", s.OneOf("host", "partner")) == "host"
    assert one("v: guest\n", s.OneOf("host", "partner")) == [
        "x.yaml:1: 'v' is 'guest'; it should be one of: host, partner"
    ]


def test_one_of_reports_empty_text_once():
    assert one("v: ''\n", s.OneOf("host")) == ["x.yaml:1: 'v' is empty"]


def test_a_list_needs_its_minimum():
    assert one("a: 1\nv: []\n", s.ListOf(s.Id(), min_items=1)) == ["x.yaml:2: 'v' needs at least 1 item(s)"]
    assert one("v: [a]\n", s.ListOf(s.Id(), min_items=1)) == ["a"]
    assert one("v: []\n", s.ListOf(s.Id())) == []


def test_a_list_that_is_text_is_refused():
    assert one("v: a\n", s.ListOf(s.Id())) == ["x.yaml:1: 'v' should be a list, not 'a'"]


def test_each_bad_item_is_reported_by_its_number_and_line():
    assert one("v:\n  - a\n  - B\n", s.ListOf(s.Id())) == [
        "x.yaml:3: 'v[2]' is 'B': use lower-case letters a-z, digits and hyphens"
    ]


# --- Fields ---------------------------------------------------------------------------------------


def test_fields_that_are_a_list_are_refused():
    assert convert("- a\n", s.Fields(v=s.Text()))[1] == [
        "x.yaml:1: 'file' should be a mapping (key: value), not a list"
    ]


def test_a_missing_required_key_is_reported_at_the_mapping():
    assert one("a: 1\nv: {}\n", s.Fields(k=s.Text())) == ["x.yaml:2: 'v' is missing the required key 'k'"]


def test_fields_that_are_nothing_are_refused():
    assert convert("", s.Fields(v=s.Text()))[1] == ["x.yaml: 'file' should be a mapping (key: value), not nothing"]


def test_the_whole_file_is_called_file():
    problems = Problems()
    s.convert(yamlnodes.parse("- a\n"), s.Fields(v=s.Text()), s.Ctx("x.yaml", problems))
    assert [str(p) for p in problems.items] == ["x.yaml:1: 'file' should be a mapping (key: value), not a list"]


def test_a_missing_optional_key_takes_its_default():
    value, problems = convert("a: x\n", s.Fields(a=s.Text(), b=s.Field(s.Text(), required=False, default="d")))
    assert problems == [] and value == {"a": "x", "b": "d"}


def test_an_unknown_key_is_reported_at_its_own_line_and_makes_the_record_invalid():
    value, problems = convert("a: x\nb: y\nc: z\n", s.Fields(a=s.Text(), c=s.Text()))
    assert value is s.INVALID and problems == ["x.yaml:2: unknown key 'b' in 'file' (known keys: a, c)"]


def test_one_bad_field_makes_the_record_invalid_and_the_others_are_still_checked():
    value, problems = convert("a: ''\nb: ''\n", s.Fields(a=s.Text(), b=s.Text()))
    assert value is s.INVALID and problems == ["x.yaml:1: 'a' is empty", "x.yaml:2: 'b' is empty"]


def test_records_remember_their_lines():
    value, _ = convert("a: x\nb:\n  c: y\n", s.Fields(a=s.Text(), b=s.Fields(c=s.Text())))
    assert value.line == 1 and value.line_of("b") == 2 and value["b"].line == 3 and value.line_of("zz") == 1


# --- PerLanguage --------------------------------------------------------------------------------

SV_EN = s.PerLanguage(("sv", "en"))


def test_per_language_text_gives_each_language():
    value = one("v:\n  sv: Hej\n  en: Hello\n", SV_EN)
    assert value == {"sv": "Hej", "en": "Hello"} and value.line == 2 and value.line_of("en") == 3


def test_an_unknown_language_key_is_refused_at_its_line():
    assert convert("sv: Hej\nen: Hello\nde: Hallo\n", SV_EN)[0] is s.INVALID
    assert one("v:\n  sv: Hej\n  en: Hello\n  de: Hallo\n", SV_EN) == [
        "x.yaml:4: 'v' has text in 'de', which is not a site language (sv, en)"
    ]


def test_per_language_text_that_is_text_is_refused():
    assert one("v: Hej\n", SV_EN) == ["x.yaml:1: 'v' should give the text per language (sv, en), not 'Hej'"]


def test_a_missing_language_makes_the_text_invalid_and_the_others_are_still_checked():
    value, problems = convert("en: ~\n", SV_EN)
    assert value is s.INVALID and problems == [
        "x.yaml:1: 'file' has no text in 'sv'",
        "x.yaml:1: 'file.en' should be text, not '~', which YAML reads as no value",
    ]
    assert convert("en: Hello\n", SV_EN)[0] is s.INVALID


def test_per_language_text_is_one_line_unless_said():
    # made here, not at import: a shape made before a test cannot show a change to its __init__
    assert one('v: {sv: "a\\nb", en: c}\n', s.PerLanguage(("sv", "en"))) == ["x.yaml:1: 'v.sv' should be a single line"]


def test_each_language_is_checked_as_text():
    assert one("v:\n  sv: Hej\n  en: ~\n", SV_EN) == [
        "x.yaml:3: 'v.en' should be text, not '~', which YAML reads as no value"
    ]


def test_per_language_slugs_are_slugs():
    assert one("v: {sv: a, en: B}\n", s.PerLanguage(("sv", "en"), text=s.Slug()))[0].startswith(
        "x.yaml:1: 'v.en' is 'B'"
    )


def test_per_language_multiline():
    assert one('v: {sv: "a\\nb", en: c}\n', s.PerLanguage(("sv", "en"), multiline=True)) == {"sv": "a\nb", "en": "c"}


# --- yamlnodes ---------------------------------------------------------------------------------


def yaml_error(text, line_offset=0):
    """(line, message) of the YamlError that parsing `text` raises."""
    with pytest.raises(yamlnodes.YamlError) as exc:
        yamlnodes.parse(text, line_offset)
    assert str(exc.value) == exc.value.message
    return exc.value.line, exc.value.message


def test_scalars_remember_line_and_quoting():
    node = yamlnodes.parse("a: x\nb: 'y'\n", line_offset=10)
    assert node["a"].line == 11 and node["a"].plain and not node["b"].plain and node.line_of("b") == 12


def test_an_unknown_key_is_at_the_mappings_line():
    assert yamlnodes.parse("x: 1\na:\n  b: 1\n")["a"].line_of("zz") == 3


def test_an_empty_document_is_nothing():
    assert yamlnodes.parse("") is None and yamlnodes.parse("# a comment\n") is None


def test_the_chosen_loader_is_used(monkeypatch):
    used = []

    class Counting(yaml.SafeLoader):
        def __init__(self, stream):
            used.append(stream)
            super().__init__(stream)

    monkeypatch.setattr(yamlnodes, "_Loader", Counting)
    yamlnodes.parse("a: 1\n")
    assert used == ["a: 1\n"]


def test_nesting_beyond_the_limit_is_refused_at_its_line():
    text = "".join("  " * i + f"k{i}:\n" for i in range(yamlnodes.MAX_DEPTH)) + "  " * yamlnodes.MAX_DEPTH + "x: 1\n"
    # the root mapping is the first level
    assert yaml_error(text) == (yamlnodes.MAX_DEPTH + 1, f"YAML is nested more than {yamlnodes.MAX_DEPTH} levels deep")


def test_nesting_up_to_the_limit_is_fine():
    text = (
        "".join("  " * i + f"k{i}:\n" for i in range(yamlnodes.MAX_DEPTH - 1))
        + "  " * (yamlnodes.MAX_DEPTH - 1)
        + "x: 1\n"
    )
    assert yamlnodes.parse(text)["k0"]


def test_lists_count_as_levels():
    assert yaml_error("a: " + "[" * yamlnodes.MAX_DEPTH + "]" * yamlnodes.MAX_DEPTH + "\n")[1].startswith(
        "YAML is nested more than"
    )


def test_a_second_document_is_refused():
    assert yaml_error("a: 1\n---\nb: 2\n") == (
        2,
        "only one YAML document is allowed here (a second '---' starts another)",
    )


def test_an_explicit_first_document_start_is_fine():
    assert yamlnodes.parse("---\na: 1\n") == {"a": "1"}


def test_a_tag_is_refused_at_its_line():
    assert yaml_error("a: 1\nb: !!str x\n") == (2, "YAML tags such as tag:yaml.org,2002:str are not allowed")


def test_an_anchor_alone_is_refused():
    assert yaml_error("a: 1\nb: &x 2\n") == (2, "YAML anchors and aliases (&name, *name) are not allowed")


def test_an_alias_is_refused():
    assert yaml_error("a: 1\nb: *x\n") == (2, "YAML anchors and aliases (&name, *name) are not allowed")


def test_a_key_must_be_text():
    assert yaml_error("a: 1\n? [a]\n: 1\n") == (2, "a key must be plain text")


def test_a_merge_key_is_refused(loader):
    assert yaml_error("a: 1\n<<: {b: 2}\n") == (2, "YAML merge keys (<<) are not allowed")


def test_a_duplicate_key_names_the_first(loader):
    assert yaml_error("a: 1\nb: 2\na: 3\n") == (3, "duplicate key 'a' (first at line 1)")


def test_a_tab_is_named(loader):
    assert yaml_error("a:\n\tb: 1\n") == (2, "YAML syntax error: a tab character; indent with spaces, not tabs")


def test_a_syntax_error_editors_make_is_said_in_plain_words_at_the_line_they_made_it(loader):
    no_colon, lined_up = str(yamlnodes.NO_COLON), str(yamlnodes.NOT_LINED_UP)
    # A key with no colon: PyYAML reports the next line, or the line after a run-on value.
    assert yaml_error("title Om samverkan\nslug: om\n") == (1, no_colon)
    assert yaml_error("a: 1\nb 2\n") == (2, no_colon)
    assert yaml_error("a:\n  - id: x\n    label x\n    value: 4.7\n") == (3, no_colon)
    assert yaml_error("a: 1\nEn rad text\nb: 2\n") == (2, no_colon)
    assert yaml_error("title: Kl 10: möte\n") == (1, str(yamlnodes.COLON_IN_VALUE))
    assert yaml_error("a:\n  b: 1\n c: 2\n") == (3, lined_up)
    assert yaml_error("a:\n  - id: x\n     value: 1\n") == (3, lined_up)  # a key line before: not a missing colon
    assert yaml_error("a:\n  - x\n    b: 1\n") == (3, lined_up)  # a list item before: no key to miss a colon
    assert yaml_error("a: 1\n# note\n b: 2\n") == (3, lined_up)  # nor a comment
    assert yaml_error("- a\nb: 1\n") == (2, str(yamlnodes.NOT_LINED_UP_LIST))
    assert yaml_error("a: 1\nb: [x\n") == (2, str(yamlnodes.UNCLOSED_LIST))  # where the bracket opens
    assert yaml_error("a: 1\nb: {c: x\nd: 1\n") == (2, str(yamlnodes.UNCLOSED_GROUP))
    assert yaml_error("a: @x\n") == (1, "a value cannot start with '@': put the whole value in quotes")
    assert yaml_error("a: 1\nb: `x`\n") == (2, "a value cannot start with '`': put the whole value in quotes")


def test_a_text_pasted_with_line_separators_is_counted_as_yaml_counts_its_lines(loader):
    # U+2028 and NEL are line breaks to YAML (and so in its marks), not to str.split("\n").
    assert yaml_error("a: 1\u2028\u2028\u2028b: x: y\n") == (4, str(yamlnodes.COLON_IN_VALUE))
    assert yaml_error("a: 1\x85b c\nd: 1\n") == (2, str(yamlnodes.NO_COLON))
    assert yaml_error("a: 1\r\n@b: 2\r\n") == (2, "a value cannot start with '@': put the whole value in quotes")


def test_a_syntax_error_counts_lines_from_the_offset():
    assert yaml_error("a: 1\nb: [x\n", line_offset=10)[0] == 12
    assert yaml_error("a 1\nb: 2\n", line_offset=10)[0] == 11
    assert yaml_error("a:\n\tb: 1\n", line_offset=10)[0] == 12
    assert yaml_error('a: "C:\\q"\n', line_offset=10)[0] == 11
    assert yaml_error("a: 1\n---\nb: 2\n", line_offset=10)[0] == 12
    assert yaml_error("a: &x 1\nb: *x\n", line_offset=10)[0] == 11
    assert yaml_error("a: 1\nb: *x\n", line_offset=10)[0] == 12


def test_a_deeper_line_under_a_key_line_is_out_of_step_not_a_missing_colon(loader):
    assert yaml_error("a:\n  b: 1\n   c: 2\n") == (3, str(yamlnodes.NOT_LINED_UP))
    assert yaml_error("a:\n  b x\n\n   c: 2\n") == (2, str(yamlnodes.NO_COLON))  # blank lines are passed over


def test_the_end_of_the_text_inside_something_else_than_quotes_keeps_the_parsers_words(monkeypatch):
    mark = yaml.Mark("x", 0, 1, 0, None, None)
    fake_parser_error(monkeypatch, yaml.MarkedYAMLError(problem="found unexpected end of stream", problem_mark=mark))
    assert yaml_error("a\nb") == (2, "YAML syntax error: found unexpected end of stream")
    quoted = yaml.MarkedYAMLError(
        context="while scanning a quoted scalar", problem="found unexpected end of stream", problem_mark=mark
    )
    fake_parser_error(monkeypatch, quoted)  # without the place it opened: where the parser stopped
    assert yaml_error("a\nb") == (2, "YAML syntax error: found unexpected end of stream")


def test_a_syntax_error_at_the_end_is_not_a_tab():
    assert yaml_error("a: [x") == (1, str(yamlnodes.UNCLOSED_LIST))


def test_other_syntax_errors_keep_the_parsers_words_at_its_line(monkeypatch):
    mark = yaml.Mark("x", 0, 2, 0, None, None)
    fake_parser_error(monkeypatch, yaml.MarkedYAMLError(problem="found something odd", problem_mark=mark))
    assert yaml_error("a") == (3, "YAML syntax error: found something odd")


def test_a_quotation_mark_never_closed_is_reported_where_it_opens():
    for text in ('a: 1\nb: "x\nc: 2\n', "a: 1\nb: 'x"):
        assert yaml_error(text) == (2, str(yamlnodes.UNCLOSED_QUOTE))
    assert yaml_error('a: 1\nb: "x\n', line_offset=10)[0] == 12
    assert yaml_error('a: "x\n---\nb: 1\n') == (1, str(yamlnodes.UNCLOSED_QUOTE))  # runs into a second document


def test_another_mistake_inside_quotes_keeps_the_parsers_words():
    assert yaml_error('a: "C:\\q"\n') == (1, "YAML syntax error: found unknown escape character")


def fake_parser_error(monkeypatch, error):
    def fail(text, Loader):
        raise error

    monkeypatch.setattr(yamlnodes.yaml, "parse", fail)


def test_an_error_with_only_a_context_is_reported_by_it(monkeypatch):
    mark = yaml.Mark("x", 0, 4, 0, None, None)
    fake_parser_error(monkeypatch, yaml.MarkedYAMLError(context="while parsing", context_mark=mark))
    assert yaml_error("a") == (5, "YAML syntax error: while parsing")


def test_an_error_without_words_or_place(monkeypatch):
    fake_parser_error(monkeypatch, yaml.MarkedYAMLError())
    assert yaml_error("a") == (None, "YAML syntax error: not valid YAML")


def test_an_error_without_a_place_is_reported_without_a_line(monkeypatch):
    fake_parser_error(monkeypatch, yaml.YAMLError("bad stream"))
    assert yaml_error("a") == (None, "YAML syntax error: bad stream")


def test_a_control_character_is_refused(loader):
    _, message = yaml_error("a: 1\nb: \x07\n")
    assert message.startswith("YAML syntax error: ") and "#x0007" in message


def test_lists_and_nested_mappings_are_built():
    node = yamlnodes.parse("a:\n  - x\n  - {b: c}\nd: e\n")
    assert node == {"a": ["x", {"b": "c"}], "d": "e"} and node["a"].line == 2 and node["a"][1].line == 3
    assert isinstance(node["a"], yamlnodes.Sequence) and isinstance(node["a"][1], yamlnodes.Mapping)


# --- shapes added on main: blank optional keys, DateTime, TextOrPerLanguage, LinkTarget, SitePath --


@pytest.mark.parametrize("text", ["v: ''\n", "v: '  '\n", 'v: ""\n'])
def test_an_optional_key_left_blank_counts_as_not_given(text):
    value, problems = convert(text, s.Fields(v=s.Field(s.Slug(), required=False, default="d")))
    assert problems == [] and value["v"] == "d"


def test_a_required_key_left_blank_is_empty():
    assert convert("a: 1\nv: ''\n", s.Fields(a=s.Text(), v=s.Text()))[1] == ["x.yaml:2: 'v' is empty"]


def test_a_blank_list_is_not_a_blank_value():
    assert convert("v: []\n", s.Fields(v=s.Field(s.ListOf(s.Id(), min_items=1), required=False)))[1] == [
        "x.yaml:1: 'v' needs at least 1 item(s)"
    ]


HINT = "such as 2026-12-01T08:00+01:00 (+01:00 in Swedish winter time, +02:00 in summer time)"


@pytest.mark.parametrize(
    "text, value",
    [
        ("2026-12-01T08:00+01:00", dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)),
        ("2026-12-01 08:00:30+0200", dt.datetime(2026, 12, 1, 6, 0, 30, tzinfo=dt.UTC)),
        ("2026-12-01T08:00:00.5Z", dt.datetime(2026, 12, 1, 8, 0, 0, 500000, tzinfo=dt.UTC)),
    ],
)
def test_a_moment_with_its_time_zone(text, value):
    result = one(f"v: '{text}'\n", s.DateTime())
    assert result == value and result.utcoffset() is not None


def test_a_moment_needs_a_time_zone():
    assert one("v: '2026-12-01T08:00'\n", s.DateTime()) == [
        f"x.yaml:1: 'v' is '2026-12-01T08:00', with no time zone: add one, {HINT}"
    ]


@pytest.mark.parametrize(
    "text", ["2026-12-01", "08:00+01:00", "2026-12-01T8:00+01:00", "x2026-12-01T08:00Z", "2026-12-01T08:00Zx"]
)
def test_a_moment_is_written_as_date_and_time(text):
    assert one(f"a: 1\nv: '{text}'\n", s.DateTime()) == [
        f"x.yaml:2: 'v' should be a date and time with a time zone, {HINT}, not '{text}'"
    ]


def test_a_moment_must_be_real():
    assert one("v: '2026-02-30T08:00+01:00'\n", s.DateTime()) == [
        "x.yaml:1: 'v' is '2026-02-30T08:00+01:00', which is not a real date and time"
    ]


def test_a_null_moment_is_refused(loader):
    assert one("a: 1\nv: ~\n", s.DateTime()) == [
        f"x.yaml:2: 'v' should be a date and time with a time zone, {HINT}, not '~', which YAML reads as no value"
    ]


def test_a_name_is_text_or_given_per_language():
    shape = s.TextOrPerLanguage(("sv", "en"))
    assert one("v: Corren\n", shape) == "Corren"
    assert one("v: {sv: Mjölby kommun, en: Mjölby Municipality}\n", shape) == {
        "sv": "Mjölby kommun",
        "en": "Mjölby Municipality",
    }
    assert one("v: {sv: Mjölby kommun}\n", shape) == ["x.yaml:1: 'v' has no text in 'en'"]
    assert one("v: ''\n", shape) == ["x.yaml:1: 'v' is empty"]


@pytest.mark.parametrize("target", ["https://example.org/x", "http://a.se", "/nyheter/", "/"])
def test_a_link_target_is_an_address_or_a_site_path(target):
    assert one(f"v: '{target}'\n", s.LinkTarget()) == target


@pytest.mark.parametrize("target", ["//evil.org/x", "nyheter/", "javascript:alert(1)", "/a b", '/a"b'])
def test_other_link_targets_are_refused(target):
    assert one(f"v: '{target}'\n", s.LinkTarget()) == [
        f"x.yaml:1: 'v' is '{target}': write a full address starting with https://, or a path on this site starting with / (such as /nyheter/)"
    ]


@pytest.mark.parametrize("path", ["/om-oss/gammal-sida/", "om-oss/sida.html", "/a_b/~c", "/x", "/Om-Oss/Gammal.HTML"])
def test_an_old_address_on_the_site(path):
    assert one(f"v: '{path}'\n", s.SitePath()) == path


@pytest.mark.parametrize(
    "path", ["/../etc/passwd", "/a/../b", "/./a", "/a?b=1", "/a#b", "//x", "/a//b", "/.hidden/..", "/a/.."]
)
def test_an_old_address_cannot_leave_the_site(path):
    assert one(f"v: '{path}'\n", s.SitePath()) == [
        f"x.yaml:1: 'v' is '{path}': write the old address on this site without the domain, such as /om-oss/gammal-sida/ "
        "(letters a-z, digits, '-', '_', '.' and '/'; no '..', '?' or '#')"
    ]


def test_dump_keeps_the_order_and_the_letters_and_wraps_late():
    long = "ord " * 25  # 100 characters: past YAML's usual 80, within the 120 asked for
    assert yamlnodes.dump({"b": "ö", "a": [1], "c": long.strip()}) == f"b: ö\na:\n- 1\nc: {long.strip()}\n"
    # A quoted text folds at the first space past column 120 (at 121 it would stay on one line).
    text = ("ord " * 60)[:111] + " xxxxx" + " slut " * 20
    first, second, _ = yamlnodes.dump({"k": text}).split("\n")
    assert first == f"k: '{text[:117]}" and len(first) == 121 and second.startswith("  slut  slut")


def test_a_located_text_survives_being_sent_to_another_process():
    found = pickle.loads(pickle.dumps(yamlnodes.Scalar("x", 3, False)))
    assert (type(found), found, found.line, found.plain) == (yamlnodes.Scalar, "x", 3, False)
