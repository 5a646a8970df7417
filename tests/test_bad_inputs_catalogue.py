"""The catalogue of bad input: every way an editor's commit can be wrong or hostile,
the exact line the build prints for it, exit 1, no traceback, and the site that
was already built left exactly as it was.

Each row is (name, how to break a copy of the tiny site (tests/tinysite.py), the exact error line).
A few inputs that look wrong but are fine (a BOM, CRLF line ends, YAML 1.1's
`NO` and `1.10`) are at the end: they build, and the page shows what was written.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tracemalloc

import pytest

from conftest import run_build
from portal import pipeline
from portal.load import yamlnodes
from tinysite import tiny_site

PAGE = "content/pages/enheten.sv.md"
NEWS = "content/news/2020-01-10-enheten-vaxer.sv.md"
# The item cites sources of data/sources.yaml by id; a source written into the front
# matter itself (publisher, title, date, url) is still allowed, and checked.
CITED = "sources: [mjolby-news]\n"
INLINE_SOURCE = "source:\n  publisher: Östgöta Correspondenten\n  date: 2019-09-26\n"
STAFFING = "data/staffing.yaml"
NEW_PAGE = "content/pages/ny.sv.md"


def front(*lines, body="Text\n"):
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


def write(root, rel, content):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def replace(root, rel, old, new):
    """Replace the first `old` in the file; returns its line, for data files other issues keep growing."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def append(root, rel, more):
    """Add lines at the end of the file; returns the line the first one lands on."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text + more, encoding="utf-8")
    return text.count("\n") + 1


def link(root, rel, target):
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / rel)


def sparse(root, rel, size):
    """A file of `size` bytes that takes no room on disk."""
    with open(root / rel, "wb") as f:
        f.truncate(size)


# Billion laughs: nine levels of nine aliases would expand to 9**9 strings.
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)

CATALOGUE = [
    # --- files that are not text, or too big ----------------------------------------------
    (
        "50 MB file",
        lambda r: sparse(r, "content/pages/stor.sv.md", 50_000_000),
        "content/pages/stor.sv.md: file is 50.0 MB; the limit is 1 MB",
    ),
    (
        "binary file named .md",
        lambda r: write(r, "content/pages/bild.sv.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "content/pages/bild.sv.md: is a binary file, not text; only UTF-8 text belongs here",
    ),
    (
        "non-UTF-8 file",
        lambda r: write(r, PAGE, "---\ntitle: Bemanningen\nupdated: 2026-01-01\n---\nMj\xf6lby\n".encode("latin-1")),
        "content/pages/enheten.sv.md:5: is not UTF-8 text (byte 0xf6); save it as UTF-8",
    ),
    ("empty file", lambda r: write(r, PAGE, ""), "content/pages/enheten.sv.md: file is empty"),
    (
        "image in content/",
        lambda r: write(r, "content/pages/karta.png", b"PNG"),
        "content/pages/karta.png: only markdown files (.md) belong in content/; put images and files in static/",
    ),
    (
        ".yml instead of .yaml",
        lambda r: write(r, "data/extra.yml", "a: 1\n"),
        "data/extra.yml: data files end in .yaml; rename it",
    ),
    # --- YAML that is malformed, hostile or surprising ----------------------------------------
    (
        "a list in brackets never closed (reported where it opens)",
        lambda r: replace(r, STAFFING, "    value: 5\n", "    value: [4.7\n"),
        "data/staffing.yaml:{line}: a list in square brackets opens on this line and is never closed: add ']' at its end",
    ),
    (
        "a key with no colon in front matter (reported at its own line, not the next)",
        lambda r: replace(r, PAGE, "title: Bemanningen\n", "title Bemanningen\n"),
        "content/pages/enheten.sv.md:2: this line has no ':' after its key: "
        "write the key, a colon and a space, then the value",
    ),
    (
        "a key with no colon in a data file",
        lambda r: replace(r, STAFFING, "    value: 5\n", "    value 5\n"),
        "data/staffing.yaml:{line}: this line has no ':' after its key: "
        "write the key, a colon and a space, then the value",
    ),
    (
        "a line indented out of step",
        lambda r: replace(r, STAFFING, "    value: 5\n", "     value: 5\n"),
        "data/staffing.yaml:{line}: this line is not lined up with the lines above it: "
        "indent the keys of one group by as many spaces",
    ),
    (
        "a title with a colon and no quotes",
        lambda r: replace(r, PAGE, "title: Bemanningen\n", "title: Bemanning: så ser det ut\n"),
        "content/pages/enheten.sv.md:2: a value with ': ' in it must be in quotes: write it as \"…\"",
    ),
    (
        "a quotation mark never closed (reported where it opens, not where the file ends)",
        lambda r: replace(r, PAGE, "title: Bemanningen\n", 'title: "Bemanningen\n'),
        "content/pages/enheten.sv.md:2: a quotation mark (\" or ') opens a value on this line and is never closed: "
        "add the same mark at the end of the value, or remove it",
    ),
    (
        "a quotation mark never closed in a data file",
        lambda r: replace(r, STAFFING, "    value: 5\n", "    value: '5\n"),
        "data/staffing.yaml:{line}: a quotation mark (\" or ') opens a value on this line and is never closed: "
        "add the same mark at the end of the value, or remove it",
    ),
    (
        "alias bomb (billion laughs)",
        lambda r: write(r, STAFFING, ALIAS_BOMB),
        "data/staffing.yaml:1: YAML anchors and aliases (&name, *name) are not allowed",
    ),
    (
        "alias to a single value",
        lambda r: replace(r, PAGE, "title: Bemanningen\n", "title: &t Om samverkan\ndescription: *t\n"),
        "content/pages/enheten.sv.md:2: YAML anchors and aliases (&name, *name) are not allowed",
    ),
    (
        "YAML tag that would run code",
        lambda r: replace(r, PAGE, "title: Bemanningen\n", "title: !!python/object/apply:os.system [ls]\n"),
        "content/pages/enheten.sv.md:2: YAML tags such as tag:yaml.org,2002:python/object/apply:os.system are not allowed",
    ),
    (
        "tab for indentation",
        lambda r: replace(r, STAFFING, "    value: 5\n", "\tvalue: 4.7\n"),
        "data/staffing.yaml:{line}: YAML syntax error: a tab character; indent with spaces, not tabs",
    ),
    (
        "duplicate key in front matter",
        lambda r: replace(r, PAGE, "title: Bemanningen\n", "title: Bemanningen\ntitle: Samverkan\n"),
        "content/pages/enheten.sv.md:3: duplicate key 'title' (first at line 2)",
    ),
    (
        "duplicate key in data",
        lambda r: replace(r, STAFFING, "    value: 5\n", "    value: 4.7\n    value: 5\n"),
        "data/staffing.yaml:{next}: duplicate key 'value' (first at line {line})",
    ),
    (
        "nesting 10,000 levels deep",
        lambda r: write(r, "data/djup.yaml", "a: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        "data/djup.yaml:1: YAML is nested more than 20 levels deep",
    ),
    (
        "two YAML documents in one file",
        lambda r: append(r, "data/sources.yaml", "---\nb: 2\n"),
        "data/sources.yaml:{line}: only one YAML document is allowed here (a second '---' starts another)",
    ),
    (
        "front matter is a list",
        lambda r: write(r, NEW_PAGE, front("- title", "- updated")),
        "content/pages/ny.sv.md:2: front matter should be fields written 'name: value'",
    ),
    (
        "unclosed front matter",
        lambda r: write(r, NEW_PAGE, "---\ntitle: Ny sida\nupdated: 2026-01-01\n\nText utan slut\n"),
        "content/pages/ny.sv.md:1: front matter is not closed: add a line '---' after the fields",
    ),
    # --- values of the wrong shape ------------------------------------------------------------
    (
        "missing required field",
        lambda r: replace(r, PAGE, "title: Bemanningen\n", ""),
        "content/pages/enheten.sv.md:2: 'front matter' is missing the required key 'title'",
    ),
    (
        "unknown front matter key",
        lambda r: replace(r, PAGE, "title: Bemanningen\n", "title: Bemanningen\ntitel: Om\n"),
        "content/pages/enheten.sv.md:3: unknown key 'titel' in 'front matter' (known keys: title, slug, translation_key, description, updated, template, expires, aliases)",
    ),
    (
        "text where a number belongs",
        lambda r: replace(r, STAFFING, "    value: 5\n", "    value: fyra komma sju\n"),
        "data/staffing.yaml:{line}: 'value' should be a number, not 'fyra komma sju'",
    ),
    (
        "decimal comma",
        lambda r: replace(r, STAFFING, "    value: 5\n", "    value: 4,7\n"),
        "data/staffing.yaml:{line}: 'value' should be a number, not '4,7' (write decimals with a point: 4.7)",
    ),
    (
        "a float YAML 1.1 would round",
        lambda r: replace(r, STAFFING, "    value: 5\n", "    value: 4.7e0\n"),
        "data/staffing.yaml:{line}: 'value' should be a number, not '4.7e0'",
    ),
    (
        "NO where true/false belongs (YAML 1.1 reads false)",
        lambda r: replace(r, STAFFING, "    published: false\n", "    published: NO\n"),
        "data/staffing.yaml:{line}: 'published' should be true or false, not 'NO'",
    ),
    (
        "date that does not exist",
        lambda r: replace(r, PAGE, "updated: 2020-02-01", "updated: 2019-02-30"),
        "content/pages/enheten.sv.md:4: 'updated' is '2019-02-30', which is not a real date",
    ),
    (
        "date with a time",
        lambda r: replace(r, PAGE, "updated: 2020-02-01", "updated: 2019-09-26 10:00"),
        "content/pages/enheten.sv.md:4: 'updated' should be a date written YYYY-MM-DD, not '2019-09-26 10:00'",
    ),
    # --- addresses that try to leave the site ----------------------------------------------
    (
        "slug with ..",
        lambda r: write(r, NEW_PAGE, front("title: Ny", "slug: ../../etc", "updated: 2026-01-01")),
        "content/pages/ny.sv.md:3: 'slug' is '../../etc': a slug is lower-case letters a-z, digits and single hyphens (no '/', '..' or spaces)",
    ),
    (
        "slug that is an absolute path",
        lambda r: write(r, NEW_PAGE, front("title: Ny", "slug: /etc/passwd", "updated: 2026-01-01")),
        "content/pages/ny.sv.md:3: 'slug' is '/etc/passwd': a slug is lower-case letters a-z, digits and single hyphens (no '/', '..' or spaces)",
    ),
    (
        "slug with a backslash",
        lambda r: write(r, NEW_PAGE, front("title: Ny", r'slug: "a\\b"', "updated: 2026-01-01")),
        "content/pages/ny.sv.md:3: 'slug' is 'a\\b': a slug is lower-case letters a-z, digits and single hyphens (no '/', '..' or spaces)",
    ),
    (
        "slug with a NUL",
        lambda r: write(r, NEW_PAGE, front("title: Ny", r'slug: "a\0b"', "updated: 2026-01-01")),
        "content/pages/ny.sv.md:3: 'slug' contains a NUL character",
    ),
    (
        "source url with ..",
        lambda r: replace(r, NEWS, CITED, INLINE_SOURCE + "  url: ../../etc/passwd\n"),
        "content/news/2020-01-10-enheten-vaxer.sv.md:10: 'url' is '../../etc/passwd': write a full address starting with https:// or http://",
    ),
    (
        "source url that is an absolute path",
        lambda r: replace(r, NEWS, CITED, INLINE_SOURCE + "  url: /etc/passwd\n"),
        "content/news/2020-01-10-enheten-vaxer.sv.md:10: 'url' is '/etc/passwd': write a full address starting with https:// or http://",
    ),
    (
        "source url with a backslash",
        lambda r: replace(r, NEWS, CITED, INLINE_SOURCE + "  url: 'https://example.org\\..\\x'\n"),
        "content/news/2020-01-10-enheten-vaxer.sv.md:10: 'url' is 'https://example.org\\..\\x': write a full address starting with https:// or http://",
    ),
    (
        "source url with javascript:",
        lambda r: replace(r, NEWS, CITED, INLINE_SOURCE + "  url: javascript:alert(1)\n"),
        "content/news/2020-01-10-enheten-vaxer.sv.md:10: 'url' is 'javascript:alert(1)': write a full address starting with https:// or http://",
    ),
    (
        "news item citing an unknown source",
        lambda r: replace(r, NEWS, CITED, "sources: [mjolby-news, corren-2019-09-27]\n"),
        "content/news/2020-01-10-enheten-vaxer.sv.md:7: unknown source 'corren-2019-09-27' (data/sources.yaml has: mjolby-contact, mjolby-news)",
    ),
    (
        "source with neither title nor url",
        lambda r: replace(r, "data/sources.yaml", "  url: https://mjolby.example/kontakt\n", ""),
        "data/sources.yaml:7: source 'mjolby-contact' has neither a title nor a url: give at least one, so a reader can find it",
    ),
    (
        "source of an unknown kind",
        lambda r: replace(r, "data/sources.yaml", "  kind: announcement\n", "  kind: newspaper\n"),
        "data/sources.yaml:{line}: 'kind' is 'newspaper'; it should be one of: announcement, news-article, web-page",
    ),
    (
        "news folder name with ..",
        lambda r: replace(r, "data/site.yaml", "  news: {sv: nyheter, ", "  news: {sv: ../nyheter, "),
        "data/site.yaml:{line}: 'news.sv' is '../nyheter': a slug is lower-case letters a-z, digits and single hyphens (no '/', '..' or spaces)",
    ),
    (
        "file name that is not an address",
        lambda r: write(r, "content/pages/Om oss.sv.md", front("title: Om", "updated: 2026-01-01")),
        "content/pages/Om oss.sv.md: a content file's name becomes its address: use lower-case letters a-z, digits and hyphens, e.g. om-samverkan.sv.md",
    ),
    (
        "template name with ..",
        lambda r: replace(r, PAGE, "template: staffing.html", "template: ../base.html"),
        "content/pages/enheten.sv.md:5: 'template' is '../base.html': the name of a template in templates/, e.g. staffing.html",
    ),
    (
        "symlink in content/ pointing outside",
        lambda r: link(r, "content/pages/passwd.sv.md", "/etc/passwd"),
        "content/pages/passwd.sv.md: is a link to a file outside the repository's content/, data/, templates/ and static/ folders; copy the file in instead",
    ),
    (
        "symlink in static/ into .git",
        lambda r: link(r, "static/config", "../.git/config"),
        "static/config: is a link to a file outside the repository's content/, data/, templates/ and static/ folders; copy the file in instead",
    ),
    (
        "symlinked folder in templates/",
        lambda r: link(r, "templates/etc", "/etc"),
        "templates/etc: is a link to a file outside the repository's content/, data/, templates/ and static/ folders; copy the file in instead",
    ),
    (
        "an HTML page in static/ with a script",
        lambda r: write(r, "static/sida.html", "<p>Hej</p>\n<script>alert(1)</script>\n"),
        "static/sida.html:2: contains a script or a frame (<script>, <iframe>, <object>, an on…= attribute or a javascript: address), which would run on the site's address",
    ),
    (
        "an HTML page in static/ with a disguised javascript: link",
        lambda r: write(r, "static/sida.html", '<a href="&#106;ava\tscript:alert(1)">x</a>\n'),
        "static/sida.html:1: contains a script or a frame (<script>, <iframe>, <object>, an on…= attribute or a javascript: address), which would run on the site's address",
    ),
    (
        "an SVG image with a script",
        lambda r: write(r, "static/assets/bild.svg", '<svg xmlns="http://www.w3.org/2000/svg"\n onload="alert(1)"/>\n'),
        "static/assets/bild.svg:2: contains a script or a frame (<script>, <iframe>, <object>, an on…= attribute or a javascript: address), which would run on the site's address",
    ),
    # --- outputs that collide ----------------------------------------------------------------
    (
        "two pages on one URL",
        lambda r: write(r, "content/pages/annan.sv.md", front("title: Annan", "slug: enheten", "updated: 2026-01-01")),
        "content/pages/enheten.sv.md: two pages on one URL /enheten/: content/pages/annan.sv.md and content/pages/enheten.sv.md",
    ),
    (
        "a page and a static file on one URL",
        lambda r: write(r, "static/kontakt/index.html", "<p>kopia</p>\n"),
        "static/kontakt/index.html: a static file and a page on one URL /kontakt/index.html: content/pages/kontakt.sv.md",
    ),
    (
        "a static file on the URL of a file the build makes",
        lambda r: write(r, "static/robots.txt", "User-agent: *\n"),
        "static/robots.txt: two files on one URL /robots.txt: static/robots.txt and the build's own /robots.txt",
    ),
    (
        "a static file where a folder of pages is",
        lambda r: write(r, "static/en", "fil\n"),
        "static/en: is a file at /en, where content/news/2020-01-10-enheten-vaxer.en.md needs a folder",
    ),
    (
        "a second version in one language",
        lambda r: write(
            r,
            "content/pages/kopia.sv.md",
            front("title: Kopia", "translation_key: kontakt", "slug: kopia", "updated: 2026-01-01"),
        ),
        "content/pages/kopia.sv.md: is a second 'sv' version of 'kontakt' (the first is content/pages/kontakt.sv.md)",
    ),
    (
        "translation pair disagreeing on translation_key",
        lambda r: replace(
            r, "content/pages/kontakt.en.md", "title: Contact\n", "title: Contact\ntranslation_key: kontakta\n"
        ),
        "content/pages/kontakt.sv.md: its translation_key 'kontakt' disagrees with content/pages/kontakt.en.md ('kontakta'); files with one name are translations of each other",
    ),
    # --- languages, references -------------------------------------------------------------------
    (
        "unknown language suffix",
        lambda r: write(r, "content/pages/enheten.de.md", front("title: Über", "updated: 2026-01-01")),
        "content/pages/enheten.de.md: unknown language 'de' in the file name; the site's languages are sv, en (data/site.yaml)",
    ),
    (
        "missing interface string",
        lambda r: replace(r, "data/i18n/en.yaml", "  feedback: Give feedback\n", ""),
        "data/i18n/en.yaml: the interface string 'footer.feedback' is missing (it is in data/i18n/sv.yaml:…)",
    ),
    (
        "unknown placeholder in an interface string",
        lambda r: replace(r, "data/i18n/en.yaml", "{formula}", "{formula.__class__}{formel}"),
        "templates/…: the interface string 'figures.derived_note' has the placeholder {formel}, which is not one of: formula (rendering …)",
    ),
    (
        "unknown municipality in news",
        lambda r: replace(r, NEWS, "[odeshog]", "[odeshog, linkoping]"),
        "content/news/2020-01-10-enheten-vaxer.sv.md:6: unknown municipality 'linkoping' (known: mjolby, odeshog)",
    ),
    (
        "link to a page that does not exist",
        lambda r: replace(
            r,
            PAGE,
            "Tabellen visar enhetens tjänster.\n",
            "Tabellen visar enhetens tjänster.\n\n[Saknas](saknas.sv.md)\n",
        ),
        "content/pages/enheten.sv.md:9: links to 'saknas.sv.md', which is not a content file",
    ),
    # --- templates -------------------------------------------------------------------------------
    (
        "missing template",
        lambda r: replace(r, PAGE, "template: staffing.html", "template: samverkan.html"),
        "content/pages/enheten.sv.md:5: template 'samverkan.html' does not exist in templates/",
    ),
    (
        "template syntax error",
        lambda r: replace(r, "templates/page.html", "{% block body %}", "{% block body %"),
        "templates/page.html:5: template syntax error: expected token 'end of statement block', got '%'",
    ),
    (
        "undefined template variable",
        lambda r: replace(r, "templates/page.html", "<h1>{{ page.title }}</h1>", "<h1>{{ page.titel }}</h1>"),
        "templates/page.html:4: 'portal.model.site.Page object' has no attribute 'titel' (rendering …)",
    ),
    (
        "template that includes itself",
        lambda r: replace(r, "templates/page.html", "{% block body %}", '{% include "page.html" %}{% block body %}'),
        "templates/page.html:5: the template includes or extends itself (page.html → page.html)",
    ),
    (
        "templates that include each other",
        lambda r: (
            [
                replace(r, "templates/partials/updated.html", "", '{% include "partials/footer.html" %}'),
                replace(r, "templates/partials/footer.html", "", '{% include "partials/updated.html" %}'),
            ]
            and None
        ),
        "templates/partials/footer.html:1: the template includes or extends itself (partials/footer.html → partials/updated.html → partials/footer.html)",
    ),
    (
        "template reading a file outside templates/",
        lambda r: replace(
            r, "templates/page.html", "{% block body %}", '{% include "../../etc/passwd" %}{% block body %}'
        ),
        "templates/page.html:5: TemplateNotFound: ../../etc/passwd (rendering …)",
    ),
    (
        "template reaching into Python",
        lambda r: replace(r, "templates/page.html", "<h1>{{ page.title }}</h1>", "<h1>{{ ''.__class__.__mro__ }}</h1>"),
        "templates/page.html:4: SecurityError: access to attribute '__class__' of 'str' object is unsafe. (rendering …)",
    ),
    # --- markdown that would hang or overflow --------------------------------------------------
    (
        "markdown nested too deeply",
        lambda r: write(
            r,
            NEW_PAGE,
            front("title: Ny", "updated: 2026-01-01", body="".join("    " * i + "- x\n" for i in range(300))),
        ),
        "content/pages/ny.sv.md:5: the markdown is nested too deeply (lists or quotes inside each other)",
    ),
    (
        "markdown that takes hours (quadratic)",
        lambda r: write(r, NEW_PAGE, front("title: Ny", "updated: 2026-01-01", body="[" * 40_000)),
        "content/pages/ny.sv.md:5: the markdown took more than 10 seconds to convert; look for a very long run of '[' or '(' or deeply nested lists",
    ),
]


def matches(expected: str, line: str) -> bool:
    """The whole line, where '…' stands for a part that changes as content grows (a count, a line)."""
    return re.fullmatch(".*".join(re.escape(part) for part in expected.split("…")), line) is not None


def snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cached(root):
    """The build cache's pages and index in .cache/; not the site the last build replaced, kept
    there for the next one to make its new site in (write.staging's `keep`): a failed build
    leaves that half made, and the next build writes in it whatever differs."""
    kept = f"/{pipeline.KEPT_SITE}"
    return {
        path: digest
        for path, digest in snapshot(root / ".cache").items()
        if kept + "/" not in "/" + path and not path.endswith(kept + ".lock")
    }


@pytest.fixture(scope="module")
def built_portal(tmp_path_factory):
    """The tiny site with its _site built once; each case works on a copy."""
    root = tiny_site(tmp_path_factory.mktemp("catalogue") / "portal")
    assert run_build(root).returncode == 0
    return root


def fresh_copy(built_portal, tmp_path):
    root = tmp_path / "portal"
    shutil.copytree(built_portal, root, symlinks=True)
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    return root


def test_the_catalogue_has_at_least_30_cases_with_distinct_names():
    names = [name for name, _, _ in CATALOGUE]
    assert len(names) >= 30 and len(set(names)) == len(names)


@pytest.mark.parametrize("name, break_it, expected", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_bad_input_gives_its_exact_error_and_leaves_the_site_alone(built_portal, tmp_path, name, break_it, expected):
    root = fresh_copy(built_portal, tmp_path)
    before = snapshot(root / "_site")
    cache_before = cached(root)  # the build cache the good build kept

    line = break_it(root)
    if line is not None:  # the break says where it edited a file that keeps growing
        expected = expected.replace("{line}", str(line)).replace("{next}", str(line + 1))
    result = run_build(root)

    lines = result.stderr.splitlines()
    assert result.returncode == 1, result.stderr
    assert any(matches(expected, line) for line in lines), result.stderr
    assert lines[-1].endswith("; nothing was written.")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert snapshot(root / "_site") == before
    assert cached(root) == cache_before and cache_before
    assert sorted(p.name for p in root.iterdir()) == [
        ".cache",
        ".git",
        "_site",
        "content",
        "data",
        "static",
        "templates",
    ]


def test_the_alias_bomb_is_refused_with_little_memory():
    tracemalloc.start()
    with pytest.raises(yamlnodes.YamlError, match="anchors and aliases"):
        yamlnodes.parse(ALIAS_BOMB)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 100_000  # bytes; expanded, the bomb would need gigabytes


def test_all_errors_of_a_run_are_reported_together(tiny):
    replace(tiny, PAGE, "title: Bemanningen\n", "")
    line = replace(tiny, STAFFING, "    value: 5\n", "    value: fyra\n")
    result = run_build(tiny)
    assert result.returncode == 1
    assert "enheten.sv.md:2:" in result.stderr and f"data/staffing.yaml:{line}:" in result.stderr


def test_check_reports_the_same_errors_and_writes_nothing(tiny):
    replace(tiny, PAGE, "title: Bemanningen\n", "")
    result = run_build(tiny, "check")
    assert result.returncode == 1
    assert (
        "content/pages/enheten.sv.md:2: 'front matter' is missing the required key 'title'"
        in result.stderr.splitlines()
    )
    assert not (tiny / "_site").exists()


# --- inputs that look odd but are fine ----------------------------------------------------------


def test_bom_crlf_and_yaml_1_1_lookalikes_are_accepted_as_written(tiny):
    page = (tiny / PAGE).read_text(encoding="utf-8")
    page = page.replace("title: Bemanningen\n", "title: NO\n")
    (tiny / PAGE).write_bytes(b"\xef\xbb\xbf" + page.replace("\n", "\r\n").encode("utf-8"))
    replace(tiny, STAFFING, "    value: 5\n", "    value: 4.70\n")
    replace(tiny, STAFFING, "    value: 2\n", "    value: 1.10\n")

    result = run_build(tiny)

    assert result.returncode == 0, result.stderr
    html = (tiny / "_site/enheten/index.html").read_text(encoding="utf-8")
    assert "<h1>NO</h1>" in html  # not False, not "no"
    staffing = (tiny / "_site/en/staffing/index.html").read_text(encoding="utf-8")
    assert "1.10" in staffing and "3.60" in staffing  # exact: 4.70 − 1.10, not 3.6000000000000005


# Messages whose parts were English text inside a Swedish sentence: each is said in Swedish whole.
IN_SWEDISH = {
    "template that includes itself": "templates/page.html:5: mallen inkluderar eller bygger ut sig själv (page.html → page.html)",
    "a static file where a folder of pages is": "static/en: är en fil på /en, där den genererade sidan 'agreements' (en) behöver en mapp",
    "unknown placeholder in an interface string": "templates/partials/formula.html:5: gränssnittstexten 'figures.derived_note' "
    "har platshållaren {formel}, som inte är någon av: formula (när content/pages/enheten.en.md gjordes)",
}


@pytest.mark.parametrize("name", IN_SWEDISH)
def test_bad_input_is_reported_in_swedish_through_and_through(tiny, name):
    break_it = next(row[1] for row in CATALOGUE if row[0] == name)
    break_it(tiny)
    result = pipeline.check(pipeline.Options(root=tiny, once=True, search=False, cache=False))
    assert IN_SWEDISH[name] in [problem.text("sv") for problem in result.problems.items]
