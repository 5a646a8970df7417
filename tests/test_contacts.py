"""Contact routes: each municipality's public switchboard, e-mail and postal address from
data/contacts.yaml, shown with its source and that source's date wherever a reader
needs them (contact page, municipality pages, every footer, the accessibility
statement, schema.org data), and never a named official's own address."""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_build, site_pages
from htmlview import read
from portal.model.contacts import tel

ROUTES = {  # what the sources give (see data/sources.yaml), and nothing more
    "mjolby": {"tel": "tel:+4614285995", "phone": "0142-859 95", "mail": "mailto:medborgarservice@mjolby.se"},
    "boxholm": {"tel": "tel:+4614289500", "phone": "0142-895 00", "mail": None},
    "odeshog": {"tel": "tel:+4614435000", "phone": "0144-350 00", "mail": "mailto:kommun@odeshog.se"},
}


def html(built, path):
    return (built / path).read_text(encoding="utf-8")


def main_of(text):
    return text.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def footer_of(text):
    return text.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]


def hrefs(fragment):
    return re.findall(r'href="([^"]+)"', fragment)


@pytest.mark.parametrize("path", ["kontakt/index.html", "en/contact/index.html"])
def test_contact_page_shows_every_route_with_its_source_and_date(built, path):
    main = main_of(html(built, path))
    links = hrefs(main)
    for route in ROUTES.values():
        assert route["tel"] in links and f">{route['phone']}</a>" in main
        if route["mail"]:
            assert route["mail"] in links
    assert "Stora torget 3, 599 80 Ödeshög" in main
    # Each number's source, and the date that source gives (or that it gives none).
    for address in (
        "https://www.mjolby.se/34865.html",
        "https://www.odeshog.se/kommundemokrati/demokrati/paverka.4.d7577d512641215a4580006263.html",
        "https://www.boxholm.se/nyhetsarkiv/informationmedanledningavcoronaviruscovid19.5.63815e2f170bff837c8d5984.html",
    ):
        assert address in links
    text = read(built / path).text
    if path.startswith("en/"):
        assert "published 4 May 2018" in text and "updated 23 August 2021" in text and "the page gives no date" in text
    else:
        assert (
            "publicerad 4 maj 2018" in text
            and "uppdaterad 23 augusti 2021" in text
            and "sidan anger inget datum" in text
        )


@pytest.mark.parametrize("path", ["kontakt/index.html", "en/contact/index.html"])
def test_contact_page_has_the_emergency_numbers(built, path):
    main = main_of(html(built, path))
    for number, link in (("112", "tel:112"), ("113 13", "tel:11313"), ("114 14", "tel:11414")):
        assert f'href="{link}">{number}</a>' in main
    assert "https://www.krisinformation.se/" in hrefs(main)
    assert "SOS Alarm" in main and "Polismyndigheten" in main


@pytest.mark.parametrize("mid", ROUTES)
def test_each_municipality_page_shows_its_own_routes(built, mid):
    for path in (f"kommuner/{mid}/index.html", f"en/municipalities/{mid}/index.html"):
        main = main_of(html(built, path))
        links = [h for h in hrefs(main) if h.startswith(("tel:", "mailto:"))]
        expected = [ROUTES[mid]["tel"]] + ([ROUTES[mid]["mail"]] if ROUTES[mid]["mail"] else [])
        assert links == expected, (path, links)


def test_every_page_has_the_same_help_in_the_same_place_of_its_footer(built):
    pages = site_pages(built)
    assert len(pages) > 30
    for page in pages:
        footer = footer_of(page.read_text(encoding="utf-8"))
        # The help comes first in the footer, before the links, on every page (WCAG 2.2, 3.2.6).
        first_heading = re.search(r'<h2 class="footer-heading"[^>]*>([^<]+)</h2>', footer)[1]
        assert first_heading in ("Få hjälp", "Get help"), page
        help_part = footer.split("footer-links")[0]
        assert hrefs(help_part)[:3] == ["tel:112", "tel:+4614285995", "mailto:medborgarservice@mjolby.se"], page
        assert "https://www.mjolby.se/34865.html" in help_part, page  # the number's source


@pytest.mark.parametrize(
    "path, before",
    [("tillganglighet/index.html", '<h2 id="enforcement">'), ("en/accessibility/index.html", '<h2 id="enforcement">')],
)
def test_accessibility_statement_gives_a_working_feedback_route(built, path, before):
    main = main_of(html(built, path))
    reporting = main.split(before)[0].rsplit("<h2", 1)[1]  # the section on reporting problems
    assert "tel:+4614285995" in hrefs(reporting) and "mailto:medborgarservice@mjolby.se" in hrefs(reporting)


@pytest.mark.parametrize(
    "path, lang",
    [("index.html", "sv"), ("kontakt/index.html", "sv"), ("en/index.html", "en"), ("en/contact/index.html", "en")],
)
def test_start_and_contact_pages_describe_the_unit_for_search_engines(built, path, lang):
    text = html(built, path)
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    org = json.loads(data)
    assert org["@context"] == "https://schema.org" and org["@type"] == "GovernmentOrganization"
    assert org["name"] == {"sv": "Trygghets- och säkerhetsenheten", "en": "The safety and security unit"}[lang]
    assert org["parentOrganization"]["name"] == {"sv": "Mjölby kommun", "en": "Mjölby Municipality"}[lang]
    [point] = org["contactPoint"]
    assert (
        point["@type"] == "ContactPoint"
        and point["telephone"] == "+4614285995"
        and point["email"] == "medborgarservice@mjolby.se"
    )
    assert len(org["areaServed"]) == 3


def test_tel_links_use_the_international_form():
    assert tel("0142-859 95") == "+4614285995"
    assert tel("0144-350 00") == "+4614435000"
    assert tel("113 13") == "11313" and tel("112") == "112"


CONTACTS = "data/contacts.yaml"


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "email: kommun@mjolby.example",
            "email: anna.andersson@mjolby.example",
            "'anna.andersson@mjolby.example' looks like a person's own address; publish the municipality's functional address instead",
        ),
        (
            "phone: 0100-100 00",
            "phone: 0100 10000",
            "'phone' is '0100 10000': write a Swedish number as the source does, e.g. 0142-859 95",
        ),
        (
            "  - municipality: mjolby",
            "  - municipality: linkoping",
            "unknown municipality 'linkoping' (known: mjolby, odeshog)",
        ),
        ("    source: mjolby-contact", "    source: mjolby-2021", "unknown source 'mjolby-2021'"),
    ],
)
def test_a_bad_contact_route_gives_its_line(tiny, old, new, message):
    path = tiny / CONTACTS
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    result = run_build(tiny)
    assert result.returncode == 1
    assert f"{CONTACTS}:{line}: {message}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_site_without_contact_routes_still_builds_and_invents_none(tiny):
    (tiny / CONTACTS).unlink()
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    for path in ("index.html", "kontakt/index.html", "kommuner/mjolby/index.html", "en/index.html"):
        text = (tiny / "_site" / path).read_text(encoding="utf-8")
        assert "tel:" not in text and "mailto:" not in text, path
        assert "Få hjälp" not in text and "Get help" not in text
    assert "Källan anger inga kontaktuppgifter" in read(tiny / "_site/kommuner/mjolby/index.html").text
    contact = (tiny / "_site/kontakt/index.html").read_text(encoding="utf-8")
    assert 'id="emergency"' not in contact and 'id="feedback"' in contact
