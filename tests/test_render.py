"""Render stage: templates are strict, values are escaped, markdown is sanitized."""

from __future__ import annotations

from conftest import run_build
from htmlview import read


def test_values_from_yaml_are_escaped(tiny):
    path = tiny / "data/site.yaml"
    path.write_text(path.read_text().replace("title: Testsajten", 'title: "Trygghet <script>alert(1)</script>"'))
    assert run_build(tiny).returncode == 0
    html = (tiny / "_site/index.html").read_text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_raw_html_in_markdown_is_sanitized(tiny):
    path = tiny / "content/pages/kontakt.sv.md"
    path.write_text(
        path.read_text() + '\n<script>alert(1)</script>\n<a href="javascript:alert(1)" onclick="x()">klick</a>\n'
    )
    assert run_build(tiny).returncode == 0
    html = (tiny / "_site/kontakt/index.html").read_text()
    assert "alert(1)" not in html.replace("&lt;", "") and "onclick" not in html and "javascript:" not in html


def test_dates_and_numbers_follow_the_language(tiny):
    path = tiny / "data/staffing.yaml"
    path.write_text(path.read_text().replace("value: 5\n", "value: 4.75\n"))
    assert run_build(tiny).returncode == 0
    built = tiny / "_site"
    assert "10 januari 2020" in read(built / "nyheter/enheten-vaxer/index.html").text
    assert "10 January 2020" in read(built / "en/news/the-unit-grows/index.html").text
    assert "4,75" in read(built / "enheten/index.html").text and "4.75" in read(built / "en/staffing/index.html").text


def test_missing_link_target_names_file_and_line(tiny):
    path = tiny / "content/pages/kontakt.sv.md"
    path.write_text(path.read_text() + "\nSe [sidan](finns-inte.sv.md).\n")
    result = run_build(tiny)
    assert result.returncode == 1
    lines = path.read_text().count("\n")
    assert (
        f"content/pages/kontakt.sv.md:{lines}: links to 'finns-inte.sv.md', which is not a content file"
        in result.stderr
    )


def test_markdown_table_cells_carry_their_column_header_for_the_phone_layout():
    from portal.render.markup import to_html

    table = to_html("| Datum | Vad **hände** |\n|---|---|\n| 2019 | Avtal |\n| 2020 | A & B |\n")
    assert '<td data-label="Datum">2019</td>' in table and '<td data-label="Vad hände">A &amp; B</td>' in table
    assert "<th data-label" not in table  # headers stay as they were
    # Raw HTML: a row header takes no label, colspan moves the columns on, and the label is escaped.
    raw = to_html(
        '<table><thead><tr><th colspan="2">A</th><th>B &amp; "C"</th></tr></thead>'
        '<tbody><tr><th scope="row">r</th><td>1</td><td>2</td></tr></tbody></table>'
    )
    assert '<th scope="row">r</th><td data-label="A">1</td><td data-label="B &amp; &quot;C&quot;">2</td>' in raw
    # No header row: nothing to label.
    assert "data-label" not in to_html("<table><tbody><tr><td>1</td></tr></tbody></table>")


def test_a_footnote_nothing_refers_to_builds_with_a_warning_at_its_line(tiny):
    # Python-Markdown lists it with a back-link to a mark that is not there (#fnref:1): the
    # link check failed the build on that, with no line. Now the note is shown without the
    # back-link, and the editor is told where it is.
    path = tiny / "content/pages/kontakt.sv.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nText utan hänvisning.\n\n[^1]: En fotnot som ingen hänvisar till.\n", encoding="utf-8")
    line = text.count("\n") + 4
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    assert (
        f"content/pages/kontakt.sv.md:{line}: warning: the footnote [^1] is never referred to in the text, "
        "so it is shown without a mark: write [^1] where it belongs, or remove the footnote"
    ) in result.stderr.splitlines()
    html = (tiny / "_site/kontakt/index.html").read_text(encoding="utf-8")
    assert "En fotnot som ingen hänvisar till.</p>" in html and "fnref" not in html


def test_a_footnote_that_is_referred_to_keeps_its_back_link_and_no_warning():
    from portal.render.markup import convert

    html, warnings = convert("Text[^2] och mer[^2].\n\n[^1]: Ingen hänvisar hit.\n[^2]: Två *gånger*.\n")
    assert [(line, str(message)) for line, message in warnings] == [
        (
            3,
            "the footnote [^1] is never referred to in the text, so it is shown without a mark: "
            "write [^1] where it belongs, or remove the footnote",
        )
    ]
    assert '<li id="fn:1">\n<p>Ingen hänvisar hit.</p>' in html
    assert 'Två <em>gånger</em>.&nbsp;<a class="footnote-backref" href="#fnref:2"' in html
    assert 'href="#fnref2:2"' in html and 'href="#fnref:1"' not in html
