"""Fuzzed loaders: whatever an editor commits, each stage gives a value or a
`path:line: message` problem, never an exception, never a hang, and a build
never writes outside its output folder.

Hypothesis feeds arbitrary bytes and text, and text assembled from fragments
of plausible YAML, front matter and markdown (the pieces real mistakes are made
of). The example counts keep the suite fast on a small machine; the runs are
derandomized so CI sees the same examples every time. For a longer, random
hunt: FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fuzzing import fuzz
from hypothesis import event, given
from hypothesis import strategies as st

from portal import pipeline
from portal.load import shape as s
from portal.load import sources as load
from portal.load import yamlnodes
from portal.model import site as model
from portal.problems import Problems
from portal.render import markup
from tinysite import tiny_site

# --- plausible input, assembled from the pieces real files (and attacks) are made of -------

YAML_PIECES = [
    "title: Om samverkan",
    "updated: 2019-02-30",
    "updated: 2026-11-24",
    "date: 2019-09-26",
    "value: 1.10",
    "value: 4,7",
    "published: NO",
    "code: no",
    "slug: ../../etc",
    "slug: 'a\\b'",
    'slug: "a\\0b"',
    "a: &x [1, 2]",
    "b: *x",
    "c: !!python/object/apply:os.system [ls]",
    "<<: *x",
    "- item",
    "- [a, b",
    "key: {a: 1, b: [2, 3]}",
    "key:",
    "  nested: value",
    "\tindented: with a tab",
    "? complex",
    ": value",
    "municipalities: [odeshog, mjolby]",
    "summary: |",
    "  line one",
    "  line two",
    "---",
    "...",
    "%YAML 1.1",
    "title: 'unclosed",
    'title: "<script>alert(1)</script>"',
    "title: ~",
    "title: null",
    "title: ''",
    "translation_key: kontakt",
    "template: ../base.html",
    "template: staffing.html",
    "source:",
    "  publisher: Ödeshögs kommun",
    "  url: javascript:alert(1)",
    "sv: nyheter",
    "en: news",
    "# a comment",
    "title: ",
    "x: 0x1F",
    "x: 1e3",
    "x: .inf",
    "x: 2019-09-26T10:00:00",
    "- - - deep",
]
BROKEN_LINK = "[trasig](saknas.sv.md)"  # an error by design: the page that must build leaves it out
ORPHAN_FOOTNOTE = "[^1]: fotnot"  # a footnote nothing refers to: a warning, and the page builds
MARKDOWN_PIECES = [
    "## Rubrik {#egen}",
    "# Titel",
    "Text med *betoning* och **fetstil**.",
    "[länk](kontakt.sv.md)",
    BROKEN_LINK,
    "[js](javascript:alert(1))",
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="data:text/html,x">d</a>',
    "<iframe src=//x></iframe>",
    "<style>body{}</style>",
    '<form action="/x"><input></form>',
    '<p lang="en">Hello</p>',
    "| a | b |",
    "|---|--:|",
    "| 1 | 2 |",
    "```python",
    "x = '<b>'",
    "```",
    "- punkt",
    "    - inre punkt",
    "> citat",
    "1. ett",
    ORPHAN_FOOTNOTE,
    "Text[^1]",
    "*[HTML]: HyperText",
    "{: onclick=alert(1) }",
    '<div markdown="1">*md*</div>',
    "&lt;escaped&gt;",
    "&#106;avascript:",
    "<!-- kommentar -->",
    "",
    "[[[[((((",
    "`kod`",
    "\\",
    "<",
    "</p>",
    "<details><summary>Mer</summary>dolt</details>",
]


def assembled(pieces, max_lines=25):
    piece = st.one_of(st.sampled_from(pieces), st.text(max_size=30))
    indent = st.sampled_from(["", "", "", "  ", "    ", "\t"])
    line = st.builds(lambda i, p: i + p, indent, piece)
    return st.lists(line, max_size=max_lines).map("\n".join)


FRONT_MATTER = st.builds(lambda y, m: f"---\n{y}\n---\n{m}\n", assembled(YAML_PIECES), assembled(MARKDOWN_PIECES))
ANY_TEXT = st.one_of(st.text(max_size=400), assembled(YAML_PIECES), FRONT_MATTER)


# --- each loader on its own ---------------------------------------------------------------------


@fuzz(300, 5)
@given(ANY_TEXT)
def test_yaml_gives_values_or_a_located_error(text):
    try:
        yamlnodes.parse(text)
    except yamlnodes.YamlError as exc:
        assert exc.message and (exc.line is None or exc.line >= 1)


@fuzz(300, 5)
@given(ANY_TEXT)
def test_front_matter_splits_or_gives_a_problem(text):
    problems = Problems()
    result = load.split_front_matter("content/pages/x.sv.md", text, problems)
    if result is None:
        assert problems.errors and all(p.path == "content/pages/x.sv.md" for p in problems.items)
    else:
        front, body, body_line = result
        assert isinstance(front, yamlnodes.Mapping) and body_line >= 2 and not problems.items


@fuzz(200, 5)
@given(st.binary(max_size=600) | FRONT_MATTER.map(lambda t: t.encode("utf-8")))
def test_any_bytes_are_read_as_text_or_refused(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("bytes")
    (root / "f.md").write_bytes(data)
    problems = Problems()
    text = load.read_text(root, root / "f.md", problems)
    assert (text is None) == bool(problems.errors)
    if text is not None:
        assert "\r" not in text and not text.startswith("\ufeff")


@fuzz(300, 5)
@given(ANY_TEXT)
def test_shapes_give_values_or_located_problems(text):
    try:
        node = yamlnodes.parse(text)
    except yamlnodes.YamlError:
        return
    last_line = text.count("\n") + 1
    for section in model.SECTIONS:
        problems = Problems()
        value = s.convert(node, model._page_shape(section), s.Ctx("x.md", problems), "front matter")
        assert (value is s.INVALID) == bool(problems.errors)
        for p in problems.items:  # located: at a line of the text, or (no document at all) at none
            assert p.path == "x.md" and p.message
            assert (p.line is None) if node is None else (1 <= p.line <= last_line), (p.line, str(p))
        if isinstance(node, yamlnodes.Mapping) and getattr(node.get("title"), "is_null", False):
            # `title: ~`, `title: null`, `title:` are never published as text
            assert f"x.md:{node['title'].line}: 'title' should be text, not " in [
                str(p)[: len(f"x.md:{node['title'].line}: 'title' should be text, not ")] for p in problems.items
            ]


class Dangerous(HTMLParser):
    """Collects what must never come out of the sanitizer."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "iframe", "form", "input", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(name)
            if (
                name in ("href", "src")
                and value
                and value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
            ):
                self.found.append(value)


