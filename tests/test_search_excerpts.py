"""Search result excerpts start at a sentence: static/assets/excerpt.js, run by Node on
the text Pagefind stored for real pages (the search page's script shows what it returns)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from test_search_content import indexed

from conftest import REPO

EXCERPT = REPO / "static/assets/excerpt.js"
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node (scripts/test installs npm)")


def excerpt(content: str, locations: list, length: int = 24) -> str:
    script = (
        f"import {{ sentenceExcerpt }} from {json.dumps(EXCERPT.as_uri())};\n"
        "const [content, locations, length] = JSON.parse(process.argv[1]);\n"
        "process.stdout.write(sentenceExcerpt(content, locations, length));\n"
    )
    run = subprocess.run(
        ["node", "--input-type=module", "-e", script, json.dumps([content, locations, length])],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_starts_at_the_sentence_that_holds_the_match():
    text = "The unit has posts. The source says how many posts Ödeshög pays for, but not the rest. End."
    words = text.split()
    hit = words.index("Ödeshög")
    out = excerpt(text, [hit], 8)
    assert out.startswith("The source says how many posts <mark>Ödeshög</mark>")
    assert out.endswith(" …")
    assert (
        excerpt(text, [0], 30)
        == "<mark>The</mark> unit has posts. The source says how many posts Ödeshög pays for, but not the rest. End."
    )


def test_a_match_deep_in_a_long_sentence_is_still_shown():
    words = [f"w{i}" for i in range(60)] + ["match", "end."]
    out = excerpt(" ".join(words), [60], 12)
    assert out.startswith("w0 ") and "<mark>match</mark>" in out


def test_text_is_escaped_and_no_match_gives_nothing():
    assert excerpt("a <b> & c.", [0], 5) == "<mark>a</mark> &lt;b&gt; &amp; c."
    assert excerpt("Some text.", [], 5) == ""


def test_on_real_pages_every_excerpt_starts_a_sentence(built):
    pages = indexed(built)
    for url in ("/en/the-unit-and-its-staffing/", "/enheten/", "/en/agreements/"):
        words = pages[url].split()
        for term in ("Boxholm", "Ödeshög"):
            hits = [i for i, word in enumerate(words) if word.startswith(term)]
            assert hits, (url, term)
            out = excerpt(pages[url], hits[-1:])
            plain = re.sub(r"</?mark>", "", out).removesuffix(" …")
            at = pages[url].index(plain)
            assert at == 0 or re.search(r"[.!?:]\s$", pages[url][:at]), (url, term, out)
            assert not out[0].islower(), out
            assert "[1]" not in out


def test_the_search_pages_name_the_published_excerpt_module(built):
    for page in ("sok/index.html", "en/search/index.html"):
        html = (built / page).read_text(encoding="utf-8")
        found = re.search(r'data-excerpt="/(assets/excerpt\.[0-9a-f]{8}\.js)"', html)
        assert found, page
        assert (built / found[1]).read_bytes() == EXCERPT.read_bytes()
