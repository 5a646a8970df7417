"""A source's publisher is named in the page's language where data/sources.yaml gives such a
name ("Ödeshög Municipality" on English pages); the publisher's own name is kept as the
citation's title, and the open data keeps it as it is."""

from __future__ import annotations

import csv
import io

import yaml

from conftest import run_build
from htmlview import read


def name_publishers(root, publisher):
    """Give every source of the site the publisher `publisher` (text or per language)."""
    path = root / "data/sources.yaml"
    sources = yaml.safe_load(path.read_text(encoding="utf-8"))
    for source in sources:
        source["publisher"] = publisher
    path.write_text(yaml.dump(sources, Dumper=NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")


class NoAliases(yaml.SafeDumper):
    """Writes a value given to many sources out each time: the engine refuses YAML aliases."""

    def ignore_aliases(self, data):
        return True


def sources_list(page_html: str) -> str:
    start = page_html.index('<ol class="sources"')
    return page_html[start : page_html.index("</ol>", start)]


def test_english_pages_name_the_publisher_in_english(tiny):
    name_publishers(tiny, {"sv": "Ödeshögs kommun", "en": "Ödeshög Municipality"})
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    site = tiny / "_site"
    en = (site / "en/staffing/index.html").read_text(encoding="utf-8")
    cited = sources_list(en)
    assert '<span class="publisher" title="Ödeshögs kommun">Ödeshög Municipality</span>,' in cited
    # On the English page the Swedish name is only the citation's title, never its text.
    assert "Ödeshögs kommun" not in read(site / "en/staffing/index.html").text
    assert "Ödeshög Municipality" in read(site / "en/index.html").text  # the key figures' sources
    sv = (site / "enheten/index.html").read_text(encoding="utf-8")
    assert "Ödeshögs kommun, " in sources_list(sv) and 'class="publisher"' not in sources_list(sv)
    # The open data keeps the publisher's own name.
    rows = list(csv.DictReader(io.StringIO((site / "data/staffing.csv").read_text(encoding="utf-8"))))
    assert {row["source_publisher"] for row in rows if row["status"] != "derived"} == {"Ödeshögs kommun"}


def test_a_publisher_with_one_name_keeps_it_in_every_language(tiny):
    name_publishers(tiny, "Östgöta Correspondenten")
    assert run_build(tiny).returncode == 0
    en = (tiny / "_site/en/staffing/index.html").read_text(encoding="utf-8")
    assert "Östgöta Correspondenten, " in sources_list(en) and 'class="publisher"' not in sources_list(en)


def test_a_publisher_named_per_language_needs_every_language(tiny):
    name_publishers(tiny, {"sv": "Mjölby kommun"})
    result = run_build(tiny)
    assert result.returncode == 1
    assert "data/sources.yaml" in result.stderr and "'publisher' has no text in 'en'" in result.stderr
