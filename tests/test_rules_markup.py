"""Every rule of markdown to safe HTML (portal/render/markup.py), one small test each, in memory: which
tags, attributes and addresses the sanitizer keeps, what the editor is told it removed and at which line,
the footnotes nothing refers to, the column headers a table's cells carry for the phone layout, links to
content files and from the site root, and the time limit on a conversion. A wrong rule here lets a script
onto the published site, hides what was removed from the editor, or shows a reader a broken page, so each
test asserts the exact HTML or the exact warning."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

import pytest

from portal.render import markup


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    """convert remembers its results, and one parser is kept for every text: a rule changed after
    the first run (the mutation tests' own) would never run again. And no process a test starts
    outlives it, whatever the code under test does."""
    markup.convert.cache_clear()
    monkeypatch.setattr(markup, "_parser", None)
    yield
    markup.convert.cache_clear()
    for child in multiprocessing.active_children():
        child.kill()
        child.join()


def warnings(text: str) -> list:
    """(line, message) for each warning the editor is shown for this markdown."""
    return [(line, str(message)) for line, message in markup.convert(text)[1]]


def html(text: str) -> str:
    return markup.convert(text)[0]


NOT_ALLOWED = "raw HTML <{}> was removed: it is not allowed on the site"
ATTRIBUTE = "the attribute {}= on <{}> was removed: it is not allowed on the site"
ADDRESS = "the {}: address in {}= on <{}> was removed: only http, https, mailto, tel addresses are allowed"
H1 = "a level-1 heading (# …) became plain text: the page title is the only one; use ## for headings"
FOOTNOTE = (
    "the footnote [^{0}] is never referred to in the text, so it is shown without a mark: "
    "write [^{0}] where it belongs, or remove the footnote"
)


# --- what the sanitizer keeps -----------------------------------------------------------------------


def test_markdown_becomes_html():
    assert markup.to_html("Some *text* and **more**.") == "<p>Some <em>text</em> and <strong>more</strong>.</p>"


def test_the_extensions_tables_footnotes_and_heading_ids_are_on():
    assert html("## Två ord\n\n| a |\n|---|\n| 1 |\n") == (
        '<h2 id="två-ord">Två ord</h2>\n<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n'
        '<tbody>\n<tr>\n<td data-label="a">1</td>\n</tr>\n</tbody>\n</table>'
    )


def test_a_list_starts_at_its_first_number_and_a_new_kind_of_list_is_a_new_list():
    assert html("3. a\n4. b\n\n- c\n") == '<ol start="3">\n<li>a</li>\n<li>b</li>\n</ol>\n<ul>\n<li>c</li>\n</ul>'


def test_a_tag_not_allowed_is_taken_out_and_its_text_kept():
    assert markup.sanitize("<u>under</u> <font>f</font>") == "under f"


def test_every_allowed_tag_is_kept():
    table = {"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"}
    for tag in sorted(markup.TAGS - table - {"br", "hr", "img"}):
        assert markup.sanitize(f"<{tag}>x</{tag}>") == f"<{tag}>x</{tag}>", tag
    assert markup.sanitize("<br><hr><img>") == "<br><hr><img>"
    whole = (
        "<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody>"
        "<tfoot><tr><td>f</td></tr></tfoot></table>"
    )
    assert markup.sanitize(whole) == whole


def test_the_attributes_every_tag_may_have_are_kept_and_no_other():
    assert markup.sanitize('<p id="i" class="c" lang="sv" title="t" dir="ltr" data-x="1" style="s">p</p>') == (
        '<p id="i" class="c" lang="sv" title="t" dir="ltr">p</p>'
    )


def test_a_tag_keeps_its_own_attributes():
    kept = (
        '<a href="https://e.se" hreflang="sv">a</a>'
        '<img src="https://e.se/a.png" alt="a" width="1" height="2">'
        '<ol start="3"><li>x</li></ol><abbr title="t">A</abbr>'
        '<table><tbody><tr><th scope="row" colspan="2" rowspan="3">h</th><td colspan="2" rowspan="2">d</td></tr>'
        "</tbody></table>"
    )
    assert markup.sanitize(kept) == kept
    assert markup.sanitize('<td scope="row" href="x">d</td><p start="2" src="x" alt="a">p</p>') == "d<p>p</p>"


def test_links_get_no_rel_added():
    assert markup.sanitize('<a href="https://e.se" rel="x" target="_blank">a</a>') == '<a href="https://e.se">a</a>'


def test_only_web_mail_and_phone_addresses_are_kept():
    kept = '<a href="http://e.se">h</a><a href="https://e.se">s</a><a href="mailto:a@e.se">m</a><a href="tel:112">t</a>'
    assert markup.sanitize(kept) == kept
    assert markup.sanitize('<a href="ftp://e.se">f</a><a href="javascript:x()">j</a>') == "<a>f</a><a>j</a>"


def test_comments_are_taken_out():
    assert markup.sanitize("a<!-- secret -->b") == "ab"


# --- the column headers of a table's cells, for the phone layout ------------------------------------


def test_each_body_cell_carries_its_columns_header_as_plain_escaped_text():
    table = (
        '<table>\n<thead>\n<tr>\n<th>A <em>b</em>\n c</th>\n<th>&amp; "q" \'s</th>\n</tr>\n</thead>\n'
        '<tbody>\n<tr class="r">\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>'
    )
    assert markup.label_cells(table) == (
        '<table>\n<thead>\n<tr>\n<th>A <em>b</em>\n c</th>\n<th>&amp; "q" \'s</th>\n</tr>\n</thead>\n'
        '<tbody>\n<tr class="r">\n<td data-label="A b c">1</td>\n<td data-label="&amp; &quot;q&quot; &#x27;s">2</td>\n'
        "</tr>\n</tbody>\n</table>"
    )


def test_a_header_spanning_columns_labels_each_of_them_and_a_cell_spanning_columns_moves_the_next_on():
    table = (
        '<table><thead><tr><th colspan="2">A</th><th>B</th><th>C</th></tr></thead>'
        '<tbody><tr><td>1</td><td colspan="2">2</td><td>3</td></tr></tbody></table>'
    )
    assert markup.label_cells(table) == (
        '<table><thead><tr><th colspan="2">A</th><th>B</th><th>C</th></tr></thead>'
        '<tbody><tr><td data-label="A">1</td><td colspan="2" data-label="A">2</td><td data-label="C">3</td></tr>'
        "</tbody></table>"
    )


def test_a_header_cell_in_the_body_takes_no_label_but_counts_as_a_column():
    table = (
        "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
        '<tbody><tr><th scope="row">x</th><td>y</td></tr></tbody></table>'
    )
    assert markup.label_cells(table) == (
        "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
        '<tbody><tr><th scope="row">x</th><td data-label="B">y</td></tr></tbody></table>'
    )


def test_a_cell_past_the_headers_or_under_an_empty_one_takes_no_label():
    table = (
        "<table><thead><tr><th></th><th>B</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>"
    )
    assert markup.label_cells(table) == (
        "<table><thead><tr><th></th><th>B</th></tr></thead>"
        '<tbody><tr><td>1</td><td data-label="B">2</td><td>3</td></tr></tbody></table>'
    )


def test_a_cell_with_a_label_keeps_it():
    table = '<table><thead><tr><th>A</th></tr></thead><tbody><tr><td data-label="own">1</td></tr></tbody></table>'
    assert markup.label_cells(table) == table


def test_every_row_of_the_body_and_the_foot_is_labelled_and_each_table_by_its_own_headers():
    tables = (
        "<p>x</p><table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr><tr><td>2</td></tr></tbody>"
        "<tfoot><tr><td>3</td></tr></tfoot></table>"
        "<table><thead><tr><th>B</th></tr></thead><tbody><tr><td>4</td></tr></tbody></table>"
    )
    assert markup.label_cells(tables) == (
        '<p>x</p><table><thead><tr><th>A</th></tr></thead><tbody><tr><td data-label="A">1</td></tr>'
        '<tr><td data-label="A">2</td></tr></tbody><tfoot><tr><td data-label="A">3</td></tr></tfoot></table>'
        '<table><thead><tr><th>B</th></tr></thead><tbody><tr><td data-label="B">4</td></tr></tbody></table>'
    )


def test_a_table_without_a_header_row_or_with_a_table_inside_is_left_alone():
    headless = "<table><tbody><tr><td>1</td></tr></tbody></table>"
    nested = "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td><table><tr><td>in</td></tr></table></td></tr></tbody></table>"
    assert markup.label_cells(headless) == headless
    assert markup.label_cells(nested) == nested
    later = (
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody>"
        "<tfoot><tr><td><table><tr><td>in</td></tr></table></td></tr></tfoot></table>"
    )
    assert markup.label_cells(later) == later


def test_text_without_a_table_is_left_alone():
    assert markup.label_cells("<p>a <em>td</em></p>") == "<p>a <em>td</em></p>"


# --- what the editor is told the sanitizer removed ----------------------------------------------------


def test_a_tag_not_allowed_is_reported_at_its_line():
    assert warnings("\nx\n<script>a</script>\n\n<SCRIPT>b</SCRIPT>\n") == [
        (3, NOT_ALLOWED.format("script")),
        (5, NOT_ALLOWED.format("script")),
    ]


def test_a_tag_not_allowed_that_markdown_wrote_again_is_reported_where_it_opens():
    assert warnings('x\n\n<form markdown="1" action="y">\n*a*\n</form>\n') == [(3, NOT_ALLOWED.format("form"))]


def test_the_same_tag_written_twice_is_reported_at_each_line():
    assert warnings("<iframe src=x></iframe>\n\n<iframe src=x></iframe>\n") == [
        (1, NOT_ALLOWED.format("iframe")),
        (3, NOT_ALLOWED.format("iframe")),
    ]


def test_a_level_1_heading_becomes_plain_text_and_is_reported_at_its_line():
    assert html("text\n\n# Title\n\nUnderlined\n==========\n") == "<p>text</p>\nTitle\nUnderlined"
    assert warnings("text\n\n# Title\n\nUnderlined\n==========\n") == [(3, H1), (6, H1)]


def test_a_level_1_heading_written_as_raw_html_is_reported_as_raw_html():
    assert warnings("x\n\n<h1>Title</h1>\n") == [(3, NOT_ALLOWED.format("h1"))]


def test_an_attribute_not_allowed_is_reported_at_its_line():
    assert warnings('x\n<p onclick="go()" title="t">y</p>\n<img src="a.png" style="s" />\n') == [
        (2, ATTRIBUTE.format("onclick", "p")),
        (3, ATTRIBUTE.format("style", "img")),
    ]


def test_an_attribute_written_in_an_attribute_list_is_reported_at_its_line():
    assert html("x\n\n## Heading {: #anchor onclick=go }\n") == '<p>x</p>\n<h2 id="anchor">Heading</h2>'
    assert warnings("x\n\n## Heading {: #anchor onclick=go }\n") == [(3, ATTRIBUTE.format("onclick", "h2"))]


def test_what_markdown_adds_itself_is_not_reported():
    text = "Mark[^1]\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n[^1]: Note.\n"
    assert warnings(text) == []
    assert 'style="text-align' not in html(text)


def test_an_address_of_another_kind_is_reported_at_its_line():
    text = 'x\n[link](javascript:go())\n<a href=" JavaScript:go()">a</a>\n<img src="data:image/png;base64,AA" />\n'
    assert html(text) == "<p>x\n<a>link</a>\n<a>a</a>\n<img></p>"
    assert warnings(text) == [
        (2, ADDRESS.format("javascript", "href", "a")),
        (3, ADDRESS.format("javascript", "href", "a")),
        (4, ADDRESS.format("data", "src", "img")),
    ]


def test_an_address_markdown_made_is_reported_at_the_line_that_has_it():
    assert warnings("Never javascript: here.\n\n[b](javascript:stop())\n") == [
        (3, ADDRESS.format("javascript", "href", "a"))
    ]
    # Not written as it is in the source (an entity): the line where its kind is written.
    assert warnings("A word: javascript\n\n[a](javascript:go&#40;1&#41;)\n") == [
        (3, ADDRESS.format("javascript", "href", "a"))
    ]


def test_web_mail_and_phone_addresses_and_addresses_without_a_kind_are_not_reported():
    text = "[a](https://e.se/) [b](HTTP://e.se/) [c](mailto:a@e.se) [d](tel:112) [e](/kontakt/) [f](a.md#x:y)"
    assert warnings(text) == []
    assert warnings("<script>x</script>\n\n" + text) == [(1, NOT_ALLOWED.format("script"))]


def test_nothing_is_reported_for_markdown_the_sanitizer_leaves_as_it_is():
    assert warnings("## Heading\n\n*text* [link](https://e.se/)\n\n- a\n- b\n") == []


# --- footnotes nothing refers to ----------------------------------------------------------------------


def test_a_footnote_nothing_refers_to_is_shown_without_a_back_link_and_reported_at_its_line():
    text = "Text.\n\n[^a]: one *em*\n[^b]: two\n\n    para\n\n[^c]: code\n\n        x = 1\n"
    assert html(text) == (
        '<p>Text.</p>\n<div class="footnote">\n<hr>\n<ol>\n<li id="fn:a">\n<p>one <em>em</em></p>\n</li>\n'
        '<li id="fn:b">\n<p>two</p>\n<p>para</p>\n</li>\n<li id="fn:c">\n<p>code</p>\n'
        "<pre><code>x = 1\n</code></pre>\n</li>\n</ol>\n</div>"
    )
    assert warnings(text) == [(3, FOOTNOTE.format("a")), (4, FOOTNOTE.format("b")), (8, FOOTNOTE.format("c"))]


def test_a_footnote_that_is_referred_to_keeps_its_back_link_beside_one_that_is_not():
    text = "Text[^r].\n\n[^r]: ref *em*\n\n  [^s]: indented\n\n> [^q]: quoted\n"
    assert html(text) == (
        '<p>Text<sup id="fnref:r"><a class="footnote-ref" href="#fn:r">1</a></sup>.</p>\n<blockquote></blockquote>\n'
        '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:r">\n<p>ref <em>em</em>&nbsp;<a class="footnote-backref" '
        'href="#fnref:r" title="Jump back to footnote 1 in the text">↩</a></p>\n</li>\n<li id="fn:s">\n'
        '<p>indented</p>\n</li>\n<li id="fn:q">\n<p>quoted</p>\n</li>\n</ol>\n</div>'
    )
    assert warnings(text) == [(5, FOOTNOTE.format("s")), (7, FOOTNOTE.format("q"))]


def test_only_the_back_link_of_a_footnote_nothing_refers_to_goes():
    text = (
        'x\n\n<div id="fn:a" markdown="1">\n[x](https://e.se/){: .footnote-backref }\n</div>\n\n'
        "[^a]: one *em* more [link](https://e.se/)\n[^b]: two *em* more\n"
    )
    assert html(text) == (
        '<p>x</p>\n<div id="fn:a">\n<p><a class="footnote-backref" href="https://e.se/">x</a></p>\n</div>\n'
        '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:a">\n<p>one <em>em</em> more <a href="https://e.se/">link</a>'
        '</p>\n</li>\n<li id="fn:b">\n<p>two <em>em</em> more</p>\n</li>\n</ol>\n</div>'
    )


def test_a_footnote_defined_in_a_list_item_is_reported_at_its_line():
    text = "Text.\n\n- [^a]: one\n* [^b]: two\n\n+ > [^c]: three\n\n1. [^d]: four\n\n12. [^e]: five\n"
    assert warnings(text) == [(line, FOOTNOTE.format(label)) for line, label in zip((3, 4, 6, 8, 10), "abcde")]
    # Only a list marker with its space, at the start of the line: not a dash inside a sentence.
    assert markup.unreferenced_footnotes(["f"], "a - [^f]: x\n-[^f]: y\n1.[^f]: z\n1) [^f]: w\n") == [
        (None, FOOTNOTE.format("f"))
    ]


def test_a_footnote_whose_definition_is_not_found_is_reported_without_a_line():
    assert markup.unreferenced_footnotes(["a.b"], "[^a]: x\n[^axb]: y\n") == [(None, FOOTNOTE.format("a.b"))]
    assert [(line, str(message)) for line, message in markup.unreferenced_footnotes(["1"], "\n\n[^1]: y")] == [
        (3, FOOTNOTE.format("1"))
    ]


def test_a_text_converted_after_one_with_a_footnote_nothing_refers_to_is_told_nothing():
    assert warnings("Text.\n\n[^a]: one\n") == [(3, FOOTNOTE.format("a"))]
    assert warnings("   ") == []


# --- links to content files and from the site root ----------------------------------------------------


def resolve(path):
    return {"pages/om.sv.md": "om/", "pages/sub/a.sv.md": "a/"}.get(path)


def test_a_link_to_a_content_file_becomes_its_pages_address_with_the_base_path_and_anchor():
    fragment = '<a href="om.sv.md">o</a> <a href="sub/a.sv.md#del-2">a</a> <img src="../pages/om.sv.md">'
    assert markup.rewrite_links(fragment, "pages/x.sv.md", resolve, "/base/") == (
        '<a href="/base/om/">o</a> <a href="/base/a/#del-2">a</a> <img src="/base/om/">',
        [],
    )


def test_a_link_to_a_content_file_that_is_not_there_is_left_and_named():
    fragment = '<a href="saknas.sv.md#x">s</a>'
    assert markup.rewrite_links(fragment, "pages/x.sv.md", resolve, "/") == (fragment, ["saknas.sv.md#x"])


def test_a_link_from_the_site_root_gets_the_base_path_and_is_escaped():
    fragment = '<a href="/en/?a=1&amp;b=2">e</a> <a href="//cdn.example/x">c</a> <a href="https://e.se/a.md">w</a>'
    assert markup.rewrite_links(fragment, "pages/x.sv.md", resolve, "/base/") == (
        '<a href="/base/en/?a=1&amp;b=2">e</a> <a href="//cdn.example/x">c</a> <a href="https://e.se/a.md">w</a>',
        [],
    )


def test_the_first_line_with_a_text_is_found_and_none_when_it_is_not_there():
    assert markup.first_line_with("a\nb\nb\n", "b") == 2
    assert markup.first_line_with("a\nb\n", "a") == 1
    assert markup.first_line_with("a\nb\n", "c") is None
    assert markup.first_line_with("\nb\n", "b") == 2


# --- the time limit and the depth limit ---------------------------------------------------------------


def test_a_conversion_that_takes_too_long_is_stopped_with_a_plain_message():
    started = time.monotonic()
    with pytest.raises(markup.MarkupError) as raised:
        markup._bounded(0.1, time.sleep, 5)
    assert time.monotonic() - started < 2
    assert str(raised.value) == (
        "the markdown took more than 10 seconds to convert; look for a very long run of '[' or '(' "
        "or deeply nested lists"
    )


def test_the_time_limit_is_taken_off_after_a_conversion():
    before = signal.getsignal(signal.SIGALRM)
    assert markup._bounded(5, sum, [1, 2]) == 3
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    with pytest.raises(markup.MarkupError):
        markup._bounded(0.05, time.sleep, 5)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_markdown_nested_too_deeply_is_refused_with_a_plain_message():
    nested = "".join("    " * i + "- x\n" for i in range(300))
    with pytest.raises(markup.MarkupError) as raised:
        markup.convert(nested)
    assert str(raised.value) == "the markdown is nested too deeply (lists or quotes inside each other)"
    assert html("- x\n") == "<ul>\n<li>x</li>\n</ul>"


# --- converting off the main thread, in a helper process ----------------------------------------------

NESTED = "".join("    " * i + "- x\n" for i in range(300))  # deeper than Python's recursion allows
SLOW = "\n" + "[" * 20000 + "\n"  # quadratic in Python-Markdown: hours without the time limit
DEEP = "the markdown is nested too deeply (lists or quotes inside each other)"
STOPPED = "the markdown could not be converted (the converter stopped)"


class Pipe:
    """One end of a pipe, in this process: what was sent to it in order, then its other end closed."""

    def __init__(self, *received):
        self.received, self.sent = list(received), []

    def poll(self, timeout=None):
        return True  # something to read, or its other end closed

    def recv(self):
        if not self.received:
            raise EOFError
        return self.received.pop(0)

    def send(self, value):
        self.sent.append(value)


class Silent(Pipe):
    """A pipe nothing ever comes through, its other end still open (in a killed build's other processes)."""

    def poll(self, timeout=None):
        return False


class Idle(Pipe):
    """A pipe nothing comes through for a while, then the texts."""

    def __init__(self, *received):
        super().__init__(*received)
        self.quiet = 1

    def poll(self, timeout=None):
        self.quiet -= 1
        return self.quiet < 0


class Gone(Pipe):
    """A pipe whose other end's reader is gone."""

    def send(self, value):
        raise BrokenPipeError


@pytest.fixture
def helper():
    made = markup._Helper()
    yield made
    made.stop()
    made._kill()


def test_the_helper_converts_in_a_process_of_its_own(helper):
    assert helper.markdown("*a*\n\n[^1]: b\n") == (
        '<p><em>a</em></p>\n<div class="footnote">\n<hr>\n<ol>\n<li id="fn:1">\n<p>b</p>\n</li>\n</ol>\n</div>',
        ["1"],
    )
    assert helper.process.name == "portal-markdown" and helper.process.daemon and helper.process.is_alive()
    assert type(helper.process).__name__ == "SpawnProcess"  # not forked: a lock another thread holds stays held
    process = helper.process
    assert helper.markdown("b") == ("<p>b</p>", [])
    assert helper.process is process  # started once, on first use


def test_the_helper_says_why_a_text_could_not_be_converted_and_remembers_it(helper):
    with pytest.raises(markup.MarkupError, match=r"^the markdown is nested too deeply"):
        helper.markdown(NESTED)
    helper._kill()
    helper._start = None  # a text it could not convert is not sent again
    with pytest.raises(markup.MarkupError, match=r"^the markdown is nested too deeply"):
        helper.markdown(NESTED)


def test_the_helper_remembers_the_last_eight_texts_it_could_not_convert(helper):
    for n in range(9):
        with pytest.raises(markup.MarkupError, match=f"^why {n}$"):
            helper._failed(f"text {n}", f"why {n}")
    assert helper.failed == {f"text {n}": f"why {n}" for n in range(1, 9)}


def test_a_helper_that_does_not_answer_in_time_is_killed_and_the_text_refused(helper, monkeypatch):
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0.3)  # here, not in the helper: it does not stop itself
    monkeypatch.setattr(helper, "GRACE", 0)
    started = time.monotonic()
    with pytest.raises(markup.MarkupError, match=r"^the markdown took more than 10 seconds"):
        helper.markdown(SLOW)
    assert time.monotonic() - started < 3
    assert helper.process is None and helper.conn is None
    assert str(helper.failed[SLOW]).startswith("the markdown took more than 10 seconds")
    monkeypatch.undo()  # a new helper takes a moment to start
    assert helper.markdown("c") == ("<p>c</p>", [])


def test_the_helper_is_given_a_grace_past_its_own_time_limit(helper, monkeypatch):
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0)  # here: the helper keeps its own 10 s
    assert helper.markdown("g") == ("<p>g</p>", [])


