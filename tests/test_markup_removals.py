"""What the sanitizer removed is found without reading the HTML again when nh3 gave it back
unchanged (markup.removals), and the warnings are exactly those `markup.removed` gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from portal.render import markup

REPO = Path(__file__).resolve().parents[1]


def both(text: str) -> tuple[list, list]:
    raw, _unreferenced = markup._markdown(text)
    return markup.removals(raw, markup.sanitize(raw), text), markup.removed(raw, text)


def test_every_content_file_of_the_real_site_gets_the_same_warnings():
    files = sorted((REPO / "content").rglob("*.md"))
    assert len(files) > 10
    for path in files:
        new, old = both(path.read_text(encoding="utf-8"))
        assert new == old, path


MARKDOWN = [
    "Plain *text* with [a link](/kontakt/) and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "# A level-1 heading\n\ntext",
    "Title\n=====\n",
    '<p onclick="x()">click</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&nbsp;javascript:alert(1)">x</a>',  # kept by nh3, yet reported: as before
    '<a href="\u2003javascript:alert(1)">x</a>',
    '<a href="java&#115;cript:x">x</a> <img src="data:image/png;base64,AA">',
    "<script>alert(1)</script>\n<style>p{}</style>\n<iframe src=x></iframe>",
    '<div markdown="1">*x*</div>',
    "Text {: onclick=x }\n\n## Heading {: #anchor .class data-x=1 }",
    "<!-- a comment -->\n\n<details><summary>S</summary>D</details>",
    '<abbr title="a &quot;b&quot;">x</abbr> &amp; &lt; &gt; &nbsp; a\u00a0b',
    "<me@example.org> and <https://example.org/>",
    "<span STYLE='color:red'>x</span><SPAN>y</SPAN>",
    "```html\n<script>not html</script>\n```\n",
    "| a | b | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n",
    '| a | b |\n|---|--:|\n| 1 | 2 |\n\nText {: style="color: red" }\n',
    '| a | b |\n|---|--:|\n| 1 | 2 |\n\n<table><tr><td style="text-align: left;">x</td></tr></table>\n',
    '| a | b |\n|---|--:|\n| 1 | 2 |\n\n<p style="x">y</p>\n',
]


@pytest.mark.parametrize("text", MARKDOWN)
def test_tricky_markdown_gets_the_same_warnings(text):
    new, old = both(text)
    assert new == old


PIECES = [
    "# ", "## ", "\n", "\n\n", "text ", "*em* ", "[l](/x/) ", "<a href=\"", "<img src=\"", "javascript:",
    "https://x/", "\u2003", "&nbsp;", "&amp;", " ", "\">", "</a>", "<p onclick=\"x\">", "</p>", "<script>",
    "</script>", "<h1>", "</h1>", "<div>", "</div>", "<span id=\"a\" data-x=\"1\">", "</span>", "{: #a }",
    "{: onclick=x }", "{: style=\"x\" }", "<!-- c -->", "|:-:|--:|\n", "`<b>`", "    <code>", "| a | b |\n|---|---|\n", "<", ">", "'", "\"",
]  # fmt: skip


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
@fuzz(300, 10)
def test_any_markdown_gets_the_same_warnings(text):
    new, old = both(text)
    assert new == old
