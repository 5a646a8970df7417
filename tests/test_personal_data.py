"""The personal-data statement, in both languages and linked from every footer: what the
site processes, who is responsible, the GDPR rights and how to use them (through the
contact routes), and the right to complain to IMY."""

from __future__ import annotations

import re

import pytest

from conftest import site_pages
from htmlview import read

PAGES = {"sv": "personuppgifter/index.html", "en": "en/processing-of-personal-data/index.html"}


def test_the_statement_exists_in_both_languages_and_they_link_each_other(built):
    sv, en = read(built / PAGES["sv"]), read(built / PAGES["en"])
    assert sv.headings[0] == (1, "Behandling av personuppgifter")
    assert en.headings[0] == (1, "Processing of personal data")
    assert sv.link_to("English").href == "/en/processing-of-personal-data/"
    assert en.link_to("Svenska").href == "/personuppgifter/"


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "sv",
            [
                "inga formulär",
                "inga kakor",
                "tekniska loggar",
                "Mjölby kommun ansvarar",
                "dataskyddsombud",
                "kopia",
                "rättade",
                "raderade",
                "invända",
                "Integritetsskyddsmyndigheten (IMY)",
            ],
        ),
        (
            "en",
            [
                "no forms",
                "no cookies",
                "technical logs",
                "Mjölby Municipality is responsible",
                "data protection officer",
                "copy",
                "corrected",
                "erased",
                "object",
                "Integritetsskyddsmyndigheten, IMY",
            ],
        ),
    ],
)
def test_the_statement_says_what_the_site_processes_who_answers_and_the_rights(built, lang, words):
    page = read(built / PAGES[lang])
    for word in words:
        assert word in page.text, word
    assert any(link.href == "https://www.imy.se/" for link in page.links)


@pytest.mark.parametrize("lang", PAGES)
def test_rights_are_used_through_the_contact_routes(built, lang):
    text = (built / PAGES[lang]).read_text(encoding="utf-8")
    section = text.split('id="use-your-rights"')[1].split('id="complain"')[0]
    links = re.findall(r'href="([^"]+)"', section)
    assert "tel:+4614285995" in links and "mailto:medborgarservice@mjolby.se" in links


def test_every_footer_links_the_statement(built):
    pages = site_pages(built)
    for page in pages:
        footer = page.read_text(encoding="utf-8").split('<footer class="site-footer">', 1)[1]
        assert 'href="/personuppgifter/"' in footer or 'href="/en/processing-of-personal-data/"' in footer, page