def test_a_conversion_under_way_when_the_helper_is_stopped_is_refused_as_stopping(helper):
    said = []

    def convert():
        try:
            helper.markdown(SLOW)
        except markup.MarkupError as exc:
            said.append(str(exc))

    thread = threading.Thread(target=convert)
    thread.start()
    while helper.process is None and thread.is_alive():
        time.sleep(0.05)
    time.sleep(0.5)  # sent, and waiting for the answer
    helper.stop()
    thread.join(10)
    assert said == ["not converted: the preview is stopping"]


def test_a_helper_that_died_is_reported_plainly_and_started_again(helper):
    helper._start()
    helper.process.kill()
    helper.process.join()
    with pytest.raises(markup.MarkupError) as raised:
        helper.markdown("d")
    assert str(raised.value) == STOPPED
    assert helper.process is None and helper.conn is None
    assert helper.markdown("d") == ("<p>d</p>", [])


def test_a_stopped_helper_converts_nothing_more(helper):
    assert helper.markdown("e") == ("<p>e</p>", [])
    process = helper.process
    helper.stop()
    process.join(5)
    assert not process.is_alive()
    for _round in range(2):
        with pytest.raises(markup.MarkupError) as raised:
            helper.markdown("f")
        assert str(raised.value) == "not converted: the preview is stopping"


