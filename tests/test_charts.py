"""The funding split chart: a well-formed SVG made at build time, whose numbers
are the numbers of the table beside it, told apart by more than colour.

The engine's tests draw the tiny site's split (tinysite.split_site, made-up figures):
6.3 posts in total, 2.1 paid for by Ödeshög, 4.2 by Mjölby and Boxholm together with
no published split between them. The last test is the real portal's, end to end."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest

SVG = "{http://www.w3.org/2000/svg}"
PAGES = {
    "sv": ("enheten/index.html", "charts/funding-total-posts"),
    "en": ("en/staffing/index.html", "en/charts/funding-total-posts"),
}
# What the chart of the tiny site's split says, as a screen reader reads it.
TITLE = {"sv": "Vem betalar för de 6,3 tjänsterna", "en": "Who pays for the 6.3 posts"}
IN_WORDS = {
    "sv": "Stapeldiagram: enheten har 6,3 heltidstjänster. Ödeshögs kommun: 2,1 heltidstjänster. "
    "Mjölby kommun och Boxholms kommun tillsammans (fördelningen mellan dem är inte publicerad): 4,2 heltidstjänster.",
    "en": "Bar chart: the unit has 6.3 full-time posts. Ödeshög Municipality: 2.1 full-time posts. "
    "Mjölby Municipality and Boxholm Municipality together (how they share it is not published): 4.2 full-time posts.",
}
CAPTION = {
    "sv": "Fördelningen av tjänsterna på enheten, 10 januari 2020. Samma siffror finns i tabellen under diagrammet.",
    "en": "How the unit's posts are paid for, 10 January 2020. The same figures are in the table below the chart.",
}
ALT_END = {
    "sv": "Samma siffror finns i tabellen under diagrammet.",
    "en": "The same figures are in the table below the chart.",
}
# Published names carry a content hash (portal/assets.py): charts/funding-total-posts.1a2b3c4d.svg
HASHED = r"\.[0-9a-f]{8}\.svg"


def chart_files(built, page, chart):
    """The wide and the narrow chart the page shows, as files in the built site."""
    html = (built / page).read_text(encoding="utf-8")
    wide = re.search(r'<img src="/(' + re.escape(chart) + HASHED + ')"', html).group(1)
    narrow = re.search(r'srcset="/(' + re.escape(chart) + "-narrow" + HASHED + ')"', html).group(1)
    return {"": built / wide, "-narrow": built / narrow}


def parse_number(text: str, lang: str) -> Decimal:
    text = text.strip().replace("\u00a0", "")
    return Decimal(text.replace(",", ".") if lang == "sv" else text.replace(",", ""))


class SplitTable(HTMLParser):
    """The rows of the table#split-total-posts: (section, row header, number cell)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.inside, self.section, self.cell, self.row = [], False, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == "split-total-posts":
            self.inside = True
        if not self.inside:
            return
        if tag in ("tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.row = {"section": self.section, "head": "", "num": ""}
        elif tag == "th" and self.row is not None:
            self.cell = "head"
        elif tag == "td" and "num" in (a.get("class") or ""):
            self.cell = "num"
        elif tag == "span":
            self.cell = None  # "(derived)" is not part of the number

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag in ("th", "td"):
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row["section"]:
                self.rows.append(self.row)
            self.row = None
        elif tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.cell and self.row is not None:
            self.row[self.cell] += data


def table_of(built, page):
    parser = SplitTable()
    parser.feed((built / page).read_text(encoding="utf-8"))
    return parser.rows


def texts(root) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("lang", PAGES)
@pytest.mark.parametrize("variant", ["", "-narrow"])
def test_svg_is_well_formed_and_its_numbers_match_the_table(split_built, lang, variant):
    page, chart = PAGES[lang]
    root = ET.parse(chart_files(split_built, page, chart)[variant]).getroot()
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == TITLE[lang]
    assert not list(root.iter(f"{SVG}script"))
    values = [parse_number(t.text, lang) for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    rows = table_of(split_built, page)
    body = [parse_number(r["num"], lang) for r in rows if r["section"] == "tbody"]
    total = [parse_number(r["num"], lang) for r in rows if r["section"] == "tfoot"]
    assert values == body == [Decimal("2.1"), Decimal("4.2")]
    assert total == [Decimal("6.3")] and sum(values) == total[0]
    # The text alternative inside the SVG says the same numbers in words.
    assert root.find(f"{SVG}desc").text == IN_WORDS[lang]


def test_parts_differ_by_pattern_and_the_unsplit_part_is_marked(split_built):
    root = ET.parse(chart_files(split_built, *PAGES["sv"])[""]).getroot()
    bars = [r for r in root.iter(f"{SVG}rect") if "segment" in (r.get("class") or "")]
    assert len(bars) == 2
    known, unknown = bars
    assert known.get("fill") != unknown.get("fill") and not known.get("stroke-dasharray")
    assert unknown.get("fill") == "url(#hatch)" and unknown.get("stroke-dasharray")
    assert "?" in texts(root)
    legend = " ".join(texts(root))
    assert "Ödeshögs kommun: 2,1 heltidstjänster" in legend
    # The part Mjölby and Boxholm pay together is one part, never split into made-up shares.
    assert (
        "Mjölby kommun och Boxholms kommun tillsammans (fördelningen mellan dem är inte publicerad): 4,2 heltidstjänster"
        in legend
    )


@pytest.mark.parametrize("lang", PAGES)
def test_the_page_shows_the_chart_with_a_text_alternative_and_a_narrow_version(split_built, lang):
    page, chart = PAGES[lang]
    html = (split_built / page).read_text(encoding="utf-8")
    img = re.search(r'<img src="/' + re.escape(chart) + HASHED + r'" alt="([^"]+)"', html)
    assert img, "the chart is an <img> with alt text"
    assert unescape(img.group(1)) == IN_WORDS[lang] + " " + ALT_END[lang]
    assert re.search(
        r'<source media="\(max-width: 36em\)" srcset="/' + re.escape(chart) + "-narrow" + HASHED + '">', html
    )
    assert unescape(re.search("<figcaption>(.*)</figcaption>", html).group(1)) == CAPTION[lang]


# --- the real portal, end to end: its chart shows its published figures ---------------------------


def test_the_portals_chart_shows_odeshogs_1_135_of_the_4_7_posts_and_no_payer_for_the_rest(built):
    root = ET.parse(chart_files(built, "enheten/index.html", "charts/funding-total-posts")[""]).getroot()
    legend = " ".join(texts(root))
    assert root.find(f"{SVG}title").text == "Vem betalar för de 4,7 tjänsterna"
    assert "Ödeshögs kommun: 1,135 heltidstjänster" in legend
    # The sources give the total and Ödeshög's part, not who pays the rest: no payer is made up.
    assert "Ingen källa anger vem som betalar: 3,565 heltidstjänster" in legend
    assert "Mjölby" not in legend and "Boxholm" not in legend
    desc = root.find(f"{SVG}desc").text
    assert desc.endswith(
        "Ödeshögs kommun: 1,135 heltidstjänster. Ingen källa anger vem som betalar: 3,565 heltidstjänster."
    )
