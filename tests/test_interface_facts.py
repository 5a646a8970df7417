"""The interface strings (data/i18n/) hold no facts of the portal: the unit's name, the host
and the municipalities come from data/collaboration.yaml (FACTS in portal/render/pages.py).

So the tiny site, whose unit is "Enheten" and whose municipalities are Mjölby and Ödeshög,
names only those: no Boxholm, no "trygghets- och säkerhetsenheten". And a municipality that
joins is one entry in data/collaboration.yaml, not an edit of every language's strings.
"""

from __future__ import annotations

import re

import htmlview
from conftest import run_build, site_pages
from tinysite import add_municipality

THE_PORTALS = re.compile(r"Boxholm|säkerhetsenhet|safety and security unit", re.IGNORECASE)


def test_the_tiny_sites_pages_name_only_its_own_unit_and_municipalities(tiny_built):
    for path in site_pages(tiny_built):
        found = THE_PORTALS.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.relative_to(tiny_built)} says {found[0]!r}, which the tiny site's data never does"


def test_the_strings_say_the_tiny_sites_facts(tiny_built):
    home, home_en = htmlview.read(tiny_built / "index.html"), htmlview.read(tiny_built / "en/index.html")
    assert "Enheten arbetar för Mjölby och Ödeshög. Den arbetar bland annat med:" in home.text
    assert "The unit works for Mjölby and Ödeshög. Among other things, it works on:" in home_en.text
    # A page without a description of its own is described by the site's (share.description).
    news, news_en = htmlview.read(tiny_built / "nyheter/index.html"), htmlview.read(tiny_built / "en/news/index.html")
    assert news.meta("property", "og:description")["content"] == (
        "Enheten i Mjölby kommun arbetar för Mjölby och Ödeshög. "
        "Här finns samverkan, bemanningen, avtalen och nyheterna."
    )
    assert news_en.meta("property", "og:description")["content"].startswith(
        "The unit hosted by Mjölby Municipality works for Mjölby and Ödeshög."
    )
    # The unit's name as it begins a heading or a sentence, and (a small first letter) within one.
    contact = htmlview.read(tiny_built / "kontakt/index.html")
    assert (2, "Enheten") in contact.headings
    assert "Säg att ditt ärende gäller enheten." in contact.text
    assert "Bor du i Ödeshög kan du också vända dig till din egen kommun." in contact.text
    assert "Enheten når du genom Mjölby kommun:" in contact.text
    staffing = htmlview.read(tiny_built / "en/staffing/index.html")
    assert "Staffing of the unit" in staffing.text
    partner = htmlview.read(tiny_built / "kommuner/odeshog/index.html")
    assert "Ödeshögs kommun är samarbetskommun. Enheten i Mjölby kommun arbetar också för Ödeshögs kommun." in (
        partner.text
    )


def test_a_municipality_that_joins_is_one_entry_in_the_data(tiny):
    add_municipality(tiny, "tranas", "Tranås kommun", "Tranås Municipality", "Tranås")
    collaboration = tiny / "data/collaboration.yaml"
    text = collaboration.read_text(encoding="utf-8")
    collaboration.write_text(text.replace("en: The unit\n", "en: The joint unit\n", 1), encoding="utf-8")
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    home = htmlview.read(tiny / "_site/index.html")
    assert "Enheten arbetar för Mjölby, Ödeshög och Tranås." in home.text
    contact = htmlview.read(tiny / "_site/en/contact/index.html")
    assert "If you live in Ödeshög or Tranås you can also contact your own municipality." in contact.text
    assert "Say that your question is for the joint unit." in contact.text
    assert (2, "The joint unit") in contact.headings


def test_who_lists_the_units_work_is_said_by_the_data_or_not_at_all(tiny, tiny_built):
    """The unit page's note under the areas of work: the source's number, and who lists the
    areas where unit.work.listed_by says it (the real portal: Mjölby's announcement)."""
    note = re.compile(r'<p class="note">([^<]*)<a data-pagefind-ignore href="#source-1">\[1\]</a></p>')
    assert note.search((tiny_built / "enheten/index.html").read_text(encoding="utf-8"))[1] == "Källa: "
    collaboration = tiny / "data/collaboration.yaml"
    text = collaboration.read_text(encoding="utf-8")
    listed_by = "    listed_by:\n      sv: Så listar Mjölby kommun arbetet.\n      en: Mjölby lists it so.\n"
    collaboration.write_text(
        text.replace("    source: mjolby-news\n", "    source: mjolby-news\n" + listed_by, 1), encoding="utf-8"
    )
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    assert note.search((tiny / "_site/enheten/index.html").read_text(encoding="utf-8"))[1] == (
        "Så listar Mjölby kommun arbetet. "
    )
    assert note.search((tiny / "_site/en/staffing/index.html").read_text(encoding="utf-8"))[1] == "Mjölby lists it so. "