def refusing(monkeypatch):
    """Markdown that refuses the text "refused" (quicker than one nested too deeply)."""
    real = markup._markdown

    def refuse(text):
        if text == "refused":
            raise markup.MarkupError("why")
        return real(text)

    monkeypatch.setattr(markup, "_markdown", refuse)


def test_the_helpers_process_converts_each_text_until_its_pipe_is_closed(monkeypatch):
    refusing(monkeypatch)
    pipe = Pipe("*a*", "refused", "b")
    markup._helper_main(pipe)
    assert pipe.sent == [(True, ("<p><em>a</em></p>", [])), (False, "why"), (True, ("<p>b</p>", []))]


# --- converting ahead, in a pool of processes ---------------------------------------------------------


@pytest.fixture
def pools():
    """Pools made in a test, closed after it whatever happens."""
    made = []
    yield made
    for pool in made:
        pool.close()


def pool(pools, texts, jobs=2) -> markup._Pool:
    made = markup._Pool(texts, jobs)
    pools.append(made)
    return made


def test_a_pool_gives_each_text_as_this_process_would_convert_it_in_any_order_asked(pools):
    texts = ["*a*", "b\n\n[^1]: c\n", "| x |\n|---|\n| 1 |\n", "d"]
    ahead = pool(pools, texts)
    assert all(ahead.has(text) for text in texts) and not ahead.has("e")
    for text in [texts[2], texts[0], texts[3], texts[1]]:
        assert ahead.take(text) == markup._convert_here(text)
    assert not ahead.has(texts[0]) and ahead.held == 0 and not ahead.queue


