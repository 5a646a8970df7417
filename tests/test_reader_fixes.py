"""Fixes a reader notices: every table cell starts in sentence case, and no footnote
marker stands beside a note that says no source gives the figure."""

from __future__ import annotations

from html.parser import HTMLParser

from conftest import site_pages

CELLS = ("td", "th")


class _Cells(HTMLParser):
    """The first words of every table cell and of every timeline date, with whether they are code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.starts = []  # (tag, text, in_code)
        self._open = []  # [tag, started]
        self._code = 0

    def handle_starttag(self, tag, attrs):
        if tag in CELLS or (tag == "p" and ("class", "when") in attrs):
            self._open.append([tag, False])
        elif tag == "code":
            self._code += 1

    def handle_endtag(self, tag):
        if tag == "code":
            self._code -= 1
        elif self._open and tag == self._open[-1][0]:
            self._open.pop()

    def handle_data(self, data):
        if self._open and not self._open[-1][1] and data.strip():
            self._open[-1][1] = True
            self.starts.append((self._open[-1][0], data.strip(), self._code > 0))


def cell_starts(path):
    parser = _Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.starts


def test_every_table_cell_and_timeline_date_starts_in_sentence_case(built):
    lower = []
    for file in site_pages(built):
        for tag, text, in_code in cell_starts(file):
            if not in_code and text[0].isalpha() and not text[0].isupper():
                lower.append(f"{file.relative_to(built)} <{tag}>: {text[:50]}")
    assert lower == []


def test_the_undated_agreement_starts_with_a_capital(built):
    sv = [text for _, text, _ in cell_starts(built / "avtal/index.html")]
    en = [text for _, text, _ in cell_starts(built / "en/agreements/index.html")]
    assert any(text.startswith("Odaterat – ") for text in sv)
    assert any(text.startswith("Undated – ") for text in en)


def test_no_footnote_marker_beside_no_source_gives_this(built):
    for file in ("enheten/index.html", "en/the-unit-and-its-staffing/index.html"):
        html = (built / file).read_text(encoding="utf-8")
        start = html.index('<table class="figures">')
        table = html[start : html.index("</table>", start)]
        for row in table.split("<tr")[2:]:
            if 'class="note"' in row:  # a figure no source gives
                assert 'href="#source-' not in row, (file, row)
            else:
                assert 'href="#source-' in row or "derived" in row, (file, row)
