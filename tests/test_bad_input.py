"""An editor's mistakes: a plain `path:line: message`, exit 1, no traceback,
and the site that was already built stays exactly as it was."""
from __future__ import annotations

import hashlib

import pytest

from conftest import run_build


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write(root, rel, text, mode="w"):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def replace(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PAGE = "content/pages/om-samverkan.sv.md"

BAD_INPUTS = {
    "yaml syntax error": (
        lambda r: replace(r, "data/staffing.yaml", "    value: 4.7\n", "    value: [4.7\n"),
        "data/staffing.yaml:12: YAML syntax error",
    ),
    "missing required field": (
        lambda r: replace(r, PAGE, "title: Om samverkan\n", ""),
        "content/pages/om-samverkan.sv.md:2: 'front matter' is missing the required key 'title'",
    ),
    "wrong type": (
        lambda r: replace(r, "data/staffing.yaml", "    value: 4.7\n", "    value: fyra komma sju\n"),
        "data/staffing.yaml:11: 'value' should be a number, not 'fyra komma sju'",
    ),
    "unknown language suffix": (
        lambda r: write(r, "content/pages/om-samverkan.de.md", "---\ntitle: Über\nupdated: 2026-01-01\n---\nText\n"),
        "content/pages/om-samverkan.de.md: unknown language 'de' in the file name; the site's languages are sv, en",
    ),
    "unclosed front matter": (
        lambda r: write(r, "content/pages/ny.sv.md", "---\ntitle: Ny sida\nupdated: 2026-01-01\n\nText utan slut\n"),
        "content/pages/ny.sv.md:1: front matter is not closed",
    ),
    "two pages on one URL": (
        lambda r: write(r, "content/pages/annan.sv.md", "---\ntitle: Annan\nslug: enheten\nupdated: 2026-01-01\n---\nText\n"),
        "two pages on one URL /enheten/",
    ),
    "template syntax error": (
        lambda r: replace(r, "templates/page.html", "{% block body %}", "{% block body %"),
        "templates/page.html:5: template syntax error",
    ),
    "undefined template variable": (
        lambda r: replace(r, "templates/page.html", "<h1>{{ page.title }}</h1>", "<h1>{{ page.titel }}</h1>"),
        "templates/page.html:4: 'portal.model.Page object' has no attribute 'titel'",
    ),
    "non-UTF-8 file": (
        lambda r: write(r, PAGE, "---\ntitle: Om samverkan\nupdated: 2026-01-01\n---\nMj\xf6lby\n".encode("latin-1")),
        "content/pages/om-samverkan.sv.md:5: is not UTF-8 text (byte 0xf6)",
    ),
    "empty file": (
        lambda r: write(r, PAGE, ""),
        "content/pages/om-samverkan.sv.md: file is empty",
    ),
    "impossible date": (
        lambda r: replace(r, PAGE, "updated: 2026-11-24", "updated: 2019-02-30"),
        "content/pages/om-samverkan.sv.md:4: 'updated' is '2019-02-30', which is not a real date",
    ),
    "unknown front matter key": (
        lambda r: replace(r, PAGE, "title: Om samverkan\n", "title: Om samverkan\ntitel: Om\n"),
        "content/pages/om-samverkan.sv.md:3: unknown key 'titel' in 'front matter'",
    ),
    "missing interface string": (
        lambda r: replace(r, "data/i18n/en.yaml", "  feedback: Give feedback\n", ""),
        "data/i18n/en.yaml: the interface string 'footer.feedback' is missing (it is in data/i18n/sv.yaml:",
    ),
    "unknown municipality in news": (
        lambda r: replace(r, "content/news/2019-09-26-odeshog-ansluter.sv.md", "[odeshog, mjolby]", "[odeshog, linkoping]"),
        "content/news/2019-09-26-odeshog-ansluter.sv.md:6: unknown municipality 'linkoping'",
    ),
    "missing template": (
        lambda r: replace(r, PAGE, "template: collaboration.html", "template: samverkan.html"),
        "content/pages/om-samverkan.sv.md:5: template 'samverkan.html' does not exist in templates/",
    ),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_is_reported_and_leaves_the_site_alone(portal, name):
    break_it, expected = BAD_INPUTS[name]
    assert run_build(portal).returncode == 0
    before = snapshot(portal / "_site")

    break_it(portal)
    result = run_build(portal)

    assert result.returncode == 1, result.stderr
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(portal / "_site") == before


def test_all_errors_of_a_run_are_reported_together(portal):
    replace(portal, PAGE, "title: Om samverkan\n", "")
    replace(portal, "data/staffing.yaml", "    value: 4.7\n", "    value: fyra\n")
    result = run_build(portal)
    assert result.returncode == 1
    assert "om-samverkan.sv.md:2:" in result.stderr and "data/staffing.yaml:11:" in result.stderr


def test_check_reports_the_same_errors_and_writes_nothing(portal):
    replace(portal, PAGE, "title: Om samverkan\n", "")
    result = run_build(portal, "check")
    assert result.returncode == 1
    assert "om-samverkan.sv.md:2: 'front matter' is missing the required key 'title'" in result.stderr
    assert not (portal / "_site").exists()