def test_a_pool_forks_its_processes_from_a_process_with_one_thread_and_leaves_the_collector_as_it_was(pools):
    import gc

    assert gc.get_freeze_count() == 0
    ahead = pool(pools, ["a"])
    assert ahead.forks and ahead.context.get_start_method() == "fork"
    assert [worker.process.name for worker in ahead.workers] == ["portal-markdown"] * 2
    assert all(worker.process.daemon for worker in ahead.workers)
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        pool(pools, ["b"], jobs=1)
        assert gc.get_freeze_count() >= frozen > 0  # frozen by the build: it stays so
    finally:
        gc.unfreeze()
    assert ahead.take("a") == ("<p>a</p>", [])


def test_a_pool_made_beside_other_threads_starts_its_processes_afresh(pools, monkeypatch):
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        ahead = pool(pools, ["a"], jobs=1)
    finally:
        stop.set()
        other.join()
    assert not ahead.forks and ahead.context.get_start_method() == "spawn"
    assert ahead.take("a") == ("<p>a</p>", [])


def test_a_text_a_pool_could_not_convert_is_refused_with_its_message(pools, monkeypatch):
    refusing(monkeypatch)  # forked: the processes see it
    ahead = pool(pools, ["refused", "a"])
    with pytest.raises(markup.MarkupError) as raised:
        ahead.take("refused")
    assert str(raised.value) == "why"
    assert ahead.take("a") == ("<p>a</p>", [])


