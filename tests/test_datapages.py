"""Pages made from data/: one per municipality, the agreements over time and the
open data page, in both languages, saying only what the source says."""

from __future__ import annotations

import re

import pytest

from htmlview import read

MUNICIPALITIES = {
    "mjolby": ("Mjölby kommun", "Mjölby Municipality"),
    "boxholm": ("Boxholms kommun", "Boxholm Municipality"),
    "odeshog": ("Ödeshögs kommun", "Ödeshög Municipality"),
}


@pytest.mark.parametrize("mid", MUNICIPALITIES)
def test_one_page_per_municipality_in_both_languages(built, mid):
    sv, en = read(built / f"kommuner/{mid}/index.html"), read(built / f"en/municipalities/{mid}/index.html")
    assert sv.lang == "sv" and en.lang == "en"
    assert sv.headings[0] == (1, MUNICIPALITIES[mid][0]) and en.headings[0] == (1, MUNICIPALITIES[mid][1])
    # The contact routes each page shows are checked in test_contacts.py.
    assert sv.link_to("Kontakta oss").href == "/kontakt/"
    assert en.link_to("Contact us").href == "/en/contact/"
    assert en.link_to("Svenska").href == f"/kommuner/{mid}/"


def test_what_each_municipality_pays_for(built):
    odeshog = read(built / "kommuner/odeshog/index.html")
    assert "1,135 heltidstjänster" in odeshog.text
    boxholm = read(built / "en/municipalities/boxholm/index.html")
    assert "not published" in boxholm.text
    # The source only gives what Mjölby and Boxholm pay together: said as such.
    assert "Together, Mjölby Municipality and Boxholm Municipality pay for 3.565 full-time posts" in boxholm.text
    assert "Samverkan för trygghet och säkerhet" in boxholm.text  # Mjölby's announcement


def test_each_municipality_lists_its_agreements(built):
    boxholm = read(built / "kommuner/boxholm/index.html")
    assert (
        "Odaterat" in boxholm.text
        and "23 september 2019" not in boxholm.text.split("Kommunens avtal")[1].split("Kontakt")[0]
    )
    odeshog = read(built / "en/municipalities/odeshog/index.html")
    assert "23 September 2019 (announced)" in odeshog.text


def test_agreements_over_time_never_back_computes_an_earlier_total(built):
    for path, not_published, total in (
        ("avtal/index.html", "Inte publicerat", "4,7 heltidstjänster"),
        ("en/agreements/index.html", "Not published", "4.7 full-time posts"),
    ):
        html = (built / path).read_text(encoding="utf-8")
        history = html.split('class="history"')[1].split("</table>")[0]
        undated, dated = history.split("<tbody>")[1].split("</tr>")[:2]
        assert not_published in undated
        # Neither 4.7 - 1 nor 4.7 - 1.135 appears as an earlier total.
        assert not re.search(r"3[.,]7|3[.,]565", undated)
        assert total in dated


def test_the_collaboration_page_links_every_municipality_and_the_timeline(built):
    page = read(built / "om-samverkan/index.html")
    for mid, (name, _) in MUNICIPALITIES.items():
        assert page.link_to(name).href == f"/kommuner/{mid}/"
    assert page.link_to("Avtal över tid").href == "/avtal/"


@pytest.mark.parametrize("path, lang", [("oppna-data/index.html", "sv"), ("en/open-data/index.html", "en")])
def test_the_data_page_lists_datasets_fields_licence_and_last_change(built, path, lang):
    page = read(built / path)
    assert page.lang == lang
    hrefs = {link.href for link in page.links}
    for name in ("staffing", "agreements", "municipalities"):
        for suffix in ("csv", "json", "schema.json"):
            assert f"/data/{name}.{suffix}" in hrefs
    assert "http://creativecommons.org/publicdomain/zero/1.0/deed." + lang in hrefs
    assert "CC0 1.0" in page.text
    assert ("Senast ändrad: 24 november 2026" if lang == "sv" else "Last changed: 24 November 2026") in page.text
    for field in ("as_of", "share_of", "source_publisher", "date_kind", "role"):
        assert field in page.text


def test_the_footer_links_the_open_data_page(built):
    assert read(built / "index.html").link_to("Öppna data").href == "/oppna-data/"
    assert read(built / "en/index.html").link_to("Open data").href == "/en/open-data/"
