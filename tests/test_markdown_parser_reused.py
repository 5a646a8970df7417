"""One markdown parser per process, reset between texts (markup._markdown), converts every text
exactly as a parser made for it alone would: nothing one text defines (a footnote, an
abbreviation, a link reference, a heading's id) reaches the next."""

from __future__ import annotations

import markdown
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from portal.render import markup

# Texts that leave state in a parser: each defines something the next one must not see.
STATEFUL = [
    "A mark[^1] and a note nothing refers to.\n\n[^1]: The note.\n\n[^2]: Alone.\n",
    "*[HTML]: Hyper Text Markup Language\n\nHTML is here.\n",
    "HTML is not explained here, and [the link][ref] has no reference here.\n",
    "[ref]: https://example.org/\n\nA [link][ref].\n",
    "## Same\n\n## Same\n\ntext [^1]\n\n[^1]: again\n",
    '<div markdown="1">*inside*</div>\n\n<details><summary>S</summary>D</details>\n',
    "Term\n:   Definition\n\n```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
]


def fresh(text: str) -> tuple[str, list]:
    """What a parser made for this text alone gives."""
    footnotes = markup._UnreferencedFootnotes()
    md = markdown.Markdown(
        extensions=[*markup.EXTENSIONS, footnotes], extension_configs=markup.EXTENSION_CONFIGS, output_format="html"
    )
    return md.convert(text), list(footnotes.labels)


def test_each_text_in_turn_is_converted_as_if_alone():
    for _round in range(2):
        for text in STATEFUL:
            assert markup._markdown(text) == fresh(text), text


def test_the_parser_is_made_once_and_kept():
    markup._markdown("one")
    kept = markup._parser[0]
    markup._markdown("two")
    assert markup._parser[0] is kept


NESTED = "".join("    " * i + "- x\n" for i in range(300))  # deeper than Python's recursion allows
SLOW = "\n" + "[" * 20000 + "\n"  # quadratic in Python-Markdown: stopped by the time limit


def test_a_conversion_that_fails_leaves_no_half_used_parser(monkeypatch):
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0.5)
    for hostile in (NESTED, SLOW):
        markup._markdown(STATEFUL[0])
        try:
            markup._markdown(hostile)
        except markup.MarkupError:
            pass
        else:
            raise AssertionError("expected the hostile text to be refused")
        for text in STATEFUL:
            assert markup._markdown(text) == fresh(text), text


PIECES = st.sampled_from(
    [
        "word ",
        "*em* ",
        "[^a]",
        "[^b]",
        "\n\n[^a]: note a\n",
        "\n\n[^b]: note b\n",
        "\n\n*[ABC]: alpha\n",
        "ABC ",
        "[x][r] ",
        "\n\n[r]: /kontakt/\n",
        "\n\n## Heading\n\n",
        "\n\n- item\n- item\n\n",
        "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n",
        '\n\n<div markdown="1">*x*</div>\n\n',
    ]
)


@fuzz(examples=150, seconds=60)
@given(st.lists(st.lists(PIECES, max_size=12).map("".join), min_size=1, max_size=4))
def test_any_texts_in_a_row_are_converted_as_if_alone(texts):
    for text in texts:
        assert markup._markdown(text) == fresh(text)