def test_a_fault_in_the_code_reaches_the_build_as_a_fault(pools, monkeypatch):
    def broken(text):
        raise KeyError(text)

    monkeypatch.setattr(markup, "_convert_here", broken)  # forked: the processes see it
    ahead = pool(pools, ["a"], jobs=1)
    with pytest.raises(RuntimeError) as raised:
        ahead.take("a")
    assert str(raised.value) == "KeyError: 'a'"


def test_a_process_that_takes_too_long_is_replaced_and_its_other_texts_converted(pools, monkeypatch):
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0.3)
    monkeypatch.setattr(markup._Pool, "GRACE", 0)
    monkeypatch.setattr(markup, "_bounded", lambda seconds, fn, *args: fn(*args))  # the process does not stop itself
    ahead = pool(pools, [SLOW, "a", "b"], jobs=1)
    first = ahead.workers[0]
    started = time.monotonic()
    with pytest.raises(markup.MarkupError, match=r"^the markdown took more than 10 seconds"):
        ahead.take(SLOW)
    assert time.monotonic() - started < 3
    assert ahead.workers[0] is not first and not first.process.is_alive()
    assert ahead.take("b") == ("<p>b</p>", [])
    assert ahead.take("a") == ("<p>a</p>", [])


def test_a_process_that_dies_is_reported_at_its_text_and_the_others_converted(pools, monkeypatch):

    def dying(text):
        if text == "x":
            os._exit(1)
        return real(text)

    real = markup._convert_here
    monkeypatch.setattr(markup, "_convert_here", dying)
    ahead = pool(pools, ["x", "a", "b"], jobs=1)
    with pytest.raises(markup.MarkupError) as raised:
        ahead.take("x")
    assert str(raised.value) == STOPPED
    assert ahead.take("a") == ("<p>a</p>", [])
    assert ahead.take("b") == ("<p>b</p>", [])


