"""`build.py check` finds what a reviewer would; every rule has a failing and a passing case."""

from __future__ import annotations

import pytest

from conftest import edit, run_build


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def check(root, *args):
    result = run_build(root, "check", *args)
    assert "Traceback" not in result.stderr
    return result


def test_the_real_portal_passes_strict_check_and_check_writes_nothing(portal):
    result = check(portal, "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert not (portal / "_site").exists()


# --- translations -------------------------------------------------------------------


def test_a_page_without_translation_is_a_warning_that_strict_turns_into_a_failure(tiny):
    (tiny / "content/pages/om.en.md").unlink()
    result = check(tiny)
    assert result.returncode == 0
    assert (
        "content/pages/om.sv.md: warning: has no translation into 'en' (add content/pages/om.en.md)"
    ) in result.stderr
    assert "1 warning; --strict makes them fail" in result.stdout
    strict = check(tiny, "--strict")
    assert strict.returncode == 1
    assert "0 errors and 1 warning (--strict)." in strict.stderr


def test_the_easy_to_read_page_needs_no_translation(tiny):
    assert not (tiny / "content/pages/lattlast.en.md").exists()
    result = check(tiny, "--strict")
    assert result.returncode == 0, result.stderr
    assert "lattlast" not in result.stderr


def test_a_translation_older_than_its_original_is_a_warning(tiny):
    edit(tiny / "content/pages/enheten.en.md", "updated: 2020-02-01", "updated: 2020-01-15")
    result = check(tiny)
    assert result.returncode == 0
    assert (
        "content/pages/enheten.en.md:5: warning: may be outdated: it was updated 2020-01-15, but the original "
        "content/pages/enheten.sv.md was updated 2020-02-01"
    ) in result.stderr


def test_a_translation_updated_with_its_original_is_fine(tiny):
    edit(tiny / "content/pages/enheten.sv.md", "updated: 2020-02-01", "updated: 2020-01-15")
    result = check(tiny, "--strict")
    assert result.returncode == 0, result.stderr


# --- links ------------------------------------------------------------------------


def test_a_broken_internal_link_is_an_error_at_the_line_that_writes_it(tiny):
    page = tiny / "content/pages/enheten.sv.md"
    line = page.read_text(encoding="utf-8").count("\n") + 2
    append(page, "\nSe [sidan om oss](/finns-inte/).\n")
    result = check(tiny)
    assert result.returncode == 1
    assert (
        f"content/pages/enheten.sv.md:{line}: broken link to '/finns-inte/' (on /enheten/index.html): no such page or file"
        in result.stderr
    )
    # In Swedish, the reason too.
    result = check(tiny, "--lang", "sv")
    assert (
        f"content/pages/enheten.sv.md:{line}: trasig länk till '/finns-inte/' (på /enheten/index.html): "
        "det finns ingen sådan sida eller fil" in result.stderr
    )


def test_a_broken_link_the_markdown_does_not_write_names_the_page_without_a_line(tiny):
    """A template's link is on every page: no line of the page's text is to blame."""
    path = tiny / "templates/page.html"
    path.write_text(path.read_text(encoding="utf-8").replace("<h1>", '<a href="/finns-inte/">x</a><h1>'))
    result = check(tiny)
    assert result.returncode == 1
    assert "content/pages/enheten.sv.md: broken link to '/finns-inte/' (on /enheten/index.html)" in result.stderr


def test_a_broken_anchor_is_an_error_at_its_line_and_a_good_one_is_not(tiny):
    page = tiny / "content/pages/enheten.sv.md"
    line = page.read_text(encoding="utf-8").count("\n") + 2
    append(page, "\nSe [kontaktsidan](kontakt.sv.md#finns-inte).\n")
    result = check(tiny)
    assert result.returncode == 1
    assert (
        f"content/pages/enheten.sv.md:{line}: broken link to '/kontakt/#finns-inte' (on /enheten/index.html): "
        "no element with id 'finns-inte' on that page"
    ) in result.stderr
    edit(tiny / "content/pages/enheten.sv.md", "#finns-inte", "#feedback")
    assert check(tiny, "--strict").returncode == 0


# --- images, headings, link text -------------------------------------------------------


def test_an_image_without_alt_text_is_an_error_at_its_line(tiny):
    append(tiny / "content/pages/enheten.sv.md", "\n![](/assets/favicon.svg)\n")
    lines = (tiny / "content/pages/enheten.sv.md").read_text().count("\n")
    result = check(tiny)
    assert result.returncode == 1
    assert (
        f"content/pages/enheten.sv.md:{lines}: the image '/assets/favicon.svg' has no alt text: "
        "describe what it shows between the brackets, ![like this](/assets/favicon.svg)"
    ) in result.stderr


def test_an_image_with_alt_text_is_fine(tiny):
    append(tiny / "content/pages/enheten.sv.md", "\n![Enhetens symbol](/assets/favicon.svg)\n")
    result = check(tiny, "--strict")
    assert result.returncode == 0, result.stderr


def test_a_heading_that_skips_a_level_is_a_warning(tiny):
    append(tiny / "content/pages/enheten.sv.md", "\n## Bakgrund\n\n#### Detaljer\n")
    result = check(tiny)
    assert result.returncode == 0
    assert "content/pages/enheten.sv.md:" in result.stderr
    assert "warning: the heading 'Detaljer' is h4 right after h2: it skips a level" in result.stderr


def test_headings_in_order_are_fine(tiny):
    append(tiny / "content/pages/enheten.sv.md", "\n## Bakgrund\n\n### Detaljer\n")
    assert check(tiny, "--strict").returncode == 0


@pytest.mark.parametrize("text", ["klicka här", "Läs mer", "här", "click here", "Read more", "here"])
def test_link_text_that_says_nothing_is_a_warning(tiny, text):
    append(tiny / "content/pages/enheten.sv.md", f"\nOm kontakt, [{text}](kontakt.sv.md).\n")
    lines = (tiny / "content/pages/enheten.sv.md").read_text().count("\n")
    result = check(tiny)
    assert result.returncode == 0
    assert (
        f"content/pages/enheten.sv.md:{lines}: warning: the link text '{text}' says nothing out of context: "
        "name where the link goes (it points to /kontakt/)"
    ) in result.stderr


def test_link_text_that_names_the_target_is_fine(tiny):
    append(tiny / "content/pages/enheten.sv.md", "\nLäs mer på [sidan Kontakt](kontakt.sv.md).\n")
    assert check(tiny, "--strict").returncode == 0


def test_an_error_does_not_hide_what_the_reviewer_rules_find(tiny):
    """An editor fixes everything in one round: a broken link does not keep back the image without
    alt text and the vague link text two lines further on."""
    page = tiny / "content/pages/enheten.sv.md"
    line = page.read_text(encoding="utf-8").count("\n") + 2
    append(
        page, "\nSe [sidan om oss](/finns-inte/).\n\n![](/assets/favicon.svg)\n\nOm kontakt, [här](kontakt.sv.md).\n"
    )
    result = check(tiny)
    assert result.returncode == 1
    assert f"content/pages/enheten.sv.md:{line}: broken link to '/finns-inte/'" in result.stderr
    assert f"content/pages/enheten.sv.md:{line + 2}: the image '/assets/favicon.svg' has no alt text" in result.stderr
    assert f"content/pages/enheten.sv.md:{line + 4}: warning: the link text 'här' says nothing" in result.stderr
    assert "2 errors and 1 warning" in result.stderr


# --- output formats ---------------------------------------------------------------------


def test_format_github_prints_annotations_on_the_right_line(tiny):
    edit(tiny / "data/staffing.yaml", "value: 5\n", "value: 5,2\n")
    result = check(tiny, "--format", "github")
    assert result.returncode == 1
    line = next(
        i for i, text in enumerate((tiny / "data/staffing.yaml").read_text().splitlines(), 1) if "value: 5,2" in text
    )
    assert f"::error file=data/staffing.yaml,line={line}::'value' should be a number" in result.stderr


def test_format_github_marks_warnings_and_escapes_newlines():
    from portal.cli import github_annotation
    from portal.problems import WARNING, Problem

    text = github_annotation(Problem("content/a,b.md", 3, "first: 100%\nsecond", WARNING))
    assert text == "::warning file=content/a%2Cb.md,line=3::first: 100%25%0Asecond"
