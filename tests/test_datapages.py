"""Pages made from data/: one per municipality, the agreements over time and the
open data page, in both languages, saying only what the source says.

Built from the tiny site with a funding split (tinysite.split_site, made-up figures):
6.3 posts in total, 2.1 paid for by Ödeshög, 4.2 by Mjölby and Boxholm together; an
undated agreement between Mjölby and Boxholm, then Ödeshög's, announced 2020-01-10."""

from __future__ import annotations

import re

import pytest

from htmlview import read

MUNICIPALITIES = {
    "mjolby": ("Mjölby kommun", "Mjölby Municipality"),
    "boxholm": ("Boxholms kommun", "Boxholm Municipality"),
    "odeshog": ("Ödeshögs kommun", "Ödeshög Municipality"),
}


def agreements_section(page) -> str:
    """The text under the heading "Kommunens avtal" / "The municipality's agreements"."""
    heading = "Kommunens avtal" if page.lang == "sv" else "The municipality's agreements"
    return page.text.split(heading)[1].split("Kontakt" if page.lang == "sv" else "Contact")[0]


@pytest.mark.parametrize("mid", MUNICIPALITIES)
def test_one_page_per_municipality_in_both_languages(split_built, mid):
    sv = read(split_built / f"kommuner/{mid}/index.html")
    en = read(split_built / f"en/municipalities/{mid}/index.html")
    assert sv.lang == "sv" and en.lang == "en"
    assert sv.headings[0] == (1, MUNICIPALITIES[mid][0]) and en.headings[0] == (1, MUNICIPALITIES[mid][1])
    # The contact routes each page shows are checked in test_contacts.py.
    assert sv.link_to("Kontakta oss").href == "/kontakt/"
    assert en.link_to("Contact us").href == "/en/contact/"
    assert en.link_to("Svenska").href == f"/kommuner/{mid}/"


def test_what_each_municipality_pays_for(split_built):
    odeshog = read(split_built / "kommuner/odeshog/index.html")
    assert "Betalas av Ödeshög: 2,1 heltidstjänster" in odeshog.text
    boxholm = read(split_built / "en/municipalities/boxholm/index.html")
    assert "Paid for by Boxholm: not published" in boxholm.text
    # The source only gives what Mjölby and Boxholm pay together: said as such.
    assert "Together, Mjölby Municipality and Boxholm Municipality pay for 4.2 full-time posts" in boxholm.text
    assert "2.1" not in boxholm.text  # Ödeshög's share is not Boxholm's
    assert "announcement by the municipality: Enheten växer" in boxholm.text  # the source of the shares


def pays_section(html: str) -> str:
    return html.split('id="section-pays"')[1].split('id="section-agreements"')[0]


def test_what_the_published_figures_leave_cites_the_figures_it_is_worked_out_from(split_built):
    html = (split_built / "en/municipalities/boxholm/index.html").read_text(encoding="utf-8")
    pays = pays_section(html)
    own, together = re.findall(r"<p[ >].*?</p>", pays, re.S)
    # Boxholm's own share: no source gives it, so nothing is cited beside it, and no date.
    assert "not published" in own and "#source-" not in own and "<time" not in own
    # The 4.2 posts it pays with Mjölby are worked out from the total and Ödeshög's share,
    # and cite the article that gives the one and the announcement that gives the other.
    assert "4.2" in together
    cited = [html.split(f'id="source-{n}"')[1].split("</li>")[0] for n in re.findall(r'href="#source-(\d+)"', together)]
    assert len(cited) == 2
    assert "Tre kommuner delar på enheten" in cited[0] and "Enheten växer" in cited[1]


def test_a_municipality_page_links_its_news_only_when_there_is_some(tiny_built):
    """The tiny site's one news item is about Ödeshög: Mjölby's page says it has none,
    instead of linking to an empty list."""
    odeshog = read(tiny_built / "kommuner/odeshog/index.html")
    assert odeshog.link_to("Nyheter om Ödeshög").href == "/nyheter/kommun/odeshog/"
    mjolby = read(tiny_built / "en/municipalities/mjolby/index.html")
    assert "There is no news about Mjölby yet." in mjolby.text
    assert not [link for link in mjolby.links if "/municipality/mjolby/" in link.href]


def test_each_municipality_lists_its_agreements(split_built):
    boxholm = agreements_section(read(split_built / "kommuner/boxholm/index.html"))
    assert "Odaterat" in boxholm and "Mjölby och Boxholm har ett äldre avtal." in boxholm
    # Ödeshög's agreement, and its date, are not Boxholm's.
    assert "10 januari 2020" not in boxholm and "Ödeshög betalar" not in boxholm
    odeshog = agreements_section(read(split_built / "en/municipalities/odeshog/index.html"))
    assert "10 January 2020 (announced)" in odeshog and "Ödeshög pays for some of the posts." in odeshog
    assert "Undated" not in odeshog and "old deal" not in odeshog