def test_a_pool_holds_at_most_so_many_characters_ahead_of_what_was_taken(pools, monkeypatch):
    monkeypatch.setattr(markup._Pool, "AHEAD", 5)
    texts = ["aaaa", "bbbb", "cccc", "dddd"]
    ahead = pool(pools, texts, jobs=1)
    assert ahead.take("aaaa") == ("<p>aaaa</p>", [])
    assert ahead.held <= 8 and list(ahead.queue)[-1] == "dddd"
    for text in texts[1:]:
        assert ahead.take(text) == (f"<p>{text}</p>", [])
    assert ahead.held == 0


def test_a_process_is_sent_a_text_when_it_has_none_or_room_for_it():
    worker = markup._Worker.__new__(markup._Worker)
    worker.texts = markup.collections.deque()
    assert worker.room("x" * 100_000)
    worker.texts.extend(["x" * 6_000, "y" * 6_000])
    assert worker.room("z" * 4_000) and not worker.room("z" * 4_001)
    worker.texts.extend(["a", "b"])
    assert not worker.room("c")
    worker.texts.pop()
    assert worker.room("c")


def test_closing_a_pool_ends_its_processes(pools):
    ahead = pool(pools, ["a", "b", SLOW], jobs=2)
    assert ahead.take("a") == ("<p>a</p>", [])
    ahead.close()
    for worker in ahead.workers:
        assert not worker.process.is_alive() and worker.conn.closed