@fuzz(300, 12)
@given(st.one_of(assembled(MARKDOWN_PIECES, 40), st.text(max_size=400)))
def test_markdown_gives_safe_html_or_a_problem(text):
    try:
        html, removed = markup.convert(text)
    except markup.MarkupError:
        return
    finder = Dangerous()
    finder.feed(html)
    assert finder.found == []
    assert all(line is None or 1 <= line <= text.count("\n") + 1 for line, _ in removed)


# --- the whole build on a copy of the tiny site, one file fuzzed -------------------------------------

TARGETS = [
    "content/pages/fuzz.sv.md",
    "content/news/2019-09-27-fuzz.sv.md",
    "data/staffing.yaml",
    "data/i18n/en.yaml",
    "content/pages/kontakt.en.md",
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return tiny_site(tmp_path_factory.mktemp("fuzz") / "portal")


def files_under(folder: Path) -> set:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


# A valid page whose title and markdown are fuzzed: the build gets as far as writing.
TITLE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)
VALID_PAGE = st.builds(
    lambda title, body: f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nupdated: 2026-01-01\n---\n{body}\n",
    TITLE,
    assembled([p for p in MARKDOWN_PIECES if p != BROKEN_LINK]),
)


@fuzz(16, 60)
@given(
    target=st.sampled_from(TARGETS),
    data=st.one_of(
        VALID_PAGE.map(str.encode),
        FRONT_MATTER.map(str.encode),
        assembled(YAML_PIECES).map(str.encode),
        st.binary(max_size=300),
    ),
)
def test_the_build_writes_a_site_or_reports_problems_and_nothing_else(pristine, tmp_path_factory, target, data):
    build_with_one_file(pristine, tmp_path_factory, target, data)


@fuzz(10, 60)
@given(VALID_PAGE)
def test_a_page_with_any_title_and_markdown_builds_inside_its_folder(pristine, tmp_path_factory, text):
    result, root = build_with_one_file(pristine, tmp_path_factory, "content/pages/fuzz.sv.md", text.encode("utf-8"))
    assert result.problems.errors == [], [str(p) for p in result.problems.errors]
    assert (root / "_site/fuzz/index.html").is_file()


def build_with_one_file(pristine, tmp_path_factory, target, data):
    base = tmp_path_factory.mktemp("run")
    root = base / "portal"
    shutil.copytree(pristine, root)
    (root / target).parent.mkdir(parents=True, exist_ok=True)
    (root / target).write_bytes(data)
    before = files_under(base)

    result = pipeline.build(pipeline.Options(root=root, out=root / "_site"))

    after = files_under(base)
    written = {p for p in after - before if not p.startswith(("portal/_site", "portal/.cache"))}
    assert written == set()  # nothing outside the output folder and the build cache, not even a temporary one
    if result.problems.errors:
        event("refused")
        assert not (root / "_site").exists()
        assert all(str(base) not in str(p) for p in result.problems.items)
        # The fuzzed file is the only change, so the build says what is wrong with it.
        assert any(p.path == target for p in result.problems.errors), [str(p) for p in result.problems.errors]
    else:
        event("built")
        assert (root / "_site/index.html").is_file()
    return result, root