def test_agreements_over_time_never_back_computes_an_earlier_total(split_built):
    for path, not_published, total in (
        ("avtal/index.html", "Inte publicerat", "6,3 heltidstjänster"),
        ("en/agreements/index.html", "Not published", "6.3 full-time posts"),
    ):
        html = (split_built / path).read_text(encoding="utf-8")
        history = html.split('class="history"')[1].split("</table>")[0]
        undated, dated = history.split("<tbody>")[1].split("</tr>")[:2]
        assert "Mjölby" in undated and not_published in undated
        # No number at all: neither 6.3 - 1.1 nor 6.3 - 2.1, nor the later 6.3 itself.
        assert not re.search(r"\d", undated)
        assert total in dated


def test_the_collaboration_page_links_every_municipality_and_the_timeline(split_built):
    page = read(split_built / "samverkan/index.html")
    for mid, (name, _) in MUNICIPALITIES.items():
        assert page.link_to(name).href == f"/kommuner/{mid}/"
    assert page.link_to("Avtal över tid").href == "/avtal/"


# The tiny site's open datasets (tests/fixtures/tiny/data/datasets.yaml): each field is
# described as "Fältet <name>." / "The field <name>."; municipalities changed last, 2020-03-01.
DATA_PAGE = {
    "sv": ("oppna-data/index.html", "Fältet", "Senast ändrad: 1 februari 2020", "Senast ändrad: 1 mars 2020"),
    "en": ("en/open-data/index.html", "The field", "Last changed: 1 February 2020", "Last changed: 1 March 2020"),
}


@pytest.mark.parametrize("lang", DATA_PAGE)
def test_the_data_page_lists_datasets_fields_licence_and_last_change(tiny_built, lang):
    path, described, staffing_changed, municipalities_changed = DATA_PAGE[lang]
    page = read(tiny_built / path)
    assert page.lang == lang
    hrefs = {link.href for link in page.links}
    for name in ("staffing", "agreements", "municipalities"):
        for suffix in ("csv", "json", "schema.json"):
            assert f"/data/{name}.{suffix}" in hrefs
    assert "http://creativecommons.org/publicdomain/zero/1.0/deed." + lang in hrefs
    assert "CC0 1.0" in page.text
    # Each dataset says when it last changed.
    staffing = page.text.split("staffing.csv")[0]
    municipalities = page.text.split("agreements.schema.json")[1].split("municipalities.csv")[0]
    assert staffing_changed in staffing and municipalities_changed in municipalities
    # Each column's name, with what it means in the page's language.
    for field in ("as_of", "share_of", "source_publisher", "date_kind", "role"):
        assert f"{field} {described} {field}." in page.text


def test_the_footer_links_the_open_data_page(tiny_built):
    assert read(tiny_built / "index.html").link_to("Öppna data").href == "/oppna-data/"
    assert read(tiny_built / "en/index.html").link_to("Open data").href == "/en/open-data/"


# --- the real portal, end to end: what its municipality pages say ---------------------------------


def test_the_portals_municipality_pages_say_what_each_pays_for(built):
    odeshog = read(built / "kommuner/odeshog/index.html")
    assert "1,135 heltidstjänster" in odeshog.text
    boxholm = read(built / "en/municipalities/boxholm/index.html")
    assert "Paid for by Boxholm Municipality: not published" in boxholm.text
    # No source says who pays the 3.565 posts Ödeshög does not: the page does not say Boxholm does.
    assert "3.565" not in boxholm.text and "Together" not in boxholm.text
    assert "Samverkan för trygghet och säkerhet" in boxholm.text  # Mjölby's announcement, the source


def test_a_share_no_source_gives_says_so_and_cites_no_source_for_it(built):
    """Boxholm's share: Mjölby's announcement gives Ödeshög's part alone, so a footnote to it
    beside "not published" would cite a source for what it does not say."""
    for path, words in (
        ("kommuner/boxholm/index.html", "inte publicerat. Ingen källa anger den här uppgiften"),
        ("en/municipalities/boxholm/index.html", "not published. No source gives this figure"),
    ):
        pays = pays_section((built / path).read_text(encoding="utf-8"))
        assert words in re.sub(r"<[^>]+>|\s+", lambda m: " " if m[0].isspace() else "", pays), path
        assert "#source-" not in pays and "<time" not in pays, path


def test_one_municipality_left_to_pay_the_rest_is_named_alone_not_together(tiny_built):
    """The tiny site: 5 posts, Ödeshög pays 2, Mjölby's share is not published. The 3 left
    are Mjölby's alone: no "together" or "between them" about one municipality."""
    sv = read(tiny_built / "kommuner/mjolby/index.html")
    assert "De publicerade siffrorna lämnar 3 heltidstjänster, och de är kommunens del" in sv.text
    en = read(tiny_built / "en/municipalities/mjolby/index.html")
    assert "The published figures leave 3 full-time posts, and those are its part" in en.text
    # Nowhere on the site, the chart and the staffing page's table included.
    saying = [
        path.relative_to(tiny_built).as_posix()
        for path in tiny_built.rglob("*.html")
        if re.search(r"\btogether\b|\btillsammans\b", read(path).text, re.IGNORECASE)
    ]
    assert saying == []