def test_a_pools_process_converts_each_text_until_told_to_stop(monkeypatch):
    refusing(monkeypatch)
    previous = signal.getsignal(signal.SIGINT)
    try:
        pipe = Pipe("*a*", "refused", None, "never")
        markup._pool_main(pipe, os.getppid())
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # Ctrl+C is for the build
    finally:
        signal.signal(signal.SIGINT, previous)
    assert pipe.sent == [(True, ("<p><em>a</em></p>", [])), (False, "why")]

    def broken(text):
        raise KeyError(text)

    monkeypatch.setattr(markup, "_convert_here", broken)
    pipe = Pipe("b")
    try:
        markup._pool_main(pipe, os.getppid())  # the pipe closed: it ends too
    finally:
        signal.signal(signal.SIGINT, previous)
    assert pipe.sent == [(None, "KeyError: 'b'")]  # a fault in the code, named


def test_a_pools_process_ends_when_the_build_is_gone(monkeypatch):
    """A killed build closes nothing: its process ends when the build is no longer its parent,
    or when what it converted cannot be sent back."""
    previous = signal.getsignal(signal.SIGINT)
    try:
        markup._pool_main(Silent("a"), os.getpid())  # the build it was started by is not its parent now
        idle = Idle("*a*")  # a build that is still there but sends nothing for a while is waited for
        markup._pool_main(idle, os.getppid())
        assert idle.sent == [(True, ("<p><em>a</em></p>", []))]
        pipe = Gone("*a*", "b")
        markup._pool_main(pipe, os.getppid())
        assert pipe.received == ["b"]  # nothing more converted for a build that is gone
    finally:
        signal.signal(signal.SIGINT, previous)


# --- found while pinning these rules --------------------------------------------------------------------


def test_an_attribute_not_allowed_on_a_tag_markdown_wrote_again_is_reported_at_the_tags_line():
    # markdown="1" makes Python-Markdown write the tag anew: it is not in the source as written.
    text = 'x\n\n<div markdown="1" class="c"\n     ONCLICK="go()">\n*a*\n</div>\n\n<details markdown="1" onclick="x">\n'
    text += "<summary>s</summary>\n\n*b*\n</details>\n"
    assert html(text) == (
        '<p>x</p>\n<div class="c">\n<p><em>a</em></p>\n</div>\n<details>\n<summary>s</summary>\n'
        "<p><em>b</em></p>\n</details>"
    )
    assert warnings(text) == [(3, ATTRIBUTE.format("onclick", "div")), (8, ATTRIBUTE.format("onclick", "details"))]


def test_an_address_of_another_kind_with_a_tab_or_line_break_in_its_kind_is_reported():
    # A browser reads java<TAB>script: as javascript: (tabs and line breaks in an address are dropped).
    text = '<a href="java&#9;script:go()">a</a>\n<a href="java&#10;script:go()">b</a> <a href="htt&#9;ps://e.se/">c</a>'
    assert html(text) == '<p><a>a</a>\n<a>b</a> <a href="htt\tps://e.se/">c</a></p>'
    assert warnings(text) == [
        (1, ADDRESS.format("javascript", "href", "a")),
        (2, ADDRESS.format("javascript", "href", "a")),
    ]


def test_each_attribute_list_is_reported_at_its_own_line_after_one_written_with_two_braces():
    assert warnings("## A {{: onclick=x }\n\n## B {: onclick=y }\n") == [
        (1, ATTRIBUTE.format("onclick", "h2")),
        (3, ATTRIBUTE.format("onclick", "h2")),
    ]
